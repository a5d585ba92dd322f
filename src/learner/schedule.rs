//! When questions come back: FSRS-6 (the Free Spaced Repetition Scheduler, as Anki uses it)
//! through the `fsrs` crate, replayed from the answers the record keeps.
//!
//! - Each answer is a review: wrong rates Again, partly right Hard, right Good. The days
//!   between a question's answers come from the log; two answers on one day are a same-day
//!   repeat (zero days elapsed), which FSRS-6 models as short-term memory.
//! - After a review FSRS gives the question's memory: its *stability* (the days after which
//!   recall falls to 90 %) and its difficulty. The next interval is the time until the
//!   estimated recall falls to the desired retention (0.9 unless the config says otherwise).
//! - Due = the day of the last answer + that interval rounded to whole days (at least one day),
//!   in the learner's local calendar (answers are logged under the local date). A wrong answer
//!   is due again the same day, as Anki's relearning step would show it again.
//! - A practice session asks the due questions, most overdue first, then fills up with
//!   questions never answered from the sections already read.
//!
//! All the arithmetic is the crate's f32 arithmetic, and every interval is rounded by
//! [`whole_days`] alone, so the same log gives the same due days everywhere.

use std::collections::BTreeMap;

use fsrs::{FSRS, FSRSItem, FSRSReview, MemoryState};
use serde::{Deserialize, Serialize};

use super::{AnswerLog, Day};
use crate::course::Course;
use crate::quiz::{QuestionRef, Verdict};

/// Questions in a practice session unless `--limit` says otherwise: enough to be worth it,
/// short enough to finish.
pub const SESSION_SIZE: usize = 10;
/// The desired retention: the estimated recall at which a question falls due.
pub const DEFAULT_RETENTION: f32 = 0.9;
/// The retentions the config may ask for (the range Anki allows).
pub const RETENTION_RANGE: std::ops::RangeInclusive<f32> = 0.7..=0.99;
/// The longest interval given, as Anki's default maximum.
pub const MAX_INTERVAL_DAYS: f32 = 36_500.0;

/// FSRS's ratings, by their number in the crate.
const AGAIN: u32 = 1;
const HARD: u32 = 2;
const GOOD: u32 = 3;

/// The rating an answer earns: wrong is Again, partly right Hard, right Good.
pub fn rating(points: f64) -> u32 {
    match (crate::quiz::Grade { points }).verdict() {
        Verdict::Wrong => AGAIN,
        Verdict::PartlyRight => HARD,
        Verdict::Right => GOOD,
    }
}

/// An interval in whole days: every due day is computed through here, so the same log gives
/// the same days everywhere. Rounded to the nearest day, at least one, at most
/// [`MAX_INTERVAL_DAYS`]; a non-finite interval (never from valid parameters) counts one.
pub fn whole_days(interval: f32) -> i64 {
    if interval.is_finite() {
        // In range by the clamp, so the cast is exact.
        interval.round().clamp(1.0, MAX_INTERVAL_DAYS) as i64
    } else {
        1
    }
}

/// A question's place in the schedule (also kept, per question, in a record's folded
/// history).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "StoredCard")]
pub struct Card {
    /// Days until estimated recall falls to 90 %.
    pub stability: f32,
    /// 1 (easy) to 10 (hard).
    pub difficulty: f32,
    /// The day of the last answer.
    pub last: Day,
    /// The last answer's rating: 1 Again, 2 Hard, 3 Good.
    pub rating: u32,
    /// The day it is due again.
    pub due: Day,
    /// Times it was answered.
    pub reviews: u32,
    /// Times it was answered wrongly.
    pub lapses: u32,
}

/// A folded card as written: an FSRS card (`stability`, `difficulty`, `last`, `rating`), or a
/// Leitner card (`level`) from a record written before FSRS, which loads as it is.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredCard {
    due: Day,
    reviews: u32,
    lapses: u32,
    stability: Option<f32>,
    difficulty: Option<f32>,
    last: Option<Day>,
    rating: Option<u32>,
    /// The Leitner box, 1 to 5, of records written before FSRS.
    level: Option<u8>,
}

/// The days a Leitner card in box 1..=5 waited after a right answer (the scheduler before
/// FSRS), to read its folded cards.
const LEITNER_INTERVALS: [u16; 5] = [1, 2, 4, 8, 16];

impl TryFrom<StoredCard> for Card {
    type Error = String;

    fn try_from(s: StoredCard) -> Result<Self, String> {
        let card = |stability: f32, difficulty: f32, last: Day, rating: u32| Card {
            stability,
            difficulty,
            last,
            rating,
            due: s.due,
            reviews: s.reviews,
            lapses: s.lapses,
        };
        match (s.stability, s.difficulty, s.last, s.rating, s.level) {
            (Some(stability), Some(difficulty), Some(last), Some(rating), None) => {
                if !(stability.is_finite() && stability > 0.0) {
                    return Err(format!(
                        "a card's stability is {stability}, not a positive number"
                    ));
                }
                if !(1.0..=10.0).contains(&difficulty) {
                    return Err(format!("a card's difficulty is {difficulty}, not 1 to 10"));
                }
                if !(AGAIN..=GOOD).contains(&rating) {
                    return Err(format!("a card's rating is {rating}, not 1 to 3"));
                }
                Ok(card(stability, difficulty, last, rating))
            }
            (None, None, None, None, Some(level)) => {
                if !(1..=5).contains(&level) {
                    return Err(format!("a folded card is in box {level}, not 1 to 5"));
                }
                // A Leitner box says how long the question was last kept: FSRS reads that as
                // an interval kept at 90 % recall (Anki converts SM-2 cards the same way).
                let interval = LEITNER_INTERVALS[usize::from(level - 1)];
                let memory = FSRS::default()
                    .memory_state_from_sm2(2.5, f32::from(interval), DEFAULT_RETENTION)
                    .map_err(|e| format!("a folded card in box {level}: {e}"))?;
                let (last, rating) = if level == 1 {
                    (s.due, AGAIN)
                } else {
                    (s.due.plus(-i64::from(interval)), GOOD)
                };
                Ok(card(memory.stability, memory.difficulty, last, rating))
            }
            _ => Err("a folded card needs stability, difficulty, last and rating (or a Leitner \
                      level), not a mix"
                .to_owned()),
        }
    }
}

/// FSRS with the learner's parameters and desired retention.
#[derive(Debug, Clone)]
pub struct Scheduler {
    fsrs: FSRS,
    /// The 21 parameters in use (the crate keeps its own copy private; the forgetting curve's
    /// decay is the last).
    parameters: Vec<f32>,
    retention: f32,
}

impl Default for Scheduler {
    fn default() -> Self {
        Self::new(&[], DEFAULT_RETENTION)
    }
}

impl Scheduler {
    /// FSRS-6 with `parameters` (none: the defaults; invalid ones, such as a wrong count or a
    /// NaN in a tampered record: the defaults too) and a
    /// desired retention (clamped to [`RETENTION_RANGE`]).
    pub fn new(parameters: &[f32], retention: f32) -> Self {
        // A record is hostile input: parameters that are not all finite are not used.
        let finite = parameters.iter().all(|p| p.is_finite());
        let filled = fsrs::check_and_fill_parameters(parameters)
            .ok()
            .filter(|_| finite)
            .and_then(|p| Some((FSRS::new(&p).ok()?, p)));
        let (fsrs, parameters) =
            filled.unwrap_or_else(|| (FSRS::default(), fsrs::DEFAULT_PARAMETERS.to_vec()));
        let retention = if retention.is_finite() {
            retention.clamp(*RETENTION_RANGE.start(), *RETENTION_RANGE.end())
        } else {
            DEFAULT_RETENTION
        };
        Self { fsrs, parameters, retention }
    }

    pub fn retention(&self) -> f32 {
        self.retention
    }

    /// One answer to a question (`None`: its first).
    pub fn review(&self, card: Option<&Card>, points: f64, day: Day) -> Card {
        let rating = rating(points);
        let (memory, elapsed) = match card {
            Some(c) => {
                let memory = MemoryState { stability: c.stability, difficulty: c.difficulty };
                // A log merged from two windows is sorted by day, so this is never negative.
                (Some(memory), u32::try_from((day.0 - c.last.0).max(0)).unwrap_or(u32::MAX))
            }
            None => (None, 0),
        };
        let next = self.fsrs.next_states(memory, self.retention, elapsed);
        let memory = match next {
            Ok(next) => match rating {
                AGAIN => next.again.memory,
                HARD => next.hard.memory,
                _ => next.good.memory,
            },
            // Never from valid parameters; the card keeps its memory rather than panicking.
            Err(_) => memory.unwrap_or(MemoryState { stability: 1.0, difficulty: 5.0 }),
        };
        let (reviews, lapses) = card.map_or((0, 0), |c| (c.reviews, c.lapses));
        let mut card = Card {
            stability: memory.stability,
            difficulty: memory.difficulty,
            last: day,
            rating,
            due: day,
            reviews: reviews + 1,
            lapses: lapses + u32::from(rating == AGAIN),
        };
        card.due = self.due(&card);
        card
    }

    /// The day `card` falls due: the same day after a wrong answer, else the last answer's
    /// day plus the interval at which recall falls to the desired retention.
    pub fn due(&self, card: &Card) -> Day {
        if card.rating == AGAIN {
            return card.last;
        }
        let interval = self.fsrs.next_interval(Some(card.stability), self.retention, card.rating);
        card.last.plus(whole_days(interval))
    }

    /// The estimated recall of `card` on `day`, from 0 to 1. Answers are logged by day, not
    /// by hour: one given today counts half a day old (without it, a question answered wrongly
    /// a minute ago would show 100 % recall).
    // Days elapsed are far below f32's exact integers (16 million days).
    #[allow(clippy::cast_precision_loss)]
    pub fn recall(&self, card: &Card, day: Day) -> f32 {
        let elapsed = ((day.0 - card.last.0) as f32).max(0.5);
        let memory = MemoryState { stability: card.stability, difficulty: card.difficulty };
        fsrs::current_retrievability(memory, elapsed, self.parameters[20])
    }

    /// Every question's card after `answers` (oldest first), starting from `cards`; every due
    /// day is computed with this scheduler's retention (a changed retention moves folded cards
    /// too).
    pub fn replay(
        &self,
        mut cards: BTreeMap<String, Card>,
        answers: &[AnswerLog],
    ) -> BTreeMap<String, Card> {
        for card in cards.values_mut() {
            card.due = self.due(card);
        }
        for answer in answers {
            let card = self.review(cards.get(&answer.question), answer.points, answer.day);
            cards.insert(answer.question.clone(), card);
        }
        cards
    }

    /// Every question's card, from the history alone.
    pub fn cards(&self, answers: &[AnswerLog]) -> BTreeMap<String, Card> {
        self.replay(BTreeMap::new(), answers)
    }
}

/// The training items of a history (answers oldest first), one per answer after a
/// question's first: the question's reviews up to it, the days between them from the log.
/// Only items with a review after day 0 are kept: the crate needs one (its own README example
/// panics without). Returned with each item's question number, which the crate uses to group
/// a question's items.
pub fn training_items(answers: &[AnswerLog]) -> (Vec<FSRSItem>, Vec<i64>) {
    let mut histories: BTreeMap<&str, (Day, Vec<FSRSReview>)> = BTreeMap::new();
    let mut items = Vec::new();
    let mut ids = Vec::new();
    let mut numbers: BTreeMap<&str, i64> = BTreeMap::new();
    for answer in answers {
        let next = i64::try_from(numbers.len()).unwrap_or(i64::MAX);
        let id = *numbers.entry(answer.question.as_str()).or_insert(next);
        let (last, reviews) =
            histories.entry(answer.question.as_str()).or_insert((answer.day, Vec::new()));
        let delta_t = u32::try_from((answer.day.0 - last.0).max(0)).unwrap_or(u32::MAX);
        reviews.push(FSRSReview { rating: rating(answer.points), delta_t });
        *last = answer.day;
        if reviews.len() >= 2 && reviews[1..].iter().any(|r| r.delta_t > 0) {
            items.push(FSRSItem { reviews: reviews.clone() });
            ids.push(id);
        }
    }
    (items, ids)
}

/// The questions of `course` due on `today`, most overdue first (then the least likely to be
/// recalled). Cards of questions the course no longer has are ignored (the pack changed).
pub fn due(
    scheduler: &Scheduler,
    course: &Course,
    cards: &BTreeMap<String, Card>,
    today: Day,
) -> Vec<QuestionRef> {
    let mut due: Vec<(Day, u32, QuestionRef)> = questions(course)
        .filter_map(|(id, r)| {
            let card = cards.get(id).filter(|c| c.due <= today)?;
            // Recall in millionths orders exactly and the same everywhere (recall is 0 to 1).
            #[allow(clippy::cast_sign_loss)]
            let recall = (scheduler.recall(card, today) * 1e6).round() as u32;
            Some((card.due, recall, r))
        })
        .collect();
    due.sort();
    due.into_iter().map(|(_, _, r)| r).collect()
}

/// A practice session: the due questions, most overdue first, then new ones from the
/// sections read; at most `limit`.
pub fn practice(
    scheduler: &Scheduler,
    course: &Course,
    cards: &BTreeMap<String, Card>,
    read: &[bool],
    today: Day,
    limit: usize,
) -> Vec<QuestionRef> {
    let mut session = due(scheduler, course, cards, today);
    let fresh = questions(course)
        .filter(|(id, (s, _))| read.get(*s).copied().unwrap_or(false) && !cards.contains_key(*id));
    session.extend(fresh.map(|(_, r)| r));
    session.truncate(limit);
    session
}

/// The first day after `today` on which a question falls due, and how many fall due then.
pub fn next_due(
    course: &Course,
    cards: &BTreeMap<String, Card>,
    today: Day,
) -> Option<(Day, usize)> {
    let days: Vec<Day> = questions(course)
        .filter_map(|(id, _)| cards.get(id).map(|c| c.due).filter(|d| *d > today))
        .collect();
    let first = days.iter().min().copied()?;
    Some((first, days.iter().filter(|d| **d == first).count()))
}

/// How many questions fall due on each of the next `days` days (overdue ones count today).
pub fn forecast(
    course: &Course,
    cards: &BTreeMap<String, Card>,
    today: Day,
    days: usize,
) -> Vec<usize> {
    let mut counts = vec![0; days];
    for (id, _) in questions(course) {
        if let Some(card) = cards.get(id) {
            let offset = usize::try_from((card.due.0 - today.0).max(0)).unwrap_or(usize::MAX);
            if let Some(count) = counts.get_mut(offset) {
                *count += 1;
            }
        }
    }
    counts
}

pub(crate) fn questions(course: &Course) -> impl Iterator<Item = (&str, QuestionRef)> {
    course.sections.iter().enumerate().flat_map(|(s, section)| {
        section
            .questions
            .iter()
            .enumerate()
            .map(move |(q, question)| (question.id.as_str(), (s, q)))
    })
}

#[cfg(test)]
mod tests;
