//! `assets/diagrams/ID.toml`: a diagram exactly as an author writes it, and the checks that
//! turn it into a [`Diagram`]. A diagram that would draw wrongly (an arrow to nowhere, a loop
//! that has no top, a box with nothing in it) is reported at the spot, never drawn.
//!
//! ```toml
//! id = "harvest-sources"
//! title = "Where stem cells are harvested"
//! alt = "Bone marrow and umbilical cord blood provide blood-forming stem cells; …"
//! direction = "auto"
//!
//! [[nodes]]
//! id = "marrow"
//! label = "Bone marrow"
//! detail = "needle, local anesthesia"
//!
//! [[edges]]
//! from = "marrow"
//! to = "hsc"
//! label = "rich in"
//!
//! [[steps]]
//! caption = "Bone marrow is rich in blood-forming stem cells."
//! highlight = ["marrow", "hsc"]
//!
//! [[legend]]
//! style = "established"
//! text = "established: standard care"
//! ```

use std::collections::{HashMap, HashSet};

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;
use unicode_width::UnicodeWidthStr;

use super::error::{Diagnostic, Severity, did_you_mean};
use super::validate::{Problems, SourceFile, at, check_id, not_empty};
use crate::diagram::{Diagram, Edge, LegendEntry, Node, Step};

/// More boxes than this no longer reads as one picture on a terminal; split the diagram.
pub const MAX_NODES: usize = 40;

/// A step caption should fit on one line of the reader's text column in an 80-column window:
/// the margins and scroll bar leave 75 columns (the step's number goes on the title line).
pub const CAPTION_COLUMNS: usize = crate::geometry::reader::text_width(80) as usize;

/// The widest the reader's text column ever gets: an `across` diagram that cannot fit it is
/// always drawn top to bottom.
pub const WIDEST_COLUMN: usize = crate::geometry::reader::MAX_TEXT_WIDTH as usize;

/// `assets/diagrams/ID.toml`: one diagram.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiagramFile {
    /// Identifier; must equal the file name without `.toml`. Section blocks name it.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Shown above the drawing, and as the figure's name in handouts.
    #[schemars(with = "String")]
    pub title: Spanned<String>,
    /// A sentence or two saying what the whole diagram shows. Screen readers, `--plain` and
    /// text handouts use it instead of the drawing, so it must stand on its own.
    #[schemars(with = "String")]
    pub alt: Spanned<String>,
    /// Which way the arrows run: `auto` (default: left to right when it fits the width, else
    /// top to bottom), `across` (left to right, leaving out words on arrows if that is what it
    /// takes to fit) or `down` (top to bottom, which suits a step-by-step process). A layout
    /// that does not fit the screen falls back to another, so this is a preference, never a
    /// promise.
    #[schemars(with = "Option<Direction>")]
    pub direction: Option<Spanned<Direction>>,
    /// The boxes, 1 to 40. Their order is kept within each column (or row) of the drawing.
    #[serde(default)]
    #[schemars(with = "Vec<NodeFile>")]
    pub nodes: Vec<Spanned<NodeFile>>,
    /// The arrows between boxes. They must flow one way: no arrow may lead back to where it
    /// started.
    #[serde(default)]
    #[schemars(with = "Vec<EdgeFile>")]
    pub edges: Vec<Spanned<EdgeFile>>,
    /// Optional walk-through, one step at a time: each step has a caption and lights up the
    /// boxes it names (and the arrows between them); the rest is dimmed. The last step always
    /// shows the whole diagram, as a summary.
    #[serde(default)]
    #[schemars(with = "Vec<StepFile>")]
    pub steps: Vec<Spanned<StepFile>>,
    /// Optional key under the drawing, one line per style used, so that a meaning carried by
    /// a style (such as the evidence status) is spelt out in words.
    #[serde(default)]
    #[schemars(with = "Vec<LegendFile>")]
    pub legend: Vec<Spanned<LegendFile>>,
}

/// One `[[nodes]]` entry: a box.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NodeFile {
    /// Identifier, unique within the diagram; edges and steps name it.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// The text in the box. Long labels wrap inside the box.
    #[schemars(with = "String")]
    pub label: Spanned<String>,
    /// Optional smaller second text inside the box, under the label.
    #[schemars(with = "Option<String>")]
    pub detail: Option<Spanned<String>>,
    /// How the box is drawn: `plain` (default), `accent`, `optional`, `established`,
    /// `trial` or `unproven`. See [`NodeStyle`].
    #[schemars(with = "Option<NodeStyle>")]
    pub style: Option<Spanned<NodeStyle>>,
}

/// One `[[edges]]` entry: an arrow.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EdgeFile {
    /// The id of the node the arrow starts at.
    #[schemars(with = "String")]
    pub from: Spanned<String>,
    /// The id of the node the arrow points to.
    #[schemars(with = "String")]
    pub to: Spanned<String>,
    /// Optional words on the arrow, a few at most (`rich in`, `then`). Shown where they fit.
    #[schemars(with = "Option<String>")]
    pub label: Option<Spanned<String>>,
}

/// One `[[steps]]` entry.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepFile {
    /// One short sentence shown under the diagram's title (which gains `(Step 2/4)`): at most
    /// 75 columns, so it fits one line of the reader at 80x24 (`validate` warns past that).
    #[schemars(with = "String")]
    pub caption: Spanned<String>,
    /// The ids of the nodes this step lights up; an arrow lights up when both its ends do.
    /// Required on every step but the last, which always shows everything.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub highlight: Vec<Spanned<String>>,
}

/// One `[[legend]]` entry.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LegendFile {
    /// The style this line explains; its marker is drawn in front of the text.
    #[schemars(with = "NodeStyle")]
    pub style: Spanned<NodeStyle>,
    /// What the style means here, in words.
    #[schemars(with = "String")]
    pub text: Spanned<String>,
}

/// Which way a diagram's arrows run; see [`DiagramFile::direction`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    #[default]
    Auto,
    Across,
    Down,
}

/// How a box is drawn. Every style differs without colour too: by its border, or by a marker
/// in words inside the box, so that a mono screen, a printout and a screen reader lose nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum NodeStyle {
    /// An ordinary box.
    #[default]
    Plain,
    /// The box the diagram is about, drawn with a heavy border.
    Accent,
    /// A stage that happens only in some cases, drawn with a dashed border and marked
    /// `optional`.
    Optional,
    /// Evidence status: standard care. Marked `✓ established` (`+ established` in ASCII).
    Established,
    /// Evidence status: being studied in clinical trials. Marked `~ in trials`.
    Trial,
    /// Evidence status: no proven benefit. Marked `✗ unproven` (`x unproven` in ASCII).
    Unproven,
}

impl NodeStyle {
    pub const ALL: [Self; 6] =
        [Self::Plain, Self::Accent, Self::Optional, Self::Established, Self::Trial, Self::Unproven];

    pub fn name(self) -> &'static str {
        match self {
            Self::Plain => "plain",
            Self::Accent => "accent",
            Self::Optional => "optional",
            Self::Established => "established",
            Self::Trial => "trial",
            Self::Unproven => "unproven",
        }
    }

    /// Whether the style says something a reader must be told in words (the legend).
    pub fn is_status(self) -> bool {
        matches!(self, Self::Established | Self::Trial | Self::Unproven)
    }
}

/// Parses and checks one diagram file; `path` is pack-relative, `expected_id` its file name.
pub fn parse_and_check(
    path: &str,
    text: &str,
    expected_id: &str,
    warnings: bool,
    problems: &mut Problems,
) -> Option<Diagram> {
    let file = SourceFile { path, text };
    let parsed = super::validate::parse::<DiagramFile>(&file, problems)?;
    let diagram = check(&file, &parsed, expected_id, problems)?;
    // Laying the diagram out to see whether it could ever be drawn across only warns: a pack
    // that is being shown, not checked, skips it (it is a tenth of a start's work).
    if warnings
        && let Some(direction) = &parsed.direction
        && *direction.get_ref() == Direction::Across
    {
        warn_if_never_across(&file, direction, &diagram, problems);
    }
    Some(diagram)
}

/// One diagram file on its own, outside a pack load: the diagram and its warnings, or every
/// problem found (errors first).
pub fn read(
    path: &str,
    text: &str,
    expected_id: &str,
) -> Result<(Diagram, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut problems = Problems::default();
    match parse_and_check(path, text, expected_id, true, &mut problems) {
        Some(diagram) if !problems.has_errors() => Ok((diagram, problems.0)),
        _ => {
            let mut all = problems.0;
            all.sort_by_key(|d| d.severity);
            Err(all)
        }
    }
}

/// Checks a parsed diagram and converts it; `None` when it has an error (all of them are
/// reported, not just the first).
pub fn check(
    file: &SourceFile,
    parsed: &DiagramFile,
    expected_id: &str,
    problems: &mut Problems,
) -> Option<Diagram> {
    let errors_before = error_count(problems);
    check_id(file, &parsed.id, "diagram id", problems);
    if parsed.id.get_ref() != expected_id {
        problems.push(
            at(Severity::Error, file, &parsed.id, "the id does not match the file name")
                .with_hint(format!("use id = \"{expected_id}\", or rename the file")),
        );
    }
    not_empty(file, &parsed.title, problems);
    if parsed.alt.get_ref().trim().is_empty() {
        problems.push(at(Severity::Error, file, &parsed.alt, "the alt text is empty").with_hint(
            "describe the whole diagram in a sentence or two: screen readers and \
                 handouts show it instead of the drawing",
        ));
    }

    let nodes = nodes(file, parsed, problems);
    let index: HashMap<&str, usize> =
        nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i)).collect();
    let ids: Vec<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
    let edges = edges(file, &parsed.edges, &index, &ids, problems);
    let steps = steps(file, &parsed.steps, &index, &ids, problems);
    let legend = legend(file, parsed, &nodes, problems);

    let diagram = (error_count(problems) == errors_before).then(|| Diagram {
        id: parsed.id.get_ref().clone(),
        title: parsed.title.get_ref().trim().to_owned(),
        alt: parsed.alt.get_ref().trim().to_owned(),
        direction: parsed.direction.as_ref().map(|d| *d.get_ref()).unwrap_or_default(),
        nodes,
        edges,
        steps,
        legend,
    })?;
    Some(diagram)
}

/// `direction = "across"` that no reading column is wide enough for is a promise the reader
/// never keeps: say so, with the width the diagram would need.
fn warn_if_never_across(
    file: &SourceFile,
    direction: &Spanned<Direction>,
    diagram: &Diagram,
    problems: &mut Problems,
) {
    if crate::diagram::columns_across(diagram, WIDEST_COLUMN).is_some() {
        return;
    }
    let needed = crate::diagram::columns_across(diagram, 4 * WIDEST_COLUMN)
        .map_or_else(|| format!("more than {}", 4 * WIDEST_COLUMN), |n| n.to_string());
    problems.push(
        at(
            Severity::Warning,
            file,
            direction,
            format!(
                "drawn across, this diagram needs {needed} columns, more than the reader's \
                 widest text column ({WIDEST_COLUMN}); it will always be drawn top to bottom"
            ),
        )
        .with_hint("use fewer boxes in a row, shorter labels, or direction = \"down\""),
    );
}

fn error_count(problems: &Problems) -> usize {
    problems.0.iter().filter(|d| d.is_error()).count()
}

fn nodes(file: &SourceFile, parsed: &DiagramFile, problems: &mut Problems) -> Vec<Node> {
    if parsed.nodes.is_empty() {
        problems.push(
            at(Severity::Error, file, &parsed.id, "the diagram has no nodes")
                .with_hint("add [[nodes]] with an `id` and a `label`"),
        );
    }
    if let Some(extra) = parsed.nodes.get(MAX_NODES) {
        problems.push(
            at(
                Severity::Error,
                file,
                extra,
                format!(
                    "a diagram has at most {MAX_NODES} nodes; this one has {}",
                    parsed.nodes.len()
                ),
            )
            .with_hint("split it into smaller diagrams, one idea each"),
        );
    }
    let mut seen = HashSet::new();
    parsed
        .nodes
        .iter()
        .map(|spanned| {
            let node = spanned.get_ref();
            check_id(file, &node.id, "node id", problems);
            if !seen.insert(node.id.get_ref().as_str()) {
                problems.error(
                    file,
                    &node.id,
                    format!("node id `{}` is used twice", node.id.get_ref()),
                );
            }
            if node.label.get_ref().trim().is_empty() {
                problems.error(file, &node.label, "this node's label is empty");
            }
            if let Some(detail) = &node.detail {
                not_empty(file, detail, problems);
            }
            Node {
                id: node.id.get_ref().clone(),
                label: one_line(node.label.get_ref()),
                detail: node.detail.as_ref().map(|d| one_line(d.get_ref())),
                style: node.style.as_ref().map(|s| *s.get_ref()).unwrap_or_default(),
            }
        })
        .collect()
}

/// Text inside a box is wrapped by the drawing; the author's line breaks would only fight it.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Looks a node id up, reporting an unknown one with the closest known id as a hint.
fn resolve(
    file: &SourceFile,
    name: &Spanned<String>,
    index: &HashMap<&str, usize>,
    ids: &[&str],
    problems: &mut Problems,
) -> Option<usize> {
    if let Some(&i) = index.get(name.get_ref().as_str()) {
        return Some(i);
    }
    let d = at(Severity::Error, file, name, format!("no node has the id `{}`", name.get_ref()));
    problems.push(match did_you_mean(name.get_ref(), ids.iter().copied()) {
        Some(s) => d.with_hint(format!("did you mean `{s}`?")),
        None => d.with_hint(format!("the nodes are: {}", ids.join(", "))),
    });
    None
}

fn edges(
    file: &SourceFile,
    parsed: &[Spanned<EdgeFile>],
    index: &HashMap<&str, usize>,
    ids: &[&str],
    problems: &mut Problems,
) -> Vec<Edge> {
    let mut edges: Vec<Edge> = Vec::new();
    // Which file entry each kept edge came from, to point at it when it closes a cycle.
    let mut origins: Vec<&Spanned<EdgeFile>> = Vec::new();
    for spanned in parsed {
        let edge = spanned.get_ref();
        let from = resolve(file, &edge.from, index, ids, problems);
        let to = resolve(file, &edge.to, index, ids, problems);
        if let Some(label) = &edge.label
            && label.get_ref().trim().is_empty()
        {
            problems.push(
                at(Severity::Error, file, label, "this edge's label is empty")
                    .with_hint("write a few words, or leave `label` out"),
            );
        }
        let (Some(from), Some(to)) = (from, to) else { continue };
        if from == to {
            problems.push(
                at(Severity::Error, file, spanned, "this edge goes from a node to itself")
                    .with_hint("to show a cell making a copy of itself, add a second node"),
            );
            continue;
        }
        if edges.iter().any(|e| e.from == from && e.to == to) {
            problems.error(
                file,
                spanned,
                format!("the edge from `{}` to `{}` is given twice", ids[from], ids[to]),
            );
            continue;
        }
        edges.push(Edge { from, to, label: edge.label.as_ref().map(|l| one_line(l.get_ref())) });
        origins.push(spanned);
    }
    if let Some((closing, cycle)) = find_cycle(ids.len(), &edges) {
        let path: Vec<&str> = cycle.iter().map(|&i| ids[i]).collect();
        problems.push(
            at(
                Severity::Error,
                file,
                origins[closing],
                format!("the edges go round in a circle: {}", path.join(" → ")),
            )
            .with_hint("a diagram flows one way; remove or reverse one of these edges"),
        );
    }
    edges
}

/// A cycle, if the edges have one: the index of the edge that closes it, and the nodes along
/// it from its start back to its start.
fn find_cycle(node_count: usize, edges: &[Edge]) -> Option<(usize, Vec<usize>)> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut marks = vec![Mark::New; node_count];
    for start in 0..node_count {
        if marks[start] != Mark::New {
            continue;
        }
        // An explicit stack of (node, next edge to try), so that no input can overflow the
        // call stack.
        let mut stack = vec![(start, 0)];
        marks[start] = Mark::Open;
        while let Some(&(node, next)) = stack.last() {
            let found = edges.iter().enumerate().skip(next).find(|(_, e)| e.from == node);
            let Some((e, edge)) = found else {
                marks[node] = Mark::Done;
                stack.pop();
                continue;
            };
            if let Some(top) = stack.last_mut() {
                top.1 = e + 1;
            }
            match marks[edge.to] {
                Mark::Open => {
                    let first = stack.iter().position(|&(n, _)| n == edge.to).unwrap_or(0);
                    let mut cycle: Vec<usize> = stack[first..].iter().map(|&(n, _)| n).collect();
                    cycle.push(edge.to);
                    return Some((e, cycle));
                }
                Mark::New => {
                    marks[edge.to] = Mark::Open;
                    stack.push((edge.to, 0));
                }
                Mark::Done => {}
            }
        }
    }
    None
}

fn steps(
    file: &SourceFile,
    parsed: &[Spanned<StepFile>],
    index: &HashMap<&str, usize>,
    ids: &[&str],
    problems: &mut Problems,
) -> Vec<Step> {
    if parsed.len() == 1 {
        problems.push(
            at(Severity::Warning, file, &parsed[0], "a single step is the whole diagram again")
                .with_hint("the last step always shows everything: add steps before it"),
        );
    }
    parsed
        .iter()
        .enumerate()
        .map(|(i, spanned)| {
            let step = spanned.get_ref();
            let last = i + 1 == parsed.len();
            let caption = one_line(step.caption.get_ref());
            if caption.is_empty() {
                problems.error(file, &step.caption, "this step's caption is empty");
            } else if caption.width() > CAPTION_COLUMNS {
                problems.push(
                    at(
                        Severity::Warning,
                        file,
                        &step.caption,
                        "this caption is longer than a line",
                    )
                    .with_hint(format!(
                        "keep it to {CAPTION_COLUMNS} columns so it fits one line at 80x24"
                    )),
                );
            }
            if step.highlight.is_empty() && !last {
                problems.push(
                    at(Severity::Error, file, spanned, "this step highlights nothing")
                        .with_hint("add `highlight = [\"node-id\", …]`"),
                );
            }
            if let (true, Some(first)) = (last && parsed.len() > 1, step.highlight.first()) {
                problems.push(
                    at(Severity::Warning, file, first, "the last step always shows everything")
                        .with_hint("its `highlight` has no effect; leave it out"),
                );
            }
            let mut highlight: Vec<usize> = step
                .highlight
                .iter()
                .filter_map(|name| resolve(file, name, index, ids, problems))
                .collect();
            highlight.sort_unstable();
            highlight.dedup();
            Step { caption, highlight }
        })
        .collect()
}

fn legend(
    file: &SourceFile,
    parsed: &DiagramFile,
    nodes: &[Node],
    problems: &mut Problems,
) -> Vec<LegendEntry> {
    let entries: Vec<LegendEntry> = parsed
        .legend
        .iter()
        .map(|spanned| {
            let entry = spanned.get_ref();
            not_empty(file, &entry.text, problems);
            let style = *entry.style.get_ref();
            if !nodes.iter().any(|n| n.style == style) {
                problems.warn(
                    file,
                    &entry.style,
                    format!("no node has the style `{}`", style.name()),
                );
            }
            LegendEntry { style, text: one_line(entry.text.get_ref()) }
        })
        .collect();
    // One warning per unexplained style, at the first box that uses it.
    let mut warned = HashSet::new();
    for (node, spanned) in nodes.iter().zip(&parsed.nodes) {
        let explained = entries.iter().any(|e| e.style == node.style);
        if !node.style.is_status() || explained || !warned.insert(node.style) {
            continue;
        }
        let Some(style) = &spanned.get_ref().style else { continue };
        problems.push(
            at(
                Severity::Warning,
                file,
                style,
                format!("the style `{}` is not explained in the legend", node.style.name()),
            )
            .with_hint(format!(
                "add [[legend]] with style = \"{}\" and what it means",
                node.style.name()
            )),
        );
    }
    entries
}

#[cfg(test)]
mod tests;
