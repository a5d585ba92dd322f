//! The learner's progress in figures: per section what was read, the best quiz score, and
//! what the scheduler (FSRS) knows: questions due today and in the next 7 days, and the
//! estimated recall now; per question its memory stability; reviews due in the next two
//! weeks; quiz scores over time. Pure: the in-app screen, `stemcell stats` and `stemcell stats
//! --format json` all show this.

use std::fmt::Write as _;

use serde::Serialize;

use crate::course::Course;
use crate::learner::{Day, Record, schedule};
use crate::quiz::{format_points, share};

/// Days of review forecast shown: two weeks, today first.
pub const FORECAST_DAYS: usize = 14;
/// "Due soon" counts the days after today up to this many.
pub const WEEK: i64 = 7;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub course: String,
    pub profile: String,
    pub today: String,
    /// The desired retention the schedule aims at (0.9 unless the config says otherwise).
    pub retention: f32,
    /// `default`, or when and from how many answers the parameters were fitted.
    pub parameters: String,
    pub sections: Vec<SectionStats>,
    /// Questions due for review today (overdue included).
    pub due_today: usize,
    /// Questions falling due in the 7 days after today.
    pub due_week: usize,
    /// Questions falling due on each of the next days, today first (overdue counts today).
    pub forecast: Vec<usize>,
    /// Every question answered at least once, in course order.
    pub questions: Vec<QuestionStats>,
    /// Every quiz, oldest first, as a percentage.
    pub history: Vec<QuizPoint>,
    pub answers: usize,
    pub questions_seen: usize,
    pub questions_total: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionStats {
    pub id: String,
    pub title: String,
    pub read: bool,
    /// Best whole-section quiz: points and questions.
    pub best_quiz: Option<(f64, u32)>,
    /// Questions in the section, and how many were answered at least once.
    pub questions: usize,
    pub seen: usize,
    /// Questions due today (overdue included).
    pub due_today: usize,
    /// Questions falling due in the 7 days after today.
    pub due_week: usize,
    /// From 0 to 100: the estimated recall now, averaged over the questions answered; none
    /// when none was.
    pub recall_percent: Option<u8>,
}

/// What the scheduler knows of one question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionStats {
    pub id: String,
    pub section: String,
    /// Days until the estimated recall falls to 90 %, to a tenth of a day.
    pub stability_days: f64,
    /// 1 (easy) to 10 (hard), to a tenth.
    pub difficulty: f64,
    /// The estimated recall now, 0 to 100.
    pub recall_percent: u8,
    /// The day it is due.
    pub due: String,
    pub reviews: u32,
    pub lapses: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuizPoint {
    pub day: String,
    pub section: Option<String>,
    pub percent: u8,
}

fn percent(fraction: f64) -> u8 {
    // At most 100 by construction; the conversion saturates anyway.
    let clamped = (fraction * 100.0).round().clamp(0.0, 100.0);
    (0..=100u8).find(|p| f64::from(*p) >= clamped).unwrap_or(100)
}

/// To a tenth, the same way everywhere.
fn tenth(value: f32) -> f64 {
    (f64::from(value) * 10.0).round() / 10.0
}

impl Stats {
    /// The figures of `record`, scheduled with the desired `retention`.
    pub fn of(course: &Course, record: &Record, profile: &str, today: Day, retention: f32) -> Self {
        let scheduler = record.scheduler(retention);
        let cards = record.cards(&scheduler);
        let best = record.best_scores();
        let due = |card: &schedule::Card| card.due <= today;
        let soon = |card: &schedule::Card| card.due > today && card.due <= today.plus(WEEK);
        let sections = course
            .sections
            .iter()
            .map(|section| {
                let answered: Vec<&schedule::Card> =
                    section.questions.iter().filter_map(|q| cards.get(&q.id)).collect();
                // A section's question count is far below f64's exact integers.
                #[allow(clippy::cast_precision_loss)]
                let recall = (!answered.is_empty()).then(|| {
                    let sum: f64 =
                        answered.iter().map(|c| f64::from(scheduler.recall(c, today))).sum();
                    percent(sum / answered.len() as f64)
                });
                SectionStats {
                    id: section.id.clone(),
                    title: section.short_title.clone(),
                    read: record.read.contains(&section.id),
                    best_quiz: best.get(section.id.as_str()).copied(),
                    questions: section.questions.len(),
                    seen: answered.len(),
                    due_today: answered.iter().filter(|c| due(c)).count(),
                    due_week: answered.iter().filter(|c| soon(c)).count(),
                    recall_percent: recall,
                }
            })
            .collect();
        let questions: Vec<QuestionStats> = course
            .sections
            .iter()
            .flat_map(|s| s.questions.iter().map(move |q| (s, q)))
            .filter_map(|(section, question)| {
                let card = cards.get(&question.id)?;
                Some(QuestionStats {
                    id: question.id.clone(),
                    section: section.id.clone(),
                    stability_days: tenth(card.stability),
                    difficulty: tenth(card.difficulty),
                    recall_percent: percent(f64::from(scheduler.recall(card, today))),
                    due: card.due.to_string(),
                    reviews: card.reviews,
                    lapses: card.lapses,
                })
            })
            .collect();
        let history = record
            .quizzes
            .iter()
            .map(|q| QuizPoint {
                day: q.day.to_string(),
                section: q.section.clone(),
                percent: percent(share(q.points, q.questions as usize)),
            })
            .collect();
        let total = course.sections.iter().map(|s| s.questions.len()).sum();
        let parameters = record.fitted.as_ref().map_or_else(
            || "default".to_owned(),
            |f| format!("fitted on {} to {} answers", f.day, f.answers),
        );
        let all_due = schedule::due(&scheduler, course, &cards, today).len();
        let forecast = schedule::forecast(course, &cards, today, FORECAST_DAYS);
        let due_week = forecast.iter().skip(1).take(WEEK as usize).sum();
        Self {
            course: course.title.clone(),
            profile: profile.to_owned(),
            today: today.to_string(),
            retention: scheduler.retention(),
            parameters,
            sections,
            due_today: all_due,
            due_week,
            forecast,
            questions_seen: questions.len(),
            questions,
            history,
            answers: usize::try_from(record.answer_count()).unwrap_or(usize::MAX),
            questions_total: total,
        }
    }

    /// The forecast as one line of small bars, today first: `▁▃█` (ASCII: digits).
    pub fn forecast_line(&self, ascii: bool) -> String {
        const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
        let top = self.forecast.iter().copied().max().unwrap_or(0).max(1);
        self.forecast
            .iter()
            .map(|&n| {
                if ascii {
                    if n > 9 { '+' } else { char::from(b'0' + n as u8) }
                } else if n == 0 {
                    ' '
                } else {
                    LEVELS[((n * 7).div_ceil(top)).min(7)]
                }
            })
            .collect()
    }

    /// The same figures as text, for `stemcell stats`.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{} · profile {} · {}", self.course, self.profile, self.today);
        let _ = writeln!(out);
        let width = self.sections.iter().map(|s| s.title.chars().count()).max().unwrap_or(7).max(7);
        let _ = writeln!(
            out,
            "{:width$}  read  best quiz  answered  due today  next 7 days  recall now",
            "Section"
        );
        for s in &self.sections {
            let best = s
                .best_quiz
                .map_or_else(|| "-".to_owned(), |(p, q)| format!("{}/{q}", format_points(p)));
            let read = if s.read { "yes" } else { "no" };
            let answered = format!("{}/{}", s.seen, s.questions);
            let recall = s.recall_percent.map_or_else(|| "-".to_owned(), |p| format!("{p}%"));
            let _ = writeln!(
                out,
                "{:width$}  {read:4}  {best:9}  {answered:>8}  {:>9}  {:>11}  {recall:>10}",
                s.title, s.due_today, s.due_week
            );
        }
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "Questions answered at least once: {} of {} ({} answers in all)",
            self.questions_seen, self.questions_total, self.answers
        );
        let _ = writeln!(
            out,
            "Due for review today: {}; in the next {WEEK} days: {}",
            self.due_today, self.due_week
        );
        let coming: Vec<String> = self.forecast.iter().map(ToString::to_string).collect();
        let _ = writeln!(
            out,
            "Due per day for the next {} days, from today: {}",
            self.forecast.len(),
            coming.join(" ")
        );
        let _ = writeln!(
            out,
            "Scheduler: FSRS-6, {} parameters, desired retention {:.0}%",
            self.parameters,
            self.retention * 100.0
        );
        if self.history.is_empty() {
            let _ = writeln!(out, "Quizzes: none yet");
        } else {
            let recent: Vec<String> = self
                .history
                .iter()
                .rev()
                .take(10)
                .rev()
                .map(|q| format!("{}%", q.percent))
                .collect();
            let _ = writeln!(
                out,
                "Quizzes: {} taken; the latest scores, oldest first: {}",
                self.history.len(),
                recent.join(" ")
            );
        }
        if !self.questions.is_empty() {
            let _ = writeln!(out);
            let id_width = self.questions.iter().map(|q| q.id.chars().count()).max().unwrap_or(8);
            let _ = writeln!(
                out,
                "{:id_width$}  stability  recall now  due         answers  wrong",
                "Question"
            );
            for q in &self.questions {
                let _ = writeln!(
                    out,
                    "{:id_width$}  {:>7.1} d  {:>9}%  {}  {:>7}  {:>5}",
                    q.id, q.stability_days, q.recall_percent, q.due, q.reviews, q.lapses
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{self, load::PackSource};
    use crate::learner::Learner;

    #[test]
    fn figures_follow_the_record() {
        let course = content::load(&PackSource::BuiltIn).unwrap().course;
        let mut learner = Learner::fresh(&course.id, Day(20_000));
        learner.record.read.insert("harvesting".into());
        let first = course.sections[1].questions[0].id.clone();
        let second = course.sections[1].questions[1].id.clone();
        learner.log_answer(&first, 1.0);
        learner.log_answer(&second, 0.0);
        learner.log_quiz(Some("harvesting".into()), 5.5, 7);
        let stats = Stats::of(&course, &learner.record, "default", Day(20_000), 0.9);
        assert!(stats.sections[1].read && !stats.sections[0].read);
        assert_eq!(stats.sections[1].best_quiz, Some((5.5, 7)));
        let recall = stats.sections[1].recall_percent.unwrap();
        assert!((80..99).contains(&recall), "one right, one wrong, today: {recall}");
        assert_eq!(stats.sections[0].recall_percent, None, "nothing answered");
        assert_eq!((stats.sections[1].due_today, stats.sections[1].due_week), (1, 1));
        assert_eq!(stats.due_today, 1, "the wrong one is due today");
        assert_eq!(stats.forecast.len(), FORECAST_DAYS);
        assert_eq!(stats.forecast[2], 1, "FSRS-6 gives a first right answer 2 days (2.3)");
        let right = stats.questions.iter().find(|q| q.id == first).unwrap();
        assert!((right.stability_days - 2.3).abs() < 0.05, "{right:?}");
        assert_eq!(stats.history[0].percent, 79);
        assert_eq!((stats.questions_seen, stats.answers), (2, 2));
        let text = stats.to_text();
        assert!(
            text.contains("Harvesting")
                && text.contains("5.5/7")
                && text.contains("Due for review today: 1"),
            "{text}"
        );
        let json = serde_json::to_value(&stats).unwrap();
        assert_eq!(json["sections"][1]["best_quiz"][0], 5.5);
        assert_eq!(json["due_today"], 1);
    }
}
