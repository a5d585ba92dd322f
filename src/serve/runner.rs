//! One student's session on any transport: a task that owns their `App` (through a
//! [`Session`], as the local terminal does), turns the bytes they type into events, and draws
//! frames into memory for a second task that hands them to the transport's [`Outlet`] (an SSH
//! channel, a WebSocket). The two meet in a [`Slot`] holding at most one frame: a
//! client that reads slowly gets the latest screen, never a backlog, and one that stops
//! reading for [`Limits::stall`] is dropped. Nothing here can reach the teacher's terminal or
//! another student: a channel writes only to its own slot.

use std::io::{self, Write};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::Event;
use ratatui::crossterm::{cursor, event, queue, terminal};
use ratatui::layout::{Rect, Size};
use ratatui::style::Color;
use ratatui::{Terminal, TerminalOptions, Viewport};
use tokio::sync::{Notify, mpsc};

use crate::app::{App, Settings};
use crate::learner::{Day, Learner};
use crate::session::{Outcome, Session};
use crate::theme_name::ThemeName;
use crate::ui;

use crate::class::protocol::{Claim, Refused, STUDENT_QUEUE, StudentId, ToClass, ToStudent};

use super::backend::ChannelBackend;
use super::cut::Cut;
use super::input::{ESC_WAIT, Parser};
use super::pace::Pace;
use super::rejoin::{self, Stage, Step};
use super::rules::{Limits, Shared};

/// Where a transport takes a student's frames: the one thing the runner needs from it.
/// `send` may wait while the client is slow to read (the runner gives up after
/// [`Limits::stall`]); `close` ends the student's side with an exit status.
pub trait Outlet: Send + 'static {
    fn send(&mut self, bytes: Vec<u8>) -> impl Future<Output = io::Result<()>> + Send;
    fn close(&mut self, status: u32) -> impl Future<Output = ()> + Send;
}

/// What the connection's handler passes to its channel task.
#[derive(Debug)]
pub enum Input {
    /// Bytes the student typed (already limited in rate).
    Bytes(Vec<u8>),
    /// The student's window changed size.
    Resize { cols: u32, rows: u32 },
}

/// The terminal a student asked for (the `pty-req`).
#[derive(Debug, Clone)]
pub struct Pty {
    pub term: String,
    pub cols: u32,
    pub rows: u32,
}

/// The size drawn for a window, capped: a client may claim any size, and every cell costs
/// memory on the server twice (ratatui keeps two buffers) and time on every redraw. Past
/// `max_cells`, rows are given up first (the top of the screen is where everything starts).
pub fn viewport(cols: u32, rows: u32, limits: &Limits) -> Size {
    let clamp = |n: u32, max: u16| u16::try_from(n).unwrap_or(u16::MAX).clamp(1, max);
    let (cols, rows) = (clamp(cols, limits.max_cols), clamp(rows, limits.max_rows));
    let most_rows = limits.max_cells / u32::from(cols);
    let rows = u16::try_from(most_rows).unwrap_or(u16::MAX).clamp(1, rows);
    Size::new(cols, rows)
}

/// What a redraw of this size costs, for the pace.
fn cells(size: Size) -> u32 {
    u32::from(size.width) * u32::from(size.height)
}

/// How many colours a TERM can show. SSH forwards only TERM, so true colour cannot be known:
/// 256 is the safe default, a TERM that says it has none gets the mono theme, and one that
/// says it has 24-bit colour (`*-direct`, as a browser's xterm.js is) gets the theme as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colours {
    None,
    Indexed,
    True,
}

pub fn colours_for(term: &str) -> Colours {
    let term = term.trim().to_ascii_lowercase();
    let mono = term.is_empty()
        || term == "dumb"
        || term.ends_with("-m")
        || term.contains("mono")
        || term.starts_with("vt100")
        || term.starts_with("vt102")
        || term.starts_with("vt220");
    if mono {
        Colours::None
    } else if term.ends_with("-direct") {
        Colours::True
    } else {
        Colours::Indexed
    }
}

/// Where the drawing task leaves bytes for the sending task: at most the latest frame, or a
/// whole redraw when frames were skipped.
#[derive(Debug, Default)]
pub struct Slot {
    state: Mutex<SlotState>,
    ready: Notify,
}

#[derive(Debug, Default)]
struct SlotState {
    /// What must reach the client even when the frame after it is skipped: the terminal
    /// modes a session starts with (the alternate screen, mouse reporting). Sent first.
    lasting: Vec<u8>,
    bytes: Vec<u8>,
    /// The session is over: send what is left, then close the channel with this exit status.
    closing: Option<u32>,
}

impl Slot {
    fn lock(&self) -> std::sync::MutexGuard<'_, SlotState> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether the last frame is still waiting to be sent.
    fn busy(&self) -> bool {
        !self.lock().bytes.is_empty()
    }

    /// Forgets a frame not yet sent (the next one will redraw everything).
    fn discard(&self) {
        self.lock().bytes.clear();
    }

    fn push(&self, bytes: &[u8]) -> usize {
        let mut state = self.lock();
        state.bytes.extend_from_slice(bytes);
        let len = state.bytes.len();
        drop(state);
        self.ready.notify_one();
        len
    }

    fn close(&self, status: u32) {
        self.lock().closing = Some(status);
        self.ready.notify_one();
    }

    /// Bytes that a skipped frame must not take with it (see [`SlotState::lasting`]).
    fn push_lasting(&self, bytes: &[u8]) {
        self.lock().lasting.extend_from_slice(bytes);
        self.ready.notify_one();
    }

    fn take(&self) -> (Vec<u8>, Option<u32>) {
        let mut state = self.lock();
        let mut out = std::mem::take(&mut state.lasting);
        out.append(&mut state.bytes);
        (out, state.closing)
    }
}

/// The `io::Write` ratatui draws into: a buffer handed to the slot on each flush. It never
/// fails, so a `Terminal` dropped after the client has gone has nothing to complain about
/// (ratatui prints to stderr, the teacher's console, when restoring the cursor fails).
struct Sink {
    buf: Vec<u8>,
    /// The terminal modes a session starts with: handed over with the first frame (not
    /// before: a student turned away at once never had their screen taken), and never
    /// skipped with a frame.
    modes: Option<Vec<u8>>,
    slot: Arc<Slot>,
    shared: Arc<Shared>,
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if let Some(modes) = self.modes.take() {
            self.slot.push_lasting(&modes);
        }
        if !self.buf.is_empty() {
            let len = self.slot.push(&self.buf);
            self.shared.stats.largest_frame.fetch_max(len, Ordering::Relaxed);
            self.buf.clear();
        }
        Ok(())
    }
}

type Screen = Terminal<ChannelBackend<Sink>>;

/// Everything a student's session starts with.
pub struct Start<O> {
    pub shared: Arc<Shared>,
    pub name: String,
    pub pty: Pty,
    pub input: mpsc::Receiver<Input>,
    pub outlet: O,
    pub cut: Cut,
    /// What the transport offers for a name already in the class (a browser coming back
    /// with its place's token offers the words kept beside it).
    pub claim: Claim,
    /// Where the transport keeps the student's rejoin words (a browser's place); none: the
    /// student keeps them (shown on their screen).
    pub keep_words: Option<Arc<Mutex<Option<String>>>>,
}

/// The student's place in the class, when there is one.
struct Member {
    id: StudentId,
    session: u32,
    to_class: mpsc::Sender<ToClass>,
    events: mpsc::Receiver<ToStudent>,
}

/// Why a join did not seat the student.
enum NotIn {
    /// The class said no (some refusals can be answered: see [`Refused::NeedsWords`]).
    Refused(Refused),
    Busy,
    /// The teacher did not answer a request to rejoin in [`TEACHER_WAIT`].
    NoAnswer,
}

/// Joins the class under `name`, offering `claim`. Seats the student in `app`, and keeps the
/// rejoin words where the transport keeps them.
async fn join(
    shared: &Shared,
    name: &str,
    claim: Claim,
    app: &mut App,
    keep_words: Option<&Mutex<Option<String>>>,
) -> Result<Option<Member>, NotIn> {
    let Some(class) = &shared.class else { return Ok(None) };
    let (events_tx, events) = mpsc::channel(STUDENT_QUEUE);
    // Asking the teacher waits for them (the student sees that, and may leave).
    let wait = if claim == Claim::AskTeacher { TEACHER_WAIT } else { JOIN_WAIT };
    let offered = match &claim {
        Claim::Words(words) => Some(words.clone()),
        _ => None,
    };
    match tokio::time::timeout(wait, class.join(name.to_owned(), claim, events_tx)).await {
        Ok(Some(Ok(joined))) => {
            let (id, session) = (joined.id, joined.session);
            if let Some(keep) = keep_words {
                let words = joined.words.clone().or(offered);
                *keep.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = words;
            }
            app.join_class(joined);
            Ok(Some(Member { id, session, to_class: class.sender(), events }))
        }
        Ok(Some(Err(refused))) => Err(NotIn::Refused(refused)),
        Ok(None) => Err(NotIn::Refused(Refused::Ended)),
        Err(_) if wait == TEACHER_WAIT => Err(NotIn::NoAnswer),
        Err(_) => Err(NotIn::Busy),
    }
}

/// How long a join may wait for the class task.
const JOIN_WAIT: Duration = Duration::from_secs(10);

/// How long a join may wait for the teacher's say-so.
const TEACHER_WAIT: Duration = Duration::from_secs(10 * 60);

tokio::task_local! {
    /// Set while a student's session runs: a panic there must not touch the server's terminal.
    static STUDENT_SESSION: ();
}

/// Whether the code running now is a student's session (for the panic hook).
pub fn in_student_session() -> bool {
    STUDENT_SESSION.try_with(|()| ()).is_ok()
}

/// Runs a student's session; if their app panics, only their connection is cut.
pub async fn supervise<O: Outlet>(start: Start<O>) {
    let cut = start.cut.clone();
    let session = tokio::spawn(STUDENT_SESSION.scope((), run(start)));
    if session.await.is_err() {
        cut.cut();
    }
}

/// Aborts a task when dropped, also when a panic unwinds past it.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Runs a student's session until they quit, the connection goes, or the server cuts it.
pub async fn run<O: Outlet>(start: Start<O>) {
    let Start { shared, name, pty, mut input, outlet, cut, claim, keep_words } = start;
    let slot = Arc::new(Slot::default());
    let mut writer = AbortOnDrop(tokio::spawn(send_frames(
        Arc::clone(&slot),
        outlet,
        shared.limits.stall,
        cut.clone(),
        Arc::clone(&shared),
    )));
    shared.stats.sessions.fetch_add(1, Ordering::Relaxed);
    let _count = Counted(Arc::clone(&shared));

    let colours = colours_for(&pty.term);
    let size = viewport(pty.cols, pty.rows, &shared.limits);
    let mut app = new_app(&shared, colours, size);
    let mut parser = Parser::new();
    let Ok(mut screen) = take_screen(&slot, &shared, size) else {
        slot.close(1);
        return;
    };
    let mut tty = Tty::new(&mut screen, &slot, &mut input, &mut parser, &shared.limits);
    let entered = enter(&shared, &name, claim, &mut app, keep_words.as_deref(), &mut tty).await;
    let shown = tty.shown;
    let mut member = match entered {
        Ok(member) => member,
        Err(said) => return send_off(screen, shown, &slot, &shared, said, writer).await,
    };
    let mut session = Session::new(app, None);
    session.update(crate::app::Msg::Resize { width: size.width, height: size.height });

    let mut dirty = true;
    let mut pace = Pace::new(shared.limits.pace, Instant::now());
    loop {
        // A frame waits while the student's redraw budget is spent; the keys that come
        // meanwhile are all taken, and the frame drawn then shows them all.
        let frame_wait = if dirty {
            draw_paced(&mut screen, &slot, &session.app, colours, &mut pace, &shared.stats)
        } else {
            None
        };
        dirty = frame_wait.is_some();
        let frame_due = sleep_or_never(frame_wait);
        let esc_wait = sleep_or_never(parser.waiting().then_some(ESC_WAIT));
        let tick = sleep_or_never(session.until_tick());
        let from_class = async {
            match member.as_mut() {
                Some(member) => member.events.recv().await,
                None => std::future::pending().await,
            }
        };
        let mut quit = false;
        let events = tokio::select! {
            received = input.recv() => match received {
                Some(Input::Bytes(bytes)) => parser.feed(&bytes),
                Some(Input::Resize { cols, rows }) => {
                    let size = viewport(cols, rows, &shared.limits);
                    vec![Event::Resize(size.width, size.height)]
                }
                // The channel closed, the connection went, or the server cut it.
                None => break,
            },
            () = frame_due => Vec::new(),
            () = esc_wait => parser.timeout(),
            () = tick => {
                session.update(session.tick());
                dirty = true;
                Vec::new()
            }
            event = from_class => {
                match event {
                    Some(event) => quit = session.class_event(event) == Outcome::Quit,
                    // The class let this student go (kicked, ended, or stuck).
                    None => quit = true,
                }
                dirty = true;
                Vec::new()
            }
        };
        let (changed, quits) = apply(&mut session, &mut screen, events);
        dirty |= changed;
        quit |= quits;
        if let Some(member) = &member {
            for action in session.app.take_class_actions() {
                let (id, session) = (member.id, member.session);
                let _ = member.to_class.send(ToClass::Student { id, session, action }).await;
            }
        }
        if quit || cut.is_cut() {
            break;
        }
    }
    // The terminal goes first: dropping it may still write (ratatui shows the cursor).
    drop(screen);
    give_back(&slot, &shared);
    if let Some(farewell) = session.app.class_farewell() {
        slot.push(format!("{farewell}\r\n").as_bytes());
    }
    if let Some(member) = member {
        let _ =
            member.to_class.send(ToClass::Left { id: member.id, session: member.session }).await;
    }
    slot.close(0);
    let _ = (&mut writer.0).await;
}

/// A student who is not in: their terminal as it was (if the rejoin screen took it), then why.
async fn send_off(
    screen: Screen,
    shown: bool,
    slot: &Arc<Slot>,
    shared: &Arc<Shared>,
    said: Option<String>,
    mut writer: AbortOnDrop,
) {
    drop(screen);
    if shown {
        give_back(slot, shared);
    }
    if let Some(said) = said {
        slot.push(format!("{said}\r\n").as_bytes());
    }
    slot.close(1);
    let _ = (&mut writer.0).await;
}

/// Seats the student in the class, asking for their rejoin words or waiting for the teacher
/// when the class wants that. Err: not in, and why (none: they left, or their connection went).
async fn enter(
    shared: &Shared,
    name: &str,
    mut claim: Claim,
    app: &mut App,
    keep_words: Option<&Mutex<Option<String>>>,
    tty: &mut Tty<'_>,
) -> Result<Option<Member>, Option<String>> {
    loop {
        let joining = join(shared, name, claim.clone(), app, keep_words);
        let result = if claim == Claim::AskTeacher {
            wait_for_teacher(joining, tty, name).await
        } else {
            Some(joining.await)
        };
        return match result {
            Some(Ok(member)) => Ok(member),
            None => Err(None),
            Some(Err(NotIn::Refused(refused @ Refused::NeedsWords { .. }))) => {
                match ask_words(refused.message(name), tty, name).await {
                    Some(next) => {
                        claim = next;
                        continue;
                    }
                    None => Err(None),
                }
            }
            Some(Err(NotIn::Refused(refused))) => Err(Some(refused.message(name))),
            Some(Err(NotIn::Busy)) => Err(Some("The class is busy: try again in a moment.".into())),
            Some(Err(NotIn::NoAnswer)) => Err(Some(
                "The teacher has not answered for 10 minutes: join again to ask again.".into(),
            )),
        };
    }
}

/// The student's terminal before they are in the class: the rejoin screen is drawn and typed
/// on here.
struct Tty<'a> {
    screen: &'a mut Screen,
    slot: &'a Slot,
    input: &'a mut mpsc::Receiver<Input>,
    parser: &'a mut Parser,
    limits: &'a Limits,
    /// The rejoin screen was drawn (so the student's terminal must be given back).
    shown: bool,
}

impl<'a> Tty<'a> {
    fn new(
        screen: &'a mut Screen,
        slot: &'a Slot,
        input: &'a mut mpsc::Receiver<Input>,
        parser: &'a mut Parser,
        limits: &'a Limits,
    ) -> Self {
        Self { screen, slot, input, parser, limits, shown: false }
    }

    fn show(&mut self, stage: &Stage, name: &str) {
        if self.slot.busy() {
            self.slot.discard();
            let _ = self.screen.clear();
        }
        let _ = self.screen.draw(|frame| rejoin::draw(frame, stage, name));
        self.shown = true;
    }

    /// The next keys; a new window size is taken here. None: the connection went.
    async fn keys(&mut self) -> Option<Vec<Event>> {
        let esc_wait = sleep_or_never(self.parser.waiting().then_some(ESC_WAIT));
        tokio::select! {
            received = self.input.recv() => match received? {
                Input::Bytes(bytes) => Some(self.parser.feed(&bytes)),
                Input::Resize { cols, rows } => {
                    let size = viewport(cols, rows, self.limits);
                    self.screen.backend_mut().set_size(size);
                    let _ = self.screen.resize(Rect::new(0, 0, size.width, size.height));
                    Some(Vec::new())
                }
            },
            () = esc_wait => Some(self.parser.timeout()),
        }
    }
}

/// Asks for the rejoin words (`said`: why); the claim to try next, or none: the student left.
async fn ask_words(said: String, tty: &mut Tty<'_>, name: &str) -> Option<Claim> {
    let mut stage = Stage::Typing { said, typed: String::new() };
    loop {
        tty.show(&stage, name);
        for event in tty.keys().await? {
            match rejoin::key(&mut stage, &event) {
                Step::Stay => {}
                Step::Words(words) => return Some(Claim::Words(words)),
                Step::AskTeacher => return Some(Claim::AskTeacher),
                Step::Leave => return None,
            }
        }
    }
}

/// Waits for the teacher's answer to a join, showing that it waits; none: the student left
/// (the join is dropped, which takes the request off the teacher's roster).
async fn wait_for_teacher(
    joining: impl Future<Output = Result<Option<Member>, NotIn>>,
    tty: &mut Tty<'_>,
    name: &str,
) -> Option<Result<Option<Member>, NotIn>> {
    let mut stage = Stage::Waiting;
    tty.show(&stage, name);
    tokio::pin!(joining);
    loop {
        let keys = tokio::select! {
            result = &mut joining => return Some(result),
            keys = tty.keys() => keys?,
        };
        for event in keys {
            if rejoin::key(&mut stage, &event) == Step::Leave {
                return None;
            }
        }
        tty.show(&stage, name);
    }
}

/// Counts a running session for as long as it lives, however it ends.
struct Counted(Arc<Shared>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.stats.sessions.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Sleeps for `wait`, or forever when there is nothing to wait for.
async fn sleep_or_never(wait: Option<Duration>) {
    match wait {
        Some(wait) => tokio::time::sleep(wait).await,
        None => std::future::pending().await,
    }
}

/// Applies the student's events in order: whether the screen changed, and whether they quit.
fn apply(session: &mut Session<'_>, screen: &mut Screen, events: Vec<Event>) -> (bool, bool) {
    let mut dirty = false;
    for event in events {
        if let Event::Resize(width, height) = event {
            // The next frame starts from a clean screen at the new size.
            screen.backend_mut().set_size(Size::new(width, height));
            let _ = screen.resize(Rect::new(0, 0, width, height));
        }
        match session.handle(&event) {
            None => {}
            Some(Outcome::Continue | Outcome::Suspend) => dirty = true,
            Some(Outcome::Quit) => return (true, true),
        }
    }
    (dirty, false)
}

/// A fresh app for a student: the course, their colours, no learner record (the class keeps
/// their answers), a shuffle of their own.
fn new_app(shared: &Shared, colours: Colours, size: Size) -> App {
    let theme = if colours == Colours::None { ThemeName::Mono } else { ThemeName::Dark };
    let settings = Settings { theme, glyphs: crate::page::Glyphs::UNICODE, seed: shared.seed };
    let learner = Learner::fresh(&shared.course.id, Day::today());
    App::new(Arc::clone(&shared.course), settings, learner, size)
}

/// A terminal that draws into the slot, after taking the student's screen: the alternate
/// screen, no cursor, mouse reporting (the same modes the local terminal takes).
fn take_screen(slot: &Arc<Slot>, shared: &Arc<Shared>, size: Size) -> io::Result<Screen> {
    let mut modes = Vec::new();
    queue!(
        modes,
        terminal::EnterAlternateScreen,
        cursor::Hide,
        event::EnableMouseCapture,
        event::EnableBracketedPaste
    )?;
    // Held back until the first frame; a frame skipped later cannot take them with it (a
    // browser that lost them would never report a tap).
    let sink = Sink {
        buf: Vec::new(),
        modes: Some(modes),
        slot: Arc::clone(slot),
        shared: Arc::clone(shared),
    };
    let viewport = Viewport::Fixed(Rect::new(0, 0, size.width, size.height));
    Terminal::with_options(ChannelBackend::new(sink, size), TerminalOptions { viewport })
}

/// Gives the student's terminal back as it was: their shell prompt appears normally after
/// `ssh` exits. Written after the terminal's last frame (a frame's bytes are all handed over
/// when it is drawn), through a sink of its own.
fn give_back(slot: &Arc<Slot>, shared: &Arc<Shared>) {
    let mut sink =
        Sink { buf: Vec::new(), modes: None, slot: Arc::clone(slot), shared: Arc::clone(shared) };
    let _ = queue!(
        sink,
        event::DisableBracketedPaste,
        event::DisableMouseCapture,
        cursor::Show,
        terminal::LeaveAlternateScreen
    );
    let _ = sink.flush();
}

/// Draws the next frame if the student's pace allows it now; if not, how long until it does.
fn draw_paced(
    screen: &mut Screen,
    slot: &Slot,
    app: &App,
    colours: Colours,
    pace: &mut Pace,
    stats: &super::rules::Stats,
) -> Option<Duration> {
    let cost = screen.size().map_or(0, cells);
    let now = Instant::now();
    let wait = pace.wait(cost, now);
    if !wait.is_zero() {
        return Some(wait);
    }
    draw(screen, slot, app, colours);
    pace.spend(cost, now);
    stats.frames.fetch_add(1, Ordering::Relaxed);
    None
}

/// Draws the next frame. When the last one is still waiting to be sent, it is dropped and this
/// one redraws the whole screen: the client gets the latest state in one go.
fn draw(screen: &mut Screen, slot: &Slot, app: &App, colours: Colours) {
    if slot.busy() {
        slot.discard();
        let _ = screen.clear();
    }
    let _ = screen.draw(|frame| {
        ui::draw(frame, app);
        if colours == Colours::Indexed {
            to_indexed(frame.buffer_mut());
        }
    });
}

/// Sends frames as the client takes them (the outlet waits for the client), and closes the
/// session when the session is over. A frame that cannot be sent within `stall` means the
/// client stopped reading: the connection is cut.
async fn send_frames<O: Outlet>(
    slot: Arc<Slot>,
    mut outlet: O,
    stall: Duration,
    cut: Cut,
    shared: Arc<Shared>,
) {
    loop {
        let (bytes, closing) = slot.take();
        if !bytes.is_empty() {
            match tokio::time::timeout(stall, outlet.send(bytes)).await {
                Ok(Ok(())) => {}
                // The channel or connection is gone.
                Ok(Err(_)) => return,
                Err(_) => {
                    shared.stats.dropped_slow.fetch_add(1, Ordering::Relaxed);
                    cut.cut();
                    return;
                }
            }
            continue;
        }
        if let Some(status) = closing {
            if tokio::time::timeout(stall, outlet.close(status)).await.is_err() {
                cut.cut();
            }
            return;
        }
        slot.ready.notified().await;
    }
}

/// Replaces RGB colours by the nearest of the 256 that every SSH client's terminal shows.
pub fn to_indexed(buffer: &mut Buffer) {
    for cell in &mut buffer.content {
        if let Color::Rgb(r, g, b) = cell.fg {
            cell.fg = Color::Indexed(nearest_256(r, g, b));
        }
        if let Color::Rgb(r, g, b) = cell.bg {
            cell.bg = Color::Indexed(nearest_256(r, g, b));
        }
        if let Color::Rgb(r, g, b) = cell.underline_color {
            cell.underline_color = Color::Indexed(nearest_256(r, g, b));
        }
    }
}

/// The xterm palette index closest to an RGB colour: the 6×6×6 cube or the grey ramp.
pub fn nearest_256(r: u8, g: u8, b: u8) -> u8 {
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    let level = |v: u8| -> usize {
        LEVELS.iter().enumerate().min_by_key(|(_, l)| l.abs_diff(v)).map_or(0, |(i, _)| i)
    };
    let square = |x: u8, y: u8| u32::from(x.abs_diff(y)).pow(2);
    let distance = |c: (u8, u8, u8)| square(c.0, r) + square(c.1, g) + square(c.2, b);
    let (ri, gi, bi) = (level(r), level(g), level(b));
    let cube = (LEVELS[ri], LEVELS[gi], LEVELS[bi]);
    let cube_index = 16 + 36 * ri + 6 * gi + bi;
    let mean = (u32::from(r) + u32::from(g) + u32::from(b)) / 3;
    let grey_step = (mean.saturating_sub(3) / 10).min(23);
    let grey = 8 + 10 * grey_step as u8;
    let grey_index = 232 + grey_step as usize;
    let best = if distance((grey, grey, grey)) < distance(cube) { grey_index } else { cube_index };
    best as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rgb_maps_to_the_nearest_of_256() {
        assert_eq!(nearest_256(0, 0, 0), 16);
        assert_eq!(nearest_256(255, 255, 255), 231);
        assert_eq!(nearest_256(255, 0, 0), 196);
        assert_eq!(nearest_256(128, 128, 128), 244, "a grey goes to the grey ramp");
        assert_eq!(nearest_256(95, 135, 175), 16 + 36 + 12 + 3);
    }

    #[test]
    fn colourless_terms_get_mono() {
        for term in ["dumb", "", "vt100", "xterm-mono", "vt220"] {
            assert_eq!(colours_for(term), Colours::None, "{term}");
        }
        for term in ["xterm-256color", "xterm", "screen", "tmux-256color", "linux"] {
            assert_eq!(colours_for(term), Colours::Indexed, "{term}");
        }
        assert_eq!(colours_for("xterm-direct"), Colours::True, "a browser's xterm.js");
    }

    #[tokio::test]
    async fn the_panic_hook_can_tell_a_students_session_from_the_console() {
        assert!(!in_student_session(), "the console's own code");
        let inside = STUDENT_SESSION.scope((), async { in_student_session() }).await;
        assert!(inside, "a student's session");
    }

    #[test]
    fn the_terminal_modes_reach_the_client_even_when_the_first_frame_is_skipped() {
        let course = crate::content::load(&crate::content::load::PackSource::BuiltIn).unwrap();
        let gate = super::super::auth::Gate::new(None, super::super::auth::Policy::default());
        let shared = Arc::new(Shared::new(Arc::new(course.course), gate, Limits::default(), 1));
        let slot = Arc::new(Slot::default());
        let size = Size::new(80, 24);
        let mut screen = take_screen(&slot, &shared, size).unwrap();
        let app = new_app(&shared, Colours::Indexed, size);
        draw(&mut screen, &slot, &app, Colours::Indexed);
        // The sending task has not taken the first frame when the second is drawn (a busy
        // machine): the first frame is skipped, and the modes must not go with it.
        draw(&mut screen, &slot, &app, Colours::Indexed);
        let (bytes, _) = slot.take();
        let sent = String::from_utf8_lossy(&bytes);
        assert!(sent.starts_with("\x1b[?1049h"), "the alternate screen first: {sent:.40?}");
        assert!(sent.contains("\x1b[?1000h") && sent.contains("\x1b[?1006h"), "mouse reports");
        assert!(sent.contains("\x1b[?2004h"), "bracketed paste");
        assert_eq!(sent.matches("\x1b[?1049h").count(), 1, "the modes are sent once");
        assert!(sent.contains("Sections"), "and the latest frame, whole");
    }

    #[test]
    fn a_huge_window_is_capped() {
        let limits = Limits::default();
        let size = viewport(100_000, u32::MAX, &limits);
        assert_eq!(size.width, limits.max_cols);
        assert!(u32::from(size.width) * u32::from(size.height) <= limits.max_cells, "{size:?}");
        let tiny = viewport(0, 0, &limits);
        assert_eq!((tiny.width, tiny.height), (1, 1));
    }

    #[test]
    fn a_redraw_costs_at_most_the_cell_cap_and_small_windows_are_drawn_whole() {
        let limits = Limits::default();
        for (cols, rows) in [(400, 150), (400, 60), (300, 300), (1, 10_000)] {
            let size = viewport(cols, rows, &limits);
            assert!(cells(size) <= limits.max_cells, "{cols}x{rows} drawn as {size:?}");
            assert_eq!(u32::from(size.width), cols.min(u32::from(limits.max_cols)));
        }
        for (cols, rows) in [(80, 24), (40, 12), (200, 60), (250, 80)] {
            let size = viewport(cols, rows, &limits);
            assert_eq!((u32::from(size.width), u32::from(size.height)), (cols, rows));
        }
    }
}
