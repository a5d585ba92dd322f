//! Where the parts of a screen go, by plain arithmetic. Every screen here is fixed rows and
//! columns around one part that takes the rest, which needs no constraint solver: ratatui's
//! `Layout` solves each new arrangement with one (kasuari), and on the first frame, before
//! its cache is warm, that was a fifth of the work of starting the program. The tests check
//! that each function gives the same rectangles as the `Layout` it replaces.

use ratatui::layout::Rect;

/// Rows of the given heights stacked from the top of `area`; a row that does not fit is cut
/// to what is left (down to nothing), so every row stays inside `area`. A last height of
/// `area.height` makes the last row take the rest.
pub fn rows<const N: usize>(area: Rect, heights: [u16; N]) -> [Rect; N] {
    let mut y = area.y;
    heights.map(|height| {
        let height = height.min(area.bottom() - y);
        let row = Rect { y, height, ..area };
        y += height;
        row
    })
}

/// A one-row header, the body, and a one-row footer.
pub fn header_body_footer(area: Rect) -> [Rect; 3] {
    let [header, rest] = top_rows(area, 1);
    let [body, footer] = bottom_rows(rest, 1);
    [header, body, footer]
}

/// The top `height` rows of `area`, and the rest below them.
pub fn top_rows(area: Rect, height: u16) -> [Rect; 2] {
    let height = height.min(area.height);
    [Rect { height, ..area }, Rect { y: area.y + height, height: area.height - height, ..area }]
}

/// The rest of `area`, and its bottom `height` rows.
pub fn bottom_rows(area: Rect, height: u16) -> [Rect; 2] {
    let height = height.min(area.height);
    let rest = area.height - height;
    [Rect { height: rest, ..area }, Rect { y: area.y + rest, height, ..area }]
}

/// The left `width` columns of `area`, and the rest to their right.
pub fn left_columns(area: Rect, width: u16) -> [Rect; 2] {
    let width = width.min(area.width);
    [Rect { width, ..area }, Rect { x: area.x + width, width: area.width - width, ..area }]
}

/// The rest of `area`, and its right `width` columns.
pub fn right_columns(area: Rect, width: u16) -> [Rect; 2] {
    let width = width.min(area.width);
    let rest = area.width - width;
    [Rect { width: rest, ..area }, Rect { x: area.x + rest, width, ..area }]
}

/// `area` cut into a left and a right half; the left half takes the odd column.
pub fn halves(area: Rect) -> [Rect; 2] {
    left_columns(area, area.width.div_ceil(2))
}

/// A box of at most `width` x `height`, centred in `area`; where the space around it is odd,
/// the extra row or column goes above or to the left, as with ratatui's centring.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    centered_vertically(centered_horizontally(area, width), height)
}

/// A column of at most `width`, centred in `area`, as tall as `area`.
pub fn centered_horizontally(area: Rect, width: u16) -> Rect {
    let width = width.min(area.width);
    Rect { x: area.x + (area.width - width).div_ceil(2), width, ..area }
}

/// A band of at most `height` rows, centred in `area`, as wide as `area`.
pub fn centered_vertically(area: Rect, height: u16) -> Rect {
    let height = height.min(area.height);
    Rect { y: area.y + (area.height - height).div_ceil(2), height, ..area }
}

#[cfg(test)]
mod tests {
    use ratatui::layout::{Constraint, Layout};

    use super::*;

    /// Windows from the smallest the screens are drawn at to wider than a projector's, placed
    /// away from the origin so that offsets are checked too.
    fn windows() -> impl Iterator<Item = Rect> {
        (crate::ui::MIN_WIDTH..=230).step_by(13).flat_map(|width| {
            (crate::ui::MIN_HEIGHT..=70)
                .step_by(3)
                .map(move |height| Rect::new(3, 2, width, height))
        })
    }

    #[test]
    fn header_body_footer_and_the_row_splits_match_layout() {
        for area in windows() {
            let expected = Layout::vertical([
                Constraint::Length(1),
                Constraint::Fill(1),
                Constraint::Length(1),
            ])
            .areas::<3>(area);
            assert_eq!(header_body_footer(area), expected, "{area:?}");
            let expected =
                Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas::<2>(area);
            assert_eq!(bottom_rows(area, 1), expected, "{area:?}");
            let expected =
                Layout::vertical([Constraint::Length(3), Constraint::Fill(1)]).areas::<2>(area);
            assert_eq!(top_rows(area, 3), expected, "{area:?}");
        }
    }

    #[test]
    fn column_splits_match_layout() {
        for area in windows() {
            let expected =
                Layout::horizontal([Constraint::Length(28), Constraint::Fill(1)]).areas::<2>(area);
            assert_eq!(left_columns(area, 28), expected, "{area:?}");
            let expected =
                Layout::horizontal([Constraint::Fill(1), Constraint::Length(1)]).areas::<2>(area);
            assert_eq!(right_columns(area, 1), expected, "{area:?}");
            let expected =
                Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                    .areas::<2>(area);
            assert_eq!(halves(area), expected, "{area:?}");
        }
    }

    #[test]
    fn stacked_rows_match_layout_when_they_fit_and_stay_inside_when_they_do_not() {
        for area in windows() {
            for pad in [0, 1, 2, 5] {
                let heights = [pad * 2, 3, 4, pad, 1, 6, pad, 2];
                let got = rows(area, heights);
                if heights.iter().sum::<u16>() <= area.height {
                    let expected =
                        Layout::vertical(heights.map(Constraint::Length)).areas::<8>(area);
                    assert_eq!(got, expected, "{area:?} {heights:?}");
                }
                for row in got {
                    assert_eq!(row.intersection(area), row, "{area:?} {heights:?}");
                }
            }
        }
    }

    #[test]
    fn centring_matches_ratatui() {
        for area in windows() {
            for (width, height) in [(18, 5), (52, 5), (72, 1), (300, 200), (area.width - 1, 2)] {
                let expected = area.centered(
                    Constraint::Length(width.min(area.width)),
                    Constraint::Length(height.min(area.height)),
                );
                assert_eq!(centered(area, width, height), expected, "{area:?} {width}x{height}");
                let expected =
                    area.centered_horizontally(Constraint::Length(width.min(area.width)));
                assert_eq!(centered_horizontally(area, width), expected, "{area:?} {width}");
                let expected =
                    area.centered_vertically(Constraint::Length(height.min(area.height)));
                assert_eq!(centered_vertically(area, height), expected, "{area:?} {height}");
            }
        }
    }
}
