//! The teacher's console (`stemcell serve`): present mode with the class attached. The
//! teacher pages through the course as in `stemcell present`; the class follows when follow is
//! on; the class quiz is answered on the students' own screens, so the typed-in show of hands
//! gives way to the real tally. Pure like the rest of the App: the class's view comes in
//! through [`App::class_view`], and the teacher's actions leave through
//! [`App::take_teacher_actions`].

use super::keymap::Mode;
use super::{App, Effect, Msg, Screen, Unit};
use crate::class::protocol::{ClassView, Leaderboard, Place, StudentId, TeacherAction};

/// How students join, shown on the projector.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JoinInfo {
    /// `ssh -p 2222 NAME@192.168.1.20`, one per local address.
    pub lines: Vec<String>,
    /// The network interface each line's address is on (`wlan0`), line by line; empty (or a
    /// blank name) when the server listens on one address the teacher chose.
    pub interfaces: Vec<String>,
    /// The class code (none with `--open`).
    pub code: Option<String>,
    /// The host key's fingerprint, as `ssh` shows it (`SHA256:…`).
    pub fingerprint: String,
}

/// The console's own state.
// Each flag is one box the teacher opened or one choice they made; they are independent.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, Default)]
pub struct Console {
    pub join: JoinInfo,
    /// The class as the class task last published it.
    pub view: ClassView,
    /// The roster is open over the presentation.
    pub roster_open: bool,
    /// The QR code of the class page fills the screen (`j`).
    pub qr_open: bool,
    /// The highlighted roster row.
    pub selected: usize,
    /// The new name being typed for the highlighted student.
    pub renaming: Option<String>,
    /// "End the class?" is being asked.
    pub confirm_end: bool,
    /// "Remove this student?" (or, on a kicked row, "let them back in?") is being asked.
    pub confirm_kick: Option<StudentId>,
    /// The list of the section's questions is open: the highlighted row (the questions in
    /// order, then "all of them").
    pub picker: Option<usize>,
    /// The summary shows each student's score instead of each question's share right. Off
    /// until the teacher asks: scores on a projector can shame, so it is the teacher's call.
    pub scores_shown: bool,
    /// Connections turned away, by reason (`refused: 2 full · 5 wrong code`); empty if none.
    pub refusals: String,
    /// How many connections were turned away in all.
    pub refused: usize,
    outbox: Vec<TeacherAction>,
    sent_place: Option<Place>,
    /// The class quiz as last told to the class: (section, question, end of the run,
    /// revealed, finished).
    sent_quiz: Option<(usize, usize, usize, bool, bool)>,
}

impl Console {
    /// The student on the highlighted roster row.
    pub fn selected_student(&self) -> Option<StudentId> {
        self.view.roster.get(self.selected).map(|s| s.id)
    }

    /// Lets in (or turns away) the join asking for the highlighted student's place. Only on a
    /// row that asks: the teacher sees who it is (the student in the room says so) before a
    /// place and its answers change hands.
    fn answer_rejoin(&mut self, let_in: bool) {
        if let Some(id) = self.selected_student()
            && self.student(id).is_some_and(|s| s.asks_to_rejoin)
        {
            self.outbox.push(if let_in {
                TeacherAction::LetRejoin(id)
            } else {
                TeacherAction::TurnAway(id)
            });
        }
    }

    /// The roster row of this student.
    pub fn student(&self, id: StudentId) -> Option<&crate::class::protocol::RosterEntry> {
        self.view.roster.iter().find(|s| s.id == id)
    }

    /// The summary's page of scores, once the class sent its summary: every student by name
    /// in alphabetical order (never ranked), or, with an anonymous leaderboard, only how many
    /// students got each score, so no name can be read back from a place in a list.
    pub fn scores(&self) -> Option<Scores> {
        let summary = self.view.summary.as_ref()?;
        let asked = summary.questions.len();
        let rows = if summary.leaderboard == Leaderboard::Anonymous {
            let mut counts: Vec<ScoreRow> = Vec::new();
            // Grouped by the score as shown: sums of thirds may differ in the last bit.
            let shown = crate::quiz::format_points;
            for student in &summary.students {
                match counts.iter_mut().find(|r| shown(r.points) == shown(student.points)) {
                    Some(row) => row.students += 1,
                    None => counts.push(ScoreRow {
                        name: None,
                        points: student.points,
                        answered: 0,
                        students: 1,
                    }),
                }
            }
            counts.sort_by(|a, b| b.points.total_cmp(&a.points));
            counts
        } else {
            let mut named: Vec<ScoreRow> = summary
                .students
                .iter()
                .map(|s| ScoreRow {
                    name: Some(s.name.clone()),
                    points: s.points,
                    answered: s.answered,
                    students: 1,
                })
                .collect();
            named.sort_by_cached_key(|r| r.name.as_deref().unwrap_or_default().to_lowercase());
            named
        };
        Some(Scores { asked, rows })
    }
}

/// The summary's page of scores (see [`Console::scores`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    /// Questions asked in the quiz: the most points a student could get.
    pub asked: usize,
    pub rows: Vec<ScoreRow>,
}

/// One student's score, or (anonymous) how many students got this score.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreRow {
    /// None when the leaderboard is anonymous.
    pub name: Option<String>,
    pub points: f64,
    /// Questions answered (named rows only).
    pub answered: usize,
    /// Students with this score (1 on a named row).
    pub students: usize,
}

/// The longest new name the teacher can type (the class cuts names to this too).
const NAME_MAX: usize = crate::class::NAME_MAX;

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
        // The highlight stays on its student, wherever the new roster puts them.
        let was = console.selected_student();
        console.selected = was
            .and_then(|id| view.roster.iter().position(|s| s.id == id))
            .unwrap_or(console.selected)
            .min(view.roster.len().saturating_sub(1));
        console.view = view;
        self.fill_tally();
    }

    /// The server's refusal counts changed (see `serve::rules::RefusalCounts`).
    pub fn class_refusals(&mut self, refused: usize, summary: String) -> bool {
        let Some(console) = self.console.as_mut() else { return false };
        if console.refused == refused {
            return false;
        }
        console.refused = refused;
        console.refusals = summary;
        true
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
        // What the window and the clock do, and the help, are the App's whatever box is open.
        if matches!(
            msg,
            Msg::Resize { .. }
                | Msg::Tick { .. }
                | Msg::ToggleHelp
                | Msg::Suspend
                | Msg::CycleTheme
        ) {
            return false;
        }
        if console.confirm_end {
            // Ctrl-C while asked still quits at once (the class is ended and saved anyway).
            return msg != Msg::Quit;
        }
        console.renaming.is_some()
            || console.confirm_kick.is_some()
            || console.roster_open
            || console.qr_open
            || console.picker.is_some()
            || matches!(
                msg,
                Msg::Quit
                    | Msg::ToggleFollow
                    | Msg::ToggleRoster
                    | Msg::ToggleJoinQr
                    | Msg::ToggleLock
                    | Msg::EndClass
                    | Msg::KickStudent
                    | Msg::RenameStudent
                    | Msg::LetRejoin
                    | Msg::TurnAwayRejoin
                    | Msg::PickQuestion
                    | Msg::ToggleScores
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
        if let Some(id) = console.confirm_kick {
            match msg {
                Msg::KickStudent => {
                    console.confirm_kick = None;
                    let kicked = console.student(id).is_some_and(|s| s.kicked);
                    console.outbox.push(if kicked {
                        TeacherAction::LetBackIn(id)
                    } else {
                        TeacherAction::Kick(id)
                    });
                }
                Msg::Back => console.confirm_kick = None,
                Msg::Quit => {
                    console.confirm_kick = None;
                    console.confirm_end = true;
                }
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
        if let Some(row) = console.picker {
            return self.update_picker(msg, row);
        }
        if console.qr_open {
            match msg {
                Msg::ToggleJoinQr | Msg::Back => console.qr_open = false,
                Msg::Quit | Msg::EndClass => console.confirm_end = true,
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
            Msg::ToggleJoinQr => console.qr_open = true,
            Msg::Back if console.roster_open => console.roster_open = false,
            Msg::SelectNext if count > 0 => console.selected = (console.selected + 1) % count,
            Msg::SelectPrevious if count > 0 => {
                console.selected = (console.selected + count - 1) % count;
            }
            // Asks first: a kick closes the student's session and keeps the name out.
            Msg::KickStudent => console.confirm_kick = console.selected_student(),
            Msg::RenameStudent if count > 0 => console.renaming = Some(String::new()),
            Msg::LetRejoin | Msg::TurnAwayRejoin => console.answer_rejoin(msg == Msg::LetRejoin),
            Msg::ToggleScores => console.scores_shown = !console.scores_shown,
            Msg::PickQuestion => {
                // Only between quizzes: a quiz under way ends (Esc) before another starts.
                if self.present.as_ref().is_some_and(|p| p.class.is_none())
                    && let Some(console) = self.console.as_mut()
                {
                    console.picker = Some(0);
                }
            }
            _ => {}
        }
        Effect::None
    }

    /// A key in the list of the section's questions: the questions, then "all of them".
    fn update_picker(&mut self, msg: Msg, row: usize) -> Effect {
        let Some(section) = self.present.as_ref().map(|p| p.section) else { return Effect::None };
        let questions = self.course.sections[section].questions.len();
        // With no questions, there is no "all of them" row either.
        let rows = if questions == 0 { 0 } else { questions + 1 };
        let Some(console) = self.console.as_mut() else { return Effect::None };
        match msg {
            Msg::SelectNext if rows > 0 => console.picker = Some((row + 1) % rows),
            Msg::SelectPrevious if rows > 0 => console.picker = Some((row + rows - 1) % rows),
            Msg::Back | Msg::PickQuestion => console.picker = None,
            Msg::Submit if rows > 0 => {
                console.picker = None;
                let run = if row < questions { row..row + 1 } else { 0..questions };
                self.start_class_question(section, run);
            }
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
        let quiz =
            present.class.as_ref().map(|c| (c.section, c.question, c.end, c.revealed, c.finished));
        let Some(console) = self.console.as_mut() else { return };
        if console.sent_place != Some(place) {
            console.sent_place = Some(place);
            console.outbox.push(TeacherAction::At(place));
        }
        if console.sent_quiz == quiz {
            return;
        }
        let actions: Vec<TeacherAction> = match (console.sent_quiz, quiz) {
            (_, None | Some((_, _, _, _, true))) => vec![TeacherAction::CloseQuiz],
            (Some((s0, q0, e0, _, false)), Some((s, q, e, false, false)))
                if (s0, e0) == (s, e) && q == q0 + 1 =>
            {
                vec![TeacherAction::Next]
            }
            (Some((s0, q0, e0, false, false)), Some((s, q, e, true, false)))
                if (s0, q0, e0) == (s, q, e) =>
            {
                vec![TeacherAction::Reveal]
            }
            (_, Some((s, q, end, revealed, false))) => {
                let questions = (q..end).collect();
                let mut asked = vec![TeacherAction::Ask { section: s, questions }];
                if revealed {
                    asked.push(TeacherAction::Reveal);
                }
                asked
            }
        };
        if quiz.is_some_and(|q| !q.4) {
            // A new quiz's summary opens on its questions again.
            console.scores_shown = false;
        }
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
        } else if console.confirm_kick.is_some() {
            Mode::ConfirmKick
        } else if console.picker.is_some() {
            Mode::QuestionPicker
        } else if console.renaming.is_some() {
            Mode::Renaming
        } else if console.qr_open {
            Mode::JoinQr
        } else if console.roster_open {
            Mode::Roster
        } else {
            let finished =
                self.present.as_ref().and_then(|p| p.class.as_ref()).is_some_and(|c| c.finished);
            match mode {
                Mode::Present => Mode::PresentClass,
                Mode::ClassRevealed if finished => Mode::ClassSummary,
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
