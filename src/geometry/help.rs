//! The `?` help, laid out: every binding of the screen underneath, from its key table, in a
//! box centred on the window. `update` needs its height to know how far it scrolls.

use ratatui::layout::{Rect, Size};

use super::text::{Look, TextLine};
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
pub fn lines(mode: Mode, width: u16) -> Vec<TextLine> {
    let entries = entries(mode);
    let key_width = entries.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
    let widest = entries.iter().map(|(_, d)| d.chars().count()).max().unwrap_or(0);
    let inner = width.min(MAX_WIDTH).saturating_sub(2) as usize;
    let side_by_side = key_width + 2 + widest <= inner;
    entries
        .into_iter()
        .flat_map(|(keys, description)| {
            if side_by_side {
                vec![TextLine::from_runs([
                    (format!("{keys:key_width$}  "), Look::Title),
                    (description.to_owned(), Look::Base),
                ])]
            } else {
                vec![
                    TextLine::new(keys, Look::Title),
                    TextLine::new(format!("  {description}"), Look::Base),
                ]
            }
        })
        .collect()
}

/// The box the help is drawn in, bordered, for these lines in a window of this area.
pub fn popup(area: Rect, lines: &[TextLine]) -> Rect {
    let width = lines.iter().map(TextLine::width).max().unwrap_or(0) as u16 + 2;
    super::areas::centered(area, width.max(18), lines.len() as u16 + 2)
}

/// How far the help can scroll in a window of this size: the lines its box has no room for.
pub fn max_scroll(mode: Mode, viewport: Size) -> usize {
    let lines = lines(mode, viewport.width);
    let popup = popup(Rect::new(0, 0, viewport.width, viewport.height), &lines);
    lines.len().saturating_sub(popup.height.saturating_sub(2) as usize)
}
