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
use std::time::Duration;

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

use crate::class::protocol::{Refused, STUDENT_QUEUE, StudentId, ToClass, ToStudent};

use super::backend::ChannelBackend;
use super::cut::Cut;
use super::input::{ESC_WAIT, Parser};
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
/// memory on the server twice (ratatui keeps two buffers).
pub fn viewport(cols: u32, rows: u32, limits: &Limits) -> Size {
    let clamp = |n: u32, max: u16| u16::try_from(n).unwrap_or(u16::MAX).clamp(1, max);
    Size::new(clamp(cols, limits.max_cols), clamp(rows, limits.max_rows))
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

    fn take(&self) -> (Vec<u8>, Option<u32>) {
        let mut state = self.lock();
        (std::mem::take(&mut state.bytes), state.closing)
    }
}

/// The `io::Write` ratatui draws into: a buffer handed to the slot on each flush. It never
/// fails, so a `Terminal` dropped after the client has gone has nothing to complain about
/// (ratatui prints to stderr, the teacher's console, when restoring the cursor fails).
struct Sink {
    buf: Vec<u8>,
    slot: Arc<Slot>,
    shared: Arc<Shared>,
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
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
}

/// The student's place in the class, when there is one.
struct Member {
    id: StudentId,
    to_class: mpsc::Sender<ToClass>,
    events: mpsc::Receiver<ToStudent>,
}

/// Joins the class under `name`; on a refusal, the message to show.
async fn join(shared: &Shared, name: &str, app: &mut App) -> Result<Option<Member>, String> {
    let Some(class) = &shared.class else { return Ok(None) };
    let (events_tx, events) = mpsc::channel(STUDENT_QUEUE);
    match tokio::time::timeout(JOIN_WAIT, class.join(name.to_owned(), events_tx)).await {
        Ok(Some(Ok(joined))) => {
            let id = joined.id;
            app.join_class(joined);
            Ok(Some(Member { id, to_class: class.sender(), events }))
        }
        Ok(Some(Err(refused))) => Err(refused.message(name)),
        Ok(None) => Err(Refused::Ended.message(name)),
        Err(_) => Err("The class is busy: try again in a moment.".to_owned()),
    }
}

/// How long a join may wait for the class task.
const JOIN_WAIT: Duration = Duration::from_secs(10);

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
    let Start { shared, name, pty, mut input, outlet, cut } = start;
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
    let mut member = match join(&shared, &name, &mut app).await {
        Ok(member) => member,
        Err(message) => {
            slot.push(format!("{message}\r\n").as_bytes());
            slot.close(1);
            let _ = (&mut writer.0).await;
            return;
        }
    };
    let mut session = Session::new(app, None);
    let mut parser = Parser::new();
    let Ok(mut screen) = take_screen(&slot, &shared, size) else {
        slot.close(1);
        return;
    };
    session.update(crate::app::Msg::Resize { width: size.width, height: size.height });

    let mut dirty = true;
    loop {
        if dirty {
            draw(&mut screen, &slot, &session.app, colours);
            dirty = false;
        }
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
                let _ = member.to_class.send(ToClass::Student { id: member.id, action }).await;
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
        let _ = member.to_class.send(ToClass::Left { id: member.id }).await;
    }
    slot.close(0);
    let _ = (&mut writer.0).await;
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
    let mut sink = Sink { buf: Vec::new(), slot: Arc::clone(slot), shared: Arc::clone(shared) };
    queue!(
        sink,
        terminal::EnterAlternateScreen,
        cursor::Hide,
        event::EnableMouseCapture,
        event::EnableBracketedPaste
    )?;
    // Not flushed: these go out with the first frame, which is never skipped.
    let viewport = Viewport::Fixed(Rect::new(0, 0, size.width, size.height));
    Terminal::with_options(ChannelBackend::new(sink, size), TerminalOptions { viewport })
}

/// Gives the student's terminal back as it was: their shell prompt appears normally after
/// `ssh` exits. Written after the terminal's last frame (a frame's bytes are all handed over
/// when it is drawn), through a sink of its own.
fn give_back(slot: &Arc<Slot>, shared: &Arc<Shared>) {
    let mut sink = Sink { buf: Vec::new(), slot: Arc::clone(slot), shared: Arc::clone(shared) };
    let _ = queue!(
        sink,
        event::DisableBracketedPaste,
        event::DisableMouseCapture,
        cursor::Show,
        terminal::LeaveAlternateScreen
    );
    let _ = sink.flush();
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
    fn a_huge_window_is_capped() {
        let limits = Limits::default();
        let size = viewport(100_000, u32::MAX, &limits);
        assert_eq!((size.width, size.height), (limits.max_cols, limits.max_rows));
        let tiny = viewport(0, 0, &limits);
        assert_eq!((tiny.width, tiny.height), (1, 1));
    }
}
