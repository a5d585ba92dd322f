//! The Anki package read back: its `SQLite` collection by rusqlite, and, where Python's `anki`
//! package is installed (`.ci/setup` installs it), imported twice into a real collection.

use std::io::Read as _;

use super::*;

/// The package's collection, written out to a file `SQLite` can open.
fn collection(bytes: &[u8]) -> (tempfile::TempDir, rusqlite::Connection) {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut media = String::new();
    zip.by_name("media").unwrap().read_to_string(&mut media).unwrap();
    assert_eq!(media, "{}", "no media");
    let mut data = Vec::new();
    zip.by_name("collection.anki2").unwrap().read_to_end(&mut data).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("collection.anki2");
    std::fs::write(&path, data).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    (dir, conn)
}

/// (guid, tags, fields joined by U+001F, note type id) of every note.
pub(super) fn notes(bytes: &[u8]) -> Vec<(String, String, String, i64)> {
    let (_dir, conn) = collection(bytes);
    let mut stmt = conn
        .prepare(
            "SELECT n.guid, n.tags, n.flds, n.mid FROM notes n JOIN cards c ON c.nid = n.id
             ORDER BY c.due",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn package(course: &Course) -> Vec<u8> {
    export_bytes(Format::Apkg, &Options { seed: 5, ..Options::new(course) }).unwrap()
}

#[test]
fn the_package_holds_a_note_per_question_with_choices_kept() {
    let course = course();
    let bytes = package(&course);
    let (_dir, conn) = collection(&bytes);
    let version: i64 = conn.query_row("SELECT ver FROM col", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 11, "the collection schema every Anki 2.1 imports");
    let (models, decks): (String, String) = conn
        .query_row("SELECT models, decks FROM col", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    let models: serde_json::Value = serde_json::from_str(&models).unwrap();
    let model = models.as_object().unwrap().values().next().unwrap();
    let fields: Vec<&str> =
        model["flds"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(fields, super::super::apkg::FIELDS);
    assert!(model["tmpls"][0]["qfmt"].as_str().unwrap().contains("{{Choices}}"));
    let decks: serde_json::Value = serde_json::from_str(&decks).unwrap();
    assert!(decks.as_object().unwrap().values().any(|d| d["name"] == course.title.as_str()));

    let notes = notes(&bytes);
    let all: Vec<(&Section, &Question)> =
        course.sections.iter().flat_map(|s| s.questions.iter().map(move |q| (s, q))).collect();
    assert_eq!(notes.len(), all.len());
    for ((guid, tags, flds, mid), (section, question)) in notes.iter().zip(&all) {
        assert_eq!(guid, &format!("stemcell:{}:{}", course.id, question.id));
        assert_eq!(mid.to_string(), *models.as_object().unwrap().keys().next().unwrap());
        let tags: Vec<&str> = tags.split_whitespace().collect();
        assert!(tags.contains(&format!("stemcell::{}", section.id).as_str()), "{tags:?}");
        let values: Vec<&str> = flds.split('\u{1f}').collect();
        assert_eq!(values.len(), fields.len());
        let shown = quiz::present_in(section, question, 5);
        for (label, text) in items(question, &shown) {
            let choice = format!("<div>{label}) {}</div>", escape_markup(&text, "<br>"));
            assert!(values[2].contains(&choice), "{}: {choice} in {}", question.id, values[2]);
        }
        assert_eq!(
            values[3],
            escape_markup(&joined(&quiz::correct_answer(question, &shown)), "<br>")
        );
        assert!(values[5].contains(&escape_markup(&section.title, "<br>")), "where it is taught");
    }
    // The ids that make a re-import update: the same on every export.
    let again = super::apkg_read::notes(&package(&course));
    assert_eq!(
        again.iter().map(|n| (&n.0, n.3)).collect::<Vec<_>>(),
        notes.iter().map(|n| (&n.0, n.3)).collect::<Vec<_>>()
    );
}

/// Anki's own import of `files` into a new collection (tests/anki/import.py), or `None`
/// (said loudly) where Python's `anki` package is missing; in CI that fails.
fn import_into_anki(files: &[&std::path::Path]) -> Option<serde_json::Value> {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/anki/import.py");
    let out = std::process::Command::new("python3").arg(script).args(files).output();
    let missing = match &out {
        Err(_) => Some("python3".to_owned()),
        Ok(o) if o.status.code() == Some(3) => Some(String::from_utf8_lossy(&o.stderr).into()),
        Ok(_) => None,
    };
    if let Some(missing) = missing {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v != "true"),
            "CI must import into a real Anki collection: {missing}"
        );
        eprintln!("SKIPPED: the Anki import test needs Python's anki package: {missing}");
        return None;
    }
    let out = out.unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

#[test]
fn anki_imports_every_text_note_even_one_starting_with_a_hash() {
    let mut course = course();
    course.sections[0].questions[0].prompt = "# of cells: how many?".into();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, export(Format::Anki, &Options::new(&course))).unwrap();
    let Some(read) = import_into_anki(&[&path]) else { return };
    let count = course.sections.iter().map(|s| s.questions.len()).sum::<usize>();
    assert_eq!(read["imports"][0]["new"], count, "{}", read["imports"]);
    let notes = read["notes"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n["fields"]["Front"].as_str().unwrap().starts_with("&#35; of cells")),
        "the note starting with # is there"
    );
    assert!(notes.iter().all(|n| n["deck"] == course.title.as_str()));
}

#[test]
fn a_real_anki_collection_imports_the_package_and_a_newer_one_updates_it() {
    let mut course = course();
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.apkg");
    std::fs::write(&first, package(&course)).unwrap();
    // Anki updates a note only from a newer one: its time is in seconds.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    course.sections[0].questions[0].explanation = "A newer explanation.".into();
    let second = dir.path().join("second.apkg");
    std::fs::write(&second, package(&course)).unwrap();
    let Some(read) = import_into_anki(&[&first, &second]) else { return };
    let count = course.sections.iter().map(|s| s.questions.len()).sum::<usize>();
    let imports = &read["imports"];
    assert_eq!(imports[0]["new"], count, "{imports}");
    assert_eq!(imports[1]["new"], 0, "a re-import adds no copies: {imports}");
    // Anki updates every note the newer package holds (and keeps its reviews).
    assert_eq!(imports[1]["updated"], count, "the notes are updated in place: {imports}");
    assert_eq!(read["cards"], count);
    let notes = read["notes"].as_array().unwrap();
    let first_question = &course.sections[0].questions[0];
    let note = notes
        .iter()
        .find(|n| n["guid"] == format!("stemcell:{}:{}", course.id, first_question.id))
        .unwrap();
    assert_eq!(note["notetype"], "stemcell question");
    assert_eq!(note["deck"], course.title.as_str());
    assert_eq!(note["fields"]["Explanation"], "A newer explanation.");
    let question = note["question"].as_str().unwrap();
    assert!(question.contains(&escape_markup(&first_question.prompt, "<br>")), "{question}");
    assert!(question.contains("<div class=choices>"), "options on the front: {question}");
    assert!(note["answer"].as_str().unwrap().contains("Taught in: 1. "), "{note}");
    assert!(
        note["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| *t == format!("stemcell::{}", course.sections[0].id)),
        "{note}"
    );
}
