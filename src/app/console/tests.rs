//! The teacher's console through its keys and the class's views.
// Points are sums of wholes and halves, exact in binary: exact comparison is right.
#![allow(clippy::float_cmp)]

use ratatui::layout::Size;

use super::super::keymap::{self, Key, Mode};
use super::super::{App, Effect, Msg, PresentState, Settings};
use super::JoinInfo;
use crate::class::protocol::{
    AskId, ClassView, Leaderboard, LiveView, Place, QuestionSummary, RosterEntry, StudentId,
    StudentScore, StudentStatus, Summary, Tally, TeacherAction,
};
use crate::content::{self, load::PackSource};
use crate::course::Answer;
use crate::learner::{Day, Learner};
use crate::page::Glyphs;
use crate::ui::theme::ThemeName;

fn console() -> App {
    let course = content::load(&PackSource::BuiltIn).unwrap().course;
    let settings = Settings { theme: ThemeName::Dark, glyphs: Glyphs::UNICODE, seed: 4 };
    let learner = Learner::fresh(&course.id, Day(20_000));
    let join = JoinInfo {
        lines: vec!["ssh -p 2222 NAME@127.0.0.1".into()],
        code: Some("4821".into()),
        fingerprint: "SHA256:abc".into(),
        ..JoinInfo::default()
    };
    App::new(course, settings, learner, Size::new(120, 40)).with_console(None, join)
}

fn press(app: &mut App, key: Key) -> Effect {
    let msg = keymap::dispatch(app.key_mode(), key).unwrap_or_else(|| panic!("{key:?} unbound"));
    app.update(msg)
}

fn student(id: u32, name: &str) -> RosterEntry {
    RosterEntry {
        id: StudentId(id),
        name: name.into(),
        connected: true,
        kicked: false,
        asks_to_rejoin: false,
        status: StudentStatus::default(),
        answered_live: false,
        answered: 0,
        points: 0.0,
        speed: 0,
    }
}

#[test]
fn the_console_tells_the_class_where_the_teacher_is_and_switches_follow() {
    let mut app = console();
    assert_eq!(app.mode(), Mode::PresentClass);
    press(&mut app, Key::Char('f'));
    assert_eq!(
        app.take_teacher_actions(),
        vec![TeacherAction::At(Place { section: 0, block: None }), TeacherAction::Follow(true)]
    );
    press(&mut app, Key::Right);
    assert_eq!(
        app.take_teacher_actions(),
        vec![TeacherAction::At(Place { section: 0, block: Some(0) })]
    );
    press(&mut app, Key::Char('3'));
    assert_eq!(
        app.take_teacher_actions(),
        vec![TeacherAction::At(Place { section: 2, block: None })]
    );
    press(&mut app, Key::Char('L'));
    assert_eq!(app.take_teacher_actions(), vec![TeacherAction::Lock(true)]);
    assert!(keymap::bindings(app.key_mode()).iter().any(|b| b.hint == Some("follow")));
    assert!(
        keymap::bindings(app.key_mode()).iter().any(|b| b.msg == Msg::NextSection),
        "present mode's keys still work and show"
    );
}

#[test]
fn a_class_quiz_on_the_console_asks_reveals_goes_on_and_shows_the_real_tally() {
    let mut app = console();
    let last = PresentState::last_step(&app, 0);
    for _ in 0..last {
        press(&mut app, Key::Right);
    }
    app.take_teacher_actions();
    press(&mut app, Key::Enter);
    let count = app.course.sections[0].questions.len();
    assert_eq!(
        app.take_teacher_actions(),
        vec![TeacherAction::Ask { section: 0, questions: (0..count).collect() }]
    );
    assert_eq!(app.mode(), Mode::ClassLive);
    assert!(keymap::dispatch(Mode::ClassLive, Key::Char('3')).is_none(), "no typed hands");
    let class = app.present.as_ref().unwrap().class.clone().unwrap();
    let question = app.course.sections[0].questions[class.question].clone();
    let options = match &question.answer {
        Answer::Choice { options, .. } => options.len(),
        Answer::TrueFalse(_) => 2,
        other => panic!("the first question counts picks: {other:?}"),
    };
    press(&mut app, Key::Enter);
    assert_eq!(app.take_teacher_actions(), vec![TeacherAction::Reveal]);
    // The class's tally arrives: picks per option in the question's own order.
    let picks: Vec<u32> = (0..options as u32).map(|i| i + 1).collect();
    let live = LiveView {
        ask: AskId(1),
        section: 0,
        question: class.question,
        number: 1,
        of: count,
        answered: 6,
        expected: 8,
        seconds_left: None,
        closed: true,
        revealed: true,
        tally: Some(Tally { picks: picks.clone(), right: 3, partly: 0, wrong: 3, missing: 2 }),
    };
    app.class_view(ClassView { live: Some(live), ..ClassView::default() });
    let class = app.present.as_ref().unwrap().class.clone().unwrap();
    for (position, hands) in class.hands.iter().enumerate() {
        let item = if options == 2 && matches!(question.answer, Answer::TrueFalse(_)) {
            position
        } else {
            class.shown.order[position]
        };
        assert_eq!(*hands, Some(picks[item]), "position {position}");
    }
    assert_eq!(class.results.last(), Some(&(class.question, Some(0.5))));
    press(&mut app, Key::Enter);
    assert_eq!(app.take_teacher_actions(), vec![TeacherAction::Next]);
    press(&mut app, Key::Esc);
    assert_eq!(app.take_teacher_actions(), vec![TeacherAction::CloseQuiz]);
    let summary = Summary {
        questions: vec![QuestionSummary {
            section: 0,
            question: 0,
            answers: 6,
            share_right: Some(0.25),
        }],
        ..Summary::default()
    };
    app.class_view(ClassView { summary: Some(summary), ..ClassView::default() });
    let class = app.present.as_ref().unwrap().class.clone().unwrap();
    assert_eq!(class.results, vec![(0, Some(0.25))], "the class's own summary");
}

#[test]
fn the_roster_kicks_and_renames_the_highlighted_student() {
    let mut app = console();
    app.take_teacher_actions();
    app.class_view(ClassView {
        roster: vec![student(0, "Ana"), student(1, "Ben")],
        ..ClassView::default()
    });
    press(&mut app, Key::Char('r'));
    assert_eq!(app.mode(), Mode::Roster);
    press(&mut app, Key::Down);
    press(&mut app, Key::Char('K'));
    assert_eq!(app.mode(), Mode::ConfirmKick, "a kick asks first");
    press(&mut app, Key::Char('n'));
    assert!(app.take_teacher_actions().is_empty(), "n keeps the student");
    assert_eq!(app.mode(), Mode::Roster);
    press(&mut app, Key::Char('K'));
    press(&mut app, Key::Char('y'));
    assert_eq!(app.take_teacher_actions(), vec![TeacherAction::Kick(StudentId(1))]);
    press(&mut app, Key::Char('R'));
    assert_eq!(app.mode(), Mode::Renaming);
    for c in "Benny q".chars() {
        press(&mut app, Key::Char(c));
    }
    press(&mut app, Key::Backspace);
    press(&mut app, Key::Backspace);
    press(&mut app, Key::Enter);
    assert_eq!(
        app.take_teacher_actions(),
        vec![TeacherAction::Rename(StudentId(1), "Benny".into())]
    );
    press(&mut app, Key::Esc);
    assert_eq!(app.mode(), Mode::PresentClass);
}

#[test]
fn quitting_or_ending_asks_first_then_ends_the_class() {
    let mut app = console();
    app.take_teacher_actions();
    assert_eq!(press(&mut app, Key::Char('q')), Effect::None);
    assert_eq!(app.mode(), Mode::ConfirmEnd);
    press(&mut app, Key::Char('n'));
    assert_eq!(app.mode(), Mode::PresentClass);
    assert!(app.take_teacher_actions().is_empty());
    press(&mut app, Key::Char('E'));
    assert_eq!(press(&mut app, Key::Char('y')), Effect::Quit);
    assert_eq!(app.take_teacher_actions(), vec![TeacherAction::End]);
}

fn score(id: u32, name: &str, points: f64) -> StudentScore {
    StudentScore { id: StudentId(id), name: name.into(), answered: 1, points, speed: 0 }
}

/// The class's summary of one question asked alone, with these students (in the class's order).
fn summary(question: usize, students: Vec<StudentScore>, leaderboard: Leaderboard) -> ClassView {
    let summary = Summary {
        questions: vec![QuestionSummary {
            section: 0,
            question,
            answers: 3,
            share_right: Some(0.5),
        }],
        students,
        leaderboard,
    };
    ClassView { summary: Some(summary), ..ClassView::default() }
}

/// Asks the question on row `row` of the console's list, reveals it and goes on to the summary.
fn ask_alone_to_the_summary(app: &mut App, down: usize) {
    press(app, Key::Char('a'));
    for _ in 0..down {
        press(app, Key::Down);
    }
    press(app, Key::Enter);
    press(app, Key::Enter);
    press(app, Key::Enter);
}

#[test]
fn the_question_list_asks_the_class_one_chosen_question_then_sums_it_up() {
    let mut app = console();
    app.take_teacher_actions();
    let count = app.course.sections[0].questions.len();
    assert!(count >= 3, "the first section has questions to choose from");
    assert!(
        keymap::bindings(app.key_mode())
            .iter()
            .any(|b| b.msg == Msg::PickQuestion && b.hint == Some("ask")),
        "the footer and the help show the key"
    );
    press(&mut app, Key::Char('a'));
    assert_eq!(app.mode(), Mode::QuestionPicker);
    press(&mut app, Key::Down);
    assert_eq!(app.console.as_ref().unwrap().picker, Some(1));
    // Esc closes the list and asks nothing.
    press(&mut app, Key::Esc);
    assert_eq!(app.mode(), Mode::PresentClass);
    assert!(app.take_teacher_actions().is_empty());
    assert!(app.present.as_ref().unwrap().class.is_none());

    press(&mut app, Key::Char('a'));
    press(&mut app, Key::Down);
    press(&mut app, Key::Down);
    press(&mut app, Key::Enter);
    assert_eq!(
        app.take_teacher_actions(),
        vec![TeacherAction::Ask { section: 0, questions: vec![2] }],
        "only the chosen question is asked"
    );
    assert_eq!(app.mode(), Mode::ClassLive);
    assert_eq!(app.present.as_ref().unwrap().class.as_ref().unwrap().question, 2);
    press(&mut app, Key::Enter);
    assert_eq!(app.take_teacher_actions(), vec![TeacherAction::Reveal]);
    // After the one question comes the summary, not the section's next question.
    press(&mut app, Key::Enter);
    assert_eq!(app.take_teacher_actions(), vec![TeacherAction::CloseQuiz]);
    assert!(app.present.as_ref().unwrap().class.as_ref().unwrap().finished);
    assert_eq!(app.mode(), Mode::ClassSummary);
}

#[test]
fn the_question_list_also_asks_all_the_sections_questions() {
    let mut app = console();
    app.take_teacher_actions();
    let count = app.course.sections[0].questions.len();
    press(&mut app, Key::Char('a'));
    // Up from the first question wraps to the last row: all of them.
    press(&mut app, Key::Up);
    assert_eq!(app.console.as_ref().unwrap().picker, Some(count));
    press(&mut app, Key::Enter);
    assert_eq!(
        app.take_teacher_actions(),
        vec![TeacherAction::Ask { section: 0, questions: (0..count).collect() }]
    );
    press(&mut app, Key::Enter);
    press(&mut app, Key::Enter);
    assert_eq!(app.take_teacher_actions(), vec![TeacherAction::Reveal, TeacherAction::Next]);
    assert_eq!(app.present.as_ref().unwrap().class.as_ref().unwrap().question, 1);
}

#[test]
fn the_summary_shows_each_students_score_by_name_when_the_teacher_asks() {
    let mut app = console();
    ask_alone_to_the_summary(&mut app, 1);
    app.take_teacher_actions();
    // The class ranks by points when a leaderboard is on; the page goes by name all the same.
    let students = vec![score(1, "Ben", 1.0), score(0, "ana", 0.5), score(2, "Cleo", 0.0)];
    app.class_view(summary(1, students, Leaderboard::Named));
    assert!(!app.console.as_ref().unwrap().scores_shown, "the questions' page comes first");
    press(&mut app, Key::Char('s'));
    let console = app.console.as_ref().unwrap();
    assert!(console.scores_shown);
    let scores = console.scores().unwrap();
    assert_eq!(scores.asked, 1);
    let rows: Vec<(Option<&str>, f64)> =
        scores.rows.iter().map(|r| (r.name.as_deref(), r.points)).collect();
    assert_eq!(rows, vec![(Some("ana"), 0.5), (Some("Ben"), 1.0), (Some("Cleo"), 0.0)]);
    assert!(app.take_teacher_actions().is_empty(), "the class is not told");
    press(&mut app, Key::Char('s'));
    assert!(!app.console.as_ref().unwrap().scores_shown);
    press(&mut app, Key::Char('s'));
    // The next quiz's summary starts on its questions again.
    press(&mut app, Key::Enter);
    ask_alone_to_the_summary(&mut app, 0);
    assert_eq!(app.mode(), Mode::ClassSummary);
    assert!(!app.console.as_ref().unwrap().scores_shown);
}

#[test]
fn an_anonymous_class_sees_how_many_got_each_score_and_no_names() {
    let mut app = console();
    ask_alone_to_the_summary(&mut app, 0);
    let students = vec![score(1, "Ben", 1.0), score(0, "Ana", 1.0), score(2, "Cleo", 0.0)];
    app.class_view(summary(0, students, Leaderboard::Anonymous));
    press(&mut app, Key::Char('s'));
    let scores = app.console.as_ref().unwrap().scores().unwrap();
    let rows: Vec<(Option<&str>, f64, usize)> =
        scores.rows.iter().map(|r| (r.name.as_deref(), r.points, r.students)).collect();
    assert_eq!(rows, vec![(None, 1.0, 2), (None, 0.0, 1)]);
}

#[test]
fn with_the_question_list_or_the_roster_open_help_resize_and_the_clock_still_work() {
    for open in [Key::Char('a'), Key::Char('r')] {
        let mut app = console();
        press(&mut app, open);
        press(&mut app, Key::Char('?'));
        assert!(app.help_open, "{open:?}: ? opens the help");
        press(&mut app, Key::Char('?'));
        app.update(Msg::Resize { width: 80, height: 24 });
        assert_eq!(app.viewport, Size::new(80, 24), "{open:?}");
        app.update(Msg::Tick { elapsed: 42 });
        assert_eq!(app.present.as_ref().unwrap().elapsed, 42, "{open:?}");
        assert_ne!(app.mode(), Mode::PresentClass, "{open:?}: the box stays open");
    }
}

#[test]
fn a_question_asked_mid_section_returns_to_the_teachers_place_after_the_summary() {
    for leave in [Key::Enter, Key::Esc] {
        let mut app = console();
        for _ in 0..4 {
            press(&mut app, Key::Right);
        }
        let place = app.present.as_ref().map(|p| (p.section, p.step)).unwrap();
        assert_eq!(place, (0, 4));
        app.take_teacher_actions();
        ask_alone_to_the_summary(&mut app, 1);
        assert_eq!(app.mode(), Mode::ClassSummary);
        app.take_teacher_actions();
        press(&mut app, leave);
        let present = app.present.as_ref().unwrap();
        assert!(present.class.is_none());
        assert_eq!((present.section, present.step), place, "{leave:?} returns to part 4");
        assert!(
            !app.take_teacher_actions().iter().any(|a| matches!(a, TeacherAction::At(_))),
            "the class is not moved on either"
        );
    }
}

#[test]
fn after_a_kick_the_highlight_stays_on_that_student_who_can_be_let_back_in() {
    let mut app = console();
    app.take_teacher_actions();
    let roster = vec![student(0, "Ana"), student(1, "Ben"), student(2, "Cleo")];
    app.class_view(ClassView { roster: roster.clone(), ..ClassView::default() });
    press(&mut app, Key::Char('r'));
    press(&mut app, Key::Down);
    press(&mut app, Key::Char('K'));
    press(&mut app, Key::Char('y'));
    assert_eq!(app.take_teacher_actions(), vec![TeacherAction::Kick(StudentId(1))]);
    // The class answers with Ben marked as kicked, and someone new joining at the top.
    let mut after = roster;
    after[1].kicked = true;
    after[1].connected = false;
    after.insert(0, student(3, "Abe"));
    app.class_view(ClassView { roster: after, ..ClassView::default() });
    let console = app.console.as_ref().unwrap();
    assert_eq!(console.selected_student(), Some(StudentId(1)), "not Cleo, not Abe: still Ben");
    // K on the kicked row asks to let Ben back in.
    press(&mut app, Key::Char('K'));
    assert_eq!(app.mode(), Mode::ConfirmKick);
    press(&mut app, Key::Char('y'));
    assert_eq!(app.take_teacher_actions(), vec![TeacherAction::LetBackIn(StudentId(1))]);
}
