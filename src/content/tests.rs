//! Loading whole packs: the built-in one, and small broken ones written to a temporary folder.

use std::fs;
use std::path::PathBuf;

use super::*;

const COURSE: &str = r#"format_version = 1
id = "demo"
title = "Demo"
description = "A demo."
disclaimer = "Not advice."
sections = ["one"]
"#;

const SECTION: &str = r#"id = "one"
title = "One"

[[blocks]]
kind = "text"
text = "Hello *world*."
"#;

/// A pack in a fresh temporary folder, removed when dropped.
struct TempPack(PathBuf);

impl TempPack {
    fn new(name: &str, course: &str, sections: &[(&str, &str)]) -> Self {
        let dir = std::env::temp_dir().join(format!("stemcell-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("content/sections")).unwrap();
        fs::write(dir.join(MANIFEST), course).unwrap();
        for (id, text) in sections {
            fs::write(dir.join(format!("content/sections/{id}.toml")), text).unwrap();
        }
        Self(dir)
    }

    fn load(&self) -> Result<Loaded, Vec<Diagnostic>> {
        load(&PackSource::Dir(self.0.clone()))
    }

    fn errors(&self) -> Vec<String> {
        self.load().expect_err("the pack should not load").iter().map(ToString::to_string).collect()
    }
}

impl Drop for TempPack {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[test]
fn built_in_course_has_the_six_sections_in_order() {
    let loaded = load(&PackSource::BuiltIn).expect("the built-in pack loads");
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let ids: Vec<&str> = loaded.course.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        ["understanding", "harvesting", "cultivation", "administration", "benefits", "outlook"]
    );
    assert_eq!(loaded.course.sections[1].title, "The Stem Cell Harvesting Process");
    for section in &loaded.course.sections {
        assert!((3..=5).contains(&section.key_points.len()), "{} key points", section.id);
        let has_context = section
            .blocks
            .iter()
            .any(|b| matches!(b.body, crate::course::BlockBody::Context { .. }));
        assert!(has_context, "{} has no context note", section.id);
    }
}

#[test]
fn a_small_pack_loads_with_its_markup_parsed() {
    let pack = TempPack::new("ok", COURSE, &[("one", SECTION)]);
    let course = pack.load().unwrap().course;
    let crate::course::BlockBody::Text(paragraphs) = &course.sections[0].blocks[0].body else {
        panic!("expected text")
    };
    assert_eq!(paragraphs[0].0[1].text, "world");
    assert_eq!(course.sections[0].short_title, "One", "short title defaults to the title");
}

#[test]
fn unknown_field_points_at_it_and_suggests_the_right_name() {
    let section = SECTION.replace("title = ", "titel = ");
    let errors = TempPack::new("typo", COURSE, &[("one", &section)]).errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("error: content/sections/one.toml:2:1: unknown field `titel`"),
        "{}",
        errors[0]
    );
    assert!(errors[0].contains("did you mean `title`?"), "{}", errors[0]);
}

#[test]
fn every_problem_across_files_is_reported_at_once() {
    let course = COURSE.replace(r#"["one"]"#, r#"["one", "tow", "one", "two"]"#);
    let section = SECTION.replace(r#"kind = "text""#, "kind = \"context\"\ntone = \"tip\"");
    let errors =
        TempPack::new("many", &course, &[("one", &section), ("two", SECTION), ("three", SECTION)])
            .errors();
    let joined = errors.join("\n");
    assert!(joined.contains("section `one` is listed twice"), "{joined}");
    assert!(
        joined.contains("section `tow` has no file") && joined.contains("did you mean `two`?"),
        "{joined}"
    );
    assert!(joined.contains("`tone` is not used by context blocks"), "{joined}");
    assert!(joined.contains("a context note needs a `source`"), "{joined}");
    assert!(
        joined.contains("content/sections/two.toml:1:6: the id does not match the file name"),
        "{joined}"
    );
    assert!(
        joined.contains("warning: content/sections/three.toml: this section is not listed"),
        "{joined}"
    );
    assert_eq!(
        joined.matches("a context note needs a `source`").count(),
        1,
        "a section listed twice is read once"
    );
}

#[test]
fn a_future_format_version_is_refused_with_a_hint() {
    let course = COURSE.replace("format_version = 1", "format_version = 7");
    let errors = TempPack::new("future", &course, &[("one", SECTION)]).errors();
    assert!(errors[0].contains("course.toml:1:18: unsupported format_version"), "{}", errors[0]);
    assert!(errors[0].contains("reads format_version = 1"), "{}", errors[0]);
}

#[test]
fn a_folder_that_is_no_pack_says_so() {
    let dir = std::env::temp_dir().join(format!("stemcell-empty-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let errors = load(&PackSource::Dir(dir.clone())).unwrap_err();
    fs::remove_dir_all(dir).unwrap();
    assert!(errors[0].to_string().contains("content/course.toml: is missing"));
}
