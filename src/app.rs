//! The application state and its one pure `update`: a message in, the new state and an
//! [`Effect`] out. Nothing here touches a file or the terminal, so every behaviour is a unit
//! test: `app.update(Msg::NextSection)`.

mod class;
mod console;
mod find;
pub mod keymap;
mod present;
mod quiz;
mod reload;
mod steps;

pub use class::{Live, Seat};
pub use console::{Console, JoinInfo, ScoreRow, Scores};
pub use find::{Found, GlossaryFilter, SearchState};
pub use present::{ClassQuiz, PresentState, Unit, is_right};

pub use quiz::{ChoiceKind, Input, QuizKind, QuizState};

use std::collections::BTreeMap;

use ratatui::layout::{Rect, Size};

use crate::course::Course;
use crate::geometry::reader::ReaderAreas;
use crate::glossary::Matcher;
use crate::learner::{Learner, Position, Record};
use crate::page::{self, Glyphs, Page};
use crate::theme_name::ThemeName;
use keymap::Mode;

/// The screen the reader is on. Help is an overlay on top of any of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Title,
    Reader,
    Contents,
    Quiz,
    Results,
    /// The learner's progress.
    Stats,
    /// Classroom mode.
    Present,
    /// Every glossary term, alphabetical.
    Glossary,
}

/// Everything a user can ask for, in their words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    NextSection,
    PreviousSection,
    ScrollDown,
    ScrollUp,
    /// The mouse wheel: a few lines at a time.
    WheelDown,
    WheelUp,
    PageDown,
    PageUp,
    Top,
    Bottom,
    /// Open section N (0-based) from any screen.
    JumpTo(usize),
    SelectNext,
    SelectPrevious,
    OpenSelected,
    ToggleContents,
    ToggleHelp,
    /// Back: from the reader to the quiz it was opened from (or the title screen), from a
    /// quiz to its results, from the results to where the quiz started.
    Back,
    /// The quiz of the section being read, or of the whole course from the title screen.
    StartQuiz,
    /// Review the questions that are due (spaced repetition).
    Practice,
    ShowStats,
    /// Ask whether to reset the learner record; only `ConfirmReset` does it.
    AskReset,
    ConfirmReset,
    /// Blank the screen, or bring it back (classroom mode).
    ToggleBlank,
    /// Hide or show the elapsed-time clock.
    ToggleClock,
    /// The next theme: dark, light, high contrast, mono.
    CycleTheme,
    /// A second has passed; `elapsed` counts seconds since the start.
    Tick {
        elapsed: u64,
    },
    OpenSearch,
    /// The next or previous search hit, across sections.
    NextHit,
    PreviousHit,
    /// Forget the last search (its highlight and `n`/`N`).
    ClearSearch,
    ShowGlossary,
    /// The definitions of the glossary terms in view.
    ShowTerms,
    /// Step the diagram in view forward or back (a caption says what each step shows).
    NextDiagramStep,
    PreviousDiagramStep,
    /// Choose (or tick) the option at a screen position (the digits 1 to 9).
    Choose(usize),
    /// Match the current item with the partner at a lettered position (a to i).
    Assign(usize),
    /// Space: choose, tick, pick up or put down what is under the cursor.
    Toggle,
    /// The next or previous partner for the current item of a match.
    CycleForward,
    CycleBack,
    /// Check the answer; after feedback, go on.
    Submit,
    /// A character typed into a fill-in answer, and its undo.
    Type(char),
    DeleteBack,
    /// Open the reader at the block that teaches the question just answered.
    ShowWhere,
    RetryMissed,
    /// In a live class: back to the class question, or to the teacher's place.
    CatchUp,
    /// The teacher's console: students' screens follow the teacher, or not.
    ToggleFollow,
    /// The console's roster, over the presentation.
    ToggleRoster,
    /// The console's QR code of the class page (with `--web`).
    ToggleJoinQr,
    /// No new students (those who drop can still come back), or open again.
    ToggleLock,
    /// Ask to end the class; asked again, end it.
    EndClass,
    /// Remove the student highlighted on the roster.
    KickStudent,
    /// Type a new name for the student highlighted on the roster.
    RenameStudent,
    /// Let in the join that asks for the highlighted student's place without their words.
    LetRejoin,
    /// Refuse the join that asks for the highlighted student's place.
    TurnAwayRejoin,
    /// The console's list of the section's questions, to ask one of them (or all).
    PickQuestion,
    /// The class quiz's summary: each student's score, or back to the questions' share right.
    ToggleScores,
    /// Ctrl-Z: stop for now, and come back with `fg`.
    Suspend,
    /// A mouse click at a screen cell.
    Click {
        column: u16,
        row: u16,
    },
    Resize {
        width: u16,
        height: u16,
    },
    Quit,
}

/// What the event loop must do after an update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    None,
    /// Save the learner record (after an answer, at the end of a quiz).
    Save,
    /// Save the learner record and stop.
    Quit,
    /// Keep the learner record aside and start a fresh one (the learner confirmed).
    Reset,
    /// Remember the theme the user picked, for the next start.
    SaveTheme,
    /// Give the terminal back and stop (Ctrl-Z); the loop takes it again on `fg`.
    Suspend,
}

/// Lines the mouse wheel scrolls per notch, as in most terminal pagers.
const WHEEL_LINES: usize = 3;

/// Choices made on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    pub theme: ThemeName,
    pub glyphs: Glyphs,
    /// Every shuffle follows from it, so a handout printed with the same seed matches.
    pub seed: u64,
}

#[derive(Debug)]
pub struct App {
    /// Shared: every student of a class reads the same course (a copy each would cost the
    /// server hundreds of KiB per student).
    pub course: std::sync::Arc<Course>,
    pub screen: Screen,
    pub help_open: bool,
    /// The first line of the help shown, when the window is too short for all of it.
    pub help_scroll: usize,
    /// The section being read (index into `course.sections`).
    pub section: usize,
    /// The first page line shown in the reader.
    pub scroll: usize,
    /// The highlighted entry on the title screen and in the contents.
    pub selected: usize,
    pub settings: Settings,
    /// The learner's record: what was read and answered. Saved by the event loop when
    /// `update` asks (after each answer, at the end of a quiz, on quit), never on a key press.
    pub learner: Learner,
    /// A message for the learner until the next key (welcome back, a record problem).
    pub notice: Option<String>,
    /// A short hint in the footer line instead of the key hints, until the next key: for
    /// a key that had nothing to act on, where a box would cover what the learner reads.
    pub hint: Option<String>,
    /// The "reset your record?" question is open.
    pub confirming_reset: bool,
    /// Where the progress screen returns to.
    stats_from: Screen,
    /// The quiz under way or just finished, if any.
    pub quiz: Option<QuizState>,
    /// Classroom mode, when presenting.
    pub present: Option<PresentState>,
    /// A student's seat in a live class (`stemcell serve`), when joined over SSH.
    pub class: Option<Seat>,
    /// The teacher's console of a live class (`stemcell serve`).
    pub console: Option<Console>,
    /// Finds glossary terms in text, built once from the course.
    pub terms: Matcher,
    /// The search box, when open.
    pub search: Option<SearchState>,
    /// The last search's hits, highlighted in the reader.
    pub found: Option<Found>,
    /// Built the first time the search box opens.
    search_index: Option<crate::search::Index>,
    /// The glossary entry highlighted, and where the glossary screen returns to.
    pub glossary_selected: usize,
    glossary_from: Screen,
    /// The definitions shown in a popup (glossary term indices), until the next key.
    pub term_popup: Option<Vec<usize>>,
    /// The glossary screen's filter (`/`), while it is typed and after.
    pub glossary_filter: Option<find::GlossaryFilter>,
    /// The step shown of each stepped diagram: section → block → step.
    pub diagram_steps: BTreeMap<usize, BTreeMap<usize, usize>>,
    /// With `--watch`: why the pack on disk cannot be shown, until it is fixed.
    pub pack_problems: Option<String>,
    viewport: Size,
    /// The current section laid out for the current text width; rebuilt only when the
    /// section or the width changes, so drawing a frame never re-wraps text.
    page: Page,
    page_width: usize,
}

impl App {
    pub fn new(
        course: impl Into<std::sync::Arc<Course>>,
        settings: Settings,
        learner: Learner,
        viewport: Size,
    ) -> Self {
        let course = course.into();
        let terms = Matcher::new(&course.glossary);
        Self {
            course,
            screen: Screen::Title,
            help_open: false,
            help_scroll: 0,
            section: 0,
            scroll: 0,
            selected: 0,
            settings,
            learner,
            notice: None,
            hint: None,
            confirming_reset: false,
            stats_from: Screen::Title,
            quiz: None,
            present: None,
            class: None,
            console: None,
            terms,
            search: None,
            found: None,
            search_index: None,
            glossary_selected: 0,
            glossary_from: Screen::Title,
            term_popup: None,
            glossary_filter: None,
            diagram_steps: BTreeMap::new(),
            pack_problems: None,
            viewport,
            // The title screen comes first and shows no page: one is laid out when it is
            // needed (see `update`), which keeps start-up short.
            page: Page::default(),
            page_width: 0,
        }
    }

    /// Opens where the learner left off, if the record knows, with a word of welcome.
    #[must_use]
    pub fn resumed(mut self) -> Self {
        let Some(position) = self.learner.record.position.clone() else { return self };
        let Some(section) = self.course.section_index(&position.section) else { return self };
        self.open(section);
        self.scroll =
            (self.page.lines.len() * usize::from(position.permille) / 1000).min(self.max_scroll());
        let back = keymap::key_for(Mode::Reader, Msg::Back).unwrap_or_default();
        self.notice = Some(format!(
            "Welcome back: you were reading {}. {back} goes to the title page to start elsewhere.",
            self.course.sections[section].short_title
        ));
        self
    }

    /// Whether section `index` has been read to the end (now or in an earlier session).
    pub fn is_read(&self, index: usize) -> bool {
        self.course.sections.get(index).is_some_and(|s| self.learner.record.read.contains(&s.id))
    }

    /// Starts in the reader at `section` (`stemcell read --section ID`).
    #[must_use]
    pub fn opened_at(mut self, section: usize) -> Self {
        self.open(section);
        self
    }

    /// Starts in a quiz on one section or the whole course (`stemcell quiz`).
    #[must_use]
    pub fn quizzing(mut self, section: Option<usize>) -> Self {
        if let Some(section) = section {
            self.section = section;
            self.layout_page();
        }
        self.start_quiz(section, Screen::Title);
        self
    }

    /// Starts in a practice session of the questions due (`stemcell practice`).
    #[must_use]
    pub fn practising(mut self) -> Self {
        self.start_practice(Screen::Title);
        self
    }

    /// Starts in a quiz on chosen questions (a practice session, a retry, a test).
    #[must_use]
    pub fn quizzing_on(mut self, questions: Vec<crate::quiz::QuestionRef>) -> Self {
        let run = crate::quiz::QuizRun::new(&self.course, questions, self.settings.seed);
        self.begin(run, QuizKind::Practice, Screen::Title);
        self
    }

    pub fn page(&self) -> &Page {
        &self.page
    }

    pub fn viewport(&self) -> Size {
        self.viewport
    }

    /// Where the reader's parts go at the current window size.
    pub fn reader_areas(&self) -> ReaderAreas {
        ReaderAreas::new(self.area())
    }

    pub fn area(&self) -> Rect {
        Rect::new(0, 0, self.viewport.width, self.viewport.height)
    }

    /// The furthest the reader can scroll: the last page line sits on the last text row.
    pub fn max_scroll(&self) -> usize {
        self.page.lines.len().saturating_sub(self.reader_areas().text.height as usize)
    }

    /// How far the help can scroll when the window is too short for all of it.
    pub fn max_help_scroll(&self) -> usize {
        crate::geometry::help::max_scroll(&keymap::help_entries(self.mode()), self.viewport)
    }

    /// What the keys mean now, under any help overlay.
    pub fn mode(&self) -> Mode {
        let mode = match self.screen {
            _ if self.term_popup.is_some() => Mode::Popup,
            _ if self.search.is_some() => Mode::Search,
            Screen::Title => Mode::Title,
            Screen::Reader if self.found.is_some() => Mode::ReaderFound,
            Screen::Reader => Mode::Reader,
            Screen::Glossary if self.glossary_filter.as_ref().is_some_and(|f| f.typing) => {
                Mode::GlossaryFilter
            }
            Screen::Glossary => Mode::Glossary,
            Screen::Contents => Mode::Contents,
            Screen::Results => Mode::Results,
            Screen::Stats if self.confirming_reset => Mode::Confirm,
            Screen::Stats => Mode::Stats,
            Screen::Present => match self.present.as_ref().and_then(|p| p.class.as_ref()) {
                None => Mode::Present,
                Some(class) if class.revealed || class.finished || class.hands.is_empty() => {
                    Mode::ClassRevealed
                }
                Some(_) => Mode::ClassCounting,
            },
            Screen::Quiz => self.quiz.as_ref().map_or(Mode::Results, QuizState::mode),
        };
        self.console_mode(self.class_mode(mode))
    }

    /// The key table in force, help included.
    pub fn key_mode(&self) -> Mode {
        if self.help_open { Mode::Help } else { self.mode() }
    }

    pub fn update(&mut self, msg: Msg) -> Effect {
        // A notice stays until the learner does something.
        if !matches!(msg, Msg::Resize { .. } | Msg::Tick { .. }) {
            self.notice = None;
            self.hint = None;
        }
        let mut effect = Effect::None;
        match msg {
            _ if self.console_takes(msg) => effect = self.update_console(msg),
            Msg::Quit => {
                self.note_position();
                return Effect::Quit;
            }
            Msg::Suspend => return Effect::Suspend,
            Msg::ToggleHelp => {
                self.help_open = !self.help_open;
                self.help_scroll = 0;
            }
            Msg::ScrollDown | Msg::WheelDown if self.help_open => {
                self.help_scroll = (self.help_scroll + 1).min(self.max_help_scroll());
            }
            Msg::ScrollUp | Msg::WheelUp if self.help_open => {
                self.help_scroll = self.help_scroll.saturating_sub(1);
            }
            Msg::Resize { width, height } => {
                self.viewport = Size::new(width, height);
                self.resized();
            }
            Msg::CycleTheme => {
                self.settings.theme = self.settings.theme.next();
                effect = Effect::SaveTheme;
            }
            _ if self.class_takes(msg) => effect = self.update_class(msg),
            // A popup closes with the key that dismisses it, and the key does nothing more.
            _ if self.term_popup.is_some() => self.term_popup = None,
            _ if self.search.is_some() => self.update_search(msg),
            _ if self.screen == Screen::Present => effect = self.update_present(msg),
            _ if self.screen == Screen::Glossary => self.update_glossary(msg),
            _ if matches!(self.screen, Screen::Quiz | Screen::Results) => {
                effect = self.update_quiz(msg);
            }
            _ if self.screen == Screen::Stats => effect = self.update_stats(msg),
            _ => self.update_reading(msg),
        }
        if self.page.lines.is_empty() && matches!(self.screen, Screen::Reader | Screen::Contents) {
            self.layout_page();
        }
        self.mark_read();
        self.note_position();
        self.class_after_update();
        self.console_after_update();
        // A resize or a change of screen can leave less help to scroll.
        self.help_scroll = self.help_scroll.min(self.max_help_scroll());
        effect
    }

    /// The title screen, the reader and the contents.
    fn update_reading(&mut self, msg: Msg) {
        let page_rows = (self.reader_areas().text.height as usize).max(1);
        match msg {
            Msg::NextSection => match self.screen {
                Screen::Reader if self.section + 1 < self.course.sections.len() => {
                    self.open(self.section + 1);
                }
                Screen::Title | Screen::Contents => self.open(self.selected),
                _ => {}
            },
            Msg::PreviousSection if self.screen == Screen::Reader && self.section > 0 => {
                self.open(self.section - 1);
            }
            Msg::ScrollDown => self.scroll_by(1),
            Msg::ScrollUp => self.scroll_back(1),
            Msg::WheelDown => self.scroll_by(WHEEL_LINES),
            Msg::WheelUp => self.scroll_back(WHEEL_LINES),
            // A page keeps one line of the previous page in view, so the eye has an anchor.
            Msg::PageDown => self.scroll_by(page_rows.saturating_sub(1).max(1)),
            Msg::PageUp => self.scroll_back(page_rows.saturating_sub(1).max(1)),
            Msg::Top => self.scroll = 0,
            Msg::Bottom => self.scroll = self.max_scroll(),
            Msg::JumpTo(index) if index < self.course.sections.len() => self.open(index),
            Msg::SelectNext => {
                self.selected = (self.selected + 1).min(self.course.sections.len() - 1);
            }
            Msg::SelectPrevious => self.selected = self.selected.saturating_sub(1),
            Msg::OpenSelected => self.open(self.selected),
            Msg::ToggleContents if self.screen == Screen::Contents => self.screen = Screen::Reader,
            Msg::ToggleContents => {
                self.selected = self.section;
                self.screen = Screen::Contents;
            }
            Msg::Back => {
                if self.quiz.as_ref().is_some_and(|q| q.reading_from_quiz) {
                    self.return_to_quiz();
                } else {
                    self.selected = self.section;
                    self.screen = Screen::Title;
                }
            }
            Msg::StartQuiz => {
                let scope = (self.screen == Screen::Reader).then_some(self.section);
                let back_to = self.screen;
                self.start_quiz(scope, back_to);
            }
            Msg::Practice => {
                let back_to = self.screen;
                self.start_practice(back_to);
            }
            Msg::ShowStats => {
                self.stats_from = self.screen;
                self.screen = Screen::Stats;
            }
            Msg::OpenSearch => self.open_search(),
            Msg::NextHit => self.step_hit(true),
            Msg::PreviousHit => self.step_hit(false),
            Msg::ClearSearch => self.found = None,
            Msg::ShowGlossary => self.open_glossary(),
            Msg::ShowTerms if self.screen == Screen::Reader => self.show_terms_in_view(),
            Msg::NextDiagramStep if self.screen == Screen::Reader => self.step_diagram(true),
            Msg::PreviousDiagramStep if self.screen == Screen::Reader => self.step_diagram(false),
            Msg::Click { column, row } if self.screen == Screen::Reader => {
                self.click_in_reader(column, row);
            }
            _ => {}
        }
    }

    fn open(&mut self, index: usize) {
        self.section = index.min(self.course.sections.len() - 1);
        self.selected = self.section;
        self.screen = Screen::Reader;
        self.help_open = false;
        self.scroll = 0;
        self.layout_page();
        self.mark_read();
    }

    fn scroll_by(&mut self, lines: usize) {
        if self.screen == Screen::Reader {
            self.scroll = (self.scroll + lines).min(self.max_scroll());
        }
    }

    fn scroll_back(&mut self, lines: usize) {
        if self.screen == Screen::Reader {
            self.scroll = self.scroll.saturating_sub(lines);
        }
    }

    /// Steps the first diagram in view: from the whole picture to step 1, 2, … and, after the
    /// last step (which shows everything), back to the whole picture.
    fn step_diagram(&mut self, forward: bool) {
        let rows = self.reader_areas().text.height as usize;
        let section = &self.course.sections[self.section];
        let in_view = section.blocks.iter().enumerate().find_map(|(block, b)| {
            let crate::course::BlockBody::Diagram(d) = b.body else { return None };
            let start = self.page.block_starts.get(block).copied()?;
            let end =
                self.page.block_starts.get(block + 1).copied().unwrap_or(self.page.blocks_end);
            let visible = start < self.scroll + rows && end > self.scroll;
            visible.then(|| (block, crate::diagram::step_count(&self.course.diagrams[d])))
        });
        let Some((block, count)) = in_view.filter(|(_, count)| *count > 0) else {
            let key = keymap::key_for(Mode::Reader, Msg::NextDiagramStep).unwrap_or_default();
            self.hint = Some(format!("{key}: no diagram with steps in view"));
            return;
        };
        let steps = self.diagram_steps.entry(self.section).or_default();
        let next = match (steps.get(&block).copied(), forward) {
            (None, true) => Some(0),
            (None, false) => Some(count - 1),
            (Some(s), true) if s + 1 < count => Some(s + 1),
            (Some(s), false) if s > 0 => Some(s - 1),
            (Some(_), _) => None,
        };
        match next {
            Some(step) => steps.insert(block, step),
            None => steps.remove(&block),
        };
        let scroll = self.scroll;
        self.layout_page();
        self.scroll = self.scroll_for_step(block, scroll);
    }

    /// Lays out the current section for the current text width.
    fn layout_page(&mut self) {
        let width = self.reader_areas().text.width as usize;
        let section = &self.course.sections[self.section];
        let no_steps = BTreeMap::new();
        let steps = self.diagram_steps.get(&self.section).unwrap_or(&no_steps);
        let offer = (!section.questions.is_empty()).then(|| {
            let key = keymap::key_for(Mode::Reader, Msg::StartQuiz).unwrap_or_default();
            let count = crate::content::error::plural(section.questions.len(), "question");
            format!("Test yourself: {count} on this section. Press {key}.")
        });
        self.page = page::layout(
            section,
            width,
            &page::Options {
                glyphs: self.settings.glyphs,
                offer: offer.as_deref(),
                terms: Some(&self.terms),
                diagrams: &self.course.diagrams,
                steps,
                alt_text: page::AltText::Hidden,
            },
        );
        self.page_width = width;
    }

    /// After a resize: re-wraps only when the text width changed, and keeps the reader on
    /// the same part of the text (by proportion) rather than on the same line number.
    fn resized(&mut self) {
        if !self.page.lines.is_empty() && self.reader_areas().text.width as usize != self.page_width
        {
            let (scroll, old_len) = (self.scroll, self.page.lines.len().max(1));
            self.layout_page();
            self.scroll = scroll * self.page.lines.len() / old_len;
        }
        self.scroll = self.scroll.min(self.max_scroll());
    }

    /// A section counts as read once its last line has been on screen.
    fn mark_read(&mut self) {
        if self.screen == Screen::Reader && self.scroll >= self.max_scroll() {
            let id = &self.course.sections[self.section].id;
            if !self.learner.record.read.contains(id) {
                self.learner.record.read.insert(id.clone());
            }
        }
    }

    /// Remembers where the reader is, for the next start.
    fn note_position(&mut self) {
        if self.screen == Screen::Reader && !self.page.lines.is_empty() {
            let permille = self.scroll * 1000 / self.page.lines.len();
            self.learner.record.position = Some(Position {
                section: self.course.sections[self.section].id.clone(),
                permille: u16::try_from(permille).unwrap_or(1000),
            });
        }
    }

    /// The progress screen and its reset question.
    fn update_stats(&mut self, msg: Msg) -> Effect {
        match msg {
            Msg::Back if self.confirming_reset => self.confirming_reset = false,
            Msg::Back => self.screen = self.stats_from,
            Msg::AskReset => self.confirming_reset = true,
            Msg::ConfirmReset if self.confirming_reset => {
                self.confirming_reset = false;
                // Afresh at once, whatever the store makes of it: the learner asked.
                self.learner.reset();
                return Effect::Reset;
            }
            Msg::Practice => self.start_practice(self.stats_from),
            _ => {}
        }
        Effect::None
    }

    /// The loop kept the old record aside and wrote the fresh one (or could not): the record
    /// is fresh either way, since the learner asked for it.
    pub fn was_reset(&mut self, result: Result<(Option<std::path::PathBuf>, Record), String>) {
        let result = result.map(|(kept, record)| {
            self.learner.record = record;
            kept
        });
        self.notice = Some(match result {
            Ok(Some(kept)) => {
                format!("Your record starts afresh. The old one is kept as {}.", kept.display())
            }
            Ok(None) => "Your record starts afresh.".to_owned(),
            Err(problem) => format!(
                "Your record starts afresh here, but the old one could not be moved aside: {problem}."
            ),
        });
    }

    /// The pack changed on disk (`--watch`): show the new course where the reader was, or the
    /// problems while keeping the last good course on screen.
    pub fn reload(&mut self, loaded: Result<Course, Vec<crate::content::error::Diagnostic>>) {
        match loaded {
            Err(problems) => {
                let shown: Vec<String> = problems
                    .iter()
                    .filter(|d| d.is_error())
                    .take(3)
                    .map(ToString::to_string)
                    .collect();
                let more = problems.iter().filter(|d| d.is_error()).count().saturating_sub(3);
                let mut text = format!(
                    "The pack has errors; still showing the last good version.\n{}",
                    shown.join("\n")
                );
                if more > 0 {
                    text.push_str("\n… and ");
                    text.push_str(&more.to_string());
                    text.push_str(" more (stemcell validate lists them all)");
                }
                self.pack_problems = Some(text);
            }
            Ok(course) => {
                self.pack_problems = None;
                let here = self.course.sections.get(self.section).map(|s| s.id.clone());
                let through = self.scroll * 1000 / self.page.lines.len().max(1);
                self.terms = Matcher::new(&course.glossary);
                let old = std::mem::replace(&mut self.course, std::sync::Arc::new(course));
                self.search_index = None;
                self.found = None;
                self.diagram_steps.clear();
                self.section = here
                    .and_then(|id| self.course.section_index(&id))
                    .unwrap_or(0)
                    .min(self.course.sections.len().saturating_sub(1));
                self.selected = self.section;
                self.glossary_selected =
                    self.glossary_selected.min(self.course.glossary.len().saturating_sub(1));
                // Every other index into the old course: kept where it still means the same,
                // closed where it does not.
                let closed = self.revalidate(&old);
                self.layout_page();
                self.scroll = (self.page.lines.len() * through / 1000).min(self.max_scroll());
                self.notice = Some(if closed.is_empty() {
                    "Reloaded: the pack changed on disk.".to_owned()
                } else {
                    format!(
                        "Reloaded: the pack changed on disk, so {} closed.",
                        closed.join(" and ")
                    )
                });
            }
        }
    }

    /// The loop saved the record: adopt the merged copy, which may hold another window's
    /// answers too.
    pub fn saved(&mut self, result: Result<Record, String>) {
        match result {
            Ok(merged) => self.learner.record = merged,
            Err(problem) => {
                self.notice = Some(format!(
                    "Your progress cannot be saved ({problem}). You can go on; nothing you do now will be kept."
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests;
