use super::*;
use crate::course::{Choice, Question, Section};

fn question(answer: Answer) -> Question {
    Question { id: "q".into(), block: 0, prompt: "?".into(), explanation: String::new(), answer }
}

fn choice(texts: &[(&str, bool)], multiple: bool) -> Question {
    let options = texts
        .iter()
        .map(|(t, c)| Choice { text: (*t).into(), correct: *c, feedback: None })
        .collect();
    question(Answer::Choice { options, multiple })
}

fn points(q: &Question, r: &Response) -> f64 {
    grade(q, r).points
}

#[test]
fn single_choice_is_all_or_nothing() {
    let q = choice(&[("a", false), ("b", true), ("c", false)], false);
    assert!((points(&q, &Response::Choice(vec![1])) - 1.0).abs() < f64::EPSILON);
    assert!(points(&q, &Response::Choice(vec![0])).abs() < f64::EPSILON);
    assert!(points(&q, &Response::Choice(vec![0, 1])).abs() < f64::EPSILON, "two picks is wrong");
    assert!(points(&q, &Response::Choice(vec![])).abs() < f64::EPSILON);
}

#[test]
fn multiple_select_gives_partial_credit_and_charges_wrong_picks() {
    let q = choice(&[("a", true), ("b", true), ("c", false), ("d", true)], true);
    assert_eq!(grade(&q, &Response::Choice(vec![0, 1, 3])).verdict(), Verdict::Right);
    assert!((points(&q, &Response::Choice(vec![0, 1])) - 2.0 / 3.0).abs() < 1e-9);
    assert!((points(&q, &Response::Choice(vec![0, 1, 2])) - 1.0 / 3.0).abs() < 1e-9);
    assert!(points(&q, &Response::Choice(vec![2])).abs() < f64::EPSILON, "never below zero");
    assert_eq!(grade(&q, &Response::Choice(vec![0, 1, 2, 3])).verdict(), Verdict::PartlyRight);
}

#[test]
fn true_false() {
    let q = question(Answer::TrueFalse(false));
    assert_eq!(grade(&q, &Response::TrueFalse(false)).verdict(), Verdict::Right);
    assert_eq!(grade(&q, &Response::TrueFalse(true)).verdict(), Verdict::Wrong);
}

#[test]
fn ordering_credits_the_longest_run_in_order() {
    let q = question(Answer::Order(["h", "i", "c", "t", "a"].map(String::from).to_vec()));
    assert_eq!(grade(&q, &Response::Order(vec![0, 1, 2, 3, 4])).verdict(), Verdict::Right);
    // One step moved to the end: 4 of 5 still in order → (4 - 1) / 4.
    assert!((points(&q, &Response::Order(vec![1, 2, 3, 4, 0])) - 0.75).abs() < 1e-9);
    assert!(points(&q, &Response::Order(vec![4, 3, 2, 1, 0])).abs() < f64::EPSILON);
    assert!(points(&q, &Response::Order(vec![0, 1])).abs() < f64::EPSILON, "incomplete");
}

#[test]
fn matching_credits_each_right_pair() {
    let pairs = [("a", "1"), ("b", "2"), ("c", "3"), ("d", "4")];
    let q = question(Answer::Match(pairs.map(|(l, r)| (l.into(), r.into())).to_vec()));
    assert_eq!(
        grade(&q, &Response::Match(vec![Some(0), Some(1), Some(2), Some(3)])).verdict(),
        Verdict::Right
    );
    assert!(
        (points(&q, &Response::Match(vec![Some(0), Some(1), Some(3), Some(2)])) - 0.5).abs() < 1e-9
    );
    assert!((points(&q, &Response::Match(vec![Some(0), None, None, None])) - 0.25).abs() < 1e-9);
}

#[test]
fn fill_ignores_case_spacing_quotes_and_a_final_stop() {
    let q = question(Answer::Fill(vec!["Adipose tissue".into(), "fat".into()]));
    for typed in ["adipose tissue", "  ADIPOSE   tissue. ", "Fat", "fat."] {
        assert_eq!(grade(&q, &Response::Fill(typed.into())).verdict(), Verdict::Right, "{typed}");
    }
    for typed in ["adipose", "bone marrow", ""] {
        assert_eq!(grade(&q, &Response::Fill(typed.into())).verdict(), Verdict::Wrong, "{typed}");
    }
    let q = question(Answer::Fill(vec!["donor’s cells".into()]));
    assert_eq!(grade(&q, &Response::Fill("Donor's cells".into())).verdict(), Verdict::Right);
}

#[test]
fn fill_ignores_spacing_between_a_number_and_its_unit() {
    let q = question(Answer::Fill(vec!["95%".into(), "5 mg".into(), "$5".into()]));
    for typed in ["95 %", "95\u{a0}%", "95%", "5mg", "5  MG", "$ 5"] {
        assert_eq!(grade(&q, &Response::Fill(typed.into())).verdict(), Verdict::Right, "{typed}");
    }
    // Two numbers stay two numbers.
    let q = question(Answer::Fill(vec!["1 2".into()]));
    assert_eq!(grade(&q, &Response::Fill("12".into())).verdict(), Verdict::Wrong);
}

#[test]
fn a_response_of_another_kind_is_wrong_not_a_panic() {
    let q = question(Answer::TrueFalse(true));
    assert_eq!(grade(&q, &Response::Fill("true".into())).verdict(), Verdict::Wrong);
    let q = choice(&[("a", true), ("b", false)], false);
    assert_eq!(grade(&q, &Response::Choice(vec![7])).verdict(), Verdict::Wrong);
}

#[test]
fn the_same_seed_shows_the_same_order_and_other_seeds_differ() {
    let q = choice(&[("a", true), ("b", false), ("c", false), ("d", false), ("e", false)], false);
    assert_eq!(present(&q, 42), present(&q, 42));
    let orders: std::collections::HashSet<Vec<usize>> =
        (0..20).map(|seed| present(&q, seed).order).collect();
    assert!(orders.len() > 5, "seeds should give varied orders: {orders:?}");
}

#[test]
fn the_order_depends_on_the_question_not_its_place_in_the_quiz() {
    let mut a = choice(&[("a", true), ("b", false), ("c", false), ("d", false)], false);
    let b = a.clone();
    assert_eq!(present(&a, 7), present(&b, 7));
    a.id = "another".into();
    let differs = (0..10).any(|seed| present(&a, seed) != present(&b, seed));
    assert!(differs, "different questions shuffle independently");
}

#[test]
fn ordering_questions_are_never_shown_already_solved() {
    let q = question(Answer::Order(["a", "b"].map(String::from).to_vec()));
    for seed in 0..50 {
        assert_eq!(present(&q, seed).order, vec![1, 0]);
    }
}

#[test]
fn typed_answers_map_screen_positions_back_to_items() {
    let q = choice(&[("a", true), ("b", false), ("c", true)], true);
    let shown = Presentation { order: vec![2, 0, 1] };
    assert_eq!(parse_typed(&q, &shown, "1,2"), Ok(Response::Choice(vec![0, 2])));
    assert_eq!(parse_typed(&q, &shown, "a b"), Ok(Response::Choice(vec![0, 2])));
    assert!(parse_typed(&q, &shown, "4").unwrap_err().contains("not one of the choices"));
    assert!(parse_typed(&q, &shown, "").is_err());

    let order = question(Answer::Order(["x", "y", "z"].map(String::from).to_vec()));
    let shown = Presentation { order: vec![2, 0, 1] };
    assert_eq!(parse_typed(&order, &shown, "b c a"), Ok(Response::Order(vec![0, 1, 2])));
    assert!(parse_typed(&order, &shown, "b b a").is_err(), "each letter once");

    let matching =
        question(Answer::Match(vec![("l1".into(), "r1".into()), ("l2".into(), "r2".into())]));
    let shown = Presentation { order: vec![1, 0] };
    assert_eq!(parse_typed(&matching, &shown, "b a"), Ok(Response::Match(vec![Some(0), Some(1)])));
    assert!(parse_typed(&matching, &shown, "b").is_err());
    // A digit is a slip (the left side is numbered): the message asks for letters only.
    for typed in ["2", "2 1", "b 1"] {
        let message = parse_typed(&matching, &shown, typed).unwrap_err();
        assert!(message.contains("is not a letter"), "{message}");
        assert!(message.contains("(a to b)") && !message.contains("1 to"), "{message}");
    }

    let tf = question(Answer::TrueFalse(true));
    assert_eq!(
        parse_typed(&tf, &Presentation { order: vec![] }, "F"),
        Ok(Response::TrueFalse(false))
    );
}

#[test]
fn a_run_scores_reports_by_section_and_lists_the_missed() {
    let course = crate::content::load(&crate::content::load::PackSource::BuiltIn).unwrap().course;
    let mut run = QuizRun::of(&course, Some(1), 3);
    assert_eq!(run.questions.len(), course.sections[1].questions.len());
    assert!(run.questions.iter().all(|(s, _)| *s == 1));
    // Answer the first question wrongly on purpose: a fill answer to whatever kind it is.
    run.answer(&course, Response::Fill("nothing like it".into()));
    let again = run.answer(&course, Response::Fill("x".into()));
    assert_eq!(again.verdict(), Verdict::Wrong, "a question is graded once");
    assert!(run.advance());
    assert_eq!(run.score_line(), "Score: 0/1");
    assert_eq!(run.missed().len(), run.questions.len(), "unanswered ones count as missed");
    assert_eq!(run.by_section(), vec![(1, 0.0, 1)], "only answered questions count");
}

#[test]
fn points_are_written_as_people_write_them() {
    assert_eq!(format_points(5.0), "5");
    assert_eq!(format_points(5.5), "5.5");
    assert_eq!(format_points(4.666), "4.67");
    assert_eq!(format_points(0.25), "0.25");
    assert_eq!(format_points(10.0), "10");
}

#[test]
fn the_right_options_are_listed_in_the_order_on_screen() {
    let q =
        choice(&[("first in the file", true), ("wrong", false), ("last in the file", true)], true);
    let shown = Presentation { order: vec![2, 1, 0] };
    assert_eq!(correct_answer(&q, &shown), ["1) last in the file", "3) first in the file"]);
}

/// A section of `count` single-choice questions with `options` options, the right one first.
fn section_of_singles(count: usize, options: usize) -> Section {
    let texts: Vec<String> = (0..options).map(|i| format!("option {i}")).collect();
    let questions = (0..count)
        .map(|n| {
            let pairs: Vec<(&str, bool)> =
                texts.iter().enumerate().map(|(i, t)| (t.as_str(), i == 0)).collect();
            Question { id: format!("q{n}"), ..choice(&pairs, false) }
        })
        .collect();
    Section {
        id: "s".into(),
        title: "S".into(),
        short_title: "S".into(),
        blocks: Vec::new(),
        key_points: Vec::new(),
        questions,
        map_node: None,
    }
}

/// How many of a section's single-choice keys are shown at each position.
fn key_counts(section: &Section, show: impl Fn(&Question) -> Presentation) -> Vec<usize> {
    let mut counts = vec![0; 9];
    for question in &section.questions {
        let Answer::Choice { options, multiple: false } = &question.answer else { continue };
        let key = options.iter().position(|o| o.correct).unwrap();
        let shown = show(question);
        counts[shown.order.iter().position(|&i| i == key).unwrap()] += 1;
    }
    counts
}

#[test]
fn a_handouts_keys_spread_evenly_over_the_positions_for_every_seed() {
    let section = section_of_singles(8, 4);
    for seed in 0..300 {
        let counts = key_counts(&section, |q| present_in(&section, q, seed));
        assert_eq!(counts[..4], [2, 2, 2, 2], "seed {seed}: keys at a, b, c, d: {counts:?}");
        // Still a shuffle of every option, and still the same for the same seed.
        for question in &section.questions {
            let mut order = present_in(&section, question, seed).order;
            assert_eq!(present_in(&section, question, seed).order, order);
            order.sort_unstable();
            assert_eq!(order, [0, 1, 2, 3]);
        }
    }
    // What the fix is for: a seed alone piles keys up at one position.
    let piled =
        (0..300).any(|seed| key_counts(&section, |q| present(q, seed)).iter().any(|&n| n >= 4));
    assert!(piled, "the unbalanced shuffle should sometimes put half the keys at one place");
    // Seeds still vary which question gets which position.
    let layouts: std::collections::HashSet<Vec<usize>> = (0..20)
        .map(|seed| {
            section.questions.iter().map(|q| present_in(&section, q, seed).order[0]).collect()
        })
        .collect();
    assert!(layouts.len() > 10, "{layouts:?}");
}

#[test]
fn the_built_in_courses_keys_are_balanced_in_every_section_and_overall() {
    let course = crate::content::load(&crate::content::load::PackSource::BuiltIn).unwrap().course;
    for seed in 0..200 {
        let mut overall = [0; 9];
        for section in &course.sections {
            let counts = key_counts(section, |q| present_in(section, q, seed));
            // Every single-choice question here has at least three options: a, b and c.
            let (low, high) =
                (counts[..3].iter().min().unwrap(), counts[..3].iter().max().unwrap());
            assert!(high - low <= 1, "seed {seed}, {}: {counts:?}", section.id);
            for (total, n) in overall.iter_mut().zip(&counts) {
                *total += n;
            }
        }
        let keys: usize = overall.iter().sum();
        let most = *overall.iter().max().unwrap();
        assert!(most * 10 <= keys * 4, "seed {seed}: {most} of {keys} keys at one position");
    }
}

#[test]
fn the_screen_shows_each_question_as_the_handout_prints_it() {
    let course = crate::content::load(&crate::content::load::PackSource::BuiltIn).unwrap().course;
    for seed in [0, 7, 12345] {
        // A quiz of the whole course and one of a single section show a question alike.
        let whole = QuizRun::of(&course, None, seed);
        for (index, &(s, q)) in whole.questions.iter().enumerate() {
            let section = &course.sections[s];
            assert_eq!(whole.shown[index], present_in(section, &section.questions[q], seed));
        }
        let one = QuizRun::of(&course, Some(2), seed);
        for (index, &(s, q)) in one.questions.iter().enumerate() {
            let at = whole.questions.iter().position(|&r| r == (s, q)).unwrap();
            assert_eq!(one.shown[index], whole.shown[at]);
        }
    }
}

#[test]
fn a_whole_section_is_shown_as_each_question_is_shown_alone() {
    // `present_section` works the key positions out once per section; it must show every
    // question exactly as `present_in` shows it on its own, in any section and seed.
    let mut sections = vec![section_of_singles(40, 4), section_of_singles(7, 3)];
    let course = crate::content::load(&crate::content::load::PackSource::BuiltIn).unwrap().course;
    sections.extend(course.sections.iter().cloned());
    for section in &sections {
        for seed in [0, 1, 99] {
            let all = present_section(section, seed);
            assert_eq!(all.len(), section.questions.len());
            for (question, shown) in section.questions.iter().zip(&all) {
                assert_eq!(*shown, present_in(section, question, seed), "{}", question.id);
            }
        }
    }
}
