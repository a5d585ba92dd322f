//! The `?` help: every binding of the screen underneath, drawn from its key table.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use super::theme::Theme;
use crate::app::App;
use crate::app::keymap::{self, Mode};

/// The widest the help box gets.
const MAX_WIDTH: u16 = 72;

/// One help entry: the keys, written for people, and what they do.
fn entries(mode: Mode) -> Vec<(String, &'static str)> {
    let mut entries: Vec<(String, &str)> = keymap::bindings(mode)
        .iter()
        .map(|b| {
            let keys: Vec<String> = b.triggers.iter().map(|t| keymap::label(*t)).collect();
            (keys.join(" "), b.description)
        })
        .collect();
    if mode == Mode::Reader {
        entries.push(("wheel".to_owned(), "the mouse wheel scrolls the text"));
    }
    entries
}

/// The help's lines for a window of `width` columns: keys and description side by side
/// when they fit, otherwise the description on its own line under its keys.
fn lines(mode: Mode, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let entries = entries(mode);
    let key_width = entries.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
    let widest = entries.iter().map(|(_, d)| d.chars().count()).max().unwrap_or(0);
    let inner = width.min(MAX_WIDTH).saturating_sub(2) as usize;
    let side_by_side = key_width + 2 + widest <= inner;
    entries
        .into_iter()
        .flat_map(|(keys, description)| {
            if side_by_side {
                vec![Line::from(vec![
                    Span::styled(format!("{keys:key_width$}  "), theme.title),
                    Span::styled(description, theme.base),
                ])]
            } else {
                vec![
                    Line::styled(keys, theme.title),
                    Line::styled(format!("  {description}"), theme.base),
                ]
            }
        })
        .collect()
}

/// How far the help can scroll in a window of this size (used by `update`).
pub fn max_scroll(mode: Mode, viewport: ratatui::layout::Size) -> usize {
    let count = lines(mode, viewport.width, &Theme::new(super::theme::ThemeName::Mono)).len();
    count.saturating_sub(viewport.height.saturating_sub(2) as usize)
}

pub struct HelpView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for HelpView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let lines = lines(self.app.mode(), area.width, self.theme);
        let width = lines.iter().map(Line::width).max().unwrap_or(0) as u16 + 2;
        let popup = super::areas::centered(area, width.max(18), lines.len() as u16 + 2);
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
