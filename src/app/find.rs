//! Finding things: the search box and its hits (`/`, then `n` and `N` across sections), the
//! glossary screen (`g`), and the definitions of the terms on screen (`i`, or a click).

use super::keymap::Mode;
use super::{App, Msg, Screen};
use crate::fold::fold;
use crate::search::{Hit, Index, Place};

/// The search box, open over the reader.
#[derive(Debug, Clone, Default)]
pub struct SearchState {
    pub query: String,
    pub hits: Vec<Hit>,
    /// The highlighted result.
    pub selected: usize,
}

/// The hits of the last search, once the box is closed: the reader highlights them and
/// `n` / `N` step through them.
#[derive(Debug, Clone)]
pub struct Found {
    /// The query, folded for matching.
    pub needle: String,
    pub hits: Vec<Hit>,
    pub current: usize,
}

/// The glossary screen's filter: terms whose name, other names or definition contain it.
#[derive(Debug, Clone, Default)]
pub struct GlossaryFilter {
    pub query: String,
    /// Still typing (Enter stops, keeping the filter).
    pub typing: bool,
}

/// Longest query kept: longer than any phrase worth searching for.
const MAX_QUERY: usize = 100;

impl App {
    /// Messages while the search box is open.
    pub(super) fn update_search(&mut self, msg: Msg) {
        let index = self.search_index.get_or_insert_with(|| Index::new(&self.course));
        let Some(search) = self.search.as_mut() else { return };
        match msg {
            Msg::Type(c) if !c.is_control() && search.query.chars().count() < MAX_QUERY => {
                search.query.push(c);
                search.hits = index.search(&search.query);
                search.selected = 0;
            }
            Msg::DeleteBack => {
                search.query.pop();
                search.hits = index.search(&search.query);
                search.selected = 0;
            }
            Msg::SelectNext => {
                search.selected = (search.selected + 1).min(search.hits.len().saturating_sub(1));
            }
            Msg::SelectPrevious => search.selected = search.selected.saturating_sub(1),
            Msg::Back => self.search = None,
            Msg::Submit if !search.hits.is_empty() => {
                let found = Found {
                    needle: fold(search.query.trim()),
                    hits: search.hits.clone(),
                    current: search.selected,
                };
                self.search = None;
                self.found = Some(found);
                self.go_to_hit();
            }
            _ => {}
        }
    }

    pub(super) fn open_search(&mut self) {
        self.search = Some(SearchState::default());
    }

    /// `n` and `N`: the next or previous hit, across sections, round the end.
    pub(super) fn step_hit(&mut self, forward: bool) {
        let Some(found) = self.found.as_mut() else { return };
        let count = found.hits.len();
        found.current =
            if forward { (found.current + 1) % count } else { (found.current + count - 1) % count };
        self.go_to_hit();
    }

    /// Opens the section of the current hit and scrolls so its line is in view.
    fn go_to_hit(&mut self) {
        let Some(found) = &self.found else { return };
        let hit = found.hits[found.current].clone();
        let needle = found.needle.clone();
        // A definition is read on the glossary screen, with its term selected.
        if let Place::Definition(term) = hit.place {
            self.open_glossary();
            self.glossary_selected = term.min(self.course.glossary.len().saturating_sub(1));
            return;
        }
        if self.screen != Screen::Reader || self.section != hit.section {
            self.open(hit.section);
        }
        let page = self.page();
        let block_lines = |b: usize| {
            (
                page.block_starts.get(b).copied().unwrap_or(0),
                page.block_starts.get(b + 1).copied().unwrap_or(page.blocks_end),
            )
        };
        let (from, to) = match hit.place {
            Place::Title => (0, 1),
            Place::Block(b) => block_lines(b),
            Place::KeyPoints => (page.blocks_end, page.lines.len()),
            // An explanation is not on the page: show the block that teaches its question.
            Place::Explanation(q) => {
                let block = self.course.sections[hit.section].questions.get(q).map(|q| q.block);
                let (from, _) = block_lines(block.unwrap_or(0));
                (from, from)
            }
            Place::Definition(_) => (0, 0),
        };
        // The nth match of the place, line by line; a match broken across two lines falls
        // back to the start of its place.
        let line = page.lines[from.min(page.lines.len())..to.min(page.lines.len())]
            .iter()
            .enumerate()
            .flat_map(|(i, l)| {
                crate::search::matches_in(&l.text(), &needle).into_iter().map(move |_| from + i)
            })
            .nth(hit.nth)
            .unwrap_or(from);
        let rows = self.reader_areas().text.height as usize;
        self.scroll = line.saturating_sub(rows / 3).min(self.max_scroll());
    }

    /// The glossary's terms the filter lets through, in order (all of them without one).
    pub fn glossary_shown(&self) -> Vec<usize> {
        let needle =
            self.glossary_filter.as_ref().map(|f| fold(f.query.trim())).unwrap_or_default();
        (0..self.course.glossary.len())
            .filter(|&t| {
                let term = &self.course.glossary[t];
                needle.is_empty()
                    || std::iter::once(&term.term)
                        .chain(&term.also)
                        .chain(std::iter::once(&term.definition))
                        .any(|text| fold(text).contains(&needle))
            })
            .collect()
    }

    /// Messages on the glossary screen.
    pub(super) fn update_glossary(&mut self, msg: Msg) {
        let typing = self.glossary_filter.as_ref().is_some_and(|f| f.typing);
        match msg {
            Msg::OpenSearch if !typing => {
                self.glossary_filter.get_or_insert_with(GlossaryFilter::default).typing = true;
            }
            Msg::Type(c) if typing && !c.is_control() => {
                if let Some(filter) = self.glossary_filter.as_mut()
                    && filter.query.chars().count() < MAX_QUERY
                {
                    filter.query.push(c);
                }
            }
            Msg::DeleteBack if typing => {
                if let Some(filter) = self.glossary_filter.as_mut() {
                    filter.query.pop();
                }
            }
            Msg::Submit if typing => {
                if let Some(filter) = self.glossary_filter.as_mut() {
                    filter.typing = false;
                }
            }
            Msg::Back if self.glossary_filter.is_some() => self.glossary_filter = None,
            _ if typing && !matches!(msg, Msg::SelectNext | Msg::SelectPrevious) => {}
            Msg::SelectNext | Msg::SelectPrevious | Msg::PageDown | Msg::PageUp => {
                let shown = self.glossary_shown();
                let at = shown.iter().position(|&t| t >= self.glossary_selected).unwrap_or(0);
                let last = shown.len().saturating_sub(1);
                let to = match msg {
                    Msg::SelectNext => (at + 1).min(last),
                    Msg::SelectPrevious => at.saturating_sub(1),
                    Msg::PageDown => (at + 5).min(last),
                    _ => at.saturating_sub(5),
                };
                if let Some(&term) = shown.get(to) {
                    self.glossary_selected = term;
                }
            }
            Msg::Back => self.screen = self.glossary_from,
            Msg::Submit if self.glossary_shown().contains(&self.glossary_selected) => {
                self.go_to_first_use(self.glossary_selected);
            }
            _ => {}
        }
        // The selection is always one of the terms shown, when any is.
        let shown = self.glossary_shown();
        if !shown.contains(&self.glossary_selected)
            && let Some(&first) = shown.first()
        {
            self.glossary_selected = first;
        }
    }

    pub(super) fn open_glossary(&mut self) {
        if self.screen != Screen::Glossary {
            self.glossary_from = self.screen;
        }
        self.screen = Screen::Glossary;
    }

    /// Opens the section where the term is first marked, with that line in view.
    fn go_to_first_use(&mut self, term: usize) {
        for section in 0..self.course.sections.len() {
            self.open(section);
            let line = self
                .page()
                .lines
                .iter()
                .position(|l| l.pieces.iter().any(|p| p.term == Some(term)));
            if let Some(line) = line {
                let rows = self.reader_areas().text.height as usize;
                self.scroll = line.saturating_sub(rows / 3).min(self.max_scroll());
                return;
            }
        }
        self.screen = Screen::Glossary;
    }

    /// The terms marked on the lines in view, for `i`.
    pub fn terms_in_view(&self) -> Vec<usize> {
        let rows = self.reader_areas().text.height as usize;
        let mut terms: Vec<usize> = self
            .page()
            .lines
            .iter()
            .skip(self.scroll)
            .take(rows)
            .flat_map(|l| l.pieces.iter().filter_map(|p| p.term))
            .collect();
        terms.dedup();
        terms
    }

    /// `i`: the definitions of the terms in view (or a note that there are none).
    pub(super) fn show_terms_in_view(&mut self) {
        let terms = self.terms_in_view();
        if terms.is_empty() {
            let key = super::keymap::key_for(Mode::Reader, Msg::ShowGlossary).unwrap_or_default();
            self.notice =
                Some(format!("No glossary term is marked on this screen. {key} lists them all."));
        } else {
            self.term_popup = Some(terms);
        }
    }

    /// A click on a marked term shows its definition.
    pub(super) fn click_in_reader(&mut self, column: u16, row: u16) {
        let text = self.reader_areas().text;
        if row < text.y || row >= text.bottom() || column < text.x || column >= text.right() {
            return;
        }
        let Some(line) = self.page().lines.get(self.scroll + usize::from(row - text.y)) else {
            return;
        };
        let mut x = text.x;
        for piece in &line.pieces {
            let width = u16::try_from(unicode_width::UnicodeWidthStr::width(piece.text.as_str()))
                .unwrap_or(u16::MAX);
            if (x..x.saturating_add(width)).contains(&column) {
                if let Some(term) = piece.term {
                    self.term_popup = Some(vec![term]);
                }
                return;
            }
            x = x.saturating_add(width);
        }
    }
}
