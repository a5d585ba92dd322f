//! The search box: the query as typed, and the hits with their section and a snippet, the
//! match highlighted.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use super::theme::Theme;
use crate::app::{App, SearchState};

pub fn render(app: &App, search: &SearchState, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let width = area.width.min(78);
    // Tall enough for the query, the count and the hits, up to most of the window.
    let wanted = u16::try_from(search.hits.len()).unwrap_or(u16::MAX).saturating_add(4);
    let height = wanted.min(area.height.saturating_sub(2)).clamp(3, 20);
    let box_area = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + 1.min(area.height),
        width,
        height: height.min(area.height),
    };
    Clear.render(box_area, buf);
    let rows = usize::from(box_area.height.saturating_sub(3));
    let mut lines = vec![Line::from(vec![
        Span::styled("/ ", theme.title),
        Span::styled(search.query.clone(), theme.base),
        Span::styled("▏", theme.title),
    ])];
    let count = match search.hits.len() {
        0 if search.query.trim().chars().count() < 2 => "type at least two letters".to_owned(),
        0 => "no match".to_owned(),
        n if n >= crate::search::MAX_HITS => format!("{n}+ matches"),
        n => format!("{n} {}", if n == 1 { "match" } else { "matches" }),
    };
    lines.push(Line::styled(count, theme.muted));
    // The selected hit stays in view as the list scrolls.
    let first = search.selected.saturating_sub(rows.saturating_sub(1));
    for (i, hit) in search.hits.iter().enumerate().skip(first).take(rows) {
        let selected = i == search.selected;
        let base = if selected { theme.selected } else { theme.base };
        // Where the hit is: a section, a section's quiz, or the glossary.
        let short = |s: usize| app.course.sections.get(s).map_or("", |s| s.short_title.as_str());
        let section = match hit.place {
            crate::search::Place::Definition(term) => format!(
                "Glossary, {}",
                app.course.glossary.get(term).map_or("", |t| t.term.as_str())
            ),
            crate::search::Place::Explanation(_) => format!("{} quiz", short(hit.section)),
            _ => short(hit.section).to_owned(),
        };
        let (before, rest) = hit.snippet.split_at(hit.matched.start);
        let (matched, after) = rest.split_at(hit.matched.end - hit.matched.start);
        lines.push(Line::from(vec![
            Span::styled(if selected { "▸ " } else { "  " }, theme.title),
            Span::styled(format!("{section}: "), theme.muted),
            Span::styled(before.to_owned(), base),
            Span::styled(matched.to_owned(), theme.found),
            Span::styled(after.to_owned(), base),
        ]));
    }
    Paragraph::new(lines)
        .block(Block::bordered().title(" Search the course ").border_style(theme.border))
        .style(theme.base)
        .render(box_area, buf);
}
