//! The progress screen: mastery per section, quiz scores over time, and reviews due in the
//! coming days, with the same figures as `stemcell stats`. Every bar has its number beside it,
//! so nothing rests on colour or bar length alone.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Clear, Paragraph, Sparkline, Widget, Wrap};

use super::footer;
use super::theme::Theme;
use crate::app::{App, keymap};
use crate::stats::Stats;

pub struct StatsView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for StatsView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let theme = self.theme;
        let learner = &app.learner;
        let stats = Stats::of(&app.course, &learner.record, "", learner.today);
        let [header, body, footer_area] = super::areas::header_body_footer(area);
        buf.set_style(header, theme.bar);
        buf.set_stringn(header.x, header.y, " Your progress", header.width as usize, theme.bar_key);
        footer::render(&keymap::bindings(app.key_mode()), footer_area, buf, theme);

        let body = body.inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 });
        let sections = stats.sections.len() as u16;
        // Boxes and charts need room: a small window gets the same figures as lines of text.
        if body.width < NARROW_WIDTH || body.height < sections + 10 {
            narrow(&stats, body, buf, theme, app.settings.glyphs == crate::page::Glyphs::ASCII);
            if app.confirming_reset {
                confirm_reset(area, buf, theme);
            }
            return;
        }
        let [summary, mastery, lower] = super::areas::rows(body, [2, sections + 2, body.height]);
        let seen = format!(
            "{} of {} questions answered · {} due for review today",
            stats.questions_seen, stats.questions_total, stats.due_today
        );
        Paragraph::new(seen).style(theme.base).wrap(Wrap { trim: true }).render(summary, buf);

        // Mastery: a bar per section with its percentage and marks in words beside it.
        let block = Block::bordered().title(" Mastery by section ").border_style(theme.border);
        let inner = block.inner(mastery);
        block.render(mastery, buf);
        let name_width = stats.sections.iter().map(|s| s.title.chars().count()).max().unwrap_or(0);
        let bar_width = (inner.width as usize).saturating_sub(name_width + 24).clamp(3, 30);
        let ascii = app.settings.glyphs == crate::page::Glyphs::ASCII;
        for (row, s) in stats.sections.iter().enumerate().take(inner.height as usize) {
            let (full, empty) =
                super::text_bar(f64::from(s.mastery_percent) / 100.0, bar_width, ascii);
            let best = s.best_quiz.map_or_else(String::new, |(p, q)| {
                format!("  quiz {}/{q}", crate::quiz::format_points(p))
            });
            let line = Line::from(vec![
                Span::styled(format!("{:name_width$} ", s.title), theme.base),
                Span::styled(full, theme.right),
                Span::styled(empty, theme.muted),
                Span::styled(format!(" {:>3}%", s.mastery_percent), theme.base),
                Span::styled(if s.read { " ✓ read" } else { "" }, theme.read_mark),
                Span::styled(best, theme.muted),
            ]);
            buf.set_line(inner.x, inner.y + row as u16, &line, inner.width);
        }

        let [history, forecast] = super::areas::halves(lower);
        let scores: Vec<u64> = stats.history.iter().map(|q| u64::from(q.percent)).collect();
        let latest = stats
            .history
            .last()
            .map_or_else(|| "none yet".to_owned(), |q| format!("latest {}%", q.percent));
        Sparkline::default()
            .block(
                Block::bordered()
                    .title(format!(" Quiz scores · {latest} "))
                    .border_style(theme.border),
            )
            .data(&scores)
            .max(100)
            .style(theme.title)
            .render(history, buf);

        let days: Vec<Bar> = stats
            .forecast
            .iter()
            .enumerate()
            .map(|(day, count)| {
                let label = if day == 0 { "now".to_owned() } else { format!("+{day}") };
                Bar::default().label(Line::from(label)).value(*count as u64)
            })
            .collect();
        BarChart::default()
            .block(Block::bordered().title(" Due in the next days ").border_style(theme.border))
            .data(BarGroup::default().bars(&days))
            .bar_width(3)
            .bar_gap(1)
            .bar_style(theme.partly)
            .value_style(theme.bar_key)
            .label_style(theme.base)
            .style(theme.base)
            .render(forecast, buf);

        if app.confirming_reset {
            confirm_reset(area, buf, theme);
        }
    }
}

/// Below this many columns the charts are replaced by lines of text.
const NARROW_WIDTH: u16 = 60;

/// The progress screen for a small window: every figure, as lines of text, the section list
/// first; the quiz scores and the reviews due follow when rows are left.
fn narrow(stats: &Stats, area: Rect, buf: &mut Buffer, theme: &Theme, ascii: bool) {
    let mut lines = vec![Line::styled(
        format!(
            "{}/{} answered · {} due today",
            stats.questions_seen, stats.questions_total, stats.due_today
        ),
        theme.base,
    )];
    lines.push(Line::styled("Mastery by section", theme.title));
    let name_width = stats.sections.iter().map(|s| s.title.chars().count()).max().unwrap_or(0);
    let width = usize::from(area.width);
    for s in &stats.sections {
        let (full, empty) = super::text_bar(f64::from(s.mastery_percent) / 100.0, 3, ascii);
        let mut spans = vec![
            Span::styled(format!("{:name_width$} ", s.title), theme.base),
            Span::styled(full, theme.right),
            Span::styled(empty, theme.muted),
            Span::styled(format!(" {:>3}%", s.mastery_percent), theme.base),
            Span::styled(if s.read { " ✓" } else { "  " }, theme.read_mark),
        ];
        // The best quiz score when it fits on the line.
        if let Some((points, questions)) = s.best_quiz {
            let best = format!(" quiz {}/{questions}", crate::quiz::format_points(points));
            if name_width + 12 + best.chars().count() <= width {
                spans.push(Span::styled(best, theme.muted));
            }
        }
        lines.push(Line::from(spans));
    }
    let latest = stats
        .history
        .last()
        .map_or_else(|| "none yet".to_owned(), |q| format!("latest {}%", q.percent));
    lines.push(Line::styled(
        format!("Quiz scores: {latest} ({} in all)", stats.history.len()),
        theme.base,
    ));
    let due: Vec<String> = stats
        .forecast
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .take(4)
        .map(|(day, n)| if day == 0 { format!("{n} now") } else { format!("{n} in {day}d") })
        .collect();
    let due = if due.is_empty() { "nothing".to_owned() } else { due.join(", ") };
    lines.push(Line::styled(format!("Due soon: {due}"), theme.base));
    Paragraph::new(lines).style(theme.base).render(area, buf);
}

/// The reset question, over the progress screen.
fn confirm_reset(area: Rect, buf: &mut Buffer, theme: &Theme) {
    let popup = super::areas::centered(area, 52, 5);
    Clear.render(popup, buf);
    Paragraph::new(vec![
        Line::from("Reset your record? What you read and answered starts afresh;"),
        Line::from("the old record is kept aside as a file, not deleted."),
        Line::from(vec![
            Span::styled("y", theme.bar_key),
            Span::raw(" reset   "),
            Span::styled("n", theme.bar_key),
            Span::raw(" keep it"),
        ]),
    ])
    .wrap(Wrap { trim: true })
    .block(Block::bordered().title(" Reset ").border_style(theme.disclaimer))
    .style(theme.base)
    .render(popup, buf);
}
