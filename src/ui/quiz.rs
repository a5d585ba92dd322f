//! The quiz screen: the header with the score or the class's clock, the body as laid out in
//! `geometry::quiz` (the question, its items, the answer and after checking the feedback),
//! and the footer.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use super::footer;
use super::theme::Theme;
use crate::app::{App, QuizKind, keymap};
pub use crate::geometry::quiz::Target;
use crate::geometry::quiz::{areas, body};
use crate::quiz;

pub struct QuizView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for QuizView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let Some(quiz) = &self.app.quiz else { return };
        let theme = self.theme;
        let (header, _, footer_area) = areas(area);
        buf.set_style(header, theme.bar);
        let scope = quiz.kind.name(&self.app.course);
        let points = quiz::format_points(quiz.run.points());
        let live = self.app.class_live().filter(|_| quiz.kind == QuizKind::Class);
        let (left, right) = match live {
            Some(live) => (
                format!(" Class question {} of {} ", live.question.number, live.question.of),
                match live.question.seconds_left {
                    _ if live.reveal.is_some() => " revealed ".to_owned(),
                    Some(0) => " time is up ".to_owned(),
                    Some(s) => format!(" {s} s left "),
                    None if live.sent.is_some() => " sent ".to_owned(),
                    None => String::new(),
                },
            ),
            None => (
                format!(" Quiz · {scope} · {}/{} ", quiz.run.current + 1, quiz.run.questions.len()),
                format!(" {points}/{} points ", quiz.run.answered()),
            ),
        };
        buf.set_stringn(header.x, header.y, &left, header.width as usize, theme.bar_key);
        let right_width = right.chars().count() as u16;
        if header.width > left.chars().count() as u16 + right_width {
            buf.set_stringn(
                header.right() - right_width,
                header.y,
                &right,
                right_width as usize,
                theme.bar,
            );
        }
        let body = body(&self.app.quiz_sheet(quiz), area);
        for (y, quiz_line) in body.shown() {
            buf.set_line(body.area.x, y, &theme.line(&quiz_line.line), body.area.width);
        }
        // Arrows in the margin say there is more above or below.
        let (above, below) = body.more();
        let (rows, right) = (body.area, body.area.right().saturating_sub(1));
        if above && rows.height > 0 {
            buf.set_stringn(right, rows.y, "↑", 1, theme.muted);
        }
        if below && rows.height > 0 {
            buf.set_stringn(right, rows.bottom() - 1, "↓", 1, theme.muted);
        }
        footer::render(&keymap::bindings(self.app.key_mode()), footer_area, buf, theme);
    }
}
