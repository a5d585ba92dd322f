//! The table of contents: a box over the reader listing every section, marking the one being
//! read and those already read.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, List, ListItem, ListState, StatefulWidget, Widget};

use super::theme::Theme;
use crate::app::App;

pub struct ContentsView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for ContentsView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let theme = self.theme;
        let sections = &app.course.sections;
        let widest = sections.iter().map(|s| s.title.chars().count()).max().unwrap_or(0) as u16;
        // Room for the marks, the number, the title, "(reading)" and the border.
        let popup = super::areas::centered(area, widest + 34, sections.len() as u16 + 2);
        Clear.render(popup, buf);
        let block = Block::bordered()
            .title(" Contents ")
            .title_bottom(Line::from(" Enter open · Esc close ").right_aligned())
            .border_style(theme.border)
            .style(theme.base);
        let best = app.learner.record.best_scores();
        // Border, marks, number, a score and "(reading)" take 19 to 31 columns.
        let titles = super::fitting_titles(sections, popup.width.saturating_sub(31).into());
        let items: Vec<ListItem> = titles
            .iter()
            .enumerate()
            .map(|(i, title)| {
                let mark = if app.is_read(i) { "✓ " } else { "  " };
                let mut spans = vec![
                    Span::styled(mark, theme.read_mark),
                    Span::raw(format!("{} {title}", i + 1)),
                ];
                if let Some((points, questions)) = best.get(app.course.sections[i].id.as_str()) {
                    let score =
                        format!("  quiz {}/{questions}", crate::quiz::format_points(*points));
                    spans.push(Span::styled(score, theme.muted));
                }
                if i == app.section {
                    spans.push(Span::styled("  (reading)", theme.muted));
                }
                ListItem::new(Line::from(spans))
            })
            .collect();
        let list =
            List::new(items).block(block).highlight_style(theme.selected).highlight_symbol("▸ ");
        let mut state = ListState::default().with_selected(Some(app.selected));
        StatefulWidget::render(list, popup, buf, &mut state);
    }
}
