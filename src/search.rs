//! Searching the whole course as you type: section titles, text, notes, lists and key points,
//! the explanations of the quiz questions and the glossary's definitions, case-insensitively
//! and Unicode-aware. The text is folded once when the index is built, so
//! each keystroke only scans.

use std::ops::Range;

use crate::course::{BlockBody, Course, Section};
use crate::diagram::Diagram;
use crate::fold::{Folded, fold};

/// Where in a section a piece of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Title,
    Block(usize),
    KeyPoints,
    /// The explanation of the section's question with this index.
    Explanation(usize),
    /// The definition of the glossary term with this index (its hit's section is 0).
    Definition(usize),
}

/// One match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub section: usize,
    pub place: Place,
    /// Which match this is within its place (0 for the first).
    pub nth: usize,
    /// A stretch of text around the match, and where the match is in it (bytes).
    pub snippet: String,
    pub matched: Range<usize>,
}

/// The course's text, ready to search.
#[derive(Debug, Clone, Default)]
pub struct Index {
    entries: Vec<(usize, Place, String, Folded)>,
}

/// The most hits listed: enough to browse, few enough to show at once.
pub const MAX_HITS: usize = 500;
/// Characters of context on each side of a match in a snippet.
const CONTEXT: usize = 30;

/// The searchable text of a section, by place; diagrams count with their title, description,
/// step captions and the words in their boxes and on their arrows.
pub fn section_texts(diagrams: &[Diagram], section: &Section) -> Vec<(Place, String)> {
    let mut texts = vec![(Place::Title, section.title.clone())];
    for (i, block) in section.blocks.iter().enumerate() {
        let text = match &block.body {
            BlockBody::Text(paragraphs) => {
                paragraphs.iter().map(crate::course::Rich::text).collect::<Vec<_>>().join(" ")
            }
            BlockBody::Heading(text) => text.clone(),
            BlockBody::List { lead, items } => lead
                .iter()
                .chain(items)
                .map(crate::course::Rich::text)
                .collect::<Vec<_>>()
                .join(" "),
            BlockBody::Callout { title, note, source, .. } => {
                note_text(title.as_deref(), note, source.as_deref())
            }
            BlockBody::Context { title, note, source, .. } => {
                note_text(title.as_deref(), note, Some(source))
            }
            BlockBody::Diagram(index) => diagrams.get(*index).map(diagram_text).unwrap_or_default(),
        };
        texts.push((Place::Block(i), text));
    }
    let points: Vec<String> = section.key_points.iter().map(crate::course::Rich::text).collect();
    if !points.is_empty() {
        texts.push((Place::KeyPoints, points.join(" ")));
    }
    texts
}

/// The id of the block at `place`, if it is a block that has one.
pub fn block_id(section: &Section, place: Place) -> Option<&str> {
    match place {
        Place::Block(i) => section.blocks.get(i).and_then(|b| b.id.as_deref()),
        Place::Title | Place::KeyPoints | Place::Explanation(_) | Place::Definition(_) => None,
    }
}

fn diagram_text(diagram: &Diagram) -> String {
    let mut parts = vec![diagram.title.clone(), diagram.alt.clone()];
    parts.extend(diagram.steps.iter().map(|s| s.caption.clone()));
    parts.extend(
        diagram.nodes.iter().flat_map(|n| std::iter::once(n.label.clone()).chain(n.detail.clone())),
    );
    parts.extend(diagram.edges.iter().filter_map(|e| e.label.clone()));
    parts.join(" ")
}

fn note_text(title: Option<&str>, note: &crate::course::Note, source: Option<&str>) -> String {
    let mut parts: Vec<String> = title.map(str::to_owned).into_iter().collect();
    parts.extend(note.paragraphs.iter().chain(&note.items).map(crate::course::Rich::text));
    parts.extend(source.map(str::to_owned));
    parts.join(" ")
}

impl Index {
    pub fn new(course: &Course) -> Self {
        let entries = course
            .sections
            .iter()
            .enumerate()
            .flat_map(|(s, section)| {
                let explanations = section
                    .questions
                    .iter()
                    .enumerate()
                    .map(|(q, question)| (Place::Explanation(q), question.explanation.clone()));
                section_texts(&course.diagrams, section).into_iter().chain(explanations).map(
                    move |(place, text)| {
                        let folded = Folded::new(&text);
                        (s, place, text, folded)
                    },
                )
            })
            // The glossary comes after the sections, as in a book.
            .chain(course.glossary.iter().enumerate().map(|(t, term)| {
                let text = format!("{}: {}", term.term, term.definition);
                let folded = Folded::new(&text);
                (0, Place::Definition(t), text, folded)
            }))
            .collect();
        Self { entries }
    }

    /// Every match of `query`, in course order, at most [`MAX_HITS`]. Queries shorter than
    /// two characters find nothing: one letter matches almost everywhere.
    pub fn search(&self, query: &str) -> Vec<Hit> {
        let needle = fold(query.trim());
        if needle.chars().count() < 2 {
            return Vec::new();
        }
        let mut hits = Vec::new();
        for (section, place, text, folded) in &self.entries {
            for (nth, range) in folded.find_all(&needle).enumerate() {
                let original = folded.original(range);
                hits.push(snippet(*section, *place, nth, text, original));
                if hits.len() == MAX_HITS {
                    return hits;
                }
            }
        }
        hits
    }
}

fn snippet(section: usize, place: Place, nth: usize, text: &str, found: Range<usize>) -> Hit {
    let start = text[..found.start].char_indices().rev().nth(CONTEXT - 1).map_or(0, |(i, _)| i);
    let end =
        text[found.end..].char_indices().nth(CONTEXT).map_or(text.len(), |(i, _)| found.end + i);
    let (prefix, suffix) =
        (if start > 0 { "…" } else { "" }, if end < text.len() { "…" } else { "" });
    let snippet = format!("{prefix}{}{suffix}", &text[start..end]);
    let matched = (found.start - start + prefix.len())..(found.end - start + prefix.len());
    Hit { section, place, nth, snippet, matched }
}

/// The matches of `query` (folded) in one line of text, as byte ranges, for highlighting.
pub fn matches_in(line: &str, needle: &str) -> Vec<Range<usize>> {
    if needle.is_empty() {
        return Vec::new();
    }
    let folded = Folded::new(line);
    folded.find_all(needle).map(|r| folded.original(r)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{self, load::PackSource};

    fn index() -> (Course, Index) {
        let course = content::load(&PackSource::BuiltIn).unwrap().course;
        let index = Index::new(&course);
        (course, index)
    }

    #[test]
    fn finds_a_word_in_its_section_whatever_the_case() {
        let (course, index) = index();
        let hits = index.search("LIPOSUCTION");
        assert!(!hits.is_empty());
        assert_eq!(course.sections[hits[0].section].id, "harvesting");
        let hit = &hits[0];
        assert_eq!(&hit.snippet[hit.matched.clone()], "liposuction");
    }

    #[test]
    fn searches_notes_and_key_points_too() {
        let (_, index) = index();
        assert!(index.search("apheresis").iter().any(|h| matches!(h.place, Place::Block(_))));
        assert!(
            index.search("same-surgery injections").iter().any(|h| h.place == Place::KeyPoints)
        );
        assert!(index.search("x").is_empty(), "one letter finds nothing");
        assert!(!index.search("Where stem cells are harvested").is_empty(), "diagram titles too");
        assert!(index.search("no such words anywhere").is_empty());
    }

    #[test]
    fn counts_each_match_within_its_place() {
        let (_, index) = index();
        let hits = index.search("stem cell");
        assert!(hits.len() > 20);
        let first_block: Vec<usize> = hits
            .iter()
            .filter(|h| h.section == 0 && h.place == Place::Block(0))
            .map(|h| h.nth)
            .collect();
        assert_eq!(first_block, (0..first_block.len()).collect::<Vec<_>>());
    }

    #[test]
    fn snippets_are_short_and_marked_with_ellipses() {
        let (_, index) = index();
        let hit = &index.search("regeneration")[0];
        assert!(hit.snippet.chars().count() <= 2 * 30 + 14);
        assert!(hit.snippet.starts_with('…'));
    }

    #[test]
    fn finds_quiz_explanations_and_glossary_definitions_and_says_which() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/packs/water-cycle");
        let course = content::load(&PackSource::Dir(dir.into())).unwrap().course;
        let index = Index::new(&course);
        let hits = index.search("only water escapes");
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!((hits[0].section, hits[0].place), (0, Place::Explanation(0)));
        let hits = index.search("small pores");
        assert_eq!(hits.len(), 1, "{hits:?}");
        let Place::Definition(term) = hits[0].place else { panic!("{hits:?}") };
        assert_eq!(course.glossary[term].term, "transpiration");
    }

    #[test]
    fn highlights_every_match_in_a_line() {
        assert_eq!(matches_in("Fat, fat and FAT", "fat"), vec![0..3, 5..8, 13..16]);
        assert!(matches_in("anything", "").is_empty());
    }
}
