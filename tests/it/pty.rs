//! The real binary in a pseudo-terminal, read through a terminal emulator (vt100): what a
//! person at a terminal would see.

use std::thread;
use std::time::{Duration, Instant};

use portable_pty::CommandBuilder;

use crate::terminal::Terminal;

/// A running `stemcell` and the screen it has drawn so far.
struct Session {
    terminal: Terminal,
    /// A record folder made for this session alone, removed with it.
    owned_state: Option<std::path::PathBuf>,
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.terminal.child.kill();
        if let Some(state) = &self.owned_state {
            let _ = std::fs::remove_dir_all(state);
        }
    }
}

impl std::ops::Deref for Session {
    type Target = Terminal;
    fn deref(&self) -> &Terminal {
        &self.terminal
    }
}

impl std::ops::DerefMut for Session {
    fn deref_mut(&mut self) -> &mut Terminal {
        &mut self.terminal
    }
}

impl Session {
    /// Starts with a fresh, empty learner record of its own.
    fn start(args: &[&str], cols: u16, rows: u16) -> Self {
        static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let state = crate::support::state_dir(&format!("pty-{n}"));
        let _ = std::fs::remove_dir_all(&state);
        let mut session = Self::start_in(args, cols, rows, &state);
        session.owned_state = Some(state);
        session
    }

    /// Starts with learner records kept in `state` (never the tester's own).
    fn start_in(args: &[&str], cols: u16, rows: u16, state: &std::path::Path) -> Self {
        Self::start_with(args, cols, rows, state, &[])
    }

    /// [`Session::start_in`] with more environment variables.
    fn start_with(
        args: &[&str],
        cols: u16,
        rows: u16,
        state: &std::path::Path,
        env: &[(&str, &str)],
    ) -> Self {
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_stemcell"));
        command.args(args);
        command.env("TERM", "xterm-256color");
        command.env_remove("NO_COLOR");
        // Whether links are drawn must not depend on where the tests run (inside tmux, or a
        // terminal that says it shows links): only on what a test sets.
        for name in ["TMUX", "STY", "FORCE_HYPERLINK", "STEMCELL_HYPERLINKS", "VTE_VERSION"] {
            command.env_remove(name);
        }
        command.env("STEMCELL_STATE_DIR", state);
        for (name, value) in env {
            command.env(name, value);
        }
        Self { terminal: Terminal::start(command, cols, rows), owned_state: None }
    }

    fn in_alternate_screen(&self) -> bool {
        self.parser.lock().unwrap().screen().alternate_screen()
    }

    /// Whether the terminal is back in its normal (cooked) mode: lines edited and echoed, as
    /// a shell needs after the program is gone.
    fn is_cooked(&self) -> bool {
        use nix::sys::termios::LocalFlags;
        let termios = self.master.get_termios().expect("the terminal's modes");
        termios.local_flags.contains(LocalFlags::ICANON | LocalFlags::ECHO)
    }

    /// Whether mouse reporting was turned off after it was last turned on.
    fn mouse_reporting_off(&self) -> bool {
        let raw = self.raw.lock().unwrap();
        let last = |needle: &[u8]| raw.windows(needle.len()).rposition(|w| w == needle);
        matches!((last(b"\x1b[?1000h"), last(b"\x1b[?1000l")), (Some(on), Some(off)) if off > on)
    }
}

#[test]
fn starts_reaches_harvesting_and_quits_cleanly() {
    let mut session = Session::start(&[], 80, 24);
    session.wait_for("An Insider’s Look at the Process of Stem Cell Therapy");
    session.wait_for("not medical advice");
    assert!(session.in_alternate_screen());
    session.keys("n");
    session.wait_for("1/6 Understanding");
    session.keys("n");
    session.wait_for("2/6 Harvesting");
    session.wait_for("The first step in stem cell therapy is harvesting.");
    session.keys("q");
    let status = session.wait_exit();
    assert!(status.success(), "{status:?}");
    assert!(!session.in_alternate_screen(), "the alternate screen was left");
}

#[test]
fn opens_at_a_section_and_ctrl_c_quits() {
    let mut session = Session::start(&["read", "--section", "benefits"], 40, 12);
    session.wait_for("5/6 Benefits");
    session.keys("\x03");
    assert!(session.wait_exit().success());
    assert!(!session.in_alternate_screen());
}

#[test]
fn sigterm_sighup_and_sigint_save_the_record_and_restore_the_terminal() {
    for (name, number) in [("TERM", 15), ("HUP", 1), ("INT", 2)] {
        let state = crate::support::state_dir(&format!("signal-{name}"));
        let _ = std::fs::remove_dir_all(&state);
        let mut session = Session::start_in(&[], 80, 24, &state);
        session.wait_for("Sections");
        session.keys("nn");
        session.wait_for("2/6 Harvesting");
        let pid = session.child.process_id().expect("a pid");
        let killed = std::process::Command::new("kill")
            .args([&format!("-{name}"), &pid.to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let status = session.wait_exit();
        assert_eq!(status.exit_code(), 128 + number, "SIG{name}");
        assert!(!session.in_alternate_screen(), "SIG{name} left the alternate screen on");
        assert!(session.is_cooked(), "SIG{name} left the terminal in raw mode");
        assert!(session.mouse_reporting_off(), "SIG{name} left mouse reporting on");

        // What was read before the signal was saved: the next start resumes there.
        resumes_at_harvesting(&state);
        let _ = std::fs::remove_dir_all(&state);
    }
}

#[test]
fn a_panic_restores_the_terminal_and_its_message_can_be_read() {
    let state = crate::support::state_dir("panic");
    let _ = std::fs::remove_dir_all(&state);
    let env = [("STEMCELL_PANIC_FOR_TEST", "1")];
    let mut session = Session::start_with(&[], 80, 24, &state, &env);
    let status = session.wait_exit();
    assert_eq!(status.exit_code(), 101, "a panic exits with 101");
    assert!(!session.in_alternate_screen(), "the panic left the alternate screen on");
    assert!(session.is_cooked(), "the panic left the terminal in raw mode");
    assert!(session.mouse_reporting_off(), "the panic left mouse reporting on");
    session.wait_for("a panic asked for by a test");
    let _ = std::fs::remove_dir_all(&state);
}

#[test]
fn a_quiz_marks_a_wrong_and_a_right_answer() {
    use stemcell::content::{self, load::PackSource};
    use stemcell::course::Answer;
    let course = content::load(&PackSource::BuiltIn).unwrap().course;
    // With a fixed seed the option order is known: find the right position of question 1.
    let question = &course.sections[1].questions[0];
    let Answer::Choice { options, .. } = &question.answer else { panic!("question 1 is a choice") };
    let order = stemcell::quiz::present_in(&course.sections[1], question, 11).order;
    let right = order.iter().position(|&i| options[i].correct).unwrap() + 1;
    let wrong = if right == 1 { 2 } else { 1 };

    let mut session = Session::start(&["quiz", "--section", "harvesting", "--seed", "11"], 80, 24);
    session.wait_for("Quiz · Harvesting · 1/");
    session.keys(&format!("{wrong}\r"));
    session.wait_for("✗ Wrong");
    session.wait_for("Not “");
    session.keys("\r");
    session.wait_for("Quiz · Harvesting · 2/");
    session.keys("q");
    assert!(session.wait_exit().success());

    let mut session = Session::start(&["quiz", "--section", "harvesting", "--seed", "11"], 80, 24);
    session.wait_for("Quiz · Harvesting · 1/");
    session.keys(&format!("{right}\r"));
    session.wait_for("✓ Right");
    session.wait_for("1/1 points");
    session.keys("q");
    assert!(session.wait_exit().success());
}

#[test]
fn the_next_start_opens_where_the_learner_left_off() {
    let state = crate::support::state_dir("resume");
    let _ = std::fs::remove_dir_all(&state);
    let mut session = Session::start_in(&[], 80, 24, &state);
    session.wait_for("Sections");
    session.keys("nn");
    session.wait_for("2/6 Harvesting");
    session.keys("q");
    assert!(session.wait_exit().success());
    resumes_at_harvesting(&state);
    let _ = std::fs::remove_dir_all(&state);
}

/// A start with the records in `state` opens at Harvesting with the welcome back, and quits.
fn resumes_at_harvesting(state: &std::path::Path) {
    let mut again = Session::start_in(&[], 80, 24, state);
    again.wait_for("2/6 Harvesting");
    again.wait_for("Welcome back");
    again.keys("q");
    assert!(again.wait_exit().success());
}

#[test]
fn a_presentation_pages_with_clicker_keys_and_blanks() {
    let mut session = Session::start(&["present"], 80, 24);
    session.wait_for("Section 1 of 6");
    // PageDown, as a presentation clicker sends it.
    session.keys("\x1b[6~");
    session.wait_for("Stem cell therapy is a groundbreaking");
    session.keys("b");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !session.screen().trim().is_empty() {
        assert!(Instant::now() < deadline, "never blanked:\n{}", session.screen());
        thread::sleep(Duration::from_millis(20));
    }
    session.keys("b");
    session.wait_for("Stem cell therapy is a groundbreaking");
    session.keys("q");
    assert!(session.wait_exit().success());
    assert!(!session.in_alternate_screen());
}

#[test]
fn searching_for_liposuction_lands_in_harvesting_with_the_hit_shown() {
    let mut session = Session::start(&[], 80, 24);
    session.wait_for("Sections");
    session.keys("/liposuction");
    session.wait_for("matches");
    session.keys("\r");
    session.wait_for("2/6 Harvesting");
    session.wait_for("liposuction procedure");
    session.keys("q");
    assert!(session.wait_exit().success());
}

#[test]
fn watch_reloads_an_edited_pack_and_shows_errors_until_fixed() {
    let dir = crate::support::state_dir("watch-pack");
    let _ = std::fs::remove_dir_all(&dir);
    let made = std::process::Command::new(env!("CARGO_BIN_EXE_stemcell"))
        .arg("new")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(made.status.success());
    let section = dir.join("content/sections/basics.toml");
    let original = std::fs::read_to_string(&section).unwrap();
    let mut session = Session::start(
        &["--pack", dir.to_str().unwrap(), "--watch", "read", "--section", "basics"],
        80,
        24,
    );
    session.wait_for("1/2 Basics");
    session.wait_for("The Basics");
    // Saved the way vim and helix save: a new file renamed over the old one.
    let write = |text: &str| {
        let temporary = section.with_extension("swp");
        std::fs::write(&temporary, text).unwrap();
        std::fs::rename(&temporary, &section).unwrap();
    };
    write(&original.replace("title = \"The Basics\"", "title = \"The Fundamentals\""));
    session.wait_for("The Fundamentals");
    write(&original.replace("title = \"The Basics\"", "titel = \"The Basics\""));
    session.wait_for("Pack errors");
    session.wait_for("unknown field `titel`");
    write(&original);
    session.wait_for("The Basics");
    let deadline = Instant::now() + Duration::from_secs(10);
    while session.screen().contains("Pack errors") {
        assert!(Instant::now() < deadline, "the errors never went away:\n{}", session.screen());
        thread::sleep(Duration::from_millis(20));
    }
    session.keys("q");
    assert!(session.wait_exit().success());
    let _ = std::fs::remove_dir_all(&dir);
}

/// How often the program has entered and left the alternate screen so far.
fn alternate_screen_switches(session: &Session) -> (usize, usize) {
    let raw = session.raw.lock().unwrap();
    let count = |needle: &[u8]| raw.windows(needle.len()).filter(|w| *w == needle).count();
    (count(b"\x1b[?1049h"), count(b"\x1b[?1049l"))
}

#[test]
fn ctrl_z_gives_the_terminal_back_and_takes_it_again_with_a_full_redraw() {
    // A pseudo-terminal's child leads its own session, so the kernel discards the stop
    // itself (an orphaned process group); what can be checked here is that Ctrl-Z leaves the
    // alternate screen and that continuing enters it again and redraws. (In a shell, Ctrl-Z
    // stops the program and `fg` brings it back.)
    let mut session = Session::start(&["read", "--section", "outlook"], 80, 24);
    session.wait_for("6/6 Outlook");
    let (entered, left) = alternate_screen_switches(&session);
    session.keys("\x1a");
    let deadline = Instant::now() + Duration::from_secs(10);
    while alternate_screen_switches(&session) != (entered + 1, left + 1) {
        assert!(
            Instant::now() < deadline,
            "no suspend and resume: {:?}",
            alternate_screen_switches(&session)
        );
        thread::sleep(Duration::from_millis(20));
    }
    session.wait_for("6/6 Outlook");
    assert!(session.in_alternate_screen());
    session.keys("p");
    session.wait_for("5/6 Benefits");
    session.keys("q");
    assert!(session.wait_exit().success());
}

#[test]
fn no_color_means_no_colours_unless_a_theme_is_asked_for() {
    let colours = |args: &[&str]| {
        let state = crate::support::state_dir(&format!("no-color-{}", args.len()));
        let _ = std::fs::remove_dir_all(&state);
        let mut session = Session::start_with(args, 80, 24, &state, &[("NO_COLOR", "1")]);
        session.wait_for("Sections");
        session.keys("q");
        assert!(session.wait_exit().success());
        let _ = std::fs::remove_dir_all(&state);
        let raw = session.raw.lock().unwrap();
        // Any foreground or background colour other than the terminal's own.
        raw.windows(4).any(|w| w == b"\x1b[38" || w == b"\x1b[48")
    };
    assert!(!colours(&[]), "NO_COLOR alone gave colours");
    assert!(colours(&["--theme", "high-contrast"]), "--theme did not win over NO_COLOR");
}

/// A pack made with `stemcell new` in a folder of its own, and its first section's file.
fn new_pack(name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = crate::support::state_dir(name);
    let _ = std::fs::remove_dir_all(&dir);
    let made = std::process::Command::new(env!("CARGO_BIN_EXE_stemcell"))
        .arg("new")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(made.status.success());
    let section = dir.join("content/sections/basics.toml");
    (dir, section)
}

fn watching(dir: &std::path::Path) -> Session {
    let session = Session::start(
        &["--pack", dir.to_str().unwrap(), "--watch", "read", "--section", "basics"],
        80,
        24,
    );
    session.wait_for("1/2 Basics");
    session.wait_for("The Basics");
    session
}

fn kill(session: &Session, signal: &str) {
    let pid = session.child.process_id().expect("a pid");
    let killed =
        std::process::Command::new("kill").args([signal, &pid.to_string()]).status().unwrap();
    assert!(killed.success());
}

/// Keys and signals that arrive while a reload waits for the pack to settle were dropped:
/// `q` right after a save did nothing, and SIGTERM was ignored.
#[test]
fn watch_handles_q_and_sigterm_that_follow_a_change_at_once() {
    for how in ["q", "-TERM"] {
        let (dir, section) = new_pack(&format!("watch-settle{how}"));
        let mut session = watching(&dir);
        let text = std::fs::read_to_string(&section).unwrap();
        std::fs::write(&section, text.replace("The Basics", "The Fundamentals")).unwrap();
        // Inside the settle time: the change has been seen, the reload not yet made.
        thread::sleep(Duration::from_millis(30));
        if how == "q" {
            session.keys("q");
        } else {
            kill(&session, how);
        }
        let status = session.wait_exit();
        assert_eq!(status.exit_code(), if how == "q" { 0 } else { 143 }, "{how}");
        assert!(!session.in_alternate_screen());
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// A pack folder deleted and made again (a `git checkout`, a rebuild) is watched again.
#[test]
fn watch_sees_a_pack_folder_deleted_and_made_again() {
    let (dir, section) = new_pack("watch-recreate");
    let backup = crate::support::state_dir("watch-recreate-backup");
    let _ = std::fs::remove_dir_all(&backup);
    copy_tree(&dir, &backup);
    let session = watching(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    session.wait_for("Pack errors");
    copy_tree(&backup, &dir);
    let deadline = Instant::now() + Duration::from_secs(10);
    while session.screen().contains("Pack errors") {
        assert!(
            Instant::now() < deadline,
            "the folder made again was not seen:\n{}",
            session.screen()
        );
        thread::sleep(Duration::from_millis(20));
    }
    let text = std::fs::read_to_string(&section).unwrap();
    std::fs::write(&section, text.replace("The Basics", "The Fundamentals")).unwrap();
    session.wait_for("The Fundamentals");
    drop(session);
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&backup);
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `kill -TSTP` from outside: the terminal is given back (main screen, mouse reporting off)
/// before the stop, as with Ctrl-Z, and taken again afterwards. (The kernel does not stop a
/// session leader in a pseudo-terminal; see the Ctrl-Z test.)
#[test]
fn sigtstp_from_outside_gives_the_terminal_back_like_ctrl_z() {
    let mut session = Session::start(&["read", "--section", "outlook"], 80, 24);
    session.wait_for("6/6 Outlook");
    let (entered, left) = alternate_screen_switches(&session);
    let mouse_offs = |session: &Session| {
        let raw = session.raw.lock().unwrap();
        raw.windows(8).filter(|w| *w == b"\x1b[?1000l").count()
    };
    let offs = mouse_offs(&session);
    kill(&session, "-TSTP");
    let deadline = Instant::now() + Duration::from_secs(10);
    while alternate_screen_switches(&session) != (entered + 1, left + 1) {
        assert!(
            Instant::now() < deadline,
            "SIGTSTP did not give the terminal back: {:?}",
            alternate_screen_switches(&session)
        );
        thread::sleep(Duration::from_millis(20));
    }
    assert!(mouse_offs(&session) > offs, "mouse reporting was not turned off");
    session.wait_for("6/6 Outlook");
    assert!(session.in_alternate_screen());
    session.keys("p");
    session.wait_for("5/6 Benefits");
    session.keys("q");
    assert!(session.wait_exit().success());
}

/// Another process holds the record's lock (the same `flock` a save takes). The app says
/// so and stays responsive; SIGTERM ends it within a bounded time; the answer is saved if the
/// lock is released while it waits on the way out.
#[test]
fn a_lock_held_elsewhere_never_freezes_the_app_nor_its_signals() {
    for release in [false, true] {
        let state = crate::support::state_dir(&format!("held-lock-{release}"));
        let _ = std::fs::remove_dir_all(&state);
        let folder = state.join("stem-cell-therapy");
        std::fs::create_dir_all(&folder).unwrap();
        let lock = std::fs::File::create(folder.join("default.lock")).unwrap();
        lock.lock().unwrap();
        let mut session = Session::start_in(&["quiz", "--section", "harvesting"], 80, 24, &state);
        session.wait_for("Quiz · Harvesting · 1/");
        session.keys("1\r");
        session.wait_for("Another stemcell is saving");
        // Still answering keys while the lock is held.
        session.keys("?");
        session.wait_for("Keys");
        kill(&session, "-TERM");
        if release {
            thread::sleep(Duration::from_millis(500));
            assert!(session.child.try_wait().unwrap().is_none(), "it waits a little for the lock");
            lock.unlock().unwrap();
        }
        let status = session.wait_exit();
        assert_eq!(status.exit_code(), 143);
        assert!(!session.in_alternate_screen());
        let record = std::fs::read_to_string(folder.join("default.toml")).unwrap_or_default();
        if release {
            assert!(
                record.contains("[[answers]]"),
                "the answer was saved once released:\n{record}"
            );
        } else {
            assert!(!record.contains("[[answers]]"));
            session.wait_for("did not finish");
        }
        drop(lock);
        let _ = std::fs::remove_dir_all(&state);
    }
}

#[test]
fn a_dumb_terminal_reads_line_by_line_instead_of_taking_the_screen() {
    let state = crate::support::state_dir("pty-dumb");
    for term in ["dumb", ""] {
        let mut session = Session::start_with(&[], 80, 24, &state, &[("TERM", term)]);
        session.wait_for("Enter: next section");
        assert_eq!(alternate_screen_switches(&session), (0, 0), "TERM={term:?}");
        session.keys("q\r");
        assert!(session.wait_exit().success(), "TERM={term:?}");
    }
    let _ = std::fs::remove_dir_all(&state);
}

/// A one-section pack whose context note links its source.
fn linked_pack(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("stemcell-pty-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("content/sections")).unwrap();
    std::fs::write(
        dir.join("content/course.toml"),
        "format_version = 1\nid = \"linked\"\ntitle = \"Linked\"\ndescription = \"A pack.\"\ndisclaimer = \"Not advice.\"\nsections = [\"one\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("content/sections/one.toml"),
        "id = \"one\"\ntitle = \"One\"\n\n[[blocks]]\nkind = \"context\"\ntext = \"A fact.\"\nsource = \"NIH Stem Cell Basics\"\nurl = \"https://stemcells.nih.gov/info/basics\"\n",
    )
    .unwrap();
    dir
}

#[test]
fn a_sources_address_is_a_terminal_hyperlink_where_links_are_on_and_text_always() {
    let pack = linked_pack("links");
    let state = crate::support::state_dir("pty-links");
    let open = "\x1b]8;;https://stemcells.nih.gov/info/basics\x1b\\h\x1b]8;;\x1b\\";
    for (setting, linked) in [("1", true), ("0", false)] {
        let args = ["--pack", pack.to_str().unwrap(), "read", "--section", "one"];
        let mut session =
            Session::start_with(&args, 100, 30, &state, &[("STEMCELL_HYPERLINKS", setting)]);
        session.wait_for("<https://stemcells.nih.gov/info/basics>");
        let raw = String::from_utf8_lossy(&session.raw.lock().unwrap()).into_owned();
        assert_eq!(raw.contains(open), linked, "STEMCELL_HYPERLINKS={setting}");
        assert_eq!(raw.contains("\x1b]8;;"), linked);
        session.keys("q");
        assert!(session.wait_exit().success());
    }
    let _ = std::fs::remove_dir_all(&pack);
    let _ = std::fs::remove_dir_all(&state);
}

/// Which terminals show links is the `supports-hyperlinks` crate's list (zed's terminal is on
/// it and was not on ours), except inside tmux, where the outer terminal's variables are still
/// set but links are not passed on.
#[test]
fn terminals_the_crate_knows_get_links_except_inside_tmux() {
    let pack = linked_pack("links-crate");
    let state = crate::support::state_dir("pty-links-crate");
    let open = "\x1b]8;;https://stemcells.nih.gov/info/basics\x1b\\h\x1b]8;;\x1b\\";
    for (env, linked) in [
        (&[("TERM_PROGRAM", "zed")][..], true),
        (&[("FORCE_HYPERLINK", "1")][..], true),
        (&[("TERM_PROGRAM", "zed"), ("TMUX", "/tmp/tmux-1/default,1,0")][..], false),
        (&[][..], false),
    ] {
        let args = ["--pack", pack.to_str().unwrap(), "read", "--section", "one"];
        let mut session = Session::start_with(&args, 100, 30, &state, env);
        session.wait_for("<https://stemcells.nih.gov/info/basics>");
        let raw = String::from_utf8_lossy(&session.raw.lock().unwrap()).into_owned();
        assert_eq!(raw.contains(open), linked, "{env:?}");
        assert_eq!(raw.contains("\x1b]8;;"), linked, "{env:?}");
        session.keys("q");
        assert!(session.wait_exit().success());
    }
    let _ = std::fs::remove_dir_all(&pack);
    let _ = std::fs::remove_dir_all(&state);
}
