use std::fmt::Write as _;

use proptest::prelude::*;

use super::*;
use crate::learner::Record;

fn answer(question: &str, day: i64, points: f64) -> AnswerLog {
    AnswerLog { question: question.into(), day: Day(day), points, session: "s".into(), n: 0 }
}

fn course() -> Course {
    crate::content::load(&crate::content::load::PackSource::BuiltIn).unwrap().course
}

#[test]
fn answers_rate_again_hard_good() {
    assert_eq!((rating(0.0), rating(0.5), rating(1.0)), (AGAIN, HARD, GOOD));
}

#[test]
fn intervals_round_to_whole_days_the_same_way_everywhere() {
    assert_eq!(whole_days(2.3065), 2);
    assert_eq!(whole_days(2.5), 3, "halves round up");
    assert_eq!(whole_days(0.2), 1, "at least a day");
    assert_eq!(whole_days(f32::NAN), 1);
    assert_eq!(whole_days(1e9), 36_500);
}

#[test]
fn right_answers_come_back_at_growing_intervals() {
    let scheduler = Scheduler::default();
    let mut card = scheduler.review(None, 1.0, Day(100));
    assert_eq!(card.due, Day(102), "FSRS-6's first Good: stability 2.3 days");
    let mut gaps = vec![card.due.0 - card.last.0];
    for _ in 0..5 {
        let day = card.due;
        card = scheduler.review(Some(&card), 1.0, day);
        gaps.push(card.due.0 - day.0);
    }
    assert!(gaps.windows(2).all(|w| w[1] > w[0]), "{gaps:?}");
    assert_eq!((card.reviews, card.lapses), (6, 0));
}

#[test]
fn a_wrong_answer_is_due_again_the_same_day_and_a_repeat_that_day_counts() {
    let scheduler = Scheduler::default();
    let card = scheduler.review(None, 1.0, Day(10));
    let card = scheduler.review(Some(&card), 1.0, Day(12));
    let missed = scheduler.review(Some(&card), 0.0, Day(20));
    assert_eq!((missed.due, missed.lapses), (Day(20), 1));
    assert!(missed.stability < card.stability, "forgetting lowers stability");
    // Answered right again the same day: a same-day repeat (no day elapsed).
    let repeated = scheduler.review(Some(&missed), 1.0, Day(20));
    assert!(repeated.due > Day(20), "{repeated:?}");
    assert_eq!(repeated.reviews, 4);
}

#[test]
fn partly_right_comes_back_sooner_than_right() {
    let scheduler = Scheduler::default();
    let card = scheduler.review(None, 1.0, Day(0));
    let hard = scheduler.review(Some(&card), 0.5, Day(2));
    let good = scheduler.review(Some(&card), 1.0, Day(2));
    assert!(hard.due < good.due, "{hard:?} {good:?}");
}

#[test]
fn a_higher_retention_brings_questions_back_sooner() {
    let answers = [answer("a", 0, 1.0), answer("a", 2, 1.0), answer("a", 8, 1.0)];
    let at = |retention| Scheduler::new(&[], retention).cards(&answers)["a"].due;
    assert!(at(0.95) < at(0.9) && at(0.9) < at(0.8), "{:?}", [at(0.95), at(0.9), at(0.8)]);
    assert!((Scheduler::new(&[], 5.0).retention() - 0.99).abs() < f32::EPSILON, "clamped");
}

#[test]
fn parameters_from_a_tampered_record_fall_back_to_the_defaults() {
    let answers = [answer("a", 0, 1.0), answer("a", 3, 1.0)];
    let default = Scheduler::default().cards(&answers);
    let mut nan = fsrs::DEFAULT_PARAMETERS.to_vec();
    nan[4] = f32::NAN;
    for bad in [vec![1.0; 3], nan, vec![f32::INFINITY; 21]] {
        assert_eq!(Scheduler::new(&bad, 0.9).cards(&answers), default, "{bad:?}");
    }
}

#[test]
fn recall_falls_to_90_percent_after_the_stability() {
    let scheduler = Scheduler::default();
    let card = scheduler.review(None, 1.0, Day(0));
    let today = scheduler.recall(&card, Day(0));
    assert!(today > 0.95 && today < 1.0, "{today}");
    let missed = scheduler.review(Some(&card), 0.0, Day(1));
    let right = scheduler.review(Some(&card), 1.0, Day(1));
    assert!(scheduler.recall(&missed, Day(1)) < scheduler.recall(&right, Day(1)));
    assert!(scheduler.recall(&missed, Day(1)) < 0.99, "a question just missed is not 100 %");
    let later = scheduler.recall(&card, Day(0).plus(card.stability.round() as i64));
    assert!((later - 0.9).abs() < 0.02, "{later}");
}

/// A record of version 2 (before FSRS) with Leitner cards in its folded history loads as it
/// is: boxes become FSRS memory, the answers after the fold replay on top.
#[test]
fn an_old_record_with_folded_leitner_cards_loads_and_replays() {
    let text = r#"version = 2
course = "c"

[[answers]]
question = "q2"
day = "2026-01-20"
points = 1.0
session = "s"
n = 0

[folded]
before = "2026-01-10"
answers = 12
quizzes = 0

[folded.cards.q1]
level = 4
due = "2026-01-17"
reviews = 4
lapses = 0

[folded.cards.q2]
level = 1
due = "2026-01-09"
reviews = 2
lapses = 1
"#;
    let record: Record = toml::from_str(text).unwrap();
    let scheduler = Scheduler::default();
    let cards = record.cards(&scheduler);
    let q1 = &cards["q1"];
    assert_eq!(q1.last.to_string(), "2026-01-09", "box 4 waited 8 days before its due day");
    assert!((q1.stability - 8.0).abs() < 0.5, "kept 8 days at 90 %: {q1:?}");
    assert_eq!(q1.due.to_string(), "2026-01-17", "the same due day as before");
    assert_eq!(cards["q2"].reviews, 3, "the answer after the fold replays on top");
    assert!(cards["q2"].due > Day("2026-01-20".parse::<Day>().unwrap().0));
    // Written again, it is an FSRS card that reads back the same.
    let mut written = record.clone();
    written.folded.as_mut().unwrap().cards = cards.clone();
    written.answers.clear();
    let back: Record = toml::from_str(&toml::to_string(&written).unwrap()).unwrap();
    assert_eq!(back.cards(&scheduler), cards);
}

#[test]
fn practice_asks_the_most_overdue_first_then_new_ones_up_to_the_limit() {
    let course = course();
    let scheduler = Scheduler::default();
    let id = |s: usize, q: usize| course.sections[s].questions[q].id.clone();
    let answers = [
        answer(&id(0, 0), 1, 1.0),  // due on day 3
        answer(&id(0, 1), 5, 0.0),  // due on day 5
        answer(&id(2, 0), 0, 1.0),  // due on day 2
        answer(&id(2, 1), 10, 1.0), // not due
        answer("a-question-that-was-removed", 1, 0.0),
    ];
    let cards = scheduler.cards(&answers);
    let read = vec![false, true, false, false, false, false];
    let session = practice(&scheduler, &course, &cards, &read, Day(10), 100);
    assert_eq!(session[..3], [(2, 0), (0, 0), (0, 1)], "most overdue first");
    assert!(session[3..].iter().all(|(s, _)| *s == 1), "then new ones from the read section");
    assert_eq!(session.len(), 3 + course.sections[1].questions.len());
    assert_eq!(practice(&scheduler, &course, &cards, &read, Day(10), 2), [(2, 0), (0, 0)]);
    assert_eq!(next_due(&course, &cards, Day(10)), Some((Day(12), 1)));
    let forecast = forecast(&course, &cards, Day(10), 14);
    assert_eq!((forecast[0], forecast[2], forecast.iter().sum::<usize>()), (3, 1, 4));
}

/// A few learners' histories and the schedule they give, kept as a snapshot: any change to
/// the rounding, the ratings or the crate's arithmetic shows here.
#[test]
fn snapshots_of_a_few_histories() {
    let histories: [(&str, &[(i64, f64)]); 4] = [
        ("always right, on time", &[(0, 1.0), (2, 1.0), (9, 1.0), (30, 1.0), (95, 1.0)]),
        ("wrong first, then right", &[(0, 0.0), (0, 1.0), (1, 1.0), (4, 1.0), (14, 0.5)]),
        ("forgets after a long gap", &[(0, 1.0), (2, 1.0), (60, 0.0), (60, 1.0), (62, 1.0)]),
        ("same day, many times", &[(0, 1.0), (0, 1.0), (0, 0.5), (0, 1.0), (3, 1.0)]),
    ];
    let scheduler = Scheduler::default();
    let mut out = String::new();
    for (name, history) in histories {
        let _ = writeln!(out, "{name}");
        let mut card = None;
        for &(day, points) in history {
            let next = scheduler.review(card.as_ref(), points, Day(day));
            let _ = writeln!(
                out,
                "  day {day:>3} points {points}: stability {:>7.2} difficulty {:.2} due day {}",
                next.stability, next.difficulty, next.due.0
            );
            card = Some(next);
        }
    }
    insta::assert_snapshot!(out);
}

#[test]
fn training_items_keep_only_items_with_a_review_after_day_zero() {
    let answers = [
        answer("a", 0, 1.0),
        answer("a", 0, 1.0), // same day: no item (nothing after day 0 yet)
        answer("a", 3, 0.0),
        answer("b", 1, 1.0),
        answer("b", 5, 1.0),
        answer("a", 4, 1.0),
    ];
    let (items, ids) = training_items(&answers);
    let lengths: Vec<usize> = items.iter().map(|i| i.reviews.len()).collect();
    assert_eq!(lengths, [3, 2, 4]);
    assert_eq!(ids, [0, 1, 0]);
    assert!(items.iter().all(|i| i.long_term_review_cnt() > 0));
    assert_eq!(items[0].reviews[2].delta_t, 3);
    assert_eq!(items[0].reviews[2].rating, AGAIN);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Any history (days in any order, any points, same-day repeats) replays without panic
    /// and gives due days on or after the last answer.
    #[test]
    fn any_history_replays(
        history in prop::collection::vec((0usize..4, -400i64..4000, prop_oneof![
            Just(0.0), Just(0.5), Just(1.0), 0.0f64..=1.0, Just(f64::NAN)
        ]), 0..60),
        retention in 0.0f32..2.0,
    ) {
        let answers: Vec<AnswerLog> =
            history.iter().map(|&(q, day, points)| answer(&format!("q{q}"), day, points)).collect();
        let scheduler = Scheduler::new(&[], retention);
        let cards = scheduler.cards(&answers);
        for card in cards.values() {
            prop_assert!(card.due >= card.last);
            prop_assert!(card.stability.is_finite() && card.stability > 0.0);
            let recall = scheduler.recall(card, card.last.plus(30));
            prop_assert!((0.0..=1.0).contains(&recall));
        }
    }

    /// Right answers given on (or after) the day they fall due push the due day later each
    /// time: never backwards.
    #[test]
    fn due_days_never_go_backwards_for_a_run_of_right_answers(
        start in 0i64..20_000,
        lateness in prop::collection::vec(0i64..30, 1..25),
        retention in 0.7f32..0.99,
    ) {
        let scheduler = Scheduler::new(&[], retention);
        let mut card = scheduler.review(None, 1.0, Day(start));
        for late in lateness {
            let day = card.due.plus(late);
            let next = scheduler.review(Some(&card), 1.0, day);
            prop_assert!(next.due > card.due, "{:?} then {:?}", card, next);
            prop_assert!(next.due > day);
            card = next;
        }
    }
}
