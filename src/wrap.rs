//! Word wrapping by display width: the one algorithm behind every wrapped text (the reader's
//! page, words in diagrams, the title screen, text handouts), so they all break lines alike.
//! It works on plain text and answers with byte ranges, so styled text (runs of emphasis,
//! glossary marks) is wrapped by slicing its styles along the same ranges, and every step is
//! linear in the length of the text, however long a paragraph is.

use std::ops::Range;

use unicode_width::UnicodeWidthChar;

/// What to do with a word that does not fit on the rest of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LongWords {
    /// Move it to the next line, breaking it between characters only if it is longer than a
    /// whole line (reading text).
    NextLine,
    /// A word longer than any line is broken where it stands rather than first moved to a
    /// new line (small boxes, where every row counts).
    BreakInPlace,
}

/// One wrapped line: the stretches of the text on it, in order. Stretches are words or parts
/// of a word broken across lines; between two stretches a line shows one space.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Line {
    pub parts: Vec<Range<usize>>,
}

impl Line {
    /// The line's text, with one space between its stretches.
    pub fn text(&self, text: &str) -> String {
        let mut out = String::new();
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&text[part.clone()]);
        }
        out
    }
}

/// The display width of a character, as the reader draws it (0 for combining marks and
/// other characters that take no cell).
pub fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Whether `c` separates words: spaces and other white space, except the no-break spaces
/// authors use to keep a number with its unit.
pub fn is_break(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}')
}

/// Wraps `text` into lines of at most `first` columns (the first line) and `rest` columns
/// (the others), measuring with `width_of`. Runs of white space between words become one
/// space. A character wider than a whole line still gets a line of its own. Always at least
/// one line (empty for empty text).
pub fn lines(
    text: &str,
    first: usize,
    rest: usize,
    long: LongWords,
    width_of: impl Fn(char) -> usize,
) -> Vec<Line> {
    let rest = rest.max(1);
    let mut room = first.max(1);
    let mut out = Vec::new();
    let mut line = Line::default();
    let mut used = 0;
    for word in words(text) {
        let word_width: usize = text[word.clone()].chars().map(&width_of).sum();
        if used > 0 {
            let fits = used + 1 + word_width <= room;
            let broken_here =
                long == LongWords::BreakInPlace && word_width > rest && used + 2 <= room;
            if fits || broken_here {
                used += 1;
            } else {
                out.push(std::mem::take(&mut line));
                room = rest;
                used = 0;
            }
        }
        // The word's stretch on the current line starts here.
        let mut start = word.start;
        for (at, c) in text[word.clone()].char_indices() {
            let at = word.start + at;
            let w = width_of(c);
            if used > 0 && used + w > room {
                if at > start {
                    line.parts.push(start..at);
                }
                out.push(std::mem::take(&mut line));
                room = rest;
                used = 0;
                start = at;
            }
            used += w;
        }
        line.parts.push(start..word.end);
    }
    out.push(line);
    out
}

/// Plain text wrapped to `width` columns, one string per line: the title screen and text
/// handouts.
pub fn plain(text: &str, width: usize) -> Vec<String> {
    lines(text, width, width, LongWords::NextLine, char_width)
        .iter()
        .map(|line| line.text(text))
        .collect()
}

/// The byte ranges of the words in `text`.
fn words(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = None;
    let mut chars = text.char_indices();
    std::iter::from_fn(move || {
        for (at, c) in chars.by_ref() {
            match (start, is_break(c)) {
                (None, false) => start = Some(at),
                (Some(s), true) => {
                    start = None;
                    return Some(s..at);
                }
                _ => {}
            }
        }
        start.take().map(|s| s..text.len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrap(text: &str, width: usize, long: LongWords) -> Vec<String> {
        lines(text, width, width, long, char_width).iter().map(|l| l.text(text)).collect()
    }

    #[test]
    fn wraps_at_word_boundaries_folding_white_space() {
        assert_eq!(plain("stem  cells\tcan divide", 10), ["stem cells", "can divide"]);
        assert_eq!(plain("", 10), [""]);
    }

    #[test]
    fn a_no_break_space_keeps_a_number_with_its_unit() {
        assert_eq!(plain("about 95\u{a0}%", 8), ["about", "95\u{a0}%"]);
    }

    #[test]
    fn long_words_move_to_the_next_line_or_break_in_place() {
        assert_eq!(wrap("a hematopoietic", 5, LongWords::NextLine), ["a", "hemat", "opoie", "tic"]);
        assert_eq!(
            wrap("a hematopoietic", 5, LongWords::BreakInPlace),
            ["a hem", "atopo", "ietic"]
        );
    }

    #[test]
    fn measures_wide_characters_by_display_width() {
        assert_eq!(plain("幹細胞治療", 6), ["幹細胞", "治療"]);
        // A character wider than the line still gets a line of its own.
        assert_eq!(plain("幹細", 1), ["幹", "細"]);
    }

    #[test]
    fn first_and_other_lines_can_differ() {
        let text = "one two three four";
        let got: Vec<String> = lines(text, 3, 9, LongWords::NextLine, char_width)
            .iter()
            .map(|l| l.text(text))
            .collect();
        assert_eq!(got, ["one", "two three", "four"]);
    }
}
