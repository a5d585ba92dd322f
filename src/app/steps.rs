//! Where the reader looks while a diagram is stepped through: a drawing taller than the
//! window must not leave its caption at the top and the boxes it lights below the fold. After
//! a step the reader scrolls so that the title, the caption and the lit boxes show together
//! when they fit; when they do not, it scrolls to the lit boxes and the title and caption are
//! pinned to the top of the text while the drawing fills it.

use std::ops::Range;

use super::App;
use crate::course::BlockBody;
use crate::diagram::DiagramRole;
use crate::page::Role;

impl App {
    /// The page lines of a diagram block: (all of it, its title and caption).
    fn diagram_lines(&self, block: usize) -> Option<(Range<usize>, Range<usize>)> {
        let start = *self.page.block_starts.get(block)?;
        let end = self.page.block_starts.get(block + 1).copied().unwrap_or(self.page.blocks_end);
        let lines = self.page.lines.get(start..end)?;
        let head = lines.iter().position(|l| l.text().trim().is_empty()).unwrap_or(0);
        Some((start..end, start..start + head))
    }

    /// Where to scroll after the diagram of `block` moved to another step, from `scroll`.
    pub(super) fn scroll_for_step(&self, block: usize, scroll: usize) -> usize {
        let max = self.max_scroll();
        let Some((all, head)) = self.diagram_lines(block) else { return scroll.min(max) };
        let lines = &self.page.lines[all.clone()];
        let dimmed = lines.iter().any(|l| l.pieces.iter().any(|p| p.dim));
        let lit: Vec<usize> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                l.pieces.iter().any(|p| {
                    !p.dim
                        && matches!(
                            p.role,
                            Role::Diagram(
                                DiagramRole::Border(_) | DiagramRole::Label | DiagramRole::Detail
                            )
                        )
                })
            })
            .map(|(i, _)| all.start + i)
            .collect();
        // The whole picture (no step, or the last): only make sure its top is not passed.
        let (Some(&top), Some(&bottom), true) = (lit.first(), lit.last(), dimmed) else {
            return scroll.min(all.start).min(max);
        };
        let rows = self.reader_areas().text.height as usize;
        if bottom + 1 - all.start <= rows {
            let shows_all = scroll <= all.start && bottom < scroll + rows;
            return if shows_all { scroll } else { all.start }.min(max);
        }
        // Too tall for both: the lit boxes at the top, under the pinned caption.
        top.saturating_sub(head.len()).max(all.start).min(max)
    }

    /// The page lines to pin to the top of the text (a stepped diagram's title and caption),
    /// when the diagram fills the view but its caption is scrolled past.
    pub fn pinned_caption(&self) -> Option<Range<usize>> {
        let steps = self.diagram_steps.get(&self.section)?;
        let section = self.course.sections.get(self.section)?;
        steps.keys().find_map(|&block| {
            let BlockBody::Diagram(_) = section.blocks.get(block)?.body else { return None };
            let (all, head) = self.diagram_lines(block)?;
            let passed = head.start < self.scroll;
            let fills = all.end > self.scroll + head.len();
            (passed && fills && !head.is_empty()).then_some(head)
        })
    }
}
