//! The results of a quiz: the score, a bar per section, and the questions to review, with
//! a retry of just those.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::footer;
use super::theme::Theme;
use crate::app::{App, QuizState, keymap};
use crate::page::wrap_plain;
use crate::quiz::{self, Verdict};

/// The body's lines at `width` columns.
pub fn lines(app: &App, quiz: &QuizState, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let run = &quiz.run;
    let mut out = Vec::new();
    let total = run.questions.len();
    let answered = run.answered();
    let points = run.points();
    let percent = quiz::share(points, answered) * 100.0;
    if answered == 0 {
        // A quiz ended before its first answer has no score to show ("0/0" reads as failing).
        out.push(Line::styled("No questions answered", theme.title));
    } else {
        out.push(Line::styled(
            format!("Score: {}/{answered} ({percent:.0} %)", quiz::format_points(points)),
            theme.title,
        ));
    }
    if answered < total {
        out.push(Line::styled(format!("Ended after {answered} of {total} questions"), theme.muted));
    }
    out.push(Line::default());
    let name_width = run
        .by_section()
        .iter()
        .map(|(s, _, _)| app.course.sections[*s].short_title.chars().count())
        .max()
        .unwrap_or(0);
    let bar_width = width.saturating_sub(name_width + 12).clamp(4, 30);
    for (s, points, count) in run.by_section() {
        let ascii = app.settings.glyphs == crate::page::Glyphs::ASCII;
        let (full, empty) = super::text_bar(quiz::share(points, count), bar_width, ascii);
        out.push(Line::from(vec![
            Span::styled(
                format!("{:name_width$} ", app.course.sections[s].short_title),
                theme.base,
            ),
            Span::styled(full, theme.right),
            Span::styled(empty, theme.muted),
            Span::styled(format!(" {}/{count}", quiz::format_points(points)), theme.base),
        ]));
    }
    let missed = run.missed();
    out.push(Line::default());
    if missed.is_empty() {
        out.push(Line::styled("Every question right.", theme.right));
    } else {
        let key = keymap::key_for(keymap::Mode::Results, crate::app::Msg::RetryMissed)
            .unwrap_or_default();
        out.push(Line::styled(
            format!("To review ({}; {key} retries just these):", missed.len()),
            theme.muted,
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
            let prompt = &app.course.sections[s].questions[q].prompt;
            for (n, line) in
                wrap_plain(prompt, width.saturating_sub(2).max(1)).into_iter().enumerate()
            {
                let head = if n == 0 { format!("{symbol} ") } else { "  ".to_owned() };
                out.push(Line::from(vec![
                    Span::styled(head, theme.wrong),
                    Span::styled(line, theme.base),
                ]));
            }
        }
    }
    out
}

pub struct ResultsView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for ResultsView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let Some(quiz) = &self.app.quiz else { return };
        let theme = self.theme;
        let [header, _, footer_area] = super::areas::header_body_footer(area);
        buf.set_style(header, theme.bar);
        let scope = quiz.kind.name(&self.app.course);
        buf.set_stringn(
            header.x,
            header.y,
            format!(" Results · {scope} "),
            header.width as usize,
            theme.bar_key,
        );
        let (first, _) = super::quiz::scroll_range(self.app);
        let body = crate::geometry::quiz::body_area(area);
        let lines = lines(self.app, quiz, body.width as usize, theme);
        for (row, line) in lines.iter().skip(first).take(body.height as usize).enumerate() {
            buf.set_line(body.x, body.y + row as u16, line, body.width);
        }
        footer::render(&keymap::bindings(self.app.key_mode()), footer_area, buf, theme);
    }
}
