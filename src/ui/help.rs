//! The `?` help: every binding of the screen underneath, as laid out in `geometry::help`.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use super::theme::Theme;
use crate::app::App;
use crate::geometry::help::{lines, popup};

pub struct HelpView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for HelpView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let lines = lines(&crate::app::keymap::help_entries(self.app.mode()), area.width);
        let popup = popup(area, &lines);
        let lines: Vec<Line> = lines.iter().map(|line| self.theme.line(line)).collect();
        Clear.render(popup, buf);
        let more = self.app.help_scroll < self.app.max_help_scroll();
        let block = Block::bordered()
            .title(" Keys ")
            .title_bottom(
                Line::from(if more { " ↓ more · Esc " } else { " ? or Esc close " })
                    .right_aligned(),
            )
            .border_style(self.theme.border)
            .style(self.theme.base);
        Paragraph::new(lines)
            .block(block)
            .scroll((u16::try_from(self.app.help_scroll).unwrap_or(u16::MAX), 0))
            .render(popup, buf);
    }
}
