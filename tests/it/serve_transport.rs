//! The classroom's SSH transport, with a russh client over loopback: joining with the code,
//! refusals, the terminal (resize, split escape sequences, a lone Esc), and the limits that
//! keep one hostile or slow client from costing the others.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use russh::client::{self, AuthResult};
use russh::{ChannelMsg, client::Msg};
use stemcell::class::protocol::{Place, TeacherAction, ToClass};
use stemcell::class::room::{self as class, ClassHandle, ClassOptions};
use stemcell::content::{self, load::PackSource};
use stemcell::serve::auth::{Gate, Policy};
use stemcell::serve::rules::{Limits, Shared};
use stemcell::serve::ssh::hostkey;
use stemcell::serve::ssh::server::{self, Running};
use tokio::io::AsyncReadExt;

pub const CODE: &str = "k7q2xm";

/// A server on 127.0.0.1 with a port the system chose.
pub async fn start(limits: Limits, policy: Policy, code: Option<&str>) -> Running {
    let course = content::load(&PackSource::BuiltIn).expect("the built-in pack loads").course;
    let gate = Gate::new(code.map(str::to_owned), policy);
    serve(Shared::new(Arc::new(course), gate, limits, 7)).await
}

/// A server on 127.0.0.1 with a class attached; the handle is the teacher's.
pub async fn start_class(limits: Limits) -> (Running, ClassHandle) {
    let course = Arc::new(content::load(&PackSource::BuiltIn).expect("loads").course);
    let (class, _task) = class::spawn(Arc::clone(&course), ClassOptions::default(), None);
    let gate = Gate::new(Some(CODE.to_owned()), Policy::default());
    let shared = Shared::new(course, gate, limits, 7).with_class(class.clone());
    (serve(shared).await, class)
}

async fn serve(shared: Shared) -> Running {
    let shared = Arc::new(shared);
    server::start("127.0.0.1:0".parse().unwrap(), hostkey::generate().unwrap(), shared)
        .await
        .expect("the server starts")
}

pub struct Trusting;

impl client::Handler for Trusting {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        _key: &russh::keys::PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

pub async fn connect(addr: SocketAddr) -> Result<client::Handle<Trusting>, russh::Error> {
    connect_with(addr, client::Config::default()).await
}

pub async fn connect_with(
    addr: SocketAddr,
    config: client::Config,
) -> Result<client::Handle<Trusting>, russh::Error> {
    client::connect(Arc::new(config), addr, Trusting).await
}

/// A student's terminal: the channel, and what it shows.
pub struct Student {
    /// Kept open for as long as the student is.
    _connection: client::Handle<Trusting>,
    pub channel: russh::Channel<Msg>,
    pub screen: vt100::Parser,
    pub closed: bool,
    pub exit_status: Option<u32>,
    pub stderr: String,
    /// Every byte of output, for what a screen cannot show (colour sequences).
    pub raw: Vec<u8>,
}

impl Student {
    /// Connects, gives the code as a password, asks for a pty and a shell.
    pub async fn join(addr: SocketAddr, name: &str, cols: u16, rows: u16) -> Self {
        Self::join_with(addr, client::Config::default(), name, cols, rows).await
    }

    pub async fn join_with(
        addr: SocketAddr,
        config: client::Config,
        name: &str,
        cols: u16,
        rows: u16,
    ) -> Self {
        Self::join_as(addr, config, name, "xterm-256color", (cols, rows)).await
    }

    /// Joins with a terminal type (`TERM`) and a size of columns and rows.
    pub async fn join_as(
        addr: SocketAddr,
        config: client::Config,
        name: &str,
        term: &str,
        (cols, rows): (u16, u16),
    ) -> Self {
        let mut handle = connect_with(addr, config).await.expect("connects");
        let auth = handle.authenticate_password(name, CODE).await.expect("auth answered");
        assert!(matches!(auth, AuthResult::Success), "the code is accepted: {auth:?}");
        let channel = handle.channel_open_session().await.expect("a session channel");
        channel
            .request_pty(false, term, u32::from(cols), u32::from(rows), 0, 0, &[])
            .await
            .unwrap();
        channel.request_shell(false).await.unwrap();
        Self {
            _connection: handle,
            channel,
            // The emulator is kept small whatever size the client claims.
            screen: vt100::Parser::new(nz(rows.min(200)), nz(cols.min(400)), 0),
            closed: false,
            exit_status: None,
            stderr: String::new(),
            raw: Vec::new(),
        }
    }

    pub fn text(&self) -> String {
        self.screen.screen().contents()
    }

    /// Reads output until the screen shows `needle` (or the channel closes, or 10 s pass).
    pub async fn wait_for(&mut self, needle: &str) -> bool {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !self.text().contains(needle) {
            if self.closed || !self.read_until(deadline).await {
                return self.text().contains(needle);
            }
        }
        true
    }

    /// Reads output until the channel closes (or 10 s pass).
    pub async fn wait_closed(&mut self) -> bool {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !self.closed {
            if !self.read_until(deadline).await {
                break;
            }
        }
        self.closed
    }

    /// One message; false at the deadline.
    async fn read_until(&mut self, deadline: tokio::time::Instant) -> bool {
        match tokio::time::timeout_at(deadline, self.channel.wait()).await {
            Err(_) => false,
            Ok(None) => {
                self.closed = true;
                true
            }
            Ok(Some(msg)) => {
                match msg {
                    ChannelMsg::Data { data } => {
                        self.screen.process(&data);
                        self.raw.extend_from_slice(&data);
                    }
                    ChannelMsg::ExtendedData { data, .. } => {
                        self.stderr.push_str(&String::from_utf8_lossy(&data));
                    }
                    ChannelMsg::ExitStatus { exit_status } => self.exit_status = Some(exit_status),
                    ChannelMsg::Close => self.closed = true,
                    _ => {}
                }
                true
            }
        }
    }

    pub async fn send(&self, bytes: &[u8]) {
        self.channel.data_bytes(bytes.to_vec()).await.unwrap();
    }
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n.max(1)).unwrap()
}

fn limits() -> Limits {
    Limits { stall: Duration::from_secs(2), handshake: Duration::from_secs(5), ..Limits::default() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_student_joins_with_the_code_and_reads() {
    let server = start(limits(), Policy::default(), Some(CODE)).await;
    let mut ana = Student::join(server.addr, "ana", 80, 24).await;
    assert!(ana.wait_for("Stem Cell Therapy").await, "the title screen:\n{}", ana.text());
    ana.send(b"\r").await;
    assert!(ana.wait_for("1/6").await, "Enter opens the reader:\n{}", ana.text());
    ana.send(b"q").await;
    assert!(ana.wait_closed().await, "q ends the session");
    assert_eq!(ana.exit_status, Some(0));
    // The channel closes just before the session's task has finished: give it a moment.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while server.shared.stats.sessions.load(Ordering::SeqCst) != 0
        && tokio::time::Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(server.shared.stats.sessions.load(Ordering::SeqCst), 0, "the session is gone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_code_is_refused_and_an_address_that_keeps_guessing_is_shut_out() {
    let policy =
        Policy { failures_per_address: 3, window: Duration::from_secs(600), ..Policy::default() };
    let server = start(limits(), policy, Some(CODE)).await;
    let mut handle = connect(server.addr).await.unwrap();
    for guess in ["aaaaaa", "bbbbbb", "cccccc"] {
        let auth = handle.authenticate_password("eve", guess).await;
        assert!(!matches!(auth, Ok(AuthResult::Success)), "{guess} must be refused");
    }
    // The address is shut out now: even with the right code, a new connection gets no seat,
    // only the words saying why and for how long.
    let words = refusal_words(server.addr, "eve", CODE).await;
    assert!(words.contains("shut out for 10 minutes"), "{words}");
    let by = &server.shared.stats.refused_by;
    assert_eq!(by.code.load(Ordering::SeqCst), 3);
    assert!(by.shut_out.load(Ordering::SeqCst) >= 1);
    assert_eq!(server.shared.stats.sessions.load(Ordering::SeqCst), 0);
}

/// Connects, gives `code` for `name`, asks for a pty and a shell, and returns what the server
/// wrote on the student's terminal (stdout and stderr) before closing.
pub async fn refusal_words(addr: SocketAddr, name: &str, code: &str) -> String {
    let mut handle = connect(addr).await.expect("connects to read the refusal");
    let auth = handle.authenticate_password(name, code).await.expect("auth answered");
    assert!(auth.success(), "let in to read the words: {auth:?}");
    let mut channel = handle.channel_open_session().await.expect("a session channel");
    channel.request_pty(false, "xterm", 80, 24, 0, 0, &[]).await.unwrap();
    channel.request_shell(true).await.unwrap();
    let (out, err, status) = drain(&mut channel).await;
    assert_eq!(status, Some(1), "a refusal exits with 1");
    format!("{out}{err}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyboard_interactive_asks_for_the_code() {
    let server = start(limits(), Policy::default(), Some(CODE)).await;
    let mut handle = connect(server.addr).await.unwrap();
    let asked = handle.authenticate_keyboard_interactive_start("bo", None).await.unwrap();
    let client::KeyboardInteractiveAuthResponse::InfoRequest { prompts, .. } = asked else {
        panic!("a prompt was expected: {asked:?}");
    };
    assert!(prompts[0].prompt.contains("Class code"), "{prompts:?}");
    let answer =
        handle.authenticate_keyboard_interactive_respond(vec![CODE.to_uppercase()]).await.unwrap();
    assert!(matches!(answer, client::KeyboardInteractiveAuthResponse::Success), "{answer:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_class_needs_no_code() {
    let server = start(limits(), Policy::default(), None).await;
    let mut handle = connect(server.addr).await.unwrap();
    let auth = handle.authenticate_none("ana").await.unwrap();
    assert!(matches!(auth, AuthResult::Success), "{auth:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_screen_follows_a_resize() {
    let server = start(limits(), Policy::default(), Some(CODE)).await;
    let mut ana = Student::join(server.addr, "ana", 80, 24).await;
    assert!(ana.wait_for("Sections").await);
    ana.channel.window_change(40, 12, 0, 0).await.unwrap();
    ana.screen.set_size(nz(12), nz(40));
    // At 40 columns the footer keeps only what fits, and the title wraps.
    assert!(ana.wait_for("quit").await, "{}", ana.text());
    let text = ana.text();
    assert!(text.lines().all(|l| l.chars().count() <= 40), "{text}");
    assert!(!text.contains("practice  s progress"), "the 80-column footer is gone:\n{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_escape_sequence_split_across_packets_is_one_key_and_a_lone_esc_is_esc() {
    let server = start(limits(), Policy::default(), Some(CODE)).await;
    let mut ana = Student::join(server.addr, "ana", 80, 24).await;
    assert!(ana.wait_for("▸   1").await, "{}", ana.text());
    // Down, in three packets: the selection moves to the second section.
    for part in [&b"\x1b"[..], b"[", b"B"] {
        ana.send(part).await;
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(ana.wait_for("▸   2").await, "Down moved the selection:\n{}", ana.text());
    // ? opens the help; a lone Esc (nothing follows) closes it.
    ana.send(b"?").await;
    assert!(ana.wait_for("Keys").await, "{}", ana.text());
    ana.send(b"\x1b").await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while ana.text().contains("Keys") && tokio::time::Instant::now() < deadline {
        let _ = ana.read_until(tokio::time::Instant::now() + Duration::from_millis(200)).await;
    }
    assert!(!ana.text().contains("Keys"), "Esc closed the help:\n{}", ana.text());
    assert!(ana.text().contains("▸   2"), "and nothing else happened");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exec_subsystem_and_a_shell_without_a_terminal_are_refused() {
    let server = start(limits(), Policy::default(), Some(CODE)).await;
    let mut handle = connect(server.addr).await.unwrap();
    assert!(handle.authenticate_password("eve", CODE).await.unwrap().success());

    let mut exec = handle.channel_open_session().await.unwrap();
    exec.exec(true, "cat /etc/passwd").await.unwrap();
    let (out, err, status) = drain(&mut exec).await;
    assert!(err.contains("commands are not allowed"), "{err}");
    assert_eq!(status, Some(1));
    assert!(!out.contains("root"), "nothing ran");

    let mut sftp = handle.channel_open_session().await.unwrap();
    sftp.request_subsystem(true, "sftp").await.unwrap();
    let (_, err, _) = drain(&mut sftp).await;
    assert!(err.contains("no file transfer"), "{err}");

    let mut no_pty = handle.channel_open_session().await.unwrap();
    no_pty.request_shell(true).await.unwrap();
    let (_, err, _) = drain(&mut no_pty).await;
    assert!(err.contains("needs a terminal"), "{err}");
}

/// Everything a channel sends until it closes: stdout, stderr, the exit status.
async fn drain(channel: &mut russh::Channel<Msg>) -> (String, String, Option<u32>) {
    let (mut out, mut err, mut status) = (String::new(), String::new(), None);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while let Ok(Some(msg)) = tokio::time::timeout_at(deadline, channel.wait()).await {
        match msg {
            ChannelMsg::Data { data } => out.push_str(&String::from_utf8_lossy(&data)),
            ChannelMsg::ExtendedData { data, .. } => err.push_str(&String::from_utf8_lossy(&data)),
            ChannelMsg::ExitStatus { exit_status } => status = Some(exit_status),
            ChannelMsg::Close => break,
            _ => {}
        }
    }
    (out, err, status)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn port_forwarding_is_refused() {
    let server = start(limits(), Policy::default(), Some(CODE)).await;
    let mut handle = connect(server.addr).await.unwrap();
    assert!(handle.authenticate_password("eve", CODE).await.unwrap().success());
    let direct = handle.channel_open_direct_tcpip("127.0.0.1", 22, "127.0.0.1", 5000).await;
    assert!(direct.is_err(), "no tunnel through the class server");
    let remote = handle.tcpip_forward("127.0.0.1", 0).await;
    assert!(remote.is_err(), "no listening port for the student: {remote:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_window_and_garbage_input_do_not_hurt_another_student() {
    let server = start(limits(), Policy::default(), Some(CODE)).await;
    let mut eve = Student::join(server.addr, "eve", 60_000, 60_000).await;
    let mut ana = Student::join(server.addr, "ana", 80, 24).await;
    assert!(ana.wait_for("Sections").await);
    let noise: Vec<u8> =
        (0..20_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    for chunk in noise.chunks(997) {
        eve.send(chunk).await;
    }
    let _ = eve.read_until(tokio::time::Instant::now() + Duration::from_millis(300)).await;
    ana.send(b"\x1b[B").await;
    assert!(ana.wait_for("▸   2").await, "ana is unaffected:\n{}", ana.text());
    let largest = server.shared.stats.largest_frame.load(Ordering::SeqCst);
    let limits = Limits::default();
    let cells = usize::from(limits.max_cols) * usize::from(limits.max_rows);
    assert!(largest < cells * 64, "a frame is bounded by the capped viewport: {largest} bytes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_window_holding_a_key_down_is_redrawn_a_few_times_a_second_and_others_are_not_held_up()
 {
    let server = start(limits(), Policy::default(), Some(CODE)).await;
    let mut eve = Student::join(server.addr, "eve", 400, 150).await;
    let mut ana = Student::join(server.addr, "ana", 80, 24).await;
    assert!(eve.wait_for("Stem Cell Therapy").await && ana.wait_for("Stem Cell Therapy").await);
    eve.send(b"\r").await;
    assert!(eve.wait_for("1/6").await, "eve reads:\n{}", eve.text());
    let frames = || server.shared.stats.frames.load(Ordering::SeqCst);
    let before = frames();
    // Eve holds Down and Up for about a second: 100 presses, each its own message.
    let started = std::time::Instant::now();
    for i in 0..100 {
        eve.send(if i % 2 == 0 { b"\x1b[B" } else { b"\x1b[A" }).await;
        let deadline = tokio::time::Instant::now() + Duration::from_millis(10);
        while eve.read_until(deadline).await && !eve.closed {}
    }
    let seconds = started.elapsed().as_secs_f64();
    let drawn = frames() - before;
    // Her window is drawn as 400x50 (20,000 cells); 120,000 cells a second gives 6 frames a
    // second after a first second's worth saved up (6 more), and one for the last key.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let most = (6.0 * seconds).ceil() as usize + 7;
    assert!(drawn <= most, "{drawn} frames for 100 keys in {seconds:.2} s (at most {most})");
    assert!(!eve.closed, "eve is slowed down, not cut off");
    // Ana, at 80x24, is answered at once.
    ana.send(b"\x1b[B").await;
    assert!(ana.wait_for("▸   2").await, "ana is unaffected:\n{}", ana.text());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_reads_is_dropped_without_a_growing_queue() {
    let (server, class) = start_class(limits()).await;
    // Joins with a small window, then never reads its channel: russh's client stops reading
    // the socket once its one-message queue is full, as a stuck terminal would. The first
    // frame of a big window is already more than it takes.
    let config = client::Config { window_size: 4096, channel_buffer_size: 1, ..Default::default() };
    let slow = Student::join_with(server.addr, config, "slow", 400, 150).await;
    let mut ana = Student::join(server.addr, "ana", 80, 24).await;
    assert!(ana.wait_for("Sections").await);
    // The teacher pages through the course with follow on: every page is a new screen for
    // every student.
    let teacher = class.sender();
    teacher.send(ToClass::Teacher(TeacherAction::Follow(true))).await.unwrap();
    for i in 0..60 {
        let place = Place { section: i % 6, block: None };
        teacher.send(ToClass::Teacher(TeacherAction::At(place))).await.unwrap();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while server.shared.stats.dropped_slow.load(Ordering::SeqCst) == 0
        && tokio::time::Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(server.shared.stats.dropped_slow.load(Ordering::SeqCst), 1, "the stuck client went");
    let largest = server.shared.stats.largest_frame.load(Ordering::SeqCst);
    assert!(largest < 1 << 20, "at most a frame or two waits for it: {largest} bytes");
    // Everyone else carries on: ana follows the teacher to the last page shown.
    assert!(ana.wait_for("6/6").await, "{}", ana.text());
    drop(slow);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_that_never_finishes_the_handshake_is_cut() {
    let limits = Limits { handshake: Duration::from_millis(500), ..limits() };
    let server = start(limits, Policy::default(), Some(CODE)).await;
    let mut socket = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    // Says nothing. The server's banner arrives, then the connection ends.
    let mut buf = vec![0u8; 4096];
    let ended = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the server closed the silent connection");
    assert_eq!(server.shared.stats.handshake_timeouts.load(Ordering::SeqCst), 1);
    // And it still serves others.
    let mut ana = Student::join(server.addr, "ana", 80, 24).await;
    assert!(ana.wait_for("Sections").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn colours_are_256_and_a_colourless_term_gets_none() {
    let server = start(limits(), Policy::default(), Some(CODE)).await;
    let config = client::Config::default;
    let mut ana = Student::join_as(server.addr, config(), "ana", "xterm-256color", (80, 24)).await;
    let mut vt = Student::join_as(server.addr, config(), "vt", "vt100", (80, 24)).await;
    assert!(ana.wait_for("Sections").await && vt.wait_for("Sections").await);
    // The light theme is drawn in RGB colours: they must arrive as the nearest of 256.
    ana.send(b"T").await;
    let before = ana.raw.len();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while ana.raw.len() == before && tokio::time::Instant::now() < deadline {
        let _ = ana.read_until(tokio::time::Instant::now() + Duration::from_millis(200)).await;
    }
    assert!(ana.raw.len() > before, "the new theme was drawn");
    let colours = String::from_utf8_lossy(&ana.raw).into_owned();
    assert!(colours.contains("38;5;"), "indexed colours for xterm-256color");
    assert!(!colours.contains("38;2;") && !colours.contains("48;2;"), "no true colour over SSH");
    let mono = String::from_utf8_lossy(&vt.raw).into_owned();
    assert!(!mono.contains("38;5;") && !mono.contains("48;5;"), "no colour for vt100");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_student_who_drops_mid_session_leaves_the_others_and_the_class_whole() {
    let (server, class) = start_class(limits()).await;
    let mut ana = Student::join(server.addr, "ana", 80, 24).await;
    let gone = Student::join(server.addr, "gone", 80, 24).await;
    assert!(ana.wait_for("Sections").await);
    // The connection vanishes without a goodbye (the laptop lid closes).
    drop(gone);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while server.shared.stats.sessions.load(Ordering::SeqCst) != 1
        && tokio::time::Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(server.shared.stats.sessions.load(Ordering::SeqCst), 1, "its session ended");
    ana.send(b"\x1b[B").await;
    assert!(ana.wait_for("▸   2").await, "{}", ana.text());
    // The class hears of it (its view is published after it has handled the leaving).
    let mut view = class.view();
    let connected = |view: &stemcell::class::protocol::ClassView| -> Vec<String> {
        view.roster.iter().filter(|s| s.connected).map(|s| s.name.clone()).collect()
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while connected(&view.borrow_and_update()) != ["ana"] {
        if tokio::time::timeout_at(deadline, view.changed()).await.is_err() {
            break;
        }
    }
    let connected = connected(&view.borrow());
    assert_eq!(connected, ["ana"], "the roster shows who is still here");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_with_escapes_reaches_the_roster_cleaned() {
    let (server, class) = start_class(limits()).await;
    let mut eve = Student::join(server.addr, "eve\x1b]0;pwned\x07\u{202e}", 80, 24).await;
    assert!(eve.wait_for("Sections").await);
    let mut view = class.view();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while view.borrow_and_update().roster.is_empty() {
        if tokio::time::timeout_at(deadline, view.changed()).await.is_err() {
            break;
        }
    }
    let names: Vec<_> = view.borrow().roster.iter().map(|s| s.name.clone()).collect();
    assert_eq!(names, ["eve]0;pwned"], "no escape, bell or bidi control reaches the console");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_class_and_a_fast_address_are_refused_in_words() {
    let server = start(Limits { max_students: 1, ..limits() }, Policy::default(), Some(CODE)).await;
    let mut ana = Student::join(server.addr, "ana", 80, 24).await;
    assert!(ana.wait_for("Sections").await);
    let words = refusal_words(server.addr, "ben", CODE).await;
    assert!(words.contains("The class is full"), "{words}");
    assert_eq!(server.shared.stats.refused_by.full.load(Ordering::SeqCst), 1);
    drop(ana);

    let limits = Limits { connections_per_minute: 2, ..limits() };
    let server = start(limits, Policy::default(), Some(CODE)).await;
    let first = connect(server.addr).await;
    let second = connect(server.addr).await;
    assert!(first.is_ok() && second.is_ok());
    let words = refusal_words(server.addr, "ana", CODE).await;
    assert!(words.contains("slow down"), "a third connection within the minute: {words}");
    assert_eq!(server.shared.stats.refused_by.rate.load(Ordering::SeqCst), 1);
    assert_eq!(server.shared.stats.refused.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_connections_take_no_seat_and_are_cut_before_the_handshake_deadline() {
    let limits = Limits { max_students: 2, first_word: Duration::from_millis(400), ..limits() };
    let server = start(limits, Policy::default(), Some(CODE)).await;
    // Ten connections that never speak: before, each took a seat for the whole handshake.
    let mut silent = Vec::new();
    for _ in 0..10 {
        silent.push(tokio::net::TcpStream::connect(server.addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut ana = Student::join(server.addr, "ana", 80, 24).await;
    let mut ben = Student::join(server.addr, "ben", 80, 24).await;
    assert!(ana.wait_for("Sections").await && ben.wait_for("Sections").await, "both seated");
    // The silent ones are cut long before the 5 s handshake deadline.
    let started = tokio::time::Instant::now();
    for socket in &mut silent {
        let mut buf = [0u8; 256];
        let closed = tokio::time::timeout(Duration::from_secs(3), async {
            loop {
                match socket.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {}
                }
            }
        })
        .await;
        assert!(closed.is_ok(), "a silent connection is cut");
    }
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(server.shared.stats.handshake_timeouts.load(Ordering::SeqCst), 10);
    // A socket is closed just before its task lets its joining place go: a bounded moment.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
    while server.shared.joining() != 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(server.shared.joining(), 0, "no joining place is left held");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn joining_connections_are_capped_per_address_and_counted_as_busy() {
    let limits = Limits { pending_per_address: 3, ..limits() };
    let server = start(limits, Policy::default(), Some(CODE)).await;
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(connect(server.addr).await.expect("joining, code not given yet"));
    }
    assert!(connect(server.addr).await.is_err(), "a fourth joining connection is closed");
    assert_eq!(server.shared.stats.refused_by.busy.load(Ordering::SeqCst), 1);
    // One gives the code: it is seated, and its joining place is free for another.
    assert!(held[0].authenticate_password("ana", CODE).await.unwrap().success());
    let mut ben = Student::join(server.addr, "ben", 80, 24).await;
    assert!(ben.wait_for("Sections").await);
}
