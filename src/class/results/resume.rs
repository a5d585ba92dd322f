//! Carrying on a class whose server stopped before the class ended (a crash, a kill, a power
//! cut): the newest unfinished class of the course, what the teacher is asked about it, and
//! the class as the database holds it, so that the class task starts again where it was:
//! every student on the roster (disconnected, with their answers and rejoin words), the ask
//! numbers going on from the last one. The database is read like any other input: a row that
//! does not make sense (a response that does not parse, a question no longer in the course) is
//! left in the database and not brought back, never a panic.

use rusqlite::{Connection, params};
use serde_json::Value;

use super::super::protocol::{AskId, StudentId};
use super::{local_time, open};
use crate::course::Course;
use crate::quiz::Response;
use std::path::Path;

/// A class of this course that never ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Unfinished {
    pub id: i64,
    pub started_ms: i64,
    pub students: i64,
    pub asked: i64,
    pub answers: i64,
}

impl Unfinished {
    /// "Class 7, started 2026-12-04 13:45:02 +01:00, did not end: its server stopped." and,
    /// on a line of its own, "It has 23 students, 6 questions asked and 120 answers." (each
    /// fits an 80-column terminal).
    pub fn describe(&self, zone: &jiff::tz::TimeZone) -> String {
        let count =
            |n: i64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "Class {}, started {}, did not end: its server stopped.\nIt has {}, {} and {}.",
            self.id,
            local_time(self.started_ms, zone),
            count(self.students, "student", "students"),
            count(self.asked, "question asked", "questions asked"),
            count(self.answers, "answer", "answers"),
        )
    }
}

/// A class as the database holds it, in the course's terms.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Restored {
    /// Every student, in the order they first joined, with their current name and words.
    pub students: Vec<RestoredStudent>,
    /// The highest ask number used.
    pub last_ask: u32,
    /// Every recorded answer whose question is still in the course.
    pub answers: Vec<RestoredAnswer>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RestoredStudent {
    pub id: StudentId,
    pub name: String,
    pub words: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RestoredAnswer {
    pub ask: AskId,
    pub student: StudentId,
    pub section: usize,
    pub question: usize,
    pub response: Response,
    pub points: f64,
    pub speed: u32,
}

/// Held while a server runs a class (a lock file beside the database, `class-N.lock`): a class
/// whose lock is held is running in another `stemcell serve`, not unfinished. A crash lets the
/// lock go with the process.
#[derive(Debug)]
pub struct Running {
    lock: std::fs::File,
    path: std::path::PathBuf,
}

impl Drop for Running {
    fn drop(&mut self) {
        // Removed while still held, so that no other server takes a lock that is going.
        let _ = std::fs::remove_file(&self.path);
        let _ = self.lock.unlock();
    }
}

fn lock_path(database: &Path, class: i64) -> std::path::PathBuf {
    database.with_file_name(format!("class-{class}.lock"))
}

/// Opens a class's lock file: never through a link, never waiting on a pipe, owner-only.
fn open_lock(path: &Path, create: bool) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create(create)
        .truncate(false)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other(format!("{} is not a regular file", path.display())));
    }
    Ok(file)
}

/// Marks class `class` as running in this process, until the guard is dropped.
pub fn hold(database: &Path, class: i64) -> Result<Running, String> {
    let path = lock_path(database, class);
    let lock = open_lock(&path, true).map_err(|e| format!("{}: {e}", path.display()))?;
    match lock.try_lock() {
        Ok(()) => Ok(Running { lock, path }),
        Err(std::fs::TryLockError::WouldBlock) => {
            Err(format!("class {class} is running in another `stemcell serve`"))
        }
        Err(std::fs::TryLockError::Error(e)) => Err(format!("{}: {e}", path.display())),
    }
}

/// Whether another process holds the class's lock now.
fn running_elsewhere(database: &Path, class: i64) -> bool {
    let Ok(lock) = open_lock(&lock_path(database, class), false) else { return false };
    matches!(lock.try_lock(), Err(std::fs::TryLockError::WouldBlock))
}

/// The newest class of `course` that never ended and whose server is gone (one running in
/// another `stemcell serve` on this machine is left alone), if the database exists and holds
/// one. The database is not created for this.
pub fn unfinished(path: &Path, course: &Course) -> Result<Option<Unfinished>, String> {
    if std::fs::symlink_metadata(path).is_err() {
        return Ok(None);
    }
    let conn = open(path)?;
    let at = |e: rusqlite::Error| format!("{}: {e}", path.display());
    let mut query = conn
        .prepare(
            "SELECT id, started_ms,
                (SELECT COUNT(*) FROM students s WHERE s.class = c.id),
                (SELECT COUNT(*) FROM questions q WHERE q.class = c.id),
                (SELECT COUNT(*) FROM answers a WHERE a.class = c.id)
             FROM classes c WHERE ended_ms IS NULL AND course_id = ?1 ORDER BY id DESC",
        )
        .map_err(at)?;
    let classes = query
        .query_map([&course.id], |r| {
            Ok(Unfinished {
                id: r.get(0)?,
                started_ms: r.get(1)?,
                students: r.get(2)?,
                asked: r.get(3)?,
                answers: r.get(4)?,
            })
        })
        .map_err(at)?;
    for class in classes {
        let class = class.map_err(at)?;
        if !running_elsewhere(path, class.id) {
            return Ok(Some(class));
        }
    }
    Ok(None)
}

/// Marks a class the teacher chose not to carry on as ended, at its last recorded moment, so
/// it is not offered again.
pub fn close(path: &Path, class: i64) -> Result<(), String> {
    let conn = open(path)?;
    conn.execute(
        "UPDATE classes SET ended_ms = MAX(started_ms,
            COALESCE((SELECT MAX(answered_ms) FROM answers WHERE class = ?1), 0),
            COALESCE((SELECT MAX(asked_ms) FROM questions WHERE class = ?1), 0),
            COALESCE((SELECT MAX(at_ms) FROM presence WHERE class = ?1), 0))
         WHERE id = ?1 AND ended_ms IS NULL",
        [class],
    )
    .map_err(|e| format!("{}: {e}", path.display()))?;
    // The lock a crashed server left behind (nothing holds it: the class was offered).
    let _ = std::fs::remove_file(lock_path(path, class));
    Ok(())
}

/// Reads the class back. Students come with the name they had last (a rename is kept); an
/// answer to a question the course no longer has is not restored (the course changed since),
/// and a response that does not parse is skipped.
pub fn restore(conn: &Connection, class: i64, course: &Course) -> rusqlite::Result<Restored> {
    let mut restored = Restored::default();
    let mut students = conn
        .prepare("SELECT student, name, words FROM students WHERE class = ?1 ORDER BY student")?;
    let rows = students.query_map([class], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?))
    })?;
    for row in rows {
        let (id, name, words) = row?;
        let Ok(id) = u32::try_from(id) else { continue };
        let name: String =
            name.chars().filter(|c| !c.is_control()).take(super::super::NAME_MAX).collect();
        let words = words.filter(|w| !w.trim().is_empty());
        restored.students.push(RestoredStudent { id: StudentId(id), name, words });
    }
    let last: Option<i64> =
        conn.query_row("SELECT MAX(ask) FROM questions WHERE class = ?1", [class], |r| r.get(0))?;
    restored.last_ask = last.and_then(|a| u32::try_from(a).ok()).unwrap_or(0);
    let mut answers = conn.prepare(
        "SELECT a.ask, a.student, a.response, a.points, a.speed, q.section_id, q.question_id
         FROM answers a JOIN questions q ON q.class = a.class AND q.ask = a.ask
         WHERE a.class = ?1 ORDER BY a.seq",
    )?;
    let rows = answers.query_map(params![class], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, f64>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    for row in rows {
        let (ask, student, response, points, speed, section_id, question_id) = row?;
        let place = course.sections.iter().enumerate().find_map(|(s, section)| {
            (section.id == section_id)
                .then(|| section.questions.iter().position(|q| q.id == question_id))
                .flatten()
                .map(|q| (s, q))
        });
        let parsed = serde_json::from_str::<Value>(&response).ok().and_then(|v| parse_response(&v));
        let (Some((section, question)), Some(response), Ok(ask), Ok(student)) =
            (place, parsed, u32::try_from(ask), u32::try_from(student))
        else {
            continue;
        };
        restored.answers.push(RestoredAnswer {
            ask: AskId(ask),
            student: StudentId(student),
            section,
            question,
            response,
            points: if points.is_finite() { points.clamp(0.0, 1.0) } else { 0.0 },
            speed: u32::try_from(speed).unwrap_or(0),
        });
    }
    Ok(restored)
}

/// A response as `response_json` wrote it.
fn parse_response(value: &Value) -> Option<Response> {
    let indices = |v: &Value| -> Option<Vec<usize>> {
        v.as_array()?.iter().map(|i| i.as_u64().and_then(|i| usize::try_from(i).ok())).collect()
    };
    if let Some(chosen) = value.get("choice") {
        return indices(chosen).map(Response::Choice);
    }
    if let Some(said) = value.get("true_false") {
        return said.as_bool().map(Response::TrueFalse);
    }
    if let Some(steps) = value.get("order") {
        return indices(steps).map(Response::Order);
    }
    if let Some(pairs) = value.get("match") {
        let pairs: Option<Vec<Option<usize>>> = pairs
            .as_array()?
            .iter()
            .map(|p| match p {
                Value::Null => Some(None),
                p => p.as_u64().and_then(|i| usize::try_from(i).ok()).map(Some),
            })
            .collect();
        return pairs.map(Response::Match);
    }
    value.get("fill").and_then(Value::as_str).map(|t| Response::Fill(t.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::class::results::{Record, start, start_resumed};
    use crate::content::{self, load::PackSource};
    use crate::course::Answer;

    fn temp_db(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("stemcell-resume-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir.join(super::super::FILE_NAME)
    }

    fn right(course: &Course, section: usize, question: usize) -> Response {
        match &course.sections[section].questions[question].answer {
            Answer::Choice { options, .. } => {
                Response::Choice((0..options.len()).filter(|&i| options[i].correct).collect())
            }
            Answer::TrueFalse(t) => Response::TrueFalse(*t),
            Answer::Order(steps) => Response::Order((0..steps.len()).collect()),
            Answer::Match(pairs) => Response::Match((0..pairs.len()).map(Some).collect()),
            Answer::Fill(accepted) => Response::Fill(accepted[0].clone()),
        }
    }

    /// A class with two students and one answer each to two askings, whose server "crashed"
    /// (no End record).
    fn crashed_class(path: &Path, course: &Course) -> i64 {
        let (writer, class, thread) = start(path, course).unwrap();
        writer.send(Record::Student { id: StudentId(0), name: "Ana".into() });
        writer.send(Record::Words { id: StudentId(0), words: "river apple seven cloud".into() });
        writer.send(Record::Student { id: StudentId(1), name: "Ben".into() });
        writer.send(Record::Rename { id: StudentId(1), name: "Benedict".into() });
        for (ask, question) in [(1, 0), (2, 2)] {
            let q = course.sections[1].questions[question].clone();
            writer.send(Record::Ask { ask: AskId(ask), section: 1, question: q });
            for student in [0, 1] {
                writer.send(Record::Answer {
                    ask: AskId(ask),
                    student: StudentId(student),
                    response: right(course, 1, question),
                    points: 1.0,
                    speed: 0,
                });
            }
        }
        drop(writer);
        thread.join().unwrap();
        class
    }

    #[test]
    fn a_class_that_never_ended_is_offered_with_its_counts_and_read_back_whole() {
        let course = content::load(&PackSource::BuiltIn).unwrap().course;
        let path = temp_db("offer");
        assert_eq!(unfinished(&path, &course).unwrap(), None, "no database: nothing offered");
        assert!(std::fs::symlink_metadata(&path).is_err(), "and none is made for asking");
        let class = crashed_class(&path, &course);
        let found = unfinished(&path, &course).unwrap().expect("offered");
        assert_eq!((found.id, found.students, found.asked, found.answers), (class, 2, 2, 4));
        let zone = jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(1));
        let said = found.describe(&zone);
        assert!(said.starts_with(&format!("Class {class}, started ")), "{said}");
        assert!(said.contains("+01:00, did not end"), "{said}");
        assert!(said.ends_with("\nIt has 2 students, 2 questions asked and 4 answers."), "{said}");
        assert!(said.lines().all(|line| line.chars().count() <= 80), "{said}");

        let (writer, thread, restored) = start_resumed(&path, &course, class).unwrap();
        assert_eq!(restored.students.len(), 2);
        assert_eq!(restored.students[0].words.as_deref(), Some("river apple seven cloud"));
        assert_eq!(restored.students[1].name, "Benedict", "the name after the rename");
        assert_eq!(restored.students[1].words, None);
        assert_eq!(restored.last_ask, 2);
        assert_eq!(restored.answers.len(), 4);
        assert_eq!(restored.answers[3].response, right(&course, 1, 2));
        assert_eq!((restored.answers[3].section, restored.answers[3].question), (1, 2));
        // The class goes on under its number, and ends there.
        writer.send(Record::End);
        drop(writer);
        thread.join().unwrap();
        assert_eq!(unfinished(&path, &course).unwrap(), None, "an ended class is not offered");
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
    }

    #[test]
    fn a_class_running_in_another_serve_is_not_offered_and_cannot_be_taken_twice() {
        let course = content::load(&PackSource::BuiltIn).unwrap().course;
        let path = temp_db("running");
        let class = crashed_class(&path, &course);
        let running = hold(&path, class).expect("the lock");
        assert_eq!(unfinished(&path, &course).unwrap(), None, "running, not unfinished");
        let again = hold(&path, class).unwrap_err();
        assert!(again.contains("running in another `stemcell serve`"), "{again}");
        drop(running);
        assert!(!lock_path(&path, class).exists(), "the lock file goes with the class");
        assert_eq!(unfinished(&path, &course).unwrap().map(|u| u.id), Some(class));
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
    }

    #[test]
    fn another_courses_class_a_closed_one_and_answers_to_questions_gone_are_not_brought_back() {
        let course = content::load(&PackSource::BuiltIn).unwrap().course;
        let path = temp_db("others");
        let class = crashed_class(&path, &course);
        let mut other = course.clone();
        other.id = "another-course".into();
        assert_eq!(unfinished(&path, &other).unwrap(), None, "another course's class");
        // The course changed since: the second question asked is no longer in it.
        let mut changed = course.clone();
        changed.sections[1].questions.remove(2);
        let conn = open(&path).unwrap();
        let restored = restore(&conn, class, &changed).unwrap();
        assert_eq!(restored.answers.len(), 2, "only the answers to the question still there");
        // A response the database garbled is skipped, not a panic.
        conn.execute("UPDATE answers SET response = '{\"choice\": \"x\"}' WHERE student = 0", [])
            .unwrap();
        assert_eq!(restore(&conn, class, &course).unwrap().answers.len(), 2);
        std::fs::write(lock_path(&path, class), "").unwrap();
        close(&path, class).unwrap();
        assert_eq!(unfinished(&path, &course).unwrap(), None, "closed: not offered again");
        assert!(!lock_path(&path, class).exists(), "the crashed server's lock file is gone");
        assert!(start_resumed(&path, &course, class).is_err(), "nor carried on");
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
    }
}
