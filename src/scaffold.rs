//! `stemcell new DIR`: a small pack that validates clean and runs, to start a course from.
//! Two sections, one question of each kind, a callout and a context note, a glossary.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// The pack's files: (path inside the pack, contents).
const FILES: &[(&str, &str)] = &[
    ("content/course.toml", include_str!("../templates/new/content/course.toml")),
    ("content/sections/basics.toml", include_str!("../templates/new/content/sections/basics.toml")),
    (
        "content/sections/going-further.toml",
        include_str!("../templates/new/content/sections/going-further.toml"),
    ),
    ("content/glossary.toml", include_str!("../templates/new/content/glossary.toml")),
];

/// Writes a new pack into `dir`, which must not exist yet or be an empty folder (one just made
/// with `mkdir`, or `.`): nothing is ever overwritten. The pack is written into a hidden folder
/// beside `dir` (inside it, when it exists) and moved into place once complete, so an
/// interrupted or failed run leaves no half pack in the way of the next.
pub fn create(dir: &Path) -> io::Result<()> {
    create_from(dir, FILES)
}

fn create_from(dir: &Path, files: &[(&str, &str)]) -> io::Result<()> {
    if is_empty_folder(dir) {
        return fill_empty_folder(dir, files);
    }
    refuse_existing(dir)?;
    let parent = match dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    fs::create_dir_all(parent)?;
    let name = dir.file_name().map_or_else(|| "pack".into(), |n| n.to_string_lossy());
    let folder = |n: u32| parent.join(format!(".{name}.new-{}-{n}", std::process::id()));
    let (mut n, mut building) = (0, folder(0));
    // A folder of the same name left by an earlier run with the same process id is not ours to
    // remove: take the next name.
    while let Err(e) = fs::create_dir(&building) {
        if e.kind() != io::ErrorKind::AlreadyExists || n > 100 {
            return Err(e);
        }
        n += 1;
        building = folder(n);
    }
    let written = write_files(&building, files).and_then(|()| {
        // Checked again: `dir` may have appeared while the files were written.
        refuse_existing(dir)?;
        fs::rename(&building, dir)
    });
    if written.is_err() {
        let _ = fs::remove_dir_all(&building);
    }
    written
}

/// Whether `dir` is a folder (not a link to one) with nothing in it.
fn is_empty_folder(dir: &Path) -> bool {
    fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir())
        && fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

/// Writes the pack into a hidden folder inside the empty folder `dir`, then moves its entries
/// up: the folder itself stays (a shell standing in it still sees the pack), and a failure
/// leaves it empty again.
fn fill_empty_folder(dir: &Path, files: &[(&str, &str)]) -> io::Result<()> {
    let building = dir.join(format!(".stemcell-new-{}", std::process::id()));
    fs::create_dir(&building)?;
    let written = write_files(&building, files).and_then(|()| {
        for entry in fs::read_dir(&building)? {
            let name = entry?.file_name();
            let target = dir.join(&name);
            if fs::symlink_metadata(&target).is_ok() {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("{} appeared while the pack was written", target.display()),
                ));
            }
            fs::rename(building.join(&name), target)?;
        }
        fs::remove_dir(&building)
    });
    if written.is_err() {
        let _ = fs::remove_dir_all(&building);
    }
    written
}

fn write_files(root: &Path, files: &[(&str, &str)]) -> io::Result<()> {
    for (path, text) in files {
        let target = root.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(target, text)?;
    }
    Ok(())
}

/// An error that says what is at `dir`, if anything is (a dangling link counts: creating the
/// folder would fail on it).
fn refuse_existing(dir: &Path) -> io::Result<()> {
    let Ok(meta) = fs::symlink_metadata(dir) else { return Ok(()) };
    let what = if meta.file_type().is_symlink() {
        match (fs::read_link(dir), dir.exists()) {
            (Ok(target), false) => {
                format!("is a link to {}, which does not exist", target.display())
            }
            (Ok(target), true) => format!("is a link to {}", target.display()),
            (Err(_), _) => "is a link".to_owned(),
        }
    } else if meta.is_dir() {
        "already exists and is not empty".to_owned()
    } else {
        "already exists as a file".to_owned()
    };
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("{} {what}; choose a new folder name", dir.display()),
    ))
}

/// Writes a large, valid pack for performance work (`examples/large_pack.rs`, the benchmarks):
/// `sections` sections titled "Section N", `questions` questions spread evenly and cycling
/// through all six kinds, and in every section text, a note, key points and a diagram.
pub fn large_pack(dir: &Path, sections: usize, questions: usize) -> io::Result<()> {
    fs::create_dir_all(dir.join("content/sections"))?;
    fs::create_dir_all(dir.join("assets/diagrams"))?;
    let ids: Vec<String> = (1..=sections).map(|i| format!("section-{i}")).collect();
    let list: Vec<String> = ids.iter().map(|id| format!("\"{id}\"")).collect();
    fs::write(
        dir.join("content/course.toml"),
        format!(
            "format_version = 1\nid = \"large\"\ntitle = \"A large course\"\ndescription = \"Generated for performance tests.\"\ndisclaimer = \"Generated text.\"\nsections = [{}]\n",
            list.join(", ")
        ),
    )?;
    fs::write(
        dir.join("assets/diagrams/flow.toml"),
        "id = \"flow\"\ntitle = \"Flow\"\nalt = \"From a start, through a middle, to an end.\"\n[[nodes]]\nid = \"start\"\nlabel = \"Start\"\n[[nodes]]\nid = \"middle\"\nlabel = \"Middle\"\n[[nodes]]\nid = \"end\"\nlabel = \"End\"\n[[edges]]\nfrom = \"start\"\nto = \"middle\"\n[[edges]]\nfrom = \"middle\"\nto = \"end\"\n[[steps]]\ncaption = \"First the start.\"\nhighlight = [\"start\"]\n[[steps]]\ncaption = \"All of it.\"\n",
    )?;
    fs::write(
        dir.join("content/glossary.toml"),
        "[[terms]]\nterm = \"cell\"\ndefinition = \"The smallest unit of life.\"\n",
    )?;
    let per_section = questions / sections;
    let extra = questions % sections;
    for (i, id) in ids.iter().enumerate() {
        let count = per_section + usize::from(i < extra);
        fs::write(
            dir.join(format!("content/sections/{id}.toml")),
            large_section(i + 1, id, count),
        )?;
    }
    Ok(())
}

/// Writes a pack whose one section is a single paragraph of about `bytes` bytes of words,
/// many of them glossary terms and some emphasised, for the benchmark of long text (loading,
/// validating and the first screen must stay linear in the paragraph's length).
pub fn long_paragraph_pack(dir: &Path, bytes: usize) -> io::Result<()> {
    fs::create_dir_all(dir.join("content/sections"))?;
    fs::write(
        dir.join("content/course.toml"),
        "format_version = 1\nid = \"long\"\ntitle = \"A long paragraph\"\ndescription = \"Generated for performance tests.\"\ndisclaimer = \"Generated text.\"\nsections = [\"long\"]\n",
    )?;
    fs::write(
        dir.join("content/glossary.toml"),
        "[[terms]]\nterm = \"stem cell\"\nalso = [\"stem cells\"]\ndefinition = \"A cell that can renew itself.\"\n\n[[terms]]\nterm = \"marrow\"\ndefinition = \"The soft tissue inside bones.\"\n",
    )?;
    let words = "A stem cell in the marrow divides, and each *new* cell may grow into **tissue** ";
    let mut paragraph = String::with_capacity(bytes + words.len());
    while paragraph.len() < bytes {
        paragraph.push_str(words);
    }
    fs::write(
        dir.join("content/sections/long.toml"),
        format!(
            "id = \"long\"\ntitle = \"One long paragraph\"\n\n[[blocks]]\nkind = \"text\"\nid = \"text\"\ntext = \"\"\"\n{}\n\"\"\"\n\n[[questions]]\nid = \"q\"\nkind = \"truefalse\"\nblock = \"text\"\nprompt = \"Cells divide.\"\nanswer = true\nexplanation = \"The paragraph says so.\"\n",
            paragraph.trim_end()
        ),
    )?;
    Ok(())
}

fn large_section(number: usize, id: &str, questions: usize) -> String {
    let mut out = format!(
        "id = \"{id}\"\ntitle = \"Section {number}: growing cells\"\nshort_title = \"Section {number}\"\nkey_points = [\"A cell divides.\", \"Cells are counted.\", \"Counts are checked.\"]\n\n"
    );
    let paragraph = "Every cell in this section divides, grows and is counted again, so that the *text* is long enough to wrap over several lines at any width a reader might use.";
    for block in ["intro", "detail"] {
        let _ = write!(
            out,
            "[[blocks]]\nkind = \"text\"\nid = \"{block}\"\ntext = \"{paragraph} {paragraph}\"\n\n"
        );
    }
    out.push_str("[[blocks]]\nkind = \"context\"\nid = \"note\"\ntitle = \"A note\"\ntext = \"Generated context.\"\nsource = \"The generator\"\n\n");
    out.push_str("[[blocks]]\nkind = \"diagram\"\nid = \"picture\"\ndiagram = \"flow\"\n\n");
    for q in 0..questions {
        let qid = format!("{id}-q{q}");
        let head = format!(
            "[[questions]]\nid = \"{qid}\"\nblock = \"intro\"\nprompt = \"Question {q} of section {number}: fill the ___ or choose.\"\nexplanation = \"Because it is generated.\"\n"
        );
        out.push_str(&head);
        match q % 6 {
            0 => out.push_str("kind = \"single\"\n[[questions.options]]\ntext = \"Right\"\ncorrect = true\n[[questions.options]]\ntext = \"Wrong\"\nfeedback = \"No.\"\n"),
            1 => out.push_str("kind = \"multiple\"\n[[questions.options]]\ntext = \"One\"\ncorrect = true\n[[questions.options]]\ntext = \"Two\"\ncorrect = true\n[[questions.options]]\ntext = \"Three\"\nfeedback = \"No.\"\n"),
            2 => out.push_str("kind = \"truefalse\"\nanswer = true\n"),
            3 => out.push_str("kind = \"order\"\nsteps = [\"First\", \"Second\", \"Third\"]\n"),
            4 => out.push_str("kind = \"match\"\npairs = [{ left = \"A\", right = \"1\" }, { left = \"B\", right = \"2\" }]\n"),
            _ => out.push_str("kind = \"fill\"\naccept = [\"cell\"]\n"),
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{self, load::PackSource};
    use crate::course::QuestionKind;

    #[test]
    fn a_new_pack_validates_clean_with_every_question_kind_and_refuses_to_overwrite() {
        let dir = std::env::temp_dir().join(format!("stemcell-new-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        create(&dir).unwrap();
        let loaded = content::load(&PackSource::Dir(dir.clone())).expect("the new pack loads");
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        let kinds: std::collections::HashSet<QuestionKind> = loaded
            .course
            .sections
            .iter()
            .flat_map(|s| &s.questions)
            .map(crate::course::Question::kind)
            .collect();
        assert_eq!(kinds.len(), 6);
        let again = create(&dir).unwrap_err();
        assert_eq!(again.kind(), io::ErrorKind::AlreadyExists);
        fs::remove_dir_all(dir).unwrap();
    }

    /// `new` refused an existing empty folder (made with `mkdir` first, or `.`): it is filled
    /// now, in place; a folder with anything in it is still refused, untouched.
    #[test]
    fn an_existing_empty_folder_is_filled_and_a_full_one_refused() {
        let dir = std::env::temp_dir().join(format!("stemcell-new-empty-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        create(&dir).expect("an empty folder takes the pack");
        assert!(content::load(&PackSource::Dir(dir.clone())).is_ok());
        let names: Vec<_> = fs::read_dir(&dir).unwrap().flatten().map(|e| e.file_name()).collect();
        assert!(names.iter().all(|n| !n.to_string_lossy().starts_with('.')), "{names:?}");
        let again = create(&dir).unwrap_err();
        assert!(again.to_string().contains("not empty"), "{again}");
        fs::remove_dir_all(&dir).unwrap();
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("notes.txt"), "mine").unwrap();
        assert!(create(&dir).is_err());
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1, "left as it was");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_dangling_link_is_named_with_where_it_points() {
        let dir = std::env::temp_dir().join(format!("stemcell-new-link-{}", std::process::id()));
        let _ = fs::remove_file(&dir);
        std::os::unix::fs::symlink("/nonexistent/elsewhere", &dir).unwrap();
        let e = create(&dir).unwrap_err();
        fs::remove_file(&dir).unwrap();
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        let message = e.to_string();
        assert!(message.contains(&dir.display().to_string()), "{message}");
        assert!(
            message.contains("link to /nonexistent/elsewhere, which does not exist"),
            "{message}"
        );
    }

    #[test]
    fn a_failure_halfway_leaves_nothing_behind_and_the_next_run_succeeds() {
        let base = std::env::temp_dir().join(format!("stemcell-new-half-{}", std::process::id()));
        let _ = fs::remove_dir_all(&base);
        fs::create_dir_all(&base).unwrap();
        let dir = base.join("course");
        // The second file cannot be written: its folder would be the first file.
        let failing = [FILES[0], ("content/course.toml/inside.toml", "x")];
        assert!(create_from(&dir, &failing).is_err());
        assert!(fs::symlink_metadata(&dir).is_err(), "no half pack is left at the target");
        let left: Vec<_> = fs::read_dir(&base).unwrap().flatten().map(|e| e.file_name()).collect();
        assert!(left.is_empty(), "no temporary folder is left either: {left:?}");
        create(&dir).expect("the next run makes the pack");
        assert!(content::load(&PackSource::Dir(dir)).is_ok());
        fs::remove_dir_all(base).unwrap();
    }
}
