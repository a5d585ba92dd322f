//! Text laid out for a screen but not yet styled. Where a click lands and how far a screen
//! scrolls follow from how its text wraps, so the wrapping is done here, once, for `update`
//! and the views alike; each stretch says what it is (a [`Look`]) and the view's theme turns
//! that into a style, as `ui/theme.rs` does for a page's roles.

use unicode_width::UnicodeWidthStr;

/// What a stretch of text is, for the theme to style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Look {
    /// No style of its own: it keeps whatever is under it (indents).
    Inherit,
    Base,
    Muted,
    Title,
    /// A key to press, like those in the bars.
    Key,
    /// Something that went wrong and needs the reader's attention.
    Notice,
    /// The item under the cursor or chosen.
    Selected,
    /// Verdicts and marks; each always comes with a symbol or a word too.
    Right,
    Partly,
    Wrong,
}

/// A stretch of one line in one look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub text: String,
    pub look: Look,
}

/// One screen line: its runs from left to right.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextLine {
    pub runs: Vec<Run>,
}

impl TextLine {
    /// A line of one run.
    pub fn new(text: impl Into<String>, look: Look) -> Self {
        Self { runs: vec![Run { text: text.into(), look }] }
    }

    /// A line of several runs.
    pub fn from_runs<const N: usize>(runs: [(String, Look); N]) -> Self {
        Self { runs: runs.into_iter().map(|(text, look)| Run { text, look }).collect() }
    }

    /// The columns the line takes on screen.
    pub fn width(&self) -> usize {
        self.runs.iter().map(|r| r.text.width()).sum()
    }

    /// The line's text without its looks.
    pub fn text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
    }
}

/// A bar of `width` cells filled to `share` (0 to 1), as (filled, empty) text: drawn with
/// characters, so it prints, copies and reads the same in every theme.
pub fn text_bar(share: f64, width: usize, ascii: bool) -> (String, String) {
    let cells = u32::try_from(width).unwrap_or(0);
    let filled =
        (0..=cells).rev().find(|&c| f64::from(c) <= share * f64::from(cells) + 0.5).unwrap_or(0);
    let filled = filled as usize;
    let (full, empty) = if ascii { ("#", ".") } else { ("█", "░") };
    (full.repeat(filled), empty.repeat(width - filled))
}
