//! The reader: a header saying where you are, the section's text with a scrollbar, an
//! optional sidebar of sections when the window is wide, and the footer's key hints.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Scrollbar, ScrollbarOrientation, ScrollbarState, StatefulWidget, Widget};

use unicode_width::UnicodeWidthStr;

use super::footer;
use super::theme::Theme;
use crate::app::{App, keymap};

pub use crate::geometry::reader::{MAX_TEXT_WIDTH, ReaderAreas, text_width};

pub struct ReaderView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for ReaderView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let areas = ReaderAreas::new(area);
        self.header(areas.header, buf);
        if let Some(sidebar) = areas.sidebar {
            self.sidebar(sidebar, buf);
        }
        self.text(areas.text, buf);
        self.scrollbar(areas.scrollbar, areas.text.height, buf);
        footer::render(&keymap::bindings(self.app.key_mode()), areas.footer, buf, self.theme);
    }
}

impl ReaderView<'_> {
    /// "2/6 Harvesting" on the left, how far through the section on the right.
    fn header(&self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let theme = self.theme;
        buf.set_style(area, theme.bar);
        let section = &app.course.sections[app.section];
        let position = format!(" {}/{} ", app.section + 1, app.course.sections.len());
        // Padded to the widest label ("52%"), so the map beside it never shifts as it changes.
        let where_ = format!("{:>3}", scroll_label(app.scroll, app.max_scroll()));
        // Opened from a quiz's feedback: say how to get back, where the eye is.
        let right = if app.quiz.as_ref().is_some_and(|q| q.reading_from_quiz) {
            let key =
                keymap::key_for(keymap::Mode::Reader, crate::app::Msg::Back).unwrap_or_default();
            format!(" {key}: back to the quiz · {where_} ")
        } else {
            format!(" {where_} ")
        };
        let left = Line::from(vec![
            Span::styled(position, theme.bar_key),
            Span::styled(section.short_title.as_str(), theme.bar_key),
            Span::styled(if app.is_read(app.section) { " ✓ read" } else { "" }, theme.bar),
        ]);
        let right_width = right.chars().count() as u16;
        // Room is kept for " ✓ read" whether or not it shows, for the same reason.
        let left_width = (left.width() + if app.is_read(app.section) { 0 } else { 7 }) as u16;
        buf.set_line(area.x, area.y, &left, area.width.saturating_sub(right_width));
        if area.width > right_width + 8 {
            buf.set_stringn(
                area.right() - right_width,
                area.y,
                &right,
                right_width as usize,
                theme.bar,
            );
        }
        // The course map, "you are here", centred between the two when there is room.
        if let Some(map) = self.map_line(section) {
            let room = area.width.saturating_sub(left_width + right_width + 4);
            let width = map.width() as u16;
            if width <= room {
                let x = area.x + left_width + 2 + (room - width) / 2;
                buf.set_line(x, area.y, &map, width);
            }
        }
    }

    /// The map diagram's boxes in a row, the reader's own one marked.
    fn map_line(&self, section: &crate::course::Section) -> Option<Line<'static>> {
        let course = &self.app.course;
        let map = course.diagrams.get(course.map?)?;
        let here = section.map_node?;
        let mut spans = Vec::new();
        for (i, node) in map.nodes.iter().enumerate() {
            if i > 0 {
                spans.push(Span::styled(" › ", self.theme.bar));
            }
            if i == here {
                spans.push(Span::styled(format!("▸{}", node.label), self.theme.selected));
            } else {
                spans.push(Span::styled(node.label.clone(), self.theme.bar));
            }
        }
        Some(Line::from(spans))
    }

    /// A laid-out line in the theme's styles.
    fn styled<'a>(&self, line: &'a crate::page::PageLine) -> Line<'a> {
        line.pieces.iter().map(|p| Span::styled(p.text.as_str(), self.theme.piece(p))).collect()
    }

    fn text(&self, area: Rect, buf: &mut Buffer) {
        let lines = &self.app.page().lines;
        let needle = self.app.found.as_ref().map(|f| f.needle.as_str());
        let visible = lines.iter().skip(self.app.scroll).take(area.height as usize);
        for (row, line) in visible.enumerate() {
            let y = area.y + row as u16;
            buf.set_line(area.x, y, &self.styled(line), area.width);
            // Search hits in view are highlighted over the text's own style.
            if let Some(needle) = needle {
                let text = line.text();
                for hit in crate::search::matches_in(&text, needle) {
                    let x = area.x + text[..hit.start].width() as u16;
                    let width = text[hit.clone()].width() as u16;
                    let cells = Rect { x, y, width, height: 1 }.intersection(area);
                    buf.set_style(cells, self.theme.found);
                }
            }
        }
        // A stepped diagram taller than the view keeps its title and caption in sight.
        if let Some(pinned) = self.app.pinned_caption() {
            for (row, line) in lines[pinned].iter().take(area.height as usize).enumerate() {
                let y = area.y + row as u16;
                buf.set_stringn(
                    area.x,
                    y,
                    " ".repeat(area.width.into()),
                    area.width.into(),
                    self.theme.base,
                );
                buf.set_line(area.x, y, &self.styled(line), area.width);
            }
        }
    }

    fn scrollbar(&self, area: Rect, text_height: u16, buf: &mut Buffer) {
        let max = self.app.max_scroll();
        if max == 0 {
            return;
        }
        let mut state = ScrollbarState::new(max + 1)
            .position(self.app.scroll)
            .viewport_content_length(text_height as usize);
        Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None)
            .style(self.theme.scrollbar)
            .render(area, buf, &mut state);
    }

    /// The sections, with a mark on the current one and on those already read.
    fn sidebar(&self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        buf.set_stringn(area.x + 1, area.y + 1, "Sections", area.width as usize, theme.title);
        for (i, section) in self.app.course.sections.iter().enumerate() {
            let y = area.y + 3 + i as u16;
            if y >= area.bottom() {
                break;
            }
            let current = i == self.app.section;
            let mark = if self.app.is_read(i) { "✓" } else { " " };
            let pointer = if current { "▸" } else { " " };
            let line = Line::from(vec![
                Span::styled(format!("{pointer}{mark}"), theme.read_mark),
                Span::styled(
                    format!(" {} {}", i + 1, section.short_title),
                    if current { theme.title } else { theme.base },
                ),
            ]);
            buf.set_line(area.x, y, &line, area.width.saturating_sub(1));
        }
    }
}

/// Where the reader is in the section, in words a pager user knows.
pub fn scroll_label(scroll: usize, max: usize) -> String {
    match (scroll, max) {
        (_, 0) => "All".to_owned(),
        (0, _) => "Top".to_owned(),
        (s, m) if s >= m => "End".to_owned(),
        (s, m) => format!("{}%", s * 100 / m),
    }
}
