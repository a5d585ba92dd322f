//! Words in a drawing: wrapping to a width, the indented list drawn when no box fits, the
//! legend, and the last-resort clip that keeps the promise of never exceeding the width.

use unicode_width::UnicodeWidthStr;

use super::canvas::{display_width, printable};
use super::glyphs::Glyphs;
use super::layout::ranks;
use super::{Diagram, DiagramRole, DrawnLine, DrawnPiece, LegendEntry, View};
use crate::wrap::{LongWords, is_break, lines};

/// Word-wraps `text` into lines of at most `width` columns. A word longer than a line is broken
/// between characters; a character wider than the whole line becomes `…`.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    wrap_widths(text, width, width)
}

/// Like [`wrap`], with every line after the first indented by `indent` columns (less when the
/// width is too small for it).
pub fn wrap_hanging(text: &str, width: usize, indent: usize) -> Vec<String> {
    let width = width.max(1);
    // A hanging indent on a narrow line costs more room than it helps reading.
    let indent = if width >= 8 * indent { indent } else { 0 };
    let mut lines = wrap_widths(text, width, width - indent);
    for line in lines.iter_mut().skip(1) {
        line.insert_str(0, &" ".repeat(indent));
    }
    lines
}

/// Wraps with the first line `first` columns wide and the others `rest` wide, by the shared
/// [`crate::wrap`]. Control characters show as `?` and a character wider than a line as `…`,
/// so what is drawn is what was measured.
fn wrap_widths(text: &str, first: usize, rest: usize) -> Vec<String> {
    let narrowest = first.min(rest).max(1);
    let shown: String = text
        .chars()
        .map(|c| match display_width(c) {
            _ if is_break(c) => c,
            w if w > narrowest => '…',
            _ => printable(c),
        })
        .collect();
    lines(&shown, first, rest, LongWords::BreakInPlace, display_width)
        .iter()
        .map(|line| line.text(&shown))
        .collect()
}

/// The diagram as an indented list, for widths where no box fits: each node (sources first),
/// its detail and marker, then its arrows: `→ Hematopoietic stem cells (rich in)`.
pub fn list(diagram: &Diagram, view: &View, width: usize, glyphs: Glyphs) -> Vec<DrawnLine> {
    let ranks = ranks(diagram);
    let mut order: Vec<usize> = (0..diagram.nodes.len()).collect();
    order.sort_by_key(|&i| ranks[i]);
    let indent = if width >= 6 { 2 } else { 0 };
    let mut out = Vec::new();
    let mut push = |text: &str, first: usize, role: DiagramRole, lit: bool| {
        let hang = if first > 0 { 2 } else { 0 };
        for line in wrap_hanging(text, width - first, hang) {
            let mut pieces = Vec::new();
            if first > 0 {
                pieces.push(DrawnPiece { text: " ".repeat(first), role: DiagramRole::Blank, lit });
            }
            pieces.push(DrawnPiece { text: line, role, lit });
            out.push(DrawnLine { pieces });
        }
    };
    for &n in &order {
        let node = &diagram.nodes[n];
        let lit = view.node(n);
        push(&node.label, 0, DiagramRole::Label, lit);
        if let Some(detail) = &node.detail {
            push(detail, indent, DiagramRole::Detail, lit);
        }
        if let Some(marker) = glyphs.marker(node.style) {
            push(marker, indent, DiagramRole::Status(node.style), lit);
        }
        for edge in diagram.edges.iter().filter(|e| e.from == n) {
            let Some(target) = diagram.nodes.get(edge.to) else { continue };
            let mut text = format!("{} {}", glyphs.arrow_text, target.label);
            if let Some(label) = &edge.label {
                text = format!("{text} ({label})");
            }
            push(&text, indent, DiagramRole::Edge, view.edge(edge));
        }
    }
    out
}

/// One line per legend entry: the style's swatch, then what it means.
pub fn legend(entries: &[LegendEntry], width: usize, glyphs: Glyphs) -> Vec<DrawnLine> {
    let mut out = Vec::new();
    for entry in entries {
        let swatch = glyphs.swatch(entry.style);
        let lead = swatch.width() + 1;
        let role = if entry.style.is_status() {
            DiagramRole::Status(entry.style)
        } else {
            DiagramRole::Border(entry.style)
        };
        if lead + 4 > width {
            out.extend(wrap(&format!("{swatch} {}", entry.text), width).into_iter().map(|l| {
                DrawnLine {
                    pieces: vec![DrawnPiece { text: l, role: DiagramRole::Legend, lit: true }],
                }
            }));
            continue;
        }
        for (i, line) in wrap(&entry.text, width - lead).into_iter().enumerate() {
            let first = if i == 0 { format!("{swatch} ") } else { " ".repeat(lead) };
            let first_role = if i == 0 { role } else { DiagramRole::Blank };
            out.push(DrawnLine {
                pieces: vec![
                    DrawnPiece { text: first, role: first_role, lit: true },
                    DrawnPiece { text: line, role: DiagramRole::Legend, lit: true },
                ],
            });
        }
    }
    out
}

/// Shortens a line to `width` columns, ending it with `…`. Layouts never need this; it is
/// there so that no text, however odd its characters, can break the promise of the width.
pub fn clip(line: &mut DrawnLine, width: usize) {
    if line.width() <= width {
        return;
    }
    let target = width.saturating_sub(1);
    let mut kept = Vec::new();
    let mut used = 0;
    for piece in std::mem::take(&mut line.pieces) {
        let mut text = String::new();
        let mut cut = false;
        for c in piece.text.chars() {
            let w = display_width(c);
            if used + w > target {
                cut = true;
                break;
            }
            text.push(printable(c));
            used += w;
        }
        if !text.is_empty() {
            kept.push(DrawnPiece { text, ..piece });
        }
        if cut {
            break;
        }
    }
    kept.push(DrawnPiece { text: "…".to_owned(), role: DiagramRole::Blank, lit: true });
    line.pieces = kept;
    // Sequences whose width is more than the sum of their characters (emoji with a variation
    // selector) can still be too wide: fall back to plain `…`s.
    if line.width() > width {
        line.pieces =
            vec![DrawnPiece { text: "…".repeat(width), role: DiagramRole::Blank, lit: true }];
    }
}
