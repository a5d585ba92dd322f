//! The teacher's console (`stemcell serve`): present mode with the class attached. The
//! teacher pages through the course as in `stemcell present`; the class follows when follow is
//! on; the class quiz is answered on the students' own screens, so the typed-in show of hands
//! gives way to the real tally. Pure like the rest of the App: the class's view comes in
//! through [`App::class_view`], and the teacher's actions leave through
//! [`App::take_teacher_actions`].

use super::keymap::Mode;
use super::{App, Effect, Msg, Screen, Unit};
use crate::serve::protocol::{ClassView, Place, StudentId, TeacherAction};

/// How students join, shown on the projector.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JoinInfo {
    /// `ssh -p 2222 NAME@192.168.1.20`, one per local address.
    pub lines: Vec<String>,
    /// The class code (none with `--open`).
    pub code: Option<String>,
    /// The host key's fingerprint, as `ssh` shows it (`SHA256:…`).
    pub fingerprint: String,
}

/// The console's own state.
#[derive(Debug, Clone, Default)]
pub struct Console {
    pub join: JoinInfo,
    /// The class as the class task last published it.
    pub view: ClassView,
    /// The roster is open over the presentation.
    pub roster_open: bool,
    /// The highlighted roster row.
    pub selected: usize,
    /// The new name being typed for the highlighted student.
    pub renaming: Option<String>,
    /// "End the class?" is being asked.
    pub confirm_end: bool,
    outbox: Vec<TeacherAction>,
    sent_place: Option<Place>,
    /// The class quiz as last told to the class: (section, question, revealed, finished).
    sent_quiz: Option<(usize, usize, bool, bool)>,
}

impl Console {
    /// The student on the highlighted roster row.
    pub fn selected_student(&self) -> Option<StudentId> {
        self.view.roster.get(self.selected).map(|s| s.id)
    }
}

/// The longest new name the teacher can type (the class cuts names to this too).
const NAME_MAX: usize = crate::serve::class::NAME_MAX;

impl App {
    /// Present mode with the class attached (`stemcell serve`).
    #[must_use]
    pub fn with_console(mut self, timer: Option<u64>, join: JoinInfo) -> Self {
        self = self.presenting(timer);
        self.console = Some(Console { join, ..Console::default() });
        // The class learns where the teacher starts.
        self.console_after_update();
        self
    }

    /// The class changed: the roster, the tally, the summary.
    pub fn class_view(&mut self, view: ClassView) {
        let Some(console) = self.console.as_mut() else { return };
        console.selected = console.selected.min(view.roster.len().saturating_sub(1));
        console.view = view;
        self.fill_tally();
    }

    /// What the teacher did for the class since the last call.
    pub fn take_teacher_actions(&mut self) -> Vec<TeacherAction> {
        self.console.as_mut().map(|c| std::mem::take(&mut c.outbox)).unwrap_or_default()
    }

    /// Whether the console handles `msg` before present mode does.
    pub(super) fn console_takes(&self, msg: Msg) -> bool {
        let Some(console) = &self.console else { return false };
        if self.screen != Screen::Present || self.help_open {
            return false;
        }
        if console.confirm_end {
            // Ctrl-C while asked still quits at once (the class is ended and saved anyway).
            return msg != Msg::Quit;
        }
        console.renaming.is_some()
            || console.roster_open
            || matches!(
                msg,
                Msg::Quit
                    | Msg::ToggleFollow
                    | Msg::ToggleRoster
                    | Msg::ToggleLock
                    | Msg::EndClass
                    | Msg::KickStudent
                    | Msg::RenameStudent
            )
    }

    /// A message [`Self::console_takes`] accepted.
    pub(super) fn update_console(&mut self, msg: Msg) -> Effect {
        let Some(console) = self.console.as_mut() else { return Effect::None };
        if console.confirm_end {
            match msg {
                Msg::EndClass => {
                    console.confirm_end = false;
                    console.outbox.push(TeacherAction::End);
                    return Effect::Quit;
                }
                Msg::Back => console.confirm_end = false,
                _ => {}
            }
            return Effect::None;
        }
        if let Some(name) = console.renaming.as_mut() {
            match msg {
                Msg::Type(c) if !c.is_control() && name.chars().count() < NAME_MAX => {
                    name.push(c);
                }
                Msg::DeleteBack => {
                    name.pop();
                }
                Msg::Submit => {
                    let name = console.renaming.take().unwrap_or_default();
                    if let Some(id) = console.selected_student()
                        && !name.trim().is_empty()
                    {
                        console.outbox.push(TeacherAction::Rename(id, name));
                    }
                }
                Msg::Back => console.renaming = None,
                _ => {}
            }
            return Effect::None;
        }
        let count = console.view.roster.len();
        match msg {
            Msg::Quit | Msg::EndClass => console.confirm_end = true,
            Msg::ToggleFollow => {
                let on = !console.view.follow;
                console.outbox.push(TeacherAction::Follow(on));
                // Shown at once; the class's next view confirms it.
                console.view.follow = on;
            }
            Msg::ToggleLock => {
                let on = !console.view.locked;
                console.outbox.push(TeacherAction::Lock(on));
                console.view.locked = on;
            }
            Msg::ToggleRoster => console.roster_open = !console.roster_open,
            Msg::Back if console.roster_open => console.roster_open = false,
            Msg::SelectNext if count > 0 => console.selected = (console.selected + 1) % count,
            Msg::SelectPrevious if count > 0 => {
                console.selected = (console.selected + count - 1) % count;
            }
            Msg::KickStudent => {
                if let Some(id) = console.selected_student() {
                    console.outbox.push(TeacherAction::Kick(id));
                }
            }
            Msg::RenameStudent if count > 0 => console.renaming = Some(String::new()),
            _ => {}
        }
        Effect::None
    }

    /// After any message: tells the class where the teacher is and what the class quiz did.
    pub(super) fn console_after_update(&mut self) {
        let Some(present) = self.present.as_ref() else { return };
        if self.console.is_none() {
            return;
        }
        let block = match present.unit(self) {
            Unit::Title => None,
            Unit::Block { block, .. } => Some(block),
            Unit::KeyPoints | Unit::QuizOffer => {
                self.course.sections[present.section].blocks.len().checked_sub(1)
            }
        };
        let place = Place { section: present.section, block };
        let quiz = present.class.as_ref().map(|c| (c.section, c.question, c.revealed, c.finished));
        let Some(console) = self.console.as_mut() else { return };
        if console.sent_place != Some(place) {
            console.sent_place = Some(place);
            console.outbox.push(TeacherAction::At(place));
        }
        if console.sent_quiz == quiz {
            return;
        }
        let actions: Vec<TeacherAction> = match (console.sent_quiz, quiz) {
            (_, None | Some((_, _, _, true))) => vec![TeacherAction::CloseQuiz],
            (Some((s0, q0, _, false)), Some((s, q, false, false))) if s0 == s && q == q0 + 1 => {
                vec![TeacherAction::Next]
            }
            (Some((s0, q0, false, false)), Some((s, q, true, false))) if s0 == s && q0 == q => {
                vec![TeacherAction::Reveal]
            }
            (_, Some((s, q, revealed, false))) => {
                let questions = (q..self.course.sections[s].questions.len()).collect();
                let mut asked = vec![TeacherAction::Ask { section: s, questions }];
                if revealed {
                    asked.push(TeacherAction::Reveal);
                }
                asked
            }
        };
        console.sent_quiz = quiz;
        console.outbox.extend(actions);
    }

    /// The console's key tables.
    pub(super) fn console_mode(&self, mode: Mode) -> Mode {
        let Some(console) = &self.console else { return mode };
        if self.screen != Screen::Present {
            return mode;
        }
        if console.confirm_end {
            Mode::ConfirmEnd
        } else if console.renaming.is_some() {
            Mode::Renaming
        } else if console.roster_open {
            Mode::Roster
        } else {
            match mode {
                Mode::Present => Mode::PresentClass,
                Mode::ClassCounting | Mode::ClassRevealed => Mode::ClassLive,
                other => other,
            }
        }
    }

    /// The class quiz on the projector counts the students' real answers: after the reveal,
    /// the picks per option (by screen position) stand where typed hands stood, and each
    /// question's share right comes from the class.
    fn fill_tally(&mut self) {
        let Some(console) = self.console.as_ref() else { return };
        let view = console.view.clone();
        let Some(class) = self.present.as_mut().and_then(|p| p.class.as_mut()) else { return };
        if let Some(live) = view.live.as_ref()
            && (live.section, live.question) == (class.section, class.question)
            && let Some(tally) = &live.tally
        {
            let answer = &self.course.sections[class.section].questions[class.question].answer;
            class.hands = match answer {
                crate::course::Answer::Choice { .. } => class
                    .shown
                    .order
                    .iter()
                    .map(|&item| Some(tally.picks.get(item).copied().unwrap_or(0)))
                    .collect(),
                crate::course::Answer::TrueFalse(_) => {
                    tally.picks.iter().map(|&n| Some(n)).collect()
                }
                _ => Vec::new(),
            };
            let answers = tally.right + tally.partly + tally.wrong;
            let share = (answers > 0).then(|| f64::from(tally.right) / f64::from(answers));
            if let Some(last) = class.results.last_mut().filter(|(q, _)| *q == class.question) {
                last.1 = share;
            }
        }
        if let Some(summary) = &view.summary
            && summary.questions.first().is_some_and(|q| q.section == class.section)
        {
            class.results = summary.questions.iter().map(|q| (q.question, q.share_right)).collect();
        }
    }
}

#[cfg(test)]
mod tests;
