//! A whole live class over SSH (russh clients on loopback): thirty students answer a class
//! question on their own screens, the tally and the summary match what they sent, and the
//! results database and its CSV hold exactly their answers; a student who drops comes back to
//! their answer; the teacher ending the class closes every session.

// Points here are 0 or 1, exact in binary: exact comparison is right.
#![allow(clippy::float_cmp)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use stemcell::class::protocol::{ClassView, TeacherAction, ToClass};
use stemcell::class::results::{self, Format};
use stemcell::class::room::{self as class, ClassHandle, ClassOptions};
use stemcell::content::{self, load::PackSource};
use stemcell::course::{Answer, Course};
use stemcell::quiz;
use stemcell::serve::auth::{Gate, Policy};
use stemcell::serve::rules::{Limits, Shared};
use stemcell::serve::ssh::hostkey;
use stemcell::serve::ssh::server::{self, Running};
use tokio::sync::watch;

use super::serve_transport::{CODE, Student};

/// The seed every student's shuffle follows from in these tests.
const SEED: u64 = 7;

struct Class {
    server: Running,
    handle: ClassHandle,
    course: Arc<Course>,
    db: PathBuf,
    number: i64,
    writer: Option<std::thread::JoinHandle<()>>,
}

async fn start(name: &str) -> Class {
    let course = Arc::new(content::load(&PackSource::BuiltIn).expect("loads").course);
    let dir = std::env::temp_dir().join(format!("stemcell-class-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let db = dir.join(results::FILE_NAME);
    let (writer, class_number, thread) = results::start(&db, &course).expect("the store opens");
    let (class, _task) = class::spawn(Arc::clone(&course), ClassOptions::default(), Some(writer));
    let gate = Gate::new(Some(CODE.to_owned()), Policy::default());
    // Thirty students from one address: more than the default rate of new connections.
    let limits =
        Limits { stall: Duration::from_secs(5), connections_per_minute: 1000, ..Limits::default() };
    let shared = Shared::new(Arc::clone(&course), gate, limits, SEED).with_class(class.clone());
    let server = server::start(
        "127.0.0.1:0".parse().unwrap(),
        hostkey::generate().unwrap(),
        Arc::new(shared),
    )
    .await
    .expect("the server starts");
    Class { server, handle: class, course, db, number: class_number, writer: Some(thread) }
}

impl Class {
    async fn teacher(&self, action: TeacherAction) {
        self.handle.sender().send(ToClass::Teacher(action)).await.unwrap();
    }

    /// Waits (at most 10 s) until the class's view passes `test`.
    async fn view_until(&self, test: impl Fn(&ClassView) -> bool) -> ClassView {
        let mut view: watch::Receiver<ClassView> = self.handle.view();
        let _ = tokio::time::timeout(Duration::from_secs(10), view.wait_for(|v| test(v))).await;
        view.borrow().clone()
    }

    /// Ends the class and waits for the results to reach the disk.
    async fn end(&mut self) {
        self.teacher(TeacherAction::End).await;
        let writer = self.writer.take().unwrap();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !writer.is_finished() && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(writer.is_finished(), "the results writer finishes when the class ends");
        writer.join().unwrap();
    }
}

async fn join_all(addr: SocketAddr, names: &[String]) -> Vec<Student> {
    let handles: Vec<_> = names
        .iter()
        .map(|name| {
            let name = name.clone();
            tokio::spawn(async move {
                let mut student = Student::join(addr, &name, 80, 24).await;
                assert!(student.wait_for("Sections").await, "{name} joined:\n{}", student.text());
                student
            })
        })
        .collect();
    let mut students = Vec::new();
    for handle in handles {
        students.push(handle.await.unwrap());
    }
    students
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_students_answer_on_their_screens_and_tally_summary_and_csv_match() {
    let mut class = start("thirty").await;
    let names: Vec<String> = (0..30).map(|i| format!("s{i:02}")).collect();
    let mut students = join_all(class.server.addr, &names).await;
    class.view_until(|v| v.roster.iter().filter(|s| s.connected).count() == 30).await;

    // The first single-choice question of the first section.
    let section = 0;
    let question_index = class.course.sections[section]
        .questions
        .iter()
        .position(|q| matches!(q.answer, Answer::Choice { multiple: false, .. }))
        .expect("a single-choice question");
    let question = class.course.sections[section].questions[question_index].clone();
    let Answer::Choice { options, .. } = &question.answer else { unreachable!() };
    let shown = quiz::present_in(&class.course.sections[section], &question, SEED);
    class.teacher(TeacherAction::Ask { section, questions: vec![question_index] }).await;

    // Student i picks the option at screen position i % options; the last five do not answer.
    let mut picks = vec![0u32; options.len()];
    let mut expected_points = vec![0.0; 30];
    for (i, student) in students.iter_mut().enumerate() {
        assert!(student.wait_for("Class question 1 of 1").await, "{}", student.text());
        if i >= 25 {
            continue;
        }
        let position = i % options.len();
        let item = shown.order[position];
        picks[item] += 1;
        expected_points[i] = f64::from(u8::from(options[item].correct));
        student.send(format!("{}", position + 1).as_bytes()).await;
        student.send(b"\r").await;
    }
    for student in students.iter_mut().take(25) {
        assert!(student.wait_for("Your answer is in").await, "{}", student.text());
    }
    let view = class.view_until(|v| v.live.as_ref().is_some_and(|l| l.answered == 25)).await;
    let live = view.live.unwrap();
    assert_eq!((live.answered, live.expected), (25, 30), "25 of 30 answered");
    assert!(live.tally.is_none());

    class.teacher(TeacherAction::Reveal).await;
    let view = class.view_until(|v| v.live.as_ref().is_some_and(|l| l.tally.is_some())).await;
    let tally = view.live.unwrap().tally.unwrap();
    assert_eq!(tally.picks, picks, "the chart counts exactly what was sent");
    let right = expected_points.iter().take(25).filter(|p| **p == 1.0).count() as u32;
    assert_eq!((tally.right, tally.wrong, tally.missing), (right, 25 - right, 5));
    for (i, student) in students.iter_mut().enumerate() {
        let verdict = if i >= 25 {
            "No answer"
        } else if expected_points[i] == 0.0 {
            "Wrong"
        } else {
            "Right"
        };
        assert!(student.wait_for(verdict).await, "student {i} sees {verdict}:\n{}", student.text());
    }

    class.teacher(TeacherAction::Next).await;
    let view = class.view_until(|v| v.summary.is_some()).await;
    let summary = view.summary.unwrap();
    let share = quiz::share(f64::from(right), 25);
    assert_eq!(summary.questions[0].share_right, Some(share));
    assert_eq!(summary.students.len(), 30);
    for score in &summary.students {
        let i: usize = score.name[1..].parse().unwrap();
        assert_eq!(score.points, expected_points[i], "{}", score.name);
    }
    for student in &mut students {
        assert!(student.wait_for("Class quiz over").await, "{}", student.text());
    }

    class.end().await;
    for student in &mut students {
        assert!(student.wait_closed().await, "the class's end closes every session");
    }
    let number = class.number.to_string();
    let log = results::report(&class.db, Some(&number), Format::Log).expect("the answer log");
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 1 + 30, "a header, then a row per student and question:\n{log}");
    let gradebook = results::report(&class.db, Some(&number), Format::Csv).expect("the gradebook");
    let rows: Vec<&str> = gradebook.lines().collect();
    assert_eq!(rows.len(), 1 + 30, "a header, then a row per student:\n{gradebook}");
    for (i, name) in names.iter().enumerate() {
        let row = lines.iter().find(|l| l.starts_with(&format!("{name},1,"))).unwrap();
        if i < 25 {
            let item = shown.order[i % options.len()];
            assert!(row.contains(&options[item].text.replace('"', "\"\"")), "{row}");
        }
        let total = rows.iter().find(|l| l.starts_with(&format!("{name},"))).unwrap();
        // Joined at a time with its offset ("… +01:00"); left empty: there until the end.
        let fields: Vec<&str> = total.split(',').collect();
        let joined = fields[fields.len() - 2];
        assert!(joined.len() > 6 && joined[joined.len() - 6..].starts_with(['+', '-']), "{total}");
        assert_eq!(fields[fields.len() - 1], "", "nobody left before the end: {total}");
        // student, score, out of, the one question's points (empty: no answer).
        let points = match (expected_points[i] == 1.0, i < 25) {
            (true, _) => ",1,1,1,",
            (false, true) => ",0,1,0,",
            (false, false) => ",0,1,,",
        };
        assert!(total.contains(points), "{total}");
    }
    let _ = std::fs::remove_dir_all(class.db.parent().unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_student_takes_their_place_back_at_once_with_their_words_and_nobody_else_can() {
    let mut class = start("rejoin").await;
    let names = vec!["ana".to_owned(), "ben".to_owned()];
    let mut students = join_all(class.server.addr, &names).await;
    let words = crate::support::rejoin_words(&students[0].text());
    assert_eq!(words.split(' ').count(), 4, "{words}");
    // Ana reads on to the third section before the question.
    students[0].send(b"3").await;
    assert!(students[0].wait_for("3/6").await, "{}", students[0].text());
    class.teacher(TeacherAction::Ask { section: 1, questions: vec![0, 1] }).await;
    let ana = &mut students[0];
    assert!(ana.wait_for("Class question 1 of 2").await);
    let question = &class.course.sections[1].questions[0];
    let key: &[u8] = match question.answer {
        Answer::TrueFalse(_) => b"t",
        _ => b"1",
    };
    ana.send(key).await;
    ana.send(b"\r").await;
    assert!(ana.wait_for("Your answer is in").await, "{}", ana.text());
    class.view_until(|v| v.live.as_ref().is_some_and(|l| l.answered == 1)).await;

    // Someone else types "ana": asked for her words, wrong ones are refused, Esc leaves.
    let mut twin = Student::join(class.server.addr, "ana", 80, 24).await;
    assert!(twin.wait_for("is in this class").await, "{}", twin.text());
    twin.send(b"apple apple apple apple\r").await;
    assert!(twin.wait_for("not the words").await, "{}", twin.text());
    twin.send(b"\x1b").await;
    assert!(twin.wait_closed().await, "Esc leaves");
    assert!(!students[0].closed, "ana was never disturbed");

    // Ana's Wi-Fi drops: her old connection still looks alive, and she joins again with her
    // words: in at once, the stale session closed, her answer kept.
    let mut back = Student::join(class.server.addr, "ana", 80, 24).await;
    assert!(back.wait_for("is in this class").await, "{}", back.text());
    back.send(format!("{words}\r").as_bytes()).await;
    assert!(
        back.wait_for("Your answer is in").await,
        "the open question, answered:\n{}",
        back.text()
    );
    let stale = &mut students[0];
    assert!(stale.wait_for("another window").await || stale.wait_closed().await);
    assert!(stale.wait_closed().await, "the stale session is closed");
    let view = class.view_until(|v| v.roster.iter().all(|s| s.connected)).await;
    assert_eq!(view.roster.len(), 2, "a rejoin is not a new student");
    assert_eq!(view.live.unwrap().answered, 1, "the answer from before the drop counts");
    // Esc leaves the question for where ana was reading.
    back.send(b"\x1b").await;
    assert!(back.wait_for("3/6").await, "back in the third section:\n{}", back.text());
    class.end().await;
    assert!(back.wait_closed().await);
    let _ = std::fs::remove_dir_all(class.db.parent().unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_their_words_a_student_waits_for_the_teacher_who_lets_them_in_from_the_roster() {
    let mut class = start("confirm").await;
    let names = vec!["cleo".to_owned()];
    let cleo = join_all(class.server.addr, &names).await.remove(0);
    let old_words = crate::support::rejoin_words(&cleo.text());
    drop(cleo);
    class.view_until(|v| v.roster.iter().any(|s| s.name == "cleo" && !s.connected)).await;

    // On another computer, without her words: Enter with nothing typed asks the teacher.
    let mut again = Student::join(class.server.addr, "cleo", 80, 24).await;
    assert!(again.wait_for("is in this class").await, "{}", again.text());
    again.send(b"\r").await;
    assert!(again.wait_for("Waiting for the teacher").await, "{}", again.text());
    let view = class.view_until(|v| v.roster.iter().any(|s| s.asks_to_rejoin)).await;
    let id = view.roster[0].id;
    class.teacher(TeacherAction::LetRejoin(id)).await;
    assert!(again.wait_for("Your rejoin words").await, "let in, with new words:\n{}", again.text());
    let new_words = crate::support::rejoin_words(&again.text());
    assert_ne!(new_words, old_words);
    let view = class.view_until(|v| v.roster.iter().all(|s| s.connected)).await;
    assert_eq!(view.roster.len(), 1, "her own place, not a new student");
    assert!(!view.roster[0].asks_to_rejoin);
    class.end().await;
    let _ = std::fs::remove_dir_all(class.db.parent().unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ending_the_class_tells_every_student_and_closes_their_sessions() {
    let mut class = start("end").await;
    let names = vec!["ana".to_owned(), "ben".to_owned(), "cleo".to_owned()];
    let mut students = join_all(class.server.addr, &names).await;
    class.end().await;
    for student in &mut students {
        assert!(student.wait_for("The class has ended").await, "{}", student.text());
        assert!(student.wait_closed().await);
        assert_eq!(student.exit_status, Some(0));
    }
    let mut late = Student::join(class.server.addr, "dan", 80, 24).await;
    assert!(late.wait_for("has ended").await, "{}", late.text());
    let _ = std::fs::remove_dir_all(class.db.parent().unwrap());
}

fn stemcell(args: &[&str], state: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_stemcell"))
        .args(args)
        .env("STEMCELL_STATE_DIR", state)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the binary runs")
}

#[test]
fn stemcell_results_lists_the_classes_and_exports_one_as_csv() {
    let state = crate::support::state_dir("results-cli");
    let _ = std::fs::remove_dir_all(&state);
    let none = stemcell(&["results"], &state);
    assert_eq!(none.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&none.stderr).contains("no class results yet"));

    let course = content::load(&PackSource::BuiltIn).unwrap().course;
    let (writer, number, thread) =
        results::start(&state.join(results::FILE_NAME), &course).unwrap();
    let question = course.sections[0].questions[0].clone();
    let right = match &question.answer {
        Answer::Choice { options, .. } => stemcell::quiz::Response::Choice(
            (0..options.len()).filter(|&i| options[i].correct).collect(),
        ),
        Answer::TrueFalse(truth) => stemcell::quiz::Response::TrueFalse(*truth),
        other => panic!("a choice or true/false question first, not {other:?}"),
    };
    let ana = stemcell::class::protocol::StudentId(0);
    let ask = stemcell::class::protocol::AskId(1);
    writer.send(results::Record::Student { id: ana, name: "ana".into() });
    writer.send(results::Record::Ask { ask, section: 0, question: question.clone() });
    writer.send(results::Record::Answer {
        ask,
        student: ana,
        response: right,
        points: 1.0,
        speed: 0,
    });
    writer.send(results::Record::End);
    drop(writer);
    thread.join().unwrap();

    let list = stemcell(&["results"], &state);
    assert!(list.status.success());
    let list = String::from_utf8_lossy(&list.stdout).into_owned();
    assert!(list.contains(&course.title) && list.contains("1          1"), "{list}");
    let log = stemcell(&["results", &number.to_string(), "--format", "log"], &state);
    assert!(log.status.success());
    let log = String::from_utf8_lossy(&log.stdout).into_owned();
    assert!(log.starts_with("\u{feff}student,question_number,"), "{log}");
    assert!(log.contains(&format!("ana,1,{},{},", course.sections[0].id, question.id)), "{log}");
    let csv = stemcell(&["results", &number.to_string(), "--format", "csv"], &state);
    assert!(csv.status.success());
    let csv = String::from_utf8_lossy(&csv.stdout).into_owned();
    assert!(csv.starts_with("\u{feff}student,score,out_of,Q1: "), "{csv}");
    assert!(csv.contains("\nana,1,1,1,"), "the gradebook's row: {csv}");
    let missing = stemcell(&["results", "99"], &state);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no class '99'"));
    let _ = std::fs::remove_dir_all(&state);
}

#[test]
fn stemcell_serve_needs_a_terminal_for_its_console() {
    let state = crate::support::state_dir("serve-no-tty");
    let output = stemcell(&["serve", "--bind", "127.0.0.1", "--port", "0"], &state);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("needs a terminal"));
}
