//! The `?` help: every binding of the screen underneath, drawn from its key table.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use super::theme::Theme;
use crate::app::{App, keymap};

pub struct HelpView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl HelpView<'_> {
    /// One line per binding: its keys, then what it does.
    pub fn lines(&self) -> Vec<Line<'static>> {
        let table = keymap::table(self.app.screen, false);
        let keys: Vec<String> = table
            .iter()
            .map(|b| b.triggers.iter().map(|t| keymap::label(*t)).collect::<Vec<_>>().join(" "))
            .collect();
        let key_width = keys.iter().map(|k| k.chars().count()).max().unwrap_or(0);
        let mut lines: Vec<Line> = table
            .iter()
            .zip(keys)
            .map(|(binding, keys)| {
                Line::from(vec![
                    Span::styled(format!("{keys:key_width$}  "), self.theme.title),
                    Span::styled(binding.description, self.theme.base),
                ])
            })
            .collect();
        if self.app.screen == crate::app::Screen::Reader {
            lines.push(Line::styled("The mouse wheel scrolls the text.", self.theme.muted));
        }
        lines
    }
}

impl Widget for HelpView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let lines = self.lines();
        let width = lines.iter().map(Line::width).max().unwrap_or(0) as u16 + 4;
        let popup = super::centered(area, width, lines.len() as u16 + 2);
        Clear.render(popup, buf);
        let block = Block::bordered()
            .title(" Keys ")
            .title_bottom(Line::from(" ? or Esc close ").right_aligned())
            .border_style(self.theme.border)
            .style(self.theme.base);
        Paragraph::new(lines)
            .block(block)
            .scroll((self.app.help_scroll as u16, 0))
            .render(popup, buf);
    }
}
