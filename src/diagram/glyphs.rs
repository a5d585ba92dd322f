//! The characters a drawing is made of: Unicode box drawing, or plain ASCII for terminals and
//! printers that lack it. Each box style differs in shape or words, not only in colour.

use super::NodeStyle;

/// The outline of one box style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Border {
    pub top_left: char,
    pub top_right: char,
    pub bottom_left: char,
    pub bottom_right: char,
    pub horizontal: char,
    pub vertical: char,
    /// Where an arrow leaves the right side (across) …
    pub port_right: char,
    /// … or the bottom (down).
    pub port_bottom: char,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Glyphs {
    pub ascii: bool,
    plain: Border,
    accent: Border,
    optional: Border,
    pub arrow_right: char,
    pub arrow_down: char,
    /// `→` in the text list.
    pub arrow_text: &'static str,
}

impl Glyphs {
    pub const UNICODE: Self = Self {
        ascii: false,
        plain: Border {
            top_left: '┌',
            top_right: '┐',
            bottom_left: '└',
            bottom_right: '┘',
            horizontal: '─',
            vertical: '│',
            port_right: '├',
            port_bottom: '┬',
        },
        accent: Border {
            top_left: '┏',
            top_right: '┓',
            bottom_left: '┗',
            bottom_right: '┛',
            horizontal: '━',
            vertical: '┃',
            port_right: '┠',
            port_bottom: '┯',
        },
        optional: Border {
            top_left: '┌',
            top_right: '┐',
            bottom_left: '└',
            bottom_right: '┘',
            horizontal: '╌',
            vertical: '╎',
            port_right: '├',
            port_bottom: '┬',
        },
        arrow_right: '▶',
        arrow_down: '▼',
        arrow_text: "→",
    };

    pub const ASCII: Self = Self {
        ascii: true,
        plain: Border {
            top_left: '+',
            top_right: '+',
            bottom_left: '+',
            bottom_right: '+',
            horizontal: '-',
            vertical: '|',
            port_right: '+',
            port_bottom: '+',
        },
        accent: Border {
            top_left: '#',
            top_right: '#',
            bottom_left: '#',
            bottom_right: '#',
            horizontal: '=',
            vertical: '#',
            port_right: '#',
            port_bottom: '#',
        },
        optional: Border {
            top_left: '+',
            top_right: '+',
            bottom_left: '+',
            bottom_right: '+',
            horizontal: '.',
            vertical: ':',
            port_right: '+',
            port_bottom: '+',
        },
        arrow_right: '>',
        arrow_down: 'v',
        arrow_text: "->",
    };

    pub fn border(&self, style: NodeStyle) -> Border {
        match style {
            NodeStyle::Accent => self.accent,
            NodeStyle::Optional => self.optional,
            NodeStyle::Plain | NodeStyle::Established | NodeStyle::Trial | NodeStyle::Unproven => {
                self.plain
            }
        }
    }

    /// The words inside a box that say its style, for the styles whose meaning must survive
    /// without colour.
    pub fn marker(&self, style: NodeStyle) -> Option<&'static str> {
        Some(match (style, self.ascii) {
            (NodeStyle::Plain | NodeStyle::Accent, _) => return None,
            (NodeStyle::Optional, _) => "(optional)",
            (NodeStyle::Established, false) => "✓ established",
            (NodeStyle::Established, true) => "+ established",
            (NodeStyle::Trial, _) => "~ in trials",
            (NodeStyle::Unproven, false) => "✗ unproven",
            (NodeStyle::Unproven, true) => "x unproven",
        })
    }

    /// What stands for a style at the start of a legend line: the marker's symbol, or a piece
    /// of the border.
    pub fn swatch(&self, style: NodeStyle) -> String {
        match (style, self.ascii) {
            (NodeStyle::Established, false) => "✓".to_owned(),
            (NodeStyle::Established, true) => "+".to_owned(),
            (NodeStyle::Trial, _) => "~".to_owned(),
            (NodeStyle::Unproven, false) => "✗".to_owned(),
            (NodeStyle::Unproven, true) => "x".to_owned(),
            (NodeStyle::Plain | NodeStyle::Accent | NodeStyle::Optional, _) => {
                let border = self.border(style);
                format!("{}{}", border.top_left, border.horizontal)
            }
        }
    }

    /// The character for a cell where lines meet, from the directions that leave it.
    pub fn line(&self, bits: u8) -> char {
        let horizontal = bits & (LEFT | RIGHT) != 0;
        let vertical = bits & (UP | DOWN) != 0;
        if self.ascii {
            return match (horizontal, vertical) {
                (true, false) => '-',
                (false, true) => '|',
                (true, true) => '+',
                (false, false) => ' ',
            };
        }
        match bits {
            0 => ' ',
            TURN_DOWN_RIGHT => '╭',
            TURN_DOWN_LEFT => '╮',
            TURN_UP_RIGHT => '╰',
            TURN_UP_LEFT => '╯',
            TEE_RIGHT => '├',
            TEE_LEFT => '┤',
            TEE_DOWN => '┬',
            TEE_UP => '┴',
            _ if !vertical => '─',
            _ if !horizontal => '│',
            _ => '┼',
        }
    }
}

const TURN_DOWN_RIGHT: u8 = DOWN | RIGHT;
const TURN_DOWN_LEFT: u8 = DOWN | LEFT;
const TURN_UP_RIGHT: u8 = UP | RIGHT;
const TURN_UP_LEFT: u8 = UP | LEFT;
const TEE_RIGHT: u8 = UP | DOWN | RIGHT;
const TEE_LEFT: u8 = UP | DOWN | LEFT;
const TEE_DOWN: u8 = LEFT | RIGHT | DOWN;
const TEE_UP: u8 = LEFT | RIGHT | UP;

pub const UP: u8 = 1;
pub const DOWN: u8 = 2;
pub const LEFT: u8 = 4;
pub const RIGHT: u8 = 8;
