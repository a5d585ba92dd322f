//! Classroom mode: the teacher reveals a section block by block, the class answers questions
//! by show of hands, and nothing goes into any learner record.

use super::{App, Effect, Msg, Screen};
use crate::course::Answer;
use crate::quiz::{self, Presentation};

/// Where the teacher is in the presentation.
#[derive(Debug, Clone, PartialEq)]
pub struct PresentState {
    pub section: usize,
    /// 0: the section's title slide; 1 to the number of blocks: that many blocks shown;
    /// then the key points; then the offer of a class quiz.
    pub step: usize,
    /// The screen is blanked (`b` or `.`), as with a projector's mute button.
    pub blank: bool,
    pub clock_hidden: bool,
    /// Seconds since the presentation started, from the event loop's ticks.
    pub elapsed: u64,
    /// Seconds each class question may take (`--timer`); none without a countdown.
    pub timer: Option<u64>,
    pub class: Option<ClassQuiz>,
}

/// A quiz answered by the class together.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassQuiz {
    pub section: usize,
    /// The question (index in the section) on screen.
    pub question: usize,
    /// Where the run started: "class quiz 1/1" for one question asked alone.
    pub start: usize,
    /// Where the run stops (exclusive): the section's last question when the quiz offer started
    /// it, the one after the question the console's list asked alone.
    pub end: usize,
    pub shown: Presentation,
    /// Hands raised for each option, by screen position, as the teacher typed them.
    pub hands: Vec<Option<u32>>,
    /// The option whose count is being typed.
    pub selected: usize,
    pub revealed: bool,
    /// When the question appeared (`elapsed`), for the countdown.
    pub asked_at: u64,
    /// Share of hands on the right answer for each question revealed with counts.
    pub results: Vec<(usize, Option<f64>)>,
    /// The summary after the last question.
    pub finished: bool,
}

/// What one press of the clicker reveals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Title,
    /// Blocks up to this one; a diagram block shows `step` (each step is a press of its own).
    Block {
        block: usize,
        step: Option<usize>,
    },
    KeyPoints,
    QuizOffer,
}

/// A section's presses, in order: its title, each block (a diagram step by step), the key
/// points, the offer of a class quiz.
pub fn units(app: &App, section: usize) -> Vec<Unit> {
    let section = &app.course.sections[section];
    let mut units = vec![Unit::Title];
    for (block, body) in section.blocks.iter().enumerate() {
        let steps = match &body.body {
            crate::course::BlockBody::Diagram(d) => {
                app.course.diagrams.get(*d).map_or(0, crate::diagram::step_count)
            }
            _ => 0,
        };
        if steps > 1 {
            units.extend((0..steps).map(|step| Unit::Block { block, step: Some(step) }));
        } else {
            units.push(Unit::Block { block, step: None });
        }
    }
    if !section.key_points.is_empty() {
        units.push(Unit::KeyPoints);
    }
    if !section.questions.is_empty() {
        units.push(Unit::QuizOffer);
    }
    units
}

impl PresentState {
    /// The last press of a section (its units, counted from 0).
    pub fn last_step(app: &App, section: usize) -> usize {
        units(app, section).len() - 1
    }

    /// What the current press shows.
    pub fn unit(&self, app: &App) -> Unit {
        units(app, self.section).get(self.step).copied().unwrap_or(Unit::Title)
    }

    /// Whether the current step is the class quiz offer.
    pub fn at_quiz_offer(&self, app: &App) -> bool {
        self.unit(app) == Unit::QuizOffer
    }
}

impl App {
    /// Starts classroom mode at the first section (`stemcell present`).
    #[must_use]
    pub fn presenting(mut self, timer: Option<u64>) -> Self {
        self.present = Some(PresentState {
            section: 0,
            step: 0,
            blank: false,
            clock_hidden: false,
            elapsed: 0,
            timer,
            class: None,
        });
        self.screen = Screen::Present;
        self
    }

    /// Whether the loop should send ticks: only while a clock or a countdown is on screen.
    pub fn wants_ticks(&self) -> bool {
        self.screen == Screen::Present
            && self.present.as_ref().is_some_and(|p| {
                !p.blank
                    && (!p.clock_hidden
                        || p.class.as_ref().is_some_and(|c| !c.revealed && p.timer.is_some()))
            })
    }

    pub(super) fn update_present(&mut self, msg: Msg) -> Effect {
        let Some(present) = self.present.as_mut() else { return Effect::None };
        if let Msg::Tick { elapsed } = msg {
            present.elapsed = elapsed;
            return Effect::None;
        }
        // While blank, any key brings the picture back first, as on a projector.
        if present.blank {
            present.blank = false;
            return Effect::None;
        }
        if present.class.is_some() {
            self.update_class_quiz(msg);
            return Effect::None;
        }
        let (section, step) = (present.section, present.step);
        let sections = self.course.sections.len();
        let last = PresentState::last_step(self, section);
        let previous_last = section.checked_sub(1).map_or(0, |s| PresentState::last_step(self, s));
        let offered = self.present.as_ref().is_some_and(|p| p.at_quiz_offer(self));
        if msg == Msg::Submit && offered {
            let end = self.course.sections[section].questions.len();
            self.start_class_question(section, 0..end);
            return Effect::None;
        }
        let Some(present) = self.present.as_mut() else { return Effect::None };
        match msg {
            Msg::ToggleBlank => present.blank = true,
            Msg::ToggleClock => present.clock_hidden = !present.clock_hidden,
            Msg::NextSection if step < last => present.step += 1,
            Msg::NextSection if section + 1 < sections => {
                present.section += 1;
                present.step = 0;
            }
            Msg::PreviousSection if step > 0 => present.step -= 1,
            Msg::PreviousSection if section > 0 => {
                present.section -= 1;
                present.step = previous_last;
            }
            Msg::JumpTo(index) if index < sections => {
                present.section = index;
                present.step = 0;
            }
            _ => {}
        }
        Effect::None
    }

    /// Starts a class quiz on the questions `run` of `section` (all of them, or one).
    pub(super) fn start_class_question(&mut self, section: usize, run: std::ops::Range<usize>) {
        self.ask_class_question(section, run.start, run.clone(), Vec::new());
    }

    fn ask_class_question(
        &mut self,
        section: usize,
        question: usize,
        run: std::ops::Range<usize>,
        results: Vec<(usize, Option<f64>)>,
    ) {
        let (start, end) = (run.start, run.end);
        let seed = self.settings.seed;
        let q = &self.course.sections[section].questions[question];
        let shown = quiz::present_in(&self.course.sections[section], q, seed);
        let options = option_count(&q.answer);
        let Some(present) = self.present.as_mut() else { return };
        present.class = Some(ClassQuiz {
            section,
            question,
            start,
            end,
            shown,
            hands: vec![None; options],
            selected: 0,
            revealed: false,
            asked_at: present.elapsed,
            results,
            finished: false,
        });
    }

    fn update_class_quiz(&mut self, msg: Msg) {
        let at_offer = self.present.as_ref().is_some_and(|p| p.at_quiz_offer(self));
        let sections = self.course.sections.len();
        let Some(present) = self.present.as_mut() else { return };
        let Some(class) = present.class.as_mut() else { return };
        let count = class.hands.len();
        match msg {
            Msg::ToggleBlank => present.blank = true,
            Msg::ToggleClock => present.clock_hidden = !present.clock_hidden,
            Msg::Back | Msg::Submit | Msg::NextSection if class.finished => {
                present.class = None;
                // The quiz offer ends the section: the next one follows. A question asked
                // mid-section (the console's list) returns to where the teacher was.
                if at_offer && present.section + 1 < sections {
                    present.section += 1;
                    present.step = 0;
                }
            }
            Msg::Back => class.finished = true,
            _ if class.finished => {}
            Msg::SelectNext if count > 0 => class.selected = (class.selected + 1) % count,
            Msg::SelectPrevious if count > 0 => {
                class.selected = (class.selected + count - 1) % count;
            }
            Msg::Type(c) if !class.revealed && count > 0 => {
                if let Some(digit) = c.to_digit(10) {
                    let hands = class.hands[class.selected].unwrap_or(0);
                    class.hands[class.selected] = Some((hands * 10 + digit).min(9999));
                }
            }
            Msg::DeleteBack if !class.revealed && count > 0 => {
                class.hands[class.selected] =
                    class.hands[class.selected].map(|h| h / 10).filter(|h| *h > 0);
            }
            Msg::Submit | Msg::NextSection if !class.revealed => {
                class.revealed = true;
                let share = right_share(
                    &self.course.sections[class.section].questions[class.question].answer,
                    class,
                );
                class.results.push((class.question, share));
            }
            Msg::Submit | Msg::NextSection => {
                let (section, next, start, end) =
                    (class.section, class.question + 1, class.start, class.end);
                let results = std::mem::take(&mut class.results);
                if next < end.min(self.course.sections[section].questions.len()) {
                    self.ask_class_question(section, next, start..end, results);
                } else if let Some(class) = self.present.as_mut().and_then(|p| p.class.as_mut()) {
                    class.results = results;
                    class.finished = true;
                }
            }
            _ => {}
        }
    }
}

/// How many options the class counts hands for: choices and true/false only.
fn option_count(answer: &Answer) -> usize {
    match answer {
        Answer::Choice { options, .. } => options.len(),
        Answer::TrueFalse(_) => 2,
        Answer::Order(_) | Answer::Match(_) | Answer::Fill(_) => 0,
    }
}

/// The share of counted hands that were on a right option, when hands were counted.
fn right_share(answer: &Answer, class: &ClassQuiz) -> Option<f64> {
    let total: u32 = class.hands.iter().flatten().sum();
    if total == 0 {
        return None;
    }
    let right: u32 = class
        .hands
        .iter()
        .enumerate()
        .filter(|(position, _)| is_right(answer, &class.shown, *position))
        .filter_map(|(_, hands)| *hands)
        .sum();
    Some(f64::from(right) / f64::from(total))
}

/// Whether the option at a screen position is right.
pub fn is_right(answer: &Answer, shown: &Presentation, position: usize) -> bool {
    match answer {
        Answer::Choice { options, .. } => {
            shown.order.get(position).is_some_and(|&i| options[i].correct)
        }
        Answer::TrueFalse(truth) => (position == 0) == *truth,
        _ => false,
    }
}

#[cfg(test)]
mod tests;
