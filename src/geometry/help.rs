//! The `?` help, laid out: every binding of the screen underneath, from its key table, in a
//! box centred on the window. `update` needs its height to know how far it scrolls.

use ratatui::layout::{Rect, Size};

use super::text::{Look, TextLine};

/// The widest the help box gets.
const MAX_WIDTH: u16 = 72;

/// One help entry: the keys, written for people, and what they do (the app's key tables
/// make them: `keymap::help_entries`).
pub type HelpEntry = (String, &'static str);

/// The help's lines for a window of `width` columns: keys and description side by side
/// when they fit, otherwise the description on its own line under its keys.
pub fn lines(entries: &[HelpEntry], width: u16) -> Vec<TextLine> {
    let key_width = entries.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
    let widest = entries.iter().map(|(_, d)| d.chars().count()).max().unwrap_or(0);
    let inner = width.min(MAX_WIDTH).saturating_sub(2) as usize;
    let side_by_side = key_width + 2 + widest <= inner;
    entries
        .iter()
        .flat_map(|(keys, description)| {
            if side_by_side {
                vec![TextLine::from_runs([
                    (format!("{keys:key_width$}  "), Look::Title),
                    ((*description).to_owned(), Look::Base),
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
pub fn max_scroll(entries: &[HelpEntry], viewport: Size) -> usize {
    let lines = lines(entries, viewport.width);
    let popup = popup(Rect::new(0, 0, viewport.width, viewport.height), &lines);
    lines.len().saturating_sub(popup.height.saturating_sub(2) as usize)
}

#[cfg(test)]
mod tests {
    use ratatui::buffer::Buffer;
    use ratatui::widgets::Widget;

    use super::*;
    use crate::app::{App, Msg, Settings};
    use crate::content::{self, load::PackSource};
    use crate::learner::{Day, Learner};
    use crate::page::Glyphs;
    use crate::theme_name::ThemeName;

    /// The text of the rows inside the drawn help box.
    fn shown(app: &App, lines: &[TextLine]) -> Vec<String> {
        let area = app.area();
        let mut buf = Buffer::empty(area);
        crate::ui::AppView(app).render(area, &mut buf);
        let inner = popup(area, lines);
        (inner.y + 1..inner.bottom().saturating_sub(1))
            .map(|y| {
                let row: String =
                    (inner.x + 1..inner.right() - 1).map(|x| buf[(x, y)].symbol()).collect();
                row.trim_end().to_owned()
            })
            .collect()
    }

    #[test]
    fn scrolled_to_the_end_the_help_box_shows_its_last_line_on_its_last_row() {
        let course = content::load(&PackSource::BuiltIn).unwrap().course;
        for (width, height) in [(40, 8), (24, 6), (60, 12), (80, 24), (120, 50)] {
            let settings = Settings { theme: ThemeName::Dark, glyphs: Glyphs::UNICODE, seed: 1 };
            let learner = Learner::fresh(&course.id, Day(20_000));
            let mut app =
                App::new(course.clone(), settings, learner, Size::new(width, height)).opened_at(0);
            app.update(Msg::ToggleHelp);
            for _ in 0..100 {
                app.update(Msg::ScrollDown);
            }
            let lines = lines(&crate::app::keymap::help_entries(app.mode()), width);
            let rows = shown(&app, &lines);
            // Cut at the box's inner width, as a line too long for a narrow window is.
            let room = usize::from(popup(app.area(), &lines).width.saturating_sub(2));
            let last: String = lines.last().unwrap().text().chars().take(room).collect();
            assert_eq!(rows.last().map(String::as_str), Some(last.trim_end()), "{width}x{height}");
            // No further than that: one line less and the last line is out of view.
            if app.help_scroll > 0 {
                app.update(Msg::ScrollUp);
                let rows = shown(&app, &lines);
                assert!(!rows.iter().any(|r| r == last.trim_end()), "{width}x{height}");
            } else {
                assert_eq!(rows.len(), lines.len(), "all of it fits in {width}x{height}");
            }
        }
    }
}
