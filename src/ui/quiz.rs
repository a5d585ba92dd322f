//! The quiz screen: the question, its items in the shuffled order, the answer being given,
//! and after checking, the verdict (symbol and word, never colour alone), the right answer,
//! feedback on wrong choices and the explanation. Lines carry click targets, so the mouse
//! can answer too.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::footer;
use super::theme::Theme;
use crate::app::{App, Input, Msg, QuizKind, QuizState, keymap};
use crate::course::{Answer, Question};
use crate::page::wrap_plain;
use crate::quiz::{self, Verdict};

pub use crate::geometry::quiz::Target;
use crate::geometry::quiz::areas;

struct QuizLine {
    line: Line<'static>,
    target: Option<Target>,
}

/// The body's lines, and the line that must stay in view.
fn lines(app: &App, quiz: &QuizState, width: usize, theme: &Theme) -> (Vec<QuizLine>, usize) {
    let mut out = Vec::new();
    let question = quiz.run.question(&app.course);
    text(&mut out, &question.prompt, width, theme.title, 0);
    if quiz.run.current_result().is_none() {
        text(&mut out, instruction(question), width, theme.muted, 0);
    }
    out.push(QuizLine { line: Line::default(), target: None });
    let cursor_line = items(&mut out, quiz, question, width, theme);
    out.push(QuizLine { line: Line::default(), target: None });
    let key = |msg| keymap::key_for(quiz.mode(), msg).unwrap_or_default();
    if quiz.run.current_result().is_none() {
        if let Some(notice) = quiz.notice {
            out.push(QuizLine {
                line: Line::styled(format!("! {notice}"), theme.disclaimer),
                target: None,
            });
        }
        let live = app.class_live().filter(|_| quiz.kind == QuizKind::Class);
        if let Some(waiting) = live.filter(|l| l.waiting()) {
            let text = if waiting.sent.is_some() {
                "Your answer is in. Waiting for the teacher to reveal it…"
            } else {
                "Time is up. Waiting for the teacher to reveal the answer…"
            };
            out.push(QuizLine { line: Line::styled(text, theme.muted), target: None });
            return (out, cursor_line);
        }
        let verb = if live.is_some() { "send to the class" } else { "check" };
        let check = format!("[ {}: {verb} ]", key(Msg::Submit));
        out.push(QuizLine {
            line: Line::styled(check, theme.bar_key),
            target: Some(Target::Check),
        });
        return (out, cursor_line);
    }
    let verdict_line = out.len();
    feedback(&mut out, quiz, question, width, theme);
    out.push(QuizLine { line: Line::default(), target: None });
    let last = quiz.run.current + 1 == quiz.run.questions.len();
    let class = quiz.kind == QuizKind::Class;
    if let Some(speed) = app.class_live().and_then(|l| l.reveal.as_ref()?.speed).filter(|_| class) {
        text(&mut out, &format!("+{speed} speed points"), width, theme.muted, 0);
    }
    let next = format!(
        "[ {}: {} ]",
        key(Msg::Submit),
        if class {
            "back to reading"
        } else if last {
            "see the results"
        } else {
            "next question"
        }
    );
    out.push(QuizLine { line: Line::styled(next, theme.bar_key), target: Some(Target::Next) });
    let show = format!("[ {}: show me where this is explained ]", key(Msg::ShowWhere));
    out.push(QuizLine { line: Line::styled(show, theme.bar_key), target: Some(Target::Where) });
    (out, verdict_line)
}

/// Wrapped text in one style, indented.
fn text(out: &mut Vec<QuizLine>, text: &str, width: usize, style: Style, indent: usize) {
    for line in wrap_plain(text, width.saturating_sub(indent).max(1)) {
        out.push(QuizLine {
            line: Line::styled(format!("{}{line}", " ".repeat(indent)), style),
            target: None,
        });
    }
}

/// The question's items as the learner arranged them; returns the line under the cursor.
fn items(
    out: &mut Vec<QuizLine>,
    quiz: &QuizState,
    question: &Question,
    width: usize,
    theme: &Theme,
) -> usize {
    let shown = quiz.run.presentation();
    let checked = quiz.run.current_result().is_some();
    let mut cursor_line = out.len();
    match (&quiz.input, &question.answer) {
        (Input::Choice { cursor, chosen, .. }, answer) => {
            cursor_line =
                choice_items(out, shown, answer, (*cursor, chosen), checked, width, theme);
        }
        (Input::Order { cursor, arrangement, holding }, Answer::Order(steps)) => {
            cursor_line = order_items(
                out,
                shown,
                steps,
                (*cursor, arrangement, *holding),
                checked,
                width,
                theme,
            );
        }
        (Input::Match { cursor, assigned }, Answer::Match(pairs)) => {
            cursor_line =
                match_items(out, shown, pairs, (*cursor, assigned), checked, width, theme);
        }
        (Input::Fill { text: typed }, _) => {
            cursor_line = out.len();
            let cursor = if checked { "" } else { "▏" };
            out.push(QuizLine {
                line: Line::from(vec![
                    Span::styled("Your answer: ", theme.muted),
                    Span::styled(format!("{typed}{cursor}"), theme.title),
                ]),
                target: None,
            });
        }
        _ => {}
    }
    cursor_line
}

/// ✓ or ✗ beside an item once the answer is checked.
fn mark(checked: bool, right: bool, wrong: bool, theme: &Theme) -> Option<(&'static str, Style)> {
    checked.then_some(match (right, wrong) {
        (true, _) => ("✓ ", theme.right),
        (false, true) => ("✗ ", theme.wrong),
        (false, false) => ("  ", theme.base),
    })
}

fn choice_items(
    out: &mut Vec<QuizLine>,
    shown: &quiz::Presentation,
    answer: &Answer,
    (cursor, chosen): (usize, &[bool]),
    checked: bool,
    width: usize,
    theme: &Theme,
) -> usize {
    let mut cursor_line = out.len();
    let labels: Vec<(&str, bool)> = match answer {
        Answer::Choice { options, .. } => {
            shown.order.iter().map(|&i| (options[i].text.as_str(), options[i].correct)).collect()
        }
        Answer::TrueFalse(truth) => vec![("True", *truth), ("False", !*truth)],
        _ => Vec::new(),
    };
    let multiple = matches!(answer, Answer::Choice { multiple: true, .. });
    for (position, (label, correct)) in labels.into_iter().enumerate() {
        let ticked = chosen[position];
        let boxed = match (multiple, ticked) {
            (true, true) => "[x]",
            (true, false) => "[ ]",
            (false, true) => "(•)",
            (false, false) => "( )",
        };
        if position == cursor {
            cursor_line = out.len();
        }
        item(
            out,
            width,
            theme,
            &ItemParts {
                pointer: position == cursor && !checked,
                verdict: mark(checked, correct, ticked, theme),
                head: format!("{} {boxed} ", position + 1),
                text: label,
                target: Target::Item(position),
                selected: ticked,
            },
        );
    }
    cursor_line
}

fn order_items(
    out: &mut Vec<QuizLine>,
    shown: &quiz::Presentation,
    steps: &[String],
    (cursor, arrangement, holding): (usize, &[usize], bool),
    checked: bool,
    width: usize,
    theme: &Theme,
) -> usize {
    let mut cursor_line = out.len();
    for (place, &step) in arrangement.iter().enumerate() {
        let letter = quiz::letter_label(shown.order.iter().position(|&i| i == step).unwrap_or(0));
        let carried = holding && place == cursor;
        if place == cursor {
            cursor_line = out.len();
        }
        item(
            out,
            width,
            theme,
            &ItemParts {
                pointer: place == cursor && !checked,
                verdict: mark(checked, step == place, step != place, theme),
                head: format!("{}. {}{letter}) ", place + 1, if carried { "↕ " } else { "" }),
                text: &steps[step],
                target: Target::Item(place),
                selected: carried,
            },
        );
    }
    cursor_line
}

fn match_items(
    out: &mut Vec<QuizLine>,
    shown: &quiz::Presentation,
    pairs: &[(String, String)],
    (cursor, assigned): (usize, &[Option<usize>]),
    checked: bool,
    width: usize,
    theme: &Theme,
) -> usize {
    let mut cursor_line = out.len();
    for (left, (left_text, _)) in pairs.iter().enumerate() {
        // The partner's text is shown beside the item, so ←→ can be used even when
        // the list of partners is out of view in a small window.
        let partner = assigned[left].map_or_else(
            || "?".to_owned(),
            |p| format!("{}) {}", quiz::letter_label(p), pairs[shown.order[p]].1),
        );
        let right = assigned[left].map(|p| shown.order[p]) == Some(left);
        if left == cursor {
            cursor_line = out.len();
        }
        item(
            out,
            width,
            theme,
            &ItemParts {
                pointer: left == cursor && !checked,
                verdict: mark(checked, right, !right, theme),
                head: format!("{} ", left + 1),
                text: &format!("{left_text} → {partner}"),
                target: Target::Item(left),
                selected: false,
            },
        );
    }
    out.push(QuizLine { line: Line::styled("with:", theme.muted), target: None });
    for (position, &pair) in shown.order.iter().enumerate() {
        item(
            out,
            width,
            theme,
            &ItemParts {
                pointer: false,
                verdict: None,
                head: format!("{}) ", quiz::letter_label(position)),
                text: &pairs[pair].1,
                target: Target::Partner(position),
                selected: false,
            },
        );
    }
    cursor_line
}

/// The verdict in a symbol and a word, the right answer, feedback on wrong choices, and why.
fn feedback(
    out: &mut Vec<QuizLine>,
    quiz: &QuizState,
    question: &Question,
    width: usize,
    theme: &Theme,
) {
    let Some((response, grade)) = quiz.run.current_result() else { return };
    let verdict = grade.verdict();
    let style = match verdict {
        Verdict::Right => theme.right,
        Verdict::PartlyRight => theme.partly,
        Verdict::Wrong => theme.wrong,
    };
    let mut label = verdict.label().to_owned();
    if verdict == Verdict::PartlyRight {
        label = format!("{label}: {} of 1 point", quiz::format_points(grade.points));
    }
    out.push(QuizLine { line: Line::styled(label, style), target: None });
    if verdict != Verdict::Right {
        out.push(QuizLine { line: Line::styled("The answer:", theme.muted), target: None });
        for line in quiz::correct_answer(question, quiz.run.presentation()) {
            text(out, &line, width, theme.base, 2);
        }
        for (option, why_not) in quiz::feedback_for_wrong_choices(question, response) {
            text(out, &format!("Not “{option}”: {why_not}"), width, theme.base, 0);
        }
    }
    if !question.explanation.is_empty() {
        text(out, &format!("Why: {}", question.explanation), width, theme.base, 0);
    }
}

/// The parts of one item line.
struct ItemParts<'a> {
    pointer: bool,
    /// After checking: ✓ or ✗ with its style.
    verdict: Option<(&'static str, Style)>,
    /// Number, mark and label before the text.
    head: String,
    text: &'a str,
    target: Target,
    selected: bool,
}

/// An item, wrapped with a hanging indent so its text lines up under itself.
fn item(out: &mut Vec<QuizLine>, width: usize, theme: &Theme, parts: &ItemParts) {
    let pointer = if parts.pointer { "▸ " } else { "  " };
    let (verdict, verdict_style) = parts.verdict.unwrap_or(("", theme.base));
    let indent = 2 + verdict.chars().count() + parts.head.chars().count();
    let style = if parts.pointer || parts.selected { theme.selected } else { theme.base };
    for (i, line) in
        wrap_plain(parts.text, width.saturating_sub(indent).max(1)).into_iter().enumerate()
    {
        let spans = if i == 0 {
            vec![
                Span::styled(pointer, theme.title),
                Span::styled(verdict, verdict_style),
                Span::styled(parts.head.clone(), style),
                Span::styled(line, style),
            ]
        } else {
            vec![Span::raw(" ".repeat(indent)), Span::styled(line, style)]
        };
        out.push(QuizLine { line: Line::from(spans), target: Some(parts.target) });
    }
}

fn instruction(question: &Question) -> &'static str {
    match &question.answer {
        Answer::Choice { multiple: false, .. } => "Choose one: its number, or ↑↓ and Space.",
        Answer::Choice { multiple: true, .. } => "Choose all that apply: numbers tick and untick.",
        Answer::TrueFalse(_) => "True or false? Press t or f.",
        Answer::Order(_) => {
            "Put the steps in order: Space picks a step up, ↑↓ carry it, Space puts it down."
        }
        Answer::Match(_) => "Match each item: press the letter of its partner (or ←→).",
        Answer::Fill(_) => "Type the missing words, then Enter.",
    }
}

/// The first body line shown.
fn offset(quiz: &QuizState, total: usize, focus: usize, height: usize) -> usize {
    let max = total.saturating_sub(height);
    match quiz.scroll {
        Some(scroll) => scroll.min(max),
        // After checking, show as much of the feedback as fits with its verdict in view.
        None if quiz.answered() => max.min(focus),
        // While answering, keep the item under the cursor in view with a line below it.
        None => (focus + 2).saturating_sub(height).min(max),
    }
}

/// The body's current first line and the furthest it can scroll (quiz or results).
pub fn scroll_range(app: &App) -> (usize, usize) {
    let Some(quiz) = &app.quiz else { return (0, 0) };
    let theme = Theme::new(app.settings.theme);
    if app.screen == crate::app::Screen::Results {
        let (_, body, _) = areas(app.area());
        let total = super::results::lines(app, quiz, body.width as usize, &theme).len();
        let max = total.saturating_sub(body.height as usize);
        return (quiz.scroll.unwrap_or(0).min(max), max);
    }
    let (_, body, _) = areas(app.area());
    let (lines, focus) = lines(app, quiz, body.width as usize, &theme);
    let height = body.height as usize;
    (offset(quiz, lines.len(), focus, height), lines.len().saturating_sub(height))
}

/// What a click at this cell would do, if anything.
pub fn target_at(app: &App, column: u16, row: u16) -> Option<Target> {
    let quiz = app.quiz.as_ref()?;
    let (_, body, _) = areas(app.area());
    if row < body.y
        || row >= body.bottom()
        || column < body.x.saturating_sub(2)
        || column >= body.right()
    {
        return None;
    }
    let theme = Theme::new(app.settings.theme);
    let (lines, focus) = lines(app, quiz, body.width as usize, &theme);
    let first = offset(quiz, lines.len(), focus, body.height as usize);
    lines.get(first + usize::from(row - body.y))?.target
}

pub struct QuizView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for QuizView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let Some(quiz) = &self.app.quiz else { return };
        let theme = self.theme;
        let (header, body, footer_area) = areas(area);
        buf.set_style(header, theme.bar);
        let scope = quiz.kind.name(&self.app.course);
        let points = quiz::format_points(quiz.run.points());
        let live = self.app.class_live().filter(|_| quiz.kind == QuizKind::Class);
        let (left, right) = match live {
            Some(live) => (
                format!(" Class question {} of {} ", live.question.number, live.question.of),
                match live.question.seconds_left {
                    _ if live.reveal.is_some() => " revealed ".to_owned(),
                    Some(0) => " time is up ".to_owned(),
                    Some(s) => format!(" {s} s left "),
                    None if live.sent.is_some() => " sent ".to_owned(),
                    None => String::new(),
                },
            ),
            None => (
                format!(" Quiz · {scope} · {}/{} ", quiz.run.current + 1, quiz.run.questions.len()),
                format!(" {points}/{} points ", quiz.run.answered()),
            ),
        };
        buf.set_stringn(header.x, header.y, &left, header.width as usize, theme.bar_key);
        let right_width = right.chars().count() as u16;
        if header.width > left.chars().count() as u16 + right_width {
            buf.set_stringn(
                header.right() - right_width,
                header.y,
                &right,
                right_width as usize,
                theme.bar,
            );
        }
        let (lines, focus) = lines(self.app, quiz, body.width as usize, theme);
        let first = offset(quiz, lines.len(), focus, body.height as usize);
        for (row, quiz_line) in lines.iter().skip(first).take(body.height as usize).enumerate() {
            buf.set_line(body.x, body.y + row as u16, &quiz_line.line, body.width);
        }
        // Arrows in the margin say there is more above or below.
        if first > 0 && body.height > 0 {
            buf.set_stringn(body.right().saturating_sub(1), body.y, "↑", 1, theme.muted);
        }
        if first + (body.height as usize) < lines.len() && body.height > 0 {
            buf.set_stringn(body.right().saturating_sub(1), body.bottom() - 1, "↓", 1, theme.muted);
        }
        footer::render(&keymap::bindings(self.app.key_mode()), footer_area, buf, theme);
    }
}
