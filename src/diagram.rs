//! A diagram drawn as text: a checked [`Diagram`], a width and an optional step become lines
//! of pieces tagged with roles, never colours, so the reader, presenter mode and handouts all
//! draw the same picture and each theme styles it. Pure: no terminal, no I/O.
//!
//! The drawing adapts to the width. By default ([`Direction::Auto`]) boxes go left to right
//! ("across") when that fits, else top to bottom ("down"); `across` keeps them left to right
//! by leaving out the words on arrows if it must; `down` prefers top to bottom. Below
//! [`MIN_BOX_WIDTH`] columns, or when nothing fits, the diagram becomes an indented list of
//! boxes and arrows. Whatever the width, no line is wider than it.

mod canvas;
mod glyphs;
mod layout;
mod text;

pub use crate::content::diagram_file::{Direction, NodeStyle};

use glyphs::Glyphs;
use unicode_width::UnicodeWidthStr;

/// A checked diagram: every reference resolved to an index, no cycle, at least one node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagram {
    pub id: String,
    pub title: String,
    /// What the whole diagram shows, in words; see [`alt_text`].
    pub alt: String,
    pub direction: Direction,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Empty when the diagram is shown all at once.
    pub steps: Vec<Step>,
    pub legend: Vec<LegendEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub id: String,
    pub label: String,
    pub detail: Option<String>,
    pub style: NodeStyle,
}

/// An arrow from `nodes[from]` to `nodes[to]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub caption: String,
    /// Indices into `nodes`, sorted, no repeats. Ignored on the last step, which shows all.
    pub highlight: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegendEntry {
    pub style: NodeStyle,
    pub text: String,
}

/// A diagram laid out for one width and step.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Drawing {
    pub lines: Vec<DrawnLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DrawnLine {
    pub pieces: Vec<DrawnPiece>,
}

/// A stretch of one line in one role. `lit` is false for the parts the current step does not
/// highlight, so the UI can dim them; everything is lit when no step is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawnPiece {
    pub text: String,
    pub role: DiagramRole,
    pub lit: bool,
}

/// What a piece of a drawing is, so each theme can style it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiagramRole {
    /// The diagram's title, above the drawing.
    Title,
    /// The current step's caption, under the title, while stepping.
    Caption,
    /// The outline of a box, by the box's style.
    Border(NodeStyle),
    /// The text of a box (and the space inside it).
    Label,
    /// A box's second, smaller text.
    Detail,
    /// The marker that says a box's style in words (`✓ established`), and its legend swatch.
    Status(NodeStyle),
    /// Lines and arrowheads.
    Edge,
    /// Words on an arrow.
    EdgeLabel,
    /// A legend line's explanation.
    Legend,
    /// Space outside boxes and lines.
    Blank,
}

impl DrawnLine {
    pub fn text(&self) -> String {
        self.pieces.iter().map(|p| p.text.as_str()).collect()
    }

    /// Display columns (not bytes, not characters).
    pub fn width(&self) -> usize {
        self.text().width()
    }
}

impl Drawing {
    /// The drawing without roles, one `\n`-terminated line per line: for handouts and tests.
    pub fn text(&self) -> String {
        self.lines.iter().map(|l| l.text() + "\n").collect()
    }
}

/// Below this width no box fits with a useful amount of text in it: the list is drawn.
pub const MIN_BOX_WIDTH: usize = 12;

/// How many steps the diagram can be walked through (0 when it has none).
pub fn step_count(diagram: &Diagram) -> usize {
    diagram.steps.len()
}

/// The words that stand for the drawing where a drawing cannot be seen (screen readers,
/// `--plain`, text handouts).
pub fn alt_text(diagram: &Diagram) -> &str {
    &diagram.alt
}

/// The fewest columns in which `diagram` can be drawn left to right (with or without words
/// on its arrows), up to `limit`; `None` when it needs more. `validate` uses it to warn when
/// `direction = "across"` can never be honoured in the reader's widest text column.
pub fn columns_across(diagram: &Diagram, limit: usize) -> Option<usize> {
    let view = View::new(diagram, None);
    let fits = |width: usize| {
        [true, false].iter().any(|&words| {
            layout::draw(diagram, &view, width, (layout::Across, words), Glyphs::UNICODE).is_some()
        })
    };
    if !fits(limit) {
        return None;
    }
    // Wider never fits worse, so the narrowest fit can be found by halving.
    let (mut low, mut high) = (MIN_BOX_WIDTH, limit);
    while low < high {
        let mid = low + (high - low) / 2;
        if fits(mid) { high = mid } else { low = mid + 1 }
    }
    Some(high)
}

/// Draws `diagram` in at most `width` columns: its title (with `(Step 2/4)` when a step is
/// given) and the step's caption, a blank line, the drawing, and the legend after a blank line.
/// `step` is 0-based; `None` shows everything lit, as does the last step (a summary); a step
/// past the last is the last. `ascii` draws with `+ - | > v` instead of box drawing.
pub fn draw(diagram: &Diagram, width: usize, step: Option<usize>, ascii: bool) -> Drawing {
    let width = width.max(1);
    let glyphs = if ascii { Glyphs::ASCII } else { Glyphs::UNICODE };
    let view = View::new(diagram, step);
    let mut lines = Vec::new();
    // The step's number goes after the title, so the caption has the whole line to itself.
    let title = match &view.step {
        Some(step) => format!("{} ({step})", diagram.title),
        None => diagram.title.clone(),
    };
    for line in text::wrap(&title, width) {
        lines.push(single(line, DiagramRole::Title));
    }
    if let Some(caption) = &view.caption {
        for line in text::wrap(caption, width) {
            lines.push(single(line, DiagramRole::Caption));
        }
    }
    lines.push(DrawnLine::default());
    let body = if width < MIN_BOX_WIDTH {
        None
    } else {
        // (orientation, with words on arrows), in order of preference.
        let attempts: &[(layout::Orientation, bool)] = match diagram.direction {
            Direction::Auto => &[(layout::Across, true), (layout::Down, true)],
            Direction::Across => {
                &[(layout::Across, true), (layout::Across, false), (layout::Down, true)]
            }
            Direction::Down => &[(layout::Down, true), (layout::Across, true)],
        };
        attempts.iter().find_map(|&a| layout::draw(diagram, &view, width, a, glyphs))
    };
    lines.extend(body.unwrap_or_else(|| text::list(diagram, &view, width, glyphs)));
    if !diagram.legend.is_empty() {
        lines.push(DrawnLine::default());
        lines.extend(text::legend(&diagram.legend, width, glyphs));
    }
    for line in &mut lines {
        text::clip(line, width);
    }
    Drawing { lines }
}

fn single(text: String, role: DiagramRole) -> DrawnLine {
    DrawnLine { pieces: vec![DrawnPiece { text, role, lit: true }] }
}

/// What the current step shows: which nodes are lit, the step's number (`Step 2/4`) and its
/// caption.
struct View {
    lit: Vec<bool>,
    step: Option<String>,
    caption: Option<String>,
}

impl View {
    fn new(diagram: &Diagram, step: Option<usize>) -> Self {
        let all = vec![true; diagram.nodes.len()];
        let count = diagram.steps.len();
        let Some(index) = step.filter(|_| count > 0).map(|s| s.min(count - 1)) else {
            return Self { lit: all, step: None, caption: None };
        };
        let current = &diagram.steps[index];
        let step = Some(format!("Step {}/{count}", index + 1));
        let caption = Some(current.caption.clone());
        if index + 1 == count {
            return Self { lit: all, step, caption };
        }
        let mut lit = vec![false; diagram.nodes.len()];
        for &i in &current.highlight {
            if let Some(slot) = lit.get_mut(i) {
                *slot = true;
            }
        }
        Self { lit, step, caption }
    }

    fn node(&self, index: usize) -> bool {
        self.lit.get(index).copied().unwrap_or(true)
    }

    fn edge(&self, edge: &Edge) -> bool {
        self.node(edge.from) && self.node(edge.to)
    }
}

#[cfg(test)]
mod tests;
