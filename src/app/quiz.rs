//! The quiz screens' state and how messages change it: answering each kind of question by
//! keyboard and mouse, feedback, "show me where this is explained", the results and a retry
//! of the missed questions. Grading itself lives in `crate::quiz`.

use super::keymap::Mode;
use super::{App, Effect, Msg, Screen};
use crate::geometry::quiz::{ClassQuestion, QuizSheet, SheetKeys, Target};
use crate::quiz::QuizRun;
pub use crate::quiz::input::{ChoiceKind, Input};

#[cfg(test)]
mod tests;

/// The longest fill-in answer kept; anything longer is surely not the answer.
const MAX_TYPED: usize = 200;

#[derive(Debug, Clone)]
pub struct QuizState {
    pub run: QuizRun,
    /// The answer being given to the current question.
    pub input: Input,
    /// Lines scrolled by hand; `None` keeps the cursor (or the feedback) in view by itself.
    pub scroll: Option<usize>,
    /// Why Enter did nothing ("choose an option first"), until the next key.
    pub notice: Option<&'static str>,
    /// The reader was opened from feedback ("show me where"): Back returns to the quiz.
    pub reading_from_quiz: bool,
    /// Where the learner goes when leaving the results.
    pub back_to: Screen,
    /// What this quiz covers.
    pub kind: QuizKind,
    /// The quiz's score went into the learner record (once, however often results show).
    pub logged: bool,
}

/// What a quiz covers: it names the quiz and decides what its score means in the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuizKind {
    /// Every question of one section: its score is that section's quiz score.
    Section(usize),
    Course,
    /// The questions missed in the quiz before.
    Retry,
    /// Questions due for review.
    Practice,
    /// The live class's question (`stemcell serve`): sent to the class, not graded here.
    Class,
}

impl QuizKind {
    pub fn name(self, course: &crate::course::Course) -> &str {
        match self {
            Self::Section(s) => &course.sections[s].short_title,
            Self::Course => "Whole course",
            Self::Retry => "Retry",
            Self::Practice => "Practice",
            Self::Class => "Class question",
        }
    }
}

impl QuizState {
    pub fn mode(&self) -> Mode {
        if self.run.current_result().is_some() {
            return Mode::Answered;
        }
        match self.input {
            Input::Choice { kind: ChoiceKind::TrueFalse, .. } => Mode::Judging,
            Input::Choice { .. } => Mode::Choosing,
            Input::Order { .. } => Mode::Ordering,
            Input::Match { .. } => Mode::Matching,
            Input::Fill { .. } => Mode::Typing,
        }
    }

    pub fn answered(&self) -> bool {
        self.run.current_result().is_some()
    }
}

impl App {
    /// The quiz as its screens show it, for the geometry that lays it out.
    pub fn quiz_sheet<'a>(&'a self, quiz: &'a QuizState) -> QuizSheet<'a> {
        let class = quiz.kind == QuizKind::Class;
        let live = self.class_live().map(|live| ClassQuestion {
            waiting: live.waiting().then_some(live.sent.is_some()),
            speed: live.reveal.as_ref().and_then(|r| r.speed),
            unanswered: live.reveal.as_ref().is_some_and(|r| r.response.is_none()),
        });
        let key = |mode, msg| super::keymap::key_for(mode, msg).unwrap_or_default();
        QuizSheet {
            course: &self.course,
            run: &quiz.run,
            input: &quiz.input,
            scroll: quiz.scroll,
            notice: quiz.notice,
            class,
            live,
            keys: SheetKeys {
                submit: key(quiz.mode(), Msg::Submit),
                show_where: key(quiz.mode(), Msg::ShowWhere),
                retry_missed: key(Mode::Results, Msg::RetryMissed),
            },
            glyphs: self.settings.glyphs,
        }
    }

    /// What a click at this cell of the quiz screen would do, if anything.
    pub fn quiz_target_at(&self, column: u16, row: u16) -> Option<Target> {
        let quiz = self.quiz.as_ref()?;
        crate::geometry::quiz::target_at(&self.quiz_sheet(quiz), self.area(), column, row)
    }

    /// The quiz or results body's first line and the furthest it can scroll.
    fn quiz_scroll_range(&self) -> (usize, usize) {
        let Some(quiz) = &self.quiz else { return (0, 0) };
        let sheet = self.quiz_sheet(quiz);
        if self.screen == Screen::Results {
            let body = crate::geometry::results::body(&sheet, self.area());
            return (body.first, body.max_scroll());
        }
        let body = crate::geometry::quiz::body(&sheet, self.area());
        (body.first, body.max_scroll())
    }

    /// Starts a quiz on one section or the whole course; `back_to` is where the learner
    /// returns afterwards.
    pub(super) fn start_quiz(&mut self, scope: Option<usize>, back_to: Screen) {
        let run = QuizRun::of(&self.course, scope, self.settings.seed);
        self.begin(run, scope.map_or(QuizKind::Course, QuizKind::Section), back_to);
    }

    /// Starts a practice session of the questions due, or says there is none.
    pub(super) fn start_practice(&mut self, back_to: Screen) {
        let queue = self.learner.practice_queue(&self.course);
        if queue.is_empty() {
            self.notice = Some(self.learner.nothing_due(&self.course));
            return;
        }
        let run = QuizRun::new(&self.course, queue, self.settings.seed);
        self.begin(run, QuizKind::Practice, back_to);
    }

    pub(super) fn begin(&mut self, run: QuizRun, kind: QuizKind, back_to: Screen) {
        if run.questions.is_empty() {
            return;
        }
        let input = Input::new(run.question(&self.course), run.presentation());
        self.quiz = Some(QuizState {
            run,
            input,
            scroll: None,
            notice: None,
            reading_from_quiz: false,
            back_to,
            kind,
            logged: false,
        });
        self.screen = Screen::Quiz;
        self.help_open = false;
    }

    pub(super) fn return_to_quiz(&mut self) {
        if let Some(quiz) = &mut self.quiz {
            quiz.reading_from_quiz = false;
            self.screen = Screen::Quiz;
        }
    }

    /// Messages on the quiz and results screens. Answers and finished quizzes go into the
    /// learner record, and the record is saved right away.
    pub(super) fn update_quiz(&mut self, msg: Msg) -> Effect {
        let answers_before = self.learner.record.answers.len();
        if self.screen == Screen::Results {
            self.update_results(msg);
        } else {
            self.update_question(msg);
        }
        let quiz_logged = self.screen == Screen::Results && self.log_quiz();
        if quiz_logged || self.learner.record.answers.len() > answers_before {
            Effect::Save
        } else {
            Effect::None
        }
    }

    /// Puts a finished (or ended) quiz into the record, once; `true` when it did now.
    fn log_quiz(&mut self) -> bool {
        let Some(quiz) = self.quiz.as_ref() else { return false };
        if quiz.logged || quiz.run.answered() == 0 {
            return false;
        }
        let section = match quiz.kind {
            // Only a whole section's quiz is that section's score.
            QuizKind::Section(s) if quiz.run.answered() == quiz.run.questions.len() => {
                Some(self.course.sections[s].id.clone())
            }
            _ => None,
        };
        let (points, questions) = (quiz.run.points(), quiz.run.answered());
        self.learner.log_quiz(section, points, questions);
        if let Some(quiz) = self.quiz.as_mut() {
            quiz.logged = true;
        }
        true
    }

    fn update_question(&mut self, msg: Msg) {
        let Some(quiz) = self.quiz.as_mut() else { return };
        quiz.notice = None;
        let answered = quiz.answered();
        let msg = match msg {
            Msg::Click { column, row } => match self.quiz_target_at(column, row) {
                Some(target) => return self.click(target),
                None => return,
            },
            other => other,
        };
        match msg {
            Msg::Back => self.screen = Screen::Results,
            Msg::PageDown | Msg::WheelDown => self.scroll_quiz(page_rows(self)),
            Msg::PageUp | Msg::WheelUp => self.scroll_quiz(-page_rows(self)),
            Msg::ScrollDown if answered => self.scroll_quiz(1),
            Msg::ScrollUp if answered => self.scroll_quiz(-1),
            Msg::Submit if answered => self.next_question(),
            Msg::ShowWhere if answered => self.show_where(),
            _ if answered => {}
            Msg::Submit => self.check_answer(),
            other => self.edit_answer(other),
        }
    }

    fn update_results(&mut self, msg: Msg) {
        match msg {
            Msg::RetryMissed => {
                let Some(quiz) = &self.quiz else { return };
                let missed = quiz.run.missed();
                let back_to = quiz.back_to;
                let run = QuizRun::new(&self.course, missed, self.settings.seed);
                self.begin(run, QuizKind::Retry, back_to);
            }
            Msg::Back => {
                let back_to = self.quiz.take().map_or(Screen::Title, |q| q.back_to);
                self.screen =
                    if back_to == Screen::Reader { Screen::Reader } else { Screen::Title };
            }
            Msg::ScrollDown | Msg::WheelDown => self.scroll_quiz(1),
            Msg::ScrollUp | Msg::WheelUp => self.scroll_quiz(-1),
            _ => {}
        }
    }

    fn scroll_quiz(&mut self, lines: isize) {
        let (current, max) = self.quiz_scroll_range();
        if let Some(quiz) = &mut self.quiz {
            quiz.scroll = Some(current.saturating_add_signed(lines).min(max));
        }
    }

    fn check_answer(&mut self) {
        let course = &self.course;
        let Some(quiz) = self.quiz.as_mut() else { return };
        match quiz.input.response(quiz.run.question(course), quiz.run.presentation()) {
            Ok(response) => {
                let grade = quiz.run.answer(course, response);
                quiz.scroll = None;
                self.learner.log_answer(&quiz.run.question(course).id, grade.points);
            }
            Err(notice) => quiz.notice = Some(notice),
        }
    }

    fn next_question(&mut self) {
        let course = &self.course;
        let Some(quiz) = self.quiz.as_mut() else { return };
        if quiz.run.advance() {
            quiz.input = Input::new(quiz.run.question(course), quiz.run.presentation());
            quiz.scroll = None;
        } else {
            quiz.scroll = None;
            self.screen = Screen::Results;
        }
    }

    /// Opens the reader at the block that teaches the current question.
    fn show_where(&mut self) {
        let Some(quiz) = self.quiz.as_mut() else { return };
        let (section, question) = quiz.run.questions[quiz.run.current];
        quiz.reading_from_quiz = true;
        let block = self.course.sections[section].questions[question].block;
        self.open(section);
        let start = self.page().block_starts.get(block).copied().unwrap_or(0);
        self.scroll = start.saturating_sub(1).min(self.max_scroll());
    }

    /// Changes the answer being given.
    fn edit_answer(&mut self, msg: Msg) {
        let Some(quiz) = self.quiz.as_mut() else { return };
        let count = quiz.input.item_count();
        quiz.scroll = None;
        match (&mut quiz.input, msg) {
            (Input::Choice { kind, cursor, chosen }, Msg::Choose(position)) if position < count => {
                *cursor = position;
                choose(chosen, position, *kind == ChoiceKind::Multiple);
            }
            (Input::Choice { kind, cursor, chosen }, Msg::Toggle) => {
                choose(chosen, *cursor, *kind == ChoiceKind::Multiple);
            }
            (Input::Order { holding, .. }, Msg::Toggle) => *holding = !*holding,
            (Input::Order { cursor, arrangement, holding: true }, Msg::SelectPrevious)
                if *cursor > 0 =>
            {
                arrangement.swap(*cursor, *cursor - 1);
                *cursor -= 1;
            }
            (Input::Order { cursor, arrangement, holding: true }, Msg::SelectNext)
                if *cursor + 1 < count =>
            {
                arrangement.swap(*cursor, *cursor + 1);
                *cursor += 1;
            }
            (Input::Match { cursor, assigned }, Msg::Assign(position)) if position < count => {
                assigned[*cursor] = Some(position);
                // On to the next item still without a partner, as a learner working down
                // the list expects.
                if let Some(next) =
                    (1..count).map(|d| (*cursor + d) % count).find(|&i| assigned[i].is_none())
                {
                    *cursor = next;
                }
            }
            (Input::Match { cursor, assigned }, Msg::CycleForward | Msg::Toggle) => {
                assigned[*cursor] = Some(assigned[*cursor].map_or(0, |p| (p + 1) % count));
            }
            (Input::Match { cursor, assigned }, Msg::CycleBack) => {
                assigned[*cursor] =
                    Some(assigned[*cursor].map_or(count - 1, |p| (p + count - 1) % count));
            }
            (
                Input::Choice { cursor, .. }
                | Input::Order { cursor, .. }
                | Input::Match { cursor, .. },
                Msg::SelectPrevious,
            ) => *cursor = cursor.saturating_sub(1),
            (
                Input::Choice { cursor, .. }
                | Input::Order { cursor, .. }
                | Input::Match { cursor, .. },
                Msg::SelectNext,
            ) => *cursor = (*cursor + 1).min(count.saturating_sub(1)),
            (Input::Fill { text }, Msg::Type(c))
                if !c.is_control() && text.chars().count() < MAX_TYPED =>
            {
                text.push(c);
            }
            (Input::Fill { text }, Msg::DeleteBack) => {
                text.pop();
            }
            _ => {}
        }
    }

    fn click(&mut self, target: Target) {
        match target {
            Target::Check | Target::Next => self.update_question(Msg::Submit),
            Target::Where => self.update_question(Msg::ShowWhere),
            Target::Item(position) => {
                let Some(quiz) = self.quiz.as_mut() else { return };
                if quiz.answered() {
                    return;
                }
                match &mut quiz.input {
                    Input::Choice { cursor, .. } => {
                        *cursor = position;
                        self.edit_answer(Msg::Toggle);
                    }
                    // Click a step to pick it up, then click where it should go.
                    Input::Order { cursor, arrangement, holding } => {
                        if *holding {
                            let step = arrangement.remove(*cursor);
                            arrangement.insert(position.min(arrangement.len()), step);
                            *holding = false;
                        } else {
                            *holding = true;
                        }
                        *cursor = position;
                    }
                    Input::Match { cursor, .. } => *cursor = position,
                    Input::Fill { .. } => {}
                }
            }
            Target::Partner(position) => self.edit_answer(Msg::Assign(position)),
        }
    }
}

/// A page of the quiz body, as a signed step.
fn page_rows(app: &App) -> isize {
    isize::try_from(crate::geometry::quiz::page_rows(app.area())).unwrap_or(1)
}

/// Single choice keeps one mark; multiple choice ticks and unticks.
fn choose(chosen: &mut [bool], position: usize, multiple: bool) {
    if multiple {
        chosen[position] = !chosen[position];
    } else {
        chosen.iter_mut().enumerate().for_each(|(i, c)| *c = i == position);
    }
}
