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
            let section =
                validate::section(&file, &parsed, id.get_ref(), &mut question_ids, &mut problems);
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
    let glossary = match source.read(GLOSSARY) {
        FileText::Missing => Vec::new(),
        FileText::Problem(d) => {
            problems.0.push(d);
            Vec::new()
        }
        FileText::Text(text) => {
            let file = SourceFile { path: GLOSSARY, text: &text };
            match validate::parse::<GlossaryFile>(&file, &mut problems) {
                Some(parsed) => {
                    let terms = validate::glossary(&file, &parsed, &mut problems);
                    // With a section unreadable, a term may look unused when it is not.
                    if !problems.has_errors() {
                        validate::unused_terms(&file, &parsed, &sections, &mut problems);
                    }
                    terms
                }
                None => Vec::new(),
            }
        }
    };
    if problems.has_errors() {
        let mut all = problems.0;
        all.sort_by_key(|d| d.severity);
        return Err(all);
    }
    Ok(Loaded { course: validate::course(&manifest, sections, glossary), warnings: problems.0 })
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
