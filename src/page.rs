//! A section laid out as lines at a given width: the pure text layout shared by the reader,
//! plain output and (later) handouts. Lines carry *roles* (what a piece of text is), not
//! colours; the theme turns roles into styles when drawing.

use std::collections::HashSet;
use std::ops::Range;

use unicode_width::UnicodeWidthStr;

use std::collections::BTreeMap;

use crate::course::{BlockBody, Emphasis, Note, Rich, Run, Section, Tone};
use crate::diagram::{Diagram, DiagramRole};
use crate::glossary::Matcher;
use crate::wrap::{self, LongWords};

/// What a piece of text is, so each theme can style it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Title,
    Heading,
    Body,
    Bullet,
    /// The bar and label of a callout, by tone.
    CalloutMark(Tone),
    CalloutTitle(Tone),
    CalloutBody,
    ContextMark,
    ContextTitle,
    ContextBody,
    Source,
    KeyPointsTitle,
    KeyPoint,
    /// The invitation to a section's quiz.
    Offer,
    /// A part of a diagram.
    Diagram(DiagramRole),
}

/// A stretch of one line in one role and emphasis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub role: Role,
    pub emphasis: Emphasis,
    /// The glossary term this text is, where it is marked (its first use in the section).
    pub term: Option<usize>,
    /// A part of a diagram that the current step does not light up.
    pub dim: bool,
}

impl Piece {
    pub fn new(text: impl Into<String>, role: Role, emphasis: Emphasis) -> Self {
        Self { text: text.into(), role, emphasis, term: None, dim: false }
    }

    #[must_use]
    pub fn with_term(mut self, term: Option<usize>) -> Self {
        self.term = term;
        self
    }
}

/// Marks the first use of each glossary term in a section, skipping the blocks where a term's
/// `not_in` says the word means something else there.
struct TermMarker<'a> {
    matcher: Option<&'a Matcher>,
    seen: HashSet<usize>,
    section: &'a str,
    /// The id of the block being laid out.
    block: Option<&'a str>,
}

impl TermMarker<'_> {
    /// The terms to mark in `text`: (byte range in its plain text, term), first uses only.
    fn marks(&mut self, text: &Rich) -> Vec<(Range<usize>, usize)> {
        let Some(matcher) = self.matcher else { return Vec::new() };
        let hits = matcher.find_in(&text.text(), self.section, self.block);
        hits.into_iter().filter(|(_, term)| self.seen.insert(*term)).collect()
    }
}

/// One screen line of a page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PageLine {
    pub pieces: Vec<Piece>,
}

impl PageLine {
    pub fn text(&self) -> String {
        self.pieces.iter().map(|p| p.text.as_str()).collect()
    }
}

/// A whole section, laid out.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    pub lines: Vec<PageLine>,
    /// The line each block starts on, in block order, so a question can jump to its block.
    pub block_starts: Vec<usize>,
    /// Where the blocks end: the key points and the quiz offer follow.
    pub blocks_end: usize,
}

/// The characters that draw structure: Unicode by default, ASCII for `--ascii`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Glyphs {
    pub bar: &'static str,
    pub bullet: &'static str,
    pub rule: &'static str,
    pub key_point: &'static str,
}

impl Glyphs {
    pub const UNICODE: Self = Self { bar: "▌ ", bullet: "• ", rule: "─", key_point: "◆ " };
    pub const ASCII: Self = Self { bar: "| ", bullet: "* ", rule: "-", key_point: "> " };
}

/// What a diagram's alt text does in a layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AltText {
    /// The drawing alone (the full-screen reader).
    Hidden,
    /// The drawing, then its description (printed text).
    Below,
    /// The description instead of the drawing (`--plain`, for screen readers).
    Instead,
}

/// How a section is laid out.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    pub glyphs: Glyphs,
    /// A closing line inviting the reader to the section's quiz.
    pub offer: Option<&'a str>,
    /// Marks the first use of each glossary term.
    pub terms: Option<&'a Matcher>,
    /// The course's diagrams, which diagram blocks name.
    pub diagrams: &'a [Diagram],
    /// The step shown of each diagram, by block index; a diagram not listed shows everything.
    pub steps: &'a BTreeMap<usize, usize>,
    pub alt_text: AltText,
}

impl<'a> Options<'a> {
    /// Plain layout: no offer, no marks, whole diagrams.
    pub fn plain(glyphs: Glyphs, diagrams: &'a [Diagram], alt_text: AltText) -> Self {
        static NO_STEPS: BTreeMap<usize, usize> = BTreeMap::new();
        Self { glyphs, offer: None, terms: None, diagrams, steps: &NO_STEPS, alt_text }
    }
}

/// Lays out `section` in `width` columns (at least 1).
pub fn layout(section: &Section, width: usize, options: &Options) -> Page {
    let Options { glyphs, offer, terms, .. } = *options;
    let width = width.max(1);
    let mut page = Page::default();
    let mut marker =
        TermMarker { matcher: terms, seen: HashSet::new(), section: &section.id, block: None };
    let plain = |text: &str, role| Piece::new(text, role, Emphasis::Plain);

    wrap_into(&mut page.lines, &Rich::plain(&section.title), width, &[], &[], Role::Title);
    let rule_width = page.lines.iter().map(|l| l.text().width()).max().unwrap_or(0);
    page.lines.push(PageLine { pieces: vec![plain(&glyphs.rule.repeat(rule_width), Role::Title)] });

    for (block_index, block) in section.blocks.iter().enumerate() {
        page.lines.push(PageLine::default());
        page.block_starts.push(page.lines.len());
        marker.block = block.id.as_deref();
        let out = &mut page.lines;
        match &block.body {
            BlockBody::Text(paragraphs) => {
                for (i, paragraph) in paragraphs.iter().enumerate() {
                    if i > 0 {
                        out.push(PageLine::default());
                    }
                    let marks = marker.marks(paragraph);
                    wrap_marked(out, paragraph, &marks, width, &[], &[], Role::Body);
                }
            }
            BlockBody::Heading(text) => {
                wrap_into(out, &Rich::plain(text), width, &[], &[], Role::Heading);
            }
            BlockBody::List { lead, items } => {
                if let Some(lead) = lead {
                    let marks = marker.marks(lead);
                    wrap_marked(out, lead, &marks, width, &[], &[], Role::Body);
                }
                for item in items {
                    let first = [plain(glyphs.bullet, Role::Bullet)];
                    let rest = [plain(&" ".repeat(glyphs.bullet.width()), Role::Bullet)];
                    let marks = marker.marks(item);
                    wrap_marked(out, item, &marks, width, &first, &rest, Role::Body);
                }
            }
            BlockBody::Callout { tone, title, note, source, url } => {
                let label = match tone {
                    Tone::Note => "NOTE",
                    Tone::Tip => "TIP",
                    Tone::Warning => "WARNING",
                };
                let parts = NoteParts {
                    mark: Role::CalloutMark(*tone),
                    title_role: Role::CalloutTitle(*tone),
                    body: Role::CalloutBody,
                };
                boxed_note(
                    out,
                    width,
                    glyphs,
                    &parts,
                    (label, title.as_deref()),
                    note,
                    source.as_deref().map(|s| with_address(s, url.as_deref())).as_deref(),
                    &mut marker,
                );
            }
            BlockBody::Diagram(index) => {
                let Some(diagram) = options.diagrams.get(*index) else { continue };
                let step = options.steps.get(&block_index).copied();
                diagram_lines(out, diagram, width, step, options);
            }
            BlockBody::Context { title, note, source, url } => {
                let parts = NoteParts {
                    mark: Role::ContextMark,
                    title_role: Role::ContextTitle,
                    body: Role::ContextBody,
                };
                boxed_note(
                    out,
                    width,
                    glyphs,
                    &parts,
                    ("CONTEXT", title.as_deref()),
                    note,
                    Some(&with_address(source, url.as_deref())),
                    &mut marker,
                );
            }
        }
    }

    page.blocks_end = page.lines.len();
    if !section.key_points.is_empty() {
        page.lines.push(PageLine::default());
        page.lines.push(PageLine { pieces: vec![plain("Key points", Role::KeyPointsTitle)] });
        for point in &section.key_points {
            let first = [plain(glyphs.key_point, Role::KeyPointsTitle)];
            let rest = [plain(&" ".repeat(glyphs.key_point.width()), Role::KeyPoint)];
            wrap_into(&mut page.lines, point, width, &first, &rest, Role::KeyPoint);
        }
    }
    if let Some(offer) = offer {
        page.lines.push(PageLine::default());
        wrap_into(&mut page.lines, &Rich::plain(offer), width, &[], &[], Role::Offer);
    }
    page
}

/// A source's name with its web address after it, as text, so every terminal, pipe and
/// screen reader has it; where the terminal shows hyperlinks, `tui/hyperlink.rs` makes the
/// drawn address a link too.
fn with_address(source: &str, url: Option<&str>) -> String {
    match url {
        Some(url) => format!("{source} <{url}>"),
        None => source.to_owned(),
    }
}

/// A diagram drawn for `width`, at `step`, with its description as `options` say.
fn diagram_lines(
    out: &mut Vec<PageLine>,
    diagram: &Diagram,
    width: usize,
    step: Option<usize>,
    options: &Options,
) {
    if options.alt_text != AltText::Instead {
        let drawing = crate::diagram::draw(diagram, width, step, options.glyphs == Glyphs::ASCII);
        out.extend(drawing.lines.into_iter().map(|line| {
            PageLine {
                pieces: line
                    .pieces
                    .into_iter()
                    .map(|p| Piece {
                        dim: !p.lit,
                        ..Piece::new(p.text, Role::Diagram(p.role), Emphasis::Plain)
                    })
                    .collect(),
            }
        }));
    }
    if options.alt_text != AltText::Hidden {
        let described = Rich::plain(format!(
            "Diagram, {}: {}",
            diagram.title,
            crate::diagram::alt_text(diagram)
        ));
        wrap_into(out, &described, width, &[], &[], Role::Source);
    }
}

struct NoteParts {
    mark: Role,
    title_role: Role,
    body: Role,
}

/// A note set apart by a bar down its left side and a label in words, so it reads as
/// different from the main text without relying on colour.
#[allow(clippy::too_many_arguments)]
fn boxed_note(
    out: &mut Vec<PageLine>,
    width: usize,
    glyphs: Glyphs,
    parts: &NoteParts,
    (label, title): (&str, Option<&str>),
    note: &Note,
    source: Option<&str>,
    marker: &mut TermMarker,
) {
    let bar = Piece::new(glyphs.bar, parts.mark, Emphasis::Plain);
    let bars = std::slice::from_ref(&bar);
    let label = Piece::new(format!("{label}  "), parts.mark, Emphasis::Bold);
    let title = Rich(
        title.map_or_else(Vec::new, |t| vec![Run { text: t.to_owned(), emphasis: Emphasis::Bold }]),
    );
    wrap_into(out, &title, width, &[bar.clone(), label], bars, parts.title_role);
    for paragraph in &note.paragraphs {
        let marks = marker.marks(paragraph);
        wrap_marked(out, paragraph, &marks, width, bars, bars, parts.body);
    }
    for item in &note.items {
        let first = [bar.clone(), Piece::new(glyphs.bullet, parts.body, Emphasis::Plain)];
        let rest = [
            bar.clone(),
            Piece::new(" ".repeat(glyphs.bullet.width()), parts.body, Emphasis::Plain),
        ];
        let marks = marker.marks(item);
        wrap_marked(out, item, &marks, width, &first, &rest, parts.body);
    }
    if let Some(source) = source {
        let line = Rich::plain(format!("Source: {source}"));
        wrap_into(out, &line, width, bars, bars, Role::Source);
    }
}

/// Word-wraps `text` into lines of at most `width` columns (by Unicode display width), each
/// line starting with a prefix: `first` on the first line, `rest` on the others. A word wider
/// than the room left is broken between characters.
pub fn wrap_into(
    out: &mut Vec<PageLine>,
    text: &Rich,
    width: usize,
    first: &[Piece],
    rest: &[Piece],
    role: Role,
) {
    wrap_marked(out, text, &[], width, first, rest, role);
}

/// [`wrap_into`], with glossary terms marked at byte ranges of the text's plain form: the
/// plain text is wrapped by [`crate::wrap`], then its styles are laid along the lines.
fn wrap_marked(
    out: &mut Vec<PageLine>,
    text: &Rich,
    terms: &[(Range<usize>, usize)],
    width: usize,
    first: &[Piece],
    rest: &[Piece],
    role: Role,
) {
    let plain = text.text();
    let lines = wrap::lines(
        &plain,
        width.saturating_sub(prefix_width(first)).max(1),
        width.saturating_sub(prefix_width(rest)).max(1),
        LongWords::NextLine,
        wrap::char_width,
    );
    let mut styles = Styles { runs: &text.0, run: 0, run_start: 0, terms, term: 0 };
    for (i, wrapped) in lines.iter().enumerate() {
        let mut line = PageLine { pieces: if i == 0 { first.to_vec() } else { rest.to_vec() } };
        for (j, part) in wrapped.parts.iter().enumerate() {
            if j > 0 {
                push_piece(&mut line, " ", role, Emphasis::Plain, None);
            }
            styles.lay(&mut line, &plain, part.clone(), role);
        }
        out.push(line);
    }
}

/// Plain text wrapped to `width` columns, one string per line (the shared wrapper, under the
/// name the screens have long used).
pub use crate::wrap::plain as wrap_plain;

fn prefix_width(prefix: &[Piece]) -> usize {
    prefix.iter().map(|p| p.text.width()).sum()
}

/// Appends text, merging it into the last piece when the style is the same.
fn push_piece(
    line: &mut PageLine,
    text: &str,
    role: Role,
    emphasis: Emphasis,
    term: Option<usize>,
) {
    match line.pieces.last_mut() {
        Some(last) if last.role == role && last.emphasis == emphasis && last.term == term => {
            last.text.push_str(text);
        }
        _ => line.pieces.push(Piece::new(text, role, emphasis).with_term(term)),
    }
}

/// A cursor over a text's styles (its runs of emphasis and its glossary marks), both in the
/// byte offsets of its plain text. Lines ask for stretches left to right, so the cursor only
/// moves forward: laying out a paragraph is linear in its length.
struct Styles<'a> {
    runs: &'a [Run],
    /// The run the cursor is in, and where that run starts in the plain text.
    run: usize,
    run_start: usize,
    terms: &'a [(Range<usize>, usize)],
    /// The first mark that does not end before the cursor.
    term: usize,
}

impl Styles<'_> {
    /// Appends `plain[part]` to `line`, split where its emphasis or glossary mark changes.
    fn lay(&mut self, line: &mut PageLine, plain: &str, part: Range<usize>, role: Role) {
        let mut at = part.start;
        while at < part.end {
            while self.run + 1 < self.runs.len()
                && self.run_start + self.runs[self.run].text.len() <= at
            {
                self.run_start += self.runs[self.run].text.len();
                self.run += 1;
            }
            while self.terms.get(self.term).is_some_and(|(r, _)| r.end <= at) {
                self.term += 1;
            }
            let run_end = self.run_start + self.runs.get(self.run).map_or(0, |r| r.text.len());
            let emphasis = self.runs.get(self.run).map_or(Emphasis::Plain, |r| r.emphasis);
            let (term, term_edge) = match self.terms.get(self.term) {
                Some((r, t)) if r.start <= at => (Some(*t), r.end),
                Some((r, _)) => (None, r.start),
                None => (None, part.end),
            };
            let end = part.end.min(run_end.max(at + 1)).min(term_edge);
            // Never split a character, whatever the ranges say.
            let end = (end..=part.end).find(|&e| plain.is_char_boundary(e)).unwrap_or(part.end);
            push_piece(line, &plain[at..end], role, emphasis, term);
            at = end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{self, load::PackSource};

    fn lines(text: &str, width: usize) -> Vec<String> {
        wrap_plain(text, width)
    }

    #[test]
    fn wraps_at_word_boundaries_within_width() {
        assert_eq!(lines("stem cells can divide", 10), ["stem cells", "can divide"]);
    }

    #[test]
    fn breaks_a_word_longer_than_the_line() {
        assert_eq!(lines("hematopoietic", 5), ["hemat", "opoie", "tic"]);
    }

    #[test]
    fn measures_wide_characters_by_display_width() {
        // Each CJK character takes two columns: three fit in 6, not 6.
        assert_eq!(lines("幹細胞治療", 6), ["幹細胞", "治療"]);
    }

    #[test]
    fn no_line_is_wider_than_the_page_at_any_width() {
        let course = content::load(&PackSource::BuiltIn).unwrap().course;
        // 16 is the narrowest text the reader lays out (a 20-column window); below that only
        // a note's label may stick out, and drawing clips it.
        for width in [1, 2, 5, 16, 19, 40, 80] {
            for section in &course.sections {
                let page = layout(
                    section,
                    width,
                    &Options::plain(Glyphs::UNICODE, &course.diagrams, AltText::Hidden),
                );
                for line in page.lines.iter().filter(|_| width >= 16) {
                    assert!(line.text().width() <= width, "{width}: {:?}", line.text());
                }
            }
        }
    }

    #[test]
    fn context_notes_are_labelled_in_words_and_name_their_source() {
        let course = content::load(&PackSource::BuiltIn).unwrap().course;
        let page = layout(
            &course.sections[0],
            60,
            &Options::plain(Glyphs::ASCII, &course.diagrams, AltText::Hidden),
        );
        let text: Vec<String> = page.lines.iter().map(PageLine::text).collect();
        let label = text.iter().position(|l| l.starts_with("| CONTEXT")).expect("a context label");
        assert!(text[label..].iter().any(|l| l.starts_with("| Source: NIH")), "{text:#?}");
        assert!(text.iter().any(|l| l == "Key points"));
    }

    #[test]
    fn records_where_each_block_starts() {
        let course = content::load(&PackSource::BuiltIn).unwrap().course;
        let section = &course.sections[1];
        let page = layout(
            section,
            70,
            &Options::plain(Glyphs::UNICODE, &course.diagrams, AltText::Hidden),
        );
        assert_eq!(page.block_starts.len(), section.blocks.len());
        assert!(page.lines[page.block_starts[0]].text().starts_with("The first step"));
    }
}
