//! A student's side of a live class, through the class's events and the student's keys.
// Points are sums of wholes and halves, exact in binary: exact comparison is right.
#![allow(clippy::float_cmp)]

use ratatui::layout::Size;

use super::super::keymap::Mode;
use super::super::{App, Effect, Msg, QuizKind, Screen, Settings};
use crate::class::protocol::{
    AskId, GivenAnswer, Joined, LiveQuestion, Place, Reveal, StudentAction, StudentId,
    StudentStatus, ToStudent,
};
use crate::content::{self, load::PackSource};
use crate::course::QuestionKind;
use crate::learner::{Day, Learner};
use crate::page::Glyphs;
use crate::quiz::{self, QuestionRef, Response};
use crate::ui::theme::ThemeName;

fn app() -> App {
    let course = content::load(&PackSource::BuiltIn).unwrap().course;
    let settings = Settings { theme: ThemeName::Dark, glyphs: Glyphs::UNICODE, seed: 9 };
    let learner = Learner::fresh(&course.id, Day(20_000));
    App::new(course, settings, learner, Size::new(80, 24))
}

fn joined(name: &str) -> Joined {
    Joined {
        id: StudentId(3),
        session: 1,
        name: name.into(),
        rejoined: false,
        words: None,
        resume: None,
        answers: Vec::new(),
        follow: None,
        live: None,
    }
}

fn seated() -> App {
    let mut app = app();
    app.join_class(joined("Ana"));
    app.take_class_actions();
    app
}

fn first(app: &App, kind: QuestionKind) -> QuestionRef {
    for (s, section) in app.course.sections.iter().enumerate() {
        if let Some(q) = section.questions.iter().position(|q| q.kind() == kind) {
            return (s, q);
        }
    }
    panic!("no {kind:?} question")
}

fn live(ask: u32, (section, question): QuestionRef) -> LiveQuestion {
    LiveQuestion {
        ask: AskId(ask),
        section,
        question,
        number: 1,
        of: 1,
        seconds_left: None,
        answered: None,
        closed: false,
    }
}

fn answers(app: &mut App) -> Vec<(AskId, Response)> {
    app.take_class_actions()
        .into_iter()
        .filter_map(|a| match a {
            StudentAction::Answer { ask, response } => Some((ask, response)),
            StudentAction::Status(_) => None,
        })
        .collect()
}

/// The keys a student would press to answer a question of each kind.
fn keys_for(kind: QuestionKind) -> Vec<Msg> {
    match kind {
        QuestionKind::Single | QuestionKind::TrueFalse => vec![Msg::Choose(0)],
        QuestionKind::Multiple => vec![Msg::Choose(0), Msg::Choose(1)],
        QuestionKind::Order => vec![Msg::Toggle, Msg::SelectNext, Msg::Toggle],
        QuestionKind::Match => vec![Msg::Assign(0), Msg::Assign(1), Msg::Assign(2), Msg::Assign(3)],
        QuestionKind::Fill => "blood".chars().map(Msg::Type).collect(),
    }
}

#[test]
fn every_kind_of_class_question_is_answered_on_the_quiz_screen_sent_once_then_revealed() {
    for (n, kind) in QuestionKind::ALL.into_iter().enumerate() {
        let mut app = seated();
        let at = first(&app, kind);
        app.class_event(ToStudent::Question(live(10 + n as u32, at)));
        assert_eq!(app.screen, Screen::Quiz, "{kind:?}");
        assert_eq!(app.quiz.as_ref().unwrap().kind, QuizKind::Class);
        let hints: Vec<_> =
            super::super::keymap::bindings(app.key_mode()).iter().filter_map(|b| b.hint).collect();
        assert!(hints.contains(&"send") && !hints.contains(&"check"), "{kind:?}: {hints:?}");
        for msg in keys_for(kind) {
            app.update(msg);
        }
        app.update(Msg::Submit);
        let sent = answers(&mut app);
        assert_eq!(sent.len(), 1, "{kind:?}: one answer sent");
        assert_eq!(sent[0].0, AskId(10 + n as u32));
        assert!(app.quiz.as_ref().unwrap().run.current_result().is_none(), "not graded here");
        assert_eq!(app.mode(), Mode::ClassWaiting, "{kind:?}");
        // Changing or sending again does nothing while waiting.
        app.update(Msg::Choose(1));
        app.update(Msg::Type('x'));
        app.update(Msg::Submit);
        assert!(answers(&mut app).is_empty(), "{kind:?}");

        let question = &app.course.sections[at.0].questions[at.1];
        let grade = quiz::grade(question, &sent[0].1);
        app.class_event(ToStudent::Revealed(Reveal {
            ask: sent[0].0,
            section: at.0,
            question: at.1,
            response: Some(sent[0].1.clone()),
            points: grade.points,
            speed: None,
        }));
        let (response, shown) = app.quiz.as_ref().unwrap().run.current_result().unwrap().clone();
        assert_eq!((response, shown.points), (sent[0].1.clone(), grade.points));
        assert_eq!(app.mode(), Mode::ClassAnswered, "{kind:?}: the feedback screen");
        app.update(Msg::Submit);
        assert_ne!(app.screen, Screen::Quiz, "{kind:?}: Enter leaves the class question");
        assert!(app.learner.record.answers.is_empty(), "class answers stay out of the record");
    }
}

#[test]
fn no_answer_in_time_shows_no_answer_and_the_right_answer_not_wrong() {
    let mut app = seated();
    let at = first(&app, QuestionKind::Single);
    app.class_event(ToStudent::Question(live(1, at)));
    app.class_event(ToStudent::Closed { ask: AskId(1) });
    assert_eq!(app.mode(), Mode::ClassWaiting, "closed: nothing more to answer");
    app.update(Msg::Choose(0));
    app.update(Msg::Submit);
    assert!(answers(&mut app).is_empty());
    app.class_event(ToStudent::Revealed(Reveal {
        ask: AskId(1),
        section: at.0,
        question: at.1,
        response: None,
        points: 0.0,
        speed: None,
    }));
    let (_, grade) = app.quiz.as_ref().unwrap().run.current_result().unwrap();
    assert_eq!(grade.points, 0.0);
    let text = screen(&app);
    assert!(text.contains("No answer: 0 points"), "{text}");
    assert!(!text.contains("Wrong"), "nothing was answered, so nothing was wrong: {text}");
    assert!(text.contains("The answer:"), "the right answer is still shown: {text}");
}

fn screen(app: &App) -> String {
    use ratatui::widgets::Widget;
    let area = ratatui::layout::Rect::new(0, 0, 100, 40);
    let mut buf = ratatui::buffer::Buffer::empty(area);
    crate::ui::AppView(app).render(area, &mut buf);
    (0..area.height)
        .map(|y| {
            (0..area.width).map(|x| buf[(x, y)].symbol().to_owned()).collect::<String>() + "\n"
        })
        .collect()
}

#[test]
fn a_class_question_sets_the_students_own_quiz_aside_and_gives_it_back() {
    let mut app = seated();
    app.update(Msg::JumpTo(1));
    app.update(Msg::StartQuiz);
    app.update(Msg::Choose(0));
    let own = app.quiz.clone().unwrap();
    assert_eq!(own.kind, QuizKind::Section(1));
    let at = first(&app, QuestionKind::TrueFalse);
    app.class_event(ToStudent::Question(live(1, at)));
    assert_eq!(app.quiz.as_ref().unwrap().kind, QuizKind::Class);
    app.update(Msg::Choose(0));
    app.update(Msg::Submit);
    app.class_event(ToStudent::Revealed(Reveal {
        ask: AskId(1),
        section: at.0,
        question: at.1,
        response: Some(Response::TrueFalse(true)),
        points: 1.0,
        speed: None,
    }));
    app.update(Msg::Submit);
    assert_eq!(app.screen, Screen::Quiz);
    let back = app.quiz.as_ref().unwrap();
    assert_eq!((back.kind, &back.input), (QuizKind::Section(1), &own.input), "as they left it");
}

#[test]
fn follow_moves_the_reader_a_student_can_step_away_and_catch_up() {
    let mut app = seated();
    let place = Place { section: 2, block: Some(2) };
    app.class_event(ToStudent::Follow(Some(place)));
    assert_eq!((app.screen, app.section), (Screen::Reader, 2));
    let block_start = app.page().block_starts[2];
    assert!(app.scroll <= block_start && app.scroll + 1 >= block_start.min(app.max_scroll()));
    let status = app.take_class_actions();
    assert!(
        matches!(
            status[..],
            [StudentAction::Status(StudentStatus { section: 2, following: true, .. })]
        ),
        "{status:?}"
    );
    assert_eq!(app.mode(), Mode::ReaderClass);
    app.update(Msg::NextSection);
    assert_eq!(app.section, 3);
    assert!(app.class.as_ref().unwrap().away);
    // While away, the teacher's moves do not pull the student back.
    app.class_event(ToStudent::Follow(Some(Place { section: 2, block: Some(3) })));
    assert_eq!(app.section, 3);
    let key =
        super::super::keymap::dispatch(Mode::ReaderClass, super::super::keymap::Key::Char('c'));
    assert_eq!(key, Some(Msg::CatchUp), "c catches up");
    app.update(Msg::CatchUp);
    assert_eq!((app.screen, app.section), (Screen::Reader, 2));
    assert!(!app.class.as_ref().unwrap().away);
    assert_eq!(app.scroll, app.page().block_starts[3].saturating_sub(1).min(app.max_scroll()));
    app.class_event(ToStudent::Follow(None));
    app.update(Msg::NextSection);
    assert_eq!(app.section, 3, "follow off: the student reads freely");
}

#[test]
fn a_student_can_read_during_a_class_question_and_come_back_to_it() {
    let mut app = seated();
    app.update(Msg::JumpTo(0));
    let at = first(&app, QuestionKind::Fill);
    app.class_event(ToStudent::Question(live(4, at)));
    app.update(Msg::Back);
    assert_eq!((app.screen, app.section), (Screen::Reader, 0), "back where they were");
    app.update(Msg::CatchUp);
    assert!(app.in_class_question());
    for c in "blood".chars() {
        app.update(Msg::Type(c));
    }
    app.update(Msg::Submit);
    assert_eq!(answers(&mut app), vec![(AskId(4), Response::Fill("blood".into()))]);
}

#[test]
fn a_rejoin_puts_the_student_back_where_they_were_with_their_answer_waiting() {
    let mut app = app();
    let at = first(&app, QuestionKind::Single);
    let mut open = live(7, at);
    open.answered = Some(Response::Choice(vec![0]));
    let back = Joined {
        rejoined: true,
        resume: Some(StudentStatus { section: 3, scroll: 5, ..StudentStatus::default() }),
        answers: vec![GivenAnswer {
            ask: AskId(2),
            section: 0,
            question: 0,
            response: Response::TrueFalse(true),
            points: 1.0,
        }],
        live: Some(open),
        ..joined("Ana")
    };
    app.join_class(back);
    assert!(app.in_class_question(), "the open question first");
    assert_eq!(app.mode(), Mode::ClassWaiting, "their answer is in");
    let quiz = app.quiz.as_ref().unwrap();
    let question = quiz.run.question(&app.course);
    assert_eq!(
        quiz.input.response(question, quiz.run.presentation()),
        Ok(Response::Choice(vec![0])),
        "their earlier pick is shown"
    );
    assert!(app.notice.as_deref().unwrap().contains("1 class answer is kept"));
    app.update(Msg::Back);
    assert_eq!((app.screen, app.section, app.scroll), (Screen::Reader, 3, 5));
}

#[test]
fn the_end_of_the_class_ends_the_session_with_a_word_why() {
    let mut app = seated();
    assert_eq!(app.class_event(ToStudent::Ended), Effect::Quit);
    assert!(app.class_farewell().unwrap().contains("ended"));
    let mut app = seated();
    assert_eq!(app.class_event(ToStudent::Kicked), Effect::Quit);
    assert!(app.class_farewell().unwrap().contains("removed"));
    let mut app = seated();
    app.class_event(ToStudent::Renamed("Anna".into()));
    assert_eq!(app.class.as_ref().unwrap().name, "Anna");
}

#[test]
fn a_following_student_on_the_quiz_over_box_follows_the_teacher_into_the_next_section() {
    let mut app = seated();
    app.class_event(ToStudent::Follow(Some(Place { section: 0, block: None })));
    let at = first(&app, QuestionKind::Single);
    app.class_event(ToStudent::Question(live(1, at)));
    app.update(Msg::Choose(0));
    app.update(Msg::Submit);
    app.class_event(ToStudent::Revealed(Reveal {
        ask: AskId(1),
        section: at.0,
        question: at.1,
        response: Some(Response::Choice(vec![0])),
        points: 0.0,
        speed: None,
    }));
    app.class_event(ToStudent::QuizOver(crate::class::protocol::StudentSummary {
        answered: 1,
        asked: 1,
        points: 0.0,
        rank: None,
    }));
    assert!(app.in_class_question(), "the last reveal and the total stay until the teacher moves");
    let next = at.0 + 1;
    app.class_event(ToStudent::Follow(Some(Place { section: next, block: None })));
    assert_eq!((app.screen, app.section), (Screen::Reader, next), "they follow");
}

#[test]
fn a_new_student_is_shown_their_rejoin_words_once_and_a_taken_over_window_says_why_it_closes() {
    let mut app = app();
    app.join_class(Joined { words: Some("river apple seven cloud".into()), ..joined("Ana") });
    let notice = app.notice.clone().expect("the words are shown");
    assert!(notice.contains("river apple seven cloud") && notice.contains("same name"), "{notice}");
    app.update(Msg::ScrollDown);
    assert_eq!(app.notice, None, "shown once: gone at the next key");
    assert_eq!(app.class_event(ToStudent::TakenOver), Effect::Quit);
    assert!(app.class_farewell().unwrap().contains("another window"));
}
