//! Checking and converting questions: an impossible question (no correct option, an answer
//! naming nothing, duplicate steps, a match with a missing side) never reaches a learner.

use std::collections::HashSet;

use toml::Spanned;

use super::error::{Severity, did_you_mean};
use super::model::{QuestionFile, QuestionKind};
use super::validate::{Problems, SourceFile, at, check_id, not_empty};
use crate::course::{Answer, Choice, Question};

/// The most items a question shows: they are picked with the keys 1 to 9 (or a to i).
pub const MAX_ITEMS: usize = 9;

/// Checks one question; `None` when it cannot be asked.
pub fn question(
    file: &SourceFile,
    spanned: &Spanned<QuestionFile>,
    block_ids: &[Option<&str>],
    question_ids: &mut HashSet<String>,
    problems: &mut Problems,
) -> Option<Question> {
    let q = spanned.get_ref();
    let errors_before = problems.0.iter().filter(|d| d.is_error()).count();
    check_id(file, &q.id, "question id", problems);
    if !question_ids.insert(q.id.get_ref().clone()) {
        problems.error(file, &q.id, format!("question id `{}` is used twice", q.id.get_ref()));
    }
    not_empty(file, &q.prompt, problems);
    let kind = *q.kind.get_ref();
    check_fields_for_kind(file, q, problems);

    let block = block_ids.iter().position(|id| *id == Some(q.block.get_ref().as_str()));
    if block.is_none() {
        let known = block_ids.iter().flatten().copied();
        let mut d = at(
            Severity::Error,
            file,
            &q.block,
            format!("no block in this section has the id `{}`", q.block.get_ref()),
        );
        d = match did_you_mean(q.block.get_ref(), known) {
            Some(s) => d.with_hint(format!("did you mean `{s}`?")),
            None => d.with_hint("give the teaching block an `id` and name it here"),
        };
        problems.push(d);
    }
    let explanation = if let Some(e) = &q.explanation {
        not_empty(file, e, problems);
        e.get_ref().trim().to_owned()
    } else {
        problems.push(
            at(Severity::Warning, file, &q.id, "this question has no explanation")
                .with_hint("add `explanation = \"…\"`: learners see it after answering"),
        );
        String::new()
    };
    if kind == QuestionKind::Fill && !q.prompt.get_ref().contains("___") {
        problems.warn(file, &q.prompt, "a fill question's prompt has no `___` to show the gap");
    }
    let answer = answer(file, q, problems);
    // A question with any error is left out: the pack will not load anyway, and a learner
    // never meets a question that is only half right.
    let errors_after = problems.0.iter().filter(|d| d.is_error()).count();
    if errors_after > errors_before {
        return None;
    }
    Some(Question {
        id: q.id.get_ref().clone(),
        block: block.unwrap_or(0),
        prompt: without_how_to_answer(q.prompt.get_ref().trim(), kind).to_owned(),
        explanation,
        answer: answer?,
    })
}

/// A choice prompt without a closing instruction that every screen adds itself ("Choose all
/// that apply.", "Choose one."), so it is not said twice.
fn without_how_to_answer(prompt: &str, kind: QuestionKind) -> &str {
    if !matches!(kind, QuestionKind::Single | QuestionKind::Multiple) {
        return prompt;
    }
    let trimmed = prompt.trim_end_matches(['.', ':', ')', '(']).trim_end();
    [
        "choose all that apply",
        "select all that apply",
        "tick all that apply",
        "choose one",
        "select one",
    ]
    .iter()
    .find_map(|phrase| {
        let cut = trimmed.len().checked_sub(phrase.len())?;
        let (rest, end) = (trimmed.get(..cut)?, trimmed.get(cut..)?);
        end.eq_ignore_ascii_case(phrase).then(|| rest.trim_end_matches(['(', ' ']))
    })
    .filter(|rest| !rest.is_empty())
    .unwrap_or(prompt)
}

/// The answer in the form its kind needs; `None` after reporting why there is none.
fn answer(file: &SourceFile, q: &QuestionFile, problems: &mut Problems) -> Option<Answer> {
    let kind = *q.kind.get_ref();
    let missing = |problems: &mut Problems, field: &str| {
        problems.push(
            at(
                Severity::Error,
                file,
                &q.kind,
                format!("a {} question needs `{field}`", kind.name()),
            )
            .with_hint(answer_hint(kind)),
        );
    };
    match kind {
        QuestionKind::Single | QuestionKind::Multiple => {
            let Some(options) = &q.options else {
                missing(problems, "options");
                return None;
            };
            choices(file, options, kind == QuestionKind::Multiple, problems)
        }
        QuestionKind::TrueFalse => {
            let Some(answer) = &q.answer else {
                missing(problems, "answer");
                return None;
            };
            Some(Answer::TrueFalse(*answer.get_ref()))
        }
        QuestionKind::Order => {
            let Some(steps) = &q.steps else {
                missing(problems, "steps");
                return None;
            };
            distinct_items(file, steps, "step", problems)?;
            Some(Answer::Order(steps.get_ref().iter().map(|s| s.trim().to_owned()).collect()))
        }
        QuestionKind::Match => {
            let Some(pairs) = &q.pairs else {
                missing(problems, "pairs");
                return None;
            };
            let lefts = Spanned::new(
                pairs.span(),
                pairs.get_ref().iter().map(|p| p.left.clone()).collect(),
            );
            let rights = Spanned::new(
                pairs.span(),
                pairs.get_ref().iter().map(|p| p.right.clone()).collect(),
            );
            let left_ok = distinct_items(file, &lefts, "left side", problems);
            let right_ok = distinct_items(file, &rights, "right side", problems);
            left_ok?;
            right_ok?;
            let pairs = pairs
                .get_ref()
                .iter()
                .map(|p| (p.left.trim().to_owned(), p.right.trim().to_owned()));
            Some(Answer::Match(pairs.collect()))
        }
        QuestionKind::Fill => {
            let Some(accept) = &q.accept else {
                missing(problems, "accept");
                return None;
            };
            if accept.get_ref().iter().all(|a| a.trim().is_empty()) {
                problems.error(file, accept, "a fill question needs at least one accepted answer");
                return None;
            }
            if accept.get_ref().iter().any(|a| a.trim().is_empty()) {
                problems.error(file, accept, "an accepted answer is empty");
                return None;
            }
            Some(Answer::Fill(accept.get_ref().iter().map(|a| a.trim().to_owned()).collect()))
        }
    }
}

fn choices(
    file: &SourceFile,
    options: &Spanned<Vec<Spanned<super::model::OptionFile>>>,
    multiple: bool,
    problems: &mut Problems,
) -> Option<Answer> {
    let list = options.get_ref();
    if !(2..=MAX_ITEMS).contains(&list.len()) {
        problems.error(
            file,
            options,
            format!("a question needs 2 to {MAX_ITEMS} options, not {}", list.len()),
        );
        return None;
    }
    let correct = list.iter().filter(|o| o.get_ref().correct).count();
    match (multiple, correct) {
        (_, 0) => {
            problems.push(
                at(Severity::Error, file, options, "no option is marked `correct = true`")
                    .with_hint("mark the right answer with `correct = true`"),
            );
            return None;
        }
        (false, n) if n > 1 => {
            problems.push(
                at(
                    Severity::Error,
                    file,
                    options,
                    format!("a single question has {n} correct options"),
                )
                .with_hint("keep one `correct = true`, or make it `kind = \"multiple\"`"),
            );
            return None;
        }
        _ => {}
    }
    let mut seen = HashSet::new();
    for option in list {
        let text = option.get_ref().text.trim();
        if text.is_empty() {
            problems.error(file, option, "this option's text is empty");
        } else if !seen.insert(text.to_lowercase()) {
            problems.error(file, option, format!("the option `{text}` appears twice"));
        }
        if !option.get_ref().correct && option.get_ref().feedback.is_none() {
            problems.push(
                at(Severity::Warning, file, option, "this wrong option has no feedback").with_hint(
                    "add `feedback = \"…\"`: why it is wrong, shown to whoever picks it",
                ),
            );
        }
    }
    let options = list
        .iter()
        .map(|o| {
            let o = o.get_ref();
            Choice {
                text: o.text.trim().to_owned(),
                correct: o.correct,
                feedback: o.feedback.clone(),
            }
        })
        .collect();
    Some(Answer::Choice { options, multiple })
}

/// Steps, or one side of the pairs: 2 to 9 entries, none empty, none repeated.
fn distinct_items(
    file: &SourceFile,
    items: &Spanned<Vec<String>>,
    what: &str,
    problems: &mut Problems,
) -> Option<()> {
    let list = items.get_ref();
    if !(2..=MAX_ITEMS).contains(&list.len()) {
        problems.error(
            file,
            items,
            format!("a question needs 2 to {MAX_ITEMS} of these, not {}", list.len()),
        );
        return None;
    }
    let mut seen = HashSet::new();
    for item in list {
        if item.trim().is_empty() {
            problems.error(file, items, format!("a {what} is empty"));
            return None;
        }
        if !seen.insert(item.trim().to_lowercase()) {
            problems.error(file, items, format!("the {what} `{}` appears twice", item.trim()));
            return None;
        }
    }
    Some(())
}

/// The answer fields belong to one kind each; naming another kind's field is a mistake
/// (most often a wrong `kind`).
/// An answer field: its name, where it was given, and the kinds that use it.
type Field<'a> = (&'a str, Option<std::ops::Range<usize>>, &'a [QuestionKind]);

fn check_fields_for_kind(file: &SourceFile, q: &QuestionFile, problems: &mut Problems) {
    let kind = *q.kind.get_ref();
    let fields: [Field; 5] = [
        (
            "options",
            q.options.as_ref().map(Spanned::span),
            &[QuestionKind::Single, QuestionKind::Multiple],
        ),
        ("answer", q.answer.as_ref().map(Spanned::span), &[QuestionKind::TrueFalse]),
        ("steps", q.steps.as_ref().map(Spanned::span), &[QuestionKind::Order]),
        ("pairs", q.pairs.as_ref().map(Spanned::span), &[QuestionKind::Match]),
        ("accept", q.accept.as_ref().map(Spanned::span), &[QuestionKind::Fill]),
    ];
    for (name, span, kinds) in fields {
        if let Some(span) = span.filter(|_| !kinds.contains(&kind)) {
            let what = format!("{} questions", kind.name());
            super::validate::unused_field(file, span, name, &what, answer_hint(kind), problems);
        }
    }
}

fn answer_hint(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Single => {
            "a single question takes [[questions.options]], one with `correct = true`"
        }
        QuestionKind::Multiple => {
            "a multiple question takes [[questions.options]], some with `correct = true`"
        }
        QuestionKind::TrueFalse => "a truefalse question takes `answer = true` or `answer = false`",
        QuestionKind::Order => "an order question takes `steps = [...]` in the right order",
        QuestionKind::Match => {
            "a match question takes `pairs = [{ left = \"…\", right = \"…\" }, ...]`"
        }
        QuestionKind::Fill => "a fill question takes `accept = [\"…\"]`",
    }
}
