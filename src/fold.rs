//! Case-insensitive, Unicode-aware matching, shared by search and the glossary: text is
//! folded to lower case once, with a map back to the original positions, so a match found in
//! the folded text can be highlighted in the original (`İ` lowercases to two characters, so
//! positions do shift).

use std::ops::Range;

/// Text in lower case, with where each folded byte came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folded {
    pub text: String,
    /// For each byte of `text` (and one past the end), the byte offset in the original.
    origin: Vec<usize>,
}

impl Folded {
    pub fn new(original: &str) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len() + 1);
        for (at, c) in original.char_indices() {
            for lower in c.to_lowercase() {
                let before = text.len();
                text.push(fold_char(lower));
                origin.extend(std::iter::repeat_n(at, text.len() - before));
            }
        }
        origin.push(original.len());
        Self { text, origin }
    }

    /// The original byte range of a folded byte range.
    pub fn original(&self, folded: Range<usize>) -> Range<usize> {
        let start = self.origin[folded.start];
        // The end maps to the start of the character after the match in the original.
        let end = self.origin.get(folded.end).copied().unwrap_or(start);
        start..end.max(start)
    }

    /// Every match of `needle` (already folded), left to right, not overlapping, in folded
    /// byte offsets.
    pub fn find_all<'a>(&'a self, needle: &'a str) -> impl Iterator<Item = Range<usize>> + 'a {
        let mut from = 0;
        std::iter::from_fn(move || {
            if needle.is_empty() {
                return None;
            }
            let at = from + self.text[from..].find(needle)?;
            from = at + needle.len();
            Some(at..from)
        })
    }

    /// Whether the match at this folded range stands as whole words (not inside a word).
    pub fn is_whole_word(&self, range: &Range<usize>) -> bool {
        let before = self.text[..range.start].chars().next_back();
        let after = self.text[range.end..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    }
}

/// Folds a query the same way as text.
pub fn fold(text: &str) -> String {
    // ASCII text has no quotes or dashes to fold, and lower-cases byte by byte.
    if text.is_ascii() { text.to_ascii_lowercase() } else { Folded::new(text).text }
}

/// Curly and straight quotes, and the dashes, match each other.
fn fold_char(c: char) -> char {
    match c {
        '’' | '‘' => '\'',
        '“' | '”' => '"',
        '–' | '—' => '-',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ascii_shortcut_folds_as_the_full_fold_does() {
        let ascii: String = (0..128u8).map(char::from).collect();
        assert_eq!(fold(&ascii), Folded::new(&ascii).text);
        assert_eq!(fold("Stem CELLS"), "stem cells");
    }

    #[test]
    fn finds_regardless_of_case_and_maps_back() {
        let text = "Bone MARROW and bone marrow";
        let folded = Folded::new(text);
        let hits: Vec<_> =
            folded.find_all("bone marrow").map(|r| &text[folded.original(r)]).collect();
        assert_eq!(hits, ["Bone MARROW", "bone marrow"]);
    }

    #[test]
    fn unicode_case_changes_length_but_positions_map_back() {
        // 'İ' (U+0130) lowercases to 'i' + a combining dot: the folded text is longer.
        let text = "İstanbul stem cell";
        let folded = Folded::new(text);
        let hit = folded.find_all("stem").next().unwrap();
        assert_eq!(&text[folded.original(hit)], "stem");
        let text = "ÉCOLE Straße";
        let folded = Folded::new(text);
        let hit = folded.find_all("école").next().unwrap();
        assert_eq!(&text[folded.original(hit)], "ÉCOLE");
    }

    #[test]
    fn quotes_and_dashes_match_either_way() {
        let folded = Folded::new("the body’s raw materials—cells");
        assert!(folded.find_all("body's raw materials-cells").next().is_some());
    }

    #[test]
    fn whole_words_only_when_asked() {
        let folded = Folded::new("systemic systems system");
        let hits: Vec<_> = folded.find_all("system").collect();
        assert_eq!(hits.len(), 3);
        assert_eq!(hits.iter().filter(|h| folded.is_whole_word(h)).count(), 1);
    }

    #[test]
    fn overlapping_matches_are_counted_once() {
        let folded = Folded::new("aaaa");
        assert_eq!(folded.find_all("aa").count(), 2);
    }
}
