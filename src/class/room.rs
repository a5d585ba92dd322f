//! The one owner of the class state: the roster, follow mode, the live quiz with its tally,
//! countdown, reveal and summary, and the scoring. Sessions talk to it with the messages in
//! `protocol.rs`; it answers each student on that student's own queue and publishes the
//! console's view on a `watch` channel.
//!
//! The state and its rules are a plain struct ([`Class`]) driven by `handle(msg, now)` and
//! `tick(now)`, so every rule is a unit test without a network or a runtime's clock; [`spawn`]
//! wraps it in a tokio task that waits for messages and for the next second of a countdown.

use super::names;
use super::words;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, watch};

use super::protocol::{
    AskId, Claim, ClassView, GivenAnswer, Joined, Leaderboard, LiveQuestion, LiveView, Place,
    QuestionSummary, Refused, Reveal, RosterEntry, Scoring, StudentAction, StudentId, StudentScore,
    StudentStatus, StudentSummary, Summary, Tally, TeacherAction, ToClass, ToStudent, WORD_TRIES,
};
use super::results::resume::Restored;
use super::results::{Record, Writer};
use crate::course::{Answer, Course};
use crate::quiz::{self, Response, Verdict};

/// Choices the teacher made on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClassOptions {
    /// Seconds each question stays open (`--timer`); none: until the teacher reveals.
    pub timer: Option<u64>,
    pub scoring: Scoring,
}

/// The most speed points one right answer earns (answered at once); an answer at the end of
/// the time earns half. Only with `Scoring::speed_points`.
pub const SPEED_MAX: u32 = 1000;

/// The window speed points are measured against when there is no countdown.
const SPEED_WINDOW: Duration = Duration::from_secs(30);

/// The longest display name the class keeps (a rename is cut to it too).
pub const NAME_MAX: usize = 32;

/// A handle the sessions and the console hold.
#[derive(Debug, Clone)]
pub struct ClassHandle {
    tx: mpsc::Sender<ToClass>,
    view: watch::Receiver<ClassView>,
}

impl ClassHandle {
    /// Asks to join under `name`, offering `claim` for a name already in the class. `None`
    /// when the class task has stopped. With [`Claim::AskTeacher`] the answer comes when the
    /// teacher decides.
    pub async fn join(
        &self,
        name: String,
        claim: Claim,
        events: mpsc::Sender<ToStudent>,
    ) -> Option<Result<Joined, Refused>> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.tx.send(ToClass::Join { name, claim, events, reply }).await.ok()?;
        answer.await.ok()
    }

    /// Where sessions send their messages.
    pub fn sender(&self) -> mpsc::Sender<ToClass> {
        self.tx.clone()
    }

    /// The console's view, newest first.
    pub fn view(&self) -> watch::Receiver<ClassView> {
        self.view.clone()
    }
}

/// Starts the class task. It stops when every sender (the handles and the sessions' copies)
/// is gone, after saving the class's end.
pub fn spawn(
    course: Arc<Course>,
    options: ClassOptions,
    results: Option<Writer>,
) -> (ClassHandle, tokio::task::JoinHandle<()>) {
    run(Class::new(course, options, results, Instant::now()))
}

/// Starts the class task for a class carried on after its server stopped (see
/// `results::resume`): everyone on the roster, disconnected, with their answers and words.
pub fn spawn_resumed(
    course: Arc<Course>,
    options: ClassOptions,
    results: Option<Writer>,
    restored: &Restored,
) -> (ClassHandle, tokio::task::JoinHandle<()>) {
    let (mut class, view) = Class::new(course, options, results, Instant::now());
    class.restore(restored);
    run((class, view))
}

fn run(
    (class, view): (Class, watch::Receiver<ClassView>),
) -> (ClassHandle, tokio::task::JoinHandle<()>) {
    let (tx, mut rx) = mpsc::channel(super::protocol::CLASS_QUEUE);
    let task = tokio::spawn(async move {
        let mut class = class;
        loop {
            let wake = class.next_wake();
            let msg = match wake {
                Some(at) => {
                    let at = tokio::time::Instant::from_std(at);
                    tokio::select! {
                        msg = rx.recv() => msg,
                        () = tokio::time::sleep_until(at) => {
                            class.tick(Instant::now());
                            continue;
                        }
                    }
                }
                None => rx.recv().await,
            };
            let Some(msg) = msg else { break };
            class.handle(msg, Instant::now());
        }
        class.finish(Instant::now());
    });
    (ClassHandle { tx, view }, task)
}

#[derive(Debug)]
struct Student {
    id: StudentId,
    name: String,
    /// Present while the student is connected.
    events: Option<mpsc::Sender<ToStudent>>,
    /// The session holding the place now (see `Joined::session`).
    session: u32,
    /// What gives this place back at once (none: only the teacher can).
    words: Option<String>,
    /// Wrong words given for this name since its student last came in.
    wrong_words: u32,
    kicked: bool,
    status: StudentStatus,
    answers: Vec<Given>,
}

impl Student {
    fn new(id: StudentId, name: String) -> Self {
        Self {
            id,
            name,
            events: None,
            session: 0,
            words: None,
            wrong_words: 0,
            kicked: false,
            status: StudentStatus::default(),
            answers: Vec::new(),
        }
    }
}

/// A join that asks for a student's place without the words, until the teacher decides.
#[derive(Debug)]
struct Waiting {
    id: StudentId,
    events: mpsc::Sender<ToStudent>,
    reply: Reply,
}

/// Where a join goes.
enum Seating {
    New,
    Back(usize),
    AskTeacher(usize),
}

/// How a session came into a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    /// A name new to the class.
    New,
    /// The place's rejoin words.
    Words,
    /// The teacher let them in.
    Teacher,
}

/// Where the answer to a join goes.
type Reply = tokio::sync::oneshot::Sender<Result<Joined, Refused>>;

#[derive(Debug, Clone)]
struct Given {
    ask: AskId,
    section: usize,
    question: usize,
    response: Response,
    points: f64,
    speed: u32,
}

/// The quiz under way: a section's questions asked one after another.
#[derive(Debug)]
struct Run {
    section: usize,
    questions: Vec<usize>,
    /// The question on screen (index into `questions`).
    index: usize,
    ask: AskId,
    opened: Instant,
    deadline: Option<Instant>,
    /// The countdown figure last sent, so each second is sent once.
    last_second: Option<u64>,
    closed: bool,
    revealed: bool,
    /// Every asking of this run, for the summary.
    asks: Vec<(AskId, usize)>,
    /// The students connected when the question opened, and anyone who answered since.
    expected: BTreeSet<StudentId>,
    tally: Option<Tally>,
}

/// The class state and its rules.
#[derive(Debug)]
pub struct Class {
    course: Arc<Course>,
    options: ClassOptions,
    students: Vec<Student>,
    locked: bool,
    follow: bool,
    teacher: Place,
    ended: bool,
    run: Option<Run>,
    next_ask: u32,
    summary: Option<Summary>,
    notice: Option<String>,
    results: Option<Writer>,
    view: watch::Sender<ClassView>,
    /// Joins waiting for the teacher's say-so, at most one per student.
    waiting: Vec<Waiting>,
    /// The number the next session gets.
    next_session: u32,
}

impl Class {
    pub fn new(
        course: Arc<Course>,
        options: ClassOptions,
        results: Option<Writer>,
        _now: Instant,
    ) -> (Self, watch::Receiver<ClassView>) {
        let (view, receiver) = watch::channel(ClassView::default());
        let class = Self {
            course,
            options,
            students: Vec::new(),
            locked: false,
            follow: false,
            teacher: Place { section: 0, block: None },
            ended: false,
            run: None,
            next_ask: 1,
            summary: None,
            notice: None,
            results,
            view,
            waiting: Vec::new(),
            next_session: 1,
        };
        (class, receiver)
    }

    /// Puts a class read back from the results store in place: its students, disconnected,
    /// with their answers and rejoin words; new askings numbered after the last one.
    pub fn restore(&mut self, restored: &Restored) {
        for student in &restored.students {
            if self.students.iter().any(|s| s.id == student.id) {
                continue;
            }
            let mut back = Student::new(student.id, student.name.clone());
            back.words.clone_from(&student.words);
            back.answers = restored
                .answers
                .iter()
                .filter(|a| a.student == student.id)
                .map(|a| Given {
                    ask: a.ask,
                    section: a.section,
                    question: a.question,
                    response: a.response.clone(),
                    points: a.points,
                    speed: a.speed,
                })
                .collect();
            self.students.push(back);
        }
        // In the order they first joined, whatever order the database gave.
        self.students.sort_by_key(|s| s.id);
        self.next_ask = self.next_ask.max(restored.last_ask.saturating_add(1));
    }

    /// When the task must wake without a message: the next second of a countdown.
    pub fn next_wake(&self) -> Option<Instant> {
        let run = self.run.as_ref()?;
        let deadline = run.deadline?;
        if run.closed {
            return None;
        }
        let left = deadline.saturating_duration_since(run.opened);
        let elapsed_whole = run.last_second.map_or(0, |s| left.as_secs().saturating_sub(s));
        // The moment the shown figure drops next, but never after the deadline.
        let next = run.opened + Duration::from_secs(elapsed_whole + 1);
        Some(next.min(deadline))
    }

    pub fn handle(&mut self, msg: ToClass, now: Instant) {
        self.notice = None;
        match msg {
            ToClass::Join { name, claim, events, reply } => {
                self.join(&name, &claim, events, reply, now);
            }
            ToClass::Student { id, session, action } => self.student(id, session, action, now),
            ToClass::Left { id, session } => self.left(id, session),
            ToClass::Teacher(action) => self.teacher(action, now),
        }
        // A join that gave up waiting for the teacher is off the roster.
        self.waiting.retain(|w| !w.reply.is_closed());
        self.tick(now);
        self.publish(now);
    }

    /// Closes the question when its time is up and sends the countdown's new figure.
    pub fn tick(&mut self, now: Instant) {
        let Some(run) = self.run.as_mut() else { return };
        let Some(deadline) = run.deadline else { return };
        if run.closed {
            return;
        }
        if now >= deadline {
            self.close(now);
            self.publish(now);
            return;
        }
        let left = seconds_left(deadline, now);
        if run.last_second != Some(left) {
            run.last_second = Some(left);
            let ask = run.ask;
            self.broadcast(&ToStudent::Countdown { ask, seconds_left: left });
            self.publish(now);
        }
    }

    /// The class is over (the console ended it, or the server stops): save and tell everyone.
    pub fn finish(&mut self, now: Instant) {
        if !self.ended {
            self.end(now);
        }
        if let Some(results) = self.results.take() {
            results.close();
        }
    }

    fn join(
        &mut self,
        name: &str,
        claim: &Claim,
        events: mpsc::Sender<ToStudent>,
        reply: Reply,
        now: Instant,
    ) {
        match self.seating(name, claim) {
            Ok(Seating::New) => {
                let index = self.add(name);
                let joined = self.seat(index, events, Entry::New, now);
                send_joined(self, reply, joined);
            }
            Ok(Seating::Back(index)) => {
                let joined = self.seat(index, events, Entry::Words, now);
                send_joined(self, reply, joined);
            }
            Ok(Seating::AskTeacher(index)) => {
                let id = self.students[index].id;
                // A second ask for the same place replaces the first.
                if let Some(earlier) = self.take_waiting(id) {
                    let _ = earlier.reply.send(Err(Refused::TurnedAway));
                }
                self.waiting.push(Waiting { id, events, reply });
            }
            Err(refused) => {
                let _ = reply.send(Err(refused));
            }
        }
    }

    /// Where a join under `name` goes: a new student, back into a student's place (their
    /// words were right), or to the teacher; or why not.
    fn seating(&mut self, name: &str, claim: &Claim) -> Result<Seating, Refused> {
        if self.ended {
            return Err(Refused::Ended);
        }
        let name: String = name.chars().take(NAME_MAX).collect();
        let key = name.to_lowercase();
        let Some(index) = self.students.iter().position(|s| s.name.to_lowercase() == key) else {
            // Not the same name, but drawn the same: refused, so that nobody can pose as a
            // classmate (or take over their answers) with a Cyrillic letter.
            let look = names::skeleton(&name);
            if let Some(other) = self.students.iter().find(|s| names::skeleton(&s.name) == look) {
                return Err(Refused::LooksLike(other.name.clone()));
            }
            return if self.locked { Err(Refused::Locked) } else { Ok(Seating::New) };
        };
        let student = &mut self.students[index];
        if student.kicked {
            return Err(Refused::Kicked);
        }
        // Anyone with the class code could type a classmate's name: the place (and its
        // answers) goes only to whoever has its words, or whom the teacher lets in.
        match claim {
            Claim::Words(typed) => {
                let right = student.wrong_words < WORD_TRIES
                    && student.words.as_deref().is_some_and(|w| words::same(typed, w));
                if right {
                    student.wrong_words = 0;
                    return Ok(Seating::Back(index));
                }
                student.wrong_words = (student.wrong_words + 1).min(WORD_TRIES);
                Err(Refused::NeedsWords {
                    tries_left: WORD_TRIES - student.wrong_words,
                    wrong: true,
                })
            }
            Claim::AskTeacher => Ok(Seating::AskTeacher(index)),
            Claim::Nothing => Err(Refused::NeedsWords {
                tries_left: WORD_TRIES - student.wrong_words,
                wrong: false,
            }),
        }
    }

    /// A new student on the roster (not yet connected); their index.
    fn add(&mut self, name: &str) -> usize {
        let name: String = name.chars().take(NAME_MAX).collect();
        // After the highest id in use: a class read back from the store may have gaps.
        let next = self.students.iter().map(|s| s.id.0.saturating_add(1)).max().unwrap_or(0);
        let id = StudentId(next);
        self.record(Record::Student { id, name: name.clone() });
        self.students.push(Student::new(id, name));
        self.students.len() - 1
    }

    /// Puts a session in a student's place: a connection still holding it is closed (a dropped
    /// one sends no goodbye, so it may look alive for minutes), and the student gets their
    /// answers and where they were. A student who did not give their words gets new ones,
    /// shown to them.
    fn seat(
        &mut self,
        index: usize,
        events: mpsc::Sender<ToStudent>,
        entry: Entry,
        now: Instant,
    ) -> Joined {
        let rejoined = entry != Entry::New;
        let fresh_words = entry != Entry::Words;
        let session = self.next_session;
        self.next_session += 1;
        if self.students[index].events.is_some() {
            send(&mut self.students[index], ToStudent::TakenOver);
        }
        self.record(Record::Presence { id: self.students[index].id, present: true });
        let follow = self.follow.then_some(self.teacher);
        let live = self.live_for(index, now);
        if let Some(run) = self.run.as_mut().filter(|r| !r.closed) {
            run.expected.insert(self.students[index].id);
        }
        let student = &mut self.students[index];
        student.events = Some(events);
        student.session = session;
        // Whoever the teacher let in starts with new words and a clean count.
        if entry == Entry::Teacher {
            student.wrong_words = 0;
        }
        let words = if fresh_words { words::fresh() } else { None };
        if fresh_words {
            student.words.clone_from(&words);
        }
        let record = words.clone().map(|words| Record::Words { id: student.id, words });
        let joined = Joined {
            id: student.id,
            session,
            name: student.name.clone(),
            rejoined,
            words,
            resume: rejoined.then_some(student.status),
            answers: student
                .answers
                .iter()
                .map(|g| GivenAnswer {
                    ask: g.ask,
                    section: g.section,
                    question: g.question,
                    response: g.response.clone(),
                    points: g.points,
                })
                .collect(),
            follow,
            live,
        };
        if let Some(record) = record {
            self.record(record);
        }
        joined
    }

    fn take_waiting(&mut self, id: StudentId) -> Option<Waiting> {
        let at = self.waiting.iter().position(|w| w.id == id)?;
        Some(self.waiting.remove(at))
    }

    /// The live question as one student should see it.
    fn live_for(&self, index: usize, now: Instant) -> Option<LiveQuestion> {
        let run = self.run.as_ref()?;
        if run.revealed {
            return None;
        }
        let answered = self.students[index]
            .answers
            .iter()
            .find(|g| g.ask == run.ask)
            .map(|g| g.response.clone());
        Some(LiveQuestion {
            ask: run.ask,
            section: run.section,
            question: run.questions[run.index],
            number: run.index + 1,
            of: run.questions.len(),
            seconds_left: run.deadline.map(|d| seconds_left(d, now)),
            answered,
            closed: run.closed,
        })
    }

    /// A connected student's index, if `session` still holds their place.
    fn find(&self, id: StudentId, session: u32) -> Option<usize> {
        self.students.iter().position(|s| s.id == id && s.session == session && s.events.is_some())
    }

    fn left(&mut self, id: StudentId, session: u32) {
        // A session that was taken over leaves after the new one came: nothing to do.
        if let Some(student) = self.students.iter_mut().find(|s| s.id == id && s.session == session)
        {
            student.events = None;
        } else {
            return;
        }
        // Sessions closing because the class ended are not students leaving early.
        if !self.ended {
            self.record(Record::Presence { id, present: false });
        }
    }

    fn student(&mut self, id: StudentId, session: u32, action: StudentAction, now: Instant) {
        let Some(index) = self.find(id, session) else { return };
        match action {
            StudentAction::Status(status) => {
                let section = status.section.min(self.course.sections.len().saturating_sub(1));
                self.students[index].status = StudentStatus { section, ..status };
            }
            StudentAction::Answer { ask, response } => self.answer(index, ask, response, now),
        }
    }

    fn answer(&mut self, index: usize, ask: AskId, response: Response, now: Instant) {
        let Some(run) = self.run.as_mut() else { return };
        if run.ask != ask || run.closed {
            return;
        }
        let student = &mut self.students[index];
        if student.answers.iter().any(|g| g.ask == ask) {
            return;
        }
        let (section, question) = (run.section, run.questions[run.index]);
        let q = &self.course.sections[section].questions[question];
        if !fits(&q.answer, &response) {
            return;
        }
        let points = quiz::grade(q, &response).points;
        let speed = if self.options.scoring.speed_points {
            let window = run.deadline.map_or(SPEED_WINDOW, |d| d - run.opened);
            speed_points(points, now.saturating_duration_since(run.opened), window)
        } else {
            0
        };
        run.expected.insert(student.id);
        student.answers.push(Given {
            ask,
            section,
            question,
            response: response.clone(),
            points,
            speed,
        });
        let id = student.id;
        send(student, ToStudent::Accepted { ask });
        self.record(Record::Answer { ask, student: id, response, points, speed });
    }

    fn teacher(&mut self, action: TeacherAction, now: Instant) {
        if self.ended {
            return;
        }
        match action {
            TeacherAction::Follow(on) => {
                self.follow = on;
                let place = on.then_some(self.teacher);
                self.broadcast(&ToStudent::Follow(place));
            }
            TeacherAction::At(place) => {
                if place.section >= self.course.sections.len() || place == self.teacher {
                    return;
                }
                self.teacher = place;
                if self.follow {
                    self.broadcast(&ToStudent::Follow(Some(place)));
                }
            }
            TeacherAction::Ask { section, questions } => self.ask(section, questions, now),
            TeacherAction::Reveal => self.reveal(now),
            TeacherAction::Next => self.next(now),
            TeacherAction::CloseQuiz => {
                if self.run.is_some() {
                    self.summarise();
                }
                self.run = None;
            }
            TeacherAction::Kick(id) => {
                if let Some(waiting) = self.take_waiting(id) {
                    let _ = waiting.reply.send(Err(Refused::Kicked));
                }
                if let Some(student) = self.students.iter_mut().find(|s| s.id == id) {
                    student.kicked = true;
                    send(student, ToStudent::Kicked);
                    student.events = None;
                    if let Some(run) = self.run.as_mut() {
                        run.expected.remove(&id);
                    }
                }
            }
            TeacherAction::LetBackIn(id) => {
                if let Some(student) = self.students.iter_mut().find(|s| s.id == id) {
                    student.kicked = false;
                }
            }
            TeacherAction::LetRejoin(id) => {
                let index = self.students.iter().position(|s| s.id == id);
                if let (Some(waiting), Some(index)) = (self.take_waiting(id), index) {
                    // New words: whoever asked had lost theirs (or never had them).
                    let joined = self.seat(index, waiting.events, Entry::Teacher, now);
                    send_joined(self, waiting.reply, joined);
                }
            }
            TeacherAction::TurnAway(id) => {
                if let Some(waiting) = self.take_waiting(id) {
                    let _ = waiting.reply.send(Err(Refused::TurnedAway));
                }
            }
            TeacherAction::Rename(id, name) => self.rename(id, &name),
            TeacherAction::Lock(on) => self.locked = on,
            TeacherAction::End => self.end(now),
        }
    }

    fn rename(&mut self, id: StudentId, name: &str) {
        let name: String =
            name.chars().filter(|c| !c.is_control()).take(NAME_MAX).collect::<String>();
        let name = name.trim().to_owned();
        if name.is_empty() {
            return;
        }
        let key = name.to_lowercase();
        if self.students.iter().any(|s| s.id != id && s.name.to_lowercase() == key) {
            self.notice = Some(format!("The name '{name}' is taken."));
            return;
        }
        if let Some(student) = self.students.iter_mut().find(|s| s.id == id) {
            student.name.clone_from(&name);
            send(student, ToStudent::Renamed(name.clone()));
            self.record(Record::Rename { id, name });
        }
    }

    fn ask(&mut self, section: usize, questions: Vec<usize>, now: Instant) {
        let Some(count) = self.course.sections.get(section).map(|s| s.questions.len()) else {
            return;
        };
        let questions: Vec<usize> = questions.into_iter().filter(|&q| q < count).collect();
        if questions.is_empty() {
            return;
        }
        self.summary = None;
        self.run = Some(Run {
            section,
            questions,
            index: 0,
            ask: AskId(0),
            opened: now,
            deadline: None,
            last_second: None,
            closed: false,
            revealed: false,
            asks: Vec::new(),
            expected: BTreeSet::new(),
            tally: None,
        });
        self.open(now);
    }

    /// Opens the run's current question.
    fn open(&mut self, now: Instant) {
        let ask = AskId(self.next_ask);
        self.next_ask += 1;
        let timer = self.options.timer;
        let expected: BTreeSet<StudentId> =
            self.students.iter().filter(|s| s.events.is_some()).map(|s| s.id).collect();
        let Some(run) = self.run.as_mut() else { return };
        let question = run.questions[run.index];
        run.ask = ask;
        run.opened = now;
        run.deadline = timer.map(|t| now + Duration::from_secs(t));
        run.last_second = timer;
        run.closed = false;
        run.revealed = false;
        run.tally = None;
        run.expected = expected;
        run.asks.push((ask, question));
        let section = run.section;
        let q = &self.course.sections[section].questions[question];
        self.record(Record::Ask { ask, section, question: q.clone() });
        for index in 0..self.students.len() {
            if let Some(live) = self.live_for(index, now) {
                send(&mut self.students[index], ToStudent::Question(live));
            }
        }
    }

    fn close(&mut self, _now: Instant) {
        let Some(run) = self.run.as_mut() else { return };
        if run.closed {
            return;
        }
        run.closed = true;
        let ask = run.ask;
        self.broadcast(&ToStudent::Closed { ask });
    }

    fn reveal(&mut self, now: Instant) {
        if self.run.as_ref().is_none_or(|r| r.revealed) {
            return;
        }
        self.close(now);
        let Some(run) = self.run.as_mut() else { return };
        run.revealed = true;
        let (ask, section, question) = (run.ask, run.section, run.questions[run.index]);
        let answer = &self.course.sections[section].questions[question].answer;
        let mut tally = Tally { picks: picks_len(answer), ..Tally::default() };
        for student in &self.students {
            let given = student.answers.iter().find(|g| g.ask == ask);
            match given {
                Some(g) => {
                    count_picks(&mut tally.picks, &g.response);
                    match (quiz::Grade { points: g.points }).verdict() {
                        Verdict::Right => tally.right += 1,
                        Verdict::PartlyRight => tally.partly += 1,
                        Verdict::Wrong => tally.wrong += 1,
                    }
                }
                None if run.expected.contains(&student.id) => tally.missing += 1,
                None => {}
            }
        }
        run.tally = Some(tally);
        for student in &mut self.students {
            let given = student.answers.iter().find(|g| g.ask == ask);
            let reveal = Reveal {
                ask,
                section,
                question,
                response: given.map(|g| g.response.clone()),
                points: given.map_or(0.0, |g| g.points),
                speed: self.options.scoring.speed_points.then(|| given.map_or(0, |g| g.speed)),
            };
            send(student, ToStudent::Revealed(reveal));
        }
    }

    fn next(&mut self, now: Instant) {
        let Some(run) = self.run.as_mut() else { return };
        if !run.revealed {
            self.reveal(now);
            return;
        }
        if run.index + 1 < run.questions.len() {
            run.index += 1;
            self.open(now);
        } else {
            self.summarise();
            self.run = None;
        }
    }

    /// The summary of the run, on the console and to each student.
    fn summarise(&mut self) {
        let Some(run) = self.run.as_ref() else { return };
        let asked: Vec<AskId> = run
            .asks
            .iter()
            .filter(|(a, _)| *a != run.ask || run.revealed)
            .map(|(a, _)| *a)
            .collect();
        let questions = run
            .asks
            .iter()
            .filter(|(a, _)| asked.contains(a))
            .map(|&(ask, question)| {
                let points: Vec<f64> = self
                    .students
                    .iter()
                    .filter_map(|s| s.answers.iter().find(|g| g.ask == ask).map(|g| g.points))
                    .collect();
                QuestionSummary {
                    section: run.section,
                    question,
                    answers: u32::try_from(points.len()).unwrap_or(u32::MAX),
                    share_right: (!points.is_empty())
                        .then(|| quiz::share(points.iter().sum(), points.len())),
                }
            })
            .collect();
        let mut students: Vec<StudentScore> = self
            .students
            .iter()
            .filter(|s| !s.kicked)
            .filter(|s| s.events.is_some() || s.answers.iter().any(|g| asked.contains(&g.ask)))
            .map(|s| {
                let mine = s.answers.iter().filter(|g| asked.contains(&g.ask));
                StudentScore {
                    id: s.id,
                    name: s.name.clone(),
                    answered: mine.clone().count(),
                    points: mine.clone().map(|g| g.points).sum(),
                    speed: mine.map(|g| g.speed).sum(),
                }
            })
            .collect();
        let leaderboard = self.options.scoring.leaderboard;
        if leaderboard == Leaderboard::Off {
            students.sort_by_key(|s| s.name.to_lowercase());
        } else {
            students.sort_by(|a, b| rank_order(b).total_cmp(&rank_order(a)));
        }
        let total = asked.len();
        for student in &mut self.students {
            let position = students.iter().position(|s| s.id == student.id);
            let Some(score) = position.map(|p| &students[p]) else { continue };
            let summary = StudentSummary {
                answered: score.answered,
                asked: total,
                points: score.points,
                rank: (leaderboard != Leaderboard::Off).then(|| position.unwrap_or(0) + 1),
            };
            send(student, ToStudent::QuizOver(summary));
        }
        self.summary = Some(Summary { questions, students, leaderboard });
    }

    fn end(&mut self, now: Instant) {
        if self.run.as_ref().is_some_and(|r| !r.revealed) {
            self.reveal(now);
        }
        if self.run.is_some() {
            self.summarise();
            self.run = None;
        }
        self.ended = true;
        for waiting in std::mem::take(&mut self.waiting) {
            let _ = waiting.reply.send(Err(Refused::Ended));
        }
        for student in &mut self.students {
            send(student, ToStudent::Ended);
            student.events = None;
        }
        self.record(Record::End);
        // Nothing is recorded after the end: let the writer finish now, so the server need not
        // wait for every session's copy of the class's queue to go.
        if let Some(results) = self.results.take() {
            results.close();
        }
    }

    fn broadcast(&mut self, event: &ToStudent) {
        for student in &mut self.students {
            send(student, event.clone());
        }
    }

    fn record(&self, record: Record) {
        if let Some(results) = &self.results {
            results.send(record);
        }
    }

    /// Replaces the console's view.
    fn publish(&self, now: Instant) {
        let live = self.run.as_ref().map(|run| {
            let answered =
                self.students.iter().filter(|s| s.answers.iter().any(|g| g.ask == run.ask)).count();
            LiveView {
                ask: run.ask,
                section: run.section,
                question: run.questions[run.index],
                number: run.index + 1,
                of: run.questions.len(),
                answered,
                expected: run.expected.len().max(answered),
                seconds_left: run.deadline.filter(|_| !run.closed).map(|d| seconds_left(d, now)),
                closed: run.closed,
                revealed: run.revealed,
                tally: run.tally.clone(),
            }
        });
        let live_ask = self.run.as_ref().map(|r| r.ask);
        // Kicked students stay on the roster (marked), so the teacher can let them back in
        // and the highlight does not jump to another student.
        let roster = self
            .students
            .iter()
            .map(|s| RosterEntry {
                id: s.id,
                name: s.name.clone(),
                connected: s.events.is_some(),
                kicked: s.kicked,
                asks_to_rejoin: self.waiting.iter().any(|w| w.id == s.id),
                status: s.status,
                answered_live: live_ask.is_some_and(|a| s.answers.iter().any(|g| g.ask == a)),
                answered: s.answers.len(),
                points: s.answers.iter().map(|g| g.points).sum(),
                speed: s.answers.iter().map(|g| g.speed).sum(),
            })
            .collect();
        let view = ClassView {
            roster,
            locked: self.locked,
            follow: self.follow,
            ended: self.ended,
            live,
            summary: self.summary.clone(),
            notice: self.notice.clone(),
        };
        self.view.send_if_modified(|old| {
            let changed = *old != view;
            if changed {
                *old = view;
            }
            changed
        });
    }

    /// The console's view as it is now (tests).
    pub fn view(&self) -> ClassView {
        self.view.borrow().clone()
    }
}

/// Answers a join; a session that went while waiting never joined (its place is left as the
/// session before it left it: disconnected).
fn send_joined(class: &mut Class, reply: Reply, joined: Joined) {
    if let Err(Ok(joined)) = reply.send(Ok(joined)) {
        class.left(joined.id, joined.session);
    }
}

/// Sends one event to a connected student. A student whose queue is full is stuck: the class
/// lets them go (their session sees the queue close and ends), rather than holding events for
/// them without bound.
fn send(student: &mut Student, event: ToStudent) {
    if let Some(events) = &student.events
        && events.try_send(event).is_err()
    {
        student.events = None;
    }
}

fn seconds_left(deadline: Instant, now: Instant) -> u64 {
    let left = deadline.saturating_duration_since(now);
    // Round up: "1 s left" until the very end, never "0 s" while answers are still taken.
    left.as_secs() + u64::from(left.subsec_nanos() > 0)
}

/// Speed points: a right answer at once earns `SPEED_MAX`, one at the end of the window half
/// of it, scaled by the answer's points (partial credit earns part).
pub fn speed_points(points: f64, taken: Duration, window: Duration) -> u32 {
    if points <= 0.0 || window.is_zero() {
        return 0;
    }
    let late = (taken.as_secs_f64() / window.as_secs_f64()).clamp(0.0, 1.0);
    let speed = f64::from(SPEED_MAX) * points * (1.0 - late / 2.0);
    // In 0..=SPEED_MAX by construction, so the cast neither truncates nor loses a sign.
    #[allow(clippy::cast_sign_loss)]
    let speed = speed.round().clamp(0.0, f64::from(SPEED_MAX)) as u32;
    speed
}

fn rank_order(score: &StudentScore) -> f64 {
    score.points * f64::from(SPEED_MAX) * 2.0 + f64::from(score.speed)
}

/// Whether a response has the shape of the question's answer (a hostile or confused session
/// may send anything; a response that does not fit is not recorded).
fn fits(answer: &Answer, response: &Response) -> bool {
    match (answer, response) {
        (Answer::Choice { options, .. }, Response::Choice(chosen)) => {
            chosen.len() <= options.len() && chosen.iter().all(|&i| i < options.len())
        }
        (Answer::TrueFalse(_), Response::TrueFalse(_)) => true,
        (Answer::Order(steps), Response::Order(given)) => {
            given.len() == steps.len() && given.iter().all(|&i| i < steps.len())
        }
        (Answer::Match(pairs), Response::Match(given)) => {
            given.len() == pairs.len() && given.iter().flatten().all(|&i| i < pairs.len())
        }
        (Answer::Fill(_), Response::Fill(text)) => text.chars().count() <= 200,
        _ => false,
    }
}

fn picks_len(answer: &Answer) -> Vec<u32> {
    match answer {
        Answer::Choice { options, .. } => vec![0; options.len()],
        Answer::TrueFalse(_) => vec![0; 2],
        _ => Vec::new(),
    }
}

fn count_picks(picks: &mut [u32], response: &Response) {
    match response {
        Response::Choice(chosen) => {
            for &i in chosen {
                if let Some(count) = picks.get_mut(i) {
                    *count += 1;
                }
            }
        }
        Response::TrueFalse(said) => {
            if let Some(count) = picks.get_mut(usize::from(!*said)) {
                *count += 1;
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
