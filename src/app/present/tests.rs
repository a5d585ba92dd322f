//! Classroom mode through its messages, as a teacher's clicker would send them.

use ratatui::layout::Size;

use super::super::{App, Msg, Screen, Settings};
use super::PresentState;
use crate::content::{self, load::PackSource};
use crate::learner::{Day, Learner, Record};
use crate::page::Glyphs;
use crate::ui::theme::ThemeName;

fn presenting(timer: Option<u64>) -> App {
    let course = content::load(&PackSource::BuiltIn).unwrap().course;
    let settings = Settings { theme: ThemeName::Dark, glyphs: Glyphs::UNICODE, seed: 4 };
    let learner = Learner::fresh(&course.id, Day(20_000));
    App::new(course, settings, learner, Size::new(160, 45)).presenting(timer)
}

fn step(app: &App) -> (usize, usize) {
    let p = app.present.as_ref().unwrap();
    (p.section, p.step)
}

#[test]
fn each_press_reveals_the_next_part_then_the_next_section() {
    let mut app = presenting(None);
    assert_eq!((app.screen, step(&app)), (Screen::Present, (0, 0)));
    let last = PresentState::last_step(&app, 0);
    let renew = app.course.diagrams.iter().find(|d| d.id == "renew-or-specialize").unwrap();
    let steps = crate::diagram::step_count(renew);
    assert!(steps > 1);
    assert_eq!(
        last,
        app.course.sections[0].blocks.len() + (steps - 1) + 2,
        "a press per block and per diagram step, then key points and the quiz offer"
    );
    for expected in 1..=last {
        app.update(Msg::NextSection);
        assert_eq!(step(&app), (0, expected));
    }
    assert!(app.present.as_ref().unwrap().at_quiz_offer(&app));
    app.update(Msg::NextSection);
    assert_eq!(step(&app), (1, 0), "past the offer: the next section's title");
    app.update(Msg::PreviousSection);
    assert_eq!(step(&app), (0, last), "back goes to the previous section's end");
    app.update(Msg::JumpTo(4));
    assert_eq!(step(&app), (4, 0));
}

#[test]
fn blanking_hides_everything_and_any_key_brings_it_back_without_moving() {
    let mut app = presenting(None);
    app.update(Msg::NextSection);
    app.update(Msg::ToggleBlank);
    assert!(app.present.as_ref().unwrap().blank);
    assert!(!app.wants_ticks(), "a blank screen needs no clock");
    app.update(Msg::NextSection);
    assert!(!app.present.as_ref().unwrap().blank);
    assert_eq!(step(&app), (0, 1), "the key that unblanks does not also advance");
}

#[test]
fn the_clock_ticks_only_while_shown() {
    let mut app = presenting(None);
    assert!(app.wants_ticks());
    app.update(Msg::Tick { elapsed: 75 });
    assert_eq!(app.present.as_ref().unwrap().elapsed, 75);
    app.update(Msg::ToggleClock);
    assert!(!app.wants_ticks(), "no clock, no countdown: the loop can sleep");
}

#[test]
fn a_class_quiz_counts_hands_reveals_and_summarises_without_touching_the_record() {
    let mut app = presenting(Some(20));
    let before = app.learner.record.clone();
    let last = PresentState::last_step(&app, 1);
    app.update(Msg::JumpTo(1));
    for _ in 0..last {
        app.update(Msg::NextSection);
    }
    app.update(Msg::Submit);
    let class = app.present.as_ref().unwrap().class.as_ref().expect("a class quiz");
    assert_eq!((class.section, class.question), (1, 0));
    let options = class.hands.len();
    assert!(options >= 2, "question 1 of harvesting is a choice");
    assert!(app.wants_ticks(), "the countdown runs");
    // 1 and 2 typed for the first option (12), 3 for the second.
    for msg in [
        Msg::Type('1'),
        Msg::Type('2'),
        Msg::SelectNext,
        Msg::Type('3'),
        Msg::Type('9'),
        Msg::DeleteBack,
    ] {
        app.update(msg);
    }
    let class = app.present.as_ref().unwrap().class.as_ref().unwrap();
    assert_eq!(&class.hands[..2], &[Some(12), Some(3)]);
    app.update(Msg::Submit);
    let class = app.present.as_ref().unwrap().class.as_ref().unwrap();
    assert!(class.revealed);
    let question = &app.course.sections[1].questions[0];
    let right_first = super::is_right(&question.answer, &class.shown, 0);
    let expected = if right_first { 12.0 / 15.0 } else { 3.0 / 15.0 };
    let share = class.results[0].1.expect("hands were counted");
    let right_second = super::is_right(&question.answer, &class.shown, 1);
    if right_first || right_second {
        assert!((share - expected).abs() < 1e-9, "{share} vs {expected}");
    }
    app.update(Msg::Submit);
    assert_eq!(app.present.as_ref().unwrap().class.as_ref().unwrap().question, 1);
    app.update(Msg::Back);
    assert!(app.present.as_ref().unwrap().class.as_ref().unwrap().finished, "Esc: the summary");
    app.update(Msg::Submit);
    assert!(app.present.as_ref().unwrap().class.is_none());
    assert_eq!(step(&app), (2, 0), "then the next section");
    assert_eq!(app.learner.record, before, "nothing goes into any learner record");
    assert_eq!(before, Record::new("stem-cell-therapy"));
}

#[test]
fn the_class_sees_the_same_option_order_as_a_handout_with_that_seed() {
    let mut app = presenting(None);
    app.update(Msg::JumpTo(1));
    for _ in 0..PresentState::last_step(&app, 1) {
        app.update(Msg::NextSection);
    }
    app.update(Msg::Submit);
    let class = app.present.as_ref().unwrap().class.as_ref().unwrap();
    let expected =
        crate::quiz::present_in(&app.course.sections[1], &app.course.sections[1].questions[0], 4);
    assert_eq!(class.shown, expected);
}
