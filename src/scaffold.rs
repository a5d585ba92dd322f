//! `stemcell new DIR`: a small pack that validates clean and runs, to start a course from.
//! Two sections, one question of each kind, a callout and a context note, a glossary.

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

/// Writes a new pack into `dir`, which must not exist yet: nothing is ever overwritten.
pub fn create(dir: &Path) -> io::Result<()> {
    if dir.exists() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} already exists; choose a new folder name", dir.display()),
        ));
    }
    for (path, text) in FILES {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(target, text)?;
    }
    Ok(())
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
}
