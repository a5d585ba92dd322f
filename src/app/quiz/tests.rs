//! Answering every kind of question through messages, as key presses would.

use super::super::{App, Msg, Screen, Settings};
use super::Input;
use crate::content::{self, load::PackSource};
use crate::course::QuestionKind;
use crate::learner::{Day, Learner};
use crate::page::Glyphs;
use crate::quiz::{QuestionRef, Verdict};
use crate::ui::theme::ThemeName;
use ratatui::layout::Size;

fn app() -> App {
    let course = content::load(&PackSource::BuiltIn).unwrap().course;
    let settings = Settings { theme: ThemeName::Dark, glyphs: Glyphs::UNICODE, seed: 9 };
    let learner = Learner::fresh(&course.id, Day(20_000));
    App::new(course, settings, learner, Size::new(80, 24))
}

/// The first question of a kind in the built-in course.
fn first(app: &App, kind: QuestionKind) -> QuestionRef {
    for (s, section) in app.course.sections.iter().enumerate() {
        if let Some(q) = section.questions.iter().position(|q| q.kind() == kind) {
            return (s, q);
        }
    }
    panic!("no {kind:?} question")
}

fn on(kind: QuestionKind) -> App {
    let app = app();
    let question = first(&app, kind);
    app.quizzing_on(vec![question])
}

fn send(app: &mut App, messages: &[Msg]) {
    for msg in messages {
        app.update(*msg);
    }
}

fn verdict(app: &App) -> Option<Verdict> {
    app.quiz.as_ref()?.run.current_result().map(|(_, g)| g.verdict())
}

/// The screen position of the right option(s) of the current choice question.
fn right_positions(app: &App) -> Vec<usize> {
    let quiz = app.quiz.as_ref().unwrap();
    let crate::course::Answer::Choice { options, .. } = &quiz.run.question(&app.course).answer
    else {
        panic!("not a choice question")
    };
    let order = &quiz.run.presentation().order;
    (0..order.len()).filter(|&p| options[order[p]].correct).collect()
}

#[test]
fn single_choice_by_number_then_enter() {
    let mut app = on(QuestionKind::Single);
    let right = right_positions(&app)[0];
    let wrong = (right + 1) % 3;
    send(&mut app, &[Msg::Choose(wrong), Msg::Choose(right), Msg::Submit]);
    assert_eq!(verdict(&app), Some(Verdict::Right), "the last choice counts");
}

#[test]
fn single_choice_by_cursor_and_space() {
    let mut app = on(QuestionKind::Single);
    let right = right_positions(&app)[0];
    let wrong = usize::from(right == 0);
    for _ in 0..wrong {
        app.update(Msg::SelectNext);
    }
    send(&mut app, &[Msg::Toggle, Msg::Submit]);
    assert_eq!(verdict(&app), Some(Verdict::Wrong));
}

#[test]
fn multiple_choice_ticks_and_unticks() {
    let mut app = on(QuestionKind::Multiple);
    let right = right_positions(&app);
    let wrong = (0..9).find(|p| !right.contains(p)).unwrap();
    app.update(Msg::Choose(wrong));
    app.update(Msg::Choose(wrong));
    for &p in &right {
        app.update(Msg::Choose(p));
    }
    app.update(Msg::Submit);
    assert_eq!(verdict(&app), Some(Verdict::Right));
}

#[test]
fn true_false_by_letter() {
    let mut app = on(QuestionKind::TrueFalse);
    let crate::course::Answer::TrueFalse(truth) =
        app.quiz.as_ref().unwrap().run.question(&app.course).answer
    else {
        panic!()
    };
    assert_eq!(app.mode(), super::super::keymap::Mode::Judging);
    send(&mut app, &[Msg::Choose(usize::from(truth)), Msg::Submit]);
    assert_eq!(verdict(&app), Some(Verdict::Wrong), "the opposite of the truth is wrong");
}

#[test]
fn ordering_by_carrying_steps() {
    let mut app = on(QuestionKind::Order);
    // Sort the steps with the keys a learner has: pick up, carry, put down (selection sort).
    let count = app.quiz.as_ref().unwrap().input.item_count();
    for target in 0..count {
        let Input::Order { arrangement, .. } = &app.quiz.as_ref().unwrap().input else { panic!() };
        let from = arrangement.iter().position(|&s| s == target).unwrap();
        for _ in 0..count {
            app.update(Msg::SelectPrevious);
        }
        for _ in 0..from {
            app.update(Msg::SelectNext);
        }
        app.update(Msg::Toggle);
        for _ in target..from {
            app.update(Msg::SelectPrevious);
        }
        app.update(Msg::Toggle);
    }
    app.update(Msg::Submit);
    assert_eq!(verdict(&app), Some(Verdict::Right));
}

#[test]
fn matching_by_letters_moves_to_the_next_item() {
    let mut app = on(QuestionKind::Match);
    app.update(Msg::Submit);
    assert_eq!(verdict(&app), None, "an incomplete match is not checked");
    assert!(app.quiz.as_ref().unwrap().notice.is_some());
    let order = app.quiz.as_ref().unwrap().run.presentation().order.clone();
    for left in 0..order.len() {
        let position = order.iter().position(|&pair| pair == left).unwrap();
        app.update(Msg::Assign(position));
    }
    app.update(Msg::Submit);
    assert_eq!(verdict(&app), Some(Verdict::Right));
}

#[test]
fn matching_by_cycling_partners() {
    let mut app = on(QuestionKind::Match);
    let count = app.quiz.as_ref().unwrap().input.item_count();
    for left in 0..count {
        app.update(Msg::CycleForward);
        app.update(Msg::CycleBack);
        app.update(Msg::CycleForward);
        if left + 1 < count {
            app.update(Msg::SelectNext);
        }
    }
    let Input::Match { assigned, .. } = &app.quiz.as_ref().unwrap().input else { panic!() };
    assert!(assigned.iter().all(|a| *a == Some(0)), "{assigned:?}");
}

#[test]
fn fill_in_by_typing_with_backspace() {
    let mut app = on(QuestionKind::Fill);
    let crate::course::Answer::Fill(accepted) =
        &app.quiz.as_ref().unwrap().run.question(&app.course).answer
    else {
        panic!()
    };
    let answer = accepted[0].to_uppercase();
    app.update(Msg::Type('x'));
    app.update(Msg::DeleteBack);
    for c in answer.chars() {
        app.update(Msg::Type(c));
    }
    app.update(Msg::Submit);
    assert_eq!(verdict(&app), Some(Verdict::Right));
}

#[test]
fn an_answer_is_checked_once_and_enter_then_goes_on() {
    let mut app = app().quizzing(Some(1));
    let total = app.quiz.as_ref().unwrap().run.questions.len();
    for _ in 0..total {
        // Whatever the kind, give some answer: every kind accepts one of these.
        send(
            &mut app,
            &[Msg::Choose(0), Msg::Assign(0), Msg::Assign(1), Msg::Assign(2), Msg::Assign(3)],
        );
        send(&mut app, &[Msg::Assign(4), Msg::Type('x'), Msg::Submit]);
        assert!(verdict(&app).is_some(), "{:?}", app.quiz.as_ref().unwrap().input);
        app.update(Msg::Choose(1));
        app.update(Msg::Submit);
    }
    assert_eq!(app.screen, Screen::Results);
    assert_eq!(app.quiz.as_ref().unwrap().run.answered(), total);
}

#[test]
fn show_me_where_opens_the_teaching_block_and_back_returns() {
    let mut app = on(QuestionKind::Single);
    let (section, question) = app.quiz.as_ref().unwrap().run.questions[0];
    send(&mut app, &[Msg::Choose(0), Msg::Submit, Msg::ShowWhere]);
    assert_eq!((app.screen, app.section), (Screen::Reader, section));
    let block = app.course.sections[section].questions[question].block;
    let start = app.page().block_starts[block];
    let rows = app.reader_areas().text.height as usize;
    assert!((app.scroll..app.scroll + rows).contains(&start), "the block is on screen");
    app.update(Msg::Back);
    assert_eq!(app.screen, Screen::Quiz);
    assert!(verdict(&app).is_some(), "the feedback is still there");
}

#[test]
fn escape_ends_the_quiz_and_results_offer_the_missed_ones() {
    let mut app = app().quizzing(Some(2));
    send(
        &mut app,
        &[Msg::Choose(0), Msg::Assign(0), Msg::Type('z'), Msg::Submit, Msg::Submit, Msg::Back],
    );
    assert_eq!(app.screen, Screen::Results);
    let missed = app.quiz.as_ref().unwrap().run.missed();
    app.update(Msg::RetryMissed);
    assert_eq!(app.screen, Screen::Quiz);
    assert_eq!(app.quiz.as_ref().unwrap().run.questions, missed);
}

#[test]
fn the_reader_offers_its_section_quiz_and_results_return_to_it() {
    let mut app = app().opened_at(3);
    app.update(Msg::StartQuiz);
    let quiz = app.quiz.as_ref().unwrap();
    assert!(quiz.run.questions.iter().all(|(s, _)| *s == 3));
    assert_eq!(quiz.run.questions.len(), app.course.sections[3].questions.len());
    send(&mut app, &[Msg::Back, Msg::Back]);
    assert_eq!((app.screen, app.section), (Screen::Reader, 3));
    assert!(app.quiz.is_none());
}

#[test]
fn the_title_screen_quiz_covers_the_whole_course() {
    let mut app = app();
    app.update(Msg::StartQuiz);
    let total: usize = app.course.sections.iter().map(|s| s.questions.len()).sum();
    assert_eq!(app.quiz.as_ref().unwrap().run.questions.len(), total);
}

#[test]
fn clicks_choose_options_and_press_buttons() {
    let mut app = on(QuestionKind::Single);
    let right = right_positions(&app)[0];
    // Find the row of the right option by asking the view where a click lands.
    let row = (0..24)
        .find(|&row| app.quiz_target_at(10, row) == Some(crate::ui::quiz::Target::Item(right)))
        .expect("the option is on screen");
    app.update(Msg::Click { column: 10, row });
    let check = (0..24)
        .find(|&row| app.quiz_target_at(4, row) == Some(crate::ui::quiz::Target::Check))
        .expect("a check button");
    app.update(Msg::Click { column: 4, row: check });
    assert_eq!(verdict(&app), Some(Verdict::Right));
    assert_eq!(app.quiz_target_at(0, 0), None, "the header is not a target");
}
