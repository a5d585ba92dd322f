use super::*;
use crate::content::diagram_file::DiagramFile;
use crate::content::load::{FileText, PackSource, prebuilt_tree};
use crate::content::model::{CourseFile, GlossaryFile, SectionFile};

/// The text of the built-in file at `path`.
fn built_in_text(path: &str) -> String {
    let FileText::Text(text) = PackSource::BuiltIn.read(path) else {
        panic!("{path} is in the built-in pack");
    };
    text
}

/// The tree and the TOML parser agree on `T` for the built-in file at `path`: the same values
/// at the same positions (Debug shows both).
fn agree<T: DeserializeOwned + std::fmt::Debug>(path: &str) {
    let text = built_in_text(path);
    let tree = prebuilt_tree(path, &text).unwrap_or_else(|| panic!("{path} has a tree"));
    let from_tree: T = from_tree(tree, &text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let from_text: T = toml::from_str(&text).unwrap();
    assert_eq!(format!("{from_tree:?}"), format!("{from_text:?}"), "{path}");
}

#[test]
fn every_built_in_file_reads_the_same_from_its_tree_as_from_its_text() {
    let source = PackSource::BuiltIn;
    agree::<CourseFile>("content/course.toml");
    agree::<GlossaryFile>("content/glossary.toml");
    let sections = source.toml_files_in("content/sections");
    let diagrams = source.toml_files_in("assets/diagrams");
    assert!(sections.len() >= 6 && diagrams.len() >= 6);
    for path in &sections {
        agree::<SectionFile>(path);
    }
    for path in &diagrams {
        agree::<DiagramFile>(path);
    }
}

#[test]
fn a_tree_is_used_only_for_the_exact_text_it_was_built_from() {
    let text = built_in_text("content/course.toml");
    assert!(prebuilt_tree("content/course.toml", &text).is_some());
    assert!(prebuilt_tree("content/course.toml", &format!("{text}# edited\n")).is_none());
    assert!(prebuilt_tree("content/glossary.toml", &text).is_none());
}

#[test]
fn the_wrong_shape_is_an_error_from_the_tree_as_from_the_text() {
    let text = built_in_text("content/course.toml");
    let tree = prebuilt_tree("content/course.toml", &text).unwrap();
    // A manifest is no section: unknown and missing fields, as serde reports them.
    assert!(from_tree::<SectionFile>(tree, &text).is_err());
    assert!(toml::from_str::<SectionFile>(&text).is_err());
}

#[test]
fn a_damaged_tree_is_an_error_and_never_a_panic() {
    let text = built_in_text("content/sections/harvesting.toml");
    let tree = prebuilt_tree("content/sections/harvesting.toml", &text).unwrap();
    for cut in (0..tree.len()).step_by(97) {
        assert!(from_tree::<SectionFile>(&tree[..cut], &text).is_err(), "cut at {cut}");
    }
    let mut changed = tree.to_vec();
    for at in (0..changed.len()).step_by(31) {
        let before = changed[at];
        for byte in [0, 7, 0x80, 0xFF] {
            changed[at] = byte;
            let _ = from_tree::<SectionFile>(&changed, &text);
        }
        changed[at] = before;
    }
}
