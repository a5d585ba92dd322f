//! Display names from the SSH user name. The user name is typed by a student and sent by any
//! client: it may hold control characters (which would drive the teacher's terminal),
//! right-to-left overrides (which would disguise a name), or be very long. Uniqueness is the
//! class's to decide (`class/room.rs`), comparing names without case.

use unicode_width::UnicodeWidthChar;

/// The longest name kept, in terminal columns (the roster's name column).
pub const DEFAULT_MAX_WIDTH: usize = 20;

/// Why a user name cannot be a display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadName {
    /// Nothing printable is left.
    Empty,
}

impl BadName {
    pub fn message(&self) -> String {
        match self {
            Self::Empty => "Your SSH user name is your name in the class, and it has no letters: \
                            join again with the same command, your name before the @."
                .to_owned(),
        }
    }
}

/// The display name for an SSH user: control and invisible formatting characters removed,
/// runs of spaces made one, cut to `max_width` columns.
pub fn clean(user: &str, max_width: usize) -> Result<String, BadName> {
    let mut name = String::new();
    let mut width = 0;
    let mut space = false;
    for c in user.chars() {
        if c.is_control() || is_invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            space = !name.is_empty();
            continue;
        }
        let w = c.width().unwrap_or(0);
        if w == 0 {
            // Combining marks alone could stack without bound; names are plain enough without.
            continue;
        }
        let extra = usize::from(space);
        if width + extra + w > max_width {
            break;
        }
        if space {
            name.push(' ');
            space = false;
        }
        name.push(c);
        width += extra + w;
    }
    if name.is_empty() { Err(BadName::Empty) } else { Ok(name) }
}

/// Characters that change how text around them is shown without showing themselves: bidi
/// controls and overrides, zero-width joiners and spaces, the byte order mark.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// What a name looks like, for telling look-alike names apart: lower case, with letters from
/// other scripts that are drawn like Latin ones (Cyrillic "а", Greek "ο", full-width "Ａ", ...)
/// replaced by those, and digits that pass for letters (0 → o, 1 → l). Two names with the same
/// skeleton would be read as the same student on the roster. A short list of the confusables
/// that matter for names typed in a classroom, after Unicode TR39's table; not all of it.
pub fn skeleton(name: &str) -> String {
    name.chars()
        .flat_map(char::to_lowercase)
        .map(|c| {
            // Full-width ASCII (U+FF01..U+FF5E) is ASCII drawn wide.
            let c = match u32::from(c) {
                0xFF01..=0xFF5E => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
                _ => c,
            };
            match c {
                'а' | 'ɑ' | 'α' => 'a',
                'в' | 'β' => 'b',
                'с' | 'ϲ' => 'c',
                'ԁ' => 'd',
                'е' | 'ё' | 'ε' => 'e',
                'һ' => 'h',
                'і' | 'ї' | 'ι' | 'ı' | '1' | '|' | 'ӏ' | 'l' => 'l',
                'ј' => 'j',
                'к' | 'κ' => 'k',
                'м' => 'm',
                'п' | 'η' => 'n',
                'о' | 'ο' | 'σ' | '0' => 'o',
                'р' | 'ρ' => 'p',
                'ԛ' => 'q',
                'ѕ' => 's',
                'т' | 'τ' => 't',
                'υ' | 'ν' => 'v',
                'ѡ' | 'ω' => 'w',
                'х' | 'χ' => 'x',
                'у' | 'γ' => 'y',
                'ʐ' => 'z',
                other => other,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_name_is_kept() {
        assert_eq!(clean("ana", 20), Ok("ana".to_owned()));
        assert_eq!(clean("José María", 20), Ok("José María".to_owned()));
    }

    #[test]
    fn escapes_and_controls_are_removed() {
        assert_eq!(clean("ana\x1b[2J\x07", 20), Ok("ana[2J".to_owned()));
        assert_eq!(clean("\r\nbob\t", 20), Ok("bob".to_owned()));
    }

    #[test]
    fn bidi_overrides_and_invisibles_are_removed() {
        assert_eq!(clean("ad\u{202E}nim\u{200B}", 20), Ok("adnim".to_owned()));
    }

    #[test]
    fn spaces_collapse_and_long_names_are_cut_by_columns() {
        assert_eq!(clean("  a   b  ", 20), Ok("a b".to_owned()));
        assert_eq!(clean(&"x".repeat(500), 20), Ok("x".repeat(20)));
        // Wide characters take two columns each.
        assert_eq!(clean("日本語の名前です", 6), Ok("日本語".to_owned()));
    }

    #[test]
    fn look_alike_names_share_a_skeleton_and_different_names_do_not() {
        // Cyrillic а in the first, Latin in the second.
        assert_eq!(skeleton("\u{430}na"), skeleton("ana"));
        assert_eq!(skeleton("Ｂｅｎ"), skeleton("ben"));
        assert_eq!(skeleton("B0B"), skeleton("bob"));
        assert_ne!(skeleton("ana"), skeleton("anna"));
        assert_ne!(skeleton("José"), skeleton("Jose"), "an accent is a different name");
    }

    #[test]
    fn a_name_with_nothing_printable_is_refused() {
        assert_eq!(clean("\x1b\x07 \u{202E}", 20), Err(BadName::Empty));
        assert_eq!(clean("", 20), Err(BadName::Empty));
    }
}
