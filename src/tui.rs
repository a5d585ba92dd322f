//! The event loop: the only code that touches the terminal. It takes the terminal after the
//! course has loaded, blocks on input (no polling, so an idle reader uses no CPU), turns
//! events into messages, and carries out the effects `update` asks for.

use std::io::{self, BufWriter, Stdout, Write};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use ratatui::{Terminal, backend::CrosstermBackend};
use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGTERM, SIGTSTP};
use signal_hook::iterator::Signals;

use crate::app::{App, Msg};
use crate::content::load::PackSource;
use crate::learner::store::Store;
use crate::session::{Outcome, Session};
use crate::ui;

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The reader quit.
    Quit,
    /// A signal asked us to stop; the process should exit with 128 + this number.
    Signal(i32),
}

/// What wakes the loop: a terminal event, a signal, the input reader failing, or (with
/// `--watch`) a file of the pack changing.
enum Wake {
    Input(Event),
    Signal(i32),
    /// The process was continued after being stopped (`fg` after Ctrl-Z, or SIGCONT).
    Continued,
    InputFailed(io::Error),
    PackChanged,
    /// Something outside changed what the app shows (the live class, on the teacher's console).
    Linked,
}

/// Something outside the terminal that the app is attached to: the live class on the
/// teacher's console. The loop calls `sync` before each frame (to hand over what changed
/// both ways) and redraws whenever the link calls the waker it was given.
pub trait Link {
    /// Called once: `wake` redraws the screen (after a `sync`); it may be called from any thread.
    fn start(&mut self, wake: Box<dyn Fn() + Send + Sync>);
    fn sync(&mut self, app: &mut App);
}

/// The terminal, drawn through a buffer big enough for a whole frame, so that each frame leaves
/// in one write. (ratatui's default goes through stdout's line buffer: a lock per command and
/// a write per KiB.)
type Screen = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

/// After the first change, more usually follow (an editor writes a file, renames it, sets its
/// permissions): wait this long for quiet before reloading once.
const SETTLE: Duration = Duration::from_millis(120);

/// Runs the app full screen until the reader quits or a signal arrives. The terminal is
/// restored on every way out: return, error, panic (our hook), and signals
/// (they become a message, so the loop ends through the same path as `q`).
pub fn run(app: App, store: Option<&Store>, watch: Option<&PackSource>) -> io::Result<Ended> {
    run_linked(app, store, watch, None)
}

/// [`run`], with the app attached to something outside the terminal (see [`Link`]).
pub fn run_linked(
    app: App,
    store: Option<&Store>,
    watch: Option<&PackSource>,
    mut link: Option<&mut dyn Link>,
) -> io::Result<Ended> {
    let mut session = Session::new(app, store).keeping_theme();
    let _restore = Restore;
    let mut terminal = take_terminal()?;

    let (tx, rx) = mpsc::channel();
    // The signals are caught from here on; the threads that pass them and the keys on start
    // after the first frame, which they would only delay (keys pressed meanwhile wait in the
    // terminal, signals in `signals`).
    let mut wakers = Some(Signals::new([SIGTERM, SIGHUP, SIGINT, SIGCONT])?);
    // Kept alive for the whole session: dropping the watcher stops it.
    let _watcher = match watch {
        Some(PackSource::Dir(dir)) => Some(watch_folder(dir, tx.clone())?),
        _ => None,
    };

    if let Some(link) = link.as_deref_mut() {
        let tx = tx.clone();
        link.start(Box::new(move || {
            let _ = tx.send(Wake::Linked);
        }));
    }
    let size = terminal.size()?;
    session.update(Msg::Resize { width: size.width, height: size.height });
    loop {
        if let Some(link) = link.as_deref_mut() {
            link.sync(&mut session.app);
        }
        terminal.draw(|frame| ui::draw(frame, &session.app))?;
        if let Some(signals) = wakers.take() {
            spawn_wakers(&tx, signals);
            // The end-to-end test of the panic hook needs a panic on demand; release builds
            // have no such thing.
            #[cfg(debug_assertions)]
            assert!(
                std::env::var_os("STEMCELL_PANIC_FOR_TEST").is_none(),
                "a panic asked for by a test"
            );
        }
        // Wait for something that changes the screen; events that mean nothing are skipped
        // without a redraw. Only a visible clock or countdown wakes the loop by itself, once a
        // second, on the second.
        let msg = loop {
            let wake = if let Some(until_tick) = session.until_tick() {
                match rx.recv_timeout(until_tick) {
                    Err(mpsc::RecvTimeoutError::Timeout) => break session.tick(),
                    Err(mpsc::RecvTimeoutError::Disconnected) => Err(mpsc::RecvError),
                    Ok(wake) => Ok(wake),
                }
            } else {
                rx.recv()
            };
            match wake {
                Ok(Wake::Input(event)) => {
                    if let Some(msg) = session.message_for(&event) {
                        break msg;
                    }
                }
                Ok(Wake::Signal(signal)) => {
                    session.save();
                    return Ok(Ended::Signal(signal));
                }
                Ok(Wake::InputFailed(e)) => return Err(e),
                Ok(Wake::Continued) => {
                    // Whoever had the terminal meanwhile may have changed its modes.
                    resume_terminal(&mut terminal)?;
                    break Msg::Resize {
                        width: terminal.size()?.width,
                        height: terminal.size()?.height,
                    };
                }
                Ok(Wake::PackChanged) => {
                    while let Ok(Wake::PackChanged) = rx.recv_timeout(SETTLE) {}
                    if let Some(source) = watch {
                        session.app.reload(
                            crate::content::load_to_show(source).map(|loaded| loaded.course),
                        );
                        break session.tick();
                    }
                }
                Ok(Wake::Linked) => break session.tick(),
                Err(mpsc::RecvError) => return Ok(Ended::Quit),
            }
        };
        if let Msg::Resize { .. } = msg {
            // Some terminals leave stale cells behind after a resize; start from a clean slate.
            terminal.autoresize()?;
        }
        match session.update(msg) {
            Outcome::Continue => {}
            Outcome::Suspend => {
                suspend(&mut terminal)?;
                // Execution continues here after `fg`.
                resume_terminal(&mut terminal)?;
            }
            Outcome::Quit => return Ok(Ended::Quit),
        }
    }
}

/// Starts the threads that wake the loop: one for signals, one for terminal input. Each sends
/// into the channel and stops when the loop has gone.
fn spawn_wakers(tx: &mpsc::Sender<Wake>, mut signals: Signals) {
    let signal_tx = tx.clone();
    thread::spawn(move || {
        for signal in signals.forever() {
            let wake = if signal == SIGCONT { Wake::Continued } else { Wake::Signal(signal) };
            if signal_tx.send(wake).is_err() {
                break;
            }
        }
    });
    let tx = tx.clone();
    thread::spawn(move || {
        loop {
            let wake = match event::read() {
                Ok(event) => Wake::Input(event),
                Err(e) => Wake::InputFailed(e),
            };
            let failed = matches!(wake, Wake::InputFailed(_));
            if tx.send(wake).is_err() || failed {
                break;
            }
        }
    });
}

/// Watches the pack folder (not single files: editors that save by writing a new file and
/// renaming it replace the file being watched).
fn watch_folder(
    dir: &std::path::Path,
    tx: mpsc::Sender<Wake>,
) -> io::Result<notify::RecommendedWatcher> {
    use notify::Watcher as _;
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let changed = event.is_ok_and(|e| !matches!(e.kind, notify::EventKind::Access(_)));
        if changed {
            let _ = tx.send(Wake::PackChanged);
        }
    })
    .map_err(io::Error::other)?;
    watcher.watch(dir, notify::RecursiveMode::Recursive).map_err(io::Error::other)?;
    Ok(watcher)
}

/// Ctrl-Z: gives the terminal back and stops the process, as the shell expects.
fn suspend(terminal: &mut Screen) -> io::Result<()> {
    let _ = execute!(io::stdout(), DisableMouseCapture);
    ratatui::restore();
    terminal.show_cursor()?;
    signal_hook::low_level::raise(SIGTSTP)
}

/// Takes the terminal again after a stop, and draws everything afresh. (Not
/// `Terminal::clear`: it asks the terminal where the cursor is, and the input thread would
/// take the answer.)
fn resume_terminal(terminal: &mut Screen) -> io::Result<()> {
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture)?;
    let size = terminal.size()?;
    terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
}

/// Gives the terminal back: mouse reporting off, main screen, cooked mode.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = execute!(io::stdout(), DisableMouseCapture);
        ratatui::restore();
        let _ = io::stdout().flush();
    }
}

/// Takes the terminal: raw mode, the alternate screen, mouse reporting, and a panic hook that
/// gives all three back.
fn take_terminal() -> io::Result<Screen> {
    install_panic_hook();
    // The theme already honours NO_COLOR (it selects mono, which has no colours); crossterm
    // would also drop the colours of a theme chosen over it with `--theme` or `T`.
    ratatui::crossterm::style::force_color_output(true);
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture)?;
    Terminal::new(CrosstermBackend::new(BufWriter::with_capacity(1 << 16, io::stdout())))
}

/// On a panic the terminal is restored before the message is printed, so that the message
/// can be read and the shell used.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // A student's session over SSH panicked: only that connection ends (serve/server.rs);
        // this terminal is the teacher's console and stays as it is.
        if crate::serve::channel::in_student_session() {
            return;
        }
        let _ = execute!(io::stdout(), DisableMouseCapture);
        ratatui::restore();
        previous(info);
    }));
}
