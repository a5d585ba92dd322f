//! An Anki package (`.apkg`, File → Import in Anki 2.1 and later): a zip holding
//! `collection.anki2`, an `SQLite` collection in the schema every Anki since 2.1 imports
//! (version 11), and an empty `media` list.
//!
//! One note per question, of a note type of our own ("stemcell question") whose fields keep a
//! choice question a choice question: the front shows the prompt, how to answer and the
//! options as the screen labels them; the back the key, the explanation and the section where
//! it is taught. Each note's GUID is `stemcell:COURSE:QUESTION`, and the note type's and
//! deck's ids come from the course id, so importing a newer export updates the notes (and
//! keeps their review history) instead of adding copies. Tags: `stemcell::COURSE` and
//! `stemcell::SECTION`. Fields are HTML, escaped, so a pack's text stays text.
//!
//! A hand-written writer on the rusqlite and zip already here: genanki-rs (0.4) pins
//! rusqlite 0.25, whose bundled `SQLite` cannot link beside ours.

use std::fmt::Write as _;
use std::io::Write as _;

use rusqlite::{Connection, params};
use serde_json::json;
use sha1::{Digest, Sha1};

use super::{Options, how_to_answer, items, joined};
use crate::quiz;

/// The schema of an Anki 2.1 collection (version 11), as Anki itself creates it.
const SCHEMA: &str = "
CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null,
    scm integer not null, ver integer not null, dty integer not null, usn integer not null,
    ls integer not null, conf text not null, models text not null, decks text not null,
    dconf text not null, tags text not null);
CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null,
    mod integer not null, usn integer not null, tags text not null, flds text not null,
    sfld integer not null, csum integer not null, flags integer not null, data text not null);
CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null,
    ord integer not null, mod integer not null, usn integer not null, type integer not null,
    queue integer not null, due integer not null, ivl integer not null, factor integer not null,
    reps integer not null, lapses integer not null, left integer not null, odue integer not null,
    odid integer not null, flags integer not null, data text not null);
CREATE TABLE revlog (id integer primary key, cid integer not null, usn integer not null,
    ease integer not null, ivl integer not null, lastIvl integer not null,
    factor integer not null, time integer not null, type integer not null);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
CREATE INDEX ix_notes_usn on notes (usn);
CREATE INDEX ix_cards_usn on cards (usn);
CREATE INDEX ix_revlog_usn on revlog (usn);
CREATE INDEX ix_cards_nid on cards (nid);
CREATE INDEX ix_cards_sched on cards (did, queue, due);
CREATE INDEX ix_revlog_cid on revlog (cid);
CREATE INDEX ix_notes_csum on notes (csum);
";

/// The note type's fields, in order (the first is the sort field).
pub const FIELDS: [&str; 6] = ["Prompt", "How", "Choices", "Answer", "Explanation", "Section"];

const FRONT: &str = "<div class=prompt>{{Prompt}}</div>\n<div class=how>{{How}}</div>\n{{#Choices}}<div class=choices>{{Choices}}</div>{{/Choices}}";
const BACK: &str = "{{FrontSide}}\n<hr id=answer>\n<div class=key>{{Answer}}</div>\n{{#Explanation}}<div class=explanation>{{Explanation}}</div>{{/Explanation}}\n<div class=section>Taught in: {{Section}}</div>";
const CSS: &str = ".card { font-family: sans-serif; font-size: 20px; text-align: left; color: black; background-color: white; }\n.how { font-style: italic; margin: .5em 0; }\n.choices div { margin: .25em 0; }\n.key { font-weight: bold; }\n.explanation { margin-top: .75em; }\n.section { margin-top: .75em; font-size: 16px; color: #555; }\n.nightMode .section { color: #aaa; }";

/// A stable id in the range Anki's own ids (milliseconds since 1970) take, from a name: the
/// same course gives the same note type and deck on every export.
fn stable_id(name: &str) -> i64 {
    let digest = Sha1::digest(name.as_bytes());
    let mut bytes = [0; 8];
    bytes.copy_from_slice(&digest[..8]);
    // 1.5e12 to 1.6e12: after 2017, before 2020; never a time Anki stamps a new object with.
    1_500_000_000_000 + i64::try_from(u64::from_be_bytes(bytes) % 100_000_000_000).unwrap_or(0)
}

/// A note's GUID: the same question of the same course is the same note.
pub fn guid(course: &str, question: &str) -> String {
    format!("stemcell:{course}:{question}")
}

/// Anki's checksum of a note's sort field: the first 8 hex digits of its SHA-1, as a number.
fn checksum(text: &str) -> i64 {
    let digest = Sha1::digest(text.as_bytes());
    i64::from(u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]))
}

/// A value as an HTML field: escaped (controls, the field separator among them, become
/// spaces), and without a character XML forbids.
fn field(value: &str) -> String {
    super::xml_safe(super::escape_markup(value, "<br>"), '\n')
}

/// A tag: Anki separates tags by spaces.
fn tag(value: &str) -> String {
    value.chars().map(|c| if c.is_alphanumeric() || c == '-' { c } else { '_' }).collect()
}

pub fn export(options: &Options) -> Result<Vec<u8>, String> {
    let dir = tempfile::tempdir().map_err(|e| format!("cannot make a temporary folder: {e}"))?;
    let path = dir.path().join("collection.anki2");
    {
        let conn = Connection::open(&path).map_err(|e| e.to_string())?;
        write_collection(&conn, options).map_err(|e| format!("writing the collection: {e}"))?;
    }
    let collection = std::fs::read(&path).map_err(|e| e.to_string())?;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let zipped = (|| -> zip::result::ZipResult<Vec<u8>> {
        zip.start_file("collection.anki2", deflated)?;
        zip.write_all(&collection)?;
        zip.start_file("media", deflated)?;
        zip.write_all(b"{}")?;
        Ok(zip.finish()?.into_inner())
    })();
    zipped.map_err(|e| format!("writing the package: {e}"))
}

fn write_collection(conn: &Connection, options: &Options) -> rusqlite::Result<()> {
    let course = options.course;
    conn.execute_batch(SCHEMA)?;
    let model_id = stable_id(&format!("stemcell model {}", course.id));
    let deck_id = stable_id(&format!("stemcell deck {}", course.id));
    // The collection's own objects keep a fixed time; notes carry the time of the export,
    // since Anki updates a note on import only when the incoming one is newer.
    let stamp: i64 = 1_500_000_000;
    let now = jiff::Timestamp::now().as_second();
    write_settings(conn, &course.title, model_id, deck_id, stamp)?;
    let mut due = 0;
    for (index, section) in options.sections() {
        let tags = format!(" stemcell::{} stemcell::{} ", tag(&course.id), tag(&section.id));
        let taught = format!("{}. {}", index + 1, section.title);
        for question in &section.questions {
            due += 1;
            let shown = quiz::present_in(section, question, options.seed);
            let mut choices = String::new();
            for (label, text) in items(question, &shown) {
                let _ = write!(choices, "<div>{}) {}</div>", field(&label), field(&text));
            }
            let values = [
                field(&question.prompt),
                how_to_answer(question).to_owned(),
                choices,
                field(&joined(&quiz::correct_answer(question, &shown))),
                field(&question.explanation),
                field(&taught),
            ];
            let guid = guid(&course.id, &question.id);
            let note_id = stable_id(&guid);
            let sort_field: String = super::xml_safe(question.prompt.clone(), ' ')
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            conn.execute(
                "INSERT INTO notes VALUES (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, ?8, 0, '')",
                params![
                    note_id,
                    guid,
                    model_id,
                    now,
                    tags,
                    values.join("\u{1f}"),
                    sort_field,
                    checksum(&sort_field)
                ],
            )?;
            conn.execute(
                "INSERT INTO cards VALUES (?1, ?2, ?3, 0, ?4, -1, 0, 0, ?5, 0, 0, 0, 0, 0, 0, 0, 0, '')",
                params![note_id, note_id, deck_id, stamp, due],
            )?;
        }
    }
    Ok(())
}

/// The collection's row: its settings, the note type, the deck and the deck's options.
fn write_settings(
    conn: &Connection,
    title: &str,
    model_id: i64,
    deck_id: i64,
    stamp: i64,
) -> rusqlite::Result<()> {
    let deck_name: String = title.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let fields: Vec<_> = FIELDS
        .iter()
        .enumerate()
        .map(|(ord, name)| {
            json!({"name": name, "ord": ord, "sticky": false, "rtl": false, "font": "Arial",
                   "size": 20, "media": []})
        })
        .collect();
    let models = json!({ model_id.to_string(): {
        "id": model_id, "name": "stemcell question", "type": 0, "mod": stamp, "usn": -1,
        "sortf": 0, "did": deck_id, "flds": fields, "css": CSS,
        "tmpls": [{"name": "Question", "ord": 0, "qfmt": FRONT, "afmt": BACK, "did": null,
                   "bqfmt": "", "bafmt": ""}],
        "latexPre": "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n",
        "latexPost": "\\end{document}", "latexsvg": false,
        "req": [[0, "any", [0]]], "tags": [], "vers": [],
    }});
    let deck = |id: i64, name: &str| {
        json!({"id": id, "name": name, "mod": stamp, "usn": -1, "lrnToday": [0, 0],
               "revToday": [0, 0], "newToday": [0, 0], "timeToday": [0, 0], "collapsed": false,
               "browserCollapsed": false, "desc": "", "dyn": 0, "conf": 1, "extendNew": 0,
               "extendRev": 0})
    };
    let decks = json!({"1": deck(1, "Default"), deck_id.to_string(): deck(deck_id, &deck_name)});
    let deck_options = json!({"1": {
        "id": 1, "name": "Default", "mod": 0, "usn": 0, "maxTaken": 60, "autoplay": true,
        "timer": 0, "replayq": true, "dyn": false,
        "new": {"bury": false, "delays": [1.0, 10.0], "initialFactor": 2500, "ints": [1, 4, 0],
                "order": 1, "perDay": 20},
        "lapse": {"delays": [10.0], "leechAction": 1, "leechFails": 8, "minInt": 1, "mult": 0.0},
        "rev": {"bury": false, "ease4": 1.3, "ivlFct": 1.0, "maxIvl": 36500, "perDay": 200,
                "hardFactor": 1.2},
    }});
    let settings = json!({"activeDecks": [1], "curDeck": 1, "newSpread": 0, "collapseTime": 1200,
                      "timeLim": 0, "estTimes": true, "dueCounts": true, "curModel": model_id,
                      "nextPos": 1, "sortType": "noteFld", "sortBackwards": false,
                      "addToCur": true});
    conn.execute(
        "INSERT INTO col VALUES (1, ?1, ?2, ?3, 11, 0, 0, 0, ?4, ?5, ?6, ?7, '{}')",
        params![
            stamp,
            stamp * 1000,
            stamp * 1000,
            settings.to_string(),
            models.to_string(),
            decks.to_string(),
            deck_options.to_string()
        ],
    )?;
    Ok(())
}
