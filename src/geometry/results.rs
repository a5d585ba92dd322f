//! The results of a quiz, laid out: the score, a bar per section, and the questions to
//! review, with a retry of just those. The body scrolls like the quiz's.

use ratatui::layout::Rect;

use super::quiz::{Body, QuizSheet, body_area};
use super::text::{Look, TextLine, text_bar};
use crate::page::wrap_plain;
use crate::quiz::{self, Verdict};

/// The results body in a window of this area; it starts at the top until scrolled.
pub fn body(quiz: &QuizSheet, window: Rect) -> Body<TextLine> {
    let area = body_area(window);
    let lines = lines(quiz, area.width as usize);
    let max = lines.len().saturating_sub(area.height as usize);
    Body { area, lines, first: quiz.scroll.unwrap_or(0).min(max) }
}

/// The body's lines at `width` columns.
pub fn lines(quiz: &QuizSheet, width: usize) -> Vec<TextLine> {
    let run = quiz.run;
    let mut out = Vec::new();
    let total = run.questions.len();
    let answered = run.answered();
    let points = run.points();
    let percent = quiz::share(points, answered) * 100.0;
    if answered == 0 {
        // A quiz ended before its first answer has no score to show ("0/0" reads as failing).
        out.push(TextLine::new("No questions answered", Look::Title));
    } else {
        out.push(TextLine::new(
            format!("Score: {}/{answered} ({percent:.0} %)", quiz::format_points(points)),
            Look::Title,
        ));
    }
    if answered < total {
        out.push(TextLine::new(
            format!("Ended after {answered} of {total} questions"),
            Look::Muted,
        ));
    }
    out.push(TextLine::default());
    let name_width = run
        .by_section()
        .iter()
        .map(|(s, _, _)| quiz.course.sections[*s].short_title.chars().count())
        .max()
        .unwrap_or(0);
    let bar_width = width.saturating_sub(name_width + 12).clamp(4, 30);
    for (s, points, count) in run.by_section() {
        let ascii = quiz.glyphs == crate::page::Glyphs::ASCII;
        let (full, empty) = text_bar(quiz::share(points, count), bar_width, ascii);
        out.push(TextLine::from_runs([
            (format!("{:name_width$} ", quiz.course.sections[s].short_title), Look::Base),
            (full, Look::Right),
            (empty, Look::Muted),
            (format!(" {}/{count}", quiz::format_points(points)), Look::Base),
        ]));
    }
    let missed = run.missed();
    out.push(TextLine::default());
    if missed.is_empty() {
        out.push(TextLine::new("Every question right.", Look::Right));
    } else {
        let key = &quiz.keys.retry_missed;
        out.push(TextLine::new(
            format!("To review ({}; {key} retries just these):", missed.len()),
            Look::Muted,
        ));
        for (question_ref, result) in run.questions.iter().zip(&run.results) {
            let Some(verdict) = (match result {
                Some((_, grade)) if grade.verdict() == Verdict::Right => None,
                Some((_, grade)) => Some(grade.verdict().label()),
                None => Some("· Not answered"),
            }) else {
                continue;
            };
            let (s, q) = *question_ref;
            let symbol: String = verdict.chars().take(1).collect();
            let prompt = &quiz.course.sections[s].questions[q].prompt;
            for (n, line) in
                wrap_plain(prompt, width.saturating_sub(2).max(1)).into_iter().enumerate()
            {
                let head = if n == 0 { format!("{symbol} ") } else { "  ".to_owned() };
                out.push(TextLine::from_runs([(head, Look::Wrong), (line, Look::Base)]));
            }
        }
    }
    out
}
