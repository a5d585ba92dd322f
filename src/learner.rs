//! The learner record: what a learner has read, answered and still has to review, kept apart
//! from the content, one record per course and profile. This file holds the record and how two
//! copies merge; `learner/schedule.rs` decides when questions come back; `learner/store.rs`
//! reads and writes the file without ever corrupting it.
//!
//! The record keeps the history (answers, quizzes) and derives the rest (review boxes, scores)
//! from it, so two windows that both added answers merge by taking the union of both
//! histories: no answer is lost and nothing derived can disagree.

pub mod day;
pub mod schedule;
pub mod store;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

pub use day::Day;

/// The record format this program writes. A record with a higher number came from a newer
/// program and is kept aside rather than misread.
pub const RECORD_VERSION: u32 = 1;

/// A learner's record for one course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// The record format; see [`RECORD_VERSION`].
    pub version: u32,
    /// The course id this record belongs to.
    pub course: String,
    /// Where the learner was reading when they last quit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// Ids of the sections read to the end.
    #[serde(default)]
    pub read: BTreeSet<String>,
    /// Every answer given, oldest first.
    #[serde(default)]
    pub answers: Vec<AnswerLog>,
    /// Every quiz finished or ended, oldest first.
    #[serde(default)]
    pub quizzes: Vec<QuizLog>,
}

/// A place in the course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Position {
    pub section: String,
    /// How far down the section, in thousandths: window sizes change between runs, so a
    /// line number would not point at the same text.
    pub permille: u16,
}

/// One answer. `session` and `n` identify it, so merging two copies never counts it twice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerLog {
    pub question: String,
    pub day: Day,
    /// From 0 to 1.
    pub points: f64,
    pub session: String,
    pub n: u32,
}

/// One quiz: what it covered and how it went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuizLog {
    pub day: Day,
    /// The section quizzed, or none for the whole course or a practice session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    pub points: f64,
    pub questions: u32,
    pub session: String,
    pub n: u32,
}

/// What the app needs to keep a learner's record: the record, today's date (reviews are
/// scheduled in days) and an id for this window's answers (so merging never counts an answer
/// twice, nor takes another window's for ours).
#[derive(Debug, Clone, PartialEq)]
pub struct Learner {
    pub record: Record,
    pub today: Day,
    pub session: String,
    /// Entries this session has added, numbering the next one.
    logged: u32,
}

impl Learner {
    pub fn new(record: Record, today: Day, session: String) -> Self {
        Self { record, today, session, logged: 0 }
    }

    /// A learner with no history yet (tests, and runs where the record cannot be kept).
    pub fn fresh(course: &str, today: Day) -> Self {
        Self::new(Record::new(course), today, "this-session".to_owned())
    }

    pub fn log_answer(&mut self, question: &str, points: f64) {
        let n = self.next_number();
        self.record.answers.push(AnswerLog {
            question: question.to_owned(),
            day: self.today,
            points,
            session: self.session.clone(),
            n,
        });
    }

    /// Logs a quiz; `section` only when it was a whole section's quiz, which makes it that
    /// section's score.
    pub fn log_quiz(&mut self, section: Option<String>, points: f64, questions: usize) {
        let n = self.next_number();
        self.record.quizzes.push(QuizLog {
            day: self.today,
            section,
            points,
            questions: u32::try_from(questions).unwrap_or(u32::MAX),
            session: self.session.clone(),
            n,
        });
    }

    /// Logs every answer of a finished run (plain mode answers all before saving).
    pub fn log_run(
        &mut self,
        course: &crate::course::Course,
        run: &crate::quiz::QuizRun,
        section: Option<String>,
    ) {
        for (&(s, q), result) in run.questions.iter().zip(&run.results) {
            if let Some((_, grade)) = result {
                self.log_answer(&course.sections[s].questions[q].id, grade.points);
            }
        }
        self.log_end_of_run(run, section);
    }

    /// Logs a run as a quiz (if anything was answered) once its answers are logged, one by one
    /// as they were given (plain mode saves each) or all at once by [`Self::log_run`].
    pub fn log_end_of_run(&mut self, run: &crate::quiz::QuizRun, section: Option<String>) {
        if run.answered() > 0 {
            let complete = run.answered() == run.questions.len();
            self.log_quiz(section.filter(|_| complete), run.points(), run.answered());
        }
    }

    /// The questions a practice session would ask now.
    pub fn practice_queue(&self, course: &crate::course::Course) -> Vec<crate::quiz::QuestionRef> {
        let cards = schedule::cards(&self.record.answers);
        let read: Vec<bool> =
            course.sections.iter().map(|s| self.record.read.contains(&s.id)).collect();
        schedule::practice(course, &cards, &read, self.today)
    }

    /// How many questions are due for review today.
    pub fn due_count(&self, course: &crate::course::Course) -> usize {
        schedule::due(course, &schedule::cards(&self.record.answers), self.today).len()
    }

    fn next_number(&mut self) -> u32 {
        self.logged += 1;
        self.logged - 1
    }
}

impl Record {
    pub fn new(course: &str) -> Self {
        Self {
            version: RECORD_VERSION,
            course: course.to_owned(),
            position: None,
            read: BTreeSet::new(),
            answers: Vec::new(),
            quizzes: Vec::new(),
        }
    }

    /// Adds what `other` has and this record lacks: the union of both histories and read
    /// sections. This record's position wins: it belongs to the window saving now.
    pub fn merge(&mut self, other: &Record) {
        self.read.extend(other.read.iter().cloned());
        let known: BTreeSet<(String, u32)> =
            self.answers.iter().map(|a| (a.session.clone(), a.n)).collect();
        self.answers.extend(
            other.answers.iter().filter(|a| !known.contains(&(a.session.clone(), a.n))).cloned(),
        );
        self.answers.sort_by(|a, b| {
            a.day.cmp(&b.day).then_with(|| a.session.cmp(&b.session)).then(a.n.cmp(&b.n))
        });
        let known: BTreeSet<(String, u32)> =
            self.quizzes.iter().map(|q| (q.session.clone(), q.n)).collect();
        self.quizzes.extend(
            other.quizzes.iter().filter(|q| !known.contains(&(q.session.clone(), q.n))).cloned(),
        );
        self.quizzes.sort_by(|a, b| {
            a.day.cmp(&b.day).then_with(|| a.session.cmp(&b.session)).then(a.n.cmp(&b.n))
        });
        if self.position.is_none() {
            self.position.clone_from(&other.position);
        }
    }

    /// The best quiz score per section (points, questions), from section quizzes.
    pub fn best_scores(&self) -> BTreeMap<&str, (f64, u32)> {
        let mut best: BTreeMap<&str, (f64, u32)> = BTreeMap::new();
        for quiz in &self.quizzes {
            let Some(section) = quiz.section.as_deref() else { continue };
            let share = crate::quiz::share(quiz.points, quiz.questions as usize);
            let better =
                best.get(section).is_none_or(|(p, q)| share > crate::quiz::share(*p, *q as usize));
            if better {
                best.insert(section, (quiz.points, quiz.questions));
            }
        }
        best
    }
}

#[cfg(test)]
mod tests;
