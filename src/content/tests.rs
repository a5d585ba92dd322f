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

const QUESTION: &str = r#"
[[questions]]
id = "q1"
kind = "single"
block = "hello"
prompt = "Which?"
explanation = "Because."
[[questions.options]]
text = "This"
correct = true
[[questions.options]]
text = "That"
feedback = "No."
"#;

fn with_question(question: &str) -> String {
    SECTION.replace("kind = \"text\"", "kind = \"text\"\nid = \"hello\"") + question
}

#[test]
fn a_good_question_loads() {
    let section = with_question(QUESTION);
    let course = TempPack::new("q-ok", COURSE, &[("one", &section)]).load().unwrap().course;
    assert_eq!(course.sections[0].questions.len(), 1);
}

#[test]
fn impossible_questions_are_refused_where_they_are() {
    let cases = [
        ("no-correct", QUESTION.replace("correct = true\n", ""), "15:1: no option is marked `correct = true`"),
        (
            "two-correct",
            QUESTION.replace("feedback = \"No.\"", "correct = true"),
            "a single question has 2 correct options",
        ),
        ("bad-block", QUESTION.replace("block = \"hello\"", "block = \"helo\""), "did you mean `hello`?"),
        (
            "dup-steps",
            "[[questions]]\nid = \"o\"\nkind = \"order\"\nblock = \"hello\"\nprompt = \"p\"\nexplanation = \"e\"\nsteps = [\"a\", \"b\", \"a\"]\n".to_owned(),
            "the step `a` appears twice",
        ),
        (
            "half-pair",
            "[[questions]]\nid = \"m\"\nkind = \"match\"\nblock = \"hello\"\nprompt = \"p\"\nexplanation = \"e\"\npairs = [{ left = \"a\", right = \"1\" }, { left = \"b\" }]\n".to_owned(),
            "missing field `right`",
        ),
        (
            "wrong-field",
            QUESTION.replace("kind = \"single\"", "kind = \"truefalse\""),
            "`options` is not used by truefalse questions",
        ),
        (
            "no-answer",
            "[[questions]]\nid = \"t\"\nkind = \"truefalse\"\nblock = \"hello\"\nprompt = \"p\"\nexplanation = \"e\"\n".to_owned(),
            "a truefalse question needs `answer`",
        ),
        (
            "empty-accept",
            "[[questions]]\nid = \"f\"\nkind = \"fill\"\nblock = \"hello\"\nprompt = \"p ___\"\nexplanation = \"e\"\naccept = [\" \"]\n".to_owned(),
            "a fill question needs at least one accepted answer",
        ),
    ];
    for (name, question, expected) in cases {
        let errors = TempPack::new(name, COURSE, &[("one", &with_question(&question))]).errors();
        let joined = errors.join("\n");
        assert!(joined.contains(expected), "{name}: {joined}");
        assert!(joined.contains("content/sections/one.toml:"), "{name}: located: {joined}");
    }
}

#[test]
fn question_ids_are_unique_across_the_course() {
    let course = COURSE.replace(r#"["one"]"#, r#"["one", "two"]"#);
    let two = with_question(QUESTION).replace("id = \"one\"", "id = \"two\"");
    let errors =
        TempPack::new("dup-q", &course, &[("one", &with_question(QUESTION)), ("two", &two)])
            .errors();
    assert!(
        errors.join("\n").contains("content/sections/two.toml:")
            && errors.join("\n").contains("question id `q1` is used twice"),
        "{errors:?}"
    );
}

#[test]
fn a_choice_prompt_does_not_repeat_the_instruction_every_screen_adds() {
    for (written, kept) in [
        ("Which? Choose all that apply.", "Which?"),
        ("Which of these (choose all that apply)?", "Which of these (choose all that apply)?"),
        ("Which? (Choose one.)", "Which?"),
        ("Choose one.", "Choose one."),
    ] {
        let question = QUESTION.replace("\"Which?\"", &format!("\"{written}\""));
        let loaded =
            TempPack::new("q-hint", COURSE, &[("one", &with_question(&question))]).load().unwrap();
        assert_eq!(loaded.course.sections[0].questions[0].prompt, kept);
    }
}

#[test]
fn poor_questions_are_warnings_not_errors() {
    let question =
        QUESTION.replace("explanation = \"Because.\"\n", "").replace("feedback = \"No.\"\n", "");
    let loaded =
        TempPack::new("q-warn", COURSE, &[("one", &with_question(&question))]).load().unwrap();
    let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    assert!(warnings.iter().any(|w| w.contains("has no explanation")), "{warnings:?}");
    assert!(warnings.iter().any(|w| w.contains("wrong option has no feedback")), "{warnings:?}");
}

#[test]
fn every_article_paragraph_of_the_built_in_course_is_taught_by_a_question() {
    let course = load(&PackSource::BuiltIn).unwrap().course;
    for section in &course.sections {
        for (index, block) in section.blocks.iter().enumerate() {
            if matches!(block.body, crate::course::BlockBody::Text(_)) {
                let taught = section.questions.iter().any(|q| q.block == index);
                assert!(taught, "{}: block {:?} has no question", section.id, block.id);
            }
        }
        assert!(
            section.questions.len() >= 7,
            "{} has {} questions",
            section.id,
            section.questions.len()
        );
    }
    let kinds: std::collections::HashSet<_> = course
        .sections
        .iter()
        .flat_map(|s| &s.questions)
        .map(crate::course::Question::kind)
        .collect();
    assert_eq!(kinds.len(), 6, "all six kinds are used");
}

#[test]
fn glossary_problems_are_reported_where_they_are() {
    let glossary = "[[terms]]\nterm = \"world\"\ndefinition = \"Everything.\"\n\n[[terms]]\nterm = \"planet\"\nalso = [\"World\"]\ndefinition = \" \"\n\n[[terms]]\nterm = \"moon\"\ndefinition = \"Not in the text.\"\n";
    let pack = TempPack::new("glossary", COURSE, &[("one", SECTION)]);
    fs::write(pack.0.join(GLOSSARY), glossary).unwrap();
    let errors = pack.errors().join("\n");
    assert!(
        errors.contains("content/glossary.toml:7:9: `World` is already defined, under `world`"),
        "{errors}"
    );
    assert!(errors.contains("content/glossary.toml:8:14: this text is empty"), "{errors}");
    fs::write(
        pack.0.join(GLOSSARY),
        glossary.replace("also = [\"World\"]\n", "").replace("\" \"", "\"A body.\""),
    )
    .unwrap();
    let loaded = pack.load().unwrap();
    let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    assert!(warnings.iter().any(|w| w.contains("`moon` appears nowhere")), "{warnings:?}");
    assert!(warnings.iter().any(|w| w.contains("`planet` appears nowhere")), "{warnings:?}");
    assert_eq!(
        loaded.course.glossary.iter().map(|t| t.term.as_str()).collect::<Vec<_>>(),
        ["moon", "planet", "world"]
    );
}

#[test]
fn diagram_references_are_checked_where_they_are() {
    let diagram = "id = \"flow\"\ntitle = \"Flow\"\nalt = \"A to B.\"\n[[nodes]]\nid = \"a\"\nlabel = \"A\"\n[[nodes]]\nid = \"b\"\nlabel = \"B\"\n[[edges]]\nfrom = \"a\"\nto = \"b\"\n";
    let section = SECTION.to_owned() + "\n[[blocks]]\nkind = \"diagram\"\ndiagram = \"flwo\"\n";
    let course = COURSE.to_owned() + "map = \"flow\"\n";
    let section = section.replace("title = \"One\"", "title = \"One\"\nmap_node = \"c\"");
    let pack = TempPack::new("diagram-refs", &course, &[("one", &section)]);
    fs::create_dir_all(pack.0.join("assets/diagrams")).unwrap();
    fs::write(pack.0.join("assets/diagrams/flow.toml"), diagram).unwrap();
    let errors = pack.errors().join("\n");
    assert!(
        errors.contains("there is no diagram `flwo`") && errors.contains("did you mean `flow`?"),
        "{errors}"
    );
    assert!(
        errors.contains("content/sections/one.toml:3:12: the map `flow` has no node `c`"),
        "{errors}"
    );
    let fixed = section.replace("flwo", "flow").replace("map_node = \"c\"", "map_node = \"b\"");
    fs::write(pack.0.join("content/sections/one.toml"), fixed).unwrap();
    let course = pack.load().unwrap().course;
    assert_eq!(course.sections[0].map_node, Some(1));
    assert_eq!(course.diagrams.len(), 1);
}

#[test]
fn control_characters_are_removed_and_reported_where_they_were() {
    let section = SECTION.replace("Hello *world*.", "Hello \\u001b]0;pwned\\u0007world\\u202E.");
    let loaded = TempPack::new("hostile", COURSE, &[("one", &section)]).load().unwrap();
    let crate::course::BlockBody::Text(paragraphs) = &loaded.course.sections[0].blocks[0].body
    else {
        panic!()
    };
    let text = paragraphs[0].text();
    assert!(!text.chars().any(crate::content::sanitize::is_hostile), "{text:?}");
    assert_eq!(text, "Hello ]0;pwnedworld.");
    let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings.iter().filter(|w| w.contains("control character")).count(),
        3,
        "{warnings:?}"
    );
    assert!(warnings[0].contains("content/sections/one.toml:6:"), "{warnings:?}");
}

/// Test-wise learners pick the longest option (or, if authors overcorrect, the shortest); a
/// course where the right option stands out by length rewards that instead of understanding.
/// Lengths in characters.
#[test]
fn the_right_option_does_not_stand_out_by_length() {
    use crate::course::{Answer, Choice};
    let course = load(&PackSource::BuiltIn).unwrap().course;
    let length = |o: &&Choice| o.text.chars().count();
    #[allow(clippy::cast_precision_loss)] // a few short strings
    let mean = |v: &[&Choice]| v.iter().map(length).sum::<usize>() as f64 / v.len() as f64;
    let (mut singles, mut longest, mut shortest, mut ratios) = (0, Vec::new(), Vec::new(), vec![]);
    for question in course.sections.iter().flat_map(|s| &s.questions) {
        let Answer::Choice { options, multiple } = &question.answer else { continue };
        let (right, wrong): (Vec<&Choice>, Vec<&Choice>) = options.iter().partition(|o| o.correct);
        if wrong.is_empty() {
            continue;
        }
        if *multiple {
            ratios.push(mean(&right) / mean(&wrong));
            continue;
        }
        singles += 1;
        let right = length(&right[0]);
        if wrong.iter().all(|o| right > length(o)) {
            longest.push(question.id.as_str());
        }
        if wrong.iter().all(|o| right < length(o)) {
            shortest.push(question.id.as_str());
        }
    }
    // With three or four options of varied length, chance makes the right one the longest in
    // about a quarter of the questions; a third leaves room for honest variation.
    for (cue, ids) in [("longest", &longest), ("shortest", &shortest)] {
        assert!(
            ids.len() * 3 <= singles,
            "the right option is the strictly {cue} in {} of {singles} single-choice questions: {ids:?}",
            ids.len()
        );
    }
    // Right options of multiple-choice questions may be a little longer on average, not much.
    #[allow(clippy::cast_precision_loss)]
    let mean_ratio = ratios.iter().sum::<f64>() / ratios.len().max(1) as f64;
    assert!(
        mean_ratio <= 1.2,
        "right options of multiple-choice questions are {mean_ratio:.2} times as long as wrong ones"
    );
}

#[test]
fn a_terms_not_in_must_name_a_block_and_is_reported_where_it_is() {
    let section = SECTION.replace("kind = \"text\"", "kind = \"text\"\nid = \"hello\"");
    let pack = TempPack::new("not-in", COURSE, &[("one", &section)]);
    let glossary = |not_in: &str| {
        format!("[[terms]]\nterm = \"world\"\ndefinition = \"Everything.\"\nnot_in = [{not_in}]\n")
    };
    let cases = [
        ("\"one/helo\"", "4:11: the section `one` has no block with id `helo`", "`one/hello`"),
        ("\"noe/hello\"", "4:11: there is no section `noe`", "did you mean `one`?"),
        ("\"hello\"", "4:11: `not_in` needs a section and a block", "\"section-id/block-id\""),
    ];
    for (not_in, error, hint) in cases {
        fs::write(pack.0.join(GLOSSARY), glossary(not_in)).unwrap();
        let errors = pack.errors().join("\n");
        assert!(errors.contains(&format!("content/glossary.toml:{error}")), "{errors}");
        assert!(errors.contains(hint), "{errors}");
    }
    // Used only where it means something else, the term is used nowhere in its own sense.
    fs::write(pack.0.join(GLOSSARY), glossary("\"one/hello\"")).unwrap();
    let loaded = pack.load().unwrap();
    let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    assert!(warnings.iter().any(|w| w.contains("`world` appears nowhere")), "{warnings:?}");
}

/// The glossary defines "potency" as how many kinds of cell a stem cell can become; the
/// release tests use the word for what a product can do. The reader must not put the first
/// definition on the second use, and the course must say what the word means there.
#[test]
fn potency_is_not_marked_where_it_means_a_products_strength() {
    use crate::page::{AltText, Glyphs, Options, layout};
    let course = load(&PackSource::BuiltIn).unwrap().course;
    let potency = course.glossary.iter().position(|t| t.term == "potency").unwrap();
    let matcher = crate::glossary::Matcher::new(&course.glossary);
    let marked_in = |id: &str| {
        let section = &course.sections[course.section_index(id).unwrap()];
        let mut options = Options::plain(Glyphs::UNICODE, &course.diagrams, AltText::Hidden);
        options.terms = Some(&matcher);
        let page = layout(section, 80, &options);
        let text: String = page.lines.iter().map(crate::page::PageLine::text).collect();
        let marked = page.lines.iter().flat_map(|l| &l.pieces).any(|p| p.term == Some(potency));
        (marked, text)
    };
    let (marked, text) = marked_in("cultivation");
    assert!(text.to_lowercase().contains("potency"), "the release tests name potency");
    assert!(!marked, "potency is marked with the wrong sense in cultivation");
    let cultivation = &course.sections[course.section_index("cultivation").unwrap()];
    let release_tests = crate::search::section_texts(&course.diagrams, cultivation)
        .into_iter()
        .find(|(place, _)| crate::search::block_id(cultivation, *place) == Some("release-tests"))
        .unwrap()
        .1;
    assert!(release_tests.contains("not how many kinds of cell"), "the second sense is explained");
    assert!(marked_in("understanding").0, "potency is still marked where it means range of fates");
}

#[test]
fn a_quoted_number_and_an_empty_file_are_said_as_an_author_would_fix_them() {
    let course = COURSE.replace("format_version = 1", "format_version = \"1\"");
    let errors = TempPack::new("quoted-version", &course, &[("one", SECTION)]).errors().join("\n");
    assert!(errors.contains("content/course.toml:1:18: this is a number, not text"), "{errors}");
    assert!(errors.contains("hint: write it without quotes: 1"), "{errors}");
    assert!(!errors.contains("u32"), "{errors}");

    let errors = TempPack::new("empty-file", COURSE, &[("one", "# nothing yet\n\n")]).errors();
    let errors = errors.join("\n");
    assert!(errors.contains("content/sections/one.toml: the file is empty"), "{errors}");
    assert!(!errors.contains("missing field"), "{errors}");
}

#[test]
fn a_diagram_reference_that_is_a_path_points_outside_the_pack() {
    for reference in ["../flow", "/etc/flow", "sub/flow"] {
        let section = SECTION.to_owned()
            + &format!("\n[[blocks]]\nkind = \"diagram\"\ndiagram = \"{reference}\"\n");
        let course = COURSE.to_owned() + &format!("map = \"{reference}\"\n");
        let errors = TempPack::new("diagram-path", &course, &[("one", &section)]).errors();
        let errors = errors.join("\n");
        let message = format!("`{reference}` points outside the pack's assets/diagrams/ folder");
        assert_eq!(errors.matches(&message).count(), 2, "{errors}");
        assert!(!errors.contains("there is no diagram"), "{errors}");
    }
}

#[test]
fn a_missing_map_is_one_error_without_follow_ons_about_map_node() {
    let course = COURSE.to_owned() + "map = \"nowhere\"\n";
    let section = SECTION.replace("title = \"One\"", "title = \"One\"\nmap_node = \"a\"");
    let errors = TempPack::new("no-map", &course, &[("one", &section)]).errors();
    let errors: Vec<&String> = errors.iter().filter(|e| e.starts_with("error")).collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].contains("there is no diagram `nowhere` to use as the map"), "{errors:?}");
}

#[cfg(unix)]
#[test]
fn a_diagrams_folder_linked_out_of_the_pack_is_one_error_naming_the_link() {
    let diagram = "id = \"flow\"\ntitle = \"Flow\"\nalt = \"A to B.\"\n[[nodes]]\nid = \"a\"\nlabel = \"A\"\n";
    let section = SECTION.to_owned() + "\n[[blocks]]\nkind = \"diagram\"\ndiagram = \"flow\"\n";
    let pack = TempPack::new("linked-diagrams", COURSE, &[("one", &section), ("two", &section)]);
    let outside =
        std::env::temp_dir().join(format!("stemcell-outside-diagrams-{}", std::process::id()));
    let _ = fs::remove_dir_all(&outside);
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("flow.toml"), diagram).unwrap();
    fs::create_dir_all(pack.0.join("assets")).unwrap();
    std::os::unix::fs::symlink(&outside, pack.0.join("assets/diagrams")).unwrap();
    let errors = pack.errors();
    fs::remove_dir_all(&outside).unwrap();
    let diagram_errors: Vec<&String> = errors.iter().filter(|e| e.contains("diagram")).collect();
    assert_eq!(diagram_errors.len(), 1, "{errors:#?}");
    assert!(
        diagram_errors[0].contains("assets/diagrams: the folder is a link to")
            && diagram_errors[0].contains("outside the pack"),
        "{errors:#?}"
    );
}

/// Sections are read without resolving each whole path (one look at the file when its folder
/// is inside the pack): a section that is a link out of the pack, or a sections folder that
/// is one, is still refused naming where it points, and a link to a file inside still reads.
#[cfg(unix)]
#[test]
fn a_section_linked_out_of_the_pack_is_refused_and_one_linked_inside_is_read() {
    use std::os::unix::fs::symlink;
    let course = COURSE.replace(r#"sections = ["one"]"#, r#"sections = ["one", "two", "three"]"#);
    let pack = TempPack::new("linked-sections", &course, &[("one", SECTION)]);
    let outside =
        std::env::temp_dir().join(format!("stemcell-outside-sections-{}", std::process::id()));
    let _ = fs::remove_dir_all(&outside);
    fs::create_dir_all(outside.join("sections")).unwrap();
    let stray = outside.join("two.toml");
    fs::write(&stray, SECTION.replace("\"one\"", "\"two\"")).unwrap();
    fs::write(pack.0.join("three-text.toml"), SECTION.replace("\"one\"", "\"three\"")).unwrap();
    symlink(&stray, pack.0.join("content/sections/two.toml")).unwrap();
    symlink(pack.0.join("three-text.toml"), pack.0.join("content/sections/three.toml")).unwrap();
    let errors: Vec<String> =
        pack.errors().into_iter().filter(|e| e.starts_with("error")).collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].contains("content/sections/two.toml")
            && errors[0].contains("points outside the pack")
            && errors[0].contains("two.toml)"),
        "{errors:#?}"
    );

    // The whole folder linked out: each of its sections is refused, none is read.
    fs::remove_dir_all(pack.0.join("content/sections")).unwrap();
    for id in ["one", "two", "three"] {
        let text = SECTION.replace("\"one\"", &format!("\"{id}\""));
        fs::write(outside.join(format!("sections/{id}.toml")), text).unwrap();
    }
    symlink(outside.join("sections"), pack.0.join("content/sections")).unwrap();
    let errors: Vec<String> =
        pack.errors().into_iter().filter(|e| e.starts_with("error")).collect();
    fs::remove_dir_all(&outside).unwrap();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(errors.iter().all(|e| e.contains("points outside the pack")), "{errors:#?}");
}
