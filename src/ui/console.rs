//! The teacher's console over present mode: how to join (the `ssh` line, the code, the host
//! key's fingerprint) and the class at a glance on a strip at the top; the roster, a new
//! name, or "end the class?" in a box over the presentation; the live count and, after the
//! reveal, how the class answered, under the class question.

use std::fmt::Write as _;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use super::theme::Theme;
use crate::app::{App, Console};
use crate::class::protocol::{ClassView, Leaderboard, LiveView};
use crate::course::QuestionKind;

/// Rows the strip takes at the top of the console.
pub fn strip_height(area: Rect) -> u16 {
    if area.height >= 20 { 2 } else { 1 }
}

/// The join line and the class at a glance.
pub fn strip(console: &Console, area: Rect, buf: &mut Buffer, theme: &Theme) {
    buf.set_style(area, theme.bar);
    let join = &console.join;
    let view = &console.view;
    let code =
        join.code.as_deref().map_or_else(|| "open class".to_owned(), |c| format!("code {c}"));
    let mut first = format!(" Join: {} · {code} ", join.lines.join("  or  "));
    if first.chars().count() > usize::from(area.width) {
        // Narrow: the first address, then the code; the fingerprint and the other addresses
        // are on the roster (r) and the QR page (j).
        let address = join.lines.first().map_or("", String::as_str);
        first = format!(" {address} · {code} ");
        if first.chars().count() > usize::from(area.width) {
            first = format!(" {address} · {} ", join.code.as_deref().unwrap_or("open"));
        }
    }
    buf.set_stringn(area.x, area.y, &first, area.width as usize, theme.bar_key);
    let online = view.roster.iter().filter(|s| s.connected).count();
    let joined = view.roster.iter().filter(|s| !s.kicked).count();
    let mut flags = String::from(if view.follow { " · follow on" } else { " · follow off" });
    if view.locked {
        flags.push_str(" · locked");
    }
    if view.ended {
        flags.push_str(" · ended");
    }
    // Someone waits at the door without their words: the teacher acts on the roster.
    let asking = view.roster.iter().filter(|s| s.asks_to_rejoin).count();
    if asking > 0 {
        let _ = write!(flags, " · {asking} asking to rejoin (r)");
    }
    // The full form, and a compact one for when a whole SHA256 fingerprint leaves no room.
    let full = if online == joined {
        format!(" {online} online{flags} ")
    } else {
        format!(" {online} online ({joined} joined){flags} ")
    };
    let compact = format!(" {online}/{joined} online{flags} ");
    // Refusals (an attack, a full room, a mistyped code) beside the count where they fit.
    let with_reasons =
        (!console.refusals.is_empty()).then(|| format!("{}· {} ", full, console.refusals));
    let with_count =
        (console.refused > 0).then(|| format!("{}· {} refused ", compact, console.refused));
    let key = format!(" host key {} ", join.fingerprint);
    if area.height >= 2 {
        buf.set_stringn(area.x, area.y + 1, &key, area.width as usize, theme.bar);
    }
    // Beside the fingerprint where it fits, else beside the join line.
    let mut rows = vec![];
    if area.height >= 2 {
        rows.push((area.y + 1, key.chars().count()));
    }
    rows.push((area.y, first.chars().count()));
    let candidates = [with_reasons.as_ref(), with_count.as_ref(), Some(&full), Some(&compact)];
    let place = candidates.into_iter().flatten().find_map(|state| {
        let width = state.chars().count();
        rows.iter()
            .find(|(_, used)| used + width < usize::from(area.width))
            .map(|&(y, _)| (y, state))
    });
    // Nothing fits beside the fingerprint: the state (online, follow, locked) matters more
    // during the class than the fingerprint's tail, which is cut (the roster shows it whole).
    let place = place.or_else(|| {
        let row = if area.height >= 2 { area.y + 1 } else { area.y };
        let used = if area.height >= 2 { 0 } else { first.chars().count() };
        (used + compact.chars().count() <= usize::from(area.width)).then_some((row, &compact))
    });
    if let Some((row, state)) = place {
        let width = state.chars().count() as u16;
        if width < area.width
            && row == area.y + 1
            && key.chars().count() + width as usize >= usize::from(area.width)
        {
            // The fingerprint is cut just before the state, with a mark that it goes on.
            let room = usize::from(area.width - width).saturating_sub(1);
            let cut: String = key.chars().take(room.saturating_sub(1)).collect();
            let blank = " ".repeat(usize::from(area.width));
            buf.set_stringn(area.x, row, &blank, usize::from(area.width), theme.bar);
            buf.set_stringn(area.x, row, format!("{cut}…"), room, theme.bar);
        }
        buf.set_stringn(area.right() - width, row, state, width.into(), theme.bar_key);
    }
    // Someone waiting at the door must be seen even where the state did not fit (a small
    // window): over the end of the join line, until the teacher answers.
    if asking > 0 && place.is_none_or(|(_, state)| !state.contains("asking to rejoin")) {
        let mark = format!(" {asking} asking to rejoin (r) ");
        let width = u16::try_from(mark.chars().count()).unwrap_or(u16::MAX).min(area.width);
        buf.set_stringn(area.right() - width, area.y, &mark, width.into(), theme.bar_key);
    }
}

/// `text` in exactly `columns` terminal columns: padded with spaces, or cut with "…". Columns,
/// not characters: a name in wide letters (李小龍) takes two columns a letter, and must not push
/// the rest of its row out of line.
fn fit_columns(text: &str, columns: usize) -> String {
    let width = unicode_width::UnicodeWidthStr::width(text);
    if width <= columns {
        return format!("{text}{}", " ".repeat(columns - width));
    }
    let mut kept = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = crate::wrap::char_width(c);
        if used + w + 1 > columns {
            break;
        }
        kept.push(c);
        used += w;
    }
    if columns > 0 {
        kept.push('…');
        used += 1;
    }
    kept + &" ".repeat(columns.saturating_sub(used))
}

/// One student's row on the roster, before it is laid out.
struct RosterRow<'a> {
    selected: bool,
    name: String,
    /// Where they are: a section, their own quiz, left, removed.
    place: String,
    student: &'a crate::class::protocol::RosterEntry,
}

/// How much of a roster row fits the box: every column in words on a wide projector, short
/// labels at 80 columns, and at 40 columns the name, place, read and points (the counts and
/// "following" give way), so no row is cut at the right edge.
#[derive(Debug, Clone, Copy, PartialEq)]
enum RosterForm {
    Full,
    Short,
    Narrow,
}

struct RosterColumns {
    form: RosterForm,
    name: usize,
    place: usize,
}

impl RosterColumns {
    /// The widest form that fits `inner` columns, with the name and place columns as wide as
    /// the widest name and place (up to a limit), narrowed last.
    fn fitting(rows: &[RosterRow], inner: usize) -> Self {
        let widest = |texts: &mut dyn Iterator<Item = &str>, cap: usize| {
            texts.map(unicode_width::UnicodeWidthStr::width).max().unwrap_or(0).min(cap)
        };
        let name = widest(&mut rows.iter().map(|r| r.name.as_str()), 20).max(4);
        let place = widest(&mut rows.iter().map(|r| r.place.as_str()), 19);
        for form in [RosterForm::Full, RosterForm::Short] {
            let columns = Self { form, name, place };
            if columns.fixed() + name + place <= inner {
                return columns;
            }
        }
        // Narrow: the name keeps up to 12 columns, the place what is left (none below 3).
        let room =
            inner.saturating_sub(Self { form: RosterForm::Narrow, name: 0, place: 0 }.fixed());
        let name = name.min(12).min(room);
        let left = room.saturating_sub(name + 1);
        let place = if left >= 3 { place.min(left) } else { 0 };
        Self { form: RosterForm::Narrow, name, place }
    }

    /// The columns a row takes besides its name and place.
    fn fixed(&self) -> usize {
        match self.form {
            // "▸ " name " " place " read 100 %  12 answers   2.5 pts following ✓ answered"
            RosterForm::Full => 2 + 1 + 13 + 11 + 10 + 10 + 10,
            // "▸ " name " " place " 100%  12 ans   2.5 pts follow ✓"
            RosterForm::Short => 2 + 1 + 5 + 9 + 10 + 7 + 1,
            // "▸ " name " " place " 100%   2.5 ✓"
            RosterForm::Narrow => 2 + 1 + 5 + 6 + 2,
        }
    }

    fn row(&self, row: &RosterRow) -> String {
        let student = row.student;
        let marker = if row.selected { "▸ " } else { "  " };
        let name = fit_columns(&row.name, self.name);
        let read = student.status.read_percent;
        let points = crate::quiz::format_points(student.points);
        let following = student.status.following;
        match self.form {
            RosterForm::Full => format!(
                "{marker}{name} {} read {read:>3} %  {:>2} answers {points:>5} pts {:<9} {}",
                fit_columns(&row.place, self.place),
                student.answered,
                if following { "following" } else { "" },
                if student.answered_live { "✓ answered" } else { "" },
            ),
            RosterForm::Short => format!(
                "{marker}{name} {} {read:>3}% {:>3} ans {points:>5} pts {:<6} {}",
                fit_columns(&row.place, self.place),
                student.answered,
                if following { "follow" } else { "" },
                if student.answered_live { "✓" } else { "" },
            ),
            RosterForm::Narrow => {
                let place = if self.place > 0 {
                    format!(" {}", fit_columns(&row.place, self.place))
                } else {
                    String::new()
                };
                format!(
                    "{marker}{name}{place} {read:>3}% {points:>5} {}",
                    if student.answered_live { "✓" } else { "" },
                )
            }
        }
    }
}

/// Lines under a live class question: the count while it is open, the class's answers after.
pub fn live_lines(view: &ClassView, section: usize, question: usize) -> Vec<Line<'static>> {
    let Some(live) = view.live.as_ref().filter(|l| (l.section, l.question) == (section, question))
    else {
        return vec![Line::from("Waiting for the class…")];
    };
    let mut lines = vec![Line::from(answered_line(live))];
    if let Some(tally) = &live.tally {
        lines.push(Line::from(format!(
            "Right {} · partly {} · wrong {} · no answer {}",
            tally.right, tally.partly, tally.wrong, tally.missing
        )));
    }
    lines
}

fn answered_line(live: &LiveView) -> String {
    let mut text = format!("{} of {} answered", live.answered, live.expected);
    match live.seconds_left {
        Some(s) if !live.closed => {
            let _ = write!(text, " · {s} s left");
        }
        _ if live.closed && !live.revealed => text.push_str(" · closed"),
        _ => {}
    }
    if !live.revealed {
        text.push_str(" · Enter reveals");
    }
    text
}

/// The ranking after a class quiz, when the teacher turned it on.
pub fn leaderboard_lines(view: &ClassView, theme: &Theme) -> Vec<Line<'static>> {
    let Some(summary) = &view.summary else { return Vec::new() };
    if summary.students.is_empty() {
        return Vec::new();
    }
    let mut lines = Vec::new();
    let count = summary.students.len();
    let mean = crate::quiz::share(summary.students.iter().map(|s| s.points).sum(), count);
    lines.push(Line::styled(
        format!(
            "{}, {} each on average",
            crate::content::error::plural(count, "student"),
            crate::quiz::points_label(mean)
        ),
        theme.muted,
    ));
    if summary.leaderboard == Leaderboard::Off {
        return lines;
    }
    let anonymous = summary.leaderboard == Leaderboard::Anonymous;
    for (rank, student) in summary.students.iter().take(5).enumerate() {
        let name = if anonymous { format!("Student {}", rank + 1) } else { student.name.clone() };
        lines.push(Line::from(vec![
            Span::styled(format!("{:>2}. ", rank + 1), theme.muted),
            Span::styled(name, theme.base),
            Span::styled(
                format!("  {}, {} speed", crate::quiz::points_label(student.points), student.speed),
                theme.muted,
            ),
        ]));
    }
    lines
}

/// The roster, a new name being typed, or "end the class?", over the presentation.
pub fn overlay(app: &App, console: &Console, area: Rect, buf: &mut Buffer, theme: &Theme) {
    if console.confirm_end {
        let lines = vec![
            Line::styled("End the class?", theme.title),
            Line::from("Every student is told, their answers are saved, and their sessions close."),
            Line::styled("y ends it · n goes on", theme.muted),
        ];
        boxed(" End the class ", lines, area, buf, theme, 3);
        return;
    }
    if let Some(student) = console.confirm_kick.and_then(|id| console.student(id)) {
        confirm_kick(student, area, buf, theme);
        return;
    }
    if let Some(row) = console.picker {
        picker(app, row, area, buf, theme);
        return;
    }
    if console.qr_open {
        super::qr::join_page(&console.join, area, buf, theme);
        return;
    }
    if !console.roster_open && console.renaming.is_none() {
        return;
    }
    let view = &console.view;
    let mut lines: Vec<Line> = Vec::new();
    for (i, line) in console.join.lines.iter().enumerate() {
        // Which network each address is on, so the teacher can tell the Wi-Fi from a VPN.
        let mut spans = vec![Span::styled(line.clone(), theme.base)];
        if let Some(interface) = console.join.interfaces.get(i).filter(|name| !name.is_empty()) {
            spans.push(Span::styled(format!("   on {interface}"), theme.muted));
        }
        lines.push(Line::from(spans));
    }
    let code = console.join.code.as_deref().unwrap_or("none (open class)");
    lines.push(Line::styled(
        format!("Code: {code} · host key {}", console.join.fingerprint),
        theme.muted,
    ));
    lines.push(Line::default());
    if view.roster.is_empty() {
        lines.push(Line::styled("No students yet.", theme.muted));
    }
    let sections = &app.course.sections;
    let mut rows: Vec<RosterRow> = Vec::with_capacity(view.roster.len());
    for (row, student) in view.roster.iter().enumerate() {
        let selected = row == console.selected;
        let name = match (&console.renaming, selected) {
            (Some(typed), true) => format!("{typed}▏"),
            _ => student.name.clone(),
        };
        let place = if student.kicked {
            "removed (K: let in)".to_owned()
        } else if student.asks_to_rejoin {
            "rejoin? A yes, N no".to_owned()
        } else if !student.connected {
            "left".to_owned()
        } else if student.status.in_own_quiz {
            "own quiz".to_owned()
        } else {
            sections.get(student.status.section).map_or_else(String::new, |s| s.short_title.clone())
        };
        rows.push(RosterRow { selected, name, place, student });
    }
    let inner = usize::from(box_width(area)).saturating_sub(2);
    let columns = RosterColumns::fitting(&rows, inner);
    for row in &rows {
        let (selected, student) = (row.selected, row.student);
        let text = columns.row(row);
        let style = if selected {
            theme.selected
        } else if student.asks_to_rejoin || (student.connected && !student.kicked) {
            theme.base
        } else {
            theme.muted
        };
        lines.push(Line::styled(text, style));
    }
    let title = if console.renaming.is_some() {
        " New name: Enter keeps it, Esc cancels ".to_owned()
    } else {
        format!(
            " Class: {} · ↓↑ select · K kick · R rename · Esc close ",
            crate::content::error::plural(
                view.roster.iter().filter(|s| !s.kicked).count(),
                "student"
            )
        )
    };
    let rows = lines.len() as u16;
    // Keep the highlighted student in view in a long roster.
    let visible = area.height.saturating_sub(4);
    let skip = usize::from(console.selected as u16 + 5).saturating_sub(usize::from(visible));
    // The join lines, the code and a blank line stay; only students scroll.
    let header = (console.join.lines.len() + 2).min(lines.len());
    let mut shown: Vec<Line> = lines[..header].to_vec();
    shown.extend(lines.into_iter().skip(header + skip));
    boxed(&title, shown, area, buf, theme, rows);
}

/// "Remove this student?", or on a removed student's row, "let them back in?".
fn confirm_kick(
    student: &crate::class::protocol::RosterEntry,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    let name = &student.name;
    let lines = if student.kicked {
        vec![
            Line::styled(format!("Let {name} back in?"), theme.title),
            Line::from(format!("{name} can join again with the same name and the class code.")),
            Line::styled("y lets them in · n keeps them out", theme.muted),
        ]
    } else {
        vec![
            Line::styled(format!("Remove {name} from the class?"), theme.title),
            Line::from("Their session closes and the name cannot join again,"),
            Line::from("until you press K on their row to let them back in."),
            Line::styled("y removes · n keeps them", theme.muted),
        ]
    };
    let rows = lines.len() as u16;
    boxed(" Remove a student ", lines, area, buf, theme, rows);
}

/// The list of the section's questions, to ask one (or all) of the class.
fn picker(app: &App, row: usize, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let Some(present) = app.present.as_ref() else { return };
    let section = &app.course.sections[present.section];
    let count = section.questions.len();
    let mut lines: Vec<Line> = section
        .questions
        .iter()
        .enumerate()
        .map(|(i, question)| {
            let marker = if i == row { "▸ " } else { "  " };
            let prompt = question.prompt.split_whitespace().collect::<Vec<_>>().join(" ");
            let style = if i == row { theme.selected } else { theme.base };
            Line::from(vec![
                Span::styled(format!("{marker}{:>2}. ", i + 1), style),
                Span::styled(format!("{:<12} ", kind_label(question.kind())), theme.muted),
                Span::styled(prompt, style),
            ])
        })
        .collect();
    if count == 0 {
        lines.push(Line::styled("This section has no questions.", theme.muted));
    } else {
        let style = if row == count { theme.selected } else { theme.base };
        let marker = if row == count { "▸ " } else { "  " };
        let all = if count == 1 {
            "The 1 question (as the quiz offer asks it)".to_owned()
        } else {
            format!("All {count} questions, one after the other")
        };
        lines.push(Line::styled(format!("{marker}{all}"), style));
    }
    let rows = lines.len() as u16;
    // Keep the highlighted row in view in a long list (the box has two borders).
    let visible = usize::from(area.height.saturating_sub(4)).max(1);
    let skip = (row + 1).saturating_sub(visible);
    let shown: Vec<Line> = lines.into_iter().skip(skip).collect();
    let title = format!(" Ask the class · {} · Enter asks · Esc closes ", section.short_title);
    boxed(&title, shown, area, buf, theme, rows);
}

/// A question's kind in a word or two, for the teacher choosing what to ask.
fn kind_label(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Single => "one answer",
        QuestionKind::Multiple => "several",
        QuestionKind::TrueFalse => "true/false",
        QuestionKind::Order => "order",
        QuestionKind::Match => "match",
        QuestionKind::Fill => "fill in",
    }
}

/// The summary's page of scores: each student by name, alphabetical, not ranked (with an
/// anonymous leaderboard, how many students got each score). Laid out in columns so a whole
/// class fits on the projector.
pub fn scores_page(app: &App, console: &Console, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let section = app
        .present
        .as_ref()
        .and_then(|p| p.class.as_ref())
        .map_or_else(String::new, |c| app.course.sections[c.section].short_title.clone());
    let mut head = vec![Line::styled(format!("Class quiz: {section} · scores"), theme.title)];
    let Some(scores) = console.scores() else {
        head.push(Line::styled("Waiting for the class…", theme.muted));
        Paragraph::new(head).render(area, buf);
        return;
    };
    let anonymous = scores.rows.iter().any(|r| r.name.is_none());
    head.push(Line::styled(
        if anonymous {
            format!("How many students got each score, of {} (names hidden)", scores.asked)
        } else {
            format!("By name, not ranked · points of {} (partial credit counts)", scores.asked)
        },
        theme.muted,
    ));
    head.push(Line::default());
    let foot = Line::styled("s shows the questions again · Enter goes on", theme.muted);
    let top = head.len() as u16;
    Paragraph::new(head).render(area, buf);
    if area.height <= top + 1 {
        return;
    }
    let list = Rect { y: area.y + top, height: area.height - top - 1, ..area };
    buf.set_line(area.x, area.bottom() - 1, &foot, area.width);
    if scores.rows.is_empty() {
        buf.set_line(
            list.x,
            list.y,
            &Line::styled("No students took part.", theme.muted),
            list.width,
        );
        return;
    }
    let cells: Vec<(String, String)> = scores
        .rows
        .iter()
        .map(|row| {
            let points = crate::quiz::format_points(row.points);
            match &row.name {
                Some(name) => (name.clone(), format!("{points} of {}", scores.asked)),
                None => (
                    format!("{points} of {}", scores.asked),
                    crate::content::error::plural(row.students, "student"),
                ),
            }
        })
        .collect();
    let widest =
        cells.iter().map(|(a, b)| a.chars().count() + b.chars().count()).max().unwrap_or(0);
    let cell = (widest + 4) as u16;
    let columns = (list.width / cell.max(1)).max(1);
    let capacity = usize::from(columns) * usize::from(list.height.max(1));
    // Down the first column before the next, as a class list on paper reads.
    let rows_per_column = cells.len().min(usize::from(list.height.max(1)));
    let shown = if cells.len() > capacity { capacity.saturating_sub(1) } else { cells.len() };
    let width = cell.min(list.width);
    for (i, (left, right)) in cells.iter().take(shown).enumerate() {
        let x = list.x + (i / rows_per_column) as u16 * cell;
        let y = list.y + (i % rows_per_column) as u16;
        let gap =
            usize::from(width).saturating_sub(left.chars().count() + right.chars().count() + 2);
        let line = Line::from(vec![
            Span::styled(left.clone(), theme.base),
            Span::raw(" ".repeat(gap.max(1))),
            Span::styled(right.clone(), theme.muted),
        ]);
        buf.set_line(x, y, &line, width.min(list.right().saturating_sub(x)));
    }
    if shown < cells.len() {
        let i = shown;
        let x = list.x + (i / rows_per_column) as u16 * cell;
        let y = list.y + (i % rows_per_column) as u16;
        let more = format!("… {} more: stemcell results", cells.len() - shown);
        buf.set_line(x, y, &Line::styled(more, theme.muted), list.right().saturating_sub(x));
    }
}

/// How wide a box over the presentation is, borders included.
fn box_width(area: Rect) -> u16 {
    area.width.saturating_sub(4).min(110)
}

fn boxed(title: &str, lines: Vec<Line>, area: Rect, buf: &mut Buffer, theme: &Theme, rows: u16) {
    let width = box_width(area);
    let height = (rows + 2).min(area.height.saturating_sub(2));
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    Clear.render(popup, buf);
    Paragraph::new(lines)
        .block(Block::bordered().title(title.to_owned()).border_style(theme.bar_key))
        .style(theme.base)
        .render(popup, buf);
}

#[cfg(test)]
mod tests {
    use ratatui::buffer::Buffer;
    use ratatui::layout::{Rect, Size};
    use ratatui::widgets::Widget;

    use crate::app::{App, JoinInfo, Msg, Settings};
    use crate::class::protocol::{
        ClassView, Leaderboard, QuestionSummary, RosterEntry, StudentId, StudentScore,
        StudentStatus, Summary, TeacherAction,
    };
    use crate::content::{self, load::PackSource};
    use crate::learner::{Day, Learner};
    use crate::page::Glyphs;
    use crate::ui::theme::ThemeName;

    fn screen(app: &App, width: u16, height: u16) -> String {
        let area = Rect::new(0, 0, width, height);
        let mut buf = Buffer::empty(area);
        crate::ui::AppView(app).render(area, &mut buf);
        (0..height)
            .map(|y| (0..width).map(|x| buf[(x, y)].symbol().to_owned()).collect::<String>() + "\n")
            .collect()
    }

    fn console(width: u16, height: u16) -> App {
        let course = content::load(&PackSource::BuiltIn).unwrap().course;
        let settings = Settings { theme: ThemeName::Dark, glyphs: Glyphs::UNICODE, seed: 4 };
        let learner = Learner::fresh(&course.id, Day(20_000));
        let join = JoinInfo {
            lines: vec!["ssh -p 2222 NAME@192.168.1.20".into()],
            interfaces: vec!["wlan0".into()],
            code: Some("4821".into()),
            fingerprint: "SHA256:y4mm+bk6R2/lqTg4HAS32SOXSsA4oGsrzYagiMJsxMQ".into(),
        };
        let mut app =
            App::new(course, settings, learner, Size::new(width, height)).with_console(None, join);
        let roster = ["Ana", "Ben"]
            .iter()
            .enumerate()
            .map(|(i, name)| RosterEntry {
                id: StudentId(i as u32),
                name: (*name).into(),
                connected: i == 0,
                kicked: false,
                asks_to_rejoin: false,
                status: StudentStatus { section: 2, read_percent: 50, ..StudentStatus::default() },
                answered_live: false,
                answered: 3,
                points: 2.5,
                speed: 0,
            })
            .collect();
        app.class_view(ClassView { roster, follow: true, ..ClassView::default() });
        app
    }

    #[test]
    fn j_fills_the_projector_with_the_class_pages_qr_code_and_esc_puts_it_back() {
        use crate::app::keymap::{self, Key};
        let mut app = console(80, 24);
        if let Some(console) = app.console.as_mut() {
            console.join.lines.push("http://192.168.1.20:8080".into());
        }
        let press = |app: &mut App, key: Key| {
            let msg = keymap::dispatch(app.key_mode(), key).expect("a bound key");
            app.update(msg);
        };
        press(&mut app, Key::Char('j'));
        let text = screen(&app, 80, 24);
        assert!(text.contains("Scan to join: http://192.168.1.20:8080 · code 4821"), "{text}");
        assert!(!text.contains("Ana"), "the QR code is alone on the screen:\n{text}");
        press(&mut app, Key::Esc);
        let text = screen(&app, 80, 24);
        assert!(!text.contains("Scan to join"), "{text}");
    }

    #[test]
    fn the_projector_shows_how_to_join_and_the_class_at_a_glance() {
        let app = console(100, 30);
        let text = screen(&app, 100, 30);
        assert!(text.contains("Join: ssh -p 2222 NAME@192.168.1.20 · code 4821"), "{text}");
        assert!(text.contains("host key SHA256:y4mm+bk6R2"), "{text}");
        assert!(text.contains("1 online (2 joined) · follow on"), "{text}");
        // At 80 columns a full fingerprint leaves no room beside it: the count goes up a row,
        // in its compact form.
        let text = screen(&console(80, 24), 80, 24);
        let first = text.lines().next().unwrap_or_default();
        assert!(first.contains("1/2 online · follow on"), "{text}");
        // A narrow window puts the address first, whole, then the code.
        let small = screen(&console(40, 12), 40, 12);
        assert!(small.starts_with(" ssh -p 2222 NAME@192.168.1.20 · 4821"), "{small}");
        // Refusals by reason, so the teacher sees an attack or a mistyped code at once; the
        // count alone where the reasons do not fit.
        let mut app = console(140, 30);
        assert!(app.class_refusals(7, "refused: 2 full · 5 wrong code".into()));
        let text = screen(&app, 140, 30);
        assert!(text.contains("follow on · refused: 2 full · 5 wrong code"), "{text}");
        let text = screen(&app, 100, 24);
        assert!(text.contains("1/2 online · follow on · 7 refused"), "{text}");
    }

    #[test]
    fn at_80_columns_locked_shows_its_state_and_the_roster_leaves_the_host_key_in_view() {
        let mut app = console(80, 24);
        app.update(Msg::ToggleLock);
        let text = screen(&app, 80, 24);
        let second = text.lines().nth(1).unwrap();
        assert!(second.contains("host key SHA256:"), "{text}");
        assert!(second.contains("follow on · locked"), "online, follow, locked stay: {text}");
        app.update(Msg::ToggleRoster);
        let text = screen(&app, 80, 24);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].contains("Join: ssh -p 2222"), "{text}");
        assert!(lines[1].contains("host key SHA256:"), "the roster box is below the strip: {text}");
    }

    #[test]
    fn at_40x12_the_join_address_comes_first_and_whole() {
        let app = console(40, 12);
        let text = screen(&app, 40, 12);
        let first = text.lines().next().unwrap();
        assert!(first.starts_with(" ssh -p 2222 NAME@192.168.1.20 "), "{text}");
        assert!(first.contains("4821"), "and the code: {text}");
    }

    #[test]
    fn the_footer_counts_the_class_quiz_within_what_was_asked() {
        let mut app = console(100, 30);
        app.update(Msg::PickQuestion);
        app.update(Msg::SelectNext);
        app.update(Msg::SelectNext);
        app.update(Msg::Submit);
        let text = screen(&app, 100, 30);
        assert!(text.contains("class quiz 1/1 "), "one question asked alone: {text}");
        app.update(Msg::Back);
        app.update(Msg::Back);
        let count = app.course.sections[0].questions.len();
        app.update(Msg::PickQuestion);
        app.update(Msg::SelectPrevious);
        app.update(Msg::Submit);
        app.update(Msg::Submit);
        app.update(Msg::Submit);
        let text = screen(&app, 100, 30);
        assert!(text.contains(&format!("class quiz 2/{count} ")), "the whole section: {text}");
    }

    #[test]
    fn a_kick_asks_by_name_and_the_kicked_row_says_how_to_let_them_back_in() {
        let mut app = console(110, 30);
        app.update(Msg::ToggleRoster);
        app.update(Msg::SelectNext);
        app.update(Msg::KickStudent);
        let text = screen(&app, 110, 30);
        assert!(text.contains("Remove Ben from the class?"), "{text}");
        app.update(Msg::KickStudent);
        let mut view = app.console.as_ref().unwrap().view.clone();
        view.roster[1].kicked = true;
        app.class_view(view);
        let text = screen(&app, 110, 30);
        assert!(text.contains("Class: 1 student "), "{text}");
        let ben = text.lines().find(|l| l.contains("Ben")).unwrap();
        assert!(ben.contains("▸ Ben") && ben.contains("removed (K: let in)"), "{ben}");
        app.update(Msg::KickStudent);
        assert!(screen(&app, 110, 30).contains("Let Ben back in?"));
    }

    #[test]
    fn a_student_asking_to_rejoin_shows_on_the_strip_and_their_row_says_which_keys_answer() {
        for (width, height) in [(80, 24), (40, 12)] {
            let mut app = console(width, height);
            let mut view = app.console.as_ref().unwrap().view.clone();
            view.roster[1].asks_to_rejoin = true;
            app.class_view(view);
            let text = screen(&app, width, height);
            assert!(text.contains("1 asking to rejoin (r)"), "{width}x{height}: {text}");
            app.update(Msg::ToggleRoster);
            app.update(Msg::SelectNext);
            let text = screen(&app, width, height);
            let ben = text.lines().find(|l| l.contains("Ben")).unwrap();
            if width == 80 {
                assert!(ben.contains("rejoin? A yes, N no"), "{ben}");
            }
            app.update(Msg::LetRejoin);
            let sent = app.take_teacher_actions();
            assert!(sent.contains(&TeacherAction::LetRejoin(StudentId(1))), "{width}: {sent:?}");
        }
        // On a row that does not ask, A does nothing.
        let mut app = console(80, 24);
        app.update(Msg::ToggleRoster);
        app.update(Msg::LetRejoin);
        let sent = app.take_teacher_actions();
        assert!(!sent.iter().any(|a| matches!(a, TeacherAction::LetRejoin(_))), "{sent:?}");
    }

    #[test]
    fn the_roster_lists_each_student_with_where_they_are() {
        let mut app = console(110, 30);
        app.update(Msg::ToggleRoster);
        let text = screen(&app, 110, 30);
        assert!(text.contains("Class: 2 students"), "{text}");
        let join = text.lines().find(|l| l.contains("│ssh -p 2222 NAME@192.168.1.20")).unwrap();
        assert!(join.contains("on wlan0"), "each address names its interface: {join}");
        let ana = text.lines().find(|l| l.contains("▸ Ana")).expect("Ana highlighted");
        let section = &app.course.sections[2].short_title;
        assert!(ana.contains(section.as_str()) && ana.contains("read  50 %"), "{ana}");
        assert!(ana.contains("2.5 pts"), "{ana}");
        let ben = text.lines().find(|l| l.contains("Ben")).unwrap();
        assert!(ben.contains("left"), "{ben}");
        // A name in wide letters keeps the columns in line: "read" starts in the same column.
        let mut view = app.console.as_ref().unwrap().view.clone();
        view.roster[1].name = "李小龍".into();
        app.class_view(view);
        let area = Rect::new(0, 0, 110, 30);
        let mut buf = Buffer::empty(area);
        crate::ui::AppView(&app).render(area, &mut buf);
        let column_of_read = |who: &str| {
            (0..30u16).find_map(|y| {
                let row: Vec<String> =
                    (0..110u16).map(|x| buf[(x, y)].symbol().to_owned()).collect();
                let line = row.concat();
                line.contains(who).then(|| {
                    (0..108).find(|&x| row[x] == "r" && row[x + 1] == "e" && row[x + 2] == "a")
                })?
            })
        };
        assert_eq!(column_of_read("Ana"), column_of_read("李"), "{text}");
    }

    #[test]
    fn every_roster_column_fits_the_box_at_110_80_and_40_columns() {
        for (width, height, shows_answers) in [(110, 30, true), (80, 24, true), (40, 12, false)] {
            let mut app = console(width, height);
            let mut view = app.console.as_ref().unwrap().view.clone();
            // The widest a row gets: a 20-letter name, the longest place, every flag on.
            view.roster[0].name = "Maximiliana Oyelaran".into();
            view.roster[0].answered = 12;
            view.roster[0].points = 11.75;
            view.roster[0].answered_live = true;
            view.roster[0].status.following = true;
            view.roster[0].status.read_percent = 100;
            view.roster[1].kicked = true;
            app.class_view(view);
            app.update(Msg::ToggleRoster);
            let text = screen(&app, width, height);
            let row = text.lines().find(|l| l.contains("▸ Maxim")).expect("the first row");
            // Nothing of the row runs under the box's right border: the row ends in its last
            // column (the ✓ for "answered") and then blank space up to the border.
            let inside = row.trim_end().trim_end_matches('│').trim_end();
            assert!(inside.ends_with('✓') || inside.ends_with("✓ answered"), "{width}: {row}");
            assert!(row.contains("11.75"), "points stay at {width} columns: {row}");
            assert_eq!(row.contains("12 ans"), shows_answers, "{width}: {row}");
            let ben = text.lines().find(|l| l.contains("Ben")).expect("Ben's row");
            if width >= 80 {
                assert!(ben.contains("removed (K: let in)"), "{width}: {ben}");
            }
        }
    }

    #[test]
    fn a_long_roster_scrolls_its_students_under_a_single_join_line() {
        let mut app = console(80, 16);
        let mut view = app.console.as_ref().unwrap().view.clone();
        let template = view.roster[0].clone();
        view.roster = (0..30u32)
            .map(|i| RosterEntry {
                id: StudentId(i),
                name: format!("Student {i:02}"),
                ..template.clone()
            })
            .collect();
        app.class_view(view);
        app.update(Msg::ToggleRoster);
        app.update(Msg::SelectPrevious);
        let text = screen(&app, 80, 16);
        assert!(text.contains("ssh -p 2222 NAME@192.168.1.20"), "{text}");
        assert!(text.contains("Code: 4821"), "{text}");
        assert!(text.contains("▸ Student 29"), "the last student is in view: {text}");
        assert!(!text.contains("Student 00"), "no student row is pinned above the rest: {text}");
    }

    #[test]
    fn the_question_list_shows_each_question_with_its_kind_at_80x24_and_40x12() {
        for (width, height) in [(80, 24), (40, 12)] {
            let mut app = console(width, height);
            app.update(Msg::PickQuestion);
            let count = app.course.sections[0].questions.len();
            // The last row, "all of them", highlighted: the list scrolls to keep it in view.
            app.update(Msg::SelectPrevious);
            let text = screen(&app, width, height);
            assert!(text.contains("Ask the class"), "{text}");
            assert!(text.contains(&format!("▸ All {count} questions")), "{text}");
            insta::assert_snapshot!(format!("question_list_{width}x{height}"), text);
        }
        let mut app = console(80, 24);
        app.update(Msg::PickQuestion);
        let text = screen(&app, 80, 24);
        let first = text.lines().find(|l| l.contains("▸  1.")).expect("the first highlighted");
        let kind = match app.course.sections[0].questions[0].kind() {
            crate::course::QuestionKind::TrueFalse => "true/false",
            crate::course::QuestionKind::Single => "one answer",
            _ => "",
        };
        assert!(first.contains(kind), "{first}");
    }

    #[test]
    fn the_summarys_scores_list_every_student_at_80x24_and_40x12() {
        let names = ["Zoe", "ana", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hal", "Ivy"];
        for (width, height) in [(80, 24), (40, 12)] {
            let mut app = console(width, height);
            app.update(Msg::PickQuestion);
            app.update(Msg::Submit);
            app.update(Msg::Submit);
            app.update(Msg::Submit);
            let students = names
                .iter()
                .enumerate()
                .map(|(i, name)| StudentScore {
                    id: StudentId(i as u32),
                    name: (*name).into(),
                    answered: 1,
                    points: [1.0, 0.5, 0.0][i % 3],
                    speed: 0,
                })
                .collect();
            let summary = Summary {
                questions: vec![QuestionSummary {
                    section: 0,
                    question: 0,
                    answers: 10,
                    share_right: Some(0.5),
                }],
                students,
                leaderboard: Leaderboard::Off,
            };
            app.class_view(ClassView { summary: Some(summary), ..ClassView::default() });
            app.update(Msg::ToggleScores);
            let text = screen(&app, width, height);
            if width == 80 {
                for (i, name) in names.iter().enumerate() {
                    let points = ["1", "0.5", "0"][i % 3];
                    let row = text
                        .lines()
                        .find(|line| line.trim_start().starts_with(&format!("{name} ")))
                        .unwrap_or_else(|| panic!("{name} listed:\n{text}"));
                    assert!(row.contains(&format!("{points} of 1")), "{row}");
                }
                let ana = text.find("ana").unwrap();
                assert!(
                    ana < text.find("Ben").unwrap()
                        && text.find("Ivy").unwrap() < text.find("Zoe").unwrap(),
                    "by name:\n{text}"
                );
            }
            insta::assert_snapshot!(format!("summary_scores_{width}x{height}"), text);
        }
    }
}
