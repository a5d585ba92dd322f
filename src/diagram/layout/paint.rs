//! Painting a laid-out diagram on a canvas: boxes, passages, arrows with their junctions and
//! heads, then the words on arrows over the lines.

use std::collections::HashMap;

use unicode_width::UnicodeWidthStr;

use super::super::canvas::Canvas;
use super::{Across, Down, Geometry, Graph, Item, Layer};
use crate::diagram::{DiagramRole, DrawnLine};

impl Geometry {
    /// `(x, y)` on the canvas of a point given along and across the flow.
    fn xy(&self, main: usize, cross: i64) -> (usize, usize) {
        let cross = usize::try_from(cross).unwrap_or(0);
        match self.orientation {
            Across => (main, cross),
            Down => (cross, main),
        }
    }

    pub(super) fn paint(&self, graph: &Graph) -> Vec<DrawnLine> {
        let (width, height) = match self.orientation {
            Across => (self.main_extent, self.cross_extent),
            Down => (self.cross_extent, self.main_extent),
        };
        let mut canvas = Canvas::new(width, height);
        for layer in &self.layers {
            for item in &layer.items {
                if let Some(node) = item.node {
                    self.paint_box(&mut canvas, graph, layer, item, node);
                } else {
                    let a = self.xy(layer.start, item.pos);
                    let b = self.xy(layer.start + layer.main - 1, item.pos);
                    canvas.path(&[a, b], item.lit);
                }
            }
        }
        let mut heads: HashMap<(usize, usize), bool> = HashMap::new();
        for (s, segment) in self.segments.iter().enumerate() {
            let Some(end) = self.gaps.get(segment.layer).and_then(|g| g.ends.get(&s)) else {
                continue;
            };
            let (layer, next) = (&self.layers[segment.layer], &self.layers[segment.layer + 1]);
            let (from, to) = (&layer.items[segment.from], &next.items[segment.to]);
            let gap_start = layer.start + layer.main;
            let start = self.xy(gap_start - 1, end.from);
            // Into a box, the line stops at the arrowhead; into a passage, it joins its line.
            let stop = self.xy(if to.node.is_some() { next.start - 1 } else { next.start }, end.to);
            if let Some(track) = end.track {
                let bend_a = self.xy(gap_start + track, end.from);
                let bend_b = self.xy(gap_start + track, end.to);
                canvas.path(&[start, bend_a, bend_b, stop], segment.lit);
            } else {
                canvas.path(&[start, stop], segment.lit);
            }
            if to.node.is_some() {
                *heads.entry(stop).or_default() |= segment.lit;
            }
            if let Some(node) = from.node {
                let style = graph.diagram.nodes[node].style;
                let border = graph.glyphs.border(style);
                let port = match self.orientation {
                    Across => border.port_right,
                    Down => border.port_bottom,
                };
                canvas.put(start.0, start.1, port, DiagramRole::Border(style), from.lit);
            }
        }
        let head = match self.orientation {
            Across => graph.glyphs.arrow_right,
            Down => graph.glyphs.arrow_down,
        };
        for ((x, y), lit) in heads {
            canvas.put(x, y, head, DiagramRole::Edge, lit);
        }
        for (l, gap) in self.gaps.iter().enumerate() {
            let gap_start = self.layers[l].start + self.layers[l].main;
            for label in &gap.labels {
                for (i, (cross, text)) in label.lines.iter().enumerate() {
                    let (x, y) = match self.orientation {
                        Across => self.xy(gap_start + label.main, *cross),
                        Down => self.xy(gap_start + label.main + i, *cross),
                    };
                    canvas.text(x, y, text, text.width(), DiagramRole::EdgeLabel, label.lit);
                }
            }
        }
        canvas.into_lines(graph.glyphs)
    }

    fn paint_box(
        &self,
        canvas: &mut Canvas,
        graph: &Graph,
        layer: &Layer,
        item: &Item,
        node: usize,
    ) {
        let style = graph.diagram.nodes[node].style;
        let border = graph.glyphs.border(style);
        let role = DiagramRole::Border(style);
        let lit = item.lit;
        let (x0, y0) = self.xy(layer.start, item.pos);
        let (w, h) = match self.orientation {
            Across => (layer.main, item.cross),
            Down => (item.cross, layer.main),
        };
        if w < 2 || h < 2 {
            return;
        }
        let (right, bottom) = (x0 + w - 1, y0 + h - 1);
        canvas.put(x0, y0, border.top_left, role, lit);
        canvas.put(right, y0, border.top_right, role, lit);
        canvas.put(x0, bottom, border.bottom_left, role, lit);
        canvas.put(right, bottom, border.bottom_right, role, lit);
        for x in x0 + 1..right {
            canvas.put(x, y0, border.horizontal, role, lit);
            canvas.put(x, bottom, border.horizontal, role, lit);
        }
        for y in y0 + 1..bottom {
            canvas.put(x0, y, border.vertical, role, lit);
            canvas.put(right, y, border.vertical, role, lit);
            for x in x0 + 1..right {
                canvas.put(x, y, ' ', DiagramRole::Label, lit);
            }
        }
        // Text centred both ways: boxes of one column (across) or row (down) share a size.
        let inner = w.saturating_sub(4);
        let top = y0 + 1 + (h - 2).saturating_sub(item.lines.len()) / 2;
        for (i, (text, text_role)) in item.lines.iter().enumerate() {
            let indent = inner.saturating_sub(text.width()) / 2;
            canvas.text(x0 + 2 + indent, top + i, text, inner - indent, *text_role, lit);
        }
    }
}
