//! Reading a pack: files → strict serde types → checks → the [`Course`].

pub mod diagram_file;
pub mod error;
pub mod load;
mod markup;
pub mod model;
mod questions;
pub mod schema;
mod validate;

use error::{Diagnostic, Severity};
use load::{FileText, MANIFEST, PackSource};
use model::{CourseFile, GlossaryFile, SectionFile};

/// The glossary's path inside a pack; the file is optional.
pub const GLOSSARY: &str = "content/glossary.toml";
use validate::{Problems, SourceFile};

use crate::course::Course;

/// A pack that loaded: the course, and the warnings an author may want to see.
#[derive(Debug)]
pub struct Loaded {
    pub course: Course,
    pub warnings: Vec<Diagnostic>,
}

/// Loads and checks a whole pack. On failure, every problem found is returned, errors first
/// in file order; nothing is built from a pack with errors.
pub fn load(source: &PackSource) -> Result<Loaded, Vec<Diagnostic>> {
    let mut problems = Problems::default();
    let Some(manifest_text) = read(source, MANIFEST, &mut problems) else {
        return Err(problems.0);
    };
    let manifest_file = SourceFile { path: MANIFEST, text: &manifest_text };
    let Some(manifest) = validate::parse::<CourseFile>(&manifest_file, &mut problems) else {
        return Err(problems.0);
    };
    validate::check_manifest(&manifest_file, &manifest, &mut problems);

    let diagrams = load_diagrams(source, &mut problems);
    let map = manifest.map.as_ref().and_then(|id| {
        let found = diagrams.iter().find(|d| d.id == *id.get_ref());
        if found.is_none() {
            let file = SourceFile { path: MANIFEST, text: &manifest_text };
            validate::no_such_map(&file, id, &diagrams, &mut problems);
        }
        found
    });
    let known = validate::Known { diagrams: &diagrams, map };

    let section_files = source.toml_files_in("content/sections");
    let existing_ids: Vec<String> = section_files
        .iter()
        .filter_map(|p| p.strip_prefix("content/sections/")?.strip_suffix(".toml"))
        .map(str::to_owned)
        .collect();
    let mut sections = Vec::with_capacity(manifest.sections.len());
    let mut question_ids = std::collections::HashSet::new();
    for (position, id) in manifest.sections.iter().enumerate() {
        // A section listed twice was reported by the manifest check; read it once.
        if manifest.sections[..position].iter().any(|earlier| earlier.get_ref() == id.get_ref()) {
            continue;
        }
        let path = format!("content/sections/{}.toml", id.get_ref());
        if !existing_ids.contains(id.get_ref()) {
            validate::missing_section(&manifest_file, id, &existing_ids, &mut problems);
            continue;
        }
        let Some(text) = read(source, &path, &mut problems) else { continue };
        let file = SourceFile { path: &path, text: &text };
        if let Some(parsed) = validate::parse::<SectionFile>(&file, &mut problems) {
            let section = validate::section(
                &file,
                &parsed,
                id.get_ref(),
                &known,
                &mut question_ids,
                &mut problems,
            );
            sections.push(section);
        }
    }
    for id in &existing_ids {
        if !manifest.sections.iter().any(|listed| listed.get_ref() == id) {
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
    let glossary = load_glossary(source, &sections, &diagrams, &mut problems);
    // With a section unreadable, a diagram may look unused when it is not.
    if !problems.has_errors() {
        let map = manifest.map.as_ref().map(|m| m.get_ref().as_str());
        warn_unused_diagrams(&diagrams, &sections, map, &mut problems);
    }
    if problems.has_errors() {
        let mut all = problems.0;
        all.sort_by_key(|d| d.severity);
        return Err(all);
    }
    Ok(Loaded {
        course: validate::course(&manifest, sections, glossary, diagrams),
        warnings: problems.0,
    })
}

/// The glossary, if the pack has one: checked, and (when the rest loaded) checked for terms
/// the text never uses.
fn load_glossary(
    source: &PackSource,
    sections: &[crate::course::Section],
    diagrams: &[crate::diagram::Diagram],
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
                    let terms = validate::glossary(&file, &parsed, problems);
                    // With a section unreadable, a term may look unused when it is not.
                    if !problems.has_errors() {
                        validate::unused_terms(&file, &parsed, sections, diagrams, problems);
                    }
                    terms
                }
                None => Vec::new(),
            }
        }
    }
}

/// Every diagram in `assets/diagrams/`, checked; the broken ones are reported and left out.
fn load_diagrams(source: &PackSource, problems: &mut Problems) -> Vec<crate::diagram::Diagram> {
    let mut diagrams = Vec::new();
    for path in source.toml_files_in("assets/diagrams") {
        let Some(id) = path.strip_prefix("assets/diagrams/").and_then(|p| p.strip_suffix(".toml"))
        else {
            continue;
        };
        let Some(text) = read(source, &path, problems) else { continue };
        if let Some(diagram) = diagram_file::parse_and_check(&path, &text, id, problems) {
            diagrams.push(diagram);
        }
    }
    diagrams
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

fn read(source: &PackSource, path: &str, problems: &mut Problems) -> Option<String> {
    match source.read(path) {
        FileText::Text(text) => Some(text),
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
