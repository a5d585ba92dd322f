//! The glossary: every term, alphabetical, with its definition and the sections that use it;
//! and the popup with the definitions of the terms on screen.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use super::footer;
use super::theme::Theme;
use crate::app::{App, keymap};
use crate::page::wrap_plain;

/// The sections whose text uses a term in its glossary sense, by short title.
fn used_in(app: &App, term: usize) -> Vec<&str> {
    let matcher = crate::glossary::Matcher::new(std::slice::from_ref(&app.course.glossary[term]));
    app.course
        .sections
        .iter()
        .filter(|s| {
            let texts = crate::search::section_texts(&app.course.diagrams, s);
            texts.iter().any(|(place, text)| {
                !matcher.find_in(text, &s.id, crate::search::block_id(s, *place)).is_empty()
            })
        })
        .map(|s| s.short_title.as_str())
        .collect()
}

/// One entry: the term (and its other names), the definition, where it is used.
fn entry(
    app: &App,
    term: usize,
    width: usize,
    theme: &Theme,
    selected: bool,
) -> Vec<Line<'static>> {
    let t = &app.course.glossary[term];
    let mut head =
        vec![Span::styled(format!("{} ", if selected { "▸" } else { " " }), theme.title)];
    head.push(Span::styled(t.term.clone(), if selected { theme.selected } else { theme.title }));
    if !t.also.is_empty() {
        head.push(Span::styled(format!("  also: {}", t.also.join(", ")), theme.muted));
    }
    let mut lines = vec![Line::from(head)];
    for line in wrap_plain(&t.definition, width.saturating_sub(4).max(1)) {
        lines.push(Line::styled(format!("    {line}"), theme.base));
    }
    let sections = used_in(app, term);
    if !sections.is_empty() {
        lines.push(Line::styled(format!("    Used in: {}", sections.join(", ")), theme.muted));
    }
    lines
}

pub struct GlossaryView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for GlossaryView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (app, theme) = (self.app, self.theme);
        let [header, body, footer_area] = super::areas::header_body_footer(area);
        buf.set_style(header, theme.bar);
        let shown = app.glossary_shown();
        let title = match &app.glossary_filter {
            Some(filter) => format!(
                " Glossary · {} of {} terms · /{}{} ",
                shown.len(),
                app.course.glossary.len(),
                filter.query,
                if filter.typing { "▏" } else { "" }
            ),
            None => format!(" Glossary · {} terms ", app.course.glossary.len()),
        };
        buf.set_stringn(header.x, header.y, title, header.width as usize, theme.bar_key);
        footer::render(&keymap::bindings(app.key_mode()), footer_area, buf, theme);
        let body = body.inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 });
        let width = body.width.min(super::reader::MAX_TEXT_WIDTH) as usize;
        // Entries before the selected one scroll away so that it and what follows are in view.
        let mut lines: Vec<Line> = Vec::new();
        let mut selected_at = 0;
        if shown.is_empty() {
            lines.push(Line::styled("  No term matches the filter. Esc clears it.", theme.muted));
        }
        for term in shown {
            if term == app.glossary_selected {
                selected_at = lines.len();
            }
            lines.extend(entry(app, term, width, theme, term == app.glossary_selected));
            lines.push(Line::default());
        }
        let offset = selected_at.saturating_sub(usize::from(body.height) / 3);
        let offset = offset.min(lines.len().saturating_sub(usize::from(body.height)));
        Paragraph::new(lines.into_iter().skip(offset).collect::<Vec<_>>()).render(body, buf);
    }
}

/// The definitions of `terms`, in a box over the reader.
pub fn popup(app: &App, terms: &[usize], area: Rect, buf: &mut Buffer, theme: &Theme) {
    let width = area.width.min(72);
    let inner = width.saturating_sub(4) as usize;
    let room = usize::from(area.height.saturating_sub(2));
    let mut lines: Vec<Line> = Vec::new();
    for (shown, &term) in terms.iter().enumerate() {
        let t = &app.course.glossary[term];
        let mut entry = vec![Line::styled(t.term.clone(), theme.title)];
        entry.extend(
            wrap_plain(&t.definition, inner).into_iter().map(|l| Line::styled(l, theme.base)),
        );
        // Entries that do not fit are named, not cut in half.
        if lines.len() + entry.len() + 2 > room && shown > 0 {
            let rest: Vec<&str> =
                terms[shown..].iter().map(|&i| app.course.glossary[i].term.as_str()).collect();
            let key = keymap::key_for(keymap::Mode::Reader, crate::app::Msg::ShowGlossary)
                .unwrap_or_default();
            lines.push(Line::styled(
                format!("Also here: {} ({key}: the glossary)", rest.join(", ")),
                theme.muted,
            ));
            break;
        }
        lines.extend(entry);
        lines.push(Line::default());
    }
    if lines.last().is_some_and(|l| l.width() == 0) {
        lines.pop();
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let box_area = super::areas::centered(area, width, height);
    Clear.render(box_area, buf);
    Paragraph::new(lines)
        .block(
            Block::bordered()
                .title(" Glossary ")
                .title_bottom(Line::from(" Esc close ").right_aligned())
                .border_style(theme.border)
                .padding(ratatui::widgets::Padding::horizontal(1)),
        )
        .style(theme.base)
        .render(box_area, buf);
}
