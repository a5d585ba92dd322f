//! The progress screen: what the scheduler (FSRS) knows, with the same figures as `stemcell
//! stats`. Per section the estimated recall now and the questions due today and in the next
//! 7 days; the reviews due per day for two weeks as a small chart; the questions least stable
//! first, with their stability in days. Every bar has its number beside it, so nothing rests
//! on colour or bar length alone.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Clear, Paragraph, Widget, Wrap};

use super::footer;
use super::theme::Theme;
use crate::app::{App, keymap};
use crate::stats::{Stats, WEEK};

pub struct StatsView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for StatsView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let theme = self.theme;
        let learner = &app.learner;
        let stats = Stats::of(&app.course, &learner.record, "", learner.today, learner.retention);
        let [header, body, footer_area] = super::areas::header_body_footer(area);
        buf.set_style(header, theme.bar);
        buf.set_stringn(header.x, header.y, " Your progress", header.width as usize, theme.bar_key);
        footer::render(&keymap::bindings(app.key_mode()), footer_area, buf, theme);

        let body = body.inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 });
        let sections = stats.sections.len() as u16;
        let ascii = app.settings.glyphs == crate::page::Glyphs::ASCII;
        // Boxes and charts need room: a small window gets the same figures as lines of text.
        if body.width < NARROW_WIDTH || body.height < sections + 12 {
            narrow(&stats, body, buf, theme, ascii);
            if app.confirming_reset {
                confirm_reset(area, buf, theme);
            }
            return;
        }
        let [summary, by_section, lower] = super::areas::rows(body, [2, sections + 3, body.height]);
        Paragraph::new(summary_text(&stats))
            .style(theme.base)
            .wrap(Wrap { trim: true })
            .render(summary, buf);
        section_table(&stats, by_section, buf, theme, ascii);
        let [forecast, questions] = super::areas::left_columns(lower, FORECAST_WIDTH);
        forecast_chart(&stats, forecast, buf, theme);
        question_list(&stats, questions, buf, theme);

        if app.confirming_reset {
            confirm_reset(area, buf, theme);
        }
    }
}

/// Below this many columns the charts are replaced by lines of text.
const NARROW_WIDTH: u16 = 60;
/// The forecast chart: 14 bars of two columns, and its border.
const FORECAST_WIDTH: u16 = 2 * crate::stats::FORECAST_DAYS as u16 + 4;

fn summary_text(stats: &Stats) -> String {
    let latest = stats
        .history
        .last()
        .map_or_else(|| "no quiz yet".to_owned(), |q| format!("latest quiz {}%", q.percent));
    format!(
        "{} of {} questions answered · {} due today, {} in the next {WEEK} days · {latest} · \
         recall aimed at: {:.0}%",
        stats.questions_seen,
        stats.questions_total,
        stats.due_today,
        stats.due_week,
        stats.retention * 100.0
    )
}

/// Per section: estimated recall now (a bar and its number), due today, due in the next 7
/// days, whether it was read, the best quiz.
fn section_table(stats: &Stats, area: Rect, buf: &mut Buffer, theme: &Theme, ascii: bool) {
    let block = Block::bordered().title(" By section ").border_style(theme.border);
    let inner = block.inner(area);
    block.render(area, buf);
    let name_width = stats.sections.iter().map(|s| s.title.chars().count()).max().unwrap_or(0);
    let bar_width = (inner.width as usize).saturating_sub(name_width + 44).clamp(3, 20);
    let heading = format!(
        "{:name_width$} {:bar_width$} {:>4}  {:>5}  {:>6}",
        "",
        "recall now",
        "",
        "today",
        format!("{WEEK} days"),
    );
    buf.set_line(inner.x, inner.y, &Line::styled(heading, theme.muted), inner.width);
    for (row, s) in stats.sections.iter().enumerate().take(inner.height as usize - 1) {
        let share = f64::from(s.recall_percent.unwrap_or(0)) / 100.0;
        let (full, empty) = super::text_bar(share, bar_width, ascii);
        let recall = s.recall_percent.map_or_else(|| "   -".to_owned(), |p| format!("{p:>3}%"));
        let best = s.best_quiz.map_or_else(String::new, |(p, q)| {
            format!("  quiz {}/{q}", crate::quiz::format_points(p))
        });
        let line = Line::from(vec![
            Span::styled(format!("{:name_width$} ", s.title), theme.base),
            Span::styled(full, theme.right),
            Span::styled(empty, theme.muted),
            Span::styled(format!(" {recall}"), theme.base),
            Span::styled(format!("  {:>5}  {:>6}", s.due_today, s.due_week), theme.base),
            Span::styled(if s.read { "  ✓ read" } else { "        " }, theme.read_mark),
            Span::styled(best, theme.muted),
        ]);
        buf.set_line(inner.x, inner.y + 1 + row as u16, &line, inner.width);
    }
}

/// Reviews due per day for two weeks: a bar per day labelled with its day of the month, its
/// count on it.
fn forecast_chart(stats: &Stats, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let today: crate::learner::Day = stats.today.parse().unwrap_or(crate::learner::Day(0));
    let days: Vec<Bar> = stats
        .forecast
        .iter()
        .enumerate()
        .map(|(offset, count)| {
            // Every other day is labelled with its day of the month: labels side by side
            // would run together.
            let (_, _, day) = today.plus(i64::try_from(offset).unwrap_or(0)).civil();
            let label = if offset % 2 == 0 { format!("{day:02}") } else { String::new() };
            Bar::default().label(Line::from(label)).value(*count as u64)
        })
        .collect();
    BarChart::default()
        .block(Block::bordered().title(" Due per day from today ").border_style(theme.border))
        .data(BarGroup::default().bars(&days))
        .bar_width(2)
        .bar_gap(0)
        .bar_style(theme.partly)
        .value_style(theme.bar_key)
        .label_style(theme.base)
        .style(theme.base)
        .render(area, buf);
}

/// The questions answered, least stable first: stability in days (how long until recall
/// falls to 90 %) and the estimated recall now.
fn question_list(stats: &Stats, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let block =
        Block::bordered().title(" Least stable first · days to 90 % ").border_style(theme.border);
    let inner = block.inner(area);
    block.render(area, buf);
    let lines = weakest_lines(stats, inner.height as usize, inner.width as usize);
    let lines: Vec<Line> = if lines.is_empty() {
        vec![Line::styled("No question answered yet.", theme.muted)]
    } else {
        lines.into_iter().map(|l| Line::styled(l, theme.base)).collect()
    };
    Paragraph::new(lines).style(theme.base).render(inner, buf);
}

/// Up to `rows` lines `id  2.3 d  87%`, least stable first, cut to `width`.
fn weakest_lines(stats: &Stats, rows: usize, width: usize) -> Vec<String> {
    let mut questions: Vec<&crate::stats::QuestionStats> = stats.questions.iter().collect();
    questions.sort_by(|a, b| a.stability_days.total_cmp(&b.stability_days).then(a.id.cmp(&b.id)));
    let id_width = width.saturating_sub(16).max(4);
    questions
        .iter()
        .take(rows)
        .map(|q| {
            let id: String = q.id.chars().take(id_width).collect();
            format!("{id:id_width$} {:>6.1} d {:>3}%", q.stability_days, q.recall_percent)
        })
        .collect()
}

/// The progress screen for a small window: every figure, as lines of text, the section list
/// first; the forecast, the quiz scores and the least stable questions follow when rows are
/// left.
fn narrow(stats: &Stats, area: Rect, buf: &mut Buffer, theme: &Theme, ascii: bool) {
    let mut lines = vec![Line::styled(
        format!(
            "{}/{} answered · {} due today, {} in {WEEK}d",
            stats.questions_seen, stats.questions_total, stats.due_today, stats.due_week
        ),
        theme.base,
    )];
    lines.push(Line::styled("Recall now · due today/7d", theme.title));
    let name_width = stats.sections.iter().map(|s| s.title.chars().count()).max().unwrap_or(0);
    let width = usize::from(area.width);
    for s in &stats.sections {
        let share = f64::from(s.recall_percent.unwrap_or(0)) / 100.0;
        let (full, empty) = super::text_bar(share, 3, ascii);
        let recall = s.recall_percent.map_or_else(|| "   -".to_owned(), |p| format!("{p:>3}%"));
        let mut spans = vec![
            Span::styled(format!("{:name_width$} ", s.title), theme.base),
            Span::styled(full, theme.right),
            Span::styled(empty, theme.muted),
            Span::styled(format!(" {recall}"), theme.base),
            Span::styled(if s.read { " ✓" } else { "  " }, theme.read_mark),
        ];
        let due = format!(" {}/{}", s.due_today, s.due_week);
        if name_width + 11 + due.chars().count() <= width {
            spans.push(Span::styled(due, theme.base));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::styled(format!("Next 14 days: {}", stats.forecast_line(ascii)), theme.base));
    let latest = stats
        .history
        .last()
        .map_or_else(|| "none yet".to_owned(), |q| format!("latest {}%", q.percent));
    lines.push(Line::styled(
        format!("Quiz scores: {latest} ({} in all)", stats.history.len()),
        theme.base,
    ));
    let left = usize::from(area.height).saturating_sub(lines.len() + 1);
    let weakest = weakest_lines(stats, left, width);
    if !weakest.is_empty() {
        lines.push(Line::styled("Least stable (days to 90%)", theme.title));
        lines.extend(weakest.into_iter().map(|l| Line::styled(l, theme.base)));
    }
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
