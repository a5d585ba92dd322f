//! The quiz body's lines at a width: the question, its items in the shuffled order, the
//! answer being given, and after checking, the verdict (symbol and word, never colour alone),
//! the right answer, feedback on wrong choices and the explanation. Lines carry click
//! targets, so the mouse can answer too.

use super::{QuizLine, QuizSheet, Target};
use crate::course::{Answer, Question};
use crate::geometry::text::{Look, TextLine};
use crate::page::wrap_plain;
use crate::quiz::input::Input;
use crate::quiz::{self, Verdict};

fn plain(line: TextLine) -> QuizLine {
    QuizLine { line, target: None }
}

/// The body's lines, and the line that must stay in view.
pub fn lines(quiz: &QuizSheet, width: usize) -> (Vec<QuizLine>, usize) {
    let mut out = Vec::new();
    let question = quiz.run.question(quiz.course);
    text(&mut out, &question.prompt, width, Look::Title, 0);
    if quiz.run.current_result().is_none() {
        text(&mut out, instruction(question), width, Look::Muted, 0);
    }
    out.push(plain(TextLine::default()));
    let cursor_line = items(&mut out, quiz, question, width);
    out.push(plain(TextLine::default()));
    if quiz.run.current_result().is_none() {
        if let Some(notice) = quiz.notice {
            out.push(plain(TextLine::new(format!("! {notice}"), Look::Notice)));
        }
        let live = quiz.live.filter(|_| quiz.class);
        if let Some(sent) = live.and_then(|l| l.waiting) {
            let text = if sent {
                "Your answer is in. Waiting for the teacher to reveal it…"
            } else {
                "Time is up. Waiting for the teacher to reveal the answer…"
            };
            out.push(plain(TextLine::new(text, Look::Muted)));
            return (out, cursor_line);
        }
        let verb = if live.is_some() { "send to the class" } else { "check" };
        let check = format!("[ {}: {verb} ]", quiz.keys.submit);
        out.push(QuizLine { line: TextLine::new(check, Look::Key), target: Some(Target::Check) });
        return (out, cursor_line);
    }
    let verdict_line = out.len();
    feedback(&mut out, quiz, question, width);
    out.push(plain(TextLine::default()));
    let last = quiz.run.current + 1 == quiz.run.questions.len();
    let class = quiz.class;
    if let Some(speed) = quiz.live.and_then(|l| l.speed).filter(|_| class) {
        text(&mut out, &format!("+{speed} speed points"), width, Look::Muted, 0);
    }
    let next = format!(
        "[ {}: {} ]",
        quiz.keys.submit,
        if class {
            "back to reading"
        } else if last {
            "see the results"
        } else {
            "next question"
        }
    );
    out.push(QuizLine { line: TextLine::new(next, Look::Key), target: Some(Target::Next) });
    let show = format!("[ {}: show me where this is explained ]", quiz.keys.show_where);
    out.push(QuizLine { line: TextLine::new(show, Look::Key), target: Some(Target::Where) });
    (out, verdict_line)
}

/// Wrapped text in one look, indented.
fn text(out: &mut Vec<QuizLine>, text: &str, width: usize, look: Look, indent: usize) {
    for line in wrap_plain(text, width.saturating_sub(indent).max(1)) {
        out.push(plain(TextLine::new(format!("{}{line}", " ".repeat(indent)), look)));
    }
}

/// The question's items as the learner arranged them; returns the line under the cursor.
fn items(out: &mut Vec<QuizLine>, quiz: &QuizSheet, question: &Question, width: usize) -> usize {
    let shown = quiz.run.presentation();
    let checked = quiz.run.current_result().is_some();
    let mut cursor_line = out.len();
    match (quiz.input, &question.answer) {
        (Input::Choice { cursor, chosen, .. }, answer) => {
            cursor_line = choice_items(out, shown, answer, (*cursor, chosen), checked, width);
        }
        (Input::Order { cursor, arrangement, holding }, Answer::Order(steps)) => {
            cursor_line =
                order_items(out, shown, steps, (*cursor, arrangement, *holding), checked, width);
        }
        (Input::Match { cursor, assigned }, Answer::Match(pairs)) => {
            cursor_line = match_items(out, shown, pairs, (*cursor, assigned), checked, width);
        }
        (Input::Fill { text: typed }, _) => {
            cursor_line = out.len();
            let cursor = if checked { "" } else { "▏" };
            out.push(plain(TextLine::from_runs([
                ("Your answer: ".to_owned(), Look::Muted),
                (format!("{typed}{cursor}"), Look::Title),
            ])));
        }
        _ => {}
    }
    cursor_line
}

/// ✓ or ✗ beside an item once the answer is checked.
fn mark(checked: bool, right: bool, wrong: bool) -> Option<(&'static str, Look)> {
    checked.then_some(match (right, wrong) {
        (true, _) => ("✓ ", Look::Right),
        (false, true) => ("✗ ", Look::Wrong),
        (false, false) => ("  ", Look::Base),
    })
}

fn choice_items(
    out: &mut Vec<QuizLine>,
    shown: &quiz::Presentation,
    answer: &Answer,
    (cursor, chosen): (usize, &[bool]),
    checked: bool,
    width: usize,
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
            &ItemParts {
                pointer: position == cursor && !checked,
                verdict: mark(checked, correct, ticked),
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
            &ItemParts {
                pointer: place == cursor && !checked,
                verdict: mark(checked, step == place, step != place),
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
            &ItemParts {
                pointer: left == cursor && !checked,
                verdict: mark(checked, right, !right),
                head: format!("{} ", left + 1),
                text: &format!("{left_text} → {partner}"),
                target: Target::Item(left),
                selected: false,
            },
        );
    }
    out.push(plain(TextLine::new("with:", Look::Muted)));
    for (position, &pair) in shown.order.iter().enumerate() {
        item(
            out,
            width,
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
fn feedback(out: &mut Vec<QuizLine>, quiz: &QuizSheet, question: &Question, width: usize) {
    let Some((response, grade)) = quiz.run.current_result() else { return };
    let verdict = grade.verdict();
    let look = match verdict {
        Verdict::Right => Look::Right,
        Verdict::PartlyRight => Look::Partly,
        Verdict::Wrong => Look::Wrong,
    };
    let mut label = verdict.label().to_owned();
    let unanswered = quiz.class && quiz.live.is_some_and(|l| l.unanswered);
    if unanswered {
        // Time ran out before an answer: nothing was wrong, nothing was given.
        "– No answer: 0 points".clone_into(&mut label);
    } else if verdict == Verdict::PartlyRight {
        label = format!("{label}: {} of 1 point", quiz::format_points(grade.points));
    }
    out.push(plain(TextLine::new(label, if unanswered { Look::Muted } else { look })));
    if let (Verdict::PartlyRight, Answer::Order(steps), quiz::Response::Order(given)) =
        (verdict, &question.answer, response)
    {
        // The ✓ rows mark steps in their exact place; the points count the longest chain of
        // steps in the right order among themselves, so the two need not add up.
        let chain = quiz::longest_increasing_run(given);
        let why = format!(
            "Points: the longest run of steps in the right order relative to each other \
             ({chain} of {}), counted from the first link: not the ✓ rows, which mark steps \
             in their exact place.",
            steps.len()
        );
        text(out, &why, width, Look::Muted, 0);
    }
    if verdict != Verdict::Right {
        out.push(plain(TextLine::new("The answer:", Look::Muted)));
        for line in quiz::correct_answer(question, quiz.run.presentation()) {
            text(out, &line, width, Look::Base, 2);
        }
        for (option, why_not) in quiz::feedback_for_wrong_choices(question, response) {
            text(out, &format!("Not “{option}”: {why_not}"), width, Look::Base, 0);
        }
    }
    if !question.explanation.is_empty() {
        text(out, &format!("Why: {}", question.explanation), width, Look::Base, 0);
    }
}

/// The parts of one item line.
struct ItemParts<'a> {
    pointer: bool,
    /// After checking: ✓ or ✗ with its look.
    verdict: Option<(&'static str, Look)>,
    /// Number, mark and label before the text.
    head: String,
    text: &'a str,
    target: Target,
    selected: bool,
}

/// An item, wrapped with a hanging indent so its text lines up under itself.
fn item(out: &mut Vec<QuizLine>, width: usize, parts: &ItemParts) {
    let pointer = if parts.pointer { "▸ " } else { "  " };
    let (verdict, verdict_look) = parts.verdict.unwrap_or(("", Look::Base));
    let indent = 2 + verdict.chars().count() + parts.head.chars().count();
    let look = if parts.pointer || parts.selected { Look::Selected } else { Look::Base };
    for (i, line) in
        wrap_plain(parts.text, width.saturating_sub(indent).max(1)).into_iter().enumerate()
    {
        let line = if i == 0 {
            TextLine::from_runs([
                (pointer.to_owned(), Look::Title),
                (verdict.to_owned(), verdict_look),
                (parts.head.clone(), look),
                (line, look),
            ])
        } else {
            TextLine::from_runs([(" ".repeat(indent), Look::Inherit), (line, look)])
        };
        out.push(QuizLine { line, target: Some(parts.target) });
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
