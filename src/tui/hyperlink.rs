//! Sources' web addresses as terminal hyperlinks (OSC 8), in terminals known to show them.
//!
//! The address is always on screen as text (`Source: NAME <https://…>`, laid out by
//! `page.rs`), so every terminal shows it. After a frame is drawn, this pass finds those
//! addresses in the buffer and makes each of their cells a link of its own: the cell's symbol
//! becomes `ESC ] 8 ; ; URL ESC \`, the glyph, `ESC ] 8 ; ; ESC \`, and its width is forced to
//! the glyph's, so ratatui's diff still counts one column and writes the cell whole. A link is
//! never left open across cells, so a partial redraw cannot leak it into other text. Only
//! addresses the loader checked (`http`/`https`, no control characters, no spaces) are linked,
//! and only where the buffer shows exactly their text.

use std::num::NonZeroU16;

use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

use crate::course::{BlockBody, Course};

/// Whether the terminal is one known to show OSC 8 links (others may print the sequence, or
/// drop it inside a multiplexer). `STEMCELL_HYPERLINKS=1` or `0` decides outright.
///
/// `known` is the `supports-hyperlinks` crate's answer (its list of terminals, kept up to date
/// by its maintainers, and `FORCE_HYPERLINK`, which other tools read too). Around it, what the
/// crate does not do: our own switch first; no links inside tmux or screen, which pass OSC 8
/// on only when configured to, while the outer terminal's variables (`VTE_VERSION`,
/// `TERM_PROGRAM`) are still set there and the crate would say yes; and the terminals its
/// list lacks. `var` reads the environment (a map in tests).
pub fn supported(var: impl Fn(&str) -> Option<String>, known: impl FnOnce() -> bool) -> bool {
    if let Some(choice) = var("STEMCELL_HYPERLINKS") {
        return choice == "1";
    }
    // Forced either way by the variable the crate reads: its word, even in a multiplexer.
    if var("FORCE_HYPERLINK").is_some() {
        return known();
    }
    if var("TMUX").is_some() || var("STY").is_some() {
        return false;
    }
    known() || known_here(&var)
}

/// Terminals that show OSC 8 links and that `supports-hyperlinks` 3.2 does not recognise:
/// kitty over ssh or with another `TERM` (`KITTY_WINDOW_ID`), foot, Ghostty and `WezTerm` by
/// their `TERM`, and Tabby.
fn known_here(var: &impl Fn(&str) -> Option<String>) -> bool {
    let term = var("TERM").unwrap_or_default();
    var("KITTY_WINDOW_ID").is_some()
        || var("TERM_PROGRAM").is_some_and(|p| p == "Tabby")
        || matches!(term.as_str(), "foot" | "foot-extra" | "xterm-ghostty" | "wezterm")
}

/// Every web address of the course's notes, checked at load.
pub fn addresses(course: &Course) -> Vec<String> {
    let mut out: Vec<String> = course
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .filter_map(|b| match &b.body {
            BlockBody::Callout { url, .. } | BlockBody::Context { url, .. } => url.clone(),
            _ => None,
        })
        .filter(|u| safe(u))
        .collect();
    out.sort();
    out.dedup();
    // Longest first, so an address that begins another is not linked inside it.
    out.sort_by_key(|u| std::cmp::Reverse(u.len()));
    out
}

/// Nothing that could end the escape sequence early or change the terminal: the loader
/// checks this, and it is checked again here, where it matters.
fn safe(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// One row of the buffer: its text, and for each character of the text the cell it is in.
fn row(buf: &Buffer, area: Rect, y: u16) -> (String, Vec<u16>) {
    let mut text = String::new();
    let mut cells = Vec::new();
    let mut x = area.x;
    while x < area.right() {
        let symbol = buf[(x, y)].symbol();
        for c in symbol.chars() {
            text.push(c);
            cells.push(x);
        }
        x += u16::try_from(symbol.width().max(1)).unwrap_or(1);
    }
    (text, cells)
}

/// Makes the cells `cells` (by character index `from..to`) a link to `url`.
fn link(buf: &mut Buffer, y: u16, cells: &[u16], from: usize, to: usize, url: &str) {
    let mut last = None;
    for &x in &cells[from..to] {
        if last == Some(x) {
            continue;
        }
        last = Some(x);
        let cell = &mut buf[(x, y)];
        let glyph = cell.symbol().to_owned();
        let width = NonZeroU16::new(u16::try_from(glyph.width().max(1)).unwrap_or(1))
            .unwrap_or(NonZeroU16::MIN);
        cell.set_symbol(&format!("\x1b]8;;{url}\x1b\\{glyph}\x1b]8;;\x1b\\"));
        cell.set_diff_option(CellDiffOption::ForcedWidth(width));
    }
}

/// Links every place in `area` that shows one of `urls`, also where an address is wrapped
/// onto the next rows: the end of one row holds its start and the next row its rest.
pub fn linkify(buf: &mut Buffer, area: Rect, urls: &[String]) {
    if urls.is_empty() {
        return;
    }
    let rows: Vec<(String, Vec<u16>)> =
        (area.y..area.bottom()).map(|y| row(buf, area, y)).collect();
    // Character ranges already linked, per row, so a shorter address inside a longer one is
    // left alone.
    let mut taken: Vec<Vec<(usize, usize)>> = vec![Vec::new(); rows.len()];
    for url in urls {
        for (r, (text, _)) in rows.iter().enumerate() {
            for (start, _) in text.match_indices(url.as_str()) {
                let from = text[..start].chars().count();
                let to = from + url.chars().count();
                if taken[r].iter().all(|&(a, b)| to <= a || from >= b) {
                    taken[r].push((from, to));
                }
            }
            // A wrapped address: the row ends with its start (the scheme at least).
            // The address is the last word before whatever the frame draws beside the text (a
            // box's edge, the scrollbar).
            let Some(start) = text.rfind("http") else { continue };
            let head = text[start..].split(char::is_whitespace).next().unwrap_or_default();
            if head.len() >= 8 && head.len() < url.len() && url.starts_with(head) {
                let mut pieces = vec![(r, start, head.len())];
                let mut rest = &url[head.len()..];
                let mut next = r + 1;
                while !rest.is_empty() && next < rows.len() {
                    let line = &rows[next].0;
                    let body = line
                        .trim_start_matches(|c: char| !c.is_alphanumeric() && c != '%' && c != '/');
                    let offset = line.len() - body.len();
                    let body = body.trim_end();
                    let n = common_prefix(body, rest);
                    if n == 0 {
                        break;
                    }
                    pieces.push((next, offset, n));
                    rest = &rest[n..];
                    next += 1;
                }
                if rest.is_empty() {
                    for (row_index, byte, len) in pieces {
                        let text = &rows[row_index].0;
                        let from = text[..byte].chars().count();
                        let to = from + text[byte..byte + len].chars().count();
                        taken[row_index].push((from, to));
                        let y = area.y + u16::try_from(row_index).unwrap_or(0);
                        link(buf, y, &rows[row_index].1, from, to, url);
                    }
                }
            }
        }
    }
    for (r, ranges) in taken.iter().enumerate() {
        let y = area.y + u16::try_from(r).unwrap_or(0);
        for &(from, to) in ranges {
            // Wrapped pieces were linked above; a cell linked twice would nest the sequence.
            if buf[(rows[r].1[from], y)].symbol().starts_with('\x1b') {
                continue;
            }
            let url = urls
                .iter()
                .find(|u| rows[r].0.chars().skip(from).take(to - from).eq(u.chars()))
                .cloned();
            if let Some(url) = url {
                link(buf, y, &rows[r].1, from, to, &url);
            }
        }
    }
}

/// How many bytes `a` and `b` share at their start (on a character boundary).
fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .take_while(|((_, x), y)| x == y)
        .last()
        .map_or(0, |((i, c), _)| i + c.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::buffer::Buffer;

    const URL: &str = "https://www.cancer.gov/about-cancer/treatment";

    fn urls() -> Vec<String> {
        vec![URL.to_owned()]
    }

    /// The text a terminal that ignores OSC 8 would show, and the link each cell carries.
    fn shown(buf: &Buffer) -> (Vec<String>, Vec<Vec<Option<String>>>) {
        let mut text = Vec::new();
        let mut targets = Vec::new();
        for y in 0..buf.area.height {
            let mut line = String::new();
            let mut row_targets = Vec::new();
            for x in 0..buf.area.width {
                let symbol = buf[(x, y)].symbol();
                if let Some(rest) = symbol.strip_prefix("\x1b]8;;") {
                    let (url, rest) = rest.split_once("\x1b\\").unwrap();
                    let glyph = rest.strip_suffix("\x1b]8;;\x1b\\").expect("closed in its cell");
                    line.push_str(glyph);
                    row_targets.push(Some(url.to_owned()));
                } else {
                    line.push_str(symbol);
                    row_targets.push(None);
                }
            }
            text.push(line);
            targets.push(row_targets);
        }
        (text, targets)
    }

    #[test]
    fn an_address_on_one_row_is_linked_cell_by_cell_and_reads_the_same() {
        let text = format!("│ Source: NCI <{URL}> │");
        let mut buf = Buffer::with_lines([text.as_str(), "│ other text │"]);
        let before = buf.clone();
        let area = buf.area;
        linkify(&mut buf, area, &urls());
        let (text_after, links) = shown(&buf);
        assert_eq!(text_after, shown(&before).0, "the text on screen is unchanged");
        let start = text.chars().position(|c| c == 'h').unwrap();
        let linked: Vec<usize> =
            links[0].iter().enumerate().filter(|(_, l)| l.is_some()).map(|(i, _)| i).collect();
        assert_eq!(linked, (start..start + URL.len()).collect::<Vec<_>>());
        assert!(links[0].iter().flatten().all(|u| u == URL));
        assert!(links[1].iter().all(Option::is_none));
        // Each linked cell still counts one column for the diff.
        let one = CellDiffOption::ForcedWidth(NonZeroU16::MIN);
        for x in start..start + URL.len() {
            assert_eq!(buf[(u16::try_from(x).unwrap(), 0)].diff_option, one);
        }
    }

    #[test]
    fn a_wrapped_address_is_linked_on_both_rows_to_the_whole_address() {
        let (head, tail) = URL.split_at(30);
        // As the reader draws it: a bar on the left, the scrollbar on the right.
        let mut buf = Buffer::with_lines([
            format!("  ▌ Source: NCI <{head}    █"),
            format!("  ▌ {tail}>{}█", " ".repeat(head.len() - tail.len() + 15)),
        ]);
        let area = buf.area;
        linkify(&mut buf, area, &urls());
        let (_, links) = shown(&buf);
        assert_eq!(links[0].iter().flatten().count(), head.len());
        assert_eq!(links[1].iter().flatten().count(), tail.len());
        assert!(links.iter().flatten().flatten().all(|u| u == URL));
    }

    #[test]
    fn text_that_is_not_a_known_address_is_left_alone() {
        let mut buf = Buffer::with_lines(["see https://example.org/x and https://www.cancer.gov/"]);
        let before = buf.clone();
        let area = buf.area;
        linkify(&mut buf, area, &urls());
        assert_eq!(buf, before);
    }

    #[test]
    fn only_terminals_known_to_show_links_get_them() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v).to_owned())
        };
        let (yes, no) = (|| true, || false);
        // The crate's list decides, and ours adds the terminals it lacks.
        assert!(supported(env(&[("TERM_PROGRAM", "WezTerm")]), yes));
        assert!(!supported(env(&[("TERM", "xterm-256color")]), no));
        assert!(supported(env(&[("TERM", "foot")]), no));
        assert!(supported(env(&[("KITTY_WINDOW_ID", "1"), ("TERM", "xterm-256color")]), no));
        assert!(supported(env(&[("TERM", "xterm-ghostty")]), no));
        // A multiplexer: no links, whatever the outer terminal left in the environment.
        assert!(!supported(env(&[("VTE_VERSION", "7200"), ("TMUX", "/tmp/t,1,0")]), yes));
        assert!(!supported(env(&[("TERM", "foot"), ("STY", "1.pts-0")]), yes));
        // FORCE_HYPERLINK is the crate's to read, even in a multiplexer.
        assert!(supported(env(&[("FORCE_HYPERLINK", "1"), ("TMUX", "/tmp/t,1,0")]), yes));
        assert!(!supported(env(&[("FORCE_HYPERLINK", "0"), ("TERM", "foot")]), no));
        // Our own switch before anything.
        assert!(supported(env(&[("TERM", "linux"), ("STEMCELL_HYPERLINKS", "1")]), no));
        assert!(!supported(env(&[("TERM_PROGRAM", "WezTerm"), ("STEMCELL_HYPERLINKS", "0")]), yes));
        assert!(!supported(env(&[("FORCE_HYPERLINK", "1"), ("STEMCELL_HYPERLINKS", "0")]), yes));
    }
}
