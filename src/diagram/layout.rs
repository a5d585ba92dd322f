//! Boxes and arrows in layers. Each node's rank is the longest path of edges leading to it;
//! ranks become columns (across) or bands of rows (down), each kept in the author's order. An
//! arrow that skips a layer passes through it as a line, and where the boxes of a band do not
//! fit side by side the band is split into rows the same way. Between two layers, arrows that
//! share ends are drawn as one branching line on a track at right angles to the flow.
//!
//! Everything is computed along two axes: *main* (the way arrows flow: x across, y down) and
//! *cross* (the way the boxes of one layer line up), so one routine lays out both directions.

mod paint;
mod place;
mod route;

use std::collections::HashMap;

use unicode_width::UnicodeWidthStr;

use super::glyphs::Glyphs;
use super::text::wrap;
use super::{Diagram, DiagramRole, DrawnLine, Node, View};
use route::Gap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    Across,
    Down,
}

pub use Orientation::{Across, Down};

/// Wider boxes are hard to take in at a glance; their text wraps instead.
const MAX_INNER: usize = 22;
/// A box is not squeezed narrower than this (or its longest word) to fit beside others:
/// across, the diagram is drawn down instead; down, the box gets a row of its own.
const MIN_INNER: usize = 10;
/// The most arrows that may pass down beside the boxes of a rank split over several rows.
const MAX_PASSING: usize = 2;

/// Words on an arrow drawn down wrap at this width, so a long label does not push boxes apart.
const LABEL_WRAP: usize = 12;

/// The rank of every node: the length of the longest path of edges leading to it. Edges that
/// cannot be drawn (out of range, to itself, or part of a cycle in a diagram built by hand
/// rather than checked) leave ranks alone.
pub fn ranks(diagram: &Diagram) -> Vec<usize> {
    let n = diagram.nodes.len();
    let mut rank = vec![0; n];
    for _ in 0..n {
        let mut changed = false;
        for e in &diagram.edges {
            let raise = e.from < n && e.to < n && rank[e.to] <= rank[e.from];
            // A cycle would raise ranks forever: no rank can reach the node count.
            if raise && e.from != e.to && rank[e.from] + 1 < n {
                rank[e.to] = rank[e.from] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    rank
}

/// Draws the diagram in one orientation, with or without the words on arrows; `None` when it
/// does not fit in `width`.
pub fn draw(
    diagram: &Diagram,
    view: &View,
    width: usize,
    (orientation, words): (Orientation, bool),
    glyphs: Glyphs,
) -> Option<Vec<DrawnLine>> {
    if diagram.nodes.is_empty() {
        return None;
    }
    let ranks = ranks(diagram);
    let n = ranks.len();
    let forward: Vec<usize> = (0..diagram.edges.len())
        .filter(|&e| {
            let edge = &diagram.edges[e];
            edge.from < n && edge.to < n && ranks[edge.from] < ranks[edge.to]
        })
        .collect();
    let graph = Graph { diagram, view, forward, glyphs, ranks, words };
    match orientation {
        Across => {
            let all: Vec<usize> = (0..n).collect();
            Some(across(&graph, &all, width)?.paint(&graph))
        }
        Down => {
            // Unconnected groups are drawn one under the other: side by side they would only
            // squeeze each other.
            let mut lines = Vec::new();
            for group in graph.components() {
                if !lines.is_empty() {
                    lines.push(DrawnLine::default());
                }
                lines.extend(down(&graph, &group, width)?.paint(&graph));
            }
            Some(lines)
        }
    }
}

/// What every step of the layout reads.
struct Graph<'a> {
    diagram: &'a Diagram,
    view: &'a View,
    /// The edges that are drawn: those that go to a higher rank.
    forward: Vec<usize>,
    glyphs: Glyphs,
    ranks: Vec<usize>,
    /// Whether words on arrows are drawn.
    words: bool,
}

impl Graph<'_> {
    fn edges(&self) -> impl Iterator<Item = &super::Edge> {
        self.forward.iter().map(|&e| &self.diagram.edges[e])
    }

    /// The nodes in groups connected by edges, each group in node order, groups in the order
    /// of their first node.
    fn components(&self) -> Vec<Vec<usize>> {
        let n = self.ranks.len();
        let mut group: Vec<usize> = (0..n).collect();
        for edge in self.edges() {
            let (a, b) = (root(&mut group, edge.from), root(&mut group, edge.to));
            group[a.max(b)] = a.min(b);
        }
        let mut components: Vec<Vec<usize>> = Vec::new();
        let mut index: HashMap<usize, usize> = HashMap::new();
        for node in 0..n {
            let r = root(&mut group, node);
            let at = *index.entry(r).or_insert_with(|| {
                components.push(Vec::new());
                components.len() - 1
            });
            components[at].push(node);
        }
        components
    }

    /// The words on the arrows into `node`, when they all say the same: they are drawn once,
    /// beside the arrowhead.
    fn incoming_label(&self, node: usize) -> Option<&str> {
        if !self.words {
            return None;
        }
        let mut labels = self.edges().filter(|e| e.to == node).map(|e| e.label.as_deref());
        let first = labels.next()??;
        labels.all(|l| l == Some(first)).then_some(first)
    }
}

/// The representative of `i`'s group (union-find with path halving).
fn root(group: &mut [usize], mut i: usize) -> usize {
    while group[i] != i {
        group[i] = group[group[i]];
        i = group[i];
    }
    i
}

/// A box's text, line by line.
type BoxLines = Vec<(String, DiagramRole)>;

fn box_lines(node: &Node, inner: usize, glyphs: Glyphs) -> BoxLines {
    let mut lines: BoxLines =
        wrap(&node.label, inner).into_iter().map(|l| (l, DiagramRole::Label)).collect();
    if let Some(detail) = &node.detail {
        lines.extend(wrap(detail, inner).into_iter().map(|l| (l, DiagramRole::Detail)));
    }
    if let Some(marker) = glyphs.marker(node.style) {
        let role = DiagramRole::Status(node.style);
        lines.extend(wrap(marker, inner).into_iter().map(|l| (l, role)));
    }
    lines
}

fn texts(node: &Node, glyphs: Glyphs) -> impl Iterator<Item = &str> {
    [Some(node.label.as_str()), node.detail.as_deref(), glyphs.marker(node.style)]
        .into_iter()
        .flatten()
}

fn longest_word(text: &str) -> usize {
    text.split_whitespace().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// How wide a box's text would like to be, and how narrow it may be squeezed.
#[derive(Debug, Clone, Copy)]
struct Sizes {
    natural: usize,
    least: usize,
}

/// All on one line if it fits in [`MAX_INNER`], else the narrowest width that needs no more
/// lines than [`MAX_INNER`] does, so wrapped lines come out even rather than long and short.
/// Squeezed, never below [`MIN_INNER`] nor the longest word (unless that is wider than
/// [`MAX_INNER`]: then the word is broken anyway).
fn sizes(node: &Node, glyphs: Glyphs) -> Sizes {
    let widest = texts(node, glyphs).map(UnicodeWidthStr::width).max().unwrap_or(1).max(1);
    let word = texts(node, glyphs).map(longest_word).max().unwrap_or(1).clamp(1, MAX_INNER);
    let natural = if widest <= MAX_INNER {
        widest
    } else {
        let lines = |w| box_lines(node, w, glyphs).len();
        let target = lines(MAX_INNER);
        (word..MAX_INNER).find(|&w| lines(w) <= target).unwrap_or(MAX_INNER)
    };
    Sizes { natural, least: word.max(MIN_INNER).min(natural) }
}

/// Takes `excess` columns from the widest boxes that can still give some; false when none can.
fn squeeze(inner: &mut [usize], least: &[usize], mut excess: usize) -> bool {
    let mut changed = false;
    while excess > 0 {
        let widest = (0..inner.len())
            .filter(|&i| inner[i] > least[i])
            .max_by_key(|&i| (inner[i], inner.len() - i));
        let Some(widest) = widest else { break };
        inner[widest] -= 1;
        excess -= 1;
        changed = true;
    }
    changed
}

/// Columns of boxes, left to right; the columns are narrowed (their text wrapped) until the
/// whole fits the width.
fn across(graph: &Graph, nodes: &[usize], width: usize) -> Option<Geometry> {
    let count = nodes.iter().map(|&n| graph.ranks[n] + 1).max().unwrap_or(0);
    let mut inner = vec![1; count];
    let mut least = vec![1; count];
    for &n in nodes {
        let sizes = sizes(&graph.diagram.nodes[n], graph.glyphs);
        let rank = graph.ranks[n];
        inner[rank] = inner[rank].max(sizes.natural);
        least[rank] = least[rank].max(sizes.least);
    }
    // Each column needs its box and at least a three-column arrow.
    if least.iter().map(|m| m + 4).sum::<usize>() + 3 * count.saturating_sub(1) > width {
        return None;
    }
    let layer_of: Vec<Option<usize>> = graph.ranks.iter().map(|&r| Some(r)).collect();
    loop {
        let inner_of: Vec<usize> = graph.ranks.iter().map(|&r| inner[r]).collect();
        let geometry =
            Geometry::new(graph, Across, &layer_of, count, &inner_of, &HashMap::new(), None);
        if geometry.main_extent <= width {
            return Some(geometry);
        }
        if !squeeze(&mut inner, &least, geometry.main_extent - width) {
            return None;
        }
    }
}

/// Bands of boxes, top to bottom. Boxes of a band are squeezed to stand side by side; those
/// that still do not fit go to a further row; a box alone in a row that is still too wide is
/// narrowed further.
fn down(graph: &Graph, nodes: &[usize], width: usize) -> Option<Geometry> {
    let all = &graph.diagram.nodes;
    let mut inner: Vec<usize> = vec![1; all.len()];
    let mut least: Vec<usize> = vec![1; all.len()];
    let mut reserve: HashMap<usize, usize> = HashMap::new();
    for &n in nodes {
        let sizes = sizes(&all[n], graph.glyphs);
        inner[n] = sizes.natural;
        least[n] = sizes.least;
        if let Some(label) = graph.incoming_label(n) {
            // Room for the words right of the arrowhead, which points at the box's middle.
            let words = label.width().min(LABEL_WRAP.max(longest_word(label)));
            let width = least[n] + 4;
            let needed = (width - 1) / 2 + 2 + words + 1;
            reserve.insert(n, needed.saturating_sub(width));
        }
    }
    let mut layer_of: Vec<Option<usize>> = vec![None; all.len()];
    let max_rank = nodes.iter().map(|&n| graph.ranks[n]).max().unwrap_or(0);
    let mut layer = 0;
    for rank in 0..=max_rank {
        let mut remaining: Vec<usize> =
            nodes.iter().copied().filter(|&n| graph.ranks[n] == rank).collect();
        let first_layer = layer;
        while !remaining.is_empty() {
            // Room taken by everything but the boxes' text: borders, padding, spacing, words
            // beside arrows, and the lines of arrows passing through.
            let fixed = |k: usize| {
                let chunk = &remaining[..k];
                let passing = passing(graph, &layer_of, chunk, layer).len();
                let own: usize = chunk.iter().map(|n| 4 + reserve.get(n).unwrap_or(&0)).sum();
                own + 3 * passing + 2 * (k - 1)
            };
            let fits = |k: usize| {
                fixed(k) + remaining[..k].iter().map(|&n| least[n]).sum::<usize>() <= width
            };
            let k = (1..=remaining.len()).rev().find(|&k| fits(k));
            let k = if let Some(k) = k {
                let chunk = &remaining[..k];
                let mut text: Vec<usize> = chunk.iter().map(|&n| inner[n]).collect();
                let floor: Vec<usize> = chunk.iter().map(|&n| least[n]).collect();
                let total = fixed(k) + text.iter().sum::<usize>();
                squeeze(&mut text, &floor, total.saturating_sub(width));
                for (&n, w) in chunk.iter().zip(text) {
                    inner[n] = w;
                }
                k
            } else {
                // Alone and still too wide: the box's text comes first, then as much of the
                // room for words beside its arrow as is left.
                let n = remaining[0];
                let words = reserve.get(&n).copied().unwrap_or(0);
                let room = width.checked_sub(fixed(1) - words).filter(|&r| r > 0)?;
                inner[n] = inner[n].min(room);
                reserve.insert(n, words.min(room - inner[n]));
                1
            };
            // A rank split over several rows sends the arrows of its first rows down past
            // the boxes of the later ones; past a few, the lines cross into a tangle (six
            // boxes feeding one at 40 columns). Another layout reads better: across, where
            // they join one shared line, or the list.
            if layer > first_layer
                && passing(graph, &layer_of, &remaining[..k], layer).len() > MAX_PASSING
            {
                return None;
            }
            for n in remaining.drain(..k) {
                layer_of[n] = Some(layer);
            }
            layer += 1;
        }
    }
    let geometry = Geometry::new(graph, Down, &layer_of, layer, &inner, &reserve, Some(width));
    (geometry.cross_extent <= width).then_some(geometry)
}

/// The sources whose arrows pass through `layer` without ending there: placed in an earlier
/// layer, pointing at a node not placed yet (nor in `chunk`, the nodes of this layer).
fn passing(graph: &Graph, layer_of: &[Option<usize>], chunk: &[usize], layer: usize) -> Vec<usize> {
    let mut sources: Vec<usize> = graph
        .edges()
        .filter(|e| layer_of[e.from].is_some_and(|l| l < layer))
        .filter(|e| layer_of[e.to].is_none_or(|l| l > layer) && !chunk.contains(&e.to))
        .map(|e| e.from)
        .collect();
    sources.sort_unstable();
    sources.dedup();
    sources
}

/// One thing in a layer: a box, or the place a long arrow passes through.
#[derive(Debug, Clone)]
struct Item {
    /// The node in the box; `None` for a passage of long arrows.
    node: Option<usize>,
    lines: BoxLines,
    /// Size across the flow (a box's height across, its width down).
    cross: usize,
    /// Room kept free after the item, across the flow, for words beside its arrowhead.
    reserve: usize,
    pos: i64,
    lit: bool,
}

impl Item {
    /// Where arrows attach, across the flow: the middle of the box (its first line when the
    /// middle falls between two).
    fn port(&self) -> i64 {
        self.pos + (as_i64(self.cross) - 1) / 2
    }

    /// Whether an arrow may attach at `at` instead of the middle: anywhere along the side of a
    /// box but its corners.
    fn accepts(&self, at: i64) -> bool {
        self.node.is_some() && at > self.pos && at < self.pos + as_i64(self.cross) - 1
    }
}

struct Layer {
    items: Vec<Item>,
    /// Size along the flow: every box of a layer has this width (across) or height (down).
    main: usize,
    start: usize,
}

/// An arrow (or the arrows of one source, bundled) between two neighbouring layers.
#[derive(Debug, Clone)]
struct Segment {
    layer: usize,
    from: usize,
    to: usize,
    /// Words shown on this segment: only on the last one, which ends at the real target.
    label: Option<String>,
    lit: bool,
}

struct Geometry {
    orientation: Orientation,
    layers: Vec<Layer>,
    segments: Vec<Segment>,
    gaps: Vec<Gap>,
    main_extent: usize,
    cross_extent: usize,
}

impl Geometry {
    /// Lays out nodes already assigned to layers, each box with its text width.
    fn new(
        graph: &Graph,
        orientation: Orientation,
        layer_of: &[Option<usize>],
        count: usize,
        inner: &[usize],
        reserve: &HashMap<usize, usize>,
        limit: Option<usize>,
    ) -> Self {
        let (mut layers, segments) = structure(graph, orientation, layer_of, count, inner, reserve);
        place::place(&mut layers, &segments, orientation, limit.map(as_i64));
        let gaps: Vec<Gap> = (0..layers.len().saturating_sub(1))
            .map(|l| route::route(orientation, &layers, l, &segments, limit))
            .collect();
        let mut start = 0;
        for (l, layer) in layers.iter_mut().enumerate() {
            layer.start = start;
            start += layer.main + gaps.get(l).map_or(0, |g| g.len);
        }
        let boxes = layers
            .iter()
            .flat_map(|l| &l.items)
            .map(|i| usize::try_from(i.pos).unwrap_or(0) + i.cross);
        // Down, words beside an arrow may reach further right than any box.
        let words = gaps.iter().flat_map(|g| &g.labels).flat_map(|l| &l.lines).map(|(at, t)| {
            if orientation == Down { usize::try_from(*at).unwrap_or(0) + t.width() } else { 0 }
        });
        let cross_extent = boxes.chain(words).max().unwrap_or(0);
        Self { orientation, layers, segments, gaps, main_extent: start, cross_extent }
    }
}

/// Turns the layer assignment into items (boxes, and passages of long arrows) and the
/// segments between neighbouring layers. Nodes without a layer are left out.
fn structure(
    graph: &Graph,
    orientation: Orientation,
    layer_of: &[Option<usize>],
    count: usize,
    inner: &[usize],
    reserve: &HashMap<usize, usize>,
) -> (Vec<Layer>, Vec<Segment>) {
    let diagram = graph.diagram;
    let placed: Vec<(&super::Edge, usize, usize)> = graph
        .edges()
        .filter_map(|e| Some((e, layer_of[e.from]?, layer_of[e.to]?.min(count))))
        .collect();
    let order = order(layer_of, count, &placed);
    let mut layers: Vec<Layer> = Vec::with_capacity(count);
    let mut index: HashMap<Thing, usize> = HashMap::new();
    for things in &order {
        let mut layer = Layer { items: Vec::new(), main: 1, start: 0 };
        for &thing in things {
            index.insert(thing, layer.items.len());
            let item = match thing {
                Thing::Node(n) => {
                    let lines = box_lines(&diagram.nodes[n], inner[n], graph.glyphs);
                    let (main, cross) = match orientation {
                        Across => (inner[n] + 4, lines.len() + 2),
                        Down => (lines.len() + 2, inner[n] + 4),
                    };
                    layer.main = layer.main.max(main);
                    let reserve = reserve.get(&n).copied().unwrap_or(0);
                    Item { node: Some(n), lines, cross, reserve, pos: 0, lit: graph.view.node(n) }
                }
                Thing::Passage(..) => {
                    Item { node: None, lines: Vec::new(), cross: 1, reserve: 0, pos: 0, lit: false }
                }
            };
            layer.items.push(item);
        }
        layers.push(layer);
    }
    let mut segments: Vec<Segment> = Vec::new();
    let mut found: HashMap<(usize, usize, usize), usize> = HashMap::new();
    for &(edge, a, b) in &placed {
        let lit = graph.view.edge(edge);
        let mut holder = index.get(&Thing::Node(edge.from)).copied();
        for l in a..b {
            let last = l + 1 == b;
            let next = if last { Thing::Node(edge.to) } else { Thing::Passage(l + 1, edge.from) };
            let (Some(from), Some(to)) = (holder, index.get(&next).copied()) else { break };
            if !last {
                layers[l + 1].items[to].lit |= lit;
            }
            let at = *found.entry((l, from, to)).or_insert_with(|| {
                segments.push(Segment { layer: l, from, to, label: None, lit: false });
                segments.len() - 1
            });
            segments[at].lit |= lit;
            if last && graph.words && segments[at].label.is_none() {
                segments[at].label.clone_from(&edge.label);
            }
            holder = Some(to);
        }
    }
    (layers, segments)
}

/// What stands in a layer: a node's box, or the passage through layer `.0` of the long arrows
/// from node `.1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Thing {
    Node(usize),
    Passage(usize, usize),
}

/// The things of each layer in order: boxes in the author's order, each passage slotted in
/// among them near what it comes from, so that long arrows cross as few others as they can.
fn order(
    layer_of: &[Option<usize>],
    count: usize,
    placed: &[(&super::Edge, usize, usize)],
) -> Vec<Vec<Thing>> {
    let mut order: Vec<Vec<Thing>> = vec![Vec::new(); count];
    for (n, layer) in layer_of.iter().enumerate() {
        if let Some(things) = layer.and_then(|l| order.get_mut(l)) {
            things.push(Thing::Node(n));
        }
    }
    let mut passages: Vec<Vec<usize>> = vec![Vec::new(); count];
    for &(edge, a, b) in placed {
        for list in &mut passages[(a + 1).min(b)..b] {
            if !list.contains(&edge.from) {
                list.push(edge.from);
            }
        }
    }
    // What stands for node `n`'s arrows in layer `l`: the node itself, or its passage.
    let holder = |n: usize, l: usize| {
        if layer_of[n] == Some(l) { Thing::Node(n) } else { Thing::Passage(l, n) }
    };
    for l in 1..count {
        let before: HashMap<Thing, usize> =
            order[l - 1].iter().enumerate().map(|(i, &t)| (t, i)).collect();
        let key = |preds: &[Thing]| {
            let at: Vec<usize> = preds.iter().filter_map(|p| before.get(p).copied()).collect();
            #[allow(clippy::cast_precision_loss)]
            let mean = at.iter().sum::<usize>() as f64 / at.len().max(1) as f64;
            (!at.is_empty()).then_some(mean)
        };
        let mut waiting: Vec<(f64, Thing)> = passages[l]
            .iter()
            .map(|&s| {
                let thing = Thing::Passage(l, s);
                (key(&[holder(s, l - 1)]).unwrap_or(f64::MAX), thing)
            })
            .collect();
        waiting.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut waiting = waiting.into_iter().peekable();
        let mut merged = Vec::with_capacity(order[l].len() + passages[l].len());
        let mut last = f64::MIN;
        for &thing in &order[l] {
            let Thing::Node(n) = thing else { continue };
            let preds: Vec<Thing> = placed
                .iter()
                .filter(|(e, a, _)| e.to == n && *a < l)
                .map(|(e, _, _)| holder(e.from, l - 1))
                .collect();
            last = key(&preds).unwrap_or(last);
            while let Some((_, passage)) = waiting.next_if(|(k, _)| *k < last) {
                merged.push(passage);
            }
            merged.push(thing);
        }
        merged.extend(waiting.map(|(_, thing)| thing));
        order[l] = merged;
    }
    order
}

fn as_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
