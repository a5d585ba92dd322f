//! End to end with the real OpenSSH client in a pseudo-terminal, as a student would: type the
//! class code at the prompt, read, answer the teacher's question, leave.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use stemcell::serve::protocol::{TeacherAction, ToClass};
use stemcell::serve::server::Limits;

use super::serve_transport::{CODE, start_class};

struct Ssh {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
}

impl Drop for Ssh {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

impl Ssh {
    fn start(port: u16, user: &str) -> Self {
        let pty = native_pty_system()
            .openpty(PtySize { rows: 24, cols: 80, pixel_width: 0, pixel_height: 0 })
            .expect("a pseudo-terminal");
        let mut command = CommandBuilder::new("ssh");
        // Nothing from the tester's own configuration, keys or known hosts.
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
        command.arg(format!("{user}@127.0.0.1"));
        command.env("TERM", "xterm-256color");
        let child = pty.slave.spawn_command(command).expect("ssh starts");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            24.try_into().unwrap(),
            80.try_into().unwrap(),
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
        // The master must outlive the child's use of the terminal; leaking it for the test's
        // length is simplest.
        std::mem::forget(pty.master);
        Self { child, writer, parser }
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while !self.screen().contains(text) {
            assert!(Instant::now() < deadline, "never saw {text:?}; screen:\n{}", self.screen());
            thread::sleep(Duration::from_millis(20));
        }
    }

    fn keys(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }
}

fn have_ssh() -> bool {
    std::process::Command::new("ssh")
        .arg("-V")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stderr).contains("OpenSSH"))
}

#[test]
fn a_student_joins_with_openssh_reads_answers_and_leaves() {
    if !have_ssh() {
        eprintln!("skipped: no OpenSSH client on this machine");
        return;
    }
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let (server, class) = runtime.block_on(start_class(Limits::default()));
    let mut ssh = Ssh::start(server.addr.port(), "ana");

    ssh.wait_for("Class code:");
    ssh.keys(&format!("{CODE}\r"));
    ssh.wait_for("Stem Cell Therapy");
    // Read: the first section.
    ssh.keys("\r");
    ssh.wait_for("1/6");
    ssh.keys(" ");

    // The teacher asks the first section's true/false question; ana answers it rightly.
    let course = stemcell::content::load(&stemcell::content::load::PackSource::BuiltIn)
        .expect("loads")
        .course;
    let (index, truth) = course.sections[0]
        .questions
        .iter()
        .enumerate()
        .find_map(|(i, q)| match q.answer {
            stemcell::course::Answer::TrueFalse(truth) => Some((i, truth)),
            _ => None,
        })
        .expect("a true/false question in the first section");
    let teacher = class.sender();
    let ask = TeacherAction::Ask { section: 0, questions: vec![index] };
    runtime.block_on(teacher.send(ToClass::Teacher(ask))).unwrap();
    ssh.wait_for("Class question 1 of 1");
    ssh.keys(if truth { "t" } else { "f" });
    ssh.keys("\r");
    let mut view = class.view();
    let deadline = Instant::now() + Duration::from_secs(10);
    while view.borrow_and_update().live.as_ref().is_none_or(|live| live.answered < 1) {
        assert!(Instant::now() < deadline, "the class never counted the answer");
        thread::sleep(Duration::from_millis(20));
    }
    runtime.block_on(teacher.send(ToClass::Teacher(TeacherAction::Reveal))).unwrap();
    ssh.wait_for("revealed");
    let tally = view.borrow_and_update().live.clone().and_then(|live| live.tally);
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut tally = tally;
    while tally.is_none() {
        assert!(Instant::now() < deadline, "no tally after the reveal");
        thread::sleep(Duration::from_millis(20));
        tally = view.borrow_and_update().live.clone().and_then(|live| live.tally);
    }
    assert_eq!(tally.unwrap().right, 1, "ana's answer was right");

    // Leave: Ctrl-C ends only this session, and ssh exits cleanly.
    ssh.keys("\x03");
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = ssh.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "ssh did not exit; screen:\n{}", ssh.screen());
        thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "ssh's exit status is the session's: {status:?}");
    thread::sleep(Duration::from_millis(100));
    assert!(
        !ssh.parser.lock().unwrap().screen().alternate_screen(),
        "the student's terminal is given back"
    );
    runtime.block_on(server.stop());
}
