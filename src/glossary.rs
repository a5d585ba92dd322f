//! Where glossary terms appear in text: every form of every term (the term and its `also`
//! names), as whole words, case-insensitively, the longest form winning where forms overlap
//! ("induced pluripotent stem cells" over "pluripotent"). A term is not marked in the blocks its
//! `not_in` names, where the same word is used in another sense ("potency" of a cell product).

use std::collections::BTreeMap;
use std::ops::Range;

use crate::course::Term;
use crate::fold::{Folded, fold};

/// The forms of all terms, longest first, ready to match.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    forms: Vec<(String, usize)>,
    /// Per term: the (section id, block id) pairs where it is not marked.
    not_in: Vec<Vec<(String, String)>>,
}

impl Matcher {
    pub fn new(terms: &[Term]) -> Self {
        let mut forms: Vec<(String, usize)> = terms
            .iter()
            .enumerate()
            .flat_map(|(i, t)| std::iter::once(&t.term).chain(&t.also).map(move |f| (fold(f), i)))
            .filter(|(f, _)| !f.is_empty())
            .collect();
        forms.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        Self { forms, not_in: terms.iter().map(|t| t.not_in.clone()).collect() }
    }

    /// Whether `term` is meant in its glossary sense in this block of this section: false
    /// where its `not_in` names the block. Text outside any block with an id always counts.
    pub fn applies(&self, term: usize, section: &str, block: Option<&str>) -> bool {
        let Some(block) = block else { return true };
        self.not_in
            .get(term)
            .is_none_or(|places| !places.iter().any(|(s, b)| s == section && b == block))
    }

    /// [`Matcher::find`], leaving out the terms not meant in their glossary sense in `block`.
    pub fn find_in(
        &self,
        text: &str,
        section: &str,
        block: Option<&str>,
    ) -> Vec<(Range<usize>, usize)> {
        let mut hits = self.find(text);
        hits.retain(|(_, term)| self.applies(*term, section, block));
        hits
    }

    /// The terms in `text`: (original byte range, term index), left to right, not overlapping.
    pub fn find(&self, text: &str) -> Vec<(Range<usize>, usize)> {
        if self.forms.is_empty() {
            return Vec::new();
        }
        self.find_folded(&Folded::new(text))
    }

    /// [`Matcher::find`] on text already folded (to fold many texts once).
    pub fn find_folded(&self, folded: &Folded) -> Vec<(Range<usize>, usize)> {
        let mut hits: Vec<(Range<usize>, usize)> = Vec::new();
        // The ranges taken so far, start → end. They never overlap, so the one starting last
        // before a new range ends is the only one that can overlap it: one look-up per match
        // instead of a scan of every hit (a 1 MB paragraph has hundreds of thousands).
        let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
        for (form, term) in &self.forms {
            for range in folded.find_all(form) {
                let overlaps =
                    taken.range(..range.end).next_back().is_some_and(|(_, &end)| end > range.start);
                if !overlaps && folded.is_whole_word(&range) {
                    taken.insert(range.start, range.end);
                    hits.push((range, *term));
                }
            }
        }
        hits.sort_by_key(|(r, _)| r.start);
        hits.into_iter().map(|(r, t)| (folded.original(r), t)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(name: &str, also: &[&str]) -> Term {
        Term {
            term: name.into(),
            also: also.iter().map(|s| (*s).to_owned()).collect(),
            definition: "d".into(),
            not_in: Vec::new(),
        }
    }

    #[test]
    fn longest_form_wins_and_words_stay_whole() {
        let terms = [
            term("pluripotent", &["induced pluripotent stem cells"]),
            term("stem cell", &["stem cells"]),
        ];
        let matcher = Matcher::new(&terms);
        let text =
            "Induced pluripotent stem cells differ from other stem cells; multipotently not.";
        let hits: Vec<(&str, usize)> =
            matcher.find(text).into_iter().map(|(r, t)| (&text[r], t)).collect();
        assert_eq!(hits, [("Induced pluripotent stem cells", 0), ("stem cells", 1)]);
    }

    #[test]
    fn a_term_is_not_marked_in_the_blocks_it_names_but_is_elsewhere() {
        let mut potency = term("potency", &[]);
        potency.not_in = vec![("cultivation".into(), "release-tests".into())];
        let matcher = Matcher::new(&[potency]);
        let text = "Potency: the product does its job.";
        assert!(matcher.find_in(text, "cultivation", Some("release-tests")).is_empty());
        assert_eq!(matcher.find_in(text, "cultivation", Some("culture")).len(), 1);
        assert_eq!(matcher.find_in(text, "understanding", Some("release-tests")).len(), 1);
        assert_eq!(matcher.find_in(text, "cultivation", None).len(), 1, "key points count");
    }

    #[test]
    fn no_terms_no_hits() {
        assert!(Matcher::new(&[]).find("anything").is_empty());
    }
}
