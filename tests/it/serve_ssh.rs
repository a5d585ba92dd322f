//! End to end with the real OpenSSH client in a pseudo-terminal, as a student would: type the
//! class code at the prompt, read, answer the teacher's question, leave.

use std::thread;
use std::time::{Duration, Instant};

use stemcell::class::protocol::{TeacherAction, ToClass};
use stemcell::serve::rules::Limits;

use super::serve_transport::{CODE, start_class};
use super::terminal::{have_ssh, ssh_student};

#[test]
fn a_student_joins_with_openssh_reads_answers_and_leaves() {
    if !have_ssh() {
        eprintln!("skipped: no OpenSSH client on this machine");
        return;
    }
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let (server, class) = runtime.block_on(start_class(Limits::default()));
    let mut ssh = ssh_student(server.addr.port(), "ana");

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
