//! The footer's key hints, drawn from the same table that dispatches keys.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::theme::Theme;
use crate::app::keymap::{self, Binding};

/// Draws `key hint` pairs from `table` into one line. When the line is too narrow, hints are
/// dropped from the second on: each table lists its main action first and help and quit last,
/// and those stay, so a reader can always act and find out the rest.
pub fn render(table: &[Binding], area: Rect, buf: &mut Buffer, theme: &Theme) {
    buf.set_style(area, theme.bar);
    let mut hints: Vec<(String, &str)> =
        table.iter().filter_map(|b| Some((keymap::label(*b.triggers.first()?), b.hint?))).collect();
    let width = |hints: &[(String, &str)]| -> usize {
        hints
            .iter()
            .map(|(k, h)| unicode_width::UnicodeWidthStr::width(format!(" {k} {h} ").as_str()))
            .sum()
    };
    while width(&hints) > area.width as usize && hints.len() > 2 {
        hints.remove(1);
    }
    let spans: Vec<Span> = hints
        .iter()
        .flat_map(|(key, hint)| {
            [
                Span::styled(format!(" {key}"), theme.bar_key),
                Span::styled(format!(" {hint} "), theme.bar),
            ]
        })
        .collect();
    buf.set_line(area.x, area.y, &Line::from(spans), area.width);
}
