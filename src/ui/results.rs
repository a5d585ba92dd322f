//! The results of a quiz: the header, the body as laid out in `geometry::results` (the
//! score, a bar per section, the questions to review), and the footer.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use super::footer;
use super::theme::Theme;
use crate::app::{App, keymap};
use crate::geometry::results::body;

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
        let body = body(&self.app.quiz_sheet(quiz), area);
        for (y, line) in body.shown() {
            buf.set_line(body.area.x, y, &theme.line(line), body.area.width);
        }
        footer::render(&keymap::bindings(self.app.key_mode()), footer_area, buf, theme);
    }
}
