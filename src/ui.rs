//! Drawing: read-only views of the [`App`], one file per screen. Rendering never changes
//! state; everything it needs was computed by `update`.

pub use crate::geometry::areas;
pub use crate::geometry::text::text_bar;
pub mod console;
pub mod contents;
mod footer;
pub mod glossary;
pub mod help;
pub mod present;
pub mod qr;
pub mod quiz;
pub mod reader;
pub mod results;
mod search;
pub mod stats;
pub mod theme;
pub mod title;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::app::{App, Screen};
use theme::Theme;

/// Below this the layout cannot show a line of text with its header and footer.
pub const MIN_WIDTH: u16 = 20;
pub const MIN_HEIGHT: u16 = 6;

/// Draws the whole screen for `app`.
pub fn draw(frame: &mut Frame, app: &App) {
    frame.render_widget(AppView(app), frame.area());
}

/// The whole screen as a widget, so tests can render it into a plain [`Buffer`].
pub struct AppView<'a>(pub &'a App);

impl Widget for AppView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.0;
        let theme = Theme::new(app.settings.theme);
        buf.set_style(area, theme.base);
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            too_small(area, buf, &theme);
            return;
        }
        match app.screen {
            Screen::Title => title::TitleView { app, theme: &theme }.render(area, buf),
            Screen::Reader => reader::ReaderView { app, theme: &theme }.render(area, buf),
            Screen::Contents => {
                reader::ReaderView { app, theme: &theme }.render(area, buf);
                contents::ContentsView { app, theme: &theme }.render(area, buf);
            }
            Screen::Quiz => quiz::QuizView { app, theme: &theme }.render(area, buf),
            Screen::Results => results::ResultsView { app, theme: &theme }.render(area, buf),
            Screen::Stats => stats::StatsView { app, theme: &theme }.render(area, buf),
            Screen::Present => present::PresentView { app, theme: &theme }.render(area, buf),
            Screen::Glossary => glossary::GlossaryView { app, theme: &theme }.render(area, buf),
        }
        if let Some(search_state) = &app.search {
            search::render(app, search_state, area, buf, &theme);
        }
        if let Some(terms) = &app.term_popup {
            glossary::popup(app, terms, area, buf, &theme);
        }
        // Both may quote a pack or a record: shown, never obeyed (ratatui drops control
        // characters, but direction marks would reach the terminal).
        if let Some(problems) = &app.pack_problems {
            problems_box(&crate::report::visible(problems), area, buf, &theme);
        }
        if let Some(notice) = &app.notice {
            notice_box(&crate::report::visible(notice), area, buf, &theme);
        }
        if let Some(hint) = &app.hint {
            // In place of the footer's key hints, on its line.
            let footer = Rect { y: area.bottom().saturating_sub(1), height: 1, ..area };
            buf.set_style(footer, theme.bar);
            buf.set_stringn(
                footer.x + 1,
                footer.y,
                hint,
                footer.width.saturating_sub(1).into(),
                theme.bar_key,
            );
        }
        if app.help_open {
            help::HelpView { app, theme: &theme }.render(area, buf);
        }
    }
}

/// The diagnostics of a broken pack (`--watch`), over the top of the screen, until it is fixed.
fn problems_box(problems: &str, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let width = area.width;
    let lines: Vec<ratatui::text::Line> = problems
        .lines()
        .map(|l| {
            ratatui::text::Line::styled(
                l.to_owned(),
                if l.starts_with("error") { theme.wrong } else { theme.base },
            )
        })
        .collect();
    let height = (lines.len() as u16 + 2).min(area.height.saturating_sub(1));
    let popup = Rect { x: area.x, y: area.y, width, height };
    ratatui::widgets::Clear.render(popup, buf);
    Paragraph::new(lines)
        .block(ratatui::widgets::Block::bordered().title(" Pack errors ").border_style(theme.wrong))
        .style(theme.base)
        .render(popup, buf);
}

/// A message for the learner in a box just above the footer, until their next key.
fn notice_box(notice: &str, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let width = area.width.min(80);
    let lines = crate::page::wrap_plain(notice, width.saturating_sub(4).max(1) as usize);
    let height = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.bottom().saturating_sub(height + 1),
        width,
        height,
    };
    ratatui::widgets::Clear.render(popup, buf);
    let text: Vec<ratatui::text::Line> = lines.into_iter().map(ratatui::text::Line::from).collect();
    Paragraph::new(text)
        .block(
            ratatui::widgets::Block::bordered()
                .border_style(theme.disclaimer)
                .padding(ratatui::widgets::Padding::horizontal(1)),
        )
        .style(theme.base)
        .render(popup, buf);
}

/// A clear message instead of a broken layout; it clips itself at any size, even 1x1.
fn too_small(area: Rect, buf: &mut Buffer, theme: &Theme) {
    let text = format!("Make the window larger: at least {MIN_WIDTH}x{MIN_HEIGHT}. q quits.");
    let height = if area.width >= 10 { 3.min(area.height) } else { area.height };
    let message = self::areas::centered_vertically(area, height);
    Paragraph::new(text)
        .style(theme.base)
        .wrap(Wrap { trim: true })
        .centered()
        .render(message, buf);
}

/// The sections' titles when all fit in `room` columns, else all their short titles (a list
/// that mixes the two reads badly).
pub fn fitting_titles(sections: &[crate::course::Section], room: usize) -> Vec<&str> {
    let fits =
        sections.iter().all(|s| unicode_width::UnicodeWidthStr::width(s.title.as_str()) <= room);
    sections.iter().map(|s| if fits { s.title.as_str() } else { s.short_title.as_str() }).collect()
}
