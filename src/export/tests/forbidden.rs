//! Characters XML 1.0 forbids (C0 controls but tab and line breaks, U+FFFE, U+FFFF) and the
//! noncharacters it discourages, in every text of a course, through every export format: none
//! reaches a file, and Moodle XML and the HTML handout stay well-formed XML.

use super::*;

/// Every C0 control but tab, LF and CR; U+FFFE, U+FFFF; the noncharacters U+FDD0 to U+FDEF
/// and the last two of the supplementary planes.
fn forbidden() -> Vec<char> {
    let mut all: Vec<char> = (0u32..0x20)
        .filter_map(char::from_u32)
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    all.extend((0xFDD0..=0xFDEF).filter_map(char::from_u32));
    for plane in 0..=0x10 {
        all.extend([0xFFFE, 0xFFFF].iter().filter_map(|low| char::from_u32((plane << 16) | low)));
    }
    all
}

fn poisoned_course() -> Course {
    let bad: String = forbidden().into_iter().collect();
    let mut course = course();
    course.title = format!("T{bad}");
    course.description = format!("D{bad}");
    for term in &mut course.glossary {
        term.definition = format!("{bad}{}", term.definition);
    }
    for section in &mut course.sections {
        section.title = format!("S{bad}");
        for question in &mut section.questions {
            question.prompt = format!("{bad}{}{bad}", question.prompt);
            question.explanation = format!("{bad}why");
            match &mut question.answer {
                Answer::Choice { options, .. } => {
                    for option in options {
                        option.text = format!("{bad}{}", option.text);
                        option.feedback = Some(format!("{bad}fb"));
                    }
                }
                Answer::Fill(accepted) => accepted.push(format!("a{bad}b")),
                Answer::Match(pairs) => pairs[0].1 = format!("R{bad}"),
                Answer::Order(steps) => steps[0] = format!("{bad}{}", steps[0]),
                Answer::TrueFalse(_) => {}
            }
        }
    }
    course
}

#[test]
fn no_export_format_writes_a_character_xml_forbids() {
    let course = poisoned_course();
    let formats = [
        Format::Markdown,
        Format::Html,
        Format::Text,
        Format::Json,
        Format::MoodleXml,
        Format::Gift,
        Format::Anki,
    ];
    for format in formats {
        for worksheet in [false, true] {
            if worksheet && !format.has_worksheet() {
                continue;
            }
            let options = Options { answers: true, worksheet, ..Options::new(&course) };
            let out = export(format, &options);
            let found: Vec<char> = out
                .chars()
                // Plain text's page break before the answer key is the format's own.
                .filter(|&c| !(format == Format::Text && c == '\u{c}'))
                .filter(|&c| forbidden_in_xml(c))
                .collect();
            assert!(found.is_empty(), "{format:?}: {found:?}");
            if matches!(format, Format::MoodleXml | Format::Html) {
                let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
                roxmltree::Document::parse_with_options(&out, options)
                    .unwrap_or_else(|e| panic!("{format:?} is not well-formed: {e}"));
            }
            if format == Format::Json {
                serde_json::from_str::<serde_json::Value>(&out).unwrap();
            }
        }
    }
    // The Anki package: its fields are HTML Anki renders.
    let bytes = export_bytes(Format::Apkg, &Options::new(&course)).unwrap();
    let fields = super::apkg_read::notes(&bytes);
    for (_, _, flds, _) in fields {
        let found: Vec<char> =
            flds.chars().filter(|&c| c != '\u{1f}' && forbidden_in_xml(c)).collect();
        assert!(found.is_empty(), "apkg: {found:?}");
    }
}

#[test]
fn the_forbidden_set_is_xmls() {
    for c in ['\u{0}', '\u{8}', '\u{b}', '\u{1f}', '\u{FFFE}', '\u{FFFF}', '\u{FDD0}', '\u{10FFFF}']
    {
        assert!(forbidden_in_xml(c), "{c:?}");
    }
    for c in ['\t', '\n', '\r', ' ', 'é', '\u{FFFD}', '\u{E000}', '\u{10000}', '\u{FDF0}'] {
        assert!(!forbidden_in_xml(c), "{c:?}");
    }
}
