//! Keys are data: one table per screen maps keys to messages. The same tables dispatch key
//! presses, draw the footer hints and fill the `?` help, so the three can never disagree.

use super::Msg;

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
    Backspace,
}

/// What triggers a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Key(Key),
    /// Any of the digits 1 to 9; the message receives the digit's position (0 to 8).
    Digit,
    /// Any of the letters a to i; the message receives the letter's position (0 to 8).
    Letter,
    /// Any printable character, typed into an answer.
    AnyChar,
}

/// Which key table is in force: the screen, and within a quiz what is being answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Title,
    Reader,
    Contents,
    Help,
    /// Single and multiple choice: pick by number or cursor.
    Choosing,
    /// True or false: t or f.
    Judging,
    Ordering,
    Matching,
    Typing,
    /// After answering: feedback is shown.
    Answered,
    Results,
    Stats,
    /// A yes/no question (resetting the record).
    Confirm,
    /// Classroom mode: revealing blocks.
    Present,
    /// A class question, counting hands.
    ClassCounting,
    /// A class question revealed, or one without options to count.
    ClassRevealed,
    /// Typing into the search box.
    Search,
    /// Reading with the last search's hits: `n` and `N` step through them.
    ReaderFound,
    Glossary,
    /// Typing a filter for the glossary's terms.
    GlossaryFilter,
    /// A popup that any listed key closes.
    Popup,
    /// Reading while in a live class: the reader's keys and catching up with the teacher.
    ReaderClass,
    /// A class question answered (or closed), waiting for the teacher's reveal.
    ClassWaiting,
    /// The teacher's console: present mode's keys and the class's.
    PresentClass,
    /// The console during a live class quiz.
    ClassLive,
    /// The console's roster.
    Roster,
    /// Typing a student's new name.
    Renaming,
    /// "End the class?"
    ConfirmEnd,
    /// "Remove this student?" (or "let them back in?") on the console.
    ConfirmKick,
    /// The console's QR code of the class page fills the screen.
    JoinQr,
    /// The console's list of the section's questions, to ask one (or all).
    QuestionPicker,
    /// The console's summary after a class quiz.
    ClassSummary,
    /// A class question being answered, by kind: Enter sends, Esc reads on; every other key
    /// is the kind's own (see [`fallback`]).
    ClassChoosing,
    ClassJudging,
    ClassOrdering,
    ClassMatching,
    ClassTyping,
    /// A class question revealed: the student's own feedback.
    ClassAnswered,
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
    BackTab, Backspace, Char, Ctrl, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right,
    Tab, Up,
};
use Trigger::{AnyChar, Digit, Key as K, Letter};

const fn bind(
    triggers: &'static [Trigger],
    msg: Msg,
    description: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding { triggers, msg, description, hint }
}

const QUIT: Binding = bind(&[K(Char('q')), K(Ctrl('c'))], Msg::Quit, "quit", Some("quit"));
/// While typing an answer, `q` is a letter: only Ctrl-C quits.
const QUIT_TYPING: Binding = bind(&[K(Ctrl('c'))], Msg::Quit, "quit", Some("quit"));
const THEME: Binding = bind(&[K(Char('T'))], Msg::CycleTheme, "next theme (remembered)", None);
const HELP: Binding =
    bind(&[K(Char('?'))], Msg::ToggleHelp, "show or hide this help", Some("help"));
const END_QUIZ: Binding =
    bind(&[K(Esc)], Msg::Back, "end the quiz and see the results", Some("end"));
const SCROLL_PAGE_DOWN: Binding = bind(&[K(PageDown)], Msg::PageDown, "scroll down a page", None);
const SCROLL_PAGE_UP: Binding = bind(&[K(PageUp)], Msg::PageUp, "scroll up a page", None);

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
    bind(&[K(Char('Q'))], Msg::StartQuiz, "quiz on the whole course", Some("quiz")),
    bind(&[K(Char('P'))], Msg::Practice, "practice the questions due for review", Some("practice")),
    bind(&[K(Char('s'))], Msg::ShowStats, "your progress", Some("progress")),
    bind(&[K(Char('/'))], Msg::OpenSearch, "search the whole course", None),
    bind(&[K(Char('g'))], Msg::ShowGlossary, "the glossary", None),
    THEME,
    HELP,
    QUIT,
];

pub const READER: &[Binding] = &[
    bind(&[K(Right), K(Char('n')), K(Char(' '))], Msg::NextSection, "next section", Some("next")),
    bind(&[K(Left), K(Char('p'))], Msg::PreviousSection, "previous section", Some("prev")),
    bind(&[K(Down), K(Char('j'))], Msg::ScrollDown, "scroll down a line", Some("scroll")),
    bind(&[K(Up), K(Char('k'))], Msg::ScrollUp, "scroll up a line", None),
    SCROLL_PAGE_DOWN,
    SCROLL_PAGE_UP,
    bind(&[K(Home)], Msg::Top, "go to the top of the section", None),
    bind(&[K(End)], Msg::Bottom, "go to the end of the section", None),
    bind(&[K(Char('t')), K(Tab)], Msg::ToggleContents, "table of contents", Some("contents")),
    bind(&[K(Char('Q'))], Msg::StartQuiz, "quiz on this section", Some("quiz")),
    bind(&[K(Char('P'))], Msg::Practice, "practice the questions due for review", None),
    bind(&[K(Char('s'))], Msg::ShowStats, "your progress", None),
    bind(&[K(Char('/'))], Msg::OpenSearch, "search the whole course", Some("search")),
    bind(&[K(Char('g'))], Msg::ShowGlossary, "the glossary", None),
    bind(&[K(Char('i'))], Msg::ShowTerms, "definitions of the terms on screen (underlined)", None),
    bind(&[K(Char('d'))], Msg::NextDiagramStep, "step through the diagram on screen", None),
    bind(&[K(Char('D'))], Msg::PreviousDiagramStep, "step the diagram back", None),
    THEME,
    bind(&[Digit], Msg::JumpTo(0), "go to section 1 to 9", None),
    bind(&[K(Esc)], Msg::Back, "back to the quiz, or to the title screen", None),
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

pub const CHOOSING: &[Binding] = &[
    bind(&[K(Enter)], Msg::Submit, "check the answer", Some("check")),
    bind(&[Digit], Msg::Choose(0), "choose (or tick) option 1 to 9", Some("choose")),
    bind(&[K(Up), K(Char('k'))], Msg::SelectPrevious, "move to the previous option", None),
    bind(&[K(Down), K(Char('j'))], Msg::SelectNext, "move to the next option", None),
    bind(&[K(Char(' '))], Msg::Toggle, "choose (or tick) the option under the cursor", None),
    SCROLL_PAGE_DOWN,
    SCROLL_PAGE_UP,
    END_QUIZ,
    HELP,
    QUIT,
];

pub const JUDGING: &[Binding] = &[
    bind(&[K(Enter)], Msg::Submit, "check the answer", Some("check")),
    bind(&[K(Char('t')), K(Char('1'))], Msg::Choose(0), "true", Some("true")),
    bind(&[K(Char('f')), K(Char('2'))], Msg::Choose(1), "false", Some("false")),
    bind(&[K(Up), K(Char('k'))], Msg::SelectPrevious, "move up", None),
    bind(&[K(Down), K(Char('j'))], Msg::SelectNext, "move down", None),
    bind(&[K(Char(' '))], Msg::Toggle, "choose the answer under the cursor", None),
    END_QUIZ,
    HELP,
    QUIT,
];

pub const ORDERING: &[Binding] = &[
    bind(&[K(Enter)], Msg::Submit, "check the answer", Some("check")),
    bind(
        &[K(Char(' '))],
        Msg::Toggle,
        "pick up or put down the step under the cursor",
        Some("pick up"),
    ),
    bind(
        &[K(Up), K(Char('k'))],
        Msg::SelectPrevious,
        "move up (carrying the step you picked up)",
        Some("move"),
    ),
    bind(
        &[K(Down), K(Char('j'))],
        Msg::SelectNext,
        "move down (carrying the step you picked up)",
        None,
    ),
    SCROLL_PAGE_DOWN,
    SCROLL_PAGE_UP,
    END_QUIZ,
    HELP,
    QUIT,
];

pub const MATCHING: &[Binding] = &[
    bind(&[K(Enter)], Msg::Submit, "check the answer", Some("check")),
    bind(&[Letter], Msg::Assign(0), "match the current item with partner a to i", Some("match")),
    bind(
        &[K(Right), K(Char(' '))],
        Msg::CycleForward,
        "the next partner for the current item",
        None,
    ),
    bind(&[K(Left)], Msg::CycleBack, "the previous partner for the current item", None),
    bind(&[K(Up), K(Char('k'))], Msg::SelectPrevious, "move to the previous item", None),
    bind(&[K(Down), K(Char('j'))], Msg::SelectNext, "move to the next item", Some("move")),
    SCROLL_PAGE_DOWN,
    SCROLL_PAGE_UP,
    END_QUIZ,
    HELP,
    QUIT,
];

pub const TYPING: &[Binding] = &[
    bind(&[K(Enter)], Msg::Submit, "check the answer", Some("check")),
    bind(&[K(Backspace)], Msg::DeleteBack, "delete the last character", None),
    bind(&[AnyChar], Msg::Type(' '), "type your answer", None),
    END_QUIZ,
    QUIT_TYPING,
];

pub const ANSWERED: &[Binding] = &[
    bind(
        &[K(Enter), K(Right), K(Char('n'))],
        Msg::Submit,
        "go on to the next question",
        Some("next"),
    ),
    bind(&[K(Char('w'))], Msg::ShowWhere, "show me where this is explained", Some("where")),
    bind(&[K(Down), K(Char('j'))], Msg::ScrollDown, "scroll down a line", None),
    bind(&[K(Up), K(Char('k'))], Msg::ScrollUp, "scroll up a line", None),
    SCROLL_PAGE_DOWN,
    SCROLL_PAGE_UP,
    END_QUIZ,
    HELP,
    QUIT,
];

pub const RESULTS: &[Binding] = &[
    bind(&[K(Char('r'))], Msg::RetryMissed, "retry the questions you missed", Some("retry missed")),
    bind(&[K(Enter), K(Esc)], Msg::Back, "back to where the quiz started", Some("back")),
    bind(&[K(Down), K(Char('j'))], Msg::ScrollDown, "scroll down a line", None),
    bind(&[K(Up), K(Char('k'))], Msg::ScrollUp, "scroll up a line", None),
    HELP,
    QUIT,
];

pub const STATS: &[Binding] = &[
    bind(&[K(Char('P'))], Msg::Practice, "practice the questions due for review", Some("practice")),
    bind(&[K(Esc), K(Enter), K(Char('s'))], Msg::Back, "back", Some("back")),
    bind(&[K(Char('R'))], Msg::AskReset, "reset your record (asks first)", Some("reset")),
    HELP,
    QUIT,
];

const BLANK: Binding = bind(
    &[K(Char('b')), K(Char('.'))],
    Msg::ToggleBlank,
    "blank the screen, and back",
    Some("blank"),
);

pub const PRESENT: &[Binding] = &[
    bind(
        &[K(PageDown), K(Right), K(Char(' ')), K(Char('n'))],
        Msg::NextSection,
        "reveal the next part",
        Some("next"),
    ),
    bind(&[K(PageUp), K(Left), K(Char('p'))], Msg::PreviousSection, "back one part", Some("back")),
    bind(&[K(Enter)], Msg::Submit, "start the class quiz (when offered)", None),
    bind(&[Digit], Msg::JumpTo(0), "go to section 1 to 9", None),
    BLANK,
    bind(&[K(Char('c'))], Msg::ToggleClock, "hide or show the clock", Some("clock")),
    THEME,
    HELP,
    QUIT,
];

pub const CLASS_COUNTING: &[Binding] = &[
    bind(&[K(Enter), K(PageDown), K(Right)], Msg::Submit, "reveal the answer", Some("reveal")),
    bind(&[AnyChar], Msg::Type(' '), "type the hands raised for the selected option", None),
    bind(&[K(Down), K(Tab)], Msg::SelectNext, "the next option", Some("next option")),
    bind(&[K(Up), K(BackTab)], Msg::SelectPrevious, "the previous option", None),
    bind(&[K(Backspace)], Msg::DeleteBack, "delete a digit", None),
    bind(&[K(Esc)], Msg::Back, "end the class quiz", Some("end")),
    QUIT_TYPING,
];

pub const CLASS_REVEALED: &[Binding] = &[
    bind(&[K(Enter), K(PageDown), K(Right), K(Char(' '))], Msg::Submit, "go on", Some("next")),
    bind(&[K(Esc)], Msg::Back, "end the class quiz", Some("end")),
    BLANK,
    HELP,
    QUIT,
];

pub const SEARCH: &[Binding] = &[
    bind(&[K(Enter)], Msg::Submit, "go to the selected result", Some("go")),
    bind(&[K(Down)], Msg::SelectNext, "the next result", Some("results")),
    bind(&[K(Up)], Msg::SelectPrevious, "the previous result", None),
    bind(&[K(Backspace)], Msg::DeleteBack, "delete a character", None),
    bind(&[AnyChar], Msg::Type(' '), "type what to find", None),
    bind(&[K(Esc)], Msg::Back, "close the search", Some("close")),
    QUIT_TYPING,
];

/// Only the keys for the hits; every other key is the reader's (see [`fallback`]).
pub const READER_FOUND: &[Binding] = &[
    bind(&[K(Char('n'))], Msg::NextHit, "the next search hit (in any section)", Some("next hit")),
    bind(&[K(Char('N'))], Msg::PreviousHit, "the previous search hit", Some("prev hit")),
    bind(
        &[K(Esc)],
        Msg::ClearSearch,
        "forget the search (n is the next section again)",
        Some("clear"),
    ),
];

pub const GLOSSARY: &[Binding] = &[
    bind(&[K(Enter)], Msg::Submit, "go to the term's first use", Some("first use")),
    bind(&[K(Down), K(Char('j'))], Msg::SelectNext, "the next term", Some("select")),
    bind(&[K(Up), K(Char('k'))], Msg::SelectPrevious, "the previous term", None),
    bind(&[K(PageDown)], Msg::PageDown, "five terms down", None),
    bind(&[K(PageUp)], Msg::PageUp, "five terms up", None),
    bind(&[K(Char('/'))], Msg::OpenSearch, "filter the terms", Some("filter")),
    bind(&[K(Esc), K(Char('g'))], Msg::Back, "back (clears a filter first)", Some("back")),
    HELP,
    QUIT,
];

pub const GLOSSARY_FILTER: &[Binding] = &[
    bind(&[K(Enter)], Msg::Submit, "keep the filter and choose among the terms", Some("done")),
    bind(&[K(Down)], Msg::SelectNext, "the next term", Some("select")),
    bind(&[K(Up)], Msg::SelectPrevious, "the previous term", None),
    bind(&[K(Backspace)], Msg::DeleteBack, "delete a character", None),
    bind(&[AnyChar], Msg::Type(' '), "type part of a term or its definition", None),
    bind(&[K(Esc)], Msg::Back, "clear the filter", Some("clear")),
    QUIT_TYPING,
];

pub const POPUP: &[Binding] = &[
    bind(&[K(Esc), K(Enter), K(Char('i')), K(Char(' '))], Msg::Back, "close", Some("close")),
    QUIT,
];

pub const CONFIRM: &[Binding] = &[
    bind(&[K(Char('y'))], Msg::ConfirmReset, "yes, reset my record", Some("yes")),
    bind(&[K(Char('n')), K(Esc)], Msg::Back, "no, keep it", Some("no")),
    QUIT,
];

/// Only the class's key; every other key is the reader's (see [`fallback`]).
pub const READER_CLASS: &[Binding] = &[bind(
    &[K(Char('c'))],
    Msg::CatchUp,
    "catch up: the class question, or the teacher's place",
    Some("catch up"),
)];

/// The class question's own keys, before the kind's.
pub const CLASS_ANSWERING: &[Binding] = &[
    bind(&[K(Enter)], Msg::Submit, "send your answer to the class", Some("send")),
    bind(&[K(Esc)], Msg::Back, "read on (c comes back to the question)", Some("read")),
];

/// The revealed class question's own keys, before the feedback screen's.
pub const CLASS_ANSWERED: &[Binding] = &[bind(
    &[K(Enter), K(Right), K(Char('n')), K(Esc)],
    Msg::Submit,
    "back to reading (or to the teacher's place)",
    Some("back"),
)];

pub const CLASS_WAITING: &[Binding] = &[
    bind(&[K(Esc)], Msg::Back, "read on while waiting (c comes back)", Some("read")),
    bind(&[K(Down), K(Char('j'))], Msg::ScrollDown, "scroll down a line", None),
    bind(&[K(Up), K(Char('k'))], Msg::ScrollUp, "scroll up a line", None),
    SCROLL_PAGE_DOWN,
    SCROLL_PAGE_UP,
    HELP,
    QUIT,
];

const FOLLOW: Binding = bind(
    &[K(Char('f'))],
    Msg::ToggleFollow,
    "students' screens follow yours, or not",
    Some("follow"),
);
const ROSTER_KEY: Binding = bind(
    &[K(Char('r'))],
    Msg::ToggleRoster,
    "the class: who is here, where, how far",
    Some("roster"),
);
const JOIN_QR: Binding = bind(
    &[K(Char('j'))],
    Msg::ToggleJoinQr,
    "a QR code of the class page, for phones (with --web)",
    Some("QR"),
);
const LOCK: Binding =
    bind(&[K(Char('L'))], Msg::ToggleLock, "lock the room (no new students), or open it", None);
const END_CLASS: Binding =
    bind(&[K(Char('E'))], Msg::EndClass, "end the class (asks first)", Some("end class"));

/// Only the class's keys; every other key is present mode's (see [`fallback`]).
pub const PRESENT_CLASS: &[Binding] = &[
    FOLLOW,
    ROSTER_KEY,
    JOIN_QR,
    bind(
        &[K(Char('a'))],
        Msg::PickQuestion,
        "ask one question of this section (or all of them): a list to choose from",
        Some("ask"),
    ),
    LOCK,
    END_CLASS,
];

pub const QUESTION_PICKER: &[Binding] = &[
    bind(&[K(Enter)], Msg::Submit, "ask the class the selected question (or all)", Some("ask")),
    bind(&[K(Down), K(Char('j'))], Msg::SelectNext, "the next question", Some("select")),
    bind(&[K(Up), K(Char('k'))], Msg::SelectPrevious, "the previous question", None),
    bind(&[K(Esc), K(Char('a'))], Msg::Back, "close the list, ask nothing", Some("close")),
    HELP,
    QUIT,
];

pub const CLASS_SUMMARY: &[Binding] = &[
    bind(
        &[K(Enter), K(PageDown), K(Right), K(Char(' '))],
        Msg::Submit,
        "go on to the next section",
        Some("next"),
    ),
    bind(
        &[K(Char('s'))],
        Msg::ToggleScores,
        "each student's score (by name, not ranked), or back to the questions",
        Some("scores"),
    ),
    bind(&[K(Esc)], Msg::Back, "leave the summary (on to the next section)", None),
    BLANK,
    FOLLOW,
    ROSTER_KEY,
    LOCK,
    END_CLASS,
    HELP,
    QUIT,
];

pub const CLASS_LIVE: &[Binding] = &[
    bind(
        &[K(Enter), K(PageDown), K(Right), K(Char(' '))],
        Msg::Submit,
        "reveal the answer, then the next question",
        Some("reveal/next"),
    ),
    bind(&[K(Esc)], Msg::Back, "end the class quiz (summary)", Some("end quiz")),
    BLANK,
    FOLLOW,
    ROSTER_KEY,
    LOCK,
    END_CLASS,
    HELP,
    QUIT,
];

pub const JOIN_QR_OPEN: &[Binding] = &[
    bind(&[K(Esc), K(Char('j')), K(Enter)], Msg::ToggleJoinQr, "close the QR code", Some("close")),
    END_CLASS,
    HELP,
    QUIT,
];

pub const ROSTER: &[Binding] = &[
    bind(&[K(Down), K(Char('j'))], Msg::SelectNext, "the next student", Some("select")),
    bind(&[K(Up), K(Char('k'))], Msg::SelectPrevious, "the previous student", None),
    bind(
        &[K(Char('K'))],
        Msg::KickStudent,
        "remove the student (asks first); on a removed one, let them back in",
        Some("kick"),
    ),
    bind(&[K(Char('R'))], Msg::RenameStudent, "rename the student", Some("rename")),
    bind(
        &[K(Char('A'))],
        Msg::LetRejoin,
        "let in whoever asks to rejoin as the student (without their words)",
        None,
    ),
    bind(&[K(Char('N'))], Msg::TurnAwayRejoin, "turn away whoever asks to rejoin as them", None),
    bind(&[K(Esc), K(Char('r'))], Msg::ToggleRoster, "close the roster", Some("close")),
    FOLLOW,
    LOCK,
    END_CLASS,
    HELP,
    QUIT,
];

pub const RENAMING: &[Binding] = &[
    bind(&[K(Enter)], Msg::Submit, "give the student this name", Some("rename")),
    bind(&[K(Backspace)], Msg::DeleteBack, "delete a character", None),
    bind(&[AnyChar], Msg::Type(' '), "type the new name", None),
    bind(&[K(Esc)], Msg::Back, "keep the old name", Some("cancel")),
    QUIT_TYPING,
];

pub const CONFIRM_END: &[Binding] = &[
    bind(&[K(Char('y'))], Msg::EndClass, "yes, end the class for everyone", Some("yes")),
    bind(&[K(Char('n')), K(Esc)], Msg::Back, "no, go on teaching", Some("no")),
    QUIT_TYPING,
];

pub const CONFIRM_KICK: &[Binding] = &[
    bind(&[K(Char('y'))], Msg::KickStudent, "yes (remove, or let back in)", Some("yes")),
    bind(&[K(Char('n')), K(Esc)], Msg::Back, "no, keep things as they are", Some("no")),
    QUIT,
];

/// The key table in force in `mode`.
pub fn table(mode: Mode) -> &'static [Binding] {
    match mode {
        Mode::Title => TITLE,
        Mode::Reader => READER,
        Mode::Contents => CONTENTS,
        Mode::Help => HELP_SCREEN,
        Mode::Choosing => CHOOSING,
        Mode::Judging => JUDGING,
        Mode::Ordering => ORDERING,
        Mode::Matching => MATCHING,
        Mode::Typing => TYPING,
        Mode::Answered => ANSWERED,
        Mode::Results => RESULTS,
        Mode::Stats => STATS,
        Mode::Confirm => CONFIRM,
        Mode::Present => PRESENT,
        Mode::ClassCounting => CLASS_COUNTING,
        Mode::ClassRevealed => CLASS_REVEALED,
        Mode::Search => SEARCH,
        Mode::ReaderFound => READER_FOUND,
        Mode::Glossary => GLOSSARY,
        Mode::GlossaryFilter => GLOSSARY_FILTER,
        Mode::Popup => POPUP,
        Mode::ReaderClass => READER_CLASS,
        Mode::ClassWaiting => CLASS_WAITING,
        Mode::PresentClass => PRESENT_CLASS,
        Mode::ClassLive => CLASS_LIVE,
        Mode::Roster => ROSTER,
        Mode::Renaming => RENAMING,
        Mode::ConfirmEnd => CONFIRM_END,
        Mode::ConfirmKick => CONFIRM_KICK,
        Mode::JoinQr => JOIN_QR_OPEN,
        Mode::QuestionPicker => QUESTION_PICKER,
        Mode::ClassSummary => CLASS_SUMMARY,
        Mode::ClassChoosing
        | Mode::ClassJudging
        | Mode::ClassOrdering
        | Mode::ClassMatching
        | Mode::ClassTyping => CLASS_ANSWERING,
        Mode::ClassAnswered => CLASS_ANSWERED,
    }
}

/// Keys that work on every screen, after the screen's own.
pub const GLOBAL: &[Binding] =
    &[bind(&[K(Ctrl('z'))], Msg::Suspend, "suspend (fg in the shell comes back)", None)];

/// The mode whose keys apply when `mode`'s own table has none for a key.
pub fn fallback(mode: Mode) -> Option<Mode> {
    match mode {
        Mode::ReaderFound | Mode::ReaderClass => Some(Mode::Reader),
        Mode::PresentClass => Some(Mode::Present),
        Mode::ClassChoosing => Some(Mode::Choosing),
        Mode::ClassJudging => Some(Mode::Judging),
        Mode::ClassOrdering => Some(Mode::Ordering),
        Mode::ClassMatching => Some(Mode::Matching),
        Mode::ClassTyping => Some(Mode::Typing),
        Mode::ClassAnswered => Some(Mode::Answered),
        _ => None,
    }
}

/// Every binding in force in `mode`, its own first, for the footer and the help.
pub fn bindings(mode: Mode) -> Vec<Binding> {
    let own = table(mode);
    let inherited = fallback(mode).map_or(&[][..], table);
    own.iter()
        .copied()
        .chain(
            inherited
                .iter()
                .filter(|b| !b.triggers.iter().any(|t| own.iter().any(|o| o.triggers.contains(t))))
                .copied(),
        )
        .chain(GLOBAL.iter().copied())
        .collect()
}

/// The message a key press sends in `mode`, if the key means anything there.
pub fn dispatch(mode: Mode, key: Key) -> Option<Msg> {
    dispatch_in(table(mode), key)
        .or_else(|| dispatch_in(table(fallback(mode)?), key))
        .or_else(|| dispatch_in(GLOBAL, key))
}

fn dispatch_in(table: &[Binding], key: Key) -> Option<Msg> {
    for binding in table {
        for trigger in binding.triggers {
            let position = match (trigger, key) {
                (K(k), pressed) if *k == pressed => return Some(binding.msg),
                (Digit, Char(c @ '1'..='9')) => c as usize - '1' as usize,
                (Letter, Char(c @ 'a'..='i')) => c as usize - 'a' as usize,
                (AnyChar, Char(c)) => return Some(Msg::Type(c)),
                _ => continue,
            };
            return Some(match binding.msg {
                Msg::JumpTo(_) => Msg::JumpTo(position),
                Msg::Choose(_) => Msg::Choose(position),
                Msg::Assign(_) => Msg::Assign(position),
                other => other,
            });
        }
    }
    None
}

/// The first key that sends `msg` in `mode`, written for people (for hints in the text).
/// The `?` help's entries for a screen: each binding's keys, written for people, and what it
/// does (laid out by `geometry::help`).
pub fn help_entries(mode: Mode) -> Vec<crate::geometry::help::HelpEntry> {
    let mut entries: Vec<_> = bindings(mode)
        .iter()
        .map(|b| {
            let keys: Vec<String> = b.triggers.iter().map(|t| label(*t)).collect();
            (keys.join(" "), b.description)
        })
        .collect();
    if mode == Mode::Reader {
        entries.push(("wheel".to_owned(), "the mouse wheel scrolls the text"));
    }
    entries
}

pub fn key_for(mode: Mode, msg: Msg) -> Option<String> {
    let binding = table(mode).iter().find(|b| b.msg == msg)?;
    Some(label(*binding.triggers.first()?))
}

/// How a trigger is written for people: `→`, `PgDn`, `Ctrl-C`, `1-9`.
pub fn label(trigger: Trigger) -> String {
    match trigger {
        Digit => "1-9".to_owned(),
        Letter => "a-i".to_owned(),
        AnyChar => "letters".to_owned(),
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
            Backspace => "Backspace".to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Mode; 38] = [
        Mode::QuestionPicker,
        Mode::ClassSummary,
        Mode::GlossaryFilter,
        Mode::ClassAnswered,
        Mode::ClassChoosing,
        Mode::ClassJudging,
        Mode::ClassOrdering,
        Mode::ClassMatching,
        Mode::ClassTyping,
        Mode::PresentClass,
        Mode::ClassLive,
        Mode::Roster,
        Mode::Renaming,
        Mode::ConfirmEnd,
        Mode::ConfirmKick,
        Mode::JoinQr,
        Mode::ReaderClass,
        Mode::ClassWaiting,
        Mode::Search,
        Mode::ReaderFound,
        Mode::Glossary,
        Mode::Popup,
        Mode::Present,
        Mode::ClassCounting,
        Mode::ClassRevealed,
        Mode::Stats,
        Mode::Confirm,
        Mode::Judging,
        Mode::Title,
        Mode::Reader,
        Mode::Contents,
        Mode::Help,
        Mode::Choosing,
        Mode::Ordering,
        Mode::Matching,
        Mode::Typing,
        Mode::Answered,
        Mode::Results,
    ];

    #[test]
    fn the_issue_keys_do_what_they_say_in_the_reader() {
        for key in [Right, Char('n'), Char(' ')] {
            assert_eq!(dispatch(Mode::Reader, key), Some(Msg::NextSection));
        }
        for key in [Left, Char('p')] {
            assert_eq!(dispatch(Mode::Reader, key), Some(Msg::PreviousSection));
        }
        assert_eq!(dispatch(Mode::Reader, Char('3')), Some(Msg::JumpTo(2)));
        assert_eq!(dispatch(Mode::Reader, Tab), Some(Msg::ToggleContents));
        assert_eq!(dispatch(Mode::Reader, Char('x')), None);
    }

    #[test]
    fn digits_and_letters_carry_their_position() {
        assert_eq!(dispatch(Mode::Choosing, Char('4')), Some(Msg::Choose(3)));
        assert_eq!(dispatch(Mode::Matching, Char('c')), Some(Msg::Assign(2)));
        assert_eq!(dispatch(Mode::Typing, Char('q')), Some(Msg::Type('q')), "q is a letter here");
    }

    #[test]
    fn ctrl_c_quits_everywhere_and_q_everywhere_but_typing() {
        for mode in ALL {
            assert_eq!(dispatch(mode, Ctrl('c')), Some(Msg::Quit), "{mode:?}");
            if !matches!(
                mode,
                Mode::Typing
                    | Mode::ClassCounting
                    | Mode::Search
                    | Mode::GlossaryFilter
                    | Mode::Renaming
                    | Mode::ConfirmEnd
                    | Mode::ClassTyping
            ) {
                assert_eq!(dispatch(mode, Char('q')), Some(Msg::Quit), "{mode:?}");
            }
        }
    }

    #[test]
    fn no_key_is_bound_twice_in_one_mode() {
        for mode in ALL {
            let mut seen = Vec::new();
            for trigger in table(mode).iter().flat_map(|b| b.triggers) {
                assert!(!seen.contains(trigger), "{mode:?}: {trigger:?} is bound twice");
                seen.push(*trigger);
            }
        }
    }
}
