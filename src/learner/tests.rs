use super::*;

fn answer(question: &str, session: &str, n: u32, day: i64) -> AnswerLog {
    AnswerLog { question: question.into(), day: Day(day), points: 1.0, session: session.into(), n }
}

#[test]
fn merging_takes_the_union_of_both_histories_once() {
    let mut mine = Record::new("c");
    mine.answers = vec![answer("a", "s1", 0, 5), answer("b", "s1", 1, 6)];
    mine.read.insert("one".into());
    let mut theirs = Record::new("c");
    theirs.answers = vec![answer("a", "s1", 0, 5), answer("c", "s2", 0, 4)];
    theirs.read.insert("two".into());
    theirs.position = Some(Position { section: "two".into(), permille: 10 });
    mine.merge(&theirs);
    let order: Vec<&str> = mine.answers.iter().map(|a| a.question.as_str()).collect();
    assert_eq!(order, ["c", "a", "b"], "no duplicate, oldest first");
    assert_eq!(mine.read.len(), 2);
    assert_eq!(mine.position.as_ref().unwrap().section, "two", "taken when this one had none");
    let again = mine.clone();
    mine.merge(&again);
    assert_eq!(mine, again, "merging is idempotent");
}

#[test]
fn best_scores_come_from_section_quizzes() {
    let mut record = Record::new("c");
    let quiz = |section: Option<&str>, points: f64, n: u32| QuizLog {
        day: Day(1),
        section: section.map(str::to_owned),
        points,
        questions: 7,
        session: "s".into(),
        n,
    };
    record.quizzes = vec![
        quiz(Some("one"), 3.0, 0),
        quiz(Some("one"), 5.5, 1),
        quiz(None, 40.0, 2),
        quiz(Some("one"), 4.0, 3),
    ];
    let best = record.best_scores();
    assert_eq!(best.get("one"), Some(&(5.5, 7)));
    assert_eq!(best.len(), 1, "whole-course quizzes are not a section's score");
}

/// A long history (more than [`FOLD_ABOVE`] answers over many days, some wrong, some partly
/// right, quizzes too), as a learner of several years would have.
fn long_history() -> Record {
    let mut record = Record::new("c");
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |below: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % below
    };
    let mut n = 0;
    for day in 0..900 {
        for _ in 0..next(12) {
            let points = [0.0, 0.5, 1.0, 1.0, 1.0][next(5) as usize];
            let question = format!("q{}", next(60));
            record.answers.push(AnswerLog {
                question,
                day: Day(day),
                points,
                session: format!("s{}", day / 30),
                n,
            });
            n += 1;
        }
        if next(4) == 0 {
            let section = ["one", "two", "three"][next(3) as usize].to_owned();
            record.quizzes.push(QuizLog {
                day: Day(day),
                section: Some(section),
                points: f64::from(u32::try_from(next(8)).unwrap()),
                questions: 7,
                session: format!("s{}", day / 30),
                n,
            });
            n += 1;
        }
    }
    record
}

#[test]
fn folding_keeps_the_schedule_and_the_scores_identical() {
    let full = long_history();
    assert!(full.answers.len() > FOLD_ABOVE, "{}", full.answers.len());
    let mut folded = full.clone();
    folded.compact();
    assert!(folded.answers.len() < full.answers.len() / 2, "{}", folded.answers.len());
    assert!(folded.answers.len() >= FOLD_KEEPS);
    let scheduler = schedule::Scheduler::default();
    assert_eq!(
        folded.cards(&scheduler),
        scheduler.cards(&full.answers),
        "memory, due dates, reviews, lapses"
    );
    assert_eq!(folded.best_scores(), full.best_scores());
    assert_eq!(folded.answer_count(), full.answers.len() as u64);
    let text = toml::to_string(&folded).unwrap();
    assert!(text.len() < toml::to_string(&full).unwrap().len() / 2);
    let back: Record = toml::from_str(&text).unwrap();
    assert_eq!(back, folded, "a folded record reads back the same");
    let mut again = folded.clone();
    again.compact();
    assert_eq!(again, folded, "folding twice changes nothing");
}

#[test]
fn a_folded_record_merged_with_an_unfolded_copy_counts_nothing_twice() {
    let full = long_history();
    let mut folded = full.clone();
    folded.compact();
    // Another window still holds the whole history, and adds an answer.
    let mut other = full.clone();
    other.answers.push(AnswerLog {
        question: "q1".into(),
        day: Day(900),
        points: 1.0,
        session: "late".into(),
        n: 0,
    });
    let mut mine = folded.clone();
    mine.merge(&other);
    assert_eq!(mine.answer_count(), full.answers.len() as u64 + 1);
    let mut expected = full.answers.clone();
    expected.push(other.answers.last().unwrap().clone());
    let scheduler = schedule::Scheduler::default();
    assert_eq!(mine.cards(&scheduler), scheduler.cards(&expected));
    let mut theirs = other.clone();
    theirs.merge(&folded);
    assert_eq!(theirs.cards(&scheduler), mine.cards(&scheduler), "either way round");
    assert_eq!(theirs.answer_count(), mine.answer_count());
}

#[test]
fn a_reset_erases_what_it_names_even_from_a_copy_that_missed_it() {
    let mut old = Record::new("c");
    old.answers = vec![answer("a", "s1", 0, 5), answer("b", "s2", 0, 5)];
    old.read.insert("one".into());
    let mut learner = Learner::new(old.clone(), Day(6), "s1".into());
    learner.reset();
    let reset = learner.record.clone();
    assert_eq!(reset.resets[0].before.get("s1"), Some(&1));
    assert_eq!(reset.resets[0].before.get("s2"), Some(&1));
    let mut stale = old.clone();
    stale.answers.push(answer("c", "s2", 1, 6));
    let mut merged = stale.clone();
    merged.merge(&reset);
    let questions: Vec<&str> = merged.answers.iter().map(|a| a.question.as_str()).collect();
    assert_eq!(questions, ["c"], "only what came after the reset");
    assert!(merged.read.is_empty());
    let mut other_way = reset.clone();
    other_way.merge(&stale);
    assert_eq!(other_way.answers, merged.answers);
    assert!(other_way.read.is_empty());
    assert_eq!(other_way.resets, merged.resets);
}

/// FSRS reads a day's answers in order (a wrong answer then a right one is not a right one
/// then a wrong one): windows named by their start time merge in the order they were used.
#[test]
fn two_windows_of_one_day_replay_in_the_order_they_were_opened() {
    let (first, second) = ("0019ae0000000aaaaaaaa", "0019ae0000001bbbbbbbb");
    let mut wrong_first = Record::new("c");
    wrong_first.answers = vec![AnswerLog {
        question: "q".into(),
        day: Day(10),
        points: 0.0,
        session: first.into(),
        n: 0,
    }];
    let mut right_later = Record::new("c");
    right_later.answers = vec![AnswerLog {
        question: "q".into(),
        day: Day(10),
        points: 1.0,
        session: second.into(),
        n: 0,
    }];
    right_later.merge(&wrong_first);
    let scheduler = schedule::Scheduler::default();
    let card = &right_later.cards(&scheduler)["q"];
    assert_eq!((card.rating, card.lapses), (3, 1), "the right answer came last");
    assert!(card.due > Day(10), "not due again today");
}
