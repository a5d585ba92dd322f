//! The class results store: an `SQLite` database in the state folder (`classes.sqlite3`), written
//! by one thread that the class task feeds with messages, and read by `stemcell results`.
//!
//! Why this shape: `SQLite` in WAL mode lets `stemcell results` read while a class is running;
//! one writer means no lock contention and no session ever waits on the disk; answers are an
//! append-only log (a rejoin or a rename never rewrites one), and each question is stored as
//! it was asked (a snapshot), so results stay readable after the pack changes. Each batch of
//! messages is one transaction, committed as soon as the queue is empty: a crash or a kill
//! loses at most the answers not yet committed, never the file.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};

use super::protocol::{AskId, StudentId};
use crate::course::{Answer, Course, Question};
use crate::quiz::Response;

/// The database's file name in the state folder.
pub const FILE_NAME: &str = "classes.sqlite3";

pub mod resume;

/// The schema's version, kept in `PRAGMA user_version`. 2: students' rejoin words.
const SCHEMA_VERSION: i64 = 2;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS classes (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    course_id TEXT NOT NULL,
    course_title TEXT NOT NULL,
    started_ms INTEGER NOT NULL,
    ended_ms INTEGER
);
CREATE TABLE IF NOT EXISTS students (
    class INTEGER NOT NULL REFERENCES classes(id),
    student INTEGER NOT NULL,
    name TEXT NOT NULL,
    joined_ms INTEGER NOT NULL,
    words TEXT,
    PRIMARY KEY (class, student)
);
CREATE TABLE IF NOT EXISTS questions (
    class INTEGER NOT NULL REFERENCES classes(id),
    ask INTEGER NOT NULL,
    section_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    prompt TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    asked_ms INTEGER NOT NULL,
    PRIMARY KEY (class, ask)
);
CREATE TABLE IF NOT EXISTS answers (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    class INTEGER NOT NULL REFERENCES classes(id),
    ask INTEGER NOT NULL,
    student INTEGER NOT NULL,
    response TEXT NOT NULL,
    points REAL NOT NULL,
    speed INTEGER NOT NULL,
    answered_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS answers_by_class ON answers (class, student, ask);
CREATE TABLE IF NOT EXISTS presence (
    class INTEGER NOT NULL REFERENCES classes(id),
    student INTEGER NOT NULL,
    present INTEGER NOT NULL,
    at_ms INTEGER NOT NULL
);
";

/// What the class task sends the writer.
#[derive(Debug, Clone)]
pub enum Record {
    Student {
        id: StudentId,
        name: String,
    },
    Rename {
        id: StudentId,
        name: String,
    },
    /// A student's rejoin words (kept so that a class carried on after a crash knows them).
    Words {
        id: StudentId,
        words: String,
    },
    /// A student came in (a first join or a rejoin) or went away: the gradebook's joined and
    /// left columns.
    Presence {
        id: StudentId,
        present: bool,
    },
    /// A question put to the class (stored with its text and answer as they are now).
    Ask {
        ask: AskId,
        section: usize,
        question: Question,
    },
    Answer {
        ask: AskId,
        student: StudentId,
        response: Response,
        points: f64,
        speed: u32,
    },
    End,
    /// The class never started (the server could not listen): forget it if nobody joined.
    Abandon,
}

/// The class task's end of the writer's queue.
#[derive(Debug, Clone)]
pub struct Writer {
    tx: mpsc::Sender<(Record, i64)>,
}

impl Writer {
    /// Queues a record, stamped with the time now. A writer that stopped (its disk failed) is
    /// not the class's problem: the class goes on, and the failure was reported by the thread.
    pub fn send(&self, record: Record) {
        let _ = self.tx.send((record, now_ms()));
    }

    /// No more records: the thread commits what it has and stops.
    pub fn close(self) {}
}

/// The database's path in the state folder (`STEMCELL_STATE_DIR` or the platform's).
pub fn default_path() -> Result<PathBuf, String> {
    let base = if let Some(dir) = std::env::var_os("STEMCELL_STATE_DIR").filter(|v| !v.is_empty()) {
        PathBuf::from(dir)
    } else {
        let dirs = directories::ProjectDirs::from("", "", "stemcell")
            .ok_or("no home folder to keep class results in (set STEMCELL_STATE_DIR)")?;
        dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir()).to_path_buf()
    };
    Ok(base.join(FILE_NAME))
}

/// Opens (or creates) the database, adds a class, and starts the writer thread. Errors here
/// stop `serve` before any student joins. The thread ends when every `Writer` is dropped; join
/// its handle to be sure everything is on disk.
pub fn start(
    path: &Path,
    course: &Course,
) -> Result<(Writer, i64, std::thread::JoinHandle<()>), String> {
    let conn = open(path)?;
    let started = now_ms();
    let name = class_name(started);
    conn.execute(
        "INSERT INTO classes (name, course_id, course_title, started_ms) VALUES (?1, ?2, ?3, ?4)",
        params![name, course.id, course.title, started],
    )
    .map_err(|e| format!("{}: {e}", path.display()))?;
    let class = conn.last_insert_rowid();
    let (writer, thread) = spawn_writer(conn, class, course, path)?;
    Ok((writer, class, thread))
}

/// Opens the database again for class `class`, which never ended (see [`resume::unfinished`]),
/// reads it back, and starts the writer thread for it: the class goes on under its number.
pub fn start_resumed(
    path: &Path,
    course: &Course,
    class: i64,
) -> Result<(Writer, std::thread::JoinHandle<()>, resume::Restored), String> {
    let conn = open(path)?;
    let at = |e: rusqlite::Error| format!("{}: {e}", path.display());
    let unfinished: Option<i64> = conn
        .query_row("SELECT id FROM classes WHERE id = ?1 AND ended_ms IS NULL", [class], |r| {
            r.get(0)
        })
        .optional()
        .map_err(at)?;
    if unfinished.is_none() {
        return Err(format!("{}: class {class} is not an unfinished class", path.display()));
    }
    let restored = resume::restore(&conn, class, course).map_err(at)?;
    let (writer, thread) = spawn_writer(conn, class, course, path)?;
    Ok((writer, thread, restored))
}

/// The thread that writes class `class`'s records.
fn spawn_writer(
    conn: Connection,
    class: i64,
    course: &Course,
    path: &Path,
) -> Result<(Writer, std::thread::JoinHandle<()>), String> {
    let sections: Vec<String> = course.sections.iter().map(|s| s.id.clone()).collect();
    let (tx, rx) = mpsc::channel();
    let shown = path.display().to_string();
    let thread = std::thread::Builder::new()
        .name("results".into())
        .spawn(move || {
            if let Err(e) = write_loop(conn, class, &sections, &rx) {
                // The console owns the terminal: keep the message for after it.
                eprintln!("stemcell: class results could not be saved to {shown}: {e}");
            }
        })
        .map_err(|e| format!("cannot start the results writer: {e}"))?;
    Ok((Writer { tx }, thread))
}

fn open(path: &Path) -> Result<Connection, String> {
    let at = |e: rusqlite::Error| format!("{}: {e}", path.display());
    if let Some(dir) = path.parent() {
        crate::files::state_folder(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    make_private(path)?;
    let flags = rusqlite::OpenFlags::default() | rusqlite::OpenFlags::SQLITE_OPEN_NOFOLLOW;
    let conn = Connection::open_with_flags(path, flags).map_err(at)?;
    conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(at)?;
    conn.pragma_update(None, "journal_mode", "WAL").map_err(at)?;
    conn.pragma_update(None, "foreign_keys", true).map_err(at)?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(at)?;
    if version > SCHEMA_VERSION {
        return Err(format!(
            "{}: written by a newer stemcell (schema {version}); this one reads {SCHEMA_VERSION}",
            path.display()
        ));
    }
    conn.execute_batch(SCHEMA).map_err(at)?;
    // A database from schema 1 has no place for rejoin words yet.
    let has_words: bool = conn
        .query_row(
            "SELECT COUNT(*) FROM pragma_table_info('students') WHERE name = 'words'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map_err(at)?
        > 0;
    if !has_words {
        conn.execute_batch("ALTER TABLE students ADD COLUMN words TEXT").map_err(at)?;
    }
    conn.pragma_update(None, "user_version", SCHEMA_VERSION).map_err(at)?;
    Ok(conn)
}

/// "2026-11-30 13:45" (UTC): a class's name in listings.
fn class_name(ms: i64) -> String {
    format_time(ms)
}

fn write_loop(
    mut conn: Connection,
    class: i64,
    sections: &[String],
    rx: &mpsc::Receiver<(Record, i64)>,
) -> rusqlite::Result<()> {
    // Wait for one record, then take whatever else is queued into the same transaction.
    while let Ok(first) = rx.recv() {
        let tx = conn.transaction()?;
        let mut next = Some(first);
        while let Some((record, at)) = next {
            write(&tx, class, sections, record, at)?;
            next = rx.try_recv().ok();
        }
        tx.commit()?;
    }
    Ok(())
}

fn write(
    conn: &Connection,
    class: i64,
    sections: &[String],
    record: Record,
    at: i64,
) -> rusqlite::Result<()> {
    match record {
        Record::Student { id, name } => {
            conn.execute(
                "INSERT OR REPLACE INTO students (class, student, name, joined_ms) VALUES (?1, ?2, ?3, ?4)",
                params![class, id.0, name, at],
            )?;
        }
        Record::Rename { id, name } => {
            conn.execute(
                "UPDATE students SET name = ?3 WHERE class = ?1 AND student = ?2",
                params![class, id.0, name],
            )?;
        }
        Record::Words { id, words } => {
            conn.execute(
                "UPDATE students SET words = ?3 WHERE class = ?1 AND student = ?2",
                params![class, id.0, words],
            )?;
        }
        Record::Presence { id, present } => {
            conn.execute(
                "INSERT INTO presence (class, student, present, at_ms) VALUES (?1, ?2, ?3, ?4)",
                params![class, id.0, present, at],
            )?;
        }
        Record::Ask { ask, section, question } => {
            let section_id = sections.get(section).map_or("", String::as_str);
            conn.execute(
                "INSERT OR REPLACE INTO questions (class, ask, section_id, question_id, kind, prompt, snapshot, asked_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    class,
                    ask.0,
                    section_id,
                    question.id,
                    question.kind().name(),
                    question.prompt,
                    snapshot(&question).to_string(),
                    at
                ],
            )?;
        }
        Record::Answer { ask, student, response, points, speed } => {
            conn.execute(
                "INSERT INTO answers (class, ask, student, response, points, speed, answered_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    class,
                    ask.0,
                    student.0,
                    response_json(&response).to_string(),
                    points,
                    speed,
                    at
                ],
            )?;
        }
        Record::End => {
            conn.execute("UPDATE classes SET ended_ms = ?2 WHERE id = ?1", params![class, at])?;
        }
        Record::Abandon => {
            conn.execute(
                "DELETE FROM classes WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM students WHERE class = ?1)",
                [class],
            )?;
        }
    }
    Ok(())
}

/// A question as asked: everything needed to read an answer later.
fn snapshot(question: &Question) -> Value {
    let answer = match &question.answer {
        Answer::Choice { options, multiple } => json!({
            "multiple": multiple,
            "options": options.iter().map(|o| json!({"text": o.text, "correct": o.correct})).collect::<Vec<_>>(),
        }),
        Answer::TrueFalse(truth) => json!({ "true_false": truth }),
        Answer::Order(steps) => json!({ "order": steps }),
        Answer::Match(pairs) => json!({ "match": pairs }),
        Answer::Fill(accepted) => json!({ "fill": accepted }),
    };
    json!({
        "id": question.id,
        "prompt": question.prompt,
        "explanation": question.explanation,
        "answer": answer,
    })
}

fn response_json(response: &Response) -> Value {
    match response {
        Response::Choice(chosen) => json!({ "choice": chosen }),
        Response::TrueFalse(said) => json!({ "true_false": said }),
        Response::Order(steps) => json!({ "order": steps }),
        Response::Match(pairs) => json!({ "match": pairs }),
        Response::Fill(text) => json!({ "fill": text }),
    }
}

/// An answer in words, from the stored response and the question's snapshot.
pub(crate) fn answer_text(snapshot: &Value, response: &Value) -> String {
    let answer = &snapshot["answer"];
    let texts = |list: &Value, key: Option<&str>| -> Vec<String> {
        list.as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|item| match key {
                        Some(k) => item[k].as_str().unwrap_or("?").to_owned(),
                        None => item.as_str().unwrap_or("?").to_owned(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let indices = |v: &Value| -> Vec<Option<usize>> {
        v.as_array()
            .map(|a| a.iter().map(|i| i.as_u64().and_then(|i| usize::try_from(i).ok())).collect())
            .unwrap_or_default()
    };
    if let Some(chosen) = response.get("choice") {
        let options = texts(&answer["options"], Some("text"));
        return indices(chosen)
            .into_iter()
            .map(|i| i.and_then(|i| options.get(i).cloned()).unwrap_or_else(|| "?".into()))
            .collect::<Vec<_>>()
            .join("; ");
    }
    if let Some(said) = response.get("true_false").and_then(Value::as_bool) {
        return if said { "true" } else { "false" }.into();
    }
    if let Some(steps) = response.get("order") {
        let names = texts(&answer["order"], None);
        return indices(steps)
            .into_iter()
            .map(|i| i.and_then(|i| names.get(i).cloned()).unwrap_or_else(|| "?".into()))
            .collect::<Vec<_>>()
            .join(" > ");
    }
    if let Some(pairs) = response.get("match") {
        let all: Vec<(String, String)> = answer["match"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|p| {
                        (
                            p[0].as_str().unwrap_or("?").to_owned(),
                            p[1].as_str().unwrap_or("?").to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        return indices(pairs)
            .into_iter()
            .enumerate()
            .map(|(left, right)| {
                let l = all.get(left).map_or("?", |p| p.0.as_str());
                let r = right.and_then(|r| all.get(r)).map_or("-", |p| p.1.as_str());
                format!("{l} = {r}")
            })
            .collect::<Vec<_>>()
            .join("; ");
    }
    response.get("fill").and_then(Value::as_str).unwrap_or("").to_owned()
}

/// One class in the list.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassInfo {
    pub id: i64,
    pub name: String,
    pub course_title: String,
    pub students: i64,
    pub questions: i64,
    pub ended: bool,
}

/// One row of an export: a student's answer to one asking (no answer: `answer` is none).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub student: String,
    pub ask: i64,
    pub section_id: String,
    pub question_id: String,
    pub prompt: String,
    pub answer: Option<String>,
    pub points: f64,
    pub speed: i64,
    pub answered_ms: Option<i64>,
}

/// A student's total.
#[derive(Debug, Clone, PartialEq)]
pub struct Total {
    pub student: String,
    pub answered: i64,
    pub asked: i64,
    pub points: f64,
    pub speed: i64,
}

/// The database and the two files `SQLite` keeps beside it in WAL mode.
fn with_companions(path: &Path) -> [PathBuf; 3] {
    let beside = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    [path.to_owned(), beside("-wal"), beside("-shm")]
}

/// The database holds students' names and answers: it and its `-wal` and `-shm` are
/// owner-only (0600), and none is a link (followed, it would write the class's answers into
/// another file) nor a pipe (opening one hangs). The file is created here, 0600, before
/// `SQLite` opens it (which would make it 0644 under the usual umask: its `-wal` and `-shm`
/// then take the database's mode); files an earlier version made 0644 are tightened.
fn make_private(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::{MetadataExt as _, OpenOptionsExt as _, PermissionsExt as _};
    let refuse = |e: std::io::Error| format!("the class results: {e}");
    for file in with_companions(path) {
        crate::files::refuse_link_or_special(&file).map_err(refuse)?;
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    for file in with_companions(path) {
        if let Ok(meta) = std::fs::symlink_metadata(&file)
            && meta.is_file()
            && meta.uid() == crate::files::our_user_id()
            && meta.mode() & 0o077 != 0
        {
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| format!("{}: {e}", file.display()))?;
        }
    }
    Ok(())
}

/// Reads the database without writing (a class may be running). A link or a pipe there (or
/// at its `-wal` or `-shm`) is refused, not followed nor waited on.
pub fn open_read(path: &Path) -> Result<Connection, String> {
    if std::fs::symlink_metadata(path).is_err() {
        return Err(format!(
            "{}: no class results yet (they are kept once `stemcell serve` has run)",
            path.display()
        ));
    }
    for file in with_companions(path) {
        crate::files::refuse_link_or_special(&file)
            .map_err(|e| format!("the class results: {e}"))?;
    }
    let flags =
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NOFOLLOW;
    Connection::open_with_flags(path, flags)
        .and_then(|c| {
            c.busy_timeout(std::time::Duration::from_secs(5))?;
            Ok(c)
        })
        .map_err(|e| format!("{}: {e}", path.display()))
}

pub fn classes(conn: &Connection) -> rusqlite::Result<Vec<ClassInfo>> {
    let mut stmt = conn.prepare(
        "SELECT c.id, c.name, c.course_title, c.ended_ms IS NOT NULL,
                (SELECT COUNT(*) FROM students s WHERE s.class = c.id),
                (SELECT COUNT(*) FROM questions q WHERE q.class = c.id)
         FROM classes c ORDER BY c.id",
    )?;
    stmt.query_map([], |r| {
        Ok(ClassInfo {
            id: r.get(0)?,
            name: r.get(1)?,
            course_title: r.get(2)?,
            ended: r.get(3)?,
            students: r.get(4)?,
            questions: r.get(5)?,
        })
    })?
    .collect()
}

/// The class a user named: its number, or its name; none named: the latest.
pub fn find_class(conn: &Connection, wanted: Option<&str>) -> Result<ClassInfo, String> {
    let all = classes(conn).map_err(|e| e.to_string())?;
    let found = match wanted {
        None => all.last(),
        Some(w) => all.iter().find(|c| c.id.to_string() == w || c.name == w),
    };
    found.cloned().ok_or_else(|| match wanted {
        None => "no classes recorded yet".to_owned(),
        Some(w) => format!("no class '{w}' (see `stemcell results` for the list)"),
    })
}

/// Every student's answer to every question asked, in the order asked; a question a student
/// did not answer is a row with no answer and 0 points. When a student answered one asking
/// twice (never, by the class's rules), the first answer counts.
pub fn rows(conn: &Connection, class: i64) -> rusqlite::Result<(Vec<Row>, Vec<Total>)> {
    let mut stmt = conn.prepare(
        "SELECT s.name, q.ask, q.section_id, q.question_id, q.prompt, q.snapshot,
                a.response, a.points, a.speed, a.answered_ms
         FROM students s
         JOIN questions q ON q.class = s.class
         LEFT JOIN answers a ON a.seq = (
             SELECT MIN(seq) FROM answers x
             WHERE x.class = s.class AND x.student = s.student AND x.ask = q.ask)
         WHERE s.class = ?1
         ORDER BY s.name COLLATE NOCASE, s.student, q.ask",
    )?;
    let rows: Vec<Row> = stmt
        .query_map([class], |r| {
            let snapshot: String = r.get(5)?;
            let response: Option<String> = r.get(6)?;
            let snapshot: Value = serde_json::from_str(&snapshot).unwrap_or(Value::Null);
            let answer = response.map(|text| {
                let value: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                answer_text(&snapshot, &value)
            });
            Ok(Row {
                student: r.get(0)?,
                ask: r.get(1)?,
                section_id: r.get(2)?,
                question_id: r.get(3)?,
                prompt: r.get(4)?,
                answer,
                points: r.get::<_, Option<f64>>(7)?.unwrap_or(0.0),
                speed: r.get::<_, Option<i64>>(8)?.unwrap_or(0),
                answered_ms: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut totals: Vec<Total> = Vec::new();
    for row in &rows {
        if totals.last().is_none_or(|t| t.student != row.student) {
            totals.push(Total {
                student: row.student.clone(),
                answered: 0,
                asked: 0,
                points: 0.0,
                speed: 0,
            });
        }
        if let Some(total) = totals.last_mut() {
            total.asked += 1;
            total.answered += i64::from(row.answer.is_some());
            total.points += row.points;
            total.speed += row.speed;
        }
    }
    Ok((rows, totals))
}

/// How `stemcell results` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    /// The gradebook: a row per student (score, out of, points per question, joined, left),
    /// UTF-8 with a byte order mark so that Excel reads it as UTF-8.
    Csv,
    /// The answer log: a row per student and question asked, with the answer in words.
    Log,
    Json,
    /// An Excel workbook (binary: write it with -o): an overview sheet and a sheet per
    /// question.
    Xlsx,
}

/// `stemcell results [CLASS]`: the list of classes when none is named and the format is text,
/// else the export of one class.
pub fn report(path: &Path, wanted: Option<&str>, format: Format) -> Result<String, String> {
    let conn = open_read(path)?;
    if wanted.is_none() && format == Format::Text {
        let all = classes(&conn).map_err(|e| e.to_string())?;
        if all.is_empty() {
            return Ok("No classes recorded yet.\n".into());
        }
        let mut out = String::from("  #  started (UTC)     students  questions  course\n");
        for c in all {
            let _ = writeln!(
                out,
                "{:>3}  {:<16}  {:>8}  {:>9}  {}{}",
                c.id,
                c.name,
                c.students,
                c.questions,
                c.course_title,
                if c.ended { "" } else { " (not ended)" }
            );
        }
        out.push_str("Export one with: stemcell results NUMBER --format csv\n");
        return Ok(out);
    }
    let class = find_class(&conn, wanted)?;
    if matches!(format, Format::Csv | Format::Xlsx) {
        let book = super::gradebook::Gradebook::read(&conn, class).map_err(|e| e.to_string())?;
        return match format {
            Format::Xlsx => Err("an Excel workbook is binary: use `--format xlsx -o FILE`".into()),
            _ => Ok(book.csv(&crate::learner::day::local_zone())),
        };
    }
    let (rows, totals) = rows(&conn, class.id).map_err(|e| e.to_string())?;
    Ok(match format {
        Format::Log => super::gradebook::log(&rows, &crate::learner::day::local_zone()),
        Format::Json => json_export(&class, &rows, &totals),
        Format::Csv | Format::Xlsx | Format::Text => text(&class, &rows, &totals),
    })
}

/// `stemcell results CLASS --format xlsx`: the workbook's bytes.
pub fn workbook(path: &Path, wanted: Option<&str>) -> Result<Vec<u8>, String> {
    let conn = open_read(path)?;
    let class = find_class(&conn, wanted)?;
    let book = super::gradebook::Gradebook::read(&conn, class).map_err(|e| e.to_string())?;
    book.xlsx(&crate::learner::day::local_zone())
}

pub(crate) fn points(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn json_export(class: &ClassInfo, rows: &[Row], totals: &[Total]) -> String {
    let value = json!({
        "class": { "id": class.id, "name": class.name, "course": class.course_title, "ended": class.ended },
        "answers": rows.iter().map(|r| json!({
            "student": r.student, "question_number": r.ask, "section": r.section_id,
            "question": r.question_id, "prompt": r.prompt, "answer": r.answer,
            "points": r.points, "speed_points": r.speed,
            "answered_at": r.answered_ms.map(|ms| local_time(ms, &crate::learner::day::local_zone())),
        })).collect::<Vec<_>>(),
        "totals": totals.iter().map(|t| json!({
            "student": t.student, "answered": t.answered, "asked": t.asked,
            "points": t.points, "speed_points": t.speed,
        })).collect::<Vec<_>>(),
    });
    let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
    out.push('\n');
    out
}

fn text(class: &ClassInfo, rows: &[Row], totals: &[Total]) -> String {
    let mut out = format!("Class {} ({}), {}\n", class.id, class.name, class.course_title);
    for total in totals {
        let _ = writeln!(
            out,
            "\n{}: {}, {} of {} answered",
            total.student,
            crate::quiz::points_label(total.points),
            total.answered,
            total.asked
        );
        for row in rows.iter().filter(|r| r.student == total.student) {
            let _ = writeln!(
                out,
                "  {:>2}. {}  {}  [{}]",
                row.ask,
                row.question_id,
                row.answer.as_deref().unwrap_or("(no answer)"),
                points(row.points)
            );
        }
    }
    if totals.is_empty() {
        out.push_str("No students joined.\n");
    }
    out
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// "2026-11-30 13:45" (UTC) from milliseconds since 1970: a class's name, the same on every
/// machine that reads the database.
fn format_time(ms: i64) -> String {
    let at = jiff::Timestamp::from_millisecond(ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    at.strftime("%Y-%m-%d %H:%M").to_string()
}

/// "2026-11-30 14:45:07 +01:00": a moment in the teacher's time zone, with its offset so that
/// nobody has to guess which zone it is in.
pub(crate) fn local_time(ms: i64, zone: &jiff::tz::TimeZone) -> String {
    let at = jiff::Timestamp::from_millisecond(ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    at.to_zoned(zone.clone()).strftime("%Y-%m-%d %H:%M:%S %:z").to_string()
}

/// Whether the database holds a class with this number (tests and the console).
pub fn has_class(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    conn.query_row("SELECT 1 FROM classes WHERE id = ?1", [id], |_| Ok(()))
        .optional()
        .map(|found| found.is_some())
}

#[cfg(test)]
mod tests;
