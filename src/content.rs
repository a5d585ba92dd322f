//! Reading a pack: files → strict serde types → checks → the [`Course`].

pub mod diagram_file;
pub mod error;
pub mod load;
pub mod located;
mod markup;
pub mod model;
mod prebuilt;
mod questions;
pub mod sanitize;
pub mod schema;
mod validate;

use std::collections::{HashMap, HashSet};

use error::{Diagnostic, Severity};
use load::{FileText, MANIFEST, PackSource};
use model::{CourseFile, GlossaryFile, SectionFile};

/// The glossary's path inside a pack; the file is optional.
pub const GLOSSARY: &str = "content/glossary.toml";
use validate::{Problems, SourceFile};

use crate::course::{Course, Section};

/// A pack that loaded: the course, and the warnings an author may want to see.
#[derive(Debug)]
pub struct Loaded {
    pub course: Course,
    pub warnings: Vec<Diagnostic>,
}

/// Loads and checks a whole pack. On failure, every problem found is returned, errors first
/// in file order; nothing is built from a pack with errors.
pub fn load(source: &PackSource) -> Result<Loaded, Vec<Diagnostic>> {
    load_with(source, true)
}

/// [`load`] for showing a pack rather than checking it: the same errors, but the checks that
/// can only warn (unused terms and diagrams, where control characters were) are skipped, since
/// nobody reads their warnings here. Control characters are still removed.
pub fn load_to_show(source: &PackSource) -> Result<Loaded, Vec<Diagnostic>> {
    load_with(source, false)
}

fn load_with(source: &PackSource, warnings: bool) -> Result<Loaded, Vec<Diagnostic>> {
    let source = &source.canonical();
    let mut problems = Problems::default();
    let Some(manifest_text) = read(source, MANIFEST, warnings, &mut problems) else {
        return Err(problems.0);
    };
    let manifest_file = SourceFile { path: MANIFEST, text: &manifest_text };
    let Some(manifest) = validate::parse::<CourseFile>(&manifest_file, &mut problems) else {
        return Err(problems.0);
    };
    validate::check_manifest(&manifest_file, &manifest, &mut problems);
    let listed_ids: Vec<&str> = manifest.sections.iter().map(|s| s.get_ref().as_str()).collect();
    if let Some(too_large) = source.too_large(&listed_ids) {
        problems.0.push(too_large);
        return Err(problems.0);
    }

    let (diagrams, broken) = load_diagrams(source, warnings, &mut problems);
    let map = manifest.map.as_ref().and_then(|id| {
        let found = diagrams.iter().find(|d| d.id == *id.get_ref());
        // A map whose file is broken was reported there; saying it is missing would mislead.
        if found.is_none() && !broken.contains(id.get_ref()) {
            let file = SourceFile { path: MANIFEST, text: &manifest_text };
            validate::no_such_map(&file, id, &diagrams, &mut problems);
        }
        found
    });
    // A map that is broken or missing was reported above: its sections' `map_node`s are not
    // reported again.
    let map_broken = manifest.map.is_some() && map.is_none();
    let known = validate::Known { diagrams: &diagrams, map, map_broken, broken: &broken };

    let section_files = source.toml_files_in(SECTIONS);
    let existing_ids: Vec<String> = section_files
        .iter()
        .filter_map(|p| p.strip_prefix("content/sections/")?.strip_suffix(".toml"))
        .map(str::to_owned)
        .collect();
    // Sets, not lists: a pack may have thousands of sections.
    let existing: HashSet<&str> = existing_ids.iter().map(String::as_str).collect();
    let listed: HashSet<&str> = listed_ids.iter().copied().collect();
    let mut read_already = HashSet::new();
    let mut wanted = Vec::with_capacity(manifest.sections.len());
    for id in &manifest.sections {
        // A section listed twice was reported by the manifest check; read it once.
        if !read_already.insert(id.get_ref().as_str()) {
            continue;
        }
        if existing.contains(id.get_ref().as_str()) {
            wanted.push(id.get_ref().as_str());
        } else {
            validate::missing_section(&manifest_file, id, &existing_ids, &mut problems);
        }
    }
    let loaded = load_sections(source, &wanted, &known, warnings);
    let mut sections = Vec::with_capacity(loaded.len());
    // Question ids are unique across the course: checked in course order once all are read.
    let mut question_ids: HashMap<String, String> = HashMap::new();
    for (section, path, text, found) in loaded {
        problems.0.extend(found);
        let Some(section) = section else { continue };
        for question in &section.questions {
            // Twice in one section was reported while checking that section.
            if let Some(first) = question_ids.insert(question.id.clone(), section.id.clone())
                && first != section.id
            {
                let needle = format!("\"{}\"", question.id);
                let at = text.find(&format!("id = {needle}")).map_or(0, |i| i + 5);
                let message = format!(
                    "question id `{}` is used twice (also in section `{first}`)",
                    question.id
                );
                problems.0.push(Diagnostic::at(
                    Severity::Error,
                    &path,
                    &text,
                    at..at + needle.len(),
                    message,
                ));
            }
        }
        sections.push(section);
    }
    for id in &existing_ids {
        if !listed.contains(id.as_str()) {
            problems.0.push(
                Diagnostic::file(
                    Severity::Warning,
                    &format!("content/sections/{id}.toml"),
                    "this section is not listed in content/course.toml, so nobody will see it",
                )
                .with_hint(format!("add \"{id}\" to `sections` in content/course.toml")),
            );
        }
    }
    let glossary =
        load_glossary(source, (&sections, &listed_ids), &diagrams, warnings, &mut problems);
    // With a section unreadable, a diagram may look unused when it is not.
    if warnings && !problems.has_errors() {
        let map = manifest.map.as_ref().map(|m| m.get_ref().as_str());
        warn_unused_diagrams(&diagrams, &sections, map, &mut problems);
    }
    if problems.has_errors() {
        let mut all = problems.0;
        all.sort_by_key(|d| d.severity);
        return Err(all);
    }
    let mut course = validate::course(&manifest, sections, glossary, diagrams);
    sanitize::course(&mut course);
    Ok(Loaded { course, warnings: problems.0 })
}

/// What loading one section gives: the section (if it could be read), its file's path and
/// text (to point into), and its problems.
type SectionLoad = (Option<Section>, String, String, Vec<Diagnostic>);

/// Reads, parses and checks sections, on every core when there are many: a section needs
/// nothing from another until question ids are compared, which the caller does after.
fn load_sections(
    source: &PackSource,
    ids: &[&str],
    known: &validate::Known,
    warnings: bool,
) -> Vec<SectionLoad> {
    // Every id is the name of a file listed in that folder (see `load_with`), never a path
    // of its own, so a folder found inside the pack keeps each of its files inside unless
    // the file itself is a link.
    let sections_folder_inside = source.folder_outside(SECTIONS).is_none();
    let one = |id: &str| -> SectionLoad {
        let path = format!("content/sections/{id}.toml");
        let mut problems = Problems::default();
        let file = if sections_folder_inside {
            source.read_in_checked_folder(&path)
        } else {
            source.read(&path)
        };
        let Some(text) = take_text(file, source, &path, warnings, &mut problems) else {
            return (None, path, String::new(), problems.0);
        };
        let section = {
            let file = SourceFile { path: &path, text: &text };
            validate::parse::<SectionFile>(&file, &mut problems).map(|parsed| {
                let mut section = validate::section(&file, &parsed, id, known, &mut problems);
                if sanitize::may_yield_hostile_text(&text) {
                    sanitize::section(&mut section);
                }
                section
            })
        };
        (section, path, text, problems.0)
    };
    // Asking for the number of cores reads files too: only worth it for a large pack.
    if ids.len() < 64 {
        return ids.iter().map(|id| one(id)).collect();
    }
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).min(8);
    if threads == 1 {
        return ids.iter().map(|id| one(id)).collect();
    }
    let chunk = ids.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = ids
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(|id| one(id)).collect::<Vec<_>>()))
            .collect();
        // A worker cannot panic on any input (the loader never does); if one did, its sections
        // are reported missing rather than taking the program down.
        workers.into_iter().flat_map(|w| w.join().unwrap_or_default()).collect()
    })
}

/// The glossary, if the pack has one: checked, and (when the rest loaded) checked for terms
/// the text never uses.
fn load_glossary(
    source: &PackSource,
    (sections, listed): (&[crate::course::Section], &[&str]),
    diagrams: &[crate::diagram::Diagram],
    warnings: bool,
    problems: &mut Problems,
) -> Vec<crate::course::Term> {
    match source.read(GLOSSARY) {
        FileText::Missing => Vec::new(),
        FileText::Problem(d) => {
            problems.0.push(d);
            Vec::new()
        }
        FileText::Text(text) => {
            let file = SourceFile { path: GLOSSARY, text: &text };
            match validate::parse::<GlossaryFile>(&file, problems) {
                Some(parsed) => {
                    let terms = validate::glossary(&file, &parsed, sections, listed, problems);
                    // With a section unreadable, a term may look unused when it is not.
                    if warnings && !problems.has_errors() {
                        validate::unused_terms(
                            &file, &parsed, &terms, sections, diagrams, problems,
                        );
                    }
                    terms
                }
                None => Vec::new(),
            }
        }
    }
}

/// Every diagram in `assets/diagrams/`, checked; the broken ones are reported and left out,
/// and their ids returned too, so that what refers to them is not reported again.
fn load_diagrams(
    source: &PackSource,
    warnings: bool,
    problems: &mut Problems,
) -> (Vec<crate::diagram::Diagram>, HashSet<String>) {
    let (mut diagrams, mut broken) = (Vec::new(), HashSet::new());
    // A folder linked out of the pack is one problem, said once, not one per file or use.
    if let Some(real) = source.folder_outside(DIAGRAMS) {
        problems.0.push(
            Diagnostic::file(
                Severity::Error,
                DIAGRAMS,
                format!("the folder is a link to {}, outside the pack", real.display()),
            )
            .with_hint(
                "a pack must be self-contained: copy the diagrams into the pack instead of \
                 linking to them",
            ),
        );
        for path in source.toml_files_in(DIAGRAMS) {
            if let Some(id) = diagram_id(&path) {
                broken.insert(id.to_owned());
            }
        }
        return (diagrams, broken);
    }
    for path in source.toml_files_in(DIAGRAMS) {
        let Some(id) = diagram_id(&path) else { continue };
        let checked = read(source, &path, warnings, problems)
            .and_then(|text| diagram_file::parse_and_check(&path, &text, id, warnings, problems));
        match checked {
            Some(diagram) => diagrams.push(diagram),
            None => {
                broken.insert(id.to_owned());
            }
        }
    }
    (diagrams, broken)
}

/// Where diagrams live in a pack.
const DIAGRAMS: &str = "assets/diagrams";

/// The folder of section files, one per listed section id.
const SECTIONS: &str = "content/sections";

/// A diagram's id from its path in the pack.
fn diagram_id(path: &str) -> Option<&str> {
    path.strip_prefix("assets/diagrams/").and_then(|p| p.strip_suffix(".toml"))
}

/// A diagram no block shows and that is not the map is drawn for nobody.
fn warn_unused_diagrams(
    diagrams: &[crate::diagram::Diagram],
    sections: &[crate::course::Section],
    map: Option<&str>,
    problems: &mut Problems,
) {
    for (index, diagram) in diagrams.iter().enumerate() {
        let shown = sections
            .iter()
            .flat_map(|s| &s.blocks)
            .any(|b| b.body == crate::course::BlockBody::Diagram(index));
        if !shown && map != Some(diagram.id.as_str()) {
            problems.0.push(
                Diagnostic::file(
                    Severity::Warning,
                    &format!("assets/diagrams/{}.toml", diagram.id),
                    "no section shows this diagram",
                )
                .with_hint(format!(
                    "add a block: kind = \"diagram\", diagram = \"{}\"",
                    diagram.id
                )),
            );
        }
    }
}

fn read(
    source: &PackSource,
    path: &str,
    warnings: bool,
    problems: &mut Problems,
) -> Option<String> {
    take_text(source.read(path), source, path, warnings, problems)
}

/// The text of a file that was read, or its problem recorded.
fn take_text(
    file: FileText,
    source: &PackSource,
    path: &str,
    warnings: bool,
    problems: &mut Problems,
) -> Option<String> {
    match file {
        FileText::Text(text) => {
            if warnings {
                problems.0.extend(sanitize::scan(path, &text));
            }
            Some(text)
        }
        FileText::Missing => {
            let mut d = Diagnostic::file(Severity::Error, path, "is missing");
            if path == MANIFEST {
                d = d.with_hint(format!("is {} a pack? A pack has {MANIFEST}", source.describe()));
            }
            problems.0.push(d);
            None
        }
        FileText::Problem(d) => {
            problems.0.push(d);
            None
        }
    }
}

#[cfg(test)]
mod tests;

/// What the built-in course itself must say and how it says it (its safety advice, its spelling,
/// its questions' fairness), as opposed to what the loader accepts.
#[cfg(test)]
mod built_in_course_tests;
