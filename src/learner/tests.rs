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
