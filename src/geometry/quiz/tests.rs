//! The quiz body's geometry against what the view draws: a click on the row where an option
//! or a button is drawn must hit that option or button, in every kind of question, window
//! size and scroll position.

use ratatui::buffer::Buffer;
use ratatui::layout::{Rect, Size};
use ratatui::widgets::Widget;

use super::{Target, body};
use crate::app::{App, Input, Msg, Settings};
use crate::content::{self, load::PackSource};
use crate::course::Answer;
use crate::learner::{Day, Learner};
use crate::page::Glyphs;
use crate::quiz::letter_label;
use crate::theme_name::ThemeName;

/// Every question of the built-in course, each alone in a quiz, in a window of this size.
fn quizzes(width: u16, height: u16) -> impl Iterator<Item = App> {
    let course = content::load(&PackSource::BuiltIn).unwrap().course;
    let questions: Vec<_> = course
        .sections
        .iter()
        .enumerate()
        .flat_map(|(s, section)| (0..section.questions.len()).map(move |q| (s, q)))
        .collect();
    questions.into_iter().map(move |question| {
        let settings = Settings { theme: ThemeName::Dark, glyphs: Glyphs::UNICODE, seed: 9 };
        let learner = Learner::fresh(&course.id, Day(20_000));
        App::new(course.clone(), settings, learner, Size::new(width, height))
            .quizzing_on(vec![question])
    })
}

/// The screen as the view draws it.
fn draw(app: &App) -> Buffer {
    let mut buf = Buffer::empty(app.area());
    crate::ui::AppView(app).render(app.area(), &mut buf);
    buf
}

/// The whole screen's text, for messages.
fn screen(app: &App) -> String {
    let buf = draw(app);
    (0..buf.area.height).map(|row| text_at(&buf, 0, row, buf.area.width) + "\n").collect()
}

/// The text drawn on `row` from `x` for `width` cells.
fn text_at(buf: &Buffer, x: u16, row: u16, width: u16) -> String {
    (x..x + width).map(|x| buf[(x, row)].symbol()).collect()
}

/// The row inside `area` whose text, after `skip` columns, starts with `head`, and the
/// column where `head` is drawn.
fn find(buf: &Buffer, area: Rect, skip: u16, head: &str) -> Option<(u16, u16)> {
    (area.y..area.bottom()).find_map(|row| {
        let line = text_at(buf, area.x + skip, row, area.width.saturating_sub(skip));
        line.starts_with(head).then_some((area.x + skip, row))
    })
}

/// The heads the view draws before each item (after the pointer's two columns), with the
/// target a click there should hit.
fn heads(app: &App) -> Vec<(String, Target)> {
    let quiz = app.quiz.as_ref().unwrap();
    let shown = quiz.run.presentation();
    let question = quiz.run.question(&app.course);
    match (&question.answer, &quiz.input) {
        (Answer::Choice { multiple: true, .. }, Input::Choice { chosen, .. }) => (0..chosen.len())
            .map(|p| {
                let boxed = if chosen[p] { "[x]" } else { "[ ]" };
                (format!("{} {boxed} ", p + 1), Target::Item(p))
            })
            .collect(),
        (_, Input::Choice { chosen, .. }) => (0..chosen.len())
            .map(|p| {
                let boxed = if chosen[p] { "(•)" } else { "( )" };
                (format!("{} {boxed} ", p + 1), Target::Item(p))
            })
            .collect(),
        (Answer::Order(steps), _) => (0..steps.len())
            .map(|place| (format!("{}. ", place + 1), Target::Item(place)))
            .collect(),
        (Answer::Match(pairs), _) => (0..pairs.len())
            .map(|left| (format!("{} ", left + 1), Target::Item(left)))
            .chain(
                (0..shown.order.len())
                    .map(|p| (format!("{}) ", letter_label(p)), Target::Partner(p))),
            )
            .collect(),
        _ => Vec::new(),
    }
}

/// Checks the item heads (while answering) and the buttons drawn on screen against
/// `target_at`; returns those on screen.
fn clicks_hit_what_is_drawn(app: &App) -> Vec<Target> {
    let buf = draw(app);
    let quiz = app.quiz.as_ref().unwrap();
    let area = body(&app.quiz_sheet(quiz), app.area()).area;
    // Items come after the pointer's two columns; buttons at the start of their line.
    let mut wanted: Vec<_> = if quiz.answered() {
        Vec::new()
    } else {
        heads(app).into_iter().map(|(head, target)| (2, head, target)).collect()
    };
    // A button is one line, cut short in a narrow window: its first words say which it is.
    let buttons = [
        ("check", Target::Check),
        ("send to", Target::Check),
        ("next", Target::Next),
        ("see the", Target::Next),
        ("back to", Target::Next),
        ("show me", Target::Where),
    ];
    for row in area.y..area.bottom() {
        let line = text_at(&buf, area.x, row, area.width);
        let Some(label) = line.strip_prefix("[ ") else { continue };
        let (_, label) = label.split_once(": ").expect("a button names its key");
        let (_, target) = buttons
            .into_iter()
            .find(|(words, _)| label.starts_with(words))
            .unwrap_or_else(|| panic!("an unknown button: {line:?}"));
        wanted.push((0, line.trim_end().to_owned(), target));
    }
    let mut found = Vec::new();
    for (skip, head, target) in wanted {
        let Some((column, row)) = find(&buf, area, skip, &head) else { continue };
        found.push(target);
        assert_eq!(
            app.quiz_target_at(column, row),
            Some(target),
            "{:?} in {:?}: {head:?} is drawn at ({column}, {row})",
            quiz.run.questions[0],
            app.area()
        );
    }
    assert_eq!(app.quiz_target_at(0, 0), None, "the header is not a target");
    found
}

/// Pages down until the body stops moving (at most a few dozen pages).
fn to_the_end(app: &mut App) {
    for _ in 0..40 {
        let before = app.quiz.as_ref().unwrap().scroll;
        app.update(Msg::PageDown);
        if app.quiz.as_ref().unwrap().scroll == before {
            break;
        }
    }
}

#[test]
fn a_click_where_an_item_or_a_button_is_drawn_hits_it() {
    let mut hit = Vec::new();
    for (width, height) in [(80, 24), (40, 12), (130, 40), (24, 8)] {
        for mut app in quizzes(width, height) {
            // The question as it opens, then at its end, where the check button is.
            hit.extend(clicks_hit_what_is_drawn(&app));
            to_the_end(&mut app);
            let at_the_end = clicks_hit_what_is_drawn(&app);
            assert!(
                at_the_end.contains(&Target::Check),
                "no check button at the end in {width}x{height}:\n{}",
                screen(&app)
            );
            // An answer (the second option, or a first partner), then checked: the feedback
            // and the other buttons.
            for msg in [Msg::Choose(1), Msg::Assign(0), Msg::Submit] {
                app.update(msg);
            }
            if app.quiz.as_ref().unwrap().answered() {
                hit.extend(clicks_hit_what_is_drawn(&app));
                to_the_end(&mut app);
                let at_the_end = clicks_hit_what_is_drawn(&app);
                assert!(at_the_end.contains(&Target::Where), "{}", screen(&app));
                hit.extend(at_the_end);
            }
        }
    }
    // Every kind of target was found on screen and checked somewhere.
    for target in [Target::Item(0), Target::Item(2), Target::Partner(1), Target::Next] {
        assert!(hit.contains(&target), "{target:?} never drawn");
    }
}

#[test]
fn the_view_draws_each_body_line_on_the_row_the_geometry_gives_it() {
    for (width, height) in [(80, 24), (40, 12), (24, 8)] {
        for mut app in quizzes(width, height) {
            for msg in [Msg::PageDown, Msg::Choose(1), Msg::Submit, Msg::PageDown] {
                let buf = draw(&app);
                let body = body(&app.quiz_sheet(app.quiz.as_ref().unwrap()), app.area());
                let mut rows = 0;
                for (row, line) in body.shown() {
                    rows += 1;
                    // The last column may hold the arrow that says there is more.
                    let room = body.area.width.saturating_sub(1);
                    let drawn = text_at(&buf, body.area.x, row, room);
                    let expected: String = line.line.text().chars().take(room.into()).collect();
                    assert_eq!(
                        drawn.trim_end(),
                        expected.trim_end(),
                        "row {row} of {:?}",
                        app.area()
                    );
                }
                assert_eq!(rows, body.lines.len().min(body.area.height.into()));
                app.update(msg);
            }
        }
    }
}

#[test]
fn a_partly_right_order_says_why_its_points_differ_from_the_ticked_rows() {
    let mut app = quizzes(100, 60)
        .find(|app| {
            let quiz = app.quiz.as_ref().unwrap();
            matches!(&quiz.run.question(&app.course).answer, Answer::Order(s) if s.len() >= 3)
        })
        .expect("the built-in course has an order question");
    let steps = match &app.quiz.as_ref().unwrap().run.question(&app.course).answer {
        Answer::Order(steps) => steps.len(),
        _ => unreachable!(),
    };
    // The last step put first: every step is out of its exact place, yet n-1 are in order.
    let mut given: Vec<usize> = (0..steps).collect();
    given.rotate_right(1);
    app.quiz.as_mut().unwrap().input =
        Input::Order { cursor: 0, arrangement: given, holding: false };
    app.update(Msg::Submit);
    let buf = draw(&app);
    let text: String = (0..buf.area.height)
        .map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect::<String>() + " ")
        .collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("Partly right"), "{text}");
    assert!(text.contains("longest run of steps in the right order"), "{text}");
    assert!(text.contains(&format!("({} of {steps})", steps - 1)), "{text}");
}
