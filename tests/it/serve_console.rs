//! The whole class as people run it: the teacher starts `stemcell serve` in a terminal, a
//! student joins with the real OpenSSH client in another, the teacher turns follow on, starts
//! the class quiz from the console, the student answers, the teacher reveals and ends the
//! class; then `stemcell results` exports the answer.

use std::path::Path;

use portable_pty::CommandBuilder;
use stemcell::content::{self, load::PackSource};
use stemcell::course::Answer;

use crate::terminal::{Terminal, have_ssh, ssh_student};

const CODE: &str = "tiger42";
const SEED: &str = "4";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn teacher(port: u16, state: &Path) -> Terminal {
    teacher_with(port, state, &[])
}

fn teacher_with(port: u16, state: &Path, more: &[&str]) -> Terminal {
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_stemcell"));
    for arg in ["--seed", SEED, "serve", "--bind", "127.0.0.1", "--code", CODE, "--port"] {
        command.arg(arg);
    }
    command.arg(port.to_string());
    for arg in more {
        command.arg(arg);
    }
    command.env("STEMCELL_STATE_DIR", state);
    command.env("TERM", "xterm-256color");
    command.env_remove("NO_COLOR");
    Terminal::start(command, 100, 30)
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

    let mut ana = ssh_student(port, "ana");
    ana.wait_for("Class code:");
    ana.press(&format!("{CODE}\r"));
    ana.wait_for("Sections");
    console.wait_for("1 online");

    // Follow: the student's screen goes where the teacher is.
    console.press("f");
    console.wait_for("follow on");
    ana.wait_for("1/6");
    // The teacher reveals the section part by part, to the offer of the class quiz.
    for _ in 0..30 {
        let before = console.screen();
        if before.contains("answered on every student's own screen") {
            break;
        }
        console.press(" ");
        // One step at a time: a press read before the last one is drawn would step past the
        // offer into the next section on a busy machine.
        let waited = std::time::Instant::now();
        while console.screen() == before && waited.elapsed() < std::time::Duration::from_secs(5) {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
    console.wait_for("answered on every student's own screen");
    // The teacher asks the first question alone, from the list of the section's questions.
    console.press("a");
    console.wait_for("Ask the class");
    console.press("\r");
    ana.wait_for("Class question 1 of 1");
    console.wait_for("0 of 1 answered");

    // Ana picks the first option on her screen; whether it is right follows from the seed.
    let course = content::load(&PackSource::BuiltIn).unwrap().course;
    let question = &course.sections[0].questions[0];
    let shown = stemcell::quiz::present_in(&course.sections[0], question, SEED.parse().unwrap());
    let right = match &question.answer {
        Answer::Choice { options, .. } => options[shown.order[0]].correct,
        Answer::TrueFalse(truth) => *truth,
        other => panic!("the first question is a choice, not {other:?}"),
    };
    ana.press("1");
    ana.press("\r");
    ana.wait_for("Your answer is in");
    console.wait_for("1 of 1 answered");
    console.press("\r");
    ana.wait_for(if right { "✓ Right" } else { "✗ Wrong" });
    console.wait_for(if right {
        "Right 1 · partly 0 · wrong 0"
    } else {
        "Right 0 · partly 0 · wrong 1"
    });

    // One question asked: the summary follows, and its second page has ana's score.
    console.press("\r");
    console.wait_for("s shows each student's score");
    console.press("s");
    console.wait_for(if right { "ana  1 of 1" } else { "ana  0 of 1" });

    // The roster shows ana and her answer.
    console.press("r");
    console.wait_for("Class: 1 student");
    console.press("\x1b");

    // Ending asks first, then tells the student, closes her session and saves.
    console.press("E");
    console.wait_for("End the class?");
    console.press("y");
    ana.wait_for("The class has ended");
    assert!(ana.wait_exit().success(), "ssh ends cleanly");
    assert!(console.wait_exit().success(), "the console ends cleanly");
    console.wait_for("Class 1 ended");

    let csv = std::process::Command::new(env!("CARGO_BIN_EXE_stemcell"))
        .args(["results", "1", "--format", "log"])
        .env("STEMCELL_STATE_DIR", &state)
        .output()
        .unwrap();
    let csv = String::from_utf8_lossy(&csv.stdout).into_owned();
    let row = csv.lines().find(|l| l.starts_with("ana,1,")).unwrap_or_else(|| panic!("{csv}"));
    let points = if right { ",1,0," } else { ",0,0," };
    assert!(row.contains(points), "{row}");
    let _ = std::fs::remove_dir_all(&state);
}

/// Closing the teacher's window sends SIGHUP: the class ends as with SIGTERM or `E`: the
/// student is told, and the class is closed in the database (no "(not ended)" in the list).
#[test]
fn closing_the_teachers_window_or_sigterm_ends_the_class_for_everyone() {
    if !have_ssh() {
        eprintln!("skipped: no OpenSSH client on this machine");
        return;
    }
    for signal in ["HUP", "TERM"] {
        let state = crate::support::state_dir(&format!("console-sig{signal}"));
        let _ = std::fs::remove_dir_all(&state);
        let port = free_port();
        let mut console = teacher(port, &state);
        console.wait_for("host key SHA256:");
        let mut ana = ssh_student(port, "ana");
        ana.wait_for("Class code:");
        ana.press(&format!("{CODE}\r"));
        ana.wait_for("Sections");
        console.wait_for("1 online");

        let pid = console.child.process_id().expect("the console runs").to_string();
        let sent = std::process::Command::new("kill").args([&format!("-{signal}"), &pid]).status();
        assert!(sent.unwrap().success(), "kill -{signal}");
        ana.wait_for("The class has ended");
        assert!(ana.wait_exit().success(), "SIG{signal}: ssh ends cleanly");
        console.wait_exit();

        let list = std::process::Command::new(env!("CARGO_BIN_EXE_stemcell"))
            .arg("results")
            .env("STEMCELL_STATE_DIR", &state)
            .output()
            .unwrap();
        let list = String::from_utf8_lossy(&list.stdout).into_owned();
        assert!(list.contains("ana") || list.contains('1'), "SIG{signal}: {list}");
        assert!(!list.contains("not ended"), "SIG{signal}: the class is closed: {list}");
        let _ = std::fs::remove_dir_all(&state);
    }
}

/// The teacher's computer crashes mid-class (kill -9: no goodbye, the class never ends in the
/// database). `serve` started again asks to carry the class on; the student rejoins with her
/// words and finds her answer counted, and the class keeps its number.
#[test]
fn after_a_crash_serve_carries_the_class_on_and_a_student_gets_her_answer_back() {
    if !have_ssh() {
        eprintln!("skipped: no OpenSSH client on this machine");
        return;
    }
    let state = crate::support::state_dir("console-crash");
    let _ = std::fs::remove_dir_all(&state);
    let port = free_port();
    let mut console = teacher(port, &state);
    console.wait_for("host key SHA256:");
    let mut ana = ssh_student(port, "ana");
    ana.wait_for("Class code:");
    ana.press(&format!("{CODE}\r"));
    ana.wait_for("Your rejoin words: ");
    let words = crate::support::rejoin_words(&ana.screen());
    console.wait_for("1 online");
    console.press("a");
    console.wait_for("Ask the class");
    console.press("\r");
    ana.wait_for("Class question 1 of 1");
    ana.press("1");
    ana.press("\r");
    ana.wait_for("Your answer is in");
    console.wait_for("1 of 1 answered");

    let pid = console.child.process_id().expect("the console runs").to_string();
    let killed = std::process::Command::new("kill").args(["-KILL", &pid]).status();
    assert!(killed.unwrap().success());
    console.wait_exit();
    ana.wait_exit();

    // Started again, serve asks; Enter carries the class on.
    let mut console = teacher_with(port, &state, &[]);
    console.wait_for("Class 1, started ");
    console.wait_for("It has 1 student, 1 question asked and 1 answer.");
    console.press("\r");
    console.wait_for("host key SHA256:");
    console.wait_for("0 online (1 joined)");
    let mut back = ssh_student(port, "ana");
    back.wait_for("Class code:");
    back.press(&format!("{CODE}\r"));
    back.wait_for("is in this class");
    back.press(&format!("{words}\r"));
    back.wait_for("your 1 class answer is kept");
    console.wait_for("1 online");
    console.press("E");
    console.wait_for("End the class?");
    console.press("y");
    back.wait_for("The class has ended");
    assert!(console.wait_exit().success());
    console.wait_for("Class 1 ended");

    let list = std::process::Command::new(env!("CARGO_BIN_EXE_stemcell"))
        .args(["results", "--format", "log"])
        .env("STEMCELL_STATE_DIR", &state)
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&list.stdout).into_owned();
    assert_eq!(log.lines().filter(|l| l.starts_with("ana,1,")).count(), 1, "{log}");
    let classes = std::process::Command::new(env!("CARGO_BIN_EXE_stemcell"))
        .arg("results")
        .env("STEMCELL_STATE_DIR", &state)
        .output()
        .unwrap();
    let classes = String::from_utf8_lossy(&classes.stdout).into_owned();
    assert!(!classes.contains("not ended"), "one class, ended: {classes}");
    let _ = std::fs::remove_dir_all(&state);
}
