//! The SSH server: the accept loop with its limits, and the russh handler of one connection.
//!
//! Every peer is treated as hostile. A connection is refused before any work when the class is
//! full, when its address opens connections too fast, or when its address has failed the code
//! too often. A connection must authenticate within the handshake deadline. Only one session
//! channel with a pty and a shell is served; exec, subsystems (sftp), environment, X11, agent
//! and port forwarding are all refused. Input is limited in rate. Whatever a connection does,
//! its errors end only itself: nothing is printed (the teacher's terminal is the console).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use russh::keys::PrivateKey;
use russh::server::{Auth, Config, Handler, Msg, Response, Session};
use russh::{Channel, ChannelId, ChannelWriteHalf, MethodKind, MethodSet, Pty};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

use crate::class::names;
use crate::serve::accepting::Accepting;

use super::outlet::ChannelOutlet;
use crate::serve::cut::Cut;
use crate::serve::rules::{Budget, Limits, Pending, Refusal, Seat, Shared};
use crate::serve::runner::{self as channel, Input};

/// The russh configuration for these limits.
pub fn config(key: PrivateKey, limits: &Limits, open: bool) -> Config {
    let mut methods = MethodSet::empty();
    methods.push(MethodKind::KeyboardInteractive);
    methods.push(MethodKind::Password);
    if open {
        methods.push(MethodKind::None);
    }
    Config {
        methods,
        // Every wrong code costs the guesser a second; OpenSSH's first probe ("none") does not.
        auth_rejection_time: Duration::from_secs(1),
        auth_rejection_time_initial: Some(Duration::ZERO),
        keys: vec![key],
        max_auth_attempts: limits.auth_attempts,
        inactivity_timeout: Some(limits.idle),
        keepalive_interval: Some(limits.keepalive),
        keepalive_max: 4,
        // Each key press should be echoed by the next frame at once, not after Nagle's delay.
        nodelay: true,
        ..Config::default()
    }
}

/// A server accepting students.
pub struct Running {
    /// Where it listens (the port is the one given, or the one the system chose for port 0).
    pub addr: SocketAddr,
    pub shared: Arc<Shared>,
    /// The host key's fingerprint, as `ssh` shows it.
    pub fingerprint: String,
    accepting: Accepting,
}

impl Running {
    /// Stops accepting; sessions already running go on until they end.
    pub async fn stop(self) {
        self.accepting.stop().await;
    }
}

/// Binds `addr` and starts accepting students on the current tokio runtime.
pub async fn start(
    addr: SocketAddr,
    key: PrivateKey,
    shared: Arc<Shared>,
) -> std::io::Result<Running> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let fingerprint = super::hostkey::fingerprint(&key);
    let config = Arc::new(config(key, &shared.limits, shared.gate.is_open()));
    let accepting =
        Accepting::spawn(|stop| accept_loop(listener, config, Arc::clone(&shared), stop));
    Ok(Running { addr, shared, fingerprint, accepting })
}

/// Accepts connections until `stop` is notified. Each connection runs on its own task and
/// ends on its own; none can stop the loop.
pub async fn accept_loop(
    listener: TcpListener,
    config: Arc<Config>,
    shared: Arc<Shared>,
    stop: Arc<tokio::sync::Notify>,
) {
    loop {
        let (socket, peer) = tokio::select! {
            () = stop.notified() => return,
            accepted = listener.accept() => if let Ok(accepted) = accepted {
                accepted
            } else {
                // Out of file descriptors and the like: wait a little rather than spin.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            },
        };
        let ip = peer.ip();
        // No seat yet: a seat is taken only once the code is accepted, so connections that
        // never give it cannot fill the class. A refusal the student should read (too fast,
        // shut out) still goes through SSH to show its words, within the joining caps; past
        // them, or when busy, the connection is closed at once.
        let (pending, refusal) = match shared.arrive(ip) {
            Ok(pending) => (pending, None),
            Err(refusal @ (Refusal::Rate | Refusal::ShutOut { .. })) => match shared.explain(ip) {
                Some(pending) => (pending, Some(refusal)),
                None => continue,
            },
            Err(_) => continue,
        };
        let _ = socket.set_nodelay(true);
        let config = Arc::clone(&config);
        let shared = Arc::clone(&shared);
        tokio::spawn(serve_connection(socket, peer, config, shared, pending, refusal));
    }
}

/// Serves one connection to its end.
pub async fn serve_connection<S>(
    stream: S,
    peer: SocketAddr,
    config: Arc<Config>,
    shared: Arc<Shared>,
    pending: Pending,
    refusal: Option<Refusal>,
) where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let cut = Cut::new();
    let authenticated = Arc::new(AtomicBool::new(false));
    let _ = peer;
    let handler = Connection::new(
        Arc::clone(&shared),
        cut.clone(),
        Arc::clone(&authenticated),
        pending,
        refusal,
    );
    shared.stats.connections.fetch_add(1, Ordering::Relaxed);
    let deadline = shared.limits.handshake;
    let first_word = shared.limits.first_word.min(deadline);
    // The deadline covers everything before the student is in (seated); it cuts a client
    // that sends a byte a minute. A client that says nothing at all is cut sooner: it holds
    // one of its address's joining places.
    let watchdog = {
        let cut = cut.clone();
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            tokio::time::sleep(first_word).await;
            if !cut.heard() {
                shared.stats.handshake_timeouts.fetch_add(1, Ordering::Relaxed);
                cut.cut();
                return;
            }
            tokio::time::sleep(deadline.saturating_sub(first_word)).await;
            if !authenticated.load(Ordering::SeqCst) {
                shared.stats.handshake_timeouts.fetch_add(1, Ordering::Relaxed);
                cut.cut();
            }
        })
    };
    // The watchdog's cut also ends a client stuck before the SSH banner (`run_stream` reads
    // through the cuttable stream).
    if let Ok(session) = russh::server::run_stream(config, cut.wrap(stream), handler).await {
        // Errors end this connection only; there is no one to tell (the teacher's terminal is
        // the console, and a hostile client gets no detail).
        let _ = session.await;
    }
    cut.cut();
    watchdog.abort();
    shared.stats.connections.fetch_sub(1, Ordering::Relaxed);
}

/// The one session channel of a connection.
struct Open {
    id: ChannelId,
    /// Taken by the channel task when the shell starts.
    write: Option<ChannelWriteHalf<Msg>>,
    pty: Option<channel::Pty>,
    /// To the running channel task.
    input: Option<mpsc::Sender<Input>>,
}

/// The russh handler of one connection.
pub struct Connection {
    shared: Arc<Shared>,
    cut: Cut,
    authenticated: Arc<AtomicBool>,
    /// The display name, or why the user name cannot be one.
    name: Option<Result<String, names::BadName>>,
    open: Option<Open>,
    budget: Budget,
    /// The last wrong code's refusal, shown with the next prompt.
    last_refusal: Option<Refusal>,
    /// Until the code is accepted: the joining place this connection holds.
    pending: Pending,
    /// Once the code is accepted and a seat was free.
    seat: Option<Seat>,
    /// Why this connection is turned away; its words are shown instead of the class.
    refusal: Option<Refusal>,
}

/// How many input messages may wait for a channel task; beyond, keys are dropped (a flood).
const INPUT_QUEUE: usize = 64;

impl Connection {
    fn new(
        shared: Arc<Shared>,
        cut: Cut,
        authenticated: Arc<AtomicBool>,
        pending: Pending,
        refusal: Option<Refusal>,
    ) -> Self {
        let budget = Budget::new(shared.limits.input_bytes_per_second);
        Self {
            shared,
            cut,
            authenticated,
            name: None,
            open: None,
            budget,
            last_refusal: None,
            pending,
            seat: None,
            refusal,
        }
    }

    fn verdict(&mut self, user: &str, code: &str) -> Auth {
        if self.refusal.is_some() {
            // Let it in without a seat, to read why it is refused (no code is checked).
            return Auth::Accept;
        }
        match self.shared.check_code(&mut self.pending, user, code) {
            Ok(()) => self.accept(user),
            Err(refusal @ Refusal::Code { tries_left }) => {
                self.last_refusal = Some(refusal);
                if tries_left == 0 {
                    self.cut.cut();
                }
                Auth::reject()
            }
            Err(refusal) => {
                // Shut out: in, without a seat, to read why (OpenSSH shows no reason for a
                // failed authentication).
                self.refusal = Some(refusal);
                Auth::Accept
            }
        }
    }

    /// The right code (or an open class): a seat if one is free, else in to read "full".
    fn accept(&mut self, user: &str) -> Auth {
        if self.refusal.is_some() {
            return Auth::Accept;
        }
        match self.pending.take_seat() {
            Ok(seat) => {
                self.seat = Some(seat);
                self.name = Some(names::clean(user, self.shared.limits.name_width));
            }
            Err(refusal) => self.refusal = Some(refusal),
        }
        Auth::Accept
    }

    /// Ends a channel with a message on the student's screen (their terminal is in its normal
    /// mode: the app has not started). The request is answered with success first, so that
    /// OpenSSH shows the words rather than "exec request failed on channel 0".
    fn refuse_with(&mut self, session: &mut Session, channel: ChannelId, message: &str) {
        let _ = session.channel_success(channel);
        self.close(channel);
        let _ = session.extended_data(channel, 1, format!("{message}\r\n").into_bytes());
        let _ = session.exit_status_request(channel, 1);
        let _ = session.eof(channel);
        let _ = session.close(channel);
    }
}

impl Handler for Connection {
    type Error = russh::Error;

    async fn auth_none(&mut self, user: &str) -> Result<Auth, Self::Error> {
        if self.shared.gate.is_open() || self.refusal.is_some() {
            return Ok(self.accept(user));
        }
        Ok(Auth::Reject {
            proceed_with_methods: Some(MethodSet::from(
                &[MethodKind::KeyboardInteractive, MethodKind::Password][..],
            )),
            partial_success: false,
        })
    }

    async fn auth_password(&mut self, user: &str, password: &str) -> Result<Auth, Self::Error> {
        Ok(self.verdict(user, password))
    }

    async fn auth_keyboard_interactive<'a>(
        &'a mut self,
        user: &str,
        _submethods: &str,
        response: Option<Response<'a>>,
    ) -> Result<Auth, Self::Error> {
        let Some(mut response) = response else {
            // After a wrong code, the prompt says so (OpenSSH shows the instruction).
            let instructions = match self.last_refusal.take() {
                Some(refusal) => refusal.message(),
                None => "Type the class code shown on the teacher's screen.".into(),
            };
            return Ok(Auth::Partial {
                name: "stemcell class".into(),
                instructions: instructions.into(),
                prompts: vec![("Class code: ".into(), true)].into(),
            });
        };
        let given = response.next().map(|b| String::from_utf8_lossy(&b).into_owned());
        Ok(self.verdict(user, given.as_deref().unwrap_or("")))
    }

    async fn auth_succeeded(&mut self, _session: &mut Session) -> Result<(), Self::Error> {
        // Only a seated student is in; one let in to read a refusal stays under the
        // handshake deadline.
        if self.seat.is_some() {
            self.authenticated.store(true, Ordering::SeqCst);
        }
        Ok(())
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        // One student, one screen: a second channel on the same connection is refused
        // (dropping the reply refuses it).
        if self.open.is_some() {
            return Ok(());
        }
        let id = channel.id();
        // Requests reach the handler; the read half is not needed, and dropping it keeps
        // russh from waiting for anyone to read it.
        let (_read, write) = channel.split();
        self.open = Some(Open { id, write: Some(write), pty: None, input: None });
        reply.accept().await;
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        match &mut self.open {
            Some(open) if open.id == channel && open.input.is_none() => {
                let term: String = term.chars().take(64).collect();
                open.pty = Some(channel::Pty { term, cols: col_width, rows: row_height });
                session.channel_success(channel)?;
            }
            _ => session.channel_failure(channel)?,
        }
        Ok(())
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let Some(open) = self.open.as_mut().filter(|o| o.id == channel && o.input.is_none()) else {
            session.channel_failure(channel)?;
            return Ok(());
        };
        if let Some(refusal) = self.refusal {
            self.refuse_with(session, channel, &refusal.message());
            return Ok(());
        }
        let Some(pty) = open.pty.clone() else {
            self.refuse_with(
                session,
                channel,
                "stemcell needs a terminal: join with ssh -t, from a terminal window.",
            );
            return Ok(());
        };
        let name = match self.name.clone() {
            Some(Ok(name)) => name,
            Some(Err(bad)) => {
                self.refuse_with(session, channel, &bad.message());
                return Ok(());
            }
            None => {
                session.channel_failure(channel)?;
                return Ok(());
            }
        };
        let Some(write) = open.write.take() else {
            session.channel_failure(channel)?;
            return Ok(());
        };
        let (tx, rx) = mpsc::channel(INPUT_QUEUE);
        open.input = Some(tx);
        session.channel_success(channel)?;
        let start = channel::Start {
            shared: Arc::clone(&self.shared),
            name,
            pty,
            input: rx,
            outlet: ChannelOutlet(write),
            cut: self.cut.clone(),
            // A name already in the class is claimed on the student's screen (rejoin words,
            // or the teacher's say-so): SSH carries nothing that proves it.
            claim: crate::class::protocol::Claim::Nothing,
            keep_words: None,
        };
        tokio::spawn(channel::supervise(start));
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let words = match self.refusal {
            Some(refusal) => refusal.message(),
            None => "This server runs only the stemcell class: commands are not allowed. \
                     Join with ssh -t and no command."
                .into(),
        };
        self.refuse_with(session, channel, &words);
        Ok(())
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.refuse_with(
            session,
            channel,
            "This server runs only the stemcell class: no file transfer.",
        );
        Ok(())
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        _variable_name: &str,
        _variable_value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)?;
        Ok(())
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single_connection: bool,
        _x11_auth_protocol: &str,
        _x11_auth_cookie: &str,
        _x11_screen_number: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)?;
        Ok(())
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        let allowed = self.budget.take(data.len());
        if let Some(input) =
            self.open.as_ref().filter(|o| o.id == channel).and_then(|o| o.input.as_ref())
            && allowed > 0
        {
            // A full queue means the student types faster than their app can follow: the
            // extra keys are dropped rather than queued.
            let _ = input.try_send(Input::Bytes(data[..allowed].to_vec()));
        }
        Ok(())
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(open) = self.open.as_mut().filter(|o| o.id == channel) {
            if let Some(pty) = &mut open.pty {
                pty.cols = col_width;
                pty.rows = row_height;
            }
            if let Some(input) = &open.input {
                let _ = input.try_send(Input::Resize { cols: col_width, rows: row_height });
            }
        }
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.close(channel);
        Ok(())
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.close(channel);
        Ok(())
    }
}

impl Connection {
    /// The client closed its channel: the task ends when its input does, and another
    /// channel may be opened (one at a time).
    fn close(&mut self, channel: ChannelId) {
        if self.open.as_ref().is_some_and(|open| open.id == channel) {
            self.open = None;
        }
    }
}
