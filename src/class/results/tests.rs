//! The results store on a real `SQLite` file: what the class sends is what an export shows.
// Points are sums of wholes and halves, exact in binary: exact comparison is right.
#![allow(clippy::float_cmp)]

use std::path::PathBuf;

use super::{Format, Record, local_time, report, rows, start};
use crate::class::protocol::{AskId, StudentId};
use crate::content::{self, load::PackSource};
use crate::course::Answer;
use crate::quiz::Response;

fn temp_db(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stemcell-results-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir.join(super::FILE_NAME)
}

#[test]
fn answers_sent_are_the_rows_and_totals_exported_in_every_format() {
    let course = content::load(&PackSource::BuiltIn).unwrap().course;
    let path = temp_db("export");
    let (writer, class, thread) = start(&path, &course).unwrap();
    let section = &course.sections[0];
    let (q0, q1) = (&section.questions[0], &section.questions[1]);
    writer.send(Record::Student { id: StudentId(0), name: "Ana".into() });
    writer.send(Record::Student { id: StudentId(1), name: "Ben, \"the\" second".into() });
    writer.send(Record::Ask { ask: AskId(1), section: 0, question: q0.clone() });
    let right = match &q0.answer {
        Answer::Choice { options, .. } => {
            Response::Choice((0..options.len()).filter(|&i| options[i].correct).collect())
        }
        Answer::TrueFalse(t) => Response::TrueFalse(*t),
        other => panic!("the first question is a choice or true/false, not {other:?}"),
    };
    writer.send(Record::Answer {
        ask: AskId(1),
        student: StudentId(0),
        response: right,
        points: 1.0,
        speed: 0,
    });
    writer.send(Record::Answer {
        ask: AskId(1),
        student: StudentId(1),
        response: Response::Fill("=HYPERLINK(\"x\")".into()),
        points: 0.0,
        speed: 0,
    });
    writer.send(Record::Ask { ask: AskId(2), section: 0, question: q1.clone() });
    writer.send(Record::Answer {
        ask: AskId(2),
        student: StudentId(1),
        response: Response::TrueFalse(true),
        points: 0.5,
        speed: 0,
    });
    writer.send(Record::End);
    drop(writer);
    thread.join().unwrap();

    let conn = super::open_read(&path).unwrap();
    let (rows, totals) = rows(&conn, class).unwrap();
    assert_eq!(rows.len(), 4, "a row per student and question, answered or not");
    let ana: Vec<_> = rows.iter().filter(|r| r.student == "Ana").collect();
    assert_eq!(ana[0].points, 1.0);
    assert!(ana[1].answer.is_none(), "Ana did not answer the second question");
    assert_eq!(totals[0].student, "Ana");
    assert_eq!((totals[0].points, totals[0].answered, totals[0].asked), (1.0, 1, 2));
    assert_eq!((totals[1].points, totals[1].answered), (0.5, 2));

    let log = report(&path, Some(&class.to_string()), Format::Log).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 1 + 4, "header and four answers, no TOTAL rows:\n{log}");
    assert!(lines[0].starts_with("\u{feff}student,question_number,section,question"));
    assert!(lines[1].starts_with(&format!("Ana,1,{},{}", section.id, q0.id)));
    assert!(log.contains("\"Ben, \"\"the\"\" second\""), "quoted name:\n{log}");
    assert!(log.contains("\"'=HYPERLINK(\"\"x\"\")\""), "a formula is defused:\n{log}");

    let json: serde_json::Value =
        serde_json::from_str(&report(&path, None, Format::Json).unwrap()).unwrap();
    assert_eq!(json["class"]["id"], class);
    assert_eq!(json["answers"].as_array().unwrap().len(), 4);
    assert_eq!(json["totals"][1]["points"], 0.5);

    let list = report(&path, None, Format::Text).unwrap();
    assert!(list.contains(&course.title), "{list}");
    assert!(!list.contains("not ended"), "{list}");
    let text = report(&path, Some("1"), Format::Text).unwrap();
    assert!(text.contains("Ana: 1 point, 1 of 2 answered"), "{text}");
    assert!(report(&path, Some("77"), Format::Csv).unwrap_err().contains("no class '77'"));
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

#[test]
fn the_database_is_in_wal_mode_and_a_second_class_gets_its_own_number() {
    let course = content::load(&PackSource::BuiltIn).unwrap().course;
    let path = temp_db("wal");
    let (w1, c1, t1) = start(&path, &course).unwrap();
    let (w2, c2, t2) = start(&path, &course).unwrap();
    assert_ne!(c1, c2);
    drop((w1, w2));
    t1.join().unwrap();
    t2.join().unwrap();
    let conn = super::open_read(&path).unwrap();
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(super::classes(&conn).unwrap().len(), 2);
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

#[test]
fn a_missing_database_is_a_clear_message() {
    let path = temp_db("missing");
    let problem = report(&path, None, Format::Text).unwrap_err();
    assert!(problem.contains("no class results yet"), "{problem}");
}

#[test]
fn times_are_local_with_their_offset() {
    use jiff::tz::{Offset, TimeZone};
    let utc = TimeZone::UTC;
    assert_eq!(local_time(0, &utc), "1970-01-01 00:00:00 +00:00");
    assert_eq!(local_time(1_796_083_200_000, &utc), "2026-12-01 00:00:00 +00:00");
    assert_eq!(local_time(1_709_251_199_000, &utc), "2024-02-29 23:59:59 +00:00");
    let east = TimeZone::fixed(Offset::constant(2));
    assert_eq!(local_time(1_709_251_199_000, &east), "2024-03-01 01:59:59 +02:00");
    let west = TimeZone::fixed(Offset::constant(-5));
    assert_eq!(local_time(1_796_083_200_000, &west), "2026-11-30 19:00:00 -05:00");
}

#[test]
fn a_class_that_never_started_is_forgotten() {
    let course = content::load(&PackSource::BuiltIn).unwrap().course;
    let path = temp_db("abandon");
    let (writer, _, thread) = start(&path, &course).unwrap();
    writer.send(Record::Abandon);
    drop(writer);
    thread.join().unwrap();
    let conn = super::open_read(&path).unwrap();
    assert!(super::classes(&conn).unwrap().is_empty());
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}
