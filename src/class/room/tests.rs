//! The class's rules through its messages, as sessions and the console send them; no network
//! and no runtime: queues are read with `try_recv`, time is passed in.
// Points are sums of wholes and halves, exact in binary: exact comparison is right.
#![allow(clippy::float_cmp)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot};

use super::{Class, ClassOptions, speed_points};
use crate::class::protocol::{
    AskId, Claim, Joined, Leaderboard, Place, Refused, Scoring, StudentAction, StudentId,
    StudentStatus, TeacherAction, ToClass, ToStudent,
};
use crate::content::{self, load::PackSource};
use crate::course::{Answer, Course, Question};
use crate::quiz::{self, Response};

fn course() -> Arc<Course> {
    Arc::new(content::load(&PackSource::BuiltIn).unwrap().course)
}

struct Pupil {
    id: StudentId,
    events: mpsc::Receiver<ToStudent>,
    joined: Joined,
}

fn join(class: &mut Class, name: &str, now: Instant) -> Result<Pupil, Refused> {
    join_claiming(class, name, Claim::Nothing, now)
}

fn join_claiming(
    class: &mut Class,
    name: &str,
    claim: Claim,
    now: Instant,
) -> Result<Pupil, Refused> {
    let (tx, events) = mpsc::channel(crate::class::protocol::STUDENT_QUEUE);
    let (reply, mut answer) = oneshot::channel();
    class.handle(ToClass::Join { name: name.into(), claim, events: tx, reply }, now);
    answer.try_recv().unwrap().map(|joined| Pupil { id: joined.id, events, joined })
}

/// Asks for `name`'s place without words: the answer comes when the teacher decides. Also
/// the asker's queue, kept open as a waiting session keeps it.
fn ask_teacher(
    class: &mut Class,
    name: &str,
    now: Instant,
) -> (oneshot::Receiver<Result<Joined, Refused>>, mpsc::Receiver<ToStudent>) {
    let (tx, events) = mpsc::channel(crate::class::protocol::STUDENT_QUEUE);
    let (reply, asked) = oneshot::channel();
    let claim = Claim::AskTeacher;
    class.handle(ToClass::Join { name: name.into(), claim, events: tx, reply }, now);
    (asked, events)
}

/// Joins again with the words the pupil was given.
fn rejoin(class: &mut Class, pupil: &Pupil, name: &str, now: Instant) -> Result<Pupil, Refused> {
    let words = pupil.joined.words.clone().expect("words at the first join");
    join_claiming(class, name, Claim::Words(words), now)
}

fn leave(class: &mut Class, pupil: &Pupil, now: Instant) {
    class.handle(ToClass::Left { id: pupil.id, session: pupil.joined.session }, now);
}

fn drain(pupil: &mut Pupil) -> Vec<ToStudent> {
    let mut all = Vec::new();
    while let Ok(event) = pupil.events.try_recv() {
        all.push(event);
    }
    all
}

fn teacher(class: &mut Class, action: TeacherAction, now: Instant) {
    class.handle(ToClass::Teacher(action), now);
}

fn answer(class: &mut Class, pupil: &Pupil, ask: AskId, response: Response, now: Instant) {
    class.handle(
        ToClass::Student {
            id: pupil.id,
            session: pupil.joined.session,
            action: StudentAction::Answer { ask, response },
        },
        now,
    );
}

/// A right answer to any question.
fn right(question: &Question) -> Response {
    match &question.answer {
        Answer::Choice { options, .. } => {
            Response::Choice((0..options.len()).filter(|&i| options[i].correct).collect())
        }
        Answer::TrueFalse(truth) => Response::TrueFalse(*truth),
        Answer::Order(steps) => Response::Order((0..steps.len()).collect()),
        Answer::Match(pairs) => Response::Match((0..pairs.len()).map(Some).collect()),
        Answer::Fill(accepted) => Response::Fill(accepted[0].clone()),
    }
}

/// A wrong answer to any question.
fn wrong(question: &Question) -> Response {
    match &question.answer {
        Answer::Choice { options, .. } => {
            Response::Choice(vec![options.iter().position(|o| !o.correct).unwrap()])
        }
        Answer::TrueFalse(truth) => Response::TrueFalse(!*truth),
        Answer::Order(steps) => Response::Order((0..steps.len()).rev().collect()),
        Answer::Match(pairs) => {
            Response::Match((0..pairs.len()).map(|i| Some((i + 1) % pairs.len())).collect())
        }
        Answer::Fill(_) => Response::Fill("no idea".into()),
    }
}

fn live_ask(pupil: &mut Pupil) -> AskId {
    drain(pupil)
        .into_iter()
        .rev()
        .find_map(|e| match e {
            ToStudent::Question(live) => Some(live.ask),
            _ => None,
        })
        .expect("a question reached the student")
}

#[test]
fn a_thirty_student_quiz_tallies_and_sums_up_exactly_what_was_sent() {
    let course = course();
    let (mut class, view) =
        Class::new(course.clone(), ClassOptions::default(), None, Instant::now());
    let now = Instant::now();
    let mut pupils: Vec<Pupil> =
        (0..30).map(|i| join(&mut class, &format!("student{i:02}"), now).unwrap()).collect();
    assert_eq!(view.borrow().roster.len(), 30);

    // Every question of the first section, with each student's choice decided by their number:
    // a third right, a third wrong, a third silent.
    let section = 0;
    let questions: Vec<usize> = (0..course.sections[section].questions.len()).collect();
    assert!(questions.len() >= 2, "the test needs a run of questions");
    teacher(&mut class, TeacherAction::Ask { section, questions: questions.clone() }, now);
    let mut expected_points = vec![0.0; 30];
    let mut shares = Vec::new();
    for &q in &questions {
        let question = &course.sections[section].questions[q];
        let asks: Vec<AskId> = pupils.iter_mut().map(live_ask).collect();
        assert!(asks.windows(2).all(|w| w[0] == w[1]), "one asking for everyone");
        let ask = asks[0];
        let (mut right_count, mut wrong_count, mut picks) = (0, 0, vec![0u32; 10]);
        let mut points_given = Vec::new();
        for (i, pupil) in pupils.iter().enumerate() {
            let response = match (i + q) % 3 {
                0 => right(question),
                1 => wrong(question),
                _ => continue,
            };
            if (i + q) % 3 == 0 {
                right_count += 1;
            } else {
                wrong_count += 1;
            }
            match &response {
                Response::Choice(chosen) => chosen.iter().for_each(|&c| picks[c] += 1),
                Response::TrueFalse(said) => picks[usize::from(!*said)] += 1,
                _ => {}
            }
            let points = quiz::grade(question, &response).points;
            expected_points[i] += points;
            points_given.push(points);
            answer(&mut class, pupil, ask, response, now);
        }
        let live = view.borrow().live.clone().unwrap();
        assert_eq!((live.answered, live.expected), (right_count + wrong_count, 30));
        assert!(live.tally.is_none(), "no tally on the projector before the reveal");
        teacher(&mut class, TeacherAction::Reveal, now);
        let tally = view.borrow().live.clone().unwrap().tally.unwrap();
        assert_eq!(
            (tally.right, tally.wrong, tally.partly),
            (right_count as u32, wrong_count as u32, 0)
        );
        assert_eq!(tally.missing, 30 - right_count as u32 - wrong_count as u32);
        let options = match &question.answer {
            Answer::Choice { options, .. } => options.len(),
            Answer::TrueFalse(_) => 2,
            _ => 0,
        };
        assert_eq!(tally.picks, picks[..options]);
        // Each student's own feedback matches their answer.
        for (i, pupil) in pupils.iter_mut().enumerate() {
            let reveal = drain(pupil)
                .into_iter()
                .find_map(|e| match e {
                    ToStudent::Revealed(r) => Some(r),
                    _ => None,
                })
                .unwrap();
            assert_eq!(reveal.response.is_some(), (i + q) % 3 != 2);
            assert_eq!(reveal.points, if (i + q) % 3 == 0 { 1.0 } else { 0.0 });
        }
        shares.push(quiz::share(points_given.iter().sum(), points_given.len()));
        teacher(&mut class, TeacherAction::Next, now);
    }
    let summary = view.borrow().summary.clone().expect("a summary after the last question");
    assert!(view.borrow().live.is_none());
    let got: Vec<f64> = summary.questions.iter().map(|q| q.share_right.unwrap()).collect();
    assert_eq!(got, shares);
    assert_eq!(summary.students.len(), 30);
    for (i, pupil) in pupils.iter_mut().enumerate() {
        let score = summary.students.iter().find(|s| s.id == pupil.id).unwrap();
        assert_eq!(score.points, expected_points[i], "student {i}");
        let over = drain(pupil)
            .into_iter()
            .find_map(|e| match e {
                ToStudent::QuizOver(s) => Some(s),
                _ => None,
            })
            .unwrap();
        assert_eq!(
            (over.points, over.asked, over.rank),
            (expected_points[i], questions.len(), None)
        );
    }
    // Without a leaderboard the summary is in name order, not a ranking.
    let names: Vec<&str> = summary.students.iter().map(|s| s.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
}

#[test]
fn only_the_first_answer_to_the_open_asking_counts_and_misshapen_answers_do_not() {
    let course = course();
    let (mut class, view) =
        Class::new(course.clone(), ClassOptions::default(), None, Instant::now());
    let now = Instant::now();
    let mut ana = join(&mut class, "Ana", now).unwrap();
    teacher(&mut class, TeacherAction::Ask { section: 0, questions: vec![0] }, now);
    let ask = live_ask(&mut ana);
    let question = &course.sections[0].questions[0];
    answer(&mut class, &ana, AskId(ask.0 + 7), right(question), now);
    assert_eq!(view.borrow().live.as_ref().unwrap().answered, 0, "another asking's id");
    answer(&mut class, &ana, ask, Response::Choice(vec![99]), now);
    answer(&mut class, &ana, ask, Response::Fill("x".into()), now);
    assert_eq!(view.borrow().live.as_ref().unwrap().answered, 0, "not this question's shape");
    answer(&mut class, &ana, ask, wrong(question), now);
    answer(&mut class, &ana, ask, right(question), now);
    assert_eq!(drain(&mut ana), vec![ToStudent::Accepted { ask }]);
    teacher(&mut class, TeacherAction::Reveal, now);
    assert_eq!(view.borrow().roster[0].points, 0.0, "the first (wrong) answer stands");
    // After the reveal, answers are closed.
    answer(&mut class, &ana, ask, right(question), now);
    assert_eq!(view.borrow().roster[0].answered, 1);
}

#[test]
fn a_student_who_drops_and_rejoins_gets_answers_and_place_back_and_names_stay_unique() {
    let course = course();
    let (mut class, view) =
        Class::new(course.clone(), ClassOptions::default(), None, Instant::now());
    let now = Instant::now();
    let mut ana = join(&mut class, "Ana", now).unwrap();
    assert!(!ana.joined.rejoined);
    assert_eq!(
        join(&mut class, "ana", now).err(),
        Some(Refused::NeedsWords { tries_left: 5, wrong: false })
    );
    let status = StudentStatus { section: 2, scroll: 14, read_percent: 40, ..Default::default() };
    let session = ana.joined.session;
    class.handle(
        ToClass::Student { id: ana.id, session, action: StudentAction::Status(status) },
        now,
    );
    teacher(&mut class, TeacherAction::Ask { section: 0, questions: vec![0, 1] }, now);
    let ask = live_ask(&mut ana);
    let question = &course.sections[0].questions[0];
    answer(&mut class, &ana, ask, right(question), now);
    leave(&mut class, &ana, now);
    assert!(!view.borrow().roster[0].connected);
    // A look-alike name (Cyrillic а) neither joins beside Ana nor takes her answers.
    assert_eq!(join(&mut class, "\u{430}na", now).err(), Some(Refused::LooksLike("Ana".into())));
    // Nor does her own name without her words.
    assert!(matches!(join(&mut class, "ana", now), Err(Refused::NeedsWords { .. })));

    let back = rejoin(&mut class, &ana, "ANA", now).unwrap();
    assert!(back.joined.rejoined);
    assert_eq!(back.id, ana.id);
    assert_eq!(back.joined.name, "Ana");
    assert_eq!(back.joined.resume, Some(status));
    assert_eq!(back.joined.answers.len(), 1);
    assert_eq!(back.joined.answers[0].response, right(question));
    let live = back.joined.live.clone().expect("the open question");
    assert_eq!((live.ask, live.answered), (ask, Some(right(question))));
    assert!(view.borrow().roster[0].connected);
    assert_eq!(view.borrow().roster.len(), 1, "a rejoin is not a new student");
    teacher(&mut class, TeacherAction::Reveal, now);
    assert_eq!(view.borrow().roster[0].points, 1.0, "the points from before the drop");
}

#[test]
fn lock_kick_and_rename() {
    let (mut class, view) = Class::new(course(), ClassOptions::default(), None, Instant::now());
    let now = Instant::now();
    let ana = join(&mut class, "Ana", now).unwrap();
    let mut ben = join(&mut class, "Ben", now).unwrap();
    teacher(&mut class, TeacherAction::Lock(true), now);
    assert_eq!(join(&mut class, "Cleo", now).err(), Some(Refused::Locked));
    leave(&mut class, &ana, now);
    assert!(rejoin(&mut class, &ana, "Ana", now).is_ok(), "a rejoin gets in a locked room");
    teacher(&mut class, TeacherAction::Lock(false), now);
    assert!(join(&mut class, "Cleo", now).is_ok());

    teacher(&mut class, TeacherAction::Rename(ben.id, "Ana".into()), now);
    assert!(view.borrow().notice.as_deref().unwrap().contains("taken"));
    teacher(&mut class, TeacherAction::Rename(ben.id, "Benedict\u{1b}[2J".into()), now);
    assert_eq!(drain(&mut ben), vec![ToStudent::Renamed("Benedict[2J".into())]);

    teacher(&mut class, TeacherAction::Kick(ben.id), now);
    assert_eq!(drain(&mut ben), vec![ToStudent::Kicked]);
    assert!(ben.events.try_recv().is_err(), "the queue is closed, so the session ends");
    let row = view.borrow().roster.iter().find(|s| s.id == ben.id).cloned().unwrap();
    assert!(row.kicked && !row.connected, "the kicked row stays, marked, to be let back in");
    assert_eq!(join(&mut class, "Benedict[2J", now).err(), Some(Refused::Kicked));
    teacher(&mut class, TeacherAction::LetBackIn(ben.id), now);
    let back = rejoin(&mut class, &ben, "Benedict[2J", now).unwrap();
    assert_eq!(back.id, ben.id, "let back in, the name joins again as the same student");
    assert!(!view.borrow().roster.iter().any(|s| s.kicked));
}

#[test]
fn ending_the_class_tells_everyone_closes_their_queues_and_refuses_joins() {
    let course = course();
    let (mut class, view) =
        Class::new(course.clone(), ClassOptions::default(), None, Instant::now());
    let now = Instant::now();
    let mut pupils: Vec<Pupil> =
        ["Ana", "Ben", "Cleo"].iter().map(|n| join(&mut class, n, now).unwrap()).collect();
    teacher(&mut class, TeacherAction::Ask { section: 1, questions: vec![0] }, now);
    let ask = live_ask(&mut pupils[0]);
    answer(&mut class, &pupils[0], ask, right(&course.sections[1].questions[0]), now);
    teacher(&mut class, TeacherAction::End, now);
    for pupil in &mut pupils {
        let events = drain(pupil);
        assert_eq!(events.last(), Some(&ToStudent::Ended));
        assert!(matches!(pupil.events.try_recv(), Err(mpsc::error::TryRecvError::Disconnected)));
    }
    let view = view.borrow().clone();
    assert!(view.ended);
    assert!(view.roster.iter().all(|s| !s.connected));
    let summary = view.summary.expect("the open question is summed up");
    assert_eq!(summary.questions[0].share_right, Some(1.0));
    assert_eq!(join(&mut class, "Dan", now).err(), Some(Refused::Ended));
}

#[test]
fn follow_sends_the_teachers_place_and_a_joiner_starts_there() {
    let (mut class, _view) = Class::new(course(), ClassOptions::default(), None, Instant::now());
    let now = Instant::now();
    let mut ana = join(&mut class, "Ana", now).unwrap();
    let here = Place { section: 2, block: Some(3) };
    teacher(&mut class, TeacherAction::At(here), now);
    assert!(drain(&mut ana).is_empty(), "nothing moves while follow is off");
    teacher(&mut class, TeacherAction::Follow(true), now);
    assert_eq!(drain(&mut ana), vec![ToStudent::Follow(Some(here))]);
    let next = Place { section: 2, block: Some(4) };
    teacher(&mut class, TeacherAction::At(next), now);
    assert_eq!(drain(&mut ana), vec![ToStudent::Follow(Some(next))]);
    let ben = join(&mut class, "Ben", now).unwrap();
    assert_eq!(ben.joined.follow, Some(next));
    teacher(&mut class, TeacherAction::Follow(false), now);
    assert_eq!(drain(&mut ana), vec![ToStudent::Follow(None)]);
    teacher(&mut class, TeacherAction::At(Place { section: 99, block: None }), now);
    assert!(drain(&mut ana).is_empty(), "a place outside the course is ignored");
}

#[test]
fn the_countdown_ticks_each_second_then_closes_the_question() {
    let course = course();
    let options = ClassOptions { timer: Some(3), ..ClassOptions::default() };
    let start = Instant::now();
    let (mut class, view) = Class::new(course.clone(), options, None, start);
    let mut ana = join(&mut class, "Ana", start).unwrap();
    let ben = join(&mut class, "Ben", start).unwrap();
    teacher(&mut class, TeacherAction::Ask { section: 0, questions: vec![0] }, start);
    let live = drain(&mut ana)
        .into_iter()
        .find_map(|e| match e {
            ToStudent::Question(l) => Some(l),
            _ => None,
        })
        .unwrap();
    assert_eq!(live.seconds_left, Some(3));
    assert_eq!(class.next_wake(), Some(start + Duration::from_secs(1)));
    class.tick(start + Duration::from_millis(1500));
    assert_eq!(drain(&mut ana), vec![ToStudent::Countdown { ask: live.ask, seconds_left: 2 }]);
    assert_eq!(view.borrow().live.as_ref().unwrap().seconds_left, Some(2));
    class.tick(start + Duration::from_secs(3));
    assert_eq!(drain(&mut ana), vec![ToStudent::Closed { ask: live.ask }]);
    assert_eq!(class.next_wake(), None);
    answer(
        &mut class,
        &ben,
        live.ask,
        right(&course.sections[0].questions[0]),
        start + Duration::from_secs(4),
    );
    assert_eq!(view.borrow().live.as_ref().unwrap().answered, 0, "too late");
}

#[test]
fn partial_credit_counts_and_speed_points_and_ranks_only_when_asked_for() {
    let course = course();
    // A multiple-choice question: one right pick of two right options is partly right.
    let (section, q) = course
        .sections
        .iter()
        .enumerate()
        .find_map(|(s, sec)| {
            sec.questions.iter().position(|q| {
                matches!(&q.answer, Answer::Choice { multiple: true, options } if options.iter().filter(|o| o.correct).count() >= 2)
            }).map(|q| (s, q))
        })
        .expect("the course has a multiple-choice question with two right options");
    let question = &course.sections[section].questions[q];
    let Answer::Choice { options, .. } = &question.answer else { unreachable!() };
    let one_right = options.iter().position(|o| o.correct).unwrap();
    let scoring = Scoring { speed_points: true, leaderboard: Leaderboard::Anonymous };
    let start = Instant::now();
    let (mut class, view) =
        Class::new(course.clone(), ClassOptions { timer: Some(20), scoring }, None, start);
    let mut pupils: Vec<Pupil> =
        ["Ana", "Ben", "Cleo"].iter().map(|n| join(&mut class, n, start).unwrap()).collect();
    teacher(&mut class, TeacherAction::Ask { section, questions: vec![q] }, start);
    let ask = live_ask(&mut pupils[0]);
    answer(&mut class, &pupils[0], ask, right(question), start + Duration::from_secs(10));
    answer(&mut class, &pupils[1], ask, right(question), start + Duration::from_secs(2));
    answer(&mut class, &pupils[2], ask, Response::Choice(vec![one_right]), start);
    teacher(&mut class, TeacherAction::Reveal, start + Duration::from_secs(11));
    let tally = view.borrow().live.clone().unwrap().tally.unwrap();
    assert_eq!((tally.right, tally.partly, tally.wrong), (2, 1, 0));
    teacher(&mut class, TeacherAction::Next, start + Duration::from_secs(12));
    let summary = view.borrow().summary.clone().unwrap();
    assert_eq!(summary.leaderboard, Leaderboard::Anonymous);
    let order: Vec<&str> = summary.students.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(order, ["Ben", "Ana", "Cleo"], "right first, faster before slower");
    let cleo = summary.students.iter().find(|s| s.name == "Cleo").unwrap();
    assert!(cleo.points > 0.0 && cleo.points < 1.0, "partial credit: {}", cleo.points);
    let ben = summary.students.iter().find(|s| s.name == "Ben").unwrap();
    let ana = summary.students.iter().find(|s| s.name == "Ana").unwrap();
    assert!(ben.speed > ana.speed);
    let over = drain(&mut pupils[1]).into_iter().find_map(|e| match e {
        ToStudent::QuizOver(s) => Some(s),
        _ => None,
    });
    assert_eq!(over.unwrap().rank, Some(1));
}

#[test]
fn speed_points_fall_from_full_to_half_over_the_window_and_follow_partial_credit() {
    let window = Duration::from_secs(20);
    assert_eq!(speed_points(1.0, Duration::ZERO, window), 1000);
    assert_eq!(speed_points(1.0, Duration::from_secs(10), window), 750);
    assert_eq!(speed_points(1.0, Duration::from_secs(20), window), 500);
    assert_eq!(speed_points(1.0, Duration::from_secs(90), window), 500);
    assert_eq!(speed_points(0.5, Duration::ZERO, window), 500);
    assert_eq!(speed_points(0.0, Duration::ZERO, window), 0);
}

#[test]
fn a_student_whose_queue_stays_full_is_let_go_and_the_others_are_not() {
    let (mut class, view) = Class::new(course(), ClassOptions::default(), None, Instant::now());
    let now = Instant::now();
    let (tx, stuck) = mpsc::channel(1);
    let (reply, _answer) = oneshot::channel();
    class.handle(
        ToClass::Join { name: "Stuck".into(), claim: Claim::Nothing, events: tx, reply },
        now,
    );
    let mut ana = join(&mut class, "Ana", now).unwrap();
    teacher(&mut class, TeacherAction::Follow(true), now);
    for block in 0..5 {
        teacher(&mut class, TeacherAction::At(Place { section: 1, block: Some(block) }), now);
    }
    assert_eq!(drain(&mut ana).len(), 6, "the healthy student got every move");
    let roster = view.borrow().roster.clone();
    assert!(!roster.iter().find(|s| s.name == "Stuck").unwrap().connected);
    drop(stuck);
}

#[test]
fn a_dropped_student_takes_their_place_back_at_once_with_their_words() {
    let course = course();
    let (mut class, view) =
        Class::new(course.clone(), ClassOptions::default(), None, Instant::now());
    let now = Instant::now();
    let mut ana = join(&mut class, "Ana", now).unwrap();
    let words = ana.joined.words.clone().expect("words at the first join");
    assert_eq!(words.split(' ').count(), 4, "{words}");
    teacher(&mut class, TeacherAction::Ask { section: 0, questions: vec![0] }, now);
    let ask = live_ask(&mut ana);
    answer(&mut class, &ana, ask, right(&course.sections[0].questions[0]), now);
    // Her Wi-Fi drops: no goodbye, so her old session still holds the place.
    assert!(view.borrow().roster[0].connected);
    let mut back = rejoin(&mut class, &ana, "ana", now).unwrap();
    assert_eq!(back.id, ana.id);
    assert!(back.joined.rejoined);
    assert_eq!(back.joined.words, None, "the same words go on working: nothing new to show");
    assert_eq!(back.joined.answers.len(), 1, "her answer is back");
    assert!(drain(&mut ana).contains(&ToStudent::TakenOver), "the stale session is closed");
    // The old session's goodbye, when it comes, does not disconnect the new one, and what it
    // still sends is not counted.
    leave(&mut class, &ana, now);
    assert!(view.borrow().roster[0].connected, "the new session stays");
    teacher(&mut class, TeacherAction::Follow(true), now);
    assert!(drain(&mut back).iter().any(|e| matches!(e, ToStudent::Follow(Some(_)))));
    // And the words still work after that.
    leave(&mut class, &back, now);
    assert!(rejoin(&mut class, &ana, "ana", now).is_ok());
}

#[test]
fn wrong_words_are_refused_a_few_times_then_only_the_teacher_can_let_the_name_in() {
    let (mut class, view) = Class::new(course(), ClassOptions::default(), None, Instant::now());
    let now = Instant::now();
    let ana = join(&mut class, "Ana", now).unwrap();
    for left in (0..5).rev() {
        let refused =
            join_claiming(&mut class, "ana", Claim::Words("apple apple apple apple".into()), now);
        assert_eq!(refused.err(), Some(Refused::NeedsWords { tries_left: left, wrong: true }));
    }
    // Now even the right words are refused: guessing is over for this name.
    assert!(matches!(
        rejoin(&mut class, &ana, "ana", now),
        Err(Refused::NeedsWords { tries_left: 0, .. })
    ));
    assert!(view.borrow().roster[0].connected, "ana herself was never disturbed");
    assert_eq!(view.borrow().roster.len(), 1);
    // The teacher lets the real ana in: new words, and they work from then on.
    let (mut asked, _events) = ask_teacher(&mut class, "ana", now);
    teacher(&mut class, TeacherAction::LetRejoin(ana.id), now);
    let joined = asked.try_recv().unwrap().expect("let in");
    let session = joined.session;
    let words = joined.words.expect("new words");
    class.handle(ToClass::Left { id: ana.id, session }, now);
    assert!(join_claiming(&mut class, "ana", Claim::Words(words), now).is_ok());
}

#[test]
fn without_words_the_teacher_lets_a_student_in_or_turns_them_away_from_the_roster() {
    let course = course();
    let (mut class, view) =
        Class::new(course.clone(), ClassOptions::default(), None, Instant::now());
    let now = Instant::now();
    let mut ana = join(&mut class, "Ana", now).unwrap();
    teacher(&mut class, TeacherAction::Ask { section: 0, questions: vec![0] }, now);
    let ask = live_ask(&mut ana);
    answer(&mut class, &ana, ask, right(&course.sections[0].questions[0]), now);

    // Someone asks for Ana's place without words: they wait, and the roster says so.
    let (mut asked, _asker_events) = ask_teacher(&mut class, "ana", now);
    assert!(asked.try_recv().is_err(), "no answer before the teacher decides");
    assert!(view.borrow().roster[0].asks_to_rejoin);
    teacher(&mut class, TeacherAction::TurnAway(ana.id), now);
    assert_eq!(asked.try_recv().unwrap().err(), Some(Refused::TurnedAway));
    assert!(!view.borrow().roster[0].asks_to_rejoin);
    assert!(!drain(&mut ana).contains(&ToStudent::TakenOver), "ana keeps her place");

    // Ana herself, on a new laptop without her words: the teacher lets her in.
    let (mut asked, _new_events) = ask_teacher(&mut class, "Ana", now);
    teacher(&mut class, TeacherAction::LetRejoin(ana.id), now);
    let joined = asked.try_recv().unwrap().expect("let in");
    assert_eq!(joined.id, ana.id);
    assert_eq!(joined.answers.len(), 1, "her answer comes with her place");
    let new_words = joined.words.clone().expect("new words, shown to her");
    assert_ne!(Some(new_words), ana.joined.words, "the old words no longer give the place");
    assert!(drain(&mut ana).contains(&ToStudent::TakenOver));
}

#[test]
fn a_join_that_stops_waiting_for_the_teacher_leaves_the_roster_as_it_was() {
    let (mut class, view) = Class::new(course(), ClassOptions::default(), None, Instant::now());
    let now = Instant::now();
    let ana = join(&mut class, "Ana", now).unwrap();
    let (asked, _events) = ask_teacher(&mut class, "ana", now);
    assert!(view.borrow().roster[0].asks_to_rejoin);
    drop(asked);
    teacher(&mut class, TeacherAction::Follow(true), now);
    assert!(!view.borrow().roster[0].asks_to_rejoin);
    teacher(&mut class, TeacherAction::LetRejoin(ana.id), now);
    assert!(view.borrow().roster[0].connected, "nobody took ana's place");
}

#[test]
fn a_class_carried_on_after_a_crash_gives_each_student_their_answers_back_for_their_words() {
    use crate::class::results::resume::{Restored, RestoredAnswer, RestoredStudent};
    let course = course();
    let question = &course.sections[1].questions[0];
    let restored = Restored {
        students: vec![
            RestoredStudent { id: StudentId(0), name: "Ana".into(), words: Some("a b c d".into()) },
            // A gap in the numbers (the store is input like any other).
            RestoredStudent { id: StudentId(5), name: "Ben".into(), words: None },
        ],
        last_ask: 4,
        answers: vec![RestoredAnswer {
            ask: AskId(4),
            student: StudentId(0),
            section: 1,
            question: 0,
            response: right(question),
            points: 1.0,
            speed: 0,
        }],
    };
    let (mut class, view) =
        Class::new(course.clone(), ClassOptions::default(), None, Instant::now());
    class.restore(&restored);
    let now = Instant::now();
    let roster = view.borrow().roster.clone();
    assert!(roster.is_empty() || roster.iter().all(|s| !s.connected));
    let ana = join_claiming(&mut class, "ana", Claim::Words("A B C D".into()), now).unwrap();
    assert!(ana.joined.rejoined);
    assert_eq!(ana.id, StudentId(0));
    assert_eq!(ana.joined.answers.len(), 1);
    assert_eq!(view.borrow().roster.len(), 2, "both students are on the roster");
    assert!(!view.borrow().roster[1].connected, "ben has not come back yet");
    assert!(matches!(join(&mut class, "ben", now), Err(Refused::NeedsWords { .. })));
    let carl = join(&mut class, "Carl", now).unwrap();
    assert_eq!(carl.id, StudentId(6), "a new student gets a number nobody has");
    let mut ana = ana;
    teacher(&mut class, TeacherAction::Ask { section: 0, questions: vec![0] }, now);
    assert!(live_ask(&mut ana) > AskId(4), "new askings are numbered after the old ones");
}
