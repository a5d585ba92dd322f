//! The arrows between two neighbouring layers. Arrows that share ends form a net drawn as one
//! branching line on a track at right angles to the flow; nets whose spans overlap get
//! tracks of their own. Words go beside the arrowhead, or at the start of the arrow when
//! several arrows with different words meet at one box.

use std::collections::HashMap;

use unicode_width::UnicodeWidthStr;

use super::super::text::wrap;
use super::{Across, Down, Layer, Orientation, Segment, longest_word};

/// Words on an arrow, placed in a gap.
#[derive(Debug)]
pub struct Label {
    /// Offset of the first line from the start of the gap, along the flow.
    pub main: usize,
    /// Each line, with where it starts across the flow.
    pub lines: Vec<(i64, String)>,
    pub lit: bool,
}

/// Where a segment leaves its source and reaches its target, across the flow, and the offset
/// of its track from the start of the gap (`None`: a straight line).
#[derive(Debug, Clone, Copy)]
pub struct End {
    pub from: i64,
    pub to: i64,
    pub track: Option<usize>,
}

/// The arrows between layer `l` and `l + 1`.
#[derive(Debug, Default)]
pub struct Gap {
    /// Size along the flow.
    pub len: usize,
    /// By segment index.
    pub ends: HashMap<usize, End>,
    pub labels: Vec<Label>,
}

/// A label waiting for its place: where its arrow runs, its words, and whether it is lit.
type Words<'a> = (i64, &'a str, bool);

pub fn route(
    orientation: Orientation,
    layers: &[Layer],
    l: usize,
    segments: &[Segment],
    limit: Option<usize>,
) -> Gap {
    let (this, next) = (&layers[l], &layers[l + 1]);
    let here: Vec<usize> = (0..segments.len()).filter(|&s| segments[s].layer == l).collect();
    if here.is_empty() {
        return Gap { len: 2, ..Gap::default() };
    }
    let into = |to: usize| here.iter().filter(|&&o| segments[o].to == to).count();
    let out = |from: usize| here.iter().filter(|&&o| segments[o].from == from).count();

    // A lone arrow between boxes that face each other runs straight, off the middle if need
    // be, rather than jogging sideways by a column or two.
    let mut ends: HashMap<usize, End> = HashMap::new();
    for &s in &here {
        let segment = &segments[s];
        let (source, target) = (&this.items[segment.from], &next.items[segment.to]);
        let (mut from, mut to) = (source.port(), target.port());
        if from != to {
            if into(segment.to) == 1 && target.accepts(from) {
                to = from;
            } else if out(segment.from) == 1 && source.accepts(to) {
                from = to;
            }
        }
        ends.insert(s, End { from, to, track: None });
    }

    let nets = nets(&here, segments);
    let (slot_of_net, slots) = slots(&nets, &ends);

    // Words: at the arrowhead when every arrow into that box says the same; else at the start
    // of an arrow that is its source's only one here; else left out.
    let mut at_target: HashMap<usize, (i64, &str, bool)> = HashMap::new();
    let mut at_source: HashMap<usize, (i64, &str, bool)> = HashMap::new();
    for &s in &here {
        let segment = &segments[s];
        let Some(label) = segment.label.as_deref() else { continue };
        let same = here
            .iter()
            .map(|&o| &segments[o])
            .filter(|o| o.to == segment.to)
            .all(|o| o.label.as_deref() == Some(label));
        if same {
            let entry = at_target.entry(segment.to).or_insert((ends[&s].to, label, false));
            entry.2 |= segment.lit;
        } else if out(segment.from) == 1 {
            at_source.insert(segment.from, (ends[&s].from, label, segment.lit));
        }
    }
    let (at_source, at_target) = (sorted(at_source), sorted(at_target));

    let arrows: Vec<(i64, i64)> = here.iter().map(|s| (ends[s].from, ends[s].to)).collect();
    let (mut gap, first_track, pitch) =
        zones(orientation, slots, &at_source, &at_target, &arrows, limit);
    for (n, net) in nets.iter().enumerate() {
        let track = slot_of_net.get(&n).map(|slot| first_track + pitch * slot);
        for s in net {
            if let Some(end) = ends.get_mut(s) {
                end.track = track;
            }
        }
    }
    gap.ends = ends;
    gap
}

/// Gives each net that must run sideways a track, first fit in the order the nets start,
/// so that nets whose spans do not overlap share one. Returns the slot of each such net and
/// how many slots there are.
fn slots(nets: &[Vec<usize>], ends: &HashMap<usize, End>) -> (HashMap<usize, usize>, usize) {
    let mut spans: Vec<(i64, i64, usize)> = nets
        .iter()
        .enumerate()
        .map(|(i, net)| {
            let points = net.iter().flat_map(|s| [ends[s].from, ends[s].to]);
            let (lo, hi) = points.fold((i64::MAX, i64::MIN), |(lo, hi), p| (lo.min(p), hi.max(p)));
            (lo, hi, i)
        })
        .filter(|(lo, hi, _)| lo < hi)
        .collect();
    spans.sort_unstable();
    let mut slot_ends: Vec<i64> = Vec::new();
    let mut slot_of_net: HashMap<usize, usize> = HashMap::new();
    for (lo, hi, net) in spans {
        let slot = slot_ends.iter().position(|&end| end + 1 < lo).unwrap_or(slot_ends.len());
        if slot == slot_ends.len() {
            slot_ends.push(hi);
        } else {
            slot_ends[slot] = hi;
        }
        slot_of_net.insert(net, slot);
    }
    (slot_of_net, slot_ends.len())
}

/// The gap's size along the flow and its words, placed: across, on the line at the start or
/// before the arrowhead; down, beside the line. Also where the first track is and how far
/// apart tracks are.
fn zones(
    orientation: Orientation,
    slots: usize,
    at_source: &[Words],
    at_target: &[Words],
    arrows: &[(i64, i64)],
    limit: Option<usize>,
) -> (Gap, usize, usize) {
    let mut gap = Gap::default();
    match orientation {
        Across => {
            let widest = |v: &[Words]| v.iter().map(|w| w.1.width()).max();
            let source_zone = widest(at_source).map_or(1, |w| w + 4);
            let tracks = (2 * slots).saturating_sub(1);
            let target_zone = widest(at_target).map_or(2, |w| w + 5);
            gap.len = source_zone + tracks + target_zone;
            for &(at, text, lit) in at_source {
                let lines = vec![(at, format!(" {text} "))];
                gap.labels.push(Label { main: 1, lines, lit });
            }
            for &(at, text, lit) in at_target {
                let lines = vec![(at, format!(" {text} "))];
                gap.labels.push(Label { main: source_zone + tracks + 1, lines, lit });
            }
            (gap, source_zone, 2)
        }
        Down => {
            let limit = i64::try_from(limit.unwrap_or(usize::MAX / 2)).unwrap_or(i64::MAX / 2);
            let starts: Vec<i64> = arrows.iter().map(|a| a.0).collect();
            let heads: Vec<i64> = arrows.iter().map(|a| a.1).collect();
            let sources = beside(at_source, &starts, limit);
            let targets = beside(at_target, &heads, limit);
            let rows = |labels: &[Label]| labels.iter().map(|l| l.lines.len()).max().unwrap_or(0);
            let source_zone = rows(&sources);
            let mut target_zone = rows(&targets) + 1;
            if slots == 0 && source_zone + target_zone < 2 {
                target_zone = 2;
            }
            gap.len = source_zone + slots + target_zone;
            gap.labels.extend(sources);
            gap.labels
                .extend(targets.into_iter().map(|l| Label { main: source_zone + slots, ..l }));
            (gap, source_zone, 1)
        }
    }
}

fn sorted(words: HashMap<usize, Words<'_>>) -> Vec<Words<'_>> {
    let mut v: Vec<Words> = words.into_values().collect();
    v.sort_by_key(|w| w.0);
    v
}

/// Groups the segments of one gap into nets: those connected through shared ends, when every
/// source of the group points at every target (so one branching line tells the truth);
/// otherwise one net per source, so that no line suggests an arrow that is not there.
fn nets(here: &[usize], segments: &[Segment]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of_source: HashMap<usize, usize> = HashMap::new();
    let mut group_of_target: HashMap<usize, usize> = HashMap::new();
    for &s in here {
        let (from, to) = (segments[s].from, segments[s].to);
        let a = group_of_source.get(&from).copied();
        let b = group_of_target.get(&to).copied();
        let g = match (a, b) {
            (Some(a), Some(b)) if a != b => {
                let moved = std::mem::take(&mut groups[b]);
                for &m in &moved {
                    group_of_source.insert(segments[m].from, a);
                    group_of_target.insert(segments[m].to, a);
                }
                groups[a].extend(moved);
                a
            }
            (Some(g), _) | (None, Some(g)) => g,
            (None, None) => {
                groups.push(Vec::new());
                groups.len() - 1
            }
        };
        groups[g].push(s);
        group_of_source.insert(from, g);
        group_of_target.insert(to, g);
    }
    let mut nets = Vec::new();
    for group in groups.into_iter().filter(|g| !g.is_empty()) {
        let mut sources: Vec<usize> = group.iter().map(|&s| segments[s].from).collect();
        let mut targets: Vec<usize> = group.iter().map(|&s| segments[s].to).collect();
        sources.sort_unstable();
        sources.dedup();
        targets.sort_unstable();
        targets.dedup();
        if sources.len() * targets.len() == group.len() {
            nets.push(group);
        } else {
            for source in sources {
                nets.push(group.iter().copied().filter(|&s| segments[s].from == source).collect());
            }
        }
    }
    nets
}

/// Down, words go beside the vertical line of their arrow, in the rows of the gap: right of
/// it when they fit on one line before the next line, else left of it, else wrapped on the
/// roomier side. Words that cannot fit even one word per line are left out.
fn beside(words: &[Words], verticals: &[i64], limit: i64) -> Vec<Label> {
    let mut verticals = verticals.to_vec();
    verticals.sort_unstable();
    verticals.dedup();
    let mut free_from = 0;
    let mut placed = Vec::new();
    for &(x, text, lit) in words {
        let width = i64::try_from(text.width()).unwrap_or(i64::MAX);
        let right_start = x + 2;
        let right_end = verticals.iter().find(|&&v| v > x).map_or(limit, |v| v - 1);
        let left_start =
            verticals.iter().rev().find(|&&v| v < x).map_or(0, |v| v + 2).max(free_from);
        let left_end = x - 1;
        let (right_room, left_room) = (right_end - right_start, left_end - left_start);
        let (right, room) = if right_room >= width {
            (true, width)
        } else if left_room >= width {
            (false, width)
        } else if right_room >= left_room {
            (true, right_room)
        } else {
            (false, left_room)
        };
        let word = i64::try_from(longest_word(text)).unwrap_or(i64::MAX);
        if room < word.max(1) {
            continue;
        }
        let lines: Vec<(i64, String)> = wrap(text, usize::try_from(room).unwrap_or(1))
            .into_iter()
            .map(|line| {
                let width = i64::try_from(line.width()).unwrap_or(0);
                (if right { right_start } else { left_end - width }, line)
            })
            .collect();
        let line_ends = lines.iter().map(|(s, l)| s + i64::try_from(l.width()).unwrap_or(0));
        free_from = line_ends.max().map_or(free_from, |e| e + 1);
        placed.push(Label { main: 0, lines, lit });
    }
    placed
}
