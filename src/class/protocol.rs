//! The messages between the sessions (each SSH channel, and the teacher's console) and the one
//! task that owns the class state (`class/room.rs`).
//!
//! Why messages and not a shared lock: a session never waits on another session, a student's
//! slow or hostile connection cannot hold anything the console or the other students need, and
//! the class state has exactly one writer, which keeps its rules (one answer per student per
//! question, a tally that matches the answers) in one place.
//!
//! Data only flows this way:
//! - a student session → the class: [`ToClass::Join`], then [`ToClass::Student`] with a
//!   [`StudentAction`] (where they are, an answer), then [`ToClass::Left`];
//! - the console → the class: [`ToClass::Teacher`] with a [`TeacherAction`];
//! - the class → one student: [`ToStudent`] on that student's bounded queue (given in `Join`);
//! - the class → the console: the latest [`ClassView`] on a `watch` channel (a slow console
//!   only ever sees the newest state, never a backlog).
//!
//! Nothing here is serialised: these types never leave the process. Questions are named by
//! their place in the course (`section`, `question`), which every session loaded identically.

use tokio::sync::{mpsc, oneshot};

use crate::quiz::Response;

/// A student's number in this class; kept across a rejoin under the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StudentId(pub u32);

/// One asking of one question in this class. A second asking of the same question gets a new
/// id, so an answer that arrives late for an earlier asking is never counted for the new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AskId(pub u32);

/// How many events may wait for one student before that student is dropped as stuck. Events
/// come at the teacher's pace (a press, a question, a reveal), so a healthy session never has
/// more than a handful waiting.
pub const STUDENT_QUEUE: usize = 256;

/// How many messages may wait for the class task. Senders await a free slot, so a burst of
/// students pushes back on their own sessions rather than growing memory.
pub const CLASS_QUEUE: usize = 1024;

/// Everything sent to the class task.
#[derive(Debug)]
pub enum ToClass {
    /// A student asks to join (after the class code was accepted).
    Join {
        /// The display name, already cleaned by `class/names.rs` (no control characters, length
        /// limit). A new name joins; a name in the class is that student's place, given only
        /// for their rejoin words or with the teacher's say-so (see [`Claim`]).
        name: String,
        /// What the student offers to show a name in the class is theirs.
        claim: Claim,
        /// Where the class sends this student's events.
        events: mpsc::Sender<ToStudent>,
        /// The answer to the request.
        reply: oneshot::Sender<Result<Joined, Refused>>,
    },
    /// Something a joined student did, from their session `session` (see [`Joined::session`]).
    Student { id: StudentId, session: u32, action: StudentAction },
    /// A student's session ended (they quit, dropped, were kicked, or joined again elsewhere).
    Left { id: StudentId, session: u32 },
    /// The teacher, from the console.
    Teacher(TeacherAction),
}

/// What a joining student offers to show that a name already in the class is theirs. A new
/// name needs nothing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Claim {
    #[default]
    Nothing,
    /// The rejoin words the class gave at their first join (typed, or kept for a browser).
    Words(String),
    /// No words: wait until the teacher lets them in (or turns them away) from the roster.
    AskTeacher,
}

/// How many wrong rejoin words one name may be given before only the teacher can let it in.
pub const WORD_TRIES: u32 = 5;

/// Why a join was refused; `message` is what the student reads before the connection closes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// The name is in the class (its student connected or not): the student must give its
    /// rejoin words or ask the teacher. `wrong`: words were given and were not right.
    NeedsWords { tries_left: u32, wrong: bool },
    /// The teacher did not let this join take the name's place (or another join asked since).
    TurnedAway,
    /// The name looks like a student's already in the class (a letter from another script
    /// drawn the same): the roster could not tell them apart.
    LooksLike(String),
    /// The teacher locked the room.
    Locked,
    /// The class has ended.
    Ended,
    /// The teacher removed this student from the class.
    Kicked,
}

impl Refused {
    pub fn message(&self, name: &str) -> String {
        match self {
            Self::NeedsWords { tries_left: 0, .. } => format!(
                "The name '{name}' is in this class, and its rejoin words were given wrong too \
                 often. If you are {name}, ask the teacher to let you in; if not, join with \
                 another name."
            ),
            Self::NeedsWords { wrong, .. } => format!(
                "{}The name '{name}' is in this class. If you are {name}, type the four rejoin \
                 words you were shown when you first joined, or ask the teacher to let you in. \
                 If not, join with another name.",
                if *wrong { "Those are not the words. " } else { "" }
            ),
            Self::TurnedAway => format!(
                "The teacher did not let you in as '{name}'. Join with your own name, or ask \
                 the teacher."
            ),
            Self::LooksLike(other) => format!(
                "The name '{name}' looks the same as '{other}', who is in this class already. \
                 Join again with another name."
            ),
            Self::Locked => "The teacher has locked this class: no new students can join.".into(),
            Self::Ended => "This class has ended.".into(),
            Self::Kicked => "The teacher has removed you from this class.".into(),
        }
    }
}

/// What a student gets on joining: enough to put their screen where the class is.
#[derive(Debug, Clone)]
pub struct Joined {
    pub id: StudentId,
    /// The name as the class shows it (the teacher may rename later).
    pub name: String,
    /// This session's number for the student: messages carry it, so the class can tell a
    /// session that was taken over (and is closing) from the one that took over.
    pub session: u32,
    /// Whether this is a rejoin (the answers below are this student's from before).
    pub rejoined: bool,
    /// The student's rejoin words, when new (a first join, or the teacher let them in without
    /// words): shown to them once, and kept by a browser's page.
    pub words: Option<String>,
    /// Where the student was when they left (rejoin only): put them back there.
    pub resume: Option<StudentStatus>,
    /// Every question this student answered in the class, with their answer.
    pub answers: Vec<GivenAnswer>,
    /// Where the teacher is, when follow is on.
    pub follow: Option<Place>,
    /// The question open now, if any (and, when the student already answered it, their answer).
    pub live: Option<LiveQuestion>,
}

/// An answer the class recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct GivenAnswer {
    pub ask: AskId,
    pub section: usize,
    pub question: usize,
    pub response: Response,
    /// From 0 to 1, as `quiz::grade` gave it.
    pub points: f64,
}

/// A place in the course: a section, and the block the teacher has revealed up to (none: the
/// section's title).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub section: usize,
    pub block: Option<usize>,
}

/// Things a student does that the class needs to know.
#[derive(Debug, Clone, PartialEq)]
pub enum StudentAction {
    /// Where the student is now (sent when it changes, not on every key).
    Status(StudentStatus),
    /// An answer to the live question. Only the first answer to an asking counts.
    Answer { ask: AskId, response: Response },
}

/// What the roster shows about a student.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StudentStatus {
    /// The section on screen.
    pub section: usize,
    /// The first line of the section shown in the reader.
    pub scroll: usize,
    /// How far they have read: sections whose end they reached, of all sections, in percent.
    pub read_percent: u8,
    /// On their own quiz (not the class's).
    pub in_own_quiz: bool,
    /// Their screen follows the teacher (follow is on and they have not stepped away).
    pub following: bool,
}

/// What the teacher does on the console.
#[derive(Debug, Clone, PartialEq)]
pub enum TeacherAction {
    /// Students' screens follow the teacher's place, or not.
    Follow(bool),
    /// The teacher moved (a press of the clicker); followers go there.
    At(Place),
    /// Ask questions of a section, one after the other, starting with the first in the list.
    Ask {
        section: usize,
        questions: Vec<usize>,
    },
    /// Close the live question (no more answers) and show the right answer and the chart.
    Reveal,
    /// The next question of the run, or the summary after the last.
    Next,
    /// Leave the quiz (the summary is kept in the view until another quiz starts).
    CloseQuiz,
    Kick(StudentId),
    /// Let in the join that asks for this student's place without words (it takes over a
    /// connection that is still open, and gets new words).
    LetRejoin(StudentId),
    /// Refuse the join that asks for this student's place.
    TurnAway(StudentId),
    /// Let a kicked student's name join again (the roster keeps the kicked row for this).
    LetBackIn(StudentId),
    Rename(StudentId, String),
    /// Lock (no new students; rejoins are still allowed) or unlock the room.
    Lock(bool),
    /// End the class: tell every student, save everything, close the sessions.
    End,
}

/// What the class sends one student.
#[derive(Debug, Clone, PartialEq)]
pub enum ToStudent {
    /// Follow is on and the teacher is here (or follow was switched off: `None`).
    Follow(Option<Place>),
    /// A question is open for answers.
    Question(LiveQuestion),
    /// The class recorded this student's answer (the screen then waits for the reveal).
    Accepted { ask: AskId },
    /// The countdown of the live question, once a second.
    Countdown { ask: AskId, seconds_left: u64 },
    /// The question closed for answers (the countdown ran out or the teacher revealed).
    Closed { ask: AskId },
    /// The teacher revealed the answer: the student's own result.
    Revealed(Reveal),
    /// The quiz is over; the student's own total.
    QuizOver(StudentSummary),
    /// The teacher renamed this student.
    Renamed(String),
    /// The teacher removed this student; the session ends.
    Kicked,
    /// The student joined again elsewhere (their words, or the teacher's say-so): this session
    /// ends, the new one has their place.
    TakenOver,
    /// The class ended; the session ends.
    Ended,
}

/// A question as it is put to the class.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveQuestion {
    pub ask: AskId,
    pub section: usize,
    pub question: usize,
    /// Its place in the run (1-based) and the run's length: "Question 2 of 5".
    pub number: usize,
    pub of: usize,
    /// Seconds left to answer, when there is a countdown.
    pub seconds_left: Option<u64>,
    /// This student's answer, if they gave one (on a rejoin in the middle of a question).
    pub answered: Option<Response>,
    /// The question no longer takes answers.
    pub closed: bool,
}

/// A student's own result for one question.
#[derive(Debug, Clone, PartialEq)]
pub struct Reveal {
    pub ask: AskId,
    pub section: usize,
    pub question: usize,
    /// What they answered (none: they did not answer in time).
    pub response: Option<Response>,
    /// From 0 to 1.
    pub points: f64,
    /// Speed points, when the teacher turned them on.
    pub speed: Option<u32>,
}

/// A student's own total at the end of a quiz.
#[derive(Debug, Clone, PartialEq)]
pub struct StudentSummary {
    pub answered: usize,
    pub asked: usize,
    /// The sum of their points (partial credit counts).
    pub points: f64,
    /// Their rank among the class, when a leaderboard is on.
    pub rank: Option<usize>,
}

/// Everything the console shows about the class; replaced whole on each change.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClassView {
    pub roster: Vec<RosterEntry>,
    pub locked: bool,
    pub follow: bool,
    pub ended: bool,
    pub live: Option<LiveView>,
    /// After the last question of a quiz.
    pub summary: Option<Summary>,
    /// Why the teacher's last action did nothing ("the name is taken"), until the next one.
    pub notice: Option<String>,
}

/// One student on the roster.
// Each flag is its own fact the roster shows (online, removed, someone at the door), and the
// combinations all occur: an enum of states would have to list them all.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, PartialEq)]
pub struct RosterEntry {
    pub id: StudentId,
    pub name: String,
    pub connected: bool,
    /// The teacher removed this student: the name cannot join until let back in.
    pub kicked: bool,
    /// A join without the rejoin words waits for the teacher to let it have this place.
    pub asks_to_rejoin: bool,
    pub status: StudentStatus,
    /// Answered the live question.
    pub answered_live: bool,
    /// Class quiz answers so far, and their points.
    pub answered: usize,
    pub points: f64,
    pub speed: u32,
}

/// The live question as the projector shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveView {
    pub ask: AskId,
    pub section: usize,
    pub question: usize,
    pub number: usize,
    pub of: usize,
    /// "17 of 23 answered": answers, and students connected or who answered.
    pub answered: usize,
    pub expected: usize,
    pub seconds_left: Option<u64>,
    pub closed: bool,
    pub revealed: bool,
    /// After the reveal: how the class answered (see [`Tally`]).
    pub tally: Option<Tally>,
}

/// How the class answered one question, for the bar chart after the reveal.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tally {
    /// For choice questions: how many picked each option (the question's own option order);
    /// for true/false: [true, false]. Empty for order, match and fill.
    pub picks: Vec<u32>,
    /// Answers graded right, partly right and wrong.
    pub right: u32,
    pub partly: u32,
    pub wrong: u32,
    /// Students expected who did not answer.
    pub missing: u32,
}

/// The end of a quiz: per question the share right; per student the score.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Summary {
    /// (section, question, share of answers that were right, from 0 to 1; none if nobody
    /// answered, answers counted).
    pub questions: Vec<QuestionSummary>,
    /// Sorted by points when a leaderboard is on, else by name.
    pub students: Vec<StudentScore>,
    /// Whether the projector shows a ranking, and with names or without.
    pub leaderboard: Leaderboard,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QuestionSummary {
    pub section: usize,
    pub question: usize,
    pub answers: u32,
    /// Mean points of the answers given (partial credit counts), from 0 to 1.
    pub share_right: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StudentScore {
    pub id: StudentId,
    pub name: String,
    pub answered: usize,
    pub points: f64,
    pub speed: u32,
}

/// How the class is scored, from the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scoring {
    /// Faster right answers earn more (Kahoot-style); off by default.
    pub speed_points: bool,
    /// Show a ranking after each quiz; off by default.
    pub leaderboard: Leaderboard,
}

/// Whether, and how, a ranking is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Leaderboard {
    #[default]
    Off,
    /// Names shown.
    Named,
    /// Ranks and scores shown, names hidden on the projector; each student sees their own rank.
    Anonymous,
}

#[cfg(test)]
mod tests {
    use super::Refused;

    #[test]
    fn refusals_speak_plainly_with_no_placeholder_left_for_the_student_to_fill() {
        let needs = Refused::NeedsWords { tries_left: 3, wrong: false };
        for refused in [needs.clone(), Refused::LooksLike("Ana".into()), Refused::Locked] {
            let words = refused.message("ana");
            assert!(!words.contains("PORT") && !words.contains("ADDRESS"), "{words}");
            assert!(!words.contains("NAME@"), "{words}");
        }
        assert!(needs.message("ana").contains("'ana'"));
    }
}
