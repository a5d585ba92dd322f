//! Keys are data: one table per screen maps keys to messages. The same tables dispatch key
//! presses, draw the footer hints and fill the `?` help, so the three can never disagree.

use super::{Msg, Screen};

/// A key press, independent of the terminal library (the event loop translates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Left,
    Right,
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    Enter,
    Esc,
    Tab,
    BackTab,
}

/// What triggers a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Key(Key),
    /// Any of the digits 1 to 9; the message receives the digit's position (0 to 8).
    Digit,
}

/// One line of a key table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub triggers: &'static [Trigger],
    pub msg: Msg,
    /// What the binding does, in the help screen.
    pub description: &'static str,
    /// A word or two for the footer; `None` keeps the binding out of the footer.
    pub hint: Option<&'static str>,
}

use Key::{
    BackTab, Char, Ctrl, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right, Tab, Up,
};
use Trigger::{Digit, Key as K};

const fn bind(
    triggers: &'static [Trigger],
    msg: Msg,
    description: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding { triggers, msg, description, hint }
}

const QUIT: Binding = bind(&[K(Char('q')), K(Ctrl('c'))], Msg::Quit, "quit", Some("quit"));
const HELP: Binding =
    bind(&[K(Char('?'))], Msg::ToggleHelp, "show or hide this help", Some("help"));

pub const TITLE: &[Binding] = &[
    bind(
        &[K(Enter), K(Char('n')), K(Right), K(Char(' '))],
        Msg::OpenSelected,
        "start reading the selected section",
        Some("start"),
    ),
    bind(&[K(Up), K(Char('k'))], Msg::SelectPrevious, "select the previous section", None),
    bind(&[K(Down), K(Char('j'))], Msg::SelectNext, "select the next section", Some("select")),
    bind(&[Digit], Msg::JumpTo(0), "open section 1 to 9", None),
    bind(&[K(Char('t')), K(Tab)], Msg::ToggleContents, "table of contents", Some("contents")),
    HELP,
    QUIT,
];

pub const READER: &[Binding] = &[
    bind(&[K(Right), K(Char('n')), K(Char(' '))], Msg::NextSection, "next section", Some("next")),
    bind(&[K(Left), K(Char('p'))], Msg::PreviousSection, "previous section", Some("prev")),
    bind(&[K(Down), K(Char('j'))], Msg::ScrollDown, "scroll down a line", Some("scroll")),
    bind(&[K(Up), K(Char('k'))], Msg::ScrollUp, "scroll up a line", None),
    bind(&[K(PageDown)], Msg::PageDown, "scroll down a page", None),
    bind(&[K(PageUp)], Msg::PageUp, "scroll up a page", None),
    bind(&[K(Home)], Msg::Top, "go to the top of the section", None),
    bind(&[K(End)], Msg::Bottom, "go to the end of the section", None),
    bind(&[K(Char('t')), K(Tab)], Msg::ToggleContents, "table of contents", Some("contents")),
    bind(&[Digit], Msg::JumpTo(0), "go to section 1 to 9", None),
    bind(&[K(Esc)], Msg::ShowTitle, "back to the title screen", None),
    HELP,
    QUIT,
];

pub const CONTENTS: &[Binding] = &[
    bind(
        &[K(Up), K(Char('k')), K(BackTab)],
        Msg::SelectPrevious,
        "select the previous section",
        None,
    ),
    bind(&[K(Down), K(Char('j'))], Msg::SelectNext, "select the next section", Some("select")),
    bind(&[K(Enter), K(Right)], Msg::OpenSelected, "open the selected section", Some("open")),
    bind(&[Digit], Msg::JumpTo(0), "open section 1 to 9", None),
    bind(&[K(Esc), K(Char('t')), K(Tab)], Msg::ToggleContents, "close the contents", Some("close")),
    HELP,
    QUIT,
];

pub const HELP_SCREEN: &[Binding] = &[
    bind(&[K(Esc), K(Char('?')), K(Enter)], Msg::ToggleHelp, "close the help", Some("close")),
    bind(&[K(Down), K(Char('j'))], Msg::ScrollDown, "scroll the help down", None),
    bind(&[K(Up), K(Char('k'))], Msg::ScrollUp, "scroll the help up", None),
    QUIT,
];

/// The key table in force on `screen`, with help open or not.
pub fn table(screen: Screen, help_open: bool) -> &'static [Binding] {
    if help_open {
        return HELP_SCREEN;
    }
    match screen {
        Screen::Title => TITLE,
        Screen::Reader => READER,
        Screen::Contents => CONTENTS,
    }
}

/// The message a key press sends on `screen`, if the key means anything there.
pub fn dispatch(screen: Screen, help_open: bool, key: Key) -> Option<Msg> {
    for binding in table(screen, help_open) {
        for trigger in binding.triggers {
            match (trigger, key) {
                (K(k), pressed) if *k == pressed => return Some(binding.msg),
                (Digit, Char(c @ '1'..='9')) => {
                    return Some(Msg::JumpTo(c as usize - '1' as usize));
                }
                _ => {}
            }
        }
    }
    None
}

/// How a trigger is written for people: `→`, `PgDn`, `Ctrl-C`, `1-9`.
pub fn label(trigger: Trigger) -> String {
    match trigger {
        Digit => "1-9".to_owned(),
        K(key) => match key {
            Char(' ') => "Space".to_owned(),
            Char(c) => c.to_string(),
            Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Left => "←".to_owned(),
            Right => "→".to_owned(),
            Up => "↑".to_owned(),
            Down => "↓".to_owned(),
            PageUp => "PgUp".to_owned(),
            PageDown => "PgDn".to_owned(),
            Home => "Home".to_owned(),
            End => "End".to_owned(),
            Enter => "Enter".to_owned(),
            Esc => "Esc".to_owned(),
            Tab => "Tab".to_owned(),
            BackTab => "Shift-Tab".to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issue_keys_do_what_they_say_in_the_reader() {
        for key in [Right, Char('n'), Char(' ')] {
            assert_eq!(dispatch(Screen::Reader, false, key), Some(Msg::NextSection));
        }
        for key in [Left, Char('p')] {
            assert_eq!(dispatch(Screen::Reader, false, key), Some(Msg::PreviousSection));
        }
        assert_eq!(dispatch(Screen::Reader, false, Char('3')), Some(Msg::JumpTo(2)));
        assert_eq!(dispatch(Screen::Reader, false, Tab), Some(Msg::ToggleContents));
        assert_eq!(dispatch(Screen::Reader, false, Char('x')), None);
    }

    #[test]
    fn ctrl_c_and_q_quit_on_every_screen() {
        for screen in [Screen::Title, Screen::Reader, Screen::Contents] {
            for help in [false, true] {
                assert_eq!(dispatch(screen, help, Ctrl('c')), Some(Msg::Quit));
                assert_eq!(dispatch(screen, help, Char('q')), Some(Msg::Quit));
            }
        }
    }

    #[test]
    fn no_key_is_bound_twice_on_one_screen() {
        for table in [TITLE, READER, CONTENTS, HELP_SCREEN] {
            let mut seen = Vec::new();
            for trigger in table.iter().flat_map(|b| b.triggers) {
                assert!(!seen.contains(trigger), "{trigger:?} is bound twice");
                seen.push(*trigger);
            }
        }
    }
}
