//! A class's results as a teacher's files: the gradebook (a row per student: score, out of,
//! the points of each question as it was asked, when they joined and left) as CSV or as an
//! Excel workbook with a sheet per question, and the answer log (a row per student and
//! question) as CSV.
//!
//! Spreadsheets are written for the programs teachers open them in: the CSVs start with a
//! UTF-8 byte order mark, without which Excel reads UTF-8 as the system's code page and turns
//! "’" into "â€™" (`LibreOffice`, Google Sheets, Numbers and Moodle's gradebook import all skip
//! the mark). Quoting is the `csv` crate's. Text typed by a student that a spreadsheet would
//! run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a `'`
//! in front in the CSVs; the workbook stores every text as a string cell, which Excel never
//! evaluates. Times are in the teacher's time zone (`TZ`, else the system's), with the offset.

use std::collections::HashMap;

use jiff::tz::TimeZone;
use rusqlite::{Connection, OptionalExtension};
use serde_json::Value;

use super::results::{ClassInfo, Row, answer_text, local_time, points};

/// One question as it was asked in the class.
#[derive(Debug, Clone, PartialEq)]
pub struct Asked {
    pub ask: i64,
    pub section_id: String,
    pub question_id: String,
    pub prompt: String,
    /// The right answer in words, from the question as it was asked.
    pub key: String,
}

/// A student's first answer to one question.
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    pub text: String,
    pub points: f64,
    pub at_ms: i64,
}

impl Answered {
    pub fn verdict(&self) -> &'static str {
        if self.points >= 0.999 {
            "right"
        } else if self.points > 0.0 {
            "partly"
        } else {
            "wrong"
        }
    }
}

/// One row of the gradebook.
#[derive(Debug, Clone, PartialEq)]
pub struct Student {
    pub name: String,
    pub joined_ms: i64,
    /// When they last went away, if they were not there at the end.
    pub left_ms: Option<i64>,
    /// By question, in the order asked; `None`: no answer.
    pub answers: Vec<Option<Answered>>,
}

impl Student {
    pub fn score(&self) -> f64 {
        // A fold from +0: an empty `sum` of floats is -0, which would print as "-0".
        self.answers.iter().flatten().fold(0.0, |total, a| total + a.points)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Gradebook {
    pub class: ClassInfo,
    pub questions: Vec<Asked>,
    pub students: Vec<Student>,
}

impl Gradebook {
    /// Reads one class from the database (read-only: a class may be running).
    pub fn read(conn: &Connection, class: ClassInfo) -> rusqlite::Result<Self> {
        let id = class.id;
        let mut stmt = conn.prepare(
            "SELECT ask, section_id, question_id, prompt, snapshot FROM questions
             WHERE class = ?1 ORDER BY ask",
        )?;
        let mut snapshots = Vec::new();
        let questions: Vec<Asked> = stmt
            .query_map([id], |r| {
                let snapshot: String = r.get(4)?;
                Ok((
                    Asked {
                        ask: r.get(0)?,
                        section_id: r.get(1)?,
                        question_id: r.get(2)?,
                        prompt: r.get(3)?,
                        key: String::new(),
                    },
                    serde_json::from_str::<Value>(&snapshot).unwrap_or(Value::Null),
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .map(|(mut asked, snapshot)| {
                asked.key = key_text(&snapshot);
                snapshots.push(snapshot);
                asked
            })
            .collect();
        let position: HashMap<i64, usize> =
            questions.iter().enumerate().map(|(i, q)| (q.ask, i)).collect();

        let mut stmt = conn.prepare(
            "SELECT student, name, joined_ms FROM students WHERE class = ?1
             ORDER BY name COLLATE NOCASE, student",
        )?;
        let listed: Vec<(i64, String, i64)> = stmt
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let row_of: HashMap<i64, usize> =
            listed.iter().enumerate().map(|(i, (student, _, _))| (*student, i)).collect();
        let mut students: Vec<Student> = listed
            .into_iter()
            .map(|(_, name, joined_ms)| Student {
                name,
                joined_ms,
                left_ms: None,
                answers: vec![None; questions.len()],
            })
            .collect();

        // The first answer to each asking counts, as in the class.
        let mut stmt = conn.prepare(
            "SELECT ask, student, response, points, answered_ms FROM answers
             WHERE class = ?1 ORDER BY seq",
        )?;
        let answers = stmt.query_map([id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, f64>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        for answer in answers {
            let (ask, student, response, earned, at_ms) = answer?;
            let (Some(&q), Some(&s)) = (position.get(&ask), row_of.get(&student)) else {
                continue;
            };
            if students[s].answers[q].is_some() {
                continue;
            }
            let response: Value = serde_json::from_str(&response).unwrap_or(Value::Null);
            students[s].answers[q] = Some(Answered {
                text: answer_text(&snapshots[q], &response),
                points: earned,
                at_ms,
            });
        }

        // Who was away at the end: their last coming or going was a going. (A database from
        // before presence was recorded has no such table: nobody has a time left.)
        let has_presence: bool = conn
            .query_row(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'presence'",
                [],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        if has_presence {
            let mut stmt = conn.prepare(
                "SELECT student, present, at_ms FROM presence WHERE class = ?1 ORDER BY rowid",
            )?;
            let events = stmt.query_map([id], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, bool>(1)?, r.get::<_, i64>(2)?))
            })?;
            for event in events {
                let (student, present, at_ms) = event?;
                if let Some(&s) = row_of.get(&student) {
                    students[s].left_ms = (!present).then_some(at_ms);
                }
            }
        }
        Ok(Self { class, questions, students })
    }

    /// A question's column title: its number and the question as it was asked.
    fn column(question: &Asked) -> String {
        format!("Q{}: {}", question.ask, one_line(&question.prompt))
    }

    /// The gradebook as CSV (with the byte order mark), times in `zone`.
    pub fn csv(&self, zone: &TimeZone) -> String {
        let mut header = vec!["student".to_owned(), "score".to_owned(), "out_of".to_owned()];
        header.extend(self.questions.iter().map(Self::column));
        header.extend(["joined".to_owned(), "left".to_owned()]);
        let mut rows = vec![header];
        for student in &self.students {
            let mut row = vec![defused(&student.name), points(student.score()), self.out_of()];
            row.extend(
                student
                    .answers
                    .iter()
                    .map(|a| a.as_ref().map_or(String::new(), |a| points(a.points))),
            );
            row.push(local_time(student.joined_ms, zone));
            row.push(student.left_ms.map(|ms| local_time(ms, zone)).unwrap_or_default());
            rows.push(row);
        }
        with_bom(&write_csv(&rows))
    }

    fn out_of(&self) -> String {
        self.questions.len().to_string()
    }

    /// The gradebook as an Excel workbook: an overview sheet (a row per student: score, out
    /// of, the points of each question, joined, left) and a sheet per question (the question
    /// as asked and its key; each student's answer, right/partly/wrong, points and time).
    pub fn xlsx(&self, zone: &TimeZone) -> Result<Vec<u8>, String> {
        self.workbook(zone).map_err(|e| format!("writing the workbook: {e}"))
    }

    fn workbook(&self, zone: &TimeZone) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        use rust_xlsxwriter::{Format, Workbook};
        let bold = Format::new().set_bold();
        let wrap = Format::new().set_text_wrap();
        let mut book = Workbook::new();
        let overview = book.add_worksheet();
        overview.set_name("Overview")?;
        let title = format!("{}: {}", self.class.name, self.class.course_title);
        overview.write_string_with_format(0, 0, cell(&title), &bold)?;
        let header_row = 2;
        let mut headers = vec!["Student".to_owned(), "Score".to_owned(), "Out of".to_owned()];
        headers.extend(self.questions.iter().map(Self::column));
        headers.extend(["Joined".to_owned(), "Left".to_owned()]);
        for (c, text) in headers.iter().enumerate() {
            overview.write_string_with_format(header_row, col(c), cell(text), &bold)?;
        }
        for (r, student) in self.students.iter().enumerate() {
            let row = header_row + 1 + row_index(r);
            overview.write_string(row, 0, cell(&student.name))?;
            overview.write_number(row, 1, student.score())?;
            overview.write_number(row, 2, f64::from(row_index(self.questions.len())))?;
            for (q, answer) in student.answers.iter().enumerate() {
                if let Some(answer) = answer {
                    overview.write_number(row, col(3 + q), answer.points)?;
                }
            }
            let after = col(3 + self.questions.len());
            overview.write_string(row, after, local_time(student.joined_ms, zone))?;
            if let Some(left) = student.left_ms {
                overview.write_string(row, after + 1, local_time(left, zone))?;
            }
        }
        overview.set_freeze_panes(header_row + 1, 1)?;
        overview.set_autofit_max_width(360).autofit();

        for (q, question) in self.questions.iter().enumerate() {
            let sheet = book.add_worksheet();
            sheet.set_name(sheet_name(question))?;
            sheet.write_string_with_format(0, 0, "Question", &bold)?;
            sheet.write_string_with_format(0, 1, cell(&question.prompt), &wrap)?;
            sheet.write_string_with_format(1, 0, "Answer", &bold)?;
            sheet.write_string_with_format(1, 1, cell(&question.key), &wrap)?;
            sheet.write_string_with_format(2, 0, "Section", &bold)?;
            sheet.write_string(2, 1, cell(&question.section_id))?;
            for (c, text) in
                ["Student", "Answer", "Result", "Points", "Answered"].iter().enumerate()
            {
                sheet.write_string_with_format(4, col(c), *text, &bold)?;
            }
            for (r, student) in self.students.iter().enumerate() {
                let row = 5 + row_index(r);
                sheet.write_string(row, 0, cell(&student.name))?;
                match &student.answers[q] {
                    Some(answer) => {
                        sheet.write_string_with_format(row, 1, cell(&answer.text), &wrap)?;
                        sheet.write_string(row, 2, answer.verdict())?;
                        sheet.write_number(row, 3, answer.points)?;
                        sheet.write_string(row, 4, local_time(answer.at_ms, zone))?;
                    }
                    None => {
                        sheet.write_string(row, 2, "no answer")?;
                    }
                }
            }
            sheet.set_column_width(0, 24)?;
            sheet.set_column_width(1, 60)?;
            sheet.set_column_width(2, 10)?;
            sheet.set_column_width(4, 26)?;
        }
        book.save_to_buffer()
    }
}

/// The answer log as CSV (with the byte order mark): a row per student and question asked,
/// the answer in words, its points and speed points, and when it was given (in `zone`).
pub fn log(rows: &[Row], zone: &TimeZone) -> String {
    let mut out = vec![
        [
            "student",
            "question_number",
            "section",
            "question",
            "prompt",
            "answer",
            "points",
            "speed_points",
            "answered_at",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for row in rows {
        out.push(vec![
            defused(&row.student),
            row.ask.to_string(),
            defused(&row.section_id),
            defused(&row.question_id),
            defused(&row.prompt),
            defused(row.answer.as_deref().unwrap_or_default()),
            points(row.points),
            row.speed.to_string(),
            row.answered_ms.map(|ms| local_time(ms, zone)).unwrap_or_default(),
        ]);
    }
    with_bom(&write_csv(&out))
}

fn write_csv(rows: &[Vec<String>]) -> String {
    let mut writer =
        csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(vec![]);
    for row in rows {
        // Writing to memory cannot fail.
        let _ = writer.write_record(row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The UTF-8 byte order mark, so that Excel reads the file as UTF-8.
fn with_bom(text: &str) -> String {
    format!("\u{feff}{text}")
}

/// Text a spreadsheet would run as a formula gets a `'` in front; a number stays a number.
pub fn defused(value: &str) -> String {
    let formula = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula && value.trim().parse::<f64>().is_err() {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

/// A text as an Excel cell holds it: at most 32,767 characters, and no character XML forbids
/// (the workbook is XML inside).
fn cell(text: &str) -> String {
    let safe = crate::export::xml_safe(text.to_owned(), '\n');
    safe.chars().take(32_767).collect()
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A sheet's name: "Q3 question-id", at most 31 characters, without the characters Excel
/// refuses in one (`[ ] : * ? / \`), unique since it starts with the question's number.
fn sheet_name(question: &Asked) -> String {
    let name = format!("Q{} {}", question.ask, question.question_id);
    let name: String = name
        .chars()
        .map(|c| if "[]:*?/\\'".contains(c) || c.is_control() { '_' } else { c })
        .take(31)
        .collect();
    name.trim_end().to_owned()
}

/// The right answer in words, from the snapshot of the question as asked.
fn key_text(snapshot: &Value) -> String {
    let answer = &snapshot["answer"];
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    };
    if let Some(options) = answer["options"].as_array() {
        return options
            .iter()
            .filter(|o| o["correct"].as_bool() == Some(true))
            .filter_map(|o| o["text"].as_str())
            .collect::<Vec<_>>()
            .join("; ");
    }
    if let Some(truth) = answer["true_false"].as_bool() {
        return if truth { "true" } else { "false" }.into();
    }
    if answer.get("order").is_some() {
        return strings(&answer["order"]).join(" > ");
    }
    if let Some(pairs) = answer["match"].as_array() {
        return pairs
            .iter()
            .map(|p| format!("{} = {}", p[0].as_str().unwrap_or("?"), p[1].as_str().unwrap_or("?")))
            .collect::<Vec<_>>()
            .join("; ");
    }
    strings(&answer["fill"]).join(" / ")
}

fn col(index: usize) -> u16 {
    u16::try_from(index).unwrap_or(u16::MAX)
}

fn row_index(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests;
