//! The whole class as people run it: the teacher starts `stemcell serve` in a terminal, a
//! student joins with the real OpenSSH client in another, the teacher turns follow on, starts
//! the class quiz from the console, the student answers, the teacher reveals and ends the
//! class; then `stemcell results` exports the answer.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use stemcell::content::{self, load::PackSource};
use stemcell::course::Answer;

const CODE: &str = "tiger42";
const SEED: &str = "4";

/// A program in a pseudo-terminal, and what its screen shows.
struct Term {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
}

impl Drop for Term {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

impl Term {
    fn start(command: CommandBuilder, cols: u16, rows: u16) -> Self {
        let pty = native_pty_system()
            .openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 })
            .expect("a pseudo-terminal");
        let child = pty.slave.spawn_command(command).expect("the program starts");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            rows.try_into().unwrap(),
            cols.try_into().unwrap(),
            0,
        )));
        let sink = Arc::clone(&parser);
        thread::spawn(move || {
            let mut chunk = [0; 8192];
            while let Ok(n) = reader.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&chunk[..n]);
            }
        });
        std::mem::forget(pty.master);
        Self { child, writer, parser }
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.screen().contains(text) {
            assert!(Instant::now() < deadline, "never saw {text:?}; screen:\n{}", self.screen());
            thread::sleep(Duration::from_millis(20));
        }
    }

    fn keys(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        thread::sleep(Duration::from_millis(60));
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "still running; screen:\n{}", self.screen());
            thread::sleep(Duration::from_millis(20));
        }
    }
}

fn have_ssh() -> bool {
    std::process::Command::new("ssh")
        .arg("-V")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stderr).contains("OpenSSH"))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn teacher(port: u16, state: &Path) -> Term {
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_stemcell"));
    for arg in ["--seed", SEED, "serve", "--bind", "127.0.0.1", "--code", CODE, "--port"] {
        command.arg(arg);
    }
    command.arg(port.to_string());
    command.env("STEMCELL_STATE_DIR", state);
    command.env("TERM", "xterm-256color");
    command.env_remove("NO_COLOR");
    Term::start(command, 100, 30)
}

fn student(port: u16, name: &str) -> Term {
    let mut command = CommandBuilder::new("ssh");
    for arg in [
        "-F",
        "/dev/null",
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "LogLevel=ERROR",
        "-o",
        "PubkeyAuthentication=no",
        "-o",
        "PreferredAuthentications=keyboard-interactive,password",
        "-p",
    ] {
        command.arg(arg);
    }
    command.arg(port.to_string());
    command.arg(format!("{name}@127.0.0.1"));
    command.env("TERM", "xterm-256color");
    Term::start(command, 80, 24)
}

#[test]
fn a_teacher_runs_a_class_from_the_console_and_exports_the_results() {
    if !have_ssh() {
        eprintln!("skipped: no OpenSSH client on this machine");
        return;
    }
    let state = crate::support::state_dir("console-e2e");
    let _ = std::fs::remove_dir_all(&state);
    let port = free_port();
    let mut console = teacher(port, &state);
    console.wait_for(&format!("Join: ssh -p {port} NAME@127.0.0.1 · code {CODE}"));
    console.wait_for("host key SHA256:");

    let mut ana = student(port, "ana");
    ana.wait_for("Class code:");
    ana.keys(&format!("{CODE}\r"));
    ana.wait_for("Sections");
    console.wait_for("1 online");

    // Follow: the student's screen goes where the teacher is.
    console.keys("f");
    console.wait_for("follow on");
    ana.wait_for("1/6");
    // The teacher reveals the section part by part, to the offer of the class quiz.
    for _ in 0..30 {
        if console.screen().contains("answered on every student's own screen") {
            break;
        }
        console.keys(" ");
    }
    console.wait_for("answered on every student's own screen");
    // The teacher asks the first question alone, from the list of the section's questions.
    console.keys("a");
    console.wait_for("Ask the class");
    console.keys("\r");
    ana.wait_for("Class question 1 of 1");
    console.wait_for("0 of 1 answered");

    // Ana picks the first option on her screen; whether it is right follows from the seed.
    let course = content::load(&PackSource::BuiltIn).unwrap().course;
    let question = &course.sections[0].questions[0];
    let shown = stemcell::quiz::present(question, SEED.parse().unwrap());
    let right = match &question.answer {
        Answer::Choice { options, .. } => options[shown.order[0]].correct,
        Answer::TrueFalse(truth) => *truth,
        other => panic!("the first question is a choice, not {other:?}"),
    };
    ana.keys("1");
    ana.keys("\r");
    ana.wait_for("Your answer is in");
    console.wait_for("1 of 1 answered");
    console.keys("\r");
    ana.wait_for(if right { "✓ Right" } else { "✗ Wrong" });
    console.wait_for(if right {
        "Right 1 · partly 0 · wrong 0"
    } else {
        "Right 0 · partly 0 · wrong 1"
    });

    // One question asked: the summary follows, and its second page has ana's score.
    console.keys("\r");
    console.wait_for("s shows each student's score");
    console.keys("s");
    console.wait_for(if right { "ana  1 of 1" } else { "ana  0 of 1" });

    // The roster shows ana and her answer.
    console.keys("r");
    console.wait_for("Class: 1 student");
    console.keys("\x1b");

    // Ending asks first, then tells the student, closes her session and saves.
    console.keys("E");
    console.wait_for("End the class?");
    console.keys("y");
    ana.wait_for("The class has ended");
    assert!(ana.wait_exit().success(), "ssh ends cleanly");
    assert!(console.wait_exit().success(), "the console ends cleanly");
    console.wait_for("Class 1 ended");

    let csv = std::process::Command::new(env!("CARGO_BIN_EXE_stemcell"))
        .args(["results", "1", "--format", "csv"])
        .env("STEMCELL_STATE_DIR", &state)
        .output()
        .unwrap();
    let csv = String::from_utf8_lossy(&csv.stdout).into_owned();
    let row = csv.lines().find(|l| l.starts_with("ana,1,")).unwrap_or_else(|| panic!("{csv}"));
    let points = if right { ",1,0," } else { ",0,0," };
    assert!(row.contains(points), "{row}");
    let _ = std::fs::remove_dir_all(&state);
}
