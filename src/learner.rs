//! The learner record: what a learner has read, answered and still has to review, kept apart
//! from the content, one record per course and profile. This file holds the record and how two
//! copies merge; `learner/schedule.rs` decides when questions come back; `learner/store.rs`
//! reads and writes the file without ever corrupting it.
//!
//! The record keeps the history (answers, quizzes) and derives the rest (review boxes, scores)
//! from it, so two windows that both added answers merge by taking the union of both
//! histories: no answer is lost and nothing derived can disagree.
//!
//! Two facts limit the union. A reset names the entries it erased (per window, every entry
//! numbered below a mark), so a window that still holds them cannot bring them back. And old
//! history is folded (see [`Record::compact`]): the answers before a day become each
//! question's review card plus totals, so a record stays small however long it is used.

pub mod day;
pub mod fit;
pub mod schedule;
pub mod store;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

pub use day::Day;

/// The record format this program writes. A record with a higher number came from a newer
/// program and is kept aside rather than misread. Version 2 added `resets` and `folded`;
/// version 3 FSRS memory in folded cards and `fitted`. Records of versions 1 and 2 load as
/// they are (their folded Leitner cards are read as FSRS memory).
pub const RECORD_VERSION: u32 = 3;

/// A record with more answers than this has its older history folded at the next save.
pub const FOLD_ABOVE: usize = 4000;
/// How many of the latest answers folding keeps as they are (at least).
pub const FOLD_KEEPS: usize = 2000;
/// Folding never touches the last this many days: a window left open for days still logs
/// answers under the day it started, and those must not fall before the fold.
pub const FOLD_SPARES_DAYS: i64 = 60;

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
    /// Every reset the learner asked for, oldest first; what each erased stays erased when
    /// another window's copy is merged in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resets: Vec<ResetLog>,
    /// The history before a day, folded into per-question cards and totals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folded: Option<Folded>,
    /// FSRS parameters fitted to this learner's history by `stemcell stats --fit`; none: the
    /// defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fitted: Option<Fitted>,
}

/// Parameters fitted to the learner's own answers, and how much better they predict them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fitted {
    /// The day of the fit.
    pub day: Day,
    /// How many answers the fit learnt from.
    pub answers: u64,
    /// FSRS-6's 21 parameters.
    pub parameters: Vec<f32>,
    /// Log loss of the default parameters on the learner's history (lower predicts better).
    pub log_loss_default: f32,
    /// Log loss of the fitted parameters on the same history.
    pub log_loss_fitted: f32,
}

/// A reset: every answer and quiz numbered below `before[session]` of its window is gone, and
/// so is what was read. Windows are numbered independently, so a mark per window says exactly
/// which entries the learner saw erased; whatever a window logs later survives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetLog {
    /// The day of the reset.
    pub day: Day,
    /// The window that reset, and its entry number for the reset: the two name it.
    pub session: String,
    /// The reset's entry number in its window (see `session`).
    pub n: u32,
    /// Per window, the first entry number that the reset did not erase.
    pub before: BTreeMap<String, u32>,
}

/// History older than a day, kept as what the scheduler and the progress screen need of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Folded {
    /// Every answer and quiz of an earlier day is folded in here; the lists keep the rest.
    pub before: Day,
    /// How many answers were folded.
    pub answers: u64,
    /// How many quizzes were folded.
    pub quizzes: u64,
    /// Each question's review card after the folded answers.
    #[serde(default)]
    pub cards: BTreeMap<String, schedule::Card>,
    /// The best section-quiz score among the folded quizzes, by section.
    #[serde(default)]
    pub best: BTreeMap<String, BestQuiz>,
}

/// A section's best quiz: points out of questions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BestQuiz {
    /// From 0 to `questions`.
    pub points: f64,
    /// How many questions the quiz asked.
    pub questions: u32,
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
    /// The desired retention: the estimated recall at which a question falls due (the
    /// config's `retention`, 0.9 by default).
    pub retention: f32,
    /// The most questions a practice session asks (`stemcell practice --limit N`).
    pub session_limit: usize,
    /// Entries this session has added, numbering the next one.
    logged: u32,
}

impl Learner {
    pub fn new(record: Record, today: Day, session: String) -> Self {
        Self {
            record,
            today,
            session,
            retention: schedule::DEFAULT_RETENTION,
            session_limit: schedule::SESSION_SIZE,
            logged: 0,
        }
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

    /// Starts afresh (the learner confirmed a reset): an empty record that remembers what it
    /// erased, so that merging another window's copy cannot bring it back.
    pub fn reset(&mut self) {
        let n = self.next_number();
        let mut before = self.record.numbered_below();
        // This window's entries so far are all numbered below the reset's own number.
        let mark = before.entry(self.session.clone()).or_default();
        *mark = (*mark).max(n);
        let mut fresh = Record::new(&self.record.course);
        fresh.resets.clone_from(&self.record.resets);
        fresh.resets.push(ResetLog { day: self.today, session: self.session.clone(), n, before });
        self.record = fresh;
    }

    /// The same learner with another desired retention (from the config).
    #[must_use]
    pub fn with_retention(mut self, retention: f32) -> Self {
        self.retention = retention;
        self
    }

    /// FSRS with this learner's parameters (fitted or default) and desired retention.
    pub fn scheduler(&self) -> schedule::Scheduler {
        self.record.scheduler(self.retention)
    }

    /// The questions a practice session would ask now, at most [`Self::session_limit`].
    pub fn practice_queue(&self, course: &crate::course::Course) -> Vec<crate::quiz::QuestionRef> {
        let limit = self.session_limit.max(1);
        let scheduler = self.scheduler();
        let cards = self.record.cards(&scheduler);
        let read: Vec<bool> =
            course.sections.iter().map(|s| self.record.read.contains(&s.id)).collect();
        schedule::practice(&scheduler, course, &cards, &read, self.today, limit)
    }

    /// How many questions are due for review today.
    pub fn due_count(&self, course: &crate::course::Course) -> usize {
        let scheduler = self.scheduler();
        schedule::due(&scheduler, course, &self.record.cards(&scheduler), self.today).len()
    }

    /// When nothing is due: the next day a question falls due, and how many then.
    pub fn next_due(&self, course: &crate::course::Course) -> Option<(Day, usize)> {
        schedule::next_due(course, &self.record.cards(&self.scheduler()), self.today)
    }

    /// What a practice with nothing to ask says: when the next questions fall due, or how
    /// to get some.
    pub fn nothing_due(&self, course: &crate::course::Course) -> String {
        let Some((day, count)) = self.next_due(course) else {
            return "Nothing to practice now: no question is due. Read a section or take a quiz \
                    first."
                .to_owned();
        };
        let when = match day.0 - self.today.0 {
            1 => "tomorrow".to_owned(),
            n => format!("in {n} days"),
        };
        let next = if count == 1 {
            "The next question falls".to_owned()
        } else {
            format!("The next {count} questions fall")
        };
        format!("Nothing to practice now. {next} due {when} ({day}).")
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
            resets: Vec::new(),
            folded: None,
            fitted: None,
        }
    }

    /// Adds what `other` has and this record lacks: the union of both histories and read
    /// sections, less what any reset of either erased and what either folded. This record's
    /// position wins: it belongs to the window saving now.
    pub fn merge(&mut self, other: &Record) {
        let names = |r: &Record| -> BTreeSet<(String, u32)> {
            r.resets.iter().map(|x| (x.session.clone(), x.n)).collect()
        };
        let (mine, theirs) = (names(self), names(other));
        // A copy that missed a reset holds what it erased: its read sections and its folded
        // history are from before it (its entries go below, by number).
        let i_missed_one = !theirs.is_subset(&mine);
        let they_missed_one = !mine.is_subset(&theirs);
        if i_missed_one {
            self.read.clear();
            self.folded = None;
        }
        if !they_missed_one {
            self.read.extend(other.read.iter().cloned());
        }
        self.resets.extend(
            other.resets.iter().filter(|r| !mine.contains(&(r.session.clone(), r.n))).cloned(),
        );
        self.resets.sort_by(|a, b| {
            a.day.cmp(&b.day).then_with(|| a.session.cmp(&b.session)).then(a.n.cmp(&b.n))
        });
        let their_fold = other.folded.as_ref().filter(|_| !they_missed_one);
        if let Some(theirs) = their_fold
            && self
                .folded
                .as_ref()
                .is_none_or(|f| (f.before, f.answers) < (theirs.before, theirs.answers))
        {
            self.folded = Some(theirs.clone());
        }
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
        // The fit from more answers (then the later one) wins; a reset drops the fit with the
        // history it came from.
        if i_missed_one {
            self.fitted = None;
        }
        let their_fit = other.fitted.as_ref().filter(|_| !they_missed_one);
        if let Some(theirs) = their_fit
            && self
                .fitted
                .as_ref()
                .is_none_or(|f| (f.answers, f.day) < (theirs.answers, theirs.day))
        {
            self.fitted = Some(theirs.clone());
        }
        let erased = |session: &str, n: u32| {
            self.resets.iter().any(|r| r.before.get(session).is_some_and(|&below| n < below))
        };
        let folded_before = self.folded.as_ref().map(|f| f.before);
        let kept = |day: Day| folded_before.is_none_or(|before| day >= before);
        let answers = std::mem::take(&mut self.answers);
        self.answers =
            answers.into_iter().filter(|a| kept(a.day) && !erased(&a.session, a.n)).collect();
        let quizzes = std::mem::take(&mut self.quizzes);
        self.quizzes =
            quizzes.into_iter().filter(|q| kept(q.day) && !erased(&q.session, q.n)).collect();
    }

    /// Per window, one past the highest entry number in this record.
    fn numbered_below(&self) -> BTreeMap<String, u32> {
        let mut marks: BTreeMap<String, u32> = BTreeMap::new();
        let entries = self.answers.iter().map(|a| (&a.session, a.n));
        for (session, n) in entries.chain(self.quizzes.iter().map(|q| (&q.session, q.n))) {
            let mark = marks.entry(session.clone()).or_default();
            *mark = (*mark).max(n.saturating_add(1));
        }
        marks
    }

    /// Makes the last reset (of `by`'s window) erase what this record holds too: the store
    /// calls it with what it found on disk, which may hold entries the resetting window never
    /// saw.
    pub fn reset_also_erases(&mut self, found: &Record) {
        let marks = found.numbered_below();
        if let Some(reset) = self.resets.last_mut() {
            for (session, mark) in marks {
                let below = reset.before.entry(session).or_default();
                *below = (*below).max(mark);
            }
        }
    }

    /// FSRS with this record's parameters (fitted, else the defaults) and `retention`.
    pub fn scheduler(&self, retention: f32) -> schedule::Scheduler {
        let parameters = self.fitted.as_ref().map_or(&[][..], |f| &f.parameters[..]);
        schedule::Scheduler::new(parameters, retention)
    }

    /// Every question's review card: the folded cards, then the answers kept, replayed.
    pub fn cards(&self, scheduler: &schedule::Scheduler) -> BTreeMap<String, schedule::Card> {
        let start = self.folded.as_ref().map(|f| f.cards.clone()).unwrap_or_default();
        scheduler.replay(start, &self.answers)
    }

    /// How many answers were ever given (folded ones included).
    pub fn answer_count(&self) -> u64 {
        self.folded.as_ref().map_or(0, |f| f.answers) + self.answers.len() as u64
    }

    /// Folds the older history when the record has grown past [`FOLD_ABOVE`] answers (or as
    /// many quizzes): every answer and quiz before a day becomes each question's card, the
    /// best score per section and totals. The cards, due dates, mastery and best scores
    /// derived afterwards are the same as before.
    pub fn compact(&mut self) {
        if self.answers.len() <= FOLD_ABOVE && self.quizzes.len() <= FOLD_ABOVE {
            return;
        }
        let newest =
            self.answers.iter().map(|a| a.day).chain(self.quizzes.iter().map(|q| q.day)).max();
        let Some(newest) = newest else { return };
        let by_answers = self.answers.len().checked_sub(FOLD_KEEPS).map(|i| self.answers[i].day);
        let by_quizzes = self.quizzes.len().checked_sub(FOLD_KEEPS).map(|i| self.quizzes[i].day);
        let Some(before) = by_answers.into_iter().chain(by_quizzes).max() else { return };
        let before = before.min(newest.plus(-FOLD_SPARES_DAYS));
        if self.folded.as_ref().is_some_and(|f| f.before >= before) {
            return;
        }
        let mut folded = self.folded.take().unwrap_or(Folded {
            before,
            answers: 0,
            quizzes: 0,
            cards: BTreeMap::new(),
            best: BTreeMap::new(),
        });
        folded.before = before;
        let (old, kept): (Vec<AnswerLog>, Vec<AnswerLog>) =
            std::mem::take(&mut self.answers).into_iter().partition(|a| a.day < before);
        folded.answers += old.len() as u64;
        // Folded cards keep the memory, which the retention does not change; their due days
        // are computed afresh on every replay.
        let scheduler = self.scheduler(schedule::DEFAULT_RETENTION);
        folded.cards = scheduler.replay(std::mem::take(&mut folded.cards), &old);
        self.answers = kept;
        let (old, kept): (Vec<QuizLog>, Vec<QuizLog>) =
            std::mem::take(&mut self.quizzes).into_iter().partition(|q| q.day < before);
        folded.quizzes += old.len() as u64;
        let mut folding = Record::new(&self.course);
        folding.quizzes = old;
        folding.folded = Some(folded.clone());
        folded.best = folding
            .best_scores()
            .into_iter()
            .map(|(section, (points, questions))| {
                (section.to_owned(), BestQuiz { points, questions })
            })
            .collect();
        self.quizzes = kept;
        self.folded = Some(folded);
    }

    /// The best quiz score per section (points, questions), from section quizzes.
    pub fn best_scores(&self) -> BTreeMap<&str, (f64, u32)> {
        let mut best: BTreeMap<&str, (f64, u32)> = BTreeMap::new();
        let folded = self.folded.iter().flat_map(|f| &f.best);
        let folded = folded.map(|(section, b)| (section.as_str(), b.points, b.questions));
        let logged = self
            .quizzes
            .iter()
            .filter_map(|q| Some((q.section.as_deref()?, q.points, q.questions)));
        // Folded scores are older than any quiz logged, so they come first.
        for (section, points, questions) in folded.chain(logged) {
            let share = crate::quiz::share(points, questions as usize);
            let better =
                best.get(section).is_none_or(|(p, q)| share > crate::quiz::share(*p, *q as usize));
            if better {
                best.insert(section, (points, questions));
            }
        }
        best
    }
}

#[cfg(test)]
mod tests;
