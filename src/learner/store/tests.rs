//! The store against the ways records get lost: crashes, garbage, newer versions, two
//! windows, folders that cannot be written.

use std::fs;
use std::path::PathBuf;

use super::*;
use crate::learner::{AnswerLog, Day};

/// A fresh folder per test, removed afterwards.
struct Folder(PathBuf);

impl Folder {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("stemcell-store-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn store(&self) -> Store {
        Store::at(&self.0, "course", "default")
    }

    fn entries(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.0.join("course"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn answered(record: &mut Record, question: &str, session: &str, n: u32) {
    record.answers.push(AnswerLog {
        question: question.into(),
        day: Day(20_000),
        points: 1.0,
        session: session.into(),
        n,
    });
}

#[test]
fn a_saved_record_reads_back_the_same() {
    let folder = Folder::new("roundtrip");
    let store = folder.store();
    let mut record = Record::new("course");
    record.read.insert("harvesting".into());
    answered(&mut record, "q1", "a", 0);
    store.save(&record).unwrap();
    let opened = store.open();
    assert_eq!(opened.record, record);
    assert!(opened.notice.is_none());
    assert!(
        fs::read_to_string(store.path()).unwrap().contains("version = 1"),
        "readable and versioned"
    );
}

#[test]
fn no_record_yet_is_a_fresh_start_without_a_warning() {
    let folder = Folder::new("fresh");
    let opened = folder.store().open();
    assert_eq!(opened.record, Record::new("course"));
    assert!(opened.notice.is_none());
}

#[test]
fn an_interrupted_write_leaves_the_old_record_intact() {
    let folder = Folder::new("crash");
    let store = folder.store();
    let mut record = Record::new("course");
    answered(&mut record, "q1", "a", 0);
    store.save(&record).unwrap();
    // A crash mid-write leaves a half-written temporary file, never a half-written record.
    let temporary = store.path().parent().unwrap().join(".default.toml.tmp-99999");
    fs::write(&temporary, "version = 1\ncourse = \"cou").unwrap();
    assert_eq!(store.open().record, record);
    answered(&mut record, "q2", "a", 1);
    store.save(&record).unwrap();
    assert_eq!(store.open().record.answers.len(), 2);
}

#[test]
fn garbage_is_kept_aside_and_the_learner_is_told() {
    let folder = Folder::new("garbage");
    let store = folder.store();
    fs::create_dir_all(store.path().parent().unwrap()).unwrap();
    fs::write(store.path(), "this is not a record {{{").unwrap();
    let opened = store.open();
    assert_eq!(opened.record, Record::new("course"));
    let notice = opened.notice.expect("the learner is told");
    assert!(notice.contains("could not be read") && notice.contains(".corrupt-"), "{notice}");
    let entries = folder.entries();
    assert!(entries.iter().any(|e| e.starts_with("default.toml.corrupt-")), "{entries:?}");
    let kept = entries.iter().find(|e| e.contains("corrupt")).unwrap();
    assert_eq!(
        fs::read_to_string(folder.0.join("course").join(kept)).unwrap(),
        "this is not a record {{{"
    );
}

#[test]
fn a_truncated_record_is_kept_aside() {
    let folder = Folder::new("truncated");
    let store = folder.store();
    let mut record = Record::new("course");
    answered(&mut record, "q1", "a", 0);
    store.save(&record).unwrap();
    let text = fs::read_to_string(store.path()).unwrap();
    fs::write(store.path(), &text[..text.len() / 2]).unwrap();
    assert!(store.open().notice.is_some());
    assert!(folder.entries().iter().any(|e| e.contains(".corrupt-")));
}

#[test]
fn a_record_from_a_newer_program_is_kept_not_misread() {
    let folder = Folder::new("future");
    let store = folder.store();
    fs::create_dir_all(store.path().parent().unwrap()).unwrap();
    fs::write(store.path(), "version = 9\ncourse = \"course\"\nsomething_new = 1\n").unwrap();
    let notice = store.open().notice.unwrap();
    assert!(notice.contains("newer stemcell (record version 9)"), "{notice}");
    assert!(folder.entries().iter().any(|e| e.contains(".corrupt-")));
}

#[test]
fn two_windows_saving_lose_no_answers() {
    let folder = Folder::new("two");
    let (first, second) = (folder.store(), folder.store());
    let mut a = first.open().record;
    let mut b = second.open().record;
    answered(&mut a, "q1", "window-a", 0);
    answered(&mut b, "q2", "window-b", 0);
    first.save(&a).unwrap();
    let merged = second.save(&b).unwrap();
    assert_eq!(merged.answers.len(), 2, "the second window sees the first's answer");
    answered(&mut a, "q3", "window-a", 1);
    first.save(&a).unwrap();
    let on_disk = first.open().record;
    let questions: Vec<&str> = on_disk.answers.iter().map(|x| x.question.as_str()).collect();
    assert_eq!(questions.len(), 3, "{questions:?}");
    assert!(["q1", "q2", "q3"].iter().all(|q| questions.contains(q)));
}

#[test]
fn concurrent_saves_from_threads_lose_nothing() {
    let folder = Folder::new("threads");
    let handles: Vec<_> = (0..4)
        .map(|window| {
            let store = folder.store();
            std::thread::spawn(move || {
                let mut record = Record::new("course");
                for n in 0..10 {
                    answered(&mut record, &format!("q{n}"), &format!("w{window}"), n);
                    record = store.save(&record).unwrap();
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    assert_eq!(folder.store().open().record.answers.len(), 40);
}

#[test]
fn a_folder_that_cannot_be_written_is_an_error_not_a_crash() {
    // Tests may run as root, who can write anywhere: a file where the folder should be
    // makes the folder impossible to create for everyone.
    let folder = Folder::new("blocked");
    fs::write(folder.0.join("course"), "a file, not a folder").unwrap();
    let store = folder.store();
    assert!(store.open().notice.is_some() || store.open().record == Record::new("course"));
    let error = store.save(&Record::new("course")).unwrap_err();
    assert!(!error.to_string().is_empty());
}

#[test]
fn reset_keeps_the_old_record_aside() {
    let folder = Folder::new("reset");
    let store = folder.store();
    let mut record = Record::new("course");
    answered(&mut record, "q1", "a", 0);
    store.save(&record).unwrap();
    let moved = store.reset().unwrap().expect("moved");
    assert!(moved.to_string_lossy().contains(".reset-"));
    assert_eq!(store.open().record, Record::new("course"));
    assert!(moved.exists());
}
