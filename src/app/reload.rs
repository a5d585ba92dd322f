//! After a reload (`--watch`): every index the app holds into the old course is checked
//! against the new one. What still means the same is moved to where it now is (a quiz whose
//! questions are all still there, unchanged; a presentation of a section still there); what
//! does not is closed, so that no screen ever reads past the end of the new course.

use super::{App, QuizKind, Screen};
use crate::course::Course;
use crate::quiz::QuestionRef;

impl App {
    /// Re-checks the quiz, the search box, the popup and the presentation against the course
    /// now loaded (`old` is the one they were made for); returns what had to close, in the
    /// learner's words.
    pub(super) fn revalidate(&mut self, old: &Course) -> Vec<&'static str> {
        let mut closed = Vec::new();
        if let Some(quiz) = self.quiz.as_mut() {
            let moved = quiz
                .run
                .questions
                .iter()
                .map(|&at| moved_question(old, &self.course, at))
                .collect::<Option<Vec<QuestionRef>>>();
            let kind = match quiz.kind {
                QuizKind::Section(s) => moved_section(old, &self.course, s).map(QuizKind::Section),
                kind => Some(kind),
            };
            if let (Some(moved), Some(kind)) = (moved, kind) {
                quiz.run.questions = moved;
                quiz.kind = kind;
            } else {
                self.quiz = None;
                closed.push("the quiz");
            }
        }
        if self.quiz.is_none() && matches!(self.screen, Screen::Quiz | Screen::Results) {
            self.screen = Screen::Reader;
        }
        if let Some(present) = self.present.as_mut() {
            if let Some(section) = moved_section(old, &self.course, present.section) {
                let same_questions = old.sections[present.section].questions
                    == self.course.sections[section].questions;
                present.section = section;
                if !same_questions && present.class.take().is_some() {
                    closed.push("the class question");
                }
                if let Some(class) = present.class.as_mut() {
                    class.section = section;
                }
            } else {
                self.present = None;
                closed.push("the presentation");
            }
        }
        if let Some(present) = self.present.as_ref() {
            let last = super::PresentState::last_step(self, present.section);
            if let Some(present) = self.present.as_mut() {
                present.step = present.step.min(last);
            }
        } else if self.screen == Screen::Present {
            self.screen = Screen::Reader;
        }
        if let Some(search) = self.search.as_mut() {
            // The query stays; its hits are found again in the new text.
            let index = self.search_index.insert(crate::search::Index::new(&self.course));
            search.hits = index.search(&search.query);
            search.selected = search.selected.min(search.hits.len().saturating_sub(1));
        }
        if self.term_popup.take().is_some() {
            closed.push("the definitions");
        }
        closed
    }
}

/// Where a section of `old` is in `new`, by its id.
fn moved_section(old: &Course, new: &Course, section: usize) -> Option<usize> {
    new.section_index(&old.sections.get(section)?.id)
}

/// Where a question of `old` is in `new`: the same id, in the same section (by id), asking
/// exactly the same (a changed question would not match the answer being given).
fn moved_question(old: &Course, new: &Course, (s, q): QuestionRef) -> Option<QuestionRef> {
    let question = old.sections.get(s)?.questions.get(q)?;
    let s = moved_section(old, new, s)?;
    let q = new.sections[s].questions.iter().position(|x| x.id == question.id)?;
    (new.sections[s].questions[q] == *question).then_some((s, q))
}
