//! A grid of cells to paint boxes, lines and words on, then read back as lines of pieces.
//! Lines are kept as the directions that leave each cell, so where two arrows meet or branch
//! the right junction character appears by itself.

use std::cmp::Ordering;

use unicode_width::UnicodeWidthChar;

use super::glyphs::{DOWN, Glyphs, LEFT, RIGHT, UP};
use super::{DiagramRole, DrawnLine, DrawnPiece};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    Empty,
    Char {
        c: char,
        role: DiagramRole,
        lit: bool,
    },
    /// The right half of a double-width character.
    Covered,
    /// Lines leaving the cell in the directions of `bits`. `joint`: some line turns or ends
    /// here, so they meet; otherwise lines only cross, and are drawn one over the other so
    /// that a crossing never looks like a branch.
    Line {
        bits: u8,
        lit: bool,
        joint: bool,
    },
}

pub struct Canvas {
    width: usize,
    cells: Vec<Vec<Cell>>,
}

impl Canvas {
    pub fn new(width: usize, height: usize) -> Self {
        Self { width, cells: vec![vec![Cell::Empty; width]; height] }
    }

    fn cell(&mut self, x: usize, y: usize) -> Option<&mut Cell> {
        self.cells.get_mut(y)?.get_mut(x)
    }

    /// One character of width 1; anything else is replaced, so that a cell is one column.
    pub fn put(&mut self, x: usize, y: usize, c: char, role: DiagramRole, lit: bool) {
        let c = if c.width() == Some(1) { c } else { '?' };
        if let Some(cell) = self.cell(x, y) {
            *cell = Cell::Char { c, role, lit };
        }
    }

    /// Writes text from `(x, y)` rightwards, never past `x + room` nor the canvas edge; a
    /// character that does not fit ends the text there.
    pub fn text(
        &mut self,
        x: usize,
        y: usize,
        text: &str,
        room: usize,
        role: DiagramRole,
        lit: bool,
    ) {
        let end = (x + room).min(self.width);
        let mut at = x;
        for c in text.chars() {
            let w = display_width(c);
            if at + w > end {
                break;
            }
            match w {
                0 => {}
                1 => self.put(at, y, printable(c), role, lit),
                _ => {
                    if let Some(cell) = self.cell(at, y) {
                        *cell = Cell::Char { c, role, lit };
                    }
                    for covered in at + 1..at + w {
                        if let Some(cell) = self.cell(covered, y) {
                            *cell = Cell::Covered;
                        }
                    }
                }
            }
            at += w;
        }
    }

    /// A line through `points`, each leg straight (same row or same column), joining what it
    /// meets. Cells holding characters are left alone: lines pass behind words and borders.
    pub fn path(&mut self, points: &[(usize, usize)], lit: bool) {
        let mut touched: Vec<((usize, usize), u8)> = Vec::new();
        let mut add =
            |at: (usize, usize), bits: u8| match touched.iter_mut().find(|(c, _)| *c == at) {
                Some((_, old)) => *old |= bits,
                None => touched.push((at, bits)),
            };
        for leg in points.windows(2) {
            let (a, b) = (leg[0], leg[1]);
            if a.0 != b.0 && a.1 != b.1 {
                // Not straight: a caller's mistake; draw nothing rather than a wrong line.
                return;
            }
            let (mut x, mut y) = a;
            while (x, y) != b {
                // Each leg is straight: a change of x means a horizontal leg.
                let (step, back, next) = match (x.cmp(&b.0), y.cmp(&b.1)) {
                    (Ordering::Less, _) => (RIGHT, LEFT, (x + 1, y)),
                    (Ordering::Greater, _) => (LEFT, RIGHT, (x - 1, y)),
                    (_, Ordering::Less) => (DOWN, UP, (x, y + 1)),
                    _ => (UP, DOWN, (x, y - 1)),
                };
                add((x, y), step);
                add(next, back);
                (x, y) = next;
            }
        }
        for ((x, y), bits) in touched {
            let turns = bits & (LEFT | RIGHT) != 0 && bits & (UP | DOWN) != 0;
            let joint = turns || bits.is_power_of_two();
            let Some(cell) = self.cell(x, y) else { continue };
            match cell {
                Cell::Empty => *cell = Cell::Line { bits, lit, joint },
                Cell::Line { bits: old, lit: old_lit, joint: old_joint } => {
                    *old |= bits;
                    *old_lit |= lit;
                    *old_joint |= joint;
                }
                Cell::Char { .. } | Cell::Covered => {}
            }
        }
    }

    /// Reads the canvas back, merging neighbouring cells of one role and light into a piece
    /// and leaving out blank space at the ends of lines.
    pub fn into_lines(self, glyphs: Glyphs) -> Vec<DrawnLine> {
        self.cells
            .into_iter()
            .map(|row| {
                let used = row.iter().rposition(|c| *c != Cell::Empty).map_or(0, |i| i + 1);
                let mut line = DrawnLine::default();
                for cell in &row[..used] {
                    let (c, role, lit) = match *cell {
                        Cell::Empty => (' ', DiagramRole::Blank, true),
                        Cell::Char { c, role, lit } => (c, role, lit),
                        Cell::Covered => continue,
                        Cell::Line { bits, lit, joint } => {
                            let crossing =
                                !joint && bits & (LEFT | RIGHT) != 0 && bits & (UP | DOWN) != 0;
                            let bits = if crossing { UP | DOWN } else { bits };
                            (glyphs.line(bits), DiagramRole::Edge, lit)
                        }
                    };
                    match line.pieces.last_mut() {
                        Some(last) if last.role == role && last.lit == lit => last.text.push(c),
                        _ => line.pieces.push(DrawnPiece { text: c.to_string(), role, lit }),
                    }
                }
                line
            })
            .collect()
    }
}

/// Columns a character takes on screen; control characters are shown as one `?`.
pub fn display_width(c: char) -> usize {
    if c.is_control() { 1 } else { c.width().unwrap_or(0) }
}

pub fn printable(c: char) -> char {
    if c.is_control() { '?' } else { c }
}
