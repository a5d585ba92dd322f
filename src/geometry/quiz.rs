//! The quiz and results screens: a header, a scrolling body of text column width, the footer;
//! and what a click on a line of the body can do.

use ratatui::layout::Rect;

use super::reader::MAX_TEXT_WIDTH;

/// What a click on a line does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// An option, a step or a left-hand item, by screen position.
    Item(usize),
    /// A right-hand partner of a match, by screen position.
    Partner(usize),
    Check,
    Next,
    Where,
}

/// The screen's parts: a header, the scrolling body, the footer.
pub fn areas(area: Rect) -> (Rect, Rect, Rect) {
    let [header, body, footer] = super::areas::header_body_footer(area);
    let margin = if body.width >= 40 { 2 } else { 1 };
    let width = body.width.saturating_sub(margin * 2).min(MAX_TEXT_WIDTH);
    let top = u16::from(body.height > 10);
    let body = Rect {
        x: body.x + margin + (body.width.saturating_sub(margin * 2) - width) / 2,
        y: body.y + top,
        width,
        height: body.height - top,
    };
    (header, body, footer)
}

/// The scrolling body of the quiz and results screens.
pub fn body_area(area: Rect) -> Rect {
    areas(area).1
}

/// Rows in the quiz body for a window of this area (one is kept for context when paging).
pub fn page_rows(area: Rect) -> usize {
    (areas(area).1.height as usize).saturating_sub(1).max(1)
}
