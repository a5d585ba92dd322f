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
        fs::read_to_string(store.path()).unwrap().contains(&format!("version = {RECORD_VERSION}")),
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
    let mut learner = crate::learner::Learner::new(record, Day(20_001), "a".into());
    learner.reset();
    let (moved, now) = store.reset(&learner.record).unwrap();
    let moved = moved.expect("moved");
    assert!(moved.to_string_lossy().contains(".reset-"));
    assert_eq!(store.open().record, now);
    assert!(now.answers.is_empty() && now.read.is_empty());
    assert!(moved.exists());
}

/// Two windows of one learner; the first resets while the second, opened before, still holds
/// the old answers and then answers once more. The old answers stay gone; the new one is kept.
#[test]
fn a_reset_in_one_window_is_respected_by_the_other() {
    let folder = Folder::new("reset-two");
    let (first, second) = (folder.store(), folder.store());
    let mut old = Record::new("course");
    old.read.insert("harvesting".into());
    answered(&mut old, "q1", "earlier", 0);
    answered(&mut old, "q2", "earlier", 1);
    first.save(&old).unwrap();
    let mut one = crate::learner::Learner::new(first.open().record, Day(20_001), "one".into());
    let mut two = crate::learner::Learner::new(second.open().record, Day(20_001), "two".into());
    one.log_answer("q3", 1.0);
    one.record = first.save(&one.record).unwrap();
    // The second window saved nothing yet: q3 is not in its copy; q4 is, unsaved.
    two.log_answer("q4", 0.0);

    one.reset();
    let (_, after) = first.reset(&one.record).unwrap();
    assert!(after.answers.is_empty());

    two.log_answer("q5", 1.0);
    let merged = second.save(&two.record).unwrap();
    let questions: Vec<&str> = merged.answers.iter().map(|a| a.question.as_str()).collect();
    // q4 was given before the reset but never saved, so the reset could not name it: it is
    // the one answer from before that a reset cannot reach (the window that gave it missed
    // the reset). Everything the resetting window could know of is gone.
    assert_eq!(questions, ["q4", "q5"], "the old answers do not come back");
    assert!(merged.read.is_empty(), "nor what was read before the reset");
    one.log_answer("q6", 1.0);
    let last = first.save(&one.record).unwrap();
    let mut questions: Vec<&str> = last.answers.iter().map(|a| a.question.as_str()).collect();
    questions.sort_unstable();
    assert_eq!(questions, ["q4", "q5", "q6"]);
    assert_eq!(folder.store().open().record, last);
}

#[test]
fn a_record_of_the_first_version_still_loads() {
    let folder = Folder::new("v1");
    let store = folder.store();
    fs::create_dir_all(store.path().parent().unwrap()).unwrap();
    fs::write(
        store.path(),
        "version = 1\ncourse = \"course\"\nread = [\"a\"]\n\n[[answers]]\nquestion = \"q1\"\nday = \"2026-11-24\"\npoints = 1.0\nsession = \"s\"\nn = 0\n",
    )
    .unwrap();
    let opened = store.open();
    assert!(opened.notice.is_none(), "{:?}", opened.notice);
    assert_eq!(opened.record.answers.len(), 1);
}

/// A link planted at the old predictable temporary name (`.PROFILE.toml.tmp-PID`) and one at
/// the lock path, both pointing outside the state folder: no save writes through either.
#[test]
fn a_save_never_writes_through_planted_links() {
    let folder = Folder::new("links");
    let store = folder.store();
    let inside = store.path().parent().unwrap().to_path_buf();
    fs::create_dir_all(&inside).unwrap();
    let outside = folder.0.join("outside");
    fs::create_dir_all(&outside).unwrap();
    let victim = outside.join("victim.txt");
    fs::write(&victim, "precious").unwrap();
    for pid in [std::process::id(), 1, 2, 99_999] {
        std::os::unix::fs::symlink(&victim, inside.join(format!(".default.toml.tmp-{pid}")))
            .unwrap();
    }
    let mut record = Record::new("course");
    answered(&mut record, "q1", "a", 0);
    store.save(&record).unwrap();
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(store.open().record, record);

    let lock_victim = outside.join("lock-victim.txt");
    fs::write(&lock_victim, "precious").unwrap();
    fs::remove_file(inside.join("default.lock")).unwrap();
    std::os::unix::fs::symlink(&lock_victim, inside.join("default.lock")).unwrap();
    let refused = store.save(&record).unwrap_err().to_string();
    assert!(refused.contains("default.lock"), "{refused}");
    fs::remove_file(&lock_victim).unwrap();
    assert!(store.save(&record).is_err(), "a dangling link is not followed either");
    assert!(!lock_victim.exists(), "the lock was not created through the link");
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
}

/// A save killed between writing its temporary and renaming it leaves the temporary; the next
/// save clears it away (only regular files of our own pattern).
#[test]
fn temporaries_left_by_a_killed_save_are_cleared_at_the_next() {
    let folder = Folder::new("leftovers");
    let store = folder.store();
    let inside = store.path().parent().unwrap().to_path_buf();
    fs::create_dir_all(&inside).unwrap();
    fs::write(inside.join(".default.toml.tmp-4242"), "half").unwrap();
    fs::write(inside.join(".default.toml.tmp-aB3xYz09QwEr"), "half").unwrap();
    fs::write(inside.join("notes.txt"), "mine").unwrap();
    fs::write(inside.join(".other.toml.tmp-1"), "another profile's").unwrap();
    store.save(&Record::new("course")).unwrap();
    assert_eq!(
        folder.entries(),
        [".other.toml.tmp-1", "default.lock", "default.toml", "notes.txt"]
    );
}

#[test]
fn another_process_holding_the_lock_makes_a_save_wait_a_bounded_time() {
    let folder = Folder::new("held");
    let store = folder.store();
    store.save(&Record::new("course")).unwrap();
    let holder = fs::File::options().write(true).open(store.path().with_extension("lock")).unwrap();
    holder.lock().unwrap();
    let mut record = Record::new("course");
    answered(&mut record, "q1", "a", 0);
    let busy = store.save_within(&record, std::time::Duration::from_millis(50)).unwrap_err();
    assert_eq!(busy.kind(), std::io::ErrorKind::WouldBlock);
    assert!(store.open().record.answers.is_empty(), "nothing written meanwhile");
    holder.unlock().unwrap();
    store.save_within(&record, std::time::Duration::ZERO).unwrap();
    assert_eq!(store.open().record.answers.len(), 1);
}

#[test]
fn an_oversized_record_is_kept_aside_with_a_message() {
    let folder = Folder::new("huge");
    let store = folder.store();
    fs::create_dir_all(store.path().parent().unwrap()).unwrap();
    // Valid TOML, just far too big: a comment line repeated.
    let line = "# padding padding padding padding padding padding padding padding padding\n";
    let mut text = String::from("version = 1\ncourse = \"course\"\n");
    while (text.len() as u64) <= MAX_RECORD_BYTES {
        text.push_str(line);
    }
    fs::write(store.path(), &text).unwrap();
    let opened = store.open();
    assert_eq!(opened.record, Record::new("course"), "a fresh record starts");
    let notice = opened.notice.expect("the learner is told");
    assert!(notice.contains("larger than the 8 MiB a record may have"), "{notice}");
    let entries = folder.entries();
    let kept = entries.iter().find(|e| e.contains(".corrupt-")).expect("kept aside");
    assert_eq!(fs::metadata(folder.0.join("course").join(kept)).unwrap().len(), text.len() as u64);
}

#[test]
fn a_folded_card_outside_the_boxes_is_refused_not_trusted() {
    let folder = Folder::new("bad-fold");
    let store = folder.store();
    fs::create_dir_all(store.path().parent().unwrap()).unwrap();
    let text = "version = 2\ncourse = \"course\"\n[folded]\nbefore = \"2026-01-01\"\nanswers = 1\nquizzes = 0\n[folded.cards.q1]\nlevel = 0\ndue = \"2026-01-02\"\nreviews = 1\nlapses = 0\n";
    fs::write(store.path(), text).unwrap();
    let notice = store.open().notice.expect("told");
    assert!(notice.contains("box 0"), "{notice}");
}

/// A link planted at the course folder was followed: another program's `default.toml` there
/// was renamed aside and replaced by a learner record. Now nothing is read, moved or written
/// through it, and the learner is told why.
#[test]
fn a_link_at_the_course_folder_is_never_followed() {
    let folder = Folder::new("folder-link");
    let outside = folder.0.join("outside");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("default.toml"), "another program's file").unwrap();
    std::os::unix::fs::symlink(&outside, folder.0.join("course")).unwrap();
    let store = folder.store();
    let opened = store.open();
    let notice = opened.notice.expect("the learner is told");
    assert!(notice.contains("symbolic link"), "{notice}");
    let mut record = Record::new("course");
    answered(&mut record, "q1", "a", 0);
    let refused = store.save(&record).unwrap_err().to_string();
    assert!(refused.contains("symbolic link"), "{refused}");
    assert!(store.reset(&record).is_err());
    let names: Vec<_> = fs::read_dir(&outside).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(names, vec![std::ffi::OsString::from("default.toml")], "nothing added or moved");
    assert_eq!(fs::read_to_string(outside.join("default.toml")).unwrap(), "another program's file");
}

/// A link at the record itself is not read through (the record is kept aside, that is the
/// link is renamed, and what it points to is untouched).
#[test]
fn a_link_at_the_record_is_not_read_through() {
    let folder = Folder::new("record-link");
    let store = folder.store();
    fs::create_dir_all(store.path().parent().unwrap()).unwrap();
    let victim = folder.0.join("victim.toml");
    let mut elsewhere = Record::new("course");
    answered(&mut elsewhere, "secret", "a", 0);
    fs::write(&victim, toml::to_string(&elsewhere).unwrap()).unwrap();
    std::os::unix::fs::symlink(&victim, store.path()).unwrap();
    let opened = store.open();
    assert!(opened.record.answers.is_empty(), "another file's answers are not taken in");
    assert!(opened.notice.unwrap().contains("symbolic link"));
    assert_eq!(fs::read_to_string(&victim).unwrap(), toml::to_string(&elsewhere).unwrap());
}

/// Course folders were made 0755 and anyone on the machine could list them: they are made
/// owner-only now, and one an earlier version made is tightened at the next save.
#[test]
fn course_folders_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let folder = Folder::new("modes");
    let store = folder.store();
    store.save(&Record::new("course")).unwrap();
    let course = store.path().parent().unwrap();
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(course), 0o700);
    assert_eq!(mode(store.path()), 0o600);
    fs::set_permissions(course, fs::Permissions::from_mode(0o755)).unwrap();
    store.save(&Record::new("course")).unwrap();
    assert_eq!(mode(course), 0o700, "an old 0755 folder is tightened");
    let fresh = Folder::new("modes-base");
    let base = fresh.0.join("state");
    Store::at(&base, "course", "default").save(&Record::new("course")).unwrap();
    assert_eq!(mode(&base), 0o700, "a state folder made by us is owner-only");
}
