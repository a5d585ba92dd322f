//! Where the items of each layer go across the flow: each as near as it can be to the middle
//! of what it connects to, so that arrows run straight, while keeping the author's order,
//! spacing between items, and (down) the width.

use super::{Across, Down, Item, Layer, Orientation, Segment, as_i64};

/// Places every item. Without a limit the drawing takes what room it needs; down, when that
/// is more than the width, the items are placed again within it.
pub fn place(
    layers: &mut [Layer],
    segments: &[Segment],
    orientation: Orientation,
    limit: Option<i64>,
) {
    let spacing = match orientation {
        Across => 1,
        Down => 2,
    };
    passes(layers, segments, spacing, None);
    let least = layers.iter().flat_map(|l| &l.items).map(|i| i.pos).min().unwrap_or(0);
    for item in layers.iter_mut().flat_map(|l| &mut l.items) {
        item.pos -= least;
    }
    let extent = layers.iter().flat_map(|l| &l.items).map(|i| i.pos + end(i)).max().unwrap_or(0);
    if let Some(limit) = limit.filter(|&limit| extent > limit) {
        passes(layers, segments, spacing, Some(limit));
    }
}

/// The room an item takes from its position on: itself and the words beside its arrowhead.
fn end(item: &Item) -> i64 {
    as_i64(item.cross + item.reserve)
}

/// First every layer in a row from 0; then, forward, every item follows what points at it;
/// then, backward, items that nothing points at move to face what they point at.
fn passes(layers: &mut [Layer], segments: &[Segment], spacing: i64, limit: Option<i64>) {
    for layer in layers.iter_mut() {
        let wants = vec![(0.0, 1.0); layer.items.len()];
        solve(&mut layer.items, &wants, spacing, limit);
    }
    for l in 1..layers.len() {
        let (before, after) = layers.split_at_mut(l);
        let (previous, layer) = (&before[l - 1], &mut after[0]);
        let wants: Vec<(f64, f64)> = layer
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let ports: Vec<i64> = segments
                    .iter()
                    .filter(|s| s.layer == l - 1 && s.to == i)
                    .map(|s| previous.items[s.from].port())
                    .collect();
                want(&ports, item).map_or((as_f64(item.pos), 0.001), |w| (w, 1.0))
            })
            .collect();
        solve(&mut layer.items, &wants, spacing, limit);
    }
    for l in (0..layers.len().saturating_sub(1)).rev() {
        let (before, after) = layers.split_at_mut(l + 1);
        let (layer, next) = (&mut before[l], &after[0]);
        let wants: Vec<(f64, f64)> = layer
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let pointed_at = l > 0 && segments.iter().any(|s| s.layer == l - 1 && s.to == i);
                let ports: Vec<i64> = segments
                    .iter()
                    .filter(|s| s.layer == l && s.from == i)
                    .map(|s| next.items[s.to].port())
                    .collect();
                match want(&ports, item) {
                    Some(w) if !pointed_at => (w, 1.0),
                    _ => (as_f64(item.pos), 10.0),
                }
            })
            .collect();
        solve(&mut layer.items, &wants, spacing, limit);
    }
}

/// Where an item would like to start so that its port faces the middle of `ports`.
fn want(ports: &[i64], item: &Item) -> Option<f64> {
    if ports.is_empty() {
        return None;
    }
    let mean = ports.iter().map(|&p| as_f64(p)).sum::<f64>() / as_f64(as_i64(ports.len()));
    Some(mean - as_f64(item.port() - item.pos))
}

/// The positions nearest to `wants` (target, weight) that keep order and spacing: weighted
/// isotonic regression (pool adjacent violators) on positions shifted by the room the items
/// before each one need.
fn solve(items: &mut [Item], wants: &[(f64, f64)], spacing: i64, limit: Option<i64>) {
    let mut offsets = Vec::with_capacity(items.len());
    let mut offset = 0;
    for item in items.iter() {
        offsets.push(offset);
        offset += end(item) + spacing;
    }
    // Blocks of (total weight, weighted sum, items).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::new();
    for (&(target, weight), &offset) in wants.iter().zip(&offsets) {
        blocks.push((weight, weight * (target - as_f64(offset)), 1));
        while let [.., a, b] = blocks[..] {
            if a.1 / a.0 <= b.1 / b.0 {
                break;
            }
            blocks.pop();
            if let Some(last) = blocks.last_mut() {
                *last = (a.0 + b.0, a.1 + b.1, a.2 + b.2);
            }
        }
    }
    let mut i = 0;
    for (weight, sum, count) in blocks {
        let value = round(sum / weight);
        for _ in 0..count {
            if let (Some(item), Some(&offset)) = (items.get_mut(i), offsets.get(i)) {
                item.pos = value + offset;
            }
            i += 1;
        }
    }
    separate(items, spacing, limit);
}

/// Restores the spacing that rounding may have taken, and keeps items within `0..limit` when
/// there is a limit.
fn separate(items: &mut [Item], spacing: i64, limit: Option<i64>) {
    let mut floor = if limit.is_some() { 0 } else { i64::MIN / 2 };
    for item in items.iter_mut() {
        item.pos = item.pos.max(floor);
        floor = item.pos + end(item) + spacing;
    }
    let Some(limit) = limit else { return };
    let mut ceiling = limit;
    for item in items.iter_mut().rev() {
        item.pos = item.pos.min(ceiling - end(item));
        ceiling = item.pos - spacing;
    }
    let mut floor = 0;
    for item in items.iter_mut() {
        item.pos = item.pos.max(floor);
        floor = item.pos + end(item) + spacing;
    }
}

#[allow(clippy::cast_precision_loss)]
fn as_f64(n: i64) -> f64 {
    n as f64
}

#[allow(clippy::cast_possible_truncation)]
fn round(value: f64) -> i64 {
    if value.is_finite() { value.round().clamp(-1e12, 1e12) as i64 } else { 0 }
}
