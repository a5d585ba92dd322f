//! A quiz line by line (`--plain`): the question, numbered or lettered items, a typed answer,
//! feedback, and at the end the line `Score: X/Y`. It reads any input (a screen reader's
//! terminal, a pipe, a file) and ends cleanly when the input ends.

use std::io::{self, BufRead, Write};

use crate::course::{Answer, BlockBody, Course, Note, Rich, Tone};
use crate::page::wrap_plain;
use crate::quiz::{self, QuizRun};

/// How a plain quiz saves its answers while another process may hold the record's lock: it
/// waits for the lock once ([`crate::learner::store::LOCK_WAIT`]); after that an answer is
/// saved only if the lock is free at once, and otherwise kept in memory (the record holds every
/// answer, so the next save that gets the lock writes them all), as the full-screen reader
/// does. The last save of a run waits again, so answers are saved when the lock frees.
#[derive(Debug, Default)]
pub struct Saving {
    /// The lock was found held once: later saves do not wait.
    waited: bool,
    /// Answers are in memory only.
    pending: bool,
    /// A failure was already reported (said once, not after every answer).
    warned: bool,
}

impl Saving {
    /// Saves `learner`'s record to `store` (merged with what is on disk), waiting as above;
    /// `last` for the save at the end of the run. Returns what to tell the learner, if
    /// anything.
    pub fn save(
        &mut self,
        store: &crate::learner::store::Store,
        learner: &mut crate::learner::Learner,
        last: bool,
    ) -> Option<String> {
        let wait = if self.waited && !last {
            std::time::Duration::ZERO
        } else {
            crate::learner::store::LOCK_WAIT
        };
        match store.save_within(&learner.record, wait) {
            Ok(merged) => {
                learner.record = merged;
                let was_pending = std::mem::take(&mut self.pending);
                (was_pending && self.waited).then(|| "note: your answers are saved now.".to_owned())
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock && !last => {
                self.pending = true;
                (!std::mem::replace(&mut self.waited, true)).then(|| {
                    "note: another stemcell is saving this record; your answers are kept and \
                     will be saved as soon as it is done."
                        .to_owned()
                })
            }
            Err(e) if !self.warned => {
                self.warned = true;
                Some(format!("warning: your answers could not be saved: {e}"))
            }
            Err(_) => None,
        }
    }
}

/// Asks every question of `run`, reading answers from `input`.
pub fn run(
    input: &mut impl BufRead,
    out: &mut impl Write,
    course: &Course,
    run: &mut QuizRun,
    width: usize,
) -> io::Result<()> {
    run_saving(input, out, course, run, width, |_| {})
}

/// [`run`], calling `answered` as soon as each answer is graded (with `run.current` on that
/// question), so that it can be saved before the next question waits for input.
pub fn run_saving(
    input: &mut impl BufRead,
    out: &mut impl Write,
    course: &Course,
    run: &mut QuizRun,
    width: usize,
    mut answered: impl FnMut(&QuizRun),
) -> io::Result<()> {
    let total = run.questions.len();
    let mut lines_read = 0;
    'questions: loop {
        let (s, _) = run.questions[run.current];
        let question = run.question(course);
        let shown = run.presentation().clone();
        writeln!(out)?;
        writeln!(
            out,
            "Question {} of {total} · {}",
            run.current + 1,
            course.sections[s].short_title
        )?;
        for line in wrap_plain(&question.prompt, width) {
            writeln!(out, "{line}")?;
        }
        write_items(out, &question.answer, &shown.order)?;
        let response = loop {
            write!(out, "{}: ", quiz::typing_hint(question))?;
            out.flush()?;
            let Some(line) = super::read_line(input, &mut lines_read)? else {
                writeln!(out)?;
                writeln!(
                    out,
                    "End of input: stopped after {} of {total} questions.",
                    run.answered()
                )?;
                break 'questions;
            };
            match quiz::parse_typed(question, &shown, &line) {
                Ok(response) => break response,
                // The problem may quote what was typed, and the input may be a file.
                Err(problem) => {
                    writeln!(out, "  {}; try again.", crate::report::visible_line(&problem))?;
                }
            }
        };
        let grade = run.answer(course, response.clone());
        answered(run);
        writeln!(out, "{}", verdict_line(grade))?;
        if grade.verdict() != quiz::Verdict::Right {
            writeln!(out, "The answer:")?;
            for line in quiz::correct_answer(question, &shown) {
                writeln!(out, "  {line}")?;
            }
            for (option, feedback) in quiz::feedback_for_wrong_choices(question, &response) {
                for line in wrap_plain(&format!("Not “{option}”: {feedback}"), width) {
                    writeln!(out, "{line}")?;
                }
            }
        }
        if !question.explanation.is_empty() {
            for line in wrap_plain(&format!("Why: {}", question.explanation), width) {
                writeln!(out, "{line}")?;
            }
        }
        if grade.verdict() != quiz::Verdict::Right {
            let place = where_taught(course, run.questions[run.current]);
            for line in wrap_plain(&format!("Where it is explained: {place}"), width) {
                writeln!(out, "{line}")?;
            }
        }
        if !run.advance() {
            break;
        }
    }
    write_summary(out, course, run)
}

fn write_items(out: &mut impl Write, answer: &Answer, order: &[usize]) -> io::Result<()> {
    match answer {
        Answer::Choice { options, .. } => {
            for (position, &item) in order.iter().enumerate() {
                writeln!(out, "  {}) {}", quiz::number_label(position), options[item].text)?;
            }
        }
        Answer::TrueFalse(_) => writeln!(out, "  t) True\n  f) False")?,
        Answer::Order(steps) => {
            for (position, &item) in order.iter().enumerate() {
                writeln!(out, "  {}) {}", quiz::letter_label(position), steps[item])?;
            }
        }
        Answer::Match(pairs) => {
            for (i, (left, _)) in pairs.iter().enumerate() {
                writeln!(out, "  {}) {left}", quiz::number_label(i))?;
            }
            writeln!(out, "  with:")?;
            for (position, &item) in order.iter().enumerate() {
                writeln!(out, "  {}) {}", quiz::letter_label(position), pairs[item].1)?;
            }
        }
        Answer::Fill(_) => {}
    }
    Ok(())
}

fn verdict_line(grade: quiz::Grade) -> String {
    match grade.verdict() {
        quiz::Verdict::PartlyRight => {
            format!(
                "{} ({} of 1 point)",
                grade.verdict().label(),
                quiz::format_points(grade.points)
            )
        }
        verdict => verdict.label().to_owned(),
    }
}

/// The section and block that teach a question, in words.
pub fn where_taught(course: &Course, (s, q): quiz::QuestionRef) -> String {
    let section = &course.sections[s];
    let block = section.questions[q].block;
    match section.blocks.get(block) {
        Some(block) => format!("{}, {}", section.title, block_as_shown(course, &block.body)),
        None => section.title.clone(),
    }
}

/// A block named as the reader shows it: by its heading or title, or by its first words.
fn block_as_shown(course: &Course, body: &BlockBody) -> String {
    let opening = |text: &str| {
        const WORDS: usize = 8;
        let words: Vec<&str> = text.split_whitespace().collect();
        let shown = words[..words.len().min(WORDS)].join(" ");
        if words.len() > WORDS {
            format!("“{}…”", shown.trim_end_matches(['.', ',', ';', ':']))
        } else {
            format!("“{shown}”")
        }
    };
    let note_opening = |note: &Note| {
        note.paragraphs.first().or(note.items.first()).map(Rich::text).unwrap_or_default()
    };
    match body {
        BlockBody::Text(paragraphs) => format!(
            "the paragraph beginning {}",
            opening(&paragraphs.first().map(Rich::text).unwrap_or_default())
        ),
        BlockBody::Heading(text) => format!("under the heading “{text}”"),
        BlockBody::List { lead: Some(lead), .. } => {
            format!("the list after {}", opening(&lead.text()))
        }
        BlockBody::List { lead: None, items } => format!(
            "the list beginning {}",
            opening(&items.first().map(Rich::text).unwrap_or_default())
        ),
        BlockBody::Callout { tone, title, note, .. } => {
            let label = match tone {
                Tone::Note => "note",
                Tone::Tip => "tip",
                Tone::Warning => "warning",
            };
            match title {
                Some(title) => format!("the {label} “{title}”"),
                None => format!("the {label} beginning {}", opening(&note_opening(note))),
            }
        }
        BlockBody::Context { title: Some(title), .. } => format!("the context note “{title}”"),
        BlockBody::Context { title: None, note, .. } => {
            format!("the context note beginning {}", opening(&note_opening(note)))
        }
        BlockBody::Diagram(index) => course
            .diagrams
            .get(*index)
            .map_or_else(|| "a diagram".to_owned(), |d| format!("the diagram “{}”", d.title)),
    }
}

fn write_summary(out: &mut impl Write, course: &Course, run: &QuizRun) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "Results")?;
    for (s, points, count) in run.by_section() {
        writeln!(
            out,
            "  {:<16} {}/{count}",
            course.sections[s].short_title,
            quiz::format_points(points)
        )?;
    }
    let missed: Vec<_> = run
        .missed()
        .into_iter()
        .filter(|r| {
            let i = run.questions.iter().position(|q| q == r).unwrap_or(0);
            run.results[i].is_some()
        })
        .collect();
    if !missed.is_empty() {
        writeln!(out, "To review:")?;
        for (s, q) in missed {
            writeln!(out, "  - {}", course.sections[s].questions[q].prompt)?;
        }
    }
    writeln!(out, "{}", run.score_line())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{self, load::PackSource};

    fn quiz(answers: &str, section: usize) -> String {
        let course = content::load(&PackSource::BuiltIn).unwrap().course;
        let mut run = QuizRun::of(&course, Some(section), 1);
        let mut out = Vec::new();
        super::run(&mut answers.as_bytes(), &mut out, &course, &mut run, 80).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn where_it_is_explained_names_the_block_as_the_reader_shows_it() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/packs/water-cycle");
        let course = content::load(&PackSource::Dir(dir.into())).unwrap().course;
        let at = |id: &str| {
            let s = course.sections.iter().position(|s| s.questions.iter().any(|q| q.id == id));
            let s = s.unwrap();
            where_taught(
                &course,
                (s, course.sections[s].questions.iter().position(|q| q.id == id).unwrap()),
            )
        };
        assert_eq!(
            at("salt-stays"),
            "Water Rises: Evaporation and Transpiration, the paragraph beginning “Heat from the Sun gives water molecules at…”"
        );
        assert_eq!(
            at("plants-release"),
            "Water Rises: Evaporation and Transpiration, the list after “Water vapour enters the air from:”"
        );
        assert_eq!(
            at("drop-order"),
            "Clouds Form and Rain Falls, the diagram “One drop's journey”"
        );
    }

    #[test]
    fn end_of_input_stops_cleanly_with_a_score() {
        let shown = quiz("", 1);
        assert!(shown.contains("Question 1 of"), "{shown}");
        assert!(shown.contains("stopped after 0 of"), "{shown}");
        assert_eq!(shown.lines().last(), Some("Score: 0/0"));
    }

    #[test]
    fn a_bad_answer_is_explained_and_asked_again() {
        let shown = quiz("zzz\n", 1);
        assert!(
            shown.contains("is not one of the choices") || shown.contains("try again"),
            "{shown}"
        );
    }

    #[test]
    fn a_bad_answer_is_quoted_without_its_control_characters() {
        let shown = quiz("\u{1b}]0;pwned\u{7}\n", 1);
        assert!(shown.contains("`\\u{1b}]0;pwned\\u{7}` is not one of the choices"), "{shown}");
        assert!(!shown.contains('\u{1b}'), "{shown}");
    }

    #[test]
    fn right_answers_score_full_marks() {
        // Answer every question of a section rightly, reading the key from the course.
        let course = content::load(&PackSource::BuiltIn).unwrap().course;
        let run = QuizRun::of(&course, Some(0), 1);
        let answers: String = run
            .questions
            .iter()
            .zip(&run.shown)
            .map(|(&(s, q), shown)| typed_key(&course.sections[s].questions[q], shown) + "\n")
            .collect();
        let shown = quiz(&answers, 0);
        let total = course.sections[0].questions.len();
        assert_eq!(shown.lines().last().unwrap(), format!("Score: {total}/{total}"), "{shown}");
        assert!(!shown.contains("✗ Wrong"));
    }

    /// The answer key, typed as a learner would.
    fn typed_key(question: &crate::course::Question, shown: &quiz::Presentation) -> String {
        let position = |item: usize| shown.order.iter().position(|&i| i == item).unwrap();
        match &question.answer {
            Answer::Choice { options, .. } => options
                .iter()
                .enumerate()
                .filter(|(_, o)| o.correct)
                .map(|(i, _)| (position(i) + 1).to_string())
                .collect::<Vec<_>>()
                .join(","),
            Answer::TrueFalse(truth) => if *truth { "t" } else { "f" }.to_owned(),
            Answer::Order(steps) => (0..steps.len())
                .map(|i| quiz::letter_label(position(i)).to_string())
                .collect::<Vec<_>>()
                .join(" "),
            Answer::Match(pairs) => (0..pairs.len())
                .map(|i| quiz::letter_label(position(i)).to_string())
                .collect::<Vec<_>>()
                .join(" "),
            Answer::Fill(accepted) => accepted[0].to_uppercase(),
        }
    }
}
