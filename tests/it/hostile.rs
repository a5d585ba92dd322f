//! The real program against hostile or careless input: packs and records holding terminal
//! controls, named pipes where files should be, outputs that cannot be written, input that is
//! not text, and signals in the middle of a plain quiz. Every run is bounded in time, so a
//! regression that hangs fails instead of stopping the test run.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// Long enough for a slow, shared machine; a hang is forever.
const LIMIT: Duration = Duration::from_secs(30);

fn bin() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_stemcell"));
    command
        .env_remove("NO_COLOR")
        .env("STEMCELL_STATE_DIR", crate::support::state_dir("hostile"))
        .env("STEMCELL_CONFIG_DIR", crate::support::state_dir("hostile-config"));
    command
}

/// Runs `command` with `input` on stdin, and fails the test if it has not ended within
/// [`LIMIT`] (the child is killed first).
fn bounded(mut command: Command, input: &[u8]) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().unwrap();
    // A child that does not read its input must not block the test either.
    let input = input.to_vec();
    let writer = thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let reader = |mut from: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = from.read_to_end(&mut bytes);
            bytes
        })
    };
    let out = reader(Box::new(child.stdout.take().unwrap()));
    let err = reader(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{command:?} did not finish within {LIMIT:?}: it hangs");
        }
        thread::sleep(Duration::from_millis(20));
    };
    let _ = writer.join();
    Output { status, stdout: out.join().unwrap(), stderr: err.join().unwrap() }
}

fn run(args: &[&str]) -> Output {
    let mut command = bin();
    command.args(args);
    bounded(command, b"")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A folder of its own for one test, removed at the end.
struct Folder(PathBuf);

impl Folder {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("stemcell-hostile-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    /// A fresh pack (the one `stemcell new` writes) at `NAME/pack`.
    fn pack(name: &str) -> (Self, PathBuf) {
        let folder = Self::new(name);
        let pack = folder.0.join("pack");
        stemcell::scaffold::create(&pack).unwrap();
        (folder, pack)
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} not in {}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Controls (ESC, BEL, CR, C1 …) and the marks that reorder text. Written out here rather than
/// taken from the program, so that the test does not trust what it tests.
fn acts_on_a_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// What a terminal would obey in `output`, if anything.
fn obeyed(output: &[u8]) -> Option<String> {
    let shown = text(output);
    let found: Vec<String> = shown
        .chars()
        .filter(|&c| c != '\n' && acts_on_a_terminal(c))
        .map(|c| format!("U+{:04X}", u32::from(c)))
        .collect();
    (!found.is_empty()).then(|| format!("{found:?} in:\n{shown}"))
}

const OSC: &str = "\\u001b]0;pwned\\u0007\\u001b]52;c;aGVsbG8=\\u0007\\u202E\\r";
/// [`OSC`] as a report shows it.
const OSC_SHOWN: &str = "\\u{1b}]0;pwned\\u{7}\\u{1b}]52;c;aGVsbG8=\\u{7}\\u{202e}\\u{d}";

/// A pack with errors quoting an id, a key and a file name, each holding a title change
/// (OSC 0), a clipboard write (OSC 52), a direction override and a carriage return.
fn pack_with_hostile_errors(name: &str) -> (Folder, PathBuf) {
    let (folder, pack) = Folder::pack(name);
    let sections = pack.join("content/sections");
    // An unknown key.
    edit(
        &sections.join("going-further.toml"),
        "title = ",
        &format!("\"titl{OSC}\" = \"x\"\ntitle = "),
    );
    // A listed id that is not valid and has no file; and one whose file has a hostile name,
    // which "did you mean" suggests.
    edit(
        &pack.join("content/course.toml"),
        "\"going-further\"]",
        &format!("\"going-further\", \"basic{OSC}\", \"lost\"]"),
    );
    fs::write(sections.join("lost\u{1b}\u{202E}.toml"), "id = \"lost\"\n").unwrap();
    (folder, pack)
}

#[test]
fn reports_on_a_hostile_pack_show_every_control_character_and_obey_none() {
    let (_folder, pack) = pack_with_hostile_errors("report");
    let pack = pack.to_str().unwrap();
    for args in [vec!["validate", pack], vec!["--pack", pack], vec!["--pack", pack, "stats"]] {
        let output = run(&args);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {}", text(&output.stderr));
        for (stream, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
            assert_eq!(obeyed(bytes), None, "{args:?} {stream}");
        }
        let all = text(&output.stdout) + &text(&output.stderr);
        // Each place is still reported, with what it holds shown.
        for expected in [
            format!("`basic{OSC_SHOWN}` is not a valid section id"),
            format!("unknown field `titl{OSC_SHOWN}`"),
            format!("has no file content/sections/basic{OSC_SHOWN}.toml"),
            "did you mean `lost\\u{1b}\\u{202e}`?".to_owned(),
        ] {
            assert!(all.contains(&expected), "{args:?}: `{expected}` missing from:\n{all}");
        }
    }
}

#[test]
fn warnings_on_a_hostile_pack_show_every_control_character_and_obey_none() {
    let (_folder, pack) = Folder::pack("warnings");
    // A file name: a section file the manifest does not list.
    let stray = pack.join("content/sections/stray\u{1b}]0;pwned\u{7}\u{202E}\r.toml");
    fs::write(stray, "id = \"stray\"\n").unwrap();
    // A glossary term nobody uses.
    let glossary = pack.join("content/glossary.toml");
    let terms = fs::read_to_string(&glossary).unwrap();
    let terms =
        terms + &format!("\n[[terms]]\nterm = \"unused{OSC}\"\ndefinition = \"Never used.\"\n");
    fs::write(&glossary, terms).unwrap();
    let output = run(&["validate", pack.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert_eq!(obeyed(&output.stdout), None);
    let shown = text(&output.stdout);
    for expected in [
        "content/sections/stray\\u{1b}]0;pwned\\u{7}\\u{202e}\\u{d}.toml: this section is not listed",
        // The term as the course holds it: the loader has already dropped its carriage return.
        &format!("the term `unused{}` appears nowhere", OSC_SHOWN.trim_end_matches("\\u{d}")),
    ] {
        assert!(shown.contains(expected), "`{expected}` missing from:\n{shown}");
    }
}

#[test]
fn a_quoted_source_line_shows_its_controls_with_the_caret_under_the_spot() {
    let (_folder, pack) = Folder::pack("source-line");
    // A raw ESC and a direction override in a line: TOML refuses the ESC, and the report
    // quotes the line.
    edit(
        &pack.join("content/sections/basics.toml"),
        "title = \"The Basics\"",
        "title = \"The \u{202E}Ba\u{1b}]0;pwned\u{7}sics\"",
    );
    let output = run(&["validate", pack.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(obeyed(&output.stdout), None);
    let shown = text(&output.stdout);
    let quoted = shown.lines().find(|l| l.contains("| title =")).expect(&shown);
    assert!(quoted.contains("The \\u{202e}Ba\\u{1b}]0;pwned\\u{7}sics"), "{shown}");
    // The caret stands under the ESC as shown.
    let caret_line = shown.lines().skip_while(|l| !l.contains("| title =")).nth(1).unwrap();
    let caret = caret_line.find('^').unwrap();
    assert_eq!(&quoted[caret..caret + 6], "\\u{1b}", "{shown}");
}

#[test]
fn a_record_naming_a_hostile_course_is_reported_visibly() {
    let state = crate::support::state_dir("hostile-record");
    let _ = fs::remove_dir_all(&state);
    fs::create_dir_all(state.join("stem-cell-therapy")).unwrap();
    fs::write(
        state.join("stem-cell-therapy/default.toml"),
        "version = 1\ncourse = \"x\\u001b]0;pwned\\u0007\\u202E\\r\"\n",
    )
    .unwrap();
    let mut command = bin();
    command.env("STEMCELL_STATE_DIR", &state).arg("stats");
    let output = bounded(command, b"");
    let _ = fs::remove_dir_all(&state);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(obeyed(&output.stderr), None);
    assert!(
        text(&output.stderr).contains("the course `x\\u{1b}]0;pwned\\u{7}\\u{202e}\\u{d}`"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn carriage_returns_in_content_reach_no_printout_or_handout() {
    let (_folder, pack) = Folder::pack("carriage-return");
    edit(
        &pack.join("content/sections/basics.toml"),
        "A blank line starts a new paragraph.",
        "Shown text\\rHIDDEN overwrite.",
    );
    let pack = pack.to_str().unwrap();
    let validate = run(&["validate", pack]);
    assert!(text(&validate.stdout).contains("U+000D"), "{}", text(&validate.stdout));
    for args in [
        vec!["--pack", pack],
        vec!["--pack", pack, "--plain"],
        vec!["--pack", pack, "export", "--format", "text"],
        vec!["--pack", pack, "export", "--format", "markdown"],
        vec!["--pack", pack, "export", "--format", "html"],
    ] {
        let output = run(&args);
        assert!(output.status.success(), "{args:?}: {}", text(&output.stderr));
        assert!(!output.stdout.contains(&b'\r'), "{args:?}");
        assert!(text(&output.stdout).contains("HIDDEN"), "{args:?}: the text is kept");
    }
}

fn mkfifo(path: &Path) {
    let _ = fs::remove_file(path);
    let made = Command::new("mkfifo").arg(path).status().expect("mkfifo runs");
    assert!(made.success());
}

#[test]
fn a_named_pipe_in_a_pack_is_refused_at_its_path_instead_of_hanging() {
    for (name, relative) in [
        ("section", "content/sections/basics.toml"),
        ("diagram", "assets/diagrams/flow.toml"),
        ("glossary", "content/glossary.toml"),
        ("manifest", "content/course.toml"),
    ] {
        let (_folder, pack) = Folder::pack(&format!("fifo-{name}"));
        fs::create_dir_all(pack.join("assets/diagrams")).unwrap();
        mkfifo(&pack.join(relative));
        let pack = pack.to_str().unwrap();
        for args in [
            vec!["validate", pack],
            vec!["--pack", pack, "export", "--format", "text"],
            vec!["--pack", pack],
        ] {
            let output = run(&args);
            assert_eq!(output.status.code(), Some(1), "{relative}: {args:?}");
            let said = text(&output.stdout) + &text(&output.stderr);
            assert!(
                said.contains(&format!("{relative}: is not a regular file (it is a named pipe)")),
                "{relative}: {args:?}: {said}"
            );
        }
    }
}

#[test]
fn a_preferences_file_that_is_a_named_pipe_does_not_stop_the_start() {
    let folder = Folder::new("fifo-config");
    mkfifo(&folder.0.join("config.toml"));
    let mut command = bin();
    command.env("STEMCELL_CONFIG_DIR", &folder.0).args(["read", "--section", "outlook"]);
    let output = bounded(command, b"");
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("[6/6]"), "the section is printed");
    let said = text(&output.stderr);
    assert!(said.contains("config.toml is not a regular file (it is a named pipe)"), "{said}");
}

/// Writes to /dev/full fail with "no space left": what a full disk does to a redirect.
fn to_full_device(args: &[&str]) -> Output {
    let mut command = bin();
    command.args(args);
    let mut child = command
        .stdin(Stdio::null())
        .stdout(fs::OpenOptions::new().write(true).open("/dev/full").unwrap())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        assert!(started.elapsed() < LIMIT, "{args:?} hangs");
        thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn output_that_cannot_be_written_is_an_error_for_every_command() {
    let folder = Folder::new("full");
    let new_pack = folder.0.join("new-pack");
    let new_pack = new_pack.to_str().unwrap();
    for args in [
        vec!["validate"],
        vec!["validate", "--format", "json"],
        vec!["man"],
        vec!["export", "--format", "text"],
        vec!["stats"],
        vec!["schema"],
        vec!["read"],
        vec!["--help"],
        vec!["new", new_pack],
    ] {
        let output = to_full_device(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", text(&output.stderr));
        let said = text(&output.stderr);
        assert!(
            said.contains("cannot write the output: No space left on device"),
            "{args:?}: {said}"
        );
        assert!(!said.contains("panicked"), "{args:?}: {said}");
    }
}

#[test]
fn a_reader_closing_the_pipe_early_is_not_an_error() {
    let mut child = bin()
        .args(["export", "--format", "text"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    assert_eq!(text(&output.stderr), "");
}

#[test]
fn an_export_that_fails_halfway_leaves_the_old_file_as_it_was() {
    let folder = Folder::new("export-full");
    let handout = folder.0.join("handout.txt");
    fs::write(&handout, "the handout printed last week\n").unwrap();
    let output = with_small_disk(&["export", "--format", "text", "-o", handout.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("cannot write"), "{}", text(&output.stderr));
    assert_eq!(fs::read_to_string(&handout).unwrap(), "the handout printed last week\n");
    let left: Vec<_> = fs::read_dir(&folder.0).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(left.len(), 1, "no temporary file is left: {left:?}");

    // Without the limit the same export replaces the file.
    let done = run(&["export", "--format", "text", "-o", handout.to_str().unwrap()]);
    assert!(done.status.success(), "{}", text(&done.stderr));
    assert!(fs::read_to_string(&handout).unwrap().contains("Stem Cell"));
}

#[test]
fn input_that_is_not_text_is_named_with_its_line() {
    for (args, input) in [
        (&["quiz", "--section", "harvesting"][..], &b"zzz\n\xff\xfe answer\n"[..]),
        (&["--plain"][..], &b"\n\xff\xfe\n"[..]),
    ] {
        let mut command = bin();
        command.args(args);
        let output = bounded(command, input);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let said = text(&output.stderr);
        assert!(said.contains("cannot read the input: line 2 is not UTF-8 text"), "{said}");
        assert!(!said.contains("cannot write"), "{said}");
    }
}

/// `stemcell ARGS` with writes past 2 KiB failing the way a full disk does (EFBIG instead of
/// ENOSPC, from a file size limit); the signal that would kill the writer is ignored, as a
/// shell can.
fn with_small_disk(args: &[&str]) -> Output {
    let mut command = Command::new("sh");
    command
        .env_remove("NO_COLOR")
        .args([
            "-c",
            "trap '' XFSZ; ulimit -f 2; exec \"$0\" \"$@\"",
            env!("CARGO_BIN_EXE_stemcell"),
        ])
        .args(args);
    bounded(command, b"")
}

#[test]
fn new_stopped_halfway_leaves_nothing_in_the_way_of_the_next_try() {
    let folder = Folder::new("new-half");
    let pack = folder.0.join("course");
    let pack = pack.to_str().unwrap();
    let failed = with_small_disk(&["new", pack]);
    assert_eq!(failed.status.code(), Some(2), "{}", text(&failed.stderr));
    assert!(text(&failed.stderr).contains(pack), "{}", text(&failed.stderr));
    let left: Vec<_> = fs::read_dir(&folder.0).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(left.is_empty(), "no half pack, no temporary folder: {left:?}");
    let again = run(&["new", pack]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert_eq!(run(&["validate", pack]).status.code(), Some(0));
}

#[test]
fn new_onto_a_dangling_link_says_what_is_there() {
    let folder = Folder::new("new-link");
    let link = folder.0.join("course");
    std::os::unix::fs::symlink(folder.0.join("gone"), &link).unwrap();
    let output = run(&["new", link.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let said = text(&output.stderr);
    assert!(said.contains(link.to_str().unwrap()), "{said}");
    assert!(said.contains("which does not exist"), "{said}");
}

/// The typed form of some answer the first question of `run` accepts, right or wrong.
fn an_answer(course: &stemcell::course::Course, run: &stemcell::quiz::QuizRun) -> String {
    let question = run.question(course);
    ["1", "t", "a b", "a b c", "a b c d", "a b c d e", "a b c d e f", "cell"]
        .into_iter()
        .find(|typed| stemcell::quiz::parse_typed(question, run.presentation(), typed).is_ok())
        .expect("one of these parses")
        .to_owned()
}

#[test]
fn a_plain_quiz_ended_by_a_signal_keeps_the_answers_given() {
    for (signal, number) in [("TERM", 15), ("HUP", 1), ("INT", 2)] {
        quiz_ended_by(signal, number);
    }
}

fn quiz_ended_by(signal: &str, number: i32) {
    use stemcell::content::{self, load::PackSource};
    let course = content::load(&PackSource::BuiltIn).unwrap().course;
    let quiz = stemcell::quiz::QuizRun::of(&course, Some(1), 5);
    assert!(quiz.questions.len() > 1);
    let answer = an_answer(&course, &quiz);

    let state = crate::support::state_dir("plain-signal");
    let _ = fs::remove_dir_all(&state);
    let mut child = bin()
        .env("STEMCELL_STATE_DIR", &state)
        .args(["--plain", "--seed", "5", "quiz", "--section", "harvesting"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(format!("{answer}\n").as_bytes()).unwrap();
    // Kept open: the quiz now waits for the second answer.
    let shown = Arc::new(Mutex::new(Vec::new()));
    let mut stdout = child.stdout.take().unwrap();
    let collected = Arc::clone(&shown);
    thread::spawn(move || {
        let mut chunk = [0; 4096];
        while let Ok(n @ 1..) = stdout.read(&mut chunk) {
            collected.lock().unwrap().extend_from_slice(&chunk[..n]);
        }
    });
    let started = Instant::now();
    while !text(&shown.lock().unwrap()).contains("Question 2 of") {
        assert!(started.elapsed() < LIMIT, "no second question: {}", text(&shown.lock().unwrap()));
        thread::sleep(Duration::from_millis(20));
    }
    let killed = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    while child.try_wait().unwrap().is_none() {
        assert!(started.elapsed() < LIMIT, "SIG{signal} did not end the quiz");
        thread::sleep(Duration::from_millis(20));
    }
    let status = child.wait().unwrap();
    drop(stdin);
    assert_eq!(status.code(), Some(128 + number), "exits with 128 + SIG{signal}");

    let mut report = bin();
    report.env("STEMCELL_STATE_DIR", &state).args(["stats", "--format", "json"]);
    let json = text(&bounded(report, b"").stdout);
    let _ = fs::remove_dir_all(&state);
    let value: serde_json::Value = serde_json::from_str(&json).expect(&json);
    assert_eq!(value["answers"], 1, "the answer given before SIG{signal} is kept: {json}");
}

/// The mode bits of `path` (not following a link).
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::symlink_metadata(path).unwrap().permissions().mode() & 0o777
}

/// Starts a class recording into `db` with the built-in course, and returns what ends it.
fn start_class(db: &Path) -> Result<impl FnOnce(), String> {
    let course =
        stemcell::content::load(&stemcell::content::load::PackSource::BuiltIn).unwrap().course;
    let (writer, _, thread) = stemcell::class::results::start(db, &course)?;
    Ok(move || {
        writer.close();
        thread.join().unwrap();
    })
}

/// The class database holds students' names and answers: it was made 0644 in a 0755 folder,
/// readable by every local user. Now the folder is 0700 and the database with its `-wal` and
/// `-shm` 0600, and a database an earlier version made 0644 is tightened.
#[test]
fn the_class_database_and_its_folder_are_owner_only() {
    let folder = Folder::new("db-modes");
    let state = folder.0.join("state");
    let db = state.join("classes.sqlite3");
    let end = start_class(&db).unwrap();
    assert_eq!(mode(&state), 0o700, "the state folder");
    assert_eq!(mode(&db), 0o600, "the database");
    for companion in ["classes.sqlite3-wal", "classes.sqlite3-shm"] {
        let path = state.join(companion);
        if path.exists() {
            assert_eq!(mode(&path), 0o600, "{companion}");
        }
    }
    assert!(state.join("classes.sqlite3-wal").exists(), "WAL mode: the -wal was checked");
    end();
    fs::set_permissions(&db, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    let end = start_class(&db).unwrap();
    assert_eq!(mode(&db), 0o600, "an old 0644 database is tightened");
    end();
}

/// `classes.sqlite3` was written through a link planted in the state folder; the database,
/// its `-wal` and its `-shm` are now never followed through a link, and what a link points to
/// is left as it was.
#[test]
fn the_class_database_is_never_written_through_a_link() {
    let folder = Folder::new("db-links");
    let victim = folder.0.join("victim");
    for name in ["classes.sqlite3", "classes.sqlite3-wal", "classes.sqlite3-shm"] {
        let state = folder.0.join(format!("state-{name}"));
        fs::create_dir_all(&state).unwrap();
        fs::write(&victim, "precious").unwrap();
        std::os::unix::fs::symlink(&victim, state.join(name)).unwrap();
        if name != "classes.sqlite3" {
            fs::write(state.join("classes.sqlite3"), "").unwrap();
        }
        let error = start_class(&state.join("classes.sqlite3")).err().expect("refused");
        assert!(error.contains("symbolic link") && error.contains(name), "{error}");
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious", "{name}");
        let mut command = bin();
        command.env("STEMCELL_STATE_DIR", &state).arg("results");
        let output = bounded(command, b"");
        assert!(!output.status.success());
        assert!(text(&output.stderr).contains("symbolic link"), "{}", text(&output.stderr));
    }
    // A course folder that is a link is refused the same way (the record is not saved there).
    let state = folder.0.join("state-course");
    let outside = folder.0.join("outside");
    fs::create_dir_all(&state).unwrap();
    fs::create_dir_all(&outside).unwrap();
    std::os::unix::fs::symlink(&outside, state.join("stem-cell-therapy")).unwrap();
    let mut command = bin();
    command.env("STEMCELL_STATE_DIR", &state).args(["stats"]);
    let output = bounded(command, b"");
    assert!(text(&output.stderr).contains("symbolic link"), "{}", text(&output.stderr));
    assert_eq!(fs::read_dir(&outside).unwrap().count(), 0, "nothing written through it");
}

/// `stemcell results` hung for good on a named pipe at `classes.sqlite3`.
#[test]
fn results_on_a_named_pipe_says_so_instead_of_hanging() {
    let folder = Folder::new("db-fifo");
    mkfifo(&folder.0.join("classes.sqlite3"));
    let mut command = bin();
    command.env("STEMCELL_STATE_DIR", &folder.0).arg("results");
    let output = bounded(command, b"");
    assert!(!output.status.success());
    let error = text(&output.stderr);
    assert!(error.contains("classes.sqlite3") && error.contains("named pipe"), "{error}");
}

/// A shared or received class database drove the terminal: `results` printed its names and
/// titles raw. Every format now shows them visibly; JSON keeps them exact, as escapes.
#[test]
fn results_from_a_hostile_database_obey_no_control() {
    let folder = Folder::new("db-hostile");
    let db = folder.0.join("classes.sqlite3");
    start_class(&db).unwrap()();
    let hostile = "Ana\u{1b}]0;pwned\u{7}\u{202E}\r\u{9b}x";
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute("UPDATE classes SET course_title = ?1", [hostile]).unwrap();
    conn.execute(
        "INSERT INTO students (class, student, name, joined_ms) VALUES (1, 1, ?1, 0)",
        [hostile],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO questions (class, ask, section_id, question_id, kind, prompt, snapshot, \
         asked_ms) VALUES (1, 1, ?1, ?1, 'choice', ?1, '{}', 0)",
        [hostile],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO answers (class, ask, student, response, points, speed, answered_ms) \
         VALUES (1, 1, 1, '{}', 1.0, 0, 0)",
        [],
    )
    .unwrap();
    drop(conn);
    for args in [
        vec!["results"],
        vec!["results", "1"],
        vec!["results", "1", "--format", "csv"],
        vec!["results", "1", "--format", "json"],
    ] {
        let mut command = bin();
        command.env("STEMCELL_STATE_DIR", &folder.0).args(&args);
        let output = bounded(command, b"");
        assert!(output.status.success(), "{args:?}: {}", text(&output.stderr));
        assert_eq!(obeyed(&output.stdout), None, "{args:?}");
        assert!(text(&output.stdout).contains("Ana"), "{args:?}: {}", text(&output.stdout));
        if args.contains(&"json") {
            let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
            assert_eq!(value["totals"][0]["student"], hostile, "JSON keeps the name exactly");
        }
    }
}

/// `stats --format json` passed a record's U+202E (and C1 controls) raw to the terminal:
/// `serde_json` escapes only C0 controls. They are now JSON escapes; the data is the same.
#[test]
fn stats_as_json_escapes_what_a_terminal_would_obey() {
    let folder = Folder::new("stats-json");
    fs::create_dir_all(folder.0.join("stem-cell-therapy")).unwrap();
    let section = "s\u{202E}\u{9b}\u{7f}x";
    let record = "version = 1\ncourse = \"stem-cell-therapy\"\n\n[[quizzes]]\nday = \"2026-01-01\"\n\
         section = \"s\\u202E\\u009B\\u007Fx\"\npoints = 1.0\nquestions = 2\nsession = \"a\"\nn = 0\n";
    fs::write(folder.0.join("stem-cell-therapy/default.toml"), record).unwrap();
    for format in ["json", "text"] {
        let mut command = bin();
        command.env("STEMCELL_STATE_DIR", &folder.0).args(["stats", "--format", format]);
        let output = bounded(command, b"");
        assert!(output.status.success(), "{}", text(&output.stderr));
        assert_eq!(obeyed(&output.stdout), None, "{format}");
        if format == "json" {
            let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
            assert_eq!(value["history"][0]["section"], section, "the same data");
        }
    }
}

/// A one-character syntax error at the end of a 1 MB line printed the line twice (2 MB):
/// `validate` now quotes a window around the column.
#[test]
fn a_syntax_error_at_the_end_of_a_long_line_is_quoted_in_a_window() {
    let (_folder, pack) = Folder::pack("long-line");
    let section = pack.join("content/sections/basics.toml");
    let mut source = fs::read_to_string(&section).unwrap();
    source.push_str("\nnote = \"");
    source.push_str(&"a".repeat(1_000_000));
    source.push_str("\" x\n");
    fs::write(&section, source).unwrap();
    let output = run(&["validate", "--pack", pack.to_str().unwrap()]);
    assert!(!output.status.success(), "{:?} {}", output.status, text_of(&output));
    let report = text_of(&output);
    assert!(report.len() < 2_000, "{} bytes of report", report.len());
    assert!(report.contains("...aaaa") && report.contains("\" x\n"), "{report}");
}

fn text_of(output: &Output) -> String {
    format!("{}{}", text(&output.stdout), text(&output.stderr))
}

/// Exports written with `-o` were 0600, and a replaced 0644 file became 0600: a new handout
/// now gets what the umask allows (0644 under the usual 022), a replaced one keeps its mode.
#[test]
fn an_export_honours_the_umask_and_keeps_a_replaced_files_mode() {
    let folder = Folder::new("export-modes");
    let (new, old) = (folder.0.join("new.md"), folder.0.join("old.md"));
    fs::write(&old, "last week's").unwrap();
    fs::set_permissions(&old, std::os::unix::fs::PermissionsExt::from_mode(0o640)).unwrap();
    for (path, umask) in [(&new, "022"), (&old, "077")] {
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_stemcell"))
            .args(["export", "--format", "markdown", "-o", path.to_str().unwrap()])
            .env("STEMCELL_STATE_DIR", crate::support::state_dir("hostile"));
        let output = bounded(command, b"");
        assert!(output.status.success(), "{}", text_of(&output));
    }
    assert_eq!(mode(&new), 0o644, "a new export: 0666 less the umask 022");
    assert_eq!(mode(&old), 0o640, "a replaced export keeps its mode");
    assert!(fs::read_to_string(&old).unwrap().contains("Stem Cell"));
}

/// `new` refused a folder made empty beforehand (`mkdir x && stemcell new x`); it fills it now.
/// And a `url` holding a space said "cannot contain  ", the space invisible: it is named.
#[test]
fn new_fills_an_empty_folder_and_a_bad_url_character_is_named() {
    let folder = Folder::new("new-empty");
    let pack = folder.0.join("course");
    fs::create_dir(&pack).unwrap();
    let made = run(&["new", pack.to_str().unwrap()]);
    assert!(made.status.success(), "{}", text_of(&made));
    let section = pack.join("content/sections/basics.toml");
    let source = fs::read_to_string(&section).unwrap();
    let note = "\n[[blocks]]\nkind = \"context\"\ntext = \"A fact.\"\nsource = \"NIH\"\n\
                url = \"https://a.org/x y\"\n\n";
    let at = source.find("[[questions]]").unwrap_or(source.len());
    fs::write(&section, format!("{}{note}{}", &source[..at], &source[at..])).unwrap();
    let report = text_of(&run(&["validate", pack.to_str().unwrap()]));
    assert!(report.contains("cannot contain a space (U+0020)"), "{report}");
}

/// `quiz --plain` with the record locked by another process waited 5 s after every answer
/// (four answers, 25 s). It now waits once, keeps the answers in memory, and saves them all
/// as soon as the lock frees.
#[test]
fn a_plain_quiz_waits_for_a_locked_record_once_and_saves_when_it_frees() {
    use stemcell::content::{self, load::PackSource};
    let course = content::load(&PackSource::BuiltIn).unwrap().course;
    let mut quiz = stemcell::quiz::QuizRun::of(&course, Some(1), 5);
    let mut answers = String::new();
    for i in 0..quiz.questions.len() {
        quiz.current = i;
        answers.push_str(&an_answer(&course, &quiz));
        answers.push('\n');
    }
    let asked = quiz.questions.len();
    assert!(asked >= 3, "{asked} questions");
    for release_after in [None, Some(Duration::from_secs(7))] {
        let state = crate::support::state_dir("plain-locked");
        let _ = fs::remove_dir_all(&state);
        fs::create_dir_all(state.join("stem-cell-therapy")).unwrap();
        let lock = fs::File::create(state.join("stem-cell-therapy/default.lock")).unwrap();
        lock.lock().unwrap();
        let releaser = thread::spawn(move || {
            if let Some(after) = release_after {
                thread::sleep(after);
                lock.unlock().unwrap();
            }
            lock
        });
        let mut command = bin();
        command.env("STEMCELL_STATE_DIR", &state).args([
            "--plain",
            "--seed",
            "5",
            "quiz",
            "--section",
            "harvesting",
        ]);
        let started = Instant::now();
        let output = bounded(command, answers.as_bytes());
        let took = started.elapsed();
        let held = releaser.join().unwrap();
        drop(held);
        let errors = text(&output.stderr);
        assert!(output.status.success(), "{errors}");
        assert_eq!(errors.matches("your answers are kept").count(), 1, "{errors}");
        let mut report = bin();
        report.env("STEMCELL_STATE_DIR", &state).args(["stats", "--format", "json"]);
        let json = text(&bounded(report, b"").stdout);
        let value: serde_json::Value = serde_json::from_str(&json).expect(&json);
        if release_after.is_none() {
            // One wait during the run and one at its end, not one per answer (each is 5 s).
            assert!(took < Duration::from_secs(5 * (asked as u64 + 1) - 5), "{took:?}");
            assert!(errors.contains("could not be saved"), "{errors}");
            assert_eq!(value["answers"], 0, "the lock was never freed: {json}");
        } else {
            assert!(errors.contains("saved now"), "{errors}");
            assert_eq!(value["answers"], asked, "every answer saved once the lock freed: {json}");
        }
        let _ = fs::remove_dir_all(&state);
    }
}
