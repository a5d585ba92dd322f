//! The learner's progress in figures: per section, what was read, the best quiz score and
//! mastery; quiz scores over time; reviews due in the coming days. Pure: the in-app screen,
//! `stemcell stats` and `stemcell stats --format json` all show this.

use std::fmt::Write as _;

use serde::Serialize;

use crate::course::Course;
use crate::learner::{Day, Record, schedule};
use crate::quiz::{format_points, share};

/// Days of review forecast shown.
pub const FORECAST_DAYS: usize = 7;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub course: String,
    pub profile: String,
    pub today: String,
    pub sections: Vec<SectionStats>,
    /// Questions due for review today (overdue included).
    pub due_today: usize,
    /// Questions falling due on each of the next days, today first.
    pub forecast: Vec<usize>,
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
    /// From 0 to 100: how far up the review boxes its questions are.
    pub mastery_percent: u8,
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

impl Stats {
    pub fn of(course: &Course, record: &Record, profile: &str, today: Day) -> Self {
        let cards = record.cards();
        let best = record.best_scores();
        let sections = course
            .sections
            .iter()
            .enumerate()
            .map(|(i, section)| SectionStats {
                id: section.id.clone(),
                title: section.short_title.clone(),
                read: record.read.contains(&section.id),
                best_quiz: best.get(section.id.as_str()).copied(),
                mastery_percent: percent(schedule::mastery(course, i, &cards)),
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
        let all: Vec<&str> =
            course.sections.iter().flat_map(|s| &s.questions).map(|q| q.id.as_str()).collect();
        Self {
            course: course.title.clone(),
            profile: profile.to_owned(),
            today: today.to_string(),
            sections,
            due_today: schedule::due(course, &cards, today).len(),
            forecast: schedule::forecast(course, &cards, today, FORECAST_DAYS),
            history,
            answers: usize::try_from(record.answer_count()).unwrap_or(usize::MAX),
            questions_seen: all.iter().filter(|id| cards.contains_key(**id)).count(),
            questions_total: all.len(),
        }
    }

    /// The same figures as text, for `stemcell stats`.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{} · profile {} · {}", self.course, self.profile, self.today);
        let _ = writeln!(out);
        let width = self.sections.iter().map(|s| s.title.chars().count()).max().unwrap_or(7).max(7);
        let _ = writeln!(out, "{:width$}  read  best quiz  mastery", "Section");
        for s in &self.sections {
            let best = s
                .best_quiz
                .map_or_else(|| "-".to_owned(), |(p, q)| format!("{}/{q}", format_points(p)));
            let read = if s.read { "yes" } else { "no" };
            let _ =
                writeln!(out, "{:width$}  {read:4}  {best:9}  {:>6}%", s.title, s.mastery_percent);
        }
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "Questions answered at least once: {} of {} ({} answers in all)",
            self.questions_seen, self.questions_total, self.answers
        );
        let _ = writeln!(out, "Due for review today: {}", self.due_today);
        let coming: Vec<String> = self.forecast.iter().map(ToString::to_string).collect();
        let _ = writeln!(
            out,
            "Due in the next {} days, from today: {}",
            self.forecast.len(),
            coming.join(" ")
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
        let stats = Stats::of(&course, &learner.record, "default", Day(20_000));
        assert!(stats.sections[1].read && !stats.sections[0].read);
        assert_eq!(stats.sections[1].best_quiz, Some((5.5, 7)));
        assert!(stats.sections[1].mastery_percent > 0);
        assert_eq!(stats.sections[0].mastery_percent, 0);
        assert_eq!(stats.due_today, 1, "the wrong one is due today");
        assert_eq!(stats.forecast[2], 1, "the right one in two days");
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
