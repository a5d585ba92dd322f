//! A simulated learner practising the built-in course for 60 days, scheduled by Leitner boxes
//! (stemcell before FSRS) and by FSRS-6 (now): how many answers it takes until every question
//! would still be recalled with at least 90 % probability a week later, were practice to stop.
//!
//!     cargo run --release --example practice_sim [-- --learners 50 --limit 10]
//!
//! The learner: every question has its own forgetting curve, recall after `t` days being
//! `0.9^(t / S)`, `S` its stability (days until recall falls to 90 %). Each question starts
//! with its own `S` (0.5 to 3 days) and its own growth `g` (1 to 2.5). A right answer multiplies
//! `S` by `1 + g (e^(3 (1 - R)) - 1) / (e^0.3 - 1)`, `R` the recall at the moment of the
//! answer: a review when recall has fallen to 90 % multiplies it by `1 + g`, an earlier one by
//! less (the spacing effect), as in the memory models FSRS and `SuperMemo` are built on. A
//! wrong answer cuts `S` to 30 % (at least 0.3 days). Whether an answer is right is drawn with
//! probability `R`. The learner has read every section on day 0 and practises once a day: the
//! session the scheduler gives (due questions, then new ones), at most `--limit` questions.
//! Both schedulers meet the same learners (the same seeds).

// Counts and days here are small, far below where a float loses integers.
#![allow(clippy::cast_precision_loss)]

use std::collections::BTreeMap;

use stemcell::content::{self, load::PackSource};
use stemcell::course::Course;
use stemcell::learner::Day;
use stemcell::learner::schedule::{Card, Scheduler, practice};

const DAYS: i64 = 60;
/// The target: recall at least this...
const TARGET: f64 = 0.9;
/// ...this many days after the last practice.
const HOLD_DAYS: f64 = 7.0;

fn main() {
    let mut learners = 50u64;
    let mut limit = stemcell::learner::schedule::SESSION_SIZE;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().and_then(|v| v.parse::<u64>().ok());
        match (arg.as_str(), value) {
            ("--learners", Some(n)) if n > 0 => learners = n.min(10_000),
            ("--limit", Some(n)) if n > 0 => limit = usize::try_from(n.min(1000)).unwrap_or(20),
            _ => {
                eprintln!("usage: practice_sim [--learners N] [--limit N]");
                std::process::exit(1);
            }
        }
    }
    let course = content::load(&PackSource::BuiltIn).expect("the built-in course loads").course;
    let questions = course.sections.iter().map(|s| s.questions.len()).sum::<usize>();
    println!(
        "{learners} simulated learners, {questions} questions, {DAYS} days, at most {limit} a day"
    );
    println!(
        "target: every question recalled with >= {:.0} % probability {HOLD_DAYS} days later",
        TARGET * 100.0
    );
    println!();
    println!(
        "{:8}  {:>22}  {:>16}  {:>18}  {:>18}",
        "", "answers to the target", "reached (of N)", "answers in 60 days", "recall on day 60"
    );
    for kind in [Kind::Leitner, Kind::Fsrs] {
        let runs: Vec<Outcome> =
            (0..learners).map(|seed| simulate(&course, kind, seed, limit)).collect();
        let reached: Vec<u64> = runs.iter().filter_map(|r| r.answers_to_target).collect();
        let mut sorted = reached.clone();
        sorted.sort_unstable();
        let median = sorted.get(sorted.len() / 2).map_or("never".to_owned(), ToString::to_string);
        let mean =
            |f: &dyn Fn(&Outcome) -> f64| runs.iter().map(f).sum::<f64>() / runs.len() as f64;
        println!(
            "{:8}  {:>22}  {:>16}  {:>18.0}  {:>17.1}%",
            kind.name(),
            format!("median {median}"),
            format!("{}/{learners}", reached.len()),
            mean(&|r| r.answers as f64),
            mean(&|r| r.recall_at_end) * 100.0,
        );
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Leitner,
    Fsrs,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Self::Leitner => "Leitner",
            Self::Fsrs => "FSRS-6",
        }
    }
}

struct Outcome {
    /// Answers given before the first day the target held, if it did within 60 days.
    answers_to_target: Option<u64>,
    answers: u64,
    /// The mean true recall over all questions on the last day.
    recall_at_end: f64,
}

/// One question's true memory.
struct Memory {
    stability: f64,
    growth: f64,
    /// The day it was last read or answered.
    last: i64,
}

impl Memory {
    fn recall(&self, day: i64) -> f64 {
        0.9f64.powf((day - self.last) as f64 / self.stability)
    }

    fn answer(&mut self, day: i64, random: f64) -> bool {
        let recall = self.recall(day);
        let right = random < recall;
        if right {
            let spacing = ((3.0 * (1.0 - recall)).exp() - 1.0) / (0.3f64.exp() - 1.0);
            self.stability *= 1.0 + self.growth * spacing;
        } else {
            self.stability = (self.stability * 0.3).max(0.3);
        }
        self.last = day;
        right
    }
}

struct Random(u64);

impl Random {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn simulate(course: &Course, kind: Kind, seed: u64, limit: usize) -> Outcome {
    let mut random = Random(0x9e37_79b9_7f4a_7c15 ^ (seed.wrapping_mul(0x2545_f491_4f6c_dd1d)));
    let ids: Vec<&str> =
        course.sections.iter().flat_map(|s| &s.questions).map(|q| q.id.as_str()).collect();
    let start = 20_000;
    // Reading the course on day 0 is every question's first study.
    let mut memory: BTreeMap<&str, Memory> = ids
        .iter()
        .map(|id| {
            let stability = 0.5 + 2.5 * random.next();
            let growth = 1.0 + 1.5 * random.next();
            (*id, Memory { stability, growth, last: start })
        })
        .collect();
    // The answers are drawn from their own stream, so both schedulers meet the same learner.
    let mut answers_random = Random(seed.wrapping_add(1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let fsrs = Scheduler::default();
    let mut fsrs_cards: BTreeMap<String, Card> = BTreeMap::new();
    let mut leitner_cards: BTreeMap<String, Leitner> = BTreeMap::new();
    let read = vec![true; course.sections.len()];
    let (mut answers, mut answers_to_target) = (0u64, None);
    for day in start..start + DAYS {
        let hold = ids.iter().all(|id| {
            let m = &memory[id];
            0.9f64.powf(HOLD_DAYS / m.stability) >= TARGET
        });
        if hold && answers_to_target.is_none() {
            answers_to_target = Some(answers);
        }
        let session: Vec<&str> = match kind {
            Kind::Fsrs => practice(&fsrs, course, &fsrs_cards, &read, Day(day), limit)
                .into_iter()
                .map(|(s, q)| course.sections[s].questions[q].id.as_str())
                .collect(),
            Kind::Leitner => leitner_session(&ids, &leitner_cards, day, limit),
        };
        for id in session {
            let right =
                memory.get_mut(id).expect("a course question").answer(day, answers_random.next());
            let points = if right { 1.0 } else { 0.0 };
            answers += 1;
            match kind {
                Kind::Fsrs => {
                    let card = fsrs.review(fsrs_cards.get(id), points, Day(day));
                    fsrs_cards.insert(id.to_owned(), card);
                }
                Kind::Leitner => {
                    let card = Leitner::review(leitner_cards.get(id), right, day);
                    leitner_cards.insert(id.to_owned(), card);
                }
            }
        }
    }
    let end = start + DAYS;
    let recall_at_end = ids.iter().map(|id| memory[id].recall(end)).sum::<f64>() / ids.len() as f64;
    Outcome { answers_to_target, answers, recall_at_end }
}

/// The Leitner boxes stemcell used before FSRS (src/learner/schedule.rs until this change):
/// box 1 to 5, a right answer moves up a box and waits 1, 2, 4, 8 or 16 days; a wrong one goes
/// back to box 1, due the same day.
#[derive(Clone, Copy)]
struct Leitner {
    level: u8,
    due: i64,
}

impl Leitner {
    const INTERVALS: [i64; 5] = [1, 2, 4, 8, 16];

    fn review(card: Option<&Self>, right: bool, day: i64) -> Self {
        match (card, right) {
            (None, true) => Self { level: 2, due: day + Self::INTERVALS[1] },
            (Some(c), true) => {
                let up = (c.level + 1).min(5);
                Self { level: up, due: day + Self::INTERVALS[usize::from(up - 1)] }
            }
            (_, false) => Self { level: 1, due: day },
        }
    }
}

/// Leitner's session: due questions by due day then box, then new ones, at most `limit`.
fn leitner_session<'a>(
    ids: &[&'a str],
    cards: &BTreeMap<String, Leitner>,
    day: i64,
    limit: usize,
) -> Vec<&'a str> {
    let mut due: Vec<(i64, u8, &str)> = ids
        .iter()
        .filter_map(|id| cards.get(*id).filter(|c| c.due <= day).map(|c| (c.due, c.level, *id)))
        .collect();
    due.sort_unstable();
    let mut session: Vec<&str> = due.into_iter().map(|(_, _, id)| id).collect();
    session.extend(ids.iter().filter(|id| !cards.contains_key(**id)));
    session.truncate(limit);
    session
}
