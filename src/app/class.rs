//! A student's side of a live class (`stemcell serve`): following the teacher, the class's
//! live question on the ordinary quiz screens, waiting for the reveal, and the student's own
//! feedback. Still pure: the class's events come in through [`App::class_event`], and what
//! the student does for the class leaves through [`App::take_class_actions`], which the
//! session forwards to the class task.

use super::keymap::Mode;
use super::{App, Effect, Msg, QuizKind, QuizState, Screen};
use crate::class::protocol::{
    Joined, LiveQuestion, Place, Reveal, StudentAction, StudentStatus, StudentSummary, ToStudent,
};
use crate::quiz::{Grade, QuizRun, Response};

/// The student's seat in the class.
#[derive(Debug, Clone, Default)]
pub struct Seat {
    /// The name the class knows this student by.
    pub name: String,
    /// Where the teacher is, while follow is on.
    pub follow: Option<Place>,
    /// The student stepped away from the teacher's place (follow stays on for the others).
    pub away: bool,
    /// The class question open now, or just revealed.
    pub live: Option<Live>,
    /// The student's total after the last class quiz.
    pub summary: Option<StudentSummary>,
    /// The class quiz is over (its total came) and no question has opened since: the last
    /// revealed question on screen no longer holds a following student back.
    pub quiz_over: bool,
    /// Why the session ends (the class ended, the teacher removed the student).
    pub farewell: Option<String>,
    /// The words that give this student's place back, when the class gave them in this
    /// session (shown once, on joining).
    pub words: Option<String>,
    outbox: Vec<StudentAction>,
    last_status: Option<StudentStatus>,
    /// The student's own quiz, put aside while a class question is on screen.
    own_quiz: Option<QuizState>,
    /// Where the student was when the class question came.
    before: Option<(Screen, usize, usize)>,
}

/// The class question as this student has it.
#[derive(Debug, Clone, PartialEq)]
pub struct Live {
    pub question: LiveQuestion,
    /// The answer sent to the class (the screen waits for the reveal).
    pub sent: Option<Response>,
    pub reveal: Option<Reveal>,
}

impl Live {
    /// Sent, not yet revealed.
    pub fn waiting(&self) -> bool {
        self.reveal.is_none() && (self.sent.is_some() || self.question.closed)
    }
}

impl App {
    /// Seats the student in the class: their name, and on a rejoin their place and answers;
    /// the teacher's place when follow is on; the open question, if any.
    pub fn join_class(&mut self, joined: Joined) {
        self.class = Some(Seat { name: joined.name, words: joined.words, ..Seat::default() });
        if let Some(resume) = joined.resume {
            let section = resume.section.min(self.course.sections.len().saturating_sub(1));
            self.open(section);
            self.scroll = resume.scroll.min(self.max_scroll());
        }
        let answered = joined.answers.len();
        if let Some(words) = self.class.as_ref().and_then(|s| s.words.as_deref()) {
            // Shown once, at the moment they matter least and are easiest to write down.
            self.notice = Some(format!(
                "Your rejoin words: {words}. Write them down: if your connection drops, join \
                 again with the same name and type them to get your place and answers back."
            ));
        } else if joined.rejoined {
            self.notice = Some(format!(
                "Welcome back, {}: your {} class {} kept.",
                self.class.as_ref().map_or("", |s| s.name.as_str()),
                answered,
                if answered == 1 { "answer is" } else { "answers are" }
            ));
        }
        if let Some(place) = joined.follow {
            self.class_event(ToStudent::Follow(Some(place)));
        }
        if let Some(live) = joined.live {
            self.class_event(ToStudent::Question(live));
        }
    }

    /// Applies one event from the class. `Effect::Quit` ends the session (the farewell says
    /// why).
    pub fn class_event(&mut self, event: ToStudent) -> Effect {
        let Some(seat) = self.class.as_mut() else { return Effect::None };
        match event {
            ToStudent::Follow(place) => {
                // Follow switched on brings everyone along; later moves leave alone a student
                // who stepped away (they catch up with a key).
                if seat.follow.is_none() || place.is_none() {
                    seat.away = false;
                }
                seat.follow = place;
                let quiz_over = seat.quiz_over;
                if place.is_some() && !seat.away {
                    if !self.in_class_question() {
                        self.go_to_teacher();
                    } else if quiz_over {
                        // Still on the quiz's last reveal: the teacher has moved on, so do they.
                        self.leave_class_question();
                    }
                }
            }
            ToStudent::Question(question) => {
                let given = question.answered.clone();
                seat.quiz_over = false;
                seat.live = Some(Live { question, sent: given, reveal: None });
                self.show_class_question();
            }
            ToStudent::Accepted { .. } => {}
            ToStudent::Countdown { ask, seconds_left } => {
                if let Some(live) = seat.live.as_mut().filter(|l| l.question.ask == ask) {
                    live.question.seconds_left = Some(seconds_left);
                }
            }
            ToStudent::Closed { ask } => {
                if let Some(live) = seat.live.as_mut().filter(|l| l.question.ask == ask) {
                    live.question.closed = true;
                    live.question.seconds_left = Some(0);
                }
            }
            ToStudent::Revealed(reveal) => self.class_reveal(reveal),
            ToStudent::QuizOver(summary) => {
                let points = crate::quiz::points_label(summary.points);
                let rank = summary.rank.map_or_else(String::new, |r| format!(", rank {r}"));
                self.notice = Some(format!(
                    "Class quiz over: {points} from {} of {} questions{rank}.",
                    summary.answered, summary.asked
                ));
                seat.summary = Some(summary);
                seat.quiz_over = true;
            }
            ToStudent::Renamed(name) => {
                self.notice = Some(format!("The teacher renamed you: {name}."));
                seat.name = name;
            }
            ToStudent::Kicked => {
                seat.farewell = Some("The teacher has removed you from the class.".into());
                return Effect::Quit;
            }
            ToStudent::TakenOver => {
                seat.farewell = Some(
                    "You joined the class again from another window: this one is closed.".into(),
                );
                return Effect::Quit;
            }
            ToStudent::Ended => {
                seat.farewell = Some("The class has ended. Thank you for taking part!".into());
                return Effect::Quit;
            }
        }
        Effect::None
    }

    /// What the student did for the class since the last call, with where they are now when
    /// it changed.
    pub fn take_class_actions(&mut self) -> Vec<StudentAction> {
        let status = self.class_status();
        let Some(seat) = self.class.as_mut() else { return Vec::new() };
        let mut actions = std::mem::take(&mut seat.outbox);
        if seat.last_status != Some(status) {
            seat.last_status = Some(status);
            actions.push(StudentAction::Status(status));
        }
        actions
    }

    /// Why the session ended, for the last words on the student's terminal.
    pub fn class_farewell(&self) -> Option<&str> {
        self.class.as_ref()?.farewell.as_deref()
    }

    /// The class's live question is on screen.
    pub fn in_class_question(&self) -> bool {
        self.screen == Screen::Quiz && self.quiz.as_ref().is_some_and(|q| q.kind == QuizKind::Class)
    }

    /// The live question, as this student has it.
    pub fn class_live(&self) -> Option<&Live> {
        self.class.as_ref()?.live.as_ref()
    }

    /// Whether the class handles `msg` before the screen does: catching up, and the class
    /// question's own rules (an answer is sent, not checked; it cannot change once sent).
    pub(super) fn class_takes(&self, msg: Msg) -> bool {
        if self.class.is_none() {
            return false;
        }
        if msg == Msg::CatchUp {
            return true;
        }
        if !self.in_class_question() || self.help_open {
            return false;
        }
        let Some(live) = self.class_live() else { return false };
        match msg {
            Msg::Back | Msg::Submit => true,
            Msg::ShowWhere
            | Msg::Quit
            | Msg::Suspend
            | Msg::Resize { .. }
            | Msg::CycleTheme
            | Msg::ToggleHelp
            | Msg::ScrollDown
            | Msg::ScrollUp
            | Msg::PageDown
            | Msg::PageUp
            | Msg::WheelDown
            | Msg::WheelUp => false,
            // Sent or closed: the answer stands until the reveal.
            _ => live.waiting(),
        }
    }

    /// A message [`Self::class_takes`] accepted.
    pub(super) fn update_class(&mut self, msg: Msg) -> Effect {
        if msg == Msg::CatchUp {
            self.catch_up();
            return Effect::None;
        }
        let Some(live) = self.class_live().cloned() else { return Effect::None };
        match msg {
            Msg::Back => self.leave_class_question(),
            Msg::Submit if live.reveal.is_some() => self.leave_class_question(),
            Msg::Submit if !live.waiting() => self.send_class_answer(),
            _ => {}
        }
        Effect::None
    }

    /// After any message: a student who leaves the teacher's section while following has
    /// stepped away (the catch-up key brings them back).
    pub(super) fn class_after_update(&mut self) {
        let section = self.section;
        let screen = self.screen;
        let Some(seat) = self.class.as_mut() else { return };
        if let Some(place) = seat.follow
            && !seat.away
            && screen != Screen::Quiz
            && (screen != Screen::Reader || section != place.section)
        {
            seat.away = true;
        }
    }

    /// The reader key table gains the catch-up key in a class.
    pub(super) fn class_mode(&self, mode: Mode) -> Mode {
        match mode {
            Mode::Reader if self.class.is_some() => Mode::ReaderClass,
            Mode::Choosing | Mode::Judging | Mode::Ordering | Mode::Matching | Mode::Typing
                if self.in_class_question() && self.class_live().is_some_and(Live::waiting) =>
            {
                Mode::ClassWaiting
            }
            Mode::Choosing if self.in_class_question() => Mode::ClassChoosing,
            Mode::Judging if self.in_class_question() => Mode::ClassJudging,
            Mode::Ordering if self.in_class_question() => Mode::ClassOrdering,
            Mode::Matching if self.in_class_question() => Mode::ClassMatching,
            Mode::Typing if self.in_class_question() => Mode::ClassTyping,
            Mode::Answered if self.in_class_question() => Mode::ClassAnswered,
            other => other,
        }
    }

    fn class_status(&self) -> StudentStatus {
        let sections = self.course.sections.len().max(1);
        let read = (0..self.course.sections.len()).filter(|&s| self.is_read(s)).count();
        let seat = self.class.as_ref();
        StudentStatus {
            section: self.section,
            scroll: self.scroll,
            read_percent: u8::try_from(read * 100 / sections).unwrap_or(100),
            in_own_quiz: matches!(self.screen, Screen::Quiz | Screen::Results)
                && self.quiz.as_ref().is_some_and(|q| q.kind != QuizKind::Class),
            following: seat.is_some_and(|s| s.follow.is_some() && !s.away),
        }
    }

    /// Back to the live question if one is open, else to the teacher's place.
    fn catch_up(&mut self) {
        let in_question = self.in_class_question();
        let Some(seat) = self.class.as_mut() else { return };
        seat.away = false;
        let open = seat.live.as_ref().is_some_and(|l| l.reveal.is_none());
        if open && !in_question {
            self.show_class_question();
        } else if seat.follow.is_some() {
            self.go_to_teacher();
        } else {
            self.notice = Some(if open {
                "This is the class question.".into()
            } else {
                "The teacher is not leading the class just now: read at your own pace.".into()
            });
        }
    }

    fn go_to_teacher(&mut self) {
        let Some(place) = self.class.as_ref().and_then(|s| s.follow) else { return };
        if place.section >= self.course.sections.len() {
            return;
        }
        self.term_popup = None;
        self.search = None;
        if let Some(quiz) = self.quiz.take_if(|q| q.kind != QuizKind::Class)
            && let Some(seat) = self.class.as_mut()
        {
            seat.own_quiz = Some(quiz);
        }
        if self.screen != Screen::Reader || self.section != place.section {
            self.open(place.section);
        }
        // The teacher's newest block at the top, with a line of what came before.
        let start = place.block.and_then(|b| self.page().block_starts.get(b).copied()).unwrap_or(0);
        self.scroll = start.saturating_sub(1).min(self.max_scroll());
    }

    /// Puts the live question on the quiz screen, setting the student's own quiz aside.
    fn show_class_question(&mut self) {
        let Some(live) = self.class_live().cloned() else { return };
        let q = &live.question;
        if q.section >= self.course.sections.len()
            || q.question >= self.course.sections[q.section].questions.len()
        {
            return;
        }
        let before = (self.screen, self.section, self.scroll);
        let own = self.quiz.take().filter(|quiz| quiz.kind != QuizKind::Class);
        let run = QuizRun::new(&self.course, vec![(q.section, q.question)], self.settings.seed);
        self.term_popup = None;
        self.search = None;
        self.begin(run, QuizKind::Class, Screen::Reader);
        // Answered before a rejoin: their pick is on screen again, as they sent it.
        if let Some(sent) = &live.sent
            && let Some(quiz) = self.quiz.as_mut()
        {
            let question = &self.course.sections[q.section].questions[q.question];
            quiz.input = crate::quiz::input::Input::given(question, quiz.run.presentation(), sent);
        }
        if let Some(seat) = self.class.as_mut() {
            if own.is_some() {
                seat.own_quiz = own;
            }
            if before.0 != Screen::Quiz || seat.before.is_none() {
                seat.before = Some(before);
            }
        }
        if let Some(reveal) = live.reveal {
            self.class_reveal(reveal);
        }
    }

    fn send_class_answer(&mut self) {
        let Some(quiz) = self.quiz.as_mut() else { return };
        let question = quiz.run.question(&self.course);
        match quiz.input.response(question, quiz.run.presentation()) {
            Ok(response) => {
                let Some(seat) = self.class.as_mut() else { return };
                let Some(live) = seat.live.as_mut() else { return };
                live.sent = Some(response.clone());
                seat.outbox.push(StudentAction::Answer { ask: live.question.ask, response });
            }
            Err(notice) => quiz.notice = Some(notice),
        }
    }

    fn class_reveal(&mut self, reveal: Reveal) {
        let Some(seat) = self.class.as_mut() else { return };
        let Some(live) = seat.live.as_mut().filter(|l| l.question.ask == reveal.ask) else {
            return;
        };
        live.question.closed = true;
        live.reveal = Some(reveal.clone());
        if !self.in_class_question() {
            self.notice = Some("The teacher revealed the class question's answer.".into());
            return;
        }
        let Some(quiz) = self.quiz.as_mut() else { return };
        // No answer in time: an empty choice grades as wrong and shows the right answer.
        let response = reveal.response.unwrap_or(Response::Choice(Vec::new()));
        quiz.run.results[0] = Some((response, Grade { points: reveal.points }));
        quiz.scroll = None;
    }

    /// Leaves the class question for where the student was (or the teacher's place).
    fn leave_class_question(&mut self) {
        let Some(seat) = self.class.as_mut() else { return };
        let before = seat.before.take();
        let own = seat.own_quiz.take();
        let following = seat.follow.is_some() && !seat.away;
        self.quiz = own;
        if following {
            self.screen = Screen::Reader;
            self.go_to_teacher();
            return;
        }
        match before {
            Some((Screen::Quiz | Screen::Results, _, _)) if self.quiz.is_some() => {
                self.screen = Screen::Quiz;
            }
            Some((Screen::Reader, section, scroll)) => {
                self.open(section);
                self.scroll = scroll.min(self.max_scroll());
            }
            Some((Screen::Title, ..)) | None => self.screen = Screen::Title,
            Some((screen, ..)) if screen != Screen::Quiz && screen != Screen::Results => {
                self.screen = screen;
            }
            Some(_) => self.screen = Screen::Reader,
        }
        if self.screen == Screen::Reader && self.page().lines.is_empty() {
            self.open(self.section);
        }
    }
}

#[cfg(test)]
mod tests;
