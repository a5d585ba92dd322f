//! The gradebook from a real `SQLite` file written by the results writer, read back as a
//! spreadsheet program would: the CSV by the `csv` crate, the workbook by unzipping its XML.
// Points are sums of wholes and halves, exact in binary: exact comparison is right.
#![allow(clippy::float_cmp)]

use std::io::Read as _;
use std::path::PathBuf;

use jiff::tz::{Offset, TimeZone};

use super::{Gradebook, defused, log};
use crate::class::protocol::{AskId, StudentId};
use crate::class::results::{self, Record, find_class, open_read, rows, start};
use crate::content::{self, load::PackSource};
use crate::course::{Answer, Course};
use crate::quiz::Response;

struct Db {
    path: PathBuf,
    _dir: tempfile::TempDir,
}

/// A class: Ana answers the first question right and stays; "=Ben, “the” second" answers it
/// with a formula, answers the second question half right, and leaves.
fn class(course: &Course) -> (Db, i64) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(results::FILE_NAME);
    let (writer, class, thread) = start(&path, course).unwrap();
    let section = &course.sections[0];
    let (q0, q1) = (&section.questions[0], &section.questions[1]);
    let right = match &q0.answer {
        Answer::Choice { options, .. } => {
            Response::Choice((0..options.len()).filter(|&i| options[i].correct).collect())
        }
        Answer::TrueFalse(t) => Response::TrueFalse(*t),
        other => panic!("the first question is a choice or true/false, not {other:?}"),
    };
    for (id, name) in [(0, "Ana"), (1, "=Ben, “the” second"), (2, "Cy")] {
        writer.send(Record::Student { id: StudentId(id), name: name.into() });
        writer.send(Record::Presence { id: StudentId(id), present: true });
    }
    writer.send(Record::Ask { ask: AskId(1), section: 0, question: q0.clone() });
    let answer = |student, ask, response, points| Record::Answer {
        ask: AskId(ask),
        student: StudentId(student),
        response,
        points,
        speed: 0,
    };
    writer.send(answer(0, 1, right.clone(), 1.0));
    writer.send(answer(1, 1, Response::Fill("=HYPERLINK(\"x\")".into()), 0.0));
    // A second answer to the same asking never counts.
    writer.send(answer(1, 1, right, 1.0));
    writer.send(Record::Ask { ask: AskId(2), section: 0, question: q1.clone() });
    writer.send(answer(1, 2, Response::TrueFalse(true), 0.5));
    writer.send(Record::Presence { id: StudentId(1), present: false });
    writer.send(Record::End);
    drop(writer);
    thread.join().unwrap();
    (Db { path, _dir: dir }, class)
}

fn gradebook(db: &Db, class: i64) -> Gradebook {
    let conn = open_read(&db.path).unwrap();
    let info = find_class(&conn, Some(&class.to_string())).unwrap();
    Gradebook::read(&conn, info).unwrap()
}

fn read_csv(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').expect("the CSV starts with a byte order mark");
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn zone() -> TimeZone {
    TimeZone::fixed(Offset::constant(5))
}

#[test]
fn the_gradebook_csv_has_a_row_per_student_with_a_column_per_question() {
    let course = content::load(&PackSource::BuiltIn).unwrap().course;
    let (db, class) = class(&course);
    let book = gradebook(&db, class);
    let csv = book.csv(&zone());
    let mut reader = csv::Reader::from_reader(csv.strip_prefix('\u{feff}').unwrap().as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let q0 = &course.sections[0].questions[0];
    assert_eq!(header[..3], ["student", "score", "out_of"]);
    assert_eq!(header[3], format!("Q1: {}", q0.prompt), "the question as asked");
    assert_eq!(header[5..], ["joined", "left"]);
    let rows = read_csv(&csv);
    assert_eq!(rows.len(), 3, "one row per student, no TOTAL rows:\n{csv}");
    let cy = rows.iter().find(|r| r[0] == "Cy").unwrap();
    assert_eq!(cy[1..5], ["0", "2", "", ""], "no answers: a score of 0, not -0");
    let ana = rows.iter().find(|r| r[0] == "Ana").unwrap();
    let ben = rows.iter().find(|r| r[0].contains("Ben")).unwrap();
    assert_eq!(ana[..5], ["Ana", "1", "2", "1", ""]);
    assert_eq!(ben[0], "'=Ben, “the” second", "a name that is a formula is defused");
    assert_eq!(ben[1..5], ["0.5", "2", "0", "0.5"], "the first answer counts");
    // Times in the teacher's zone, with the offset.
    let joined = jiff::Zoned::strptime("%Y-%m-%d %H:%M:%S %:z", &ana[5]).unwrap();
    assert_eq!(joined.offset(), Offset::constant(5), "{}", ana[5]);
    assert_eq!(ana[6], "", "Ana stayed to the end");
    assert!(ben[6].ends_with(" +05:00"), "Ben left: {}", ben[6]);
}

#[test]
fn the_answer_log_is_its_own_csv_with_local_times() {
    let course = content::load(&PackSource::BuiltIn).unwrap().course;
    let (db, class) = class(&course);
    let conn = open_read(&db.path).unwrap();
    let (answers, _) = rows(&conn, class).unwrap();
    let csv = log(&answers, &zone());
    let rows = read_csv(&csv);
    assert_eq!(rows.len(), 6, "a row per student and question:\n{csv}");
    assert!(rows.iter().all(|r| r[3] != "TOTAL"));
    let ben: Vec<_> = rows.iter().filter(|r| r[0].contains("Ben")).collect();
    assert_eq!(ben[0][5], "'=HYPERLINK(\"x\")", "a typed formula is defused");
    assert!(ben[0][8].ends_with(" +05:00"), "{}", ben[0][8]);
    // Read the way Excel is told to: the mark, then UTF-8 with the curly quotes intact.
    assert!(csv.as_bytes().starts_with(&[0xEF, 0xBB, 0xBF]));
    assert!(csv.contains("“the”"));
}

#[test]
fn the_report_writes_the_gradebook_for_csv_and_the_log_for_log() {
    let course = content::load(&PackSource::BuiltIn).unwrap().course;
    let (db, class) = class(&course);
    let gradebook = results::report(&db.path, None, results::Format::Csv).unwrap();
    assert_eq!(read_csv(&gradebook).len(), 3);
    let log = results::report(&db.path, Some(&class.to_string()), results::Format::Log).unwrap();
    assert_eq!(read_csv(&log).len(), 6);
    let json: serde_json::Value =
        serde_json::from_str(&results::report(&db.path, None, results::Format::Json).unwrap())
            .unwrap();
    let at = json["answers"][0]["answered_at"].as_str().unwrap();
    assert!(at.contains('+') || at.contains('-'), "an offset: {at}");
}

/// The XML of one part of the workbook.
fn part(xlsx: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut text = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
    text
}

/// Every cell's text in a sheet, resolving shared strings; a formula cell is "FORMULA".
fn cells(xlsx: &[u8], sheet: usize) -> Vec<String> {
    let shared = part(xlsx, "xl/sharedStrings.xml");
    let shared = roxmltree::Document::parse(&shared).unwrap();
    let strings: Vec<String> = shared
        .descendants()
        .filter(|n| n.has_tag_name("si"))
        .map(|si| {
            si.descendants().filter(roxmltree::Node::is_text).filter_map(|n| n.text()).collect()
        })
        .collect();
    let sheet = part(xlsx, &format!("xl/worksheets/sheet{sheet}.xml"));
    let doc = roxmltree::Document::parse(&sheet).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("c"))
        .map(|c| {
            if c.children().any(|n| n.has_tag_name("f")) {
                return "FORMULA".to_owned();
            }
            let value = c.children().find(|n| n.has_tag_name("v")).and_then(|v| v.text());
            match (c.attribute("t"), value) {
                (Some("s"), Some(i)) => strings[i.parse::<usize>().unwrap()].clone(),
                (_, Some(v)) => v.to_owned(),
                _ => String::new(),
            }
        })
        .collect()
}

#[test]
fn the_workbook_has_an_overview_and_a_sheet_per_question() {
    let course = content::load(&PackSource::BuiltIn).unwrap().course;
    let (db, class) = class(&course);
    let xlsx = gradebook(&db, class).xlsx(&zone()).unwrap();
    let workbook = part(&xlsx, "xl/workbook.xml");
    let doc = roxmltree::Document::parse(&workbook).unwrap();
    let sheets: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("sheet"))
        .filter_map(|n| n.attribute("name"))
        .collect();
    let (q0, q1) = (&course.sections[0].questions[0], &course.sections[0].questions[1]);
    assert_eq!(sheets[0], "Overview");
    assert_eq!(sheets.len(), 3, "{sheets:?}");
    assert!(sheets[1].starts_with("Q1 ") && sheets.iter().all(|s| s.chars().count() <= 31));

    let overview = cells(&xlsx, 1);
    assert!(overview.contains(&"Student".to_owned()) && overview.contains(&"Ana".to_owned()));
    assert!(overview.contains(&format!("Q2: {}", q1.prompt)));
    assert!(!overview.contains(&"FORMULA".to_owned()), "nothing a student typed is a formula");
    assert!(overview.contains(&"=Ben, “the” second".to_owned()), "a string cell, as typed");

    let first = cells(&xlsx, 2);
    assert!(first.contains(&q0.prompt), "the question as asked: {first:?}");
    assert!(first.contains(&"=HYPERLINK(\"x\")".to_owned()), "Ben's answer as a string cell");
    assert!(first.contains(&"right".to_owned()) && first.contains(&"wrong".to_owned()));
    let second = cells(&xlsx, 3);
    assert!(second.contains(&"partly".to_owned()) && second.contains(&"no answer".to_owned()));
    assert!(!second.contains(&"FORMULA".to_owned()));
}

#[test]
fn formulas_are_defused_and_numbers_kept() {
    for (typed, written) in [
        ("=1+1", "'=1+1"),
        ("+33 6", "'+33 6"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("-2", "-2"),
        ("plain", "plain"),
    ] {
        assert_eq!(defused(typed), written);
    }
}

#[test]
fn a_database_from_before_presence_was_recorded_still_reads() {
    let course = content::load(&PackSource::BuiltIn).unwrap().course;
    let (db, class) = class(&course);
    {
        let conn = rusqlite::Connection::open(&db.path).unwrap();
        conn.execute_batch("DROP TABLE presence").unwrap();
    }
    let book = gradebook(&db, class);
    assert_eq!(book.students.len(), 3);
    assert!(book.students.iter().all(|s| s.left_ms.is_none()));
}

#[test]
fn characters_xml_forbids_never_reach_the_workbook_or_the_csvs() {
    let course = content::load(&PackSource::BuiltIn).unwrap().course;
    let (db, class) = class(&course);
    let bad: String = (0u32..0x20)
        .filter_map(char::from_u32)
        .chain(['\u{FFFE}', '\u{FFFF}', '\u{FDD0}', '\u{10FFFF}'])
        .collect();
    {
        // A database is as hostile as any file: a name written by another program.
        let conn = rusqlite::Connection::open(&db.path).unwrap();
        conn.execute("UPDATE students SET name = ?1 WHERE student = 0", [format!("Ana{bad}")])
            .unwrap();
    }
    let book = gradebook(&db, class);
    let xlsx = book.xlsx(&zone()).unwrap();
    for sheet in 1..=3 {
        let cells = cells(&xlsx, sheet);
        let found: Vec<char> =
            cells.concat().chars().filter(|&c| crate::export::forbidden_in_xml(c)).collect();
        assert!(found.is_empty(), "sheet {sheet}: {found:?}");
    }
    assert!(cells(&xlsx, 1).iter().any(|c| c.starts_with("Ana")));
    let csv = book.csv(&zone());
    assert!(csv.starts_with('\u{feff}'));
    assert_eq!(read_csv(&csv).len(), 3, "the name's line breaks stay inside its quoted field");
}
