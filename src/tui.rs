//! The event loop: the only code that touches the terminal. It takes the terminal after the
//! course has loaded, blocks on input (no polling, so an idle reader uses no CPU), turns
//! events into messages, and carries out the effects `update` asks for.

use std::io::{self, BufWriter, Stdout, Write};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

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

mod hyperlink;

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
    /// SIGTSTP from outside (`kill -TSTP`): stop as Ctrl-Z does, giving the terminal back.
    Stop,
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
/// permissions): wait this long for quiet before reloading once. Keys and signals are handled
/// meanwhile.
const SETTLE: Duration = Duration::from_millis(120);

/// A pack that never stops changing (a build writing in a loop) is reloaded at least this
/// often anyway.
const SETTLE_AT_MOST: Duration = Duration::from_secs(1);

/// On the way out (quit or a signal), how long to wait for another process's save before
/// leaving without this session's last changes.
const EXIT_SAVE_WAIT: Duration = Duration::from_secs(3);

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
    let mut restore = Restore::default();
    let mut terminal = take_terminal()?;

    let (tx, rx) = mpsc::channel();
    // The signals are caught from here on; the threads that pass them and the keys on start
    // after the first frame, which they would only delay (keys pressed meanwhile wait in the
    // terminal, signals in `signals`).
    let mut wakers = Some(Signals::new([SIGTERM, SIGHUP, SIGINT, SIGCONT, SIGTSTP])?);
    // Kept alive for the whole session: dropping the watcher stops it.
    let mut watcher = match watch {
        Some(PackSource::Dir(dir)) => Some(Watch::start(dir, tx.clone())?),
        _ => None,
    };
    // A reload waits for the pack to settle, and a save for another window's lock, without
    // holding up keys and signals: each is a deadline the wait below wakes for.
    let mut reload_at: Option<Instant> = None;
    let mut changed_first: Option<Instant> = None;

    if let Some(link) = link.as_deref_mut() {
        let tx = tx.clone();
        link.start(Box::new(move || {
            let _ = tx.send(Wake::Linked);
        }));
    }
    let size = terminal.size()?;
    session.update(Msg::Resize { width: size.width, height: size.height });
    // Sources' web addresses become links where the terminal is known to show them.
    let links = hyperlink::supported(
        |name| std::env::var(name).ok(),
        supports_hyperlinks::supports_hyperlinks,
    );
    let mut addresses = if links { hyperlink::addresses(&session.app.course) } else { Vec::new() };
    loop {
        if let Some(link) = link.as_deref_mut() {
            link.sync(&mut session.app);
        }
        terminal.draw(|frame| {
            ui::draw(frame, &session.app);
            let area = frame.area();
            hyperlink::linkify(frame.buffer_mut(), area, &addresses);
        })?;
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
            let tick_at = session.until_tick().map(|wait| Instant::now() + wait);
            let deadline =
                [tick_at, reload_at, session.retry_save_at()].into_iter().flatten().min();
            let Ok(wake) = wait(&rx, deadline) else { return Ok(Ended::Quit) };
            let now = Instant::now();
            match wake {
                // A deadline passed: reload, retry the save, or tick (whichever are due).
                None => {
                    if reload_at.is_some_and(|at| at <= now) {
                        (reload_at, changed_first) = (None, None);
                        if reload(&mut session, watch, watcher.as_mut()) && links {
                            addresses = hyperlink::addresses(&session.app.course);
                        }
                    }
                    if session.retry_save_at().is_some_and(|at| at <= now) {
                        session.save();
                    }
                    break session.tick();
                }
                Some(Wake::Input(event)) => {
                    if let Some(msg) = session.message_for(&event) {
                        break msg;
                    }
                }
                Some(Wake::Linked) => break session.tick(),
                Some(Wake::Signal(signal)) => {
                    restore.farewell = save_before_leaving(&mut session, &rx);
                    return Ok(Ended::Signal(signal));
                }
                Some(Wake::InputFailed(e)) => return Err(e),
                Some(Wake::Continued) => {
                    // Whoever had the terminal meanwhile may have changed its modes.
                    resume_terminal(&mut terminal)?;
                    break Msg::Resize {
                        width: terminal.size()?.width,
                        height: terminal.size()?.height,
                    };
                }
                Some(Wake::Stop) => break Msg::Suspend,
                // Each change pushes the reload back until the pack has been quiet a while.
                Some(Wake::PackChanged) => {
                    let first = *changed_first.get_or_insert(now);
                    reload_at = Some((now + SETTLE).min(first + SETTLE_AT_MOST));
                }
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
            Outcome::Quit => {
                restore.farewell = save_before_leaving(&mut session, &rx);
                return Ok(Ended::Quit);
            }
        }
    }
}

/// Reloads the watched pack into the app, the watch re-armed first (the folder may have been
/// deleted and made again). Whether there was a pack to reload.
fn reload(session: &mut Session, watch: Option<&PackSource>, watcher: Option<&mut Watch>) -> bool {
    let (Some(source), Some(watcher)) = (watch, watcher) else { return false };
    watcher.rearm();
    session.app.reload(crate::content::load_to_show(source).map(|loaded| loaded.course));
    true
}

/// The next wake, or `None` once `deadline` has passed; an error when every sender has gone.
fn wait(rx: &mpsc::Receiver<Wake>, deadline: Option<Instant>) -> Result<Option<Wake>, ()> {
    match deadline {
        Some(deadline) => match rx.recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            Err(mpsc::RecvTimeoutError::Timeout) => Ok(None),
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(()),
            Ok(wake) => Ok(Some(wake)),
        },
        None => rx.recv().map(Some).map_err(|_| ()),
    }
}

/// Starts the threads that wake the loop: one for signals, one for terminal input. Each sends
/// into the channel and stops when the loop has gone.
fn spawn_wakers(tx: &mpsc::Sender<Wake>, mut signals: Signals) {
    let signal_tx = tx.clone();
    thread::spawn(move || {
        for signal in signals.forever() {
            let wake = match signal {
                SIGCONT => Wake::Continued,
                SIGTSTP => Wake::Stop,
                _ => Wake::Signal(signal),
            };
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

/// The pack folder being watched: the folder itself, recursively (not single files: editors
/// that save by writing a new file and renaming it replace the file being watched), and its
/// parent, not recursively, so that a folder deleted and made again is seen.
struct Watch {
    watcher: notify::RecommendedWatcher,
    dir: std::path::PathBuf,
}

impl Watch {
    fn start(dir: &std::path::Path, tx: mpsc::Sender<Wake>) -> io::Result<Self> {
        use notify::Watcher as _;
        // Absolute, so that it has a parent and event paths can be compared with it.
        let dir = std::fs::canonicalize(dir)?;
        let inside = dir.clone();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                // The parent's other entries are none of our business.
                let changed = event.is_ok_and(|e| {
                    !matches!(e.kind, notify::EventKind::Access(_))
                        && e.paths.iter().any(|p| p.starts_with(&inside))
                });
                if changed {
                    let _ = tx.send(Wake::PackChanged);
                }
            })
            .map_err(io::Error::other)?;
        watcher.watch(&dir, notify::RecursiveMode::Recursive).map_err(io::Error::other)?;
        if let Some(parent) = dir.parent() {
            watcher.watch(parent, notify::RecursiveMode::NonRecursive).map_err(io::Error::other)?;
        }
        Ok(Self { watcher, dir })
    }

    /// Watches the folder afresh before each reload: if it was deleted and made again, the
    /// old watch went with it. (A folder that is not there now is found again through the
    /// parent's watch when it comes back.)
    fn rearm(&mut self) {
        use notify::Watcher as _;
        let _ = self.watcher.unwatch(&self.dir);
        let _ = self.watcher.watch(&self.dir, notify::RecursiveMode::Recursive);
    }
}

/// Ctrl-Z, or SIGTSTP from outside: gives the terminal back and stops the process, as the
/// shell expects. SIGTSTP is caught (to give the terminal back first), so the stop itself is
/// SIGSTOP, and only when a shell's job control can continue us: a process whose group leads
/// its session (started straight from a terminal, tmux or a pseudo-terminal) would stay stopped
/// for good, which is why the kernel drops SIGTSTP for it; we go on at once instead.
fn suspend(terminal: &mut Screen) -> io::Result<()> {
    let _ = execute!(io::stdout(), DisableMouseCapture);
    ratatui::restore();
    terminal.show_cursor()?;
    io::stdout().flush()?;
    let group = rustix::process::getpgrp();
    let job_control = rustix::process::getsid(None).is_ok_and(|session| session != group);
    if job_control {
        signal_hook::low_level::emulate_default_handler(SIGTSTP)?;
    }
    Ok(())
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

/// The last save, on the way out: waits up to [`EXIT_SAVE_WAIT`] for another process's lock,
/// trying between wakes of the loop's channel (a second signal, or a key, ends the wait at
/// once). Returns what to tell the learner if the record could not be saved.
fn save_before_leaving(session: &mut Session, rx: &mpsc::Receiver<Wake>) -> Option<String> {
    let deadline = Instant::now() + EXIT_SAVE_WAIT;
    loop {
        match session.try_save()? {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock && Instant::now() < deadline => {
                match rx.recv_timeout(crate::session::SAVE_RETRY.min(deadline - Instant::now())) {
                    Ok(Wake::Signal(_) | Wake::Input(Event::Key(_))) => {}
                    _ => continue,
                }
            }
            Err(e) if e.kind() != io::ErrorKind::WouldBlock => {
                return Some(format!("stemcell: your progress could not be saved: {e}"));
            }
            Err(_) => {}
            Ok(_) => return None,
        }
        return Some(format!(
            "stemcell: another stemcell was saving {} and did not finish; this session's last answers were not saved",
            session.store_path()?.display()
        ));
    }
}

/// Gives the terminal back: mouse reporting off, main screen, cooked mode; then says what
/// the learner must know once the screen is theirs again.
#[derive(Default)]
struct Restore {
    farewell: Option<String>,
}

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = execute!(io::stdout(), DisableMouseCapture);
        ratatui::restore();
        let _ = io::stdout().flush();
        if let Some(farewell) = &self.farewell {
            eprintln!("{farewell}");
        }
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
        // A student's session over SSH panicked: only that connection ends (serve/runner.rs);
        // this terminal is the teacher's console and stays as it is.
        if crate::serve::runner::in_student_session() {
            return;
        }
        let _ = execute!(io::stdout(), DisableMouseCapture);
        ratatui::restore();
        previous(info);
    }));
}
