//! The course as plain text, for `stemcell | less` and other pipes: the same layout as the
//! reader, with no escape sequences at all.

pub mod quiz;

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use crate::course::{Course, Section};
use crate::page::{self, Glyphs};

/// Writes the title page and then `sections` (the whole course, or one section).
pub fn write_course(
    out: &mut impl Write,
    course: &Course,
    sections: &[Section],
    width: usize,
    glyphs: Glyphs,
) -> io::Result<()> {
    let title = page::wrap_plain(&course.title, width);
    let title_width = title.iter().map(|l| l.width()).max().unwrap_or(0);
    for line in title
        .into_iter()
        .chain([glyphs.rule.repeat(title_width)])
        .chain(page::wrap_plain(&course.description, width))
        .chain([String::new()])
        .chain(page::wrap_plain(&format!("Please note: {}", course.disclaimer), width))
        .chain([String::new()])
    {
        writeln!(out, "{line}")?;
    }
    writeln!(out, "Sections:")?;
    for (i, section) in course.sections.iter().enumerate() {
        writeln!(out, "  {}. {}", i + 1, section.title)?;
    }
    for section in sections {
        writeln!(out)?;
        let number = course.section_index(&section.id).map_or(0, |i| i + 1);
        writeln!(out, "[{number}/{}]", course.sections.len())?;
        for line in &page::layout(section, width, glyphs, None).lines {
            writeln!(out, "{}", line.text().trim_end())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{self, load::PackSource};

    #[test]
    fn prints_every_section_without_escape_sequences() {
        let course = content::load(&PackSource::BuiltIn).unwrap().course;
        let mut out = Vec::new();
        write_course(&mut out, &course, &course.sections, 80, Glyphs::UNICODE).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains('\u{1b}'));
        assert!(text.contains("education, not medical advice"));
        for section in &course.sections {
            assert!(text.contains(&section.title), "{} missing", section.id);
        }
        assert!(text.lines().all(|l| l.width() <= 80));
    }
}
