//! The title screen: what the course is, its sections (with what has been read), and the
//! notice that it is education, not medical advice. At small sizes the description goes
//! first; the notice never does.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{List, ListItem, ListState, StatefulWidget, Widget};

use super::theme::Theme;
use super::{areas, footer};
use crate::app::{App, keymap};

const MAX_WIDTH: u16 = 72;

pub struct TitleView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for TitleView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let theme = self.theme;
        let [body, footer_area] = areas::bottom_rows(area, 1);
        footer::render(&keymap::bindings(app.key_mode()), footer_area, buf, theme);

        let column =
            areas::centered_horizontally(body, MAX_WIDTH.min(body.width.saturating_sub(2)));
        let width = column.width;
        let title = wrap(&app.course.title, width, theme.title);
        let description = wrap(&app.course.description, width, theme.muted);
        let mut notice =
            wrap(&format!("Please note: {}", app.course.disclaimer), width, theme.base);
        // The label in its own style, so the notice stands out in every theme.
        if let Some(first) = notice.lines.first_mut() {
            let text = first.spans[0].content.to_string();
            let rest = text.strip_prefix("Please note:").unwrap_or(&text).to_owned();
            first.spans = vec![
                Span::styled("Please note:", theme.disclaimer),
                Span::styled(rest, theme.base),
            ];
        }
        let title_rows = title.lines.len() as u16;
        let notice_rows = notice.lines.len() as u16;
        let description_rows = description.lines.len() as u16;
        let sections = app.course.sections.len() as u16;

        // Fixed parts first; then the list gets what it needs; the description and the
        // spacing only what is left.
        let fixed = title_rows + notice_rows;
        let list_rows = sections.min(body.height.saturating_sub(fixed + 1)).max(1);
        let spare = body.height.saturating_sub(fixed + list_rows + 1);
        let show_description = spare > description_rows;
        let spare = spare.saturating_sub(if show_description { description_rows } else { 0 });
        let gap = u16::from(spare >= 4);
        let heights = [
            gap * 2,
            title_rows,
            if show_description { description_rows } else { 0 },
            gap,
            1,
            list_rows,
            gap,
            notice_rows,
        ];
        let [_, title_area, description_area, _, heading_area, list_area, _, notice_area] =
            areas::rows(column, heights);
        let used: u16 = heights.iter().sum();
        let offset = body.height.saturating_sub(used) / 3;
        let shift = |r: Rect| Rect { y: (r.y + offset).min(body.bottom()), ..r }.intersection(body);

        title.render(shift(title_area), buf);
        if show_description {
            description.render(shift(description_area), buf);
        }
        buf.set_stringn(column.x, shift(heading_area).y, "Sections", width as usize, theme.muted);
        // How many questions wait for review, and the key that reviews them.
        let due = app.learner.due_count(&app.course);
        if due > 0 {
            let key =
                keymap::key_for(keymap::Mode::Title, crate::app::Msg::Practice).unwrap_or_default();
            let label = format!(
                "{} due for review · {key} ",
                crate::content::error::plural(due, "question")
            );
            let label_width = label.chars().count() as u16;
            if width > label_width + 10 {
                let row = shift(heading_area).y;
                buf.set_stringn(
                    column.right() - label_width,
                    row,
                    &label,
                    label_width as usize,
                    theme.title,
                );
            }
        }
        self.section_list(shift(list_area), buf);
        notice.render(shift(notice_area), buf);
    }
}

/// Word-wrapped text in one style, wrapped the same way as the reader's text.
fn wrap(text: &str, width: u16, style: Style) -> Text<'static> {
    let lines = crate::wrap::plain(text, width as usize);
    Text::from(lines.into_iter().map(|l| Line::styled(l, style)).collect::<Vec<_>>())
}

impl TitleView<'_> {
    fn section_list(&self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let best = app.learner.record.best_scores();
        // Marks, the number and a space take 6 columns, a score 12 more; short titles when
        // narrow.
        let room = area.width.saturating_sub(if best.is_empty() { 6 } else { 18 });
        let titles = super::fitting_titles(&app.course.sections, room.into());
        // Only the rows that show are built (each is several allocations; a pack may have
        // thousands of sections). The list scrolls as a list without a kept offset does:
        // from the top until the selection reaches the last row, then keeping it there.
        let rows = usize::from(area.height).max(1);
        let first = app.selected.saturating_sub(rows - 1).min(titles.len().saturating_sub(rows));
        let items: Vec<ListItem> = titles
            .iter()
            .enumerate()
            .skip(first)
            .take(rows)
            .map(|(i, title)| {
                let mark = if app.is_read(i) { "✓ " } else { "  " };
                let mut spans = vec![
                    Span::styled(mark, self.theme.read_mark),
                    Span::raw(format!("{} {title}", i + 1)),
                ];
                if let Some((points, questions)) = best.get(app.course.sections[i].id.as_str()) {
                    let score =
                        format!("  quiz {}/{questions}", crate::quiz::format_points(*points));
                    spans.push(Span::styled(score, self.theme.muted));
                }
                ListItem::new(Text::from(Line::from(spans)))
            })
            .collect();
        let list = List::new(items)
            .style(self.theme.base)
            .highlight_style(self.theme.selected)
            .highlight_symbol("▸ ");
        let mut state = ListState::default().with_selected(Some(app.selected - first));
        StatefulWidget::render(list, area, buf, &mut state);
    }
}
