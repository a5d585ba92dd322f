//! From parsed files to a [`Course`]: every cross-reference and rule that serde alone cannot
//! check, each problem reported at the spot it is about. All problems are collected; the
//! course is built only when there is no error.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;

use super::error::{Diagnostic, Severity, did_you_mean};
use super::markup;
use super::model::{BlockFile, BlockKind, CourseFile, FORMAT_VERSION, GlossaryFile, SectionFile};
use crate::course::{Block, BlockBody, Course, Note, Rich, Section, Term};

/// A file's text together with its pack-relative path, for pointing into it.
pub struct SourceFile<'a> {
    pub path: &'a str,
    pub text: &'a str,
}

/// Collects the problems of one pack.
#[derive(Default)]
pub struct Problems(pub Vec<Diagnostic>);

impl Problems {
    pub(super) fn error<T>(
        &mut self,
        file: &SourceFile,
        at: &Spanned<T>,
        message: impl Into<String>,
    ) {
        self.0.push(Diagnostic::at(Severity::Error, file.path, file.text, at.span(), message));
    }

    pub(super) fn warn<T>(
        &mut self,
        file: &SourceFile,
        at: &Spanned<T>,
        message: impl Into<String>,
    ) {
        self.0.push(Diagnostic::at(Severity::Warning, file.path, file.text, at.span(), message));
    }

    pub(super) fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }
}

/// Arrays and tables nested deeper than this are no course content: refusing them up front
/// keeps a hostile file from exhausting the parser's stack.
pub const MAX_NESTING: usize = 32;

/// Where brackets and braces nest deeper than [`MAX_NESTING`], outside strings and comments.
/// Most of a pack is text inside strings, so the ends of strings and comments are found with
/// `memchr` rather than byte by byte: this runs before every file is parsed.
fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut depth, mut i) = (0usize, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'#' => i = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n),
            quote @ (b'"' | b'\'') => i = string_end(bytes, i, quote),
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The index of the last byte of the string that opens at `start` with `quote` (one or three
/// of them), or the end of `bytes` if it never closes. Only basic (`"`) strings have escapes.
fn string_end(bytes: &[u8], start: usize, quote: u8) -> usize {
    let length = if bytes[start..].starts_with(&[quote; 3]) { 3 } else { 1 };
    let close = &[quote; 3][..length];
    let mut i = start + length;
    while i < bytes.len() {
        let found = if quote == b'"' {
            memchr::memchr2(quote, b'\\', &bytes[i..])
        } else {
            memchr::memchr(quote, &bytes[i..])
        };
        let Some(offset) = found else { break };
        i += offset;
        if bytes[i] == b'\\' {
            i += 2;
        } else if bytes[i..].starts_with(close) {
            // `'''a''''` is `a'`: a long string may end with one or two of its own quotes.
            let mut end = i + length - 1;
            if length == 3 {
                while end + 1 < bytes.len() && bytes[end + 1] == quote && end < i + 4 {
                    end += 1;
                }
            }
            return end;
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// Parses one file strictly; a syntax or type problem becomes a diagnostic with a hint.
pub fn parse<T: DeserializeOwned>(file: &SourceFile, problems: &mut Problems) -> Option<T> {
    // The built-in pack was parsed when the program was built; its tree gives the same values
    // much faster. Whatever the tree cannot give is parsed from the text below, with messages.
    if let Some(tree) = super::load::prebuilt_tree(file.path, file.text)
        && let Ok(value) = super::prebuilt::from_tree(tree, file.text)
    {
        return Some(value);
    }
    if let Some(at) = too_deep(file.text) {
        let message = format!("nested deeper than {MAX_NESTING} levels");
        problems.push(
            Diagnostic::at(Severity::Error, file.path, file.text, at..at + 1, message)
                .with_hint("course files need only a few levels of [tables] and [arrays]"),
        );
        return None;
    }
    if is_empty(file.text) {
        problems.push(Diagnostic::file(Severity::Error, file.path, "the file is empty").with_hint(
            "`stemcell new DIR` writes a pack to copy from; `stemcell schema` lists each \
                 file's fields",
        ));
        return None;
    }
    match toml::from_str::<T>(file.text) {
        Ok(value) => Some(value),
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let message = e.message().trim();
            if let Some(d) = quoted_number(file, span.clone(), message) {
                problems.push(d);
                return None;
            }
            let hint = hint_for(message);
            // The hint says what is allowed, better than serde's list of every name.
            let short = match (&hint, message.split_once(", expected")) {
                (Some(_), Some((head, _))) => head,
                _ => message,
            };
            let mut d = Diagnostic::at(Severity::Error, file.path, file.text, span, short);
            if let Some(hint) = hint {
                d = d.with_hint(hint);
            }
            problems.push(d);
            None
        }
    }
}

/// Whether a file holds nothing but blank lines and comments.
fn is_empty(text: &str) -> bool {
    text.lines().map(str::trim).all(|line| line.is_empty() || line.starts_with('#'))
}

/// serde's "invalid type: string \"1\", expected u32" for a number written in quotes, said
/// as an author would fix it.
fn quoted_number(file: &SourceFile, span: Range<usize>, message: &str) -> Option<Diagnostic> {
    let rest = message.strip_prefix("invalid type: string \"")?;
    let (value, expected) = rest.rsplit_once("\", expected ")?;
    let numeric = ["u8", "u16", "u32", "u64", "usize", "i32", "i64", "an integer", "integer"];
    if !numeric.contains(&expected.trim()) {
        return None;
    }
    Some(
        Diagnostic::at(Severity::Error, file.path, file.text, span, "this is a number, not text")
            .with_hint(if value.trim().parse::<f64>().is_ok() {
                format!("write it without quotes: {}", value.trim())
            } else {
                "write a number, without quotes".to_owned()
            }),
    )
}

/// toml and serde name the allowed words in backticks: "unknown field `titel`, expected one
/// of `id`, `title`". Turn that into a suggestion.
fn hint_for(message: &str) -> Option<String> {
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let (given, allowed) = quoted.split_first()?;
    if message.starts_with("unknown field") || message.starts_with("unknown variant") {
        let suggestion = did_you_mean(given, allowed.iter().copied());
        return Some(match suggestion {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("allowed here: {}", allowed.join(", ")),
        });
    }
    if message.starts_with("missing field") {
        return Some(format!("add `{given} = …` to this table"));
    }
    None
}

/// At most this many sections, and questions in one section: far beyond a course, small
/// enough that a pack stays quick to load.
pub const MAX_SECTIONS: usize = 5_000;
pub const MAX_QUESTIONS: usize = 1_000;

/// Checks the manifest; returns it when it can be used to go on to the sections.
pub fn check_manifest(file: &SourceFile, manifest: &CourseFile, problems: &mut Problems) {
    if *manifest.format_version.get_ref() != FORMAT_VERSION {
        problems.push(
            at(Severity::Error, file, &manifest.format_version, "unsupported format_version")
                .with_hint(format!("this program reads format_version = {FORMAT_VERSION}")),
        );
    }
    check_id(file, &manifest.id, "course id", problems);
    if let Some(language) = &manifest.language
        && let Err(why) = language_tag(language.get_ref())
    {
        problems.push(
            at(Severity::Error, file, language, why)
                .with_hint("use a BCP 47 language tag such as `en`, `en-GB`, `de` or `pt-BR`"),
        );
    }
    for field in [&manifest.title, &manifest.description, &manifest.disclaimer] {
        not_empty(file, field, problems);
    }
    if manifest.sections.len() > MAX_SECTIONS {
        let message = format!(
            "lists {} sections; a pack can have at most {MAX_SECTIONS}",
            manifest.sections.len()
        );
        problems.push(Diagnostic::file(Severity::Error, file.path, message));
    }
    if manifest.sections.is_empty() {
        problems.push(Diagnostic::file(Severity::Error, file.path, "`sections` lists no section"));
    }
    let mut seen: HashMap<&str, Range<usize>> = HashMap::new();
    for id in &manifest.sections {
        check_id(file, id, "section id", problems);
        if seen.insert(id.get_ref(), id.span()).is_some() {
            problems.error(file, id, format!("section `{}` is listed twice", id.get_ref()));
        }
    }
}

/// Reports a section listed in the manifest whose file does not exist.
pub fn missing_section(
    file: &SourceFile,
    id: &Spanned<String>,
    existing_ids: &[String],
    problems: &mut Problems,
) {
    let mut d = at(
        Severity::Error,
        file,
        id,
        format!("section `{}` has no file content/sections/{}.toml", id.get_ref(), id.get_ref()),
    );
    if let Some(s) = did_you_mean(id.get_ref(), existing_ids.iter().map(String::as_str)) {
        d = d.with_hint(format!("did you mean `{s}`?"));
    }
    problems.push(d);
}

/// What a section may refer to outside its own file.
pub struct Known<'a> {
    /// The pack's diagrams, by id, in the order of `Course::diagrams`.
    pub diagrams: &'a [crate::diagram::Diagram],
    /// The course map, if the manifest names one.
    pub map: Option<&'a crate::diagram::Diagram>,
    /// The manifest's map names a diagram whose file is broken (already reported).
    pub map_broken: bool,
    /// Ids of diagram files that exist but could not be read (already reported).
    pub broken: &'a HashSet<String>,
}

/// Whether a diagram reference is a path rather than an id (`../x`, `/etc/x`, `a/b`).
fn leaves_the_folder(id: &str) -> bool {
    id.contains(['/', '\\']) || id.starts_with('.') || std::path::Path::new(id).is_absolute()
}

/// A diagram reference that is a path rather than an id.
fn outside_the_diagrams(file: &SourceFile, id: &Spanned<String>) -> Diagnostic {
    at(
        Severity::Error,
        file,
        id,
        format!("`{}` points outside the pack's assets/diagrams/ folder", id.get_ref()),
    )
}

/// Reports a manifest `map` that names no diagram.
pub fn no_such_map(
    file: &SourceFile,
    id: &Spanned<String>,
    diagrams: &[crate::diagram::Diagram],
    problems: &mut Problems,
) {
    if leaves_the_folder(id.get_ref()) {
        problems.push(
            outside_the_diagrams(file, id)
                .with_hint("name the map diagram by its id, without a path or .toml"),
        );
        return;
    }
    let mut d = at(
        Severity::Error,
        file,
        id,
        format!("there is no diagram `{}` to use as the map", id.get_ref()),
    );
    if let Some(s) = did_you_mean(id.get_ref(), diagrams.iter().map(|d| d.id.as_str())) {
        d = d.with_hint(format!("did you mean `{s}`?"));
    }
    problems.push(d);
}

/// Checks one section file and converts it; `expected_id` is its file name.
/// `question_ids` holds the question ids of the sections read before, which must not recur.
pub fn section(
    file: &SourceFile,
    parsed: &SectionFile,
    expected_id: &str,
    known: &Known,
    problems: &mut Problems,
) -> Section {
    if parsed.id.get_ref() != expected_id {
        problems.push(
            at(Severity::Error, file, &parsed.id, "the id does not match the file name")
                .with_hint(format!("use id = \"{expected_id}\", or rename the file")),
        );
    }
    not_empty(file, &parsed.title, problems);
    if let Some(short) = &parsed.short_title {
        not_empty(file, short, problems);
    }
    if parsed.blocks.is_empty() {
        problems.push(Diagnostic::file(Severity::Error, file.path, "the section has no blocks"));
    }
    let mut ids: HashSet<&str> = HashSet::new();
    let blocks = parsed
        .blocks
        .iter()
        .map(|block| {
            if let Some(id) = &block.get_ref().id {
                check_id(file, id, "block id", problems);
                if !ids.insert(id.get_ref()) {
                    problems.error(file, id, format!("block id `{}` is used twice", id.get_ref()));
                }
            }
            convert_block(file, block, known, problems)
        })
        .collect();
    let map_node = parsed.map_node.as_ref().and_then(|node| {
        // With the map's own file broken, its errors say all there is to say.
        if known.map_broken {
            return None;
        }
        let Some(map) = known.map else {
            problems.push(
                at(Severity::Error, file, node, "`map_node` needs a `map` in content/course.toml")
                    .with_hint("name the map diagram in the manifest: map = \"journey\""),
            );
            return None;
        };
        let position = map.nodes.iter().position(|n| n.id == *node.get_ref());
        if position.is_none() {
            let mut d = at(
                Severity::Error,
                file,
                node,
                format!("the map `{}` has no node `{}`", map.id, node.get_ref()),
            );
            if let Some(s) = did_you_mean(node.get_ref(), map.nodes.iter().map(|n| n.id.as_str())) {
                d = d.with_hint(format!("did you mean `{s}`?"));
            }
            problems.push(d);
        }
        position
    });
    let key_points = parsed.key_points.iter().map(|k| rich_line(file, k, problems)).collect();
    let mut question_ids = HashSet::new();
    let block_ids: Vec<Option<&str>> = parsed
        .blocks
        .iter()
        .map(|b| b.get_ref().id.as_ref().map(|id| id.get_ref().as_str()))
        .collect();
    if parsed.questions.len() > MAX_QUESTIONS {
        let message = format!(
            "has {} questions; a section can have at most {MAX_QUESTIONS}",
            parsed.questions.len()
        );
        problems.push(Diagnostic::file(Severity::Error, file.path, message));
    }
    if parsed.questions.is_empty() {
        problems.push(
            Diagnostic::file(Severity::Warning, file.path, "the section has no questions")
                .with_hint("add [[questions]] so learners can check what they read"),
        );
    }
    let questions = parsed
        .questions
        .iter()
        .filter_map(|q| {
            super::questions::question(file, q, &block_ids, &mut question_ids, problems)
        })
        .collect();
    Section {
        id: parsed.id.get_ref().clone(),
        title: parsed.title.get_ref().trim().to_owned(),
        short_title: parsed
            .short_title
            .as_ref()
            .map_or_else(|| parsed.title.get_ref(), Spanned::get_ref)
            .trim()
            .to_owned(),
        blocks,
        key_points,
        questions,
        map_node,
    }
}

fn convert_block(
    file: &SourceFile,
    spanned: &Spanned<BlockFile>,
    known: &Known,
    problems: &mut Problems,
) -> Block {
    let block = spanned.get_ref();
    let kind = *block.kind.get_ref();
    check_fields_for_kind(file, block, problems);
    let needs = |problems: &mut Problems, what: &str| {
        problems.push(at(
            Severity::Error,
            file,
            &block.kind,
            format!("a {} block needs {what}", kind.name()),
        ));
    };
    let paragraphs = block.text.as_ref().map(|t| rich_paragraphs(file, t, problems));
    let items: Option<Vec<Rich>> = block.items.as_ref().map(|items| {
        if items.get_ref().is_empty() {
            problems.error(file, items, "the list is empty");
        }
        items.get_ref().iter().map(|item| parse_item(file, items, item, problems)).collect()
    });
    let title = block.title.as_ref().map(|t| {
        not_empty(file, t, problems);
        t.get_ref().trim().to_owned()
    });
    let source = block.source.as_ref().map(|s| {
        not_empty(file, s, problems);
        s.get_ref().trim().to_owned()
    });
    let url =
        block.url.as_ref().and_then(|u| match web_address(u.get_ref()) {
            Ok(()) => Some(u.get_ref().trim().to_owned()),
            Err(why) => {
                problems.push(at(Severity::Error, file, u, why).with_hint(
                    "give the full address of the page, like https://www.cancer.gov/...",
                ));
                None
            }
        });
    if let Some(u) = block.url.as_ref().filter(|_| block.source.is_none()) {
        problems.push(
            at(Severity::Error, file, u, "a `url` needs a `source` to belong to")
                .with_hint("name the source the address points to with `source = \"...\"`"),
        );
    }
    let body = match kind {
        BlockKind::Text => {
            if paragraphs.is_none() {
                needs(problems, "`text`");
            }
            BlockBody::Text(paragraphs.unwrap_or_default())
        }
        BlockKind::Heading => {
            if block.text.is_none() {
                needs(problems, "`text`");
            }
            BlockBody::Heading(
                block.text.as_ref().map(|t| t.get_ref().trim().to_owned()).unwrap_or_default(),
            )
        }
        BlockKind::List => {
            if items.is_none() {
                needs(problems, "`items`");
            }
            BlockBody::List {
                lead: paragraphs.and_then(|p| p.into_iter().next()),
                items: items.unwrap_or_default(),
            }
        }
        BlockKind::Diagram => diagram_block(file, block, known, problems),
        BlockKind::Callout | BlockKind::Context => {
            if paragraphs.is_none() && items.is_none() {
                needs(problems, "`text` or `items`");
            }
            let note = Note {
                paragraphs: paragraphs.unwrap_or_default(),
                items: items.unwrap_or_default(),
            };
            if kind == BlockKind::Callout {
                BlockBody::Callout {
                    tone: block.tone.as_ref().map(|t| *t.get_ref()).unwrap_or_default(),
                    title,
                    note,
                    source,
                    url,
                }
            } else {
                if source.is_none() {
                    problems.push(
                        at(Severity::Error, file, &block.kind, "a context note needs a `source`")
                            .with_hint(
                                "name where the facts come from, so a reader can look them up",
                            ),
                    );
                }
                BlockBody::Context { title, note, source: source.unwrap_or_default(), url }
            }
        }
    };
    Block { id: block.id.as_ref().map(|id| id.get_ref().clone()), body }
}

/// Which optional fields each kind reads; any other field given is a mistake.
fn check_fields_for_kind(file: &SourceFile, block: &BlockFile, problems: &mut Problems) {
    let kind = *block.kind.get_ref();
    let allowed: &[&str] = match kind {
        BlockKind::Text | BlockKind::Heading => &["text"],
        BlockKind::List => &["text", "items"],
        BlockKind::Callout => &["text", "items", "title", "tone", "source", "url"],
        BlockKind::Context => &["text", "items", "title", "source", "url"],
        BlockKind::Diagram => &["diagram"],
    };
    let given: [(&str, Option<Range<usize>>); 7] = [
        ("diagram", block.diagram.as_ref().map(Spanned::span)),
        ("text", block.text.as_ref().map(Spanned::span)),
        ("items", block.items.as_ref().map(Spanned::span)),
        ("title", block.title.as_ref().map(Spanned::span)),
        ("tone", block.tone.as_ref().map(Spanned::span)),
        ("source", block.source.as_ref().map(Spanned::span)),
        ("url", block.url.as_ref().map(Spanned::span)),
    ];
    for (name, span) in given {
        if let Some(span) = span.filter(|_| !allowed.contains(&name)) {
            let what = format!("{} blocks", kind.name());
            let hint = format!("{what} take: {}", allowed.join(", "));
            unused_field(file, span, name, &what, hint, problems);
        }
    }
}

/// A field given where the kind in force does not read it (a typo in `kind`, most often).
pub(super) fn unused_field(
    file: &SourceFile,
    span: Range<usize>,
    name: &str,
    what: &str,
    hint: impl Into<String>,
    problems: &mut Problems,
) {
    let message = format!("`{name}` is not used by {what}");
    problems
        .push(Diagnostic::at(Severity::Error, file.path, file.text, span, message).with_hint(hint));
}

fn rich_paragraphs(
    file: &SourceFile,
    text: &Spanned<String>,
    problems: &mut Problems,
) -> Vec<Rich> {
    not_empty(file, text, problems);
    markup::paragraphs(text.get_ref()).unwrap_or_else(|| {
        problems.warn(
            file,
            text,
            "a `*`, `**` or `` ` `` is never closed; the text is shown as written",
        );
        vec![Rich::plain(text.get_ref().trim())]
    })
}

fn rich_line(file: &SourceFile, text: &Spanned<String>, problems: &mut Problems) -> Rich {
    not_empty(file, text, problems);
    markup::inline(text.get_ref().trim()).unwrap_or_else(|| {
        problems.warn(
            file,
            text,
            "a `*`, `**` or `` ` `` is never closed; the text is shown as written",
        );
        Rich::plain(text.get_ref().trim())
    })
}

fn parse_item(
    file: &SourceFile,
    list: &Spanned<Vec<String>>,
    item: &str,
    problems: &mut Problems,
) -> Rich {
    if item.trim().is_empty() {
        problems.error(file, list, "a list entry is empty");
    }
    markup::inline(item.trim()).unwrap_or_else(|| {
        problems.warn(
            file,
            list,
            "a `*`, `**` or `` ` `` is never closed in this list; shown as written",
        );
        Rich::plain(item.trim())
    })
}

/// A diagram block: the diagram it names must be in the pack.
fn diagram_block(
    file: &SourceFile,
    block: &BlockFile,
    known: &Known,
    problems: &mut Problems,
) -> BlockBody {
    let Some(id) = &block.diagram else {
        problems.push(
            at(Severity::Error, file, &block.kind, "a diagram block needs `diagram`")
                .with_hint("name a diagram: diagram = \"ID\" for assets/diagrams/ID.toml"),
        );
        return BlockBody::Diagram(0);
    };
    let index = known.diagrams.iter().position(|d| d.id == *id.get_ref());
    if leaves_the_folder(id.get_ref()) {
        problems.push(outside_the_diagrams(file, id).with_hint(
            "name a diagram by its id: its file name in assets/diagrams/, without .toml",
        ));
    } else if index.is_none() && !known.broken.contains(id.get_ref()) {
        let message = format!(
            "there is no diagram `{}` (assets/diagrams/{}.toml)",
            id.get_ref(),
            id.get_ref()
        );
        let mut d = at(Severity::Error, file, id, message);
        if let Some(s) = did_you_mean(id.get_ref(), known.diagrams.iter().map(|d| d.id.as_str())) {
            d = d.with_hint(format!("did you mean `{s}`?"));
        }
        problems.push(d);
    }
    BlockBody::Diagram(index.unwrap_or(0))
}

pub(super) fn not_empty(file: &SourceFile, text: &Spanned<String>, problems: &mut Problems) {
    if text.get_ref().trim().is_empty() {
        problems.error(file, text, "this text is empty");
    }
}

/// Ids appear in file names, on the command line and in learner records: keep them simple.
pub(super) fn check_id(
    file: &SourceFile,
    id: &Spanned<String>,
    what: &str,
    problems: &mut Problems,
) {
    let value = id.get_ref();
    let simple = !value.is_empty()
        && value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !simple {
        problems.push(
            at(Severity::Error, file, id, format!("`{value}` is not a valid {what}"))
                .with_hint("use lowercase letters, digits and `-`, e.g. `stem-cell-basics`"),
        );
    }
}

pub(super) fn at<T>(
    severity: Severity,
    file: &SourceFile,
    spanned: &Spanned<T>,
    message: impl Into<String>,
) -> Diagnostic {
    Diagnostic::at(severity, file.path, file.text, spanned.span(), message)
}

/// Checks the glossary: no term defined twice (under any of its names), no empty definition,
/// every `not_in` naming a block of a section. `sections` are those that loaded; `listed` are
/// all the manifest lists (a listed section that did not load was reported already).
pub fn glossary(
    file: &SourceFile,
    parsed: &GlossaryFile,
    sections: &[Section],
    listed: &[&str],
    problems: &mut Problems,
) -> Vec<Term> {
    let mut names: HashMap<String, String> = HashMap::new();
    let mut terms = Vec::new();
    for entry in &parsed.terms {
        let entry = entry.get_ref();
        not_empty(file, &entry.term, problems);
        not_empty(file, &entry.definition, problems);
        for name in std::iter::once(&entry.term).chain(&entry.also) {
            let key = crate::fold::fold(name.get_ref().trim());
            if let Some(first) = names.insert(key, entry.term.get_ref().clone()) {
                problems.error(
                    file,
                    name,
                    format!("`{}` is already defined, under `{first}`", name.get_ref()),
                );
            }
        }
        let not_in = entry
            .not_in
            .iter()
            .filter_map(|place| block_reference(file, place, sections, listed, problems))
            .collect();
        terms.push(Term {
            term: entry.term.get_ref().trim().to_owned(),
            also: entry.also.iter().map(|a| a.get_ref().trim().to_owned()).collect(),
            definition: entry.definition.get_ref().trim().to_owned(),
            not_in,
        });
    }
    terms.sort_by_cached_key(|t| crate::fold::fold(&t.term));
    terms
}

/// A term's `not_in` entry, `"section-id/block-id"`, checked against the sections: an error
/// (with a suggestion) unless it names a block with that id.
fn block_reference(
    file: &SourceFile,
    place: &Spanned<String>,
    sections: &[Section],
    listed: &[&str],
    problems: &mut Problems,
) -> Option<(String, String)> {
    let hint = "write it as \"section-id/block-id\", e.g. \"cultivation/release-tests\"";
    let Some((section_id, block_id)) = place.get_ref().trim().split_once('/') else {
        problems.push(
            at(Severity::Error, file, place, "`not_in` needs a section and a block")
                .with_hint(hint),
        );
        return None;
    };
    let Some(section) = sections.iter().find(|s| s.id == section_id) else {
        // A listed section that did not load has its own errors; this one would only echo them.
        if !listed.contains(&section_id) {
            let mut d =
                at(Severity::Error, file, place, format!("there is no section `{section_id}`"));
            if let Some(s) = did_you_mean(section_id, listed.iter().copied()) {
                d = d.with_hint(format!("did you mean `{s}`?"));
            }
            problems.push(d);
        }
        return None;
    };
    let ids = section.blocks.iter().filter_map(|b| b.id.as_deref());
    if !section.blocks.iter().any(|b| b.id.as_deref() == Some(block_id)) {
        let message = format!("the section `{section_id}` has no block with id `{block_id}`");
        let mut d = at(Severity::Error, file, place, message);
        if let Some(s) = did_you_mean(block_id, ids) {
            d = d.with_hint(format!("did you mean `{section_id}/{s}`?"));
        }
        problems.push(d);
        return None;
    }
    Some((section_id.to_owned(), block_id.to_owned()))
}

/// Warns about terms that appear nowhere in the course's text (counting only the places where
/// they are meant in their glossary sense): defined for nothing.
pub fn unused_terms(
    file: &SourceFile,
    parsed: &GlossaryFile,
    terms: &[Term],
    sections: &[Section],
    diagrams: &[crate::diagram::Diagram],
    problems: &mut Problems,
) {
    let matcher = crate::glossary::Matcher::new(terms);
    // Stops reading as soon as every term has been seen: on a large pack that is early.
    let mut used: HashSet<usize> = HashSet::new();
    'sections: for section in sections {
        for (place, text) in crate::search::section_texts(diagrams, section) {
            if used.len() == terms.len() {
                break 'sections;
            }
            let block = crate::search::block_id(section, place);
            let hits = matcher.find_folded(&crate::fold::Folded::new(&text));
            used.extend(
                hits.into_iter()
                    .map(|(_, term)| term)
                    .filter(|term| matcher.applies(*term, &section.id, block)),
            );
        }
    }
    // `terms` are sorted; the file's entries are found by name to point at them.
    let unused = terms.iter().enumerate().filter(|(i, _)| !used.contains(i));
    for name in unused.map(|(_, t)| &t.term) {
        let entry =
            parsed.terms.iter().map(Spanned::get_ref).find(|e| e.term.get_ref().trim() == name);
        if let Some(entry) = entry {
            let message = format!("the term `{name}` appears nowhere in the course");
            problems.warn(file, &entry.term, message);
        }
    }
}

/// The language of a pack that names none.
pub const DEFAULT_LANGUAGE: &str = "en";

/// Checks the shape of a BCP 47 tag (RFC 5646): a 2 to 3 letter primary language (or 5 to 8
/// letters), then subtags of 1 to 8 letters or digits, separated by `-`. The subtags are not
/// looked up in the registry: the shape is what keeps the tag safe to write into a handout.
pub fn language_tag(tag: &str) -> Result<(), String> {
    let mut subtags = tag.split('-');
    let primary = subtags.next().unwrap_or_default();
    let primary_ok =
        matches!(primary.len(), 2 | 3 | 5..=8) && primary.chars().all(|c| c.is_ascii_alphabetic());
    let rest_ok =
        subtags.all(|s| (1..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric()));
    if tag.len() <= 64 && primary_ok && rest_ok {
        Ok(())
    } else {
        Err(format!("`{tag}` is not a language tag"))
    }
}

/// A character named so that it can be seen in a message, whatever it is: "a space (U+0020)",
/// "a tab (U+0009)", "`<` (U+003C)". A space quoted as itself was invisible.
fn named(c: char) -> String {
    let code = format!("U+{:04X}", u32::from(c));
    match c {
        ' ' => format!("a space ({code})"),
        '\t' => format!("a tab ({code})"),
        '\u{a0}' => format!("a no-break space ({code})"),
        _ if c.is_control() => format!("a control character ({code})"),
        _ if c.is_whitespace() => format!("a space character ({code})"),
        _ => format!("`{c}` ({code})"),
    }
}

/// Checks a source's web address: `http` or `https` with a host, at most 2,048 bytes, and
/// nothing that could end a link early or reach the terminal (spaces, quotes, angle brackets,
/// backslashes, control characters). Other schemes (`javascript:`, `file:`, `data:`) are
/// refused: a handout opened in a browser would follow them.
pub fn web_address(url: &str) -> Result<(), String> {
    let lower = url.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    let Some(rest) = rest else {
        return Err("a `url` must start with https:// or http://".to_owned());
    };
    if let Some(bad) = url.chars().find(|&c| {
        c.is_control()
            || c.is_whitespace()
            || matches!(c, '"' | '<' | '>' | '\\' | '`' | '{' | '}' | '|' | '^')
    }) {
        return Err(format!("a `url` cannot contain {} (write it percent-encoded)", named(bad)));
    }
    if rest.is_empty() || rest.starts_with(['/', '?', '#']) {
        return Err("this `url` names no host".to_owned());
    }
    if url.len() > 2048 {
        return Err("this `url` is longer than 2,048 bytes".to_owned());
    }
    Ok(())
}

/// Builds the course once every check has passed.
pub fn course(
    manifest: &CourseFile,
    sections: Vec<Section>,
    glossary: Vec<Term>,
    diagrams: Vec<crate::diagram::Diagram>,
) -> Course {
    let map =
        manifest.map.as_ref().and_then(|m| diagrams.iter().position(|d| d.id == *m.get_ref()));
    Course {
        id: manifest.id.get_ref().clone(),
        title: manifest.title.get_ref().trim().to_owned(),
        description: manifest.description.get_ref().trim().to_owned(),
        disclaimer: manifest.disclaimer.get_ref().trim().to_owned(),
        language: manifest
            .language
            .as_ref()
            .map_or_else(|| DEFAULT_LANGUAGE.to_owned(), |l| l.get_ref().clone()),
        sections,
        glossary,
        diagrams,
        map,
    }
}

#[cfg(test)]
mod limit_tests {
    use super::*;

    #[test]
    fn deep_nesting_is_refused_without_parsing() {
        let deep = format!("x = {}{}", "[".repeat(100_000), "]".repeat(100_000));
        let file = SourceFile { path: "a.toml", text: &deep };
        let mut problems = Problems::default();
        assert!(parse::<toml::Table>(&file, &mut problems).is_none());
        assert!(problems.0[0].message.contains("nested deeper than 32"), "{}", problems.0[0]);
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let many = "[".repeat(50);
        let text = format!(
            "# {many}\nx = \"{many}\\\"{many}\"\ny = '''{many}'{many}'''\nw = \"\"\"{many}\"{many}\"\"\"\nz = [[1], [2]]\n"
        );
        assert_eq!(too_deep(&text), None);
        let mut problems = Problems::default();
        let parsed =
            parse::<toml::Table>(&SourceFile { path: "a.toml", text: &text }, &mut problems);
        assert!(parsed.is_some(), "{:?}", problems.0);
    }

    #[test]
    fn nesting_after_strings_and_comments_still_counts() {
        let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
        let before = [
            "x = \"a\\\"b\"\n",
            "y = '''c'd'''\n",
            "# [\n",
            "w = \"\"\"e\"\"\"\n",
            "v = ''\n",
            // Long strings that end with one or two of their own quotes: `f'` and `g""`.
            "u = '''f''''\n",
            "t = \"\"\"g\"\"\"\"\"\n",
        ];
        for before in before {
            let text = format!("{before}z = {deep}\n");
            assert_eq!(too_deep(&text), Some(before.len() + 4 + MAX_NESTING), "{text:?}");
        }
        // A string that never closes hides what follows, as it does from the parser.
        assert_eq!(too_deep(&format!("x = \"{deep}")), None);
    }
}
