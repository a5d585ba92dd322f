//! The reader's parts: a header, an optional sidebar of sections when the window is wide, the
//! text column with its scrollbar, and the footer.

use ratatui::layout::Rect;

use super::areas;

/// The widest a line of text gets: longer lines are hard to read.
pub const MAX_TEXT_WIDTH: u16 = 78;
/// The sidebar appears only when it leaves the text its full width.
const SIDEBAR_MIN_WINDOW: u16 = 110;
const SIDEBAR_WIDTH: u16 = 28;

/// Where the reader's parts go in a window; `update` uses it too, to know the text's width
/// and height.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReaderAreas {
    pub header: Rect,
    pub sidebar: Option<Rect>,
    pub text: Rect,
    pub scrollbar: Rect,
    pub footer: Rect,
}

/// The width of the text column in a window `window` columns wide, without a sidebar (the
/// rule [`ReaderAreas::new`] follows; `validate` measures step captions with it).
pub const fn text_width(window: u16) -> u16 {
    let body = window.saturating_sub(1);
    let margin = if body >= 40 {
        2
    } else if body >= 24 {
        1
    } else {
        0
    };
    let room = body.saturating_sub(margin * 2);
    if room < MAX_TEXT_WIDTH { room } else { MAX_TEXT_WIDTH }
}

impl ReaderAreas {
    pub fn new(area: Rect) -> Self {
        let [header, middle, footer] = areas::header_body_footer(area);
        let (sidebar, main) = if area.width >= SIDEBAR_MIN_WINDOW {
            let [sidebar, main] = areas::left_columns(middle, SIDEBAR_WIDTH);
            (Some(sidebar), main)
        } else {
            (None, middle)
        };
        let [body, scrollbar] = areas::right_columns(main, 1);
        // A margin on each side when there is room for one; the text column is centred.
        let margin = if body.width >= 40 { 2 } else { u16::from(body.width >= 24) };
        let room = body.width.saturating_sub(margin * 2);
        let width = room.min(MAX_TEXT_WIDTH);
        // A blank row above the text too, when the window is tall enough to spare it.
        let top = u16::from(body.height > 10);
        let text = Rect {
            x: body.x + margin + (room - width) / 2,
            y: body.y + top,
            width,
            height: body.height - top,
        };
        Self { header, sidebar, text, scrollbar, footer }
    }
}
