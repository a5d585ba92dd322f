//! The application state and its one pure `update`: a message in, the new state and an
//! [`Effect`] out. Nothing here touches a file or the terminal, so every behaviour is a unit
//! test: `app.update(Msg::NextSection)`.

pub mod keymap;

use ratatui::layout::{Rect, Size};

use crate::course::Course;
use crate::page::{self, Glyphs, Page};
use crate::ui::reader::ReaderAreas;
use crate::ui::theme::ThemeName;

/// The screen the reader is on. Help is an overlay on top of any of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Title,
    Reader,
    Contents,
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
    ShowTitle,
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
    Quit,
}

/// Lines the mouse wheel scrolls per notch, as in most terminal pagers.
const WHEEL_LINES: usize = 3;

#[derive(Debug)]
pub struct App {
    pub course: Course,
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
    /// Sections the reader has seen to the end.
    pub read: Vec<bool>,
    pub theme: ThemeName,
    pub glyphs: Glyphs,
    viewport: Size,
    /// The current section laid out for the current text width; rebuilt only when the
    /// section or the width changes, so drawing a frame never re-wraps text.
    page: Page,
    page_width: usize,
}

impl App {
    pub fn new(course: Course, theme: ThemeName, glyphs: Glyphs, viewport: Size) -> Self {
        let read = vec![false; course.sections.len()];
        let mut app = Self {
            course,
            screen: Screen::Title,
            help_open: false,
            help_scroll: 0,
            section: 0,
            scroll: 0,
            selected: 0,
            read,
            theme,
            glyphs,
            viewport,
            page: Page::default(),
            page_width: 0,
        };
        app.layout_page();
        app
    }

    /// Starts in the reader at `section` (`stemcell read --section ID`).
    #[must_use]
    pub fn opened_at(mut self, section: usize) -> Self {
        self.open(section);
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
        ReaderAreas::new(Rect::new(0, 0, self.viewport.width, self.viewport.height))
    }

    /// The furthest the reader can scroll: the last page line sits on the last text row.
    pub fn max_scroll(&self) -> usize {
        self.page.lines.len().saturating_sub(self.reader_areas().text.height as usize)
    }

    /// How far the help can scroll when the window is too short for all of it.
    pub fn max_help_scroll(&self) -> usize {
        crate::ui::help::max_scroll(self.screen, self.viewport)
    }

    pub fn update(&mut self, msg: Msg) -> Effect {
        let page_rows = (self.reader_areas().text.height as usize).max(1);
        match msg {
            Msg::Quit => return Effect::Quit,
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
            Msg::NextSection => match self.screen {
                Screen::Reader if self.section + 1 < self.course.sections.len() => {
                    self.open(self.section + 1);
                }
                Screen::Reader => {}
                Screen::Title | Screen::Contents => self.open(self.selected),
            },
            Msg::PreviousSection => {
                if self.screen == Screen::Reader && self.section > 0 {
                    self.open(self.section - 1);
                }
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
            Msg::JumpTo(index) => {
                if index < self.course.sections.len() {
                    self.open(index);
                }
            }
            Msg::SelectNext => {
                self.selected = (self.selected + 1).min(self.course.sections.len() - 1);
            }
            Msg::SelectPrevious => self.selected = self.selected.saturating_sub(1),
            Msg::OpenSelected => self.open(self.selected),
            Msg::ToggleContents => {
                self.screen = match self.screen {
                    Screen::Contents => Screen::Reader,
                    Screen::Title | Screen::Reader => {
                        self.selected = self.section;
                        Screen::Contents
                    }
                };
            }
            Msg::ShowTitle => {
                self.selected = self.section;
                self.screen = Screen::Title;
            }
        }
        self.mark_read();
        Effect::None
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

    /// Lays out the current section for the current text width.
    fn layout_page(&mut self) {
        let width = self.reader_areas().text.width as usize;
        self.page = page::layout(&self.course.sections[self.section], width, self.glyphs);
        self.page_width = width;
    }

    /// After a resize: re-wraps only when the text width changed, and keeps the reader on
    /// the same part of the text (by proportion) rather than on the same line number.
    fn resized(&mut self) {
        if self.reader_areas().text.width as usize != self.page_width {
            let (scroll, old_len) = (self.scroll, self.page.lines.len().max(1));
            self.layout_page();
            self.scroll = scroll * self.page.lines.len() / old_len;
        }
        self.scroll = self.scroll.min(self.max_scroll());
    }

    /// A section counts as read once its last line has been on screen.
    fn mark_read(&mut self) {
        if self.screen == Screen::Reader && self.scroll >= self.max_scroll() {
            self.read[self.section] = true;
        }
    }
}

#[cfg(test)]
mod tests;
