//! The teacher's console through its keys and the class's views.
// Points are sums of wholes and halves, exact in binary: exact comparison is right.
#![allow(clippy::float_cmp)]

use ratatui::layout::Size;

use super::super::keymap::{self, Key, Mode};
use super::super::{App, Effect, Msg, PresentState, Settings};
use super::JoinInfo;
use crate::content::{self, load::PackSource};
use crate::course::Answer;
use crate::learner::{Day, Learner};
use crate::page::Glyphs;
use crate::serve::protocol::{
    AskId, ClassView, LiveView, Place, QuestionSummary, RosterEntry, StudentId, StudentStatus,
    Summary, Tally, TeacherAction,
};
use crate::ui::theme::ThemeName;

fn console() -> App {
    let course = content::load(&PackSource::BuiltIn).unwrap().course;
    let settings = Settings { theme: ThemeName::Dark, glyphs: Glyphs::UNICODE, seed: 4 };
    let learner = Learner::fresh(&course.id, Day(20_000));
    let join = JoinInfo {
        lines: vec!["ssh -p 2222 NAME@127.0.0.1".into()],
        code: Some("4821".into()),
        fingerprint: "SHA256:abc".into(),
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
