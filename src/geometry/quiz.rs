//! The quiz and results screens: a header, a scrolling body of text column width, the footer;
//! the body's lines as wrapped at that width, which of them are in view, and what a click on
//! one can do. `update` (clicks, scrolling) and the views (drawing) both take the body from
//! here, so what is drawn on a row and what a click on that row does cannot disagree.

mod lines;
#[cfg(test)]
mod tests;

use ratatui::layout::Rect;

use super::reader::MAX_TEXT_WIDTH;
use super::text::TextLine;
use crate::course::Course;
use crate::page::Glyphs;
use crate::quiz::QuizRun;
use crate::quiz::input::Input;

/// The quiz as its screens show it, in plain data. The geometry measures this and knows no
/// `App`: the app builds it (`App::quiz_sheet`) for its clicks and scrolling, and the views
/// build the same one for drawing.
#[derive(Debug, Clone)]
pub struct QuizSheet<'a> {
    pub course: &'a Course,
    pub run: &'a QuizRun,
    pub input: &'a Input,
    /// Lines scrolled by hand; `None` keeps the cursor (or the feedback) in view by itself.
    pub scroll: Option<usize>,
    /// Why Enter did nothing ("choose an option first").
    pub notice: Option<&'static str>,
    /// This is the live class's question (`stemcell serve`): sent, not checked here.
    pub class: bool,
    /// What the class has said about it, when it is one.
    pub live: Option<ClassQuestion>,
    /// The keys the body's buttons name, as the key tables label them.
    pub keys: SheetKeys,
    pub glyphs: Glyphs,
}

/// A class question as the student's screen has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassQuestion {
    /// Sent (true) or closed by the timer (false), and waiting for the teacher's reveal.
    pub waiting: Option<bool>,
    /// Speed points the answer earned, once revealed.
    pub speed: Option<u32>,
    /// Revealed, and this student gave no answer: "no answer", not "wrong".
    pub unanswered: bool,
}

/// Key labels for the buttons drawn in the quiz and results bodies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SheetKeys {
    pub submit: String,
    pub show_where: String,
    pub retry_missed: String,
}

impl QuizSheet<'_> {
    /// Whether the current question has been checked.
    pub fn answered(&self) -> bool {
        self.run.current_result().is_some()
    }
}

/// What a click on a line does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// An option, a step or a left-hand item, by screen position.
    Item(usize),
    /// A right-hand partner of a match, by screen position.
    Partner(usize),
    Check,
    Next,
    Where,
}

/// The screen's parts: a header, the scrolling body, the footer.
pub fn areas(area: Rect) -> (Rect, Rect, Rect) {
    let [header, body, footer] = super::areas::header_body_footer(area);
    let margin = if body.width >= 40 { 2 } else { 1 };
    let width = body.width.saturating_sub(margin * 2).min(MAX_TEXT_WIDTH);
    let top = u16::from(body.height > 10);
    let body = Rect {
        x: body.x + margin + (body.width.saturating_sub(margin * 2) - width) / 2,
        y: body.y + top,
        width,
        height: body.height - top,
    };
    (header, body, footer)
}

/// The scrolling body of the quiz and results screens.
pub fn body_area(area: Rect) -> Rect {
    areas(area).1
}

/// Rows in the quiz body for a window of this area (one is kept for context when paging).
pub fn page_rows(area: Rect) -> usize {
    (areas(area).1.height as usize).saturating_sub(1).max(1)
}

/// A line of the quiz body and what a click on it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizLine {
    pub line: TextLine,
    pub target: Option<Target>,
}

/// A scrolling body as it is shown in a window: where it goes, all its lines wrapped to its
/// width, and the first line in view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body<L> {
    pub area: Rect,
    pub lines: Vec<L>,
    pub first: usize,
}

impl<L> Body<L> {
    /// The lines in view, each with the screen row it is drawn on.
    pub fn shown(&self) -> impl Iterator<Item = (u16, &L)> {
        let rows = self.area.y..self.area.bottom();
        rows.zip(self.lines.iter().skip(self.first))
    }

    /// The furthest the body can scroll.
    pub fn max_scroll(&self) -> usize {
        self.lines.len().saturating_sub(self.area.height as usize)
    }

    /// Whether lines are hidden above or below the view (the view draws arrows for them).
    pub fn more(&self) -> (bool, bool) {
        let height = self.area.height as usize;
        (self.first > 0, self.first + height < self.lines.len())
    }
}

/// The quiz body in a window of this area.
pub fn body(sheet: &QuizSheet, window: Rect) -> Body<QuizLine> {
    let area = body_area(window);
    let (lines, focus) = lines::lines(sheet, area.width as usize);
    let first = offset(sheet, lines.len(), focus, area.height as usize);
    Body { area, lines, first }
}

/// The first body line shown.
fn offset(quiz: &QuizSheet, total: usize, focus: usize, height: usize) -> usize {
    let max = total.saturating_sub(height);
    match quiz.scroll {
        Some(scroll) => scroll.min(max),
        // After checking, show as much of the feedback as fits with its verdict in view.
        None if quiz.answered() => max.min(focus),
        // While answering, keep the item under the cursor in view with a line below it.
        None => (focus + 2).saturating_sub(height).min(max),
    }
}

/// What a click at this cell of a window would do, if anything.
pub fn target_at(sheet: &QuizSheet, window: Rect, column: u16, row: u16) -> Option<Target> {
    let body = body(sheet, window);
    // The two columns left of the body hold the pointer: a click there counts too.
    if column < body.area.x.saturating_sub(2) || column >= body.area.right() {
        return None;
    }
    body.shown().find(|&(y, _)| y == row)?.1.target
}
