//! Questions as a learner meets them: shuffling with a seed, reading typed answers, grading
//! with partial credit, and the run of a quiz from first question to score. Pure: no
//! terminal, no files, no clock.
//!
//! Grading rules (each question is worth 1 point):
//! - single, true/false, fill: 1 when right, else 0. Fill ignores case, surrounding spaces,
//!   repeated spaces, curly versus straight quotes and a final full stop.
//! - multiple: (right picks − wrong picks) ÷ number of right options, never below 0; 1 only for
//!   exactly the right set.
//! - order: (length of the longest run of steps already in the right relative order − 1) ÷
//!   (steps − 1): one step out of place loses a little, the reverse order scores 0.
//! - match: pairs matched rightly ÷ pairs.

pub mod input;

use crate::course::{Answer, Course, Question, Section};

/// A small, fast, well-mixed generator (`SplitMix64`); good enough for shuffling, and the
/// same on every platform, which is what makes a seed reproducible.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// `0..n` in a random order (Fisher–Yates).
    pub fn permutation(&mut self, n: usize) -> Vec<usize> {
        let mut items: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            items.swap(i, self.below(i + 1));
        }
        items
    }
}

/// The generator for one question: it depends only on the seed and the question's id, so the
/// same seed shows a question the same way in every mode, whichever questions come before it.
pub fn question_rng(seed: u64, question_id: &str) -> Rng {
    // FNV-1a over the id, mixed with the seed.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in question_id.bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    Rng::new(hash ^ seed.rotate_left(32))
}

/// The order a question's items are shown in: `order[position] = item`. Items are options
/// (choice), steps (order) or the right-hand side (match); true/false and fill have none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presentation {
    pub order: Vec<usize>,
}

/// One question's shuffle on its own. The screen and every handout show [`present_in`], which
/// also spreads a section's keys evenly over the positions.
pub fn present(question: &Question, seed: u64) -> Presentation {
    let mut rng = question_rng(seed, &question.id);
    let order = match &question.answer {
        Answer::Choice { options, .. } => rng.permutation(options.len()),
        Answer::Order(steps) => {
            let mut order = rng.permutation(steps.len());
            // A puzzle shown already solved teaches nothing: rotate it out of order.
            if order.windows(2).all(|w| w[0] < w[1]) {
                order.rotate_left(1);
            }
            order
        }
        Answer::Match(pairs) => rng.permutation(pairs.len()),
        Answer::TrueFalse(_) | Answer::Fill(_) => Vec::new(),
    };
    Presentation { order }
}

/// The order a question is shown in, on screen and on paper alike: [`present`], with the right
/// option of each single-choice question moved to a position chosen so that the keys of the
/// section's questions spread evenly over a), b), c), d)… A seed alone can put half of a
/// handout's keys in one position, which a test-wise reader learns to bet on. The spread is
/// balanced within each section (a handout is one section or all of them, so both are
/// balanced); it still depends only on the seed and the section's questions. A question that is
/// not in `section` is shown as [`present`] shows it.
pub fn present_in(section: &Section, question: &Question, seed: u64) -> Presentation {
    // By id (unique in a course), so a copy of a question is shown as the original is.
    let index = section.questions.iter().position(|q| q.id == question.id);
    let target = index.and_then(|index| key_targets(section, seed)[index]);
    present_at(question, seed, target)
}

/// [`present_in`] for every question of `section`, in order. The key positions are worked out
/// once for the section rather than once per question: a handout or quiz of a section with
/// many questions stays linear in their number.
pub fn present_section(section: &Section, seed: u64) -> Vec<Presentation> {
    let targets = key_targets(section, seed);
    section.questions.iter().zip(targets).map(|(q, target)| present_at(q, seed, target)).collect()
}

/// [`present`], with a single-choice question's right option moved to position `target`.
fn present_at(question: &Question, seed: u64, target: Option<usize>) -> Presentation {
    let mut shown = present(question, seed);
    if let (Some(target), Answer::Choice { options, .. }) = (target, &question.answer) {
        let key = options.iter().position(|o| o.correct);
        let at = key.and_then(|key| shown.order.iter().position(|&item| item == key));
        if let Some(at) = at {
            shown.order.swap(at, target);
        }
    }
    shown
}

/// For each question of a section, the position its one right option is shown at (single
/// choice only; `None` for the other kinds). Greedy: each question takes a position its options
/// reach that has held the fewest keys so far, ties broken by a generator seeded with the seed
/// and the section's id, so the counts of any two positions differ by at most one wherever
/// the questions have the same number of options.
fn key_targets(section: &Section, seed: u64) -> Vec<Option<usize>> {
    // A stream of its own: the section id is mixed differently from a question id.
    let mut rng = question_rng(seed.rotate_left(17) ^ 0x5ec7_10f5_ba1a_11ce, &section.id);
    let mut held: Vec<usize> = Vec::new();
    section
        .questions
        .iter()
        .map(|question| {
            let Answer::Choice { options, multiple: false } = &question.answer else { return None };
            let count = options.len();
            if count < 2 {
                return None;
            }
            if held.len() < count {
                held.resize(count, 0);
            }
            let fewest = held[..count].iter().copied().min().unwrap_or(0);
            let candidates: Vec<usize> = (0..count).filter(|&p| held[p] == fewest).collect();
            let pick = candidates[rng.below(candidates.len())];
            held[pick] += 1;
            Some(pick)
        })
        .collect()
}

/// A learner's answer, in the question's own items (not screen positions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    /// The options chosen.
    Choice(Vec<usize>),
    TrueFalse(bool),
    /// The steps, in the learner's order.
    Order(Vec<usize>),
    /// For each pair's left side, the pair whose right side the learner matched to it.
    Match(Vec<Option<usize>>),
    Fill(String),
}

/// How well a question was answered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grade {
    /// From 0 to 1.
    pub points: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Right,
    PartlyRight,
    Wrong,
}

impl Grade {
    pub fn verdict(self) -> Verdict {
        if self.points >= 1.0 {
            Verdict::Right
        } else if self.points > 0.0 {
            Verdict::PartlyRight
        } else {
            Verdict::Wrong
        }
    }
}

impl Verdict {
    /// A symbol and a word, so the verdict never rests on colour alone.
    pub fn label(self) -> &'static str {
        match self {
            Self::Right => "✓ Right",
            Self::PartlyRight => "◐ Partly right",
            Self::Wrong => "✗ Wrong",
        }
    }
}

pub fn grade(question: &Question, response: &Response) -> Grade {
    let points = match (&question.answer, response) {
        (Answer::Choice { options, multiple: false }, Response::Choice(chosen)) => {
            let right = options.iter().position(|o| o.correct);
            f64::from(u8::from(chosen.len() == 1 && right == chosen.first().copied()))
        }
        (Answer::Choice { options, multiple: true }, Response::Choice(chosen)) => {
            let right = options.iter().filter(|o| o.correct).count();
            let hits =
                chosen.iter().filter(|&&i| options.get(i).is_some_and(|o| o.correct)).count();
            let misses = chosen.len() - hits;
            ratio(hits.saturating_sub(misses), right)
        }
        (Answer::TrueFalse(truth), Response::TrueFalse(said)) => f64::from(u8::from(truth == said)),
        (Answer::Order(steps), Response::Order(given)) => {
            if given.len() == steps.len() && steps.len() > 1 {
                ratio(longest_increasing_run(given) - 1, steps.len() - 1)
            } else {
                f64::from(u8::from(given.len() == steps.len() && !given.is_empty()))
            }
        }
        (Answer::Match(pairs), Response::Match(given)) => {
            let right =
                given.iter().enumerate().filter(|(left, right)| **right == Some(*left)).count();
            ratio(right, pairs.len())
        }
        (Answer::Fill(accepted), Response::Fill(text)) => {
            let text = normalise(text);
            f64::from(u8::from(accepted.iter().any(|a| normalise(a) == text)))
        }
        // A response of another kind is simply wrong.
        _ => 0.0,
    };
    Grade { points }
}

/// `points` as a share of `count` questions (0 when there are none).
pub fn share(points: f64, count: usize) -> f64 {
    if count == 0 { 0.0 } else { points / f64::from(u32::try_from(count).unwrap_or(u32::MAX)) }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    // Small counts (at most 9 items) convert exactly.
    f64::from(u32::try_from(part).unwrap_or(0)) / f64::from(u32::try_from(whole).unwrap_or(1))
}

/// The length of the longest subsequence in increasing order (patience sorting).
pub fn longest_increasing_run(items: &[usize]) -> usize {
    let mut tails: Vec<usize> = Vec::new();
    for &item in items {
        match tails.binary_search(&item) {
            Ok(_) => {}
            Err(i) if i == tails.len() => tails.push(item),
            Err(i) => tails[i] = item,
        }
    }
    tails.len()
}

/// The form in which typed answers are compared.
pub fn normalise(text: &str) -> String {
    let folded: String = text
        .chars()
        .map(|c| match c {
            '‘' | '’' | '`' => '\'',
            '“' | '”' => '"',
            '–' | '—' => '-',
            c => c,
        })
        .collect();
    let words: Vec<&str> = folded.split_whitespace().collect();
    let spaced = words.join(" ");
    let trimmed = spaced.trim_end_matches(['.', '!']).trim();
    // A number and its unit or sign are one answer however they are spaced: `95 %` is
    // `95%`, `5 mg` is `5mg`, `$ 5` is `$5` (between two numbers the space stays).
    let mut out = String::with_capacity(trimmed.len());
    let mut chars = trimmed.chars().peekable();
    let mut before: Option<char> = None;
    while let Some(c) = chars.next() {
        if c == ' '
            && let (Some(b), Some(&a)) = (before, chars.peek())
        {
            let joins =
                (b.is_numeric() && !a.is_numeric()) || (a.is_numeric() && !b.is_alphanumeric());
            if joins {
                continue;
            }
        }
        out.push(c);
        before = Some(c);
    }
    out.to_lowercase()
}

/// Points as people write them: `5`, `5.5`, `0.25`, `4.67`.
pub fn format_points(points: f64) -> String {
    // `+ 0.0` turns the -0.0 of an empty sum into 0.
    let shown = format!("{:.2}", (points * 100.0).round() / 100.0 + 0.0);
    shown.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Points with their word: `1 point`, `2.5 points`, `0 points`.
pub fn points_label(points: f64) -> String {
    let shown = format_points(points);
    if shown == "1" { "1 point".to_owned() } else { format!("{shown} points") }
}

/// The label of the item at a screen position: choices are numbered, steps and the
/// right-hand side of a match are lettered.
pub fn number_label(position: usize) -> String {
    (position + 1).to_string()
}

pub fn letter_label(position: usize) -> char {
    char::from(b'a' + u8::try_from(position % 26).unwrap_or(0))
}

/// Reads a typed answer (`--plain` mode): `2` or `b` for single; `1,3` or `a c` for multiple;
/// `t`, `true`, `f`, `false` (or `1`, `2`) for true/false; `b d a c` (the steps' letters in
/// order) for order; `c a b` (for each numbered left item, the letter of its match) for
/// match; the text itself for fill.
pub fn parse_typed(
    question: &Question,
    shown: &Presentation,
    input: &str,
) -> Result<Response, String> {
    let input = input.trim();
    match &question.answer {
        Answer::Fill(_) => {
            if input.is_empty() {
                Err("type your answer".to_owned())
            } else {
                Ok(Response::Fill(input.to_owned()))
            }
        }
        Answer::TrueFalse(_) => match input.to_lowercase().as_str() {
            "t" | "true" | "1" | "y" | "yes" => Ok(Response::TrueFalse(true)),
            "f" | "false" | "2" | "n" | "no" => Ok(Response::TrueFalse(false)),
            _ => Err("answer t (true) or f (false)".to_owned()),
        },
        Answer::Choice { multiple, .. } => {
            let positions = positions(input, shown.order.len())?;
            if positions.is_empty() {
                return Err("type the number of your choice".to_owned());
            }
            if !multiple && positions.len() > 1 {
                return Err("choose one option".to_owned());
            }
            let mut chosen: Vec<usize> = positions.iter().map(|&p| shown.order[p]).collect();
            chosen.sort_unstable();
            chosen.dedup();
            Ok(Response::Choice(chosen))
        }
        Answer::Order(steps) => {
            let positions = positions(input, steps.len())?;
            if !is_permutation(&positions, steps.len()) {
                return Err(format!("give all {} letters once each, in your order", steps.len()));
            }
            Ok(Response::Order(positions.iter().map(|&p| shown.order[p]).collect()))
        }
        Answer::Match(pairs) => {
            // The left items are numbered, so a digit here is a slip, not a partner: only
            // letters name the right-hand side, and the message says so.
            if let Some(token) = input
                .split(|c: char| c == ',' || c.is_whitespace())
                .find(|token| token.chars().any(|c| c.is_ascii_digit()))
            {
                return Err(format!(
                    "`{token}` is not a letter: type one letter (a to {}) for each numbered item",
                    letter_label(pairs.len() - 1),
                ));
            }
            let positions = positions(input, pairs.len())?;
            if positions.len() != pairs.len() {
                return Err(format!("give one letter for each of the {} items", pairs.len()));
            }
            Ok(Response::Match(positions.iter().map(|&p| Some(shown.order[p])).collect()))
        }
    }
}

/// Screen positions typed as numbers (`2`) or letters (`b`), separated by spaces or commas.
fn positions(input: &str, count: usize) -> Result<Vec<usize>, String> {
    input
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|token| !token.is_empty())
        .map(|token| {
            let position = match token.parse::<usize>() {
                Ok(n) if n >= 1 => Some(n - 1),
                Ok(_) => None,
                Err(_) => {
                    let mut chars = token.chars();
                    match (chars.next(), chars.next()) {
                        (Some(c), None) if c.is_ascii_alphabetic() => {
                            Some(usize::from(c.to_ascii_lowercase() as u8 - b'a'))
                        }
                        _ => None,
                    }
                }
            };
            position.filter(|&p| p < count).ok_or_else(|| {
                format!(
                    "`{token}` is not one of the choices (1 to {count}, or a to {})",
                    letter_label(count - 1)
                )
            })
        })
        .collect()
}

fn is_permutation(positions: &[usize], count: usize) -> bool {
    let mut seen = vec![false; count];
    positions.len() == count && positions.iter().all(|&p| !std::mem::replace(&mut seen[p], true))
}

/// Which questions a quiz asks: (section index, question index).
pub type QuestionRef = (usize, usize);

/// A quiz from its first question to its score.
#[derive(Debug, Clone)]
pub struct QuizRun {
    pub questions: Vec<QuestionRef>,
    pub shown: Vec<Presentation>,
    pub current: usize,
    pub results: Vec<Option<(Response, Grade)>>,
}

impl QuizRun {
    pub fn new(course: &Course, questions: Vec<QuestionRef>, seed: u64) -> Self {
        // Each section's presentations once (see `present_section`), not once per question.
        let mut by_section: std::collections::HashMap<usize, Vec<Presentation>> =
            std::collections::HashMap::new();
        let shown = questions
            .iter()
            .map(|&(s, q)| {
                let section = &course.sections[s];
                by_section.entry(s).or_insert_with(|| present_section(section, seed))[q].clone()
            })
            .collect();
        let results = vec![None; questions.len()];
        Self { questions, shown, current: 0, results }
    }

    /// Every question of one section, or of the whole course.
    pub fn of(course: &Course, section: Option<usize>, seed: u64) -> Self {
        let refs = course
            .sections
            .iter()
            .enumerate()
            .filter(|(s, _)| section.is_none_or(|only| only == *s))
            .flat_map(|(s, section)| (0..section.questions.len()).map(move |q| (s, q)))
            .collect();
        Self::new(course, refs, seed)
    }

    pub fn question<'a>(&self, course: &'a Course) -> &'a Question {
        let (s, q) = self.questions[self.current];
        &course.sections[s].questions[q]
    }

    pub fn presentation(&self) -> &Presentation {
        &self.shown[self.current]
    }

    /// Grades the current question (once; a second answer is ignored) and returns its grade.
    pub fn answer(&mut self, course: &Course, response: Response) -> Grade {
        if let Some((_, grade)) = &self.results[self.current] {
            return *grade;
        }
        let grade = grade(self.question(course), &response);
        self.results[self.current] = Some((response, grade));
        grade
    }

    pub fn current_result(&self) -> Option<&(Response, Grade)> {
        self.results[self.current].as_ref()
    }

    /// Moves to the next question; `false` when there is none.
    pub fn advance(&mut self) -> bool {
        if self.current + 1 < self.questions.len() {
            self.current += 1;
            true
        } else {
            false
        }
    }

    pub fn points(&self) -> f64 {
        self.results.iter().flatten().map(|(_, g)| g.points).sum()
    }

    pub fn answered(&self) -> usize {
        self.results.iter().flatten().count()
    }

    /// The questions not answered fully right.
    pub fn missed(&self) -> Vec<QuestionRef> {
        self.questions
            .iter()
            .zip(&self.results)
            .filter(|(_, r)| r.as_ref().is_none_or(|(_, g)| g.verdict() != Verdict::Right))
            .map(|(q, _)| *q)
            .collect()
    }

    /// Points and the number of questions answered, per section, in course order; sections
    /// with no answered question are left out.
    pub fn by_section(&self) -> Vec<(usize, f64, usize)> {
        let mut rows: Vec<(usize, f64, usize)> = Vec::new();
        for (&(s, _), result) in self.questions.iter().zip(&self.results) {
            let Some((_, grade)) = result else { continue };
            let points = grade.points;
            match rows.iter_mut().find(|row| row.0 == s) {
                Some(row) => {
                    row.1 += points;
                    row.2 += 1;
                }
                None => rows.push((s, points, 1)),
            }
        }
        rows.sort_by_key(|row| row.0);
        rows
    }

    /// `Score: X/Y`, the line plain mode ends with; Y counts the questions answered, so a quiz
    /// stopped early still reports an honest score.
    pub fn score_line(&self) -> String {
        format!("Score: {}/{}", format_points(self.points()), self.answered())
    }
}

#[cfg(test)]
mod tests;

/// The right answer in words, item labels as the learner saw them: for feedback and keys.
pub fn correct_answer(question: &Question, shown: &Presentation) -> Vec<String> {
    let position_of = |item: usize| shown.order.iter().position(|&i| i == item).unwrap_or(item);
    match &question.answer {
        // In the order on screen, so the list reads like the options above it.
        Answer::Choice { options, .. } if shown.order.len() == options.len() => shown
            .order
            .iter()
            .enumerate()
            .filter_map(|(p, &i)| options.get(i).filter(|o| o.correct).map(|o| (p, o)))
            .map(|(p, o)| format!("{}) {}", number_label(p), o.text))
            .collect(),
        Answer::Choice { options, .. } => options
            .iter()
            .enumerate()
            .filter(|(_, o)| o.correct)
            .map(|(i, o)| format!("{}) {}", number_label(position_of(i)), o.text))
            .collect(),
        Answer::TrueFalse(truth) => {
            vec![if *truth { "True".to_owned() } else { "False".to_owned() }]
        }
        Answer::Order(steps) => steps
            .iter()
            .enumerate()
            .map(|(i, step)| format!("{}. {}) {step}", i + 1, letter_label(position_of(i))))
            .collect(),
        Answer::Match(pairs) => pairs
            .iter()
            .enumerate()
            .map(|(i, (left, right))| {
                format!("{}) {left} → {}) {right}", number_label(i), letter_label(position_of(i)))
            })
            .collect(),
        Answer::Fill(accepted) => vec![accepted.join(" / ")],
    }
}

/// For each wrong option the learner chose, that option and why it is wrong.
pub fn feedback_for_wrong_choices<'a>(
    question: &'a Question,
    response: &Response,
) -> Vec<(&'a str, &'a str)> {
    match (&question.answer, response) {
        (Answer::Choice { options, .. }, Response::Choice(chosen)) => chosen
            .iter()
            .filter_map(|&i| options.get(i))
            .filter(|o| !o.correct)
            .filter_map(|o| Some((o.text.as_str(), o.feedback.as_deref()?)))
            .collect(),
        _ => Vec::new(),
    }
}

/// How to answer a question by typing (`--plain`).
pub fn typing_hint(question: &Question) -> &'static str {
    match &question.answer {
        Answer::Choice { multiple: false, .. } => "Type the number of one option",
        Answer::Choice { multiple: true, .. } => "Type the numbers of all that apply, e.g. 1,3",
        Answer::TrueFalse(_) => "Type t (true) or f (false)",
        Answer::Order(_) => "Type the letters in the right order, e.g. b d a c",
        Answer::Match(_) => "For 1, 2, 3 … in turn, type the letter of its match, e.g. c a b",
        Answer::Fill(_) => "Type your answer",
    }
}
