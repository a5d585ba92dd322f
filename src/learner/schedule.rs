//! When questions come back: Leitner boxes, replayed from the answer history.
//!
//! The rule (also in docs/LEARNER.md, "Practice: when questions come back"):
//! - A question enters box 1 the first time it is answered.
//! - Right (full points): up one box, at most 5; due again after 1, 2, 4, 8 or 16 days for
//!   boxes 1 to 5 (so a first right answer, box 2, comes back in 2 days).
//! - Partly right: down one box, at least 1; due again the next day.
//! - Wrong: back to box 1; due again the same day, so a practice session asks it again later.
//! - A practice session asks the due questions (longest overdue first, lowest box first), then
//!   fills up with questions never answered from the sections already read, up to
//!   [`SESSION_SIZE`].

use std::collections::BTreeMap;

use super::{AnswerLog, Day};
use crate::course::Course;
use crate::quiz::{QuestionRef, Verdict};

/// Days until a question in box 1..=5 is due again after a right answer.
pub const INTERVALS: [i64; 5] = [1, 2, 4, 8, 16];
pub const TOP_BOX: u8 = 5;
/// Questions in one practice session: enough to be worth it, short enough to finish.
pub const SESSION_SIZE: usize = 10;

/// A question's place in the schedule (also kept in a record's folded history).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Card {
    /// 1 to 5.
    pub level: u8,
    /// The day it is due again.
    pub due: Day,
    /// Times it was answered.
    pub reviews: u32,
    /// Times it was answered wrongly.
    pub lapses: u32,
}

/// One review of a card (or a first answer, for `None`).
pub fn review(card: Option<&Card>, points: f64, day: Day) -> Card {
    let (level, reviews, lapses) = card.map_or((1, 0, 0), |c| (c.level, c.reviews, c.lapses));
    let verdict = crate::quiz::Grade { points }.verdict();
    let (level, due, lapses) = match verdict {
        Verdict::Right if card.is_none() => (2, day.plus(INTERVALS[1]), lapses),
        Verdict::Right => {
            let up = (level + 1).min(TOP_BOX);
            (up, day.plus(INTERVALS[usize::from(up - 1)]), lapses)
        }
        Verdict::PartlyRight => (level.saturating_sub(1).max(1), day.plus(1), lapses),
        Verdict::Wrong => (1, day, lapses + 1),
    };
    Card { level, due, reviews: reviews + 1, lapses }
}

/// Every question's card, from the history (answers must be oldest first).
pub fn cards(answers: &[AnswerLog]) -> BTreeMap<String, Card> {
    replay(BTreeMap::new(), answers)
}

/// The cards after `answers` (oldest first), starting from `cards`.
pub fn replay(mut cards: BTreeMap<String, Card>, answers: &[AnswerLog]) -> BTreeMap<String, Card> {
    for answer in answers {
        let card = review(cards.get(&answer.question), answer.points, answer.day);
        cards.insert(answer.question.clone(), card);
    }
    cards
}

/// The questions of `course` due on `today`, most overdue first. Cards of questions the
/// course no longer has are ignored (the pack changed).
pub fn due(course: &Course, cards: &BTreeMap<String, Card>, today: Day) -> Vec<QuestionRef> {
    let mut due: Vec<(Day, u8, QuestionRef)> = questions(course)
        .filter_map(|(id, r)| cards.get(id).filter(|c| c.due <= today).map(|c| (c.due, c.level, r)))
        .collect();
    due.sort();
    due.into_iter().map(|(_, _, r)| r).collect()
}

/// A practice session: due questions, then new ones from sections read, at most
/// [`SESSION_SIZE`].
pub fn practice(
    course: &Course,
    cards: &BTreeMap<String, Card>,
    read: &[bool],
    today: Day,
) -> Vec<QuestionRef> {
    let mut session = due(course, cards, today);
    let fresh = questions(course)
        .filter(|(id, (s, _))| read.get(*s).copied().unwrap_or(false) && !cards.contains_key(*id));
    session.extend(fresh.map(|(_, r)| r));
    session.truncate(SESSION_SIZE);
    session
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

/// Mastery of a section from 0 to 1: the mean of its questions' boxes, where box 1 (and a
/// question never answered) counts 0 and the top box counts 1.
pub fn mastery(course: &Course, section: usize, cards: &BTreeMap<String, Card>) -> f64 {
    let questions = &course.sections[section].questions;
    let total: f64 = questions
        .iter()
        .map(|q| cards.get(&q.id).map_or(0.0, |c| f64::from(c.level - 1) / f64::from(TOP_BOX - 1)))
        .sum();
    crate::quiz::share(total, questions.len())
}

fn questions(course: &Course) -> impl Iterator<Item = (&str, QuestionRef)> {
    course.sections.iter().enumerate().flat_map(|(s, section)| {
        section
            .questions
            .iter()
            .enumerate()
            .map(move |(q, question)| (question.id.as_str(), (s, q)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(question: &str, day: i64, points: f64) -> AnswerLog {
        AnswerLog { question: question.into(), day: Day(day), points, session: "s".into(), n: 0 }
    }

    #[test]
    fn right_answers_climb_the_boxes_at_growing_intervals() {
        let mut card = review(None, 1.0, Day(100));
        assert_eq!((card.level, card.due), (2, Day(102)));
        let mut expected_due = vec![];
        for day in [102, 106, 114, 130] {
            card = review(Some(&card), 1.0, Day(day));
            expected_due.push(card.due.0 - day);
        }
        assert_eq!(expected_due, vec![4, 8, 16, 16], "box 3, 4, 5, then it stays in box 5");
        assert_eq!(card.level, TOP_BOX);
    }

    #[test]
    fn a_wrong_answer_sends_it_back_to_box_1_due_today() {
        let card = review(None, 1.0, Day(10));
        let card = review(Some(&card), 1.0, Day(12));
        let missed = review(Some(&card), 0.0, Day(16));
        assert_eq!((missed.level, missed.due, missed.lapses), (1, Day(16), 1));
        let first_miss = review(None, 0.0, Day(5));
        assert_eq!((first_miss.level, first_miss.due), (1, Day(5)));
    }

    #[test]
    fn partly_right_drops_one_box_and_comes_back_tomorrow() {
        let card =
            review(Some(&Card { level: 4, due: Day(0), reviews: 3, lapses: 0 }), 0.5, Day(20));
        assert_eq!((card.level, card.due), (3, Day(21)));
        let floor =
            review(Some(&Card { level: 1, due: Day(0), reviews: 1, lapses: 1 }), 0.5, Day(20));
        assert_eq!(floor.level, 1);
    }

    #[test]
    fn cards_replay_the_history() {
        let cards = cards(&[answer("a", 1, 1.0), answer("b", 1, 0.0), answer("a", 3, 1.0)]);
        assert_eq!(cards["a"].level, 3);
        assert_eq!(cards["a"].due, Day(7));
        assert_eq!(cards["b"].due, Day(1));
    }

    #[test]
    fn practice_asks_due_questions_first_then_new_ones_from_read_sections() {
        let course =
            crate::content::load(&crate::content::load::PackSource::BuiltIn).unwrap().course;
        let first = course.sections[0].questions[0].id.clone();
        let second = course.sections[0].questions[1].id.clone();
        let gone = answer("a-question-that-was-removed", 1, 0.0);
        let cards = cards(&[answer(&first, 1, 0.0), answer(&second, 1, 1.0), gone]);
        let read = vec![false, true, false, false, false, false];
        let session = practice(&course, &cards, &read, Day(2));
        assert_eq!(session[0], (0, 0), "the missed one is due");
        assert!(!session.contains(&(0, 1)), "the right one is not due for 2 days");
        assert!(session[1..].iter().all(|(s, _)| *s == 1), "then new ones from the read section");
        assert_eq!(session.len(), 1 + course.sections[1].questions.len().min(SESSION_SIZE - 1));
        assert_eq!(due(&course, &cards, Day(2)), vec![(0, 0)], "removed questions are ignored");
        assert_eq!(forecast(&course, &cards, Day(2), 3), vec![1, 1, 0]);
    }

    #[test]
    fn mastery_grows_with_the_boxes() {
        let course =
            crate::content::load(&crate::content::load::PackSource::BuiltIn).unwrap().course;
        let ids: Vec<&str> = course.sections[2].questions.iter().map(|q| q.id.as_str()).collect();
        assert!(mastery(&course, 2, &BTreeMap::new()).abs() < f64::EPSILON);
        let all_top: BTreeMap<String, Card> = ids
            .iter()
            .map(|id| {
                ((*id).to_owned(), Card { level: TOP_BOX, due: Day(0), reviews: 5, lapses: 0 })
            })
            .collect();
        assert!((mastery(&course, 2, &all_top) - 1.0).abs() < f64::EPSILON);
    }
}
