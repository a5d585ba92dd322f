//! Where a pack's files come from: the copy embedded at build time, or a folder on disk.
//! Reading is the only I/O of loading; everything after works on the texts read here.

use std::path::{Path, PathBuf};
use std::{fs, io};

use super::error::{Diagnostic, Severity};
use crate::files::Refused;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_pack.rs"));
}

/// The tree `build.rs` parsed from the built-in pack's file at `relative`, if `text` is that
/// file's text (so a pack folder that copies a file unchanged gets its tree too; an edited
/// one never does).
pub fn prebuilt_tree(relative: &str, text: &str) -> Option<&'static [u8]> {
    embedded::FILES
        .iter()
        .find(|(path, embedded_text, tree)| {
            *path == relative && *embedded_text == text && !tree.is_empty()
        })
        .map(|(_, _, tree)| *tree)
}

/// The manifest's path inside a pack.
pub const MANIFEST: &str = "content/course.toml";

/// Where a pack's files are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackSource {
    /// The stem cell course, compiled into the binary.
    BuiltIn,
    /// A pack folder on disk (`--pack DIR`).
    Dir(PathBuf),
}

/// A file's text, or why there is none.
pub enum FileText {
    Text(String),
    Missing,
    Problem(Diagnostic),
}

impl PackSource {
    /// Reads `relative` (a `/`-separated path inside the pack).
    pub fn read(&self, relative: &str) -> FileText {
        match self {
            Self::BuiltIn => embedded::FILES
                .iter()
                .find(|(path, _, _)| *path == relative)
                .map_or(FileText::Missing, |(_, text, _)| FileText::Text((*text).to_owned())),
            Self::Dir(root) => read_disk(root, &root.join(relative), relative, Folder::Unchecked),
        }
    }

    /// [`Self::read`] for a file in a folder the caller found inside the pack (see
    /// [`Self::folder_outside`]) just before: only the file itself can then lead out, so one
    /// look at it replaces resolving its whole path. For the many files of one folder (a
    /// thousand sections) that saves a `readlink` per component of every path.
    pub fn read_in_checked_folder(&self, relative: &str) -> FileText {
        match self {
            Self::BuiltIn => self.read(relative),
            Self::Dir(root) => read_disk(root, &root.join(relative), relative, Folder::Inside),
        }
    }

    /// The `.toml` files directly inside `dir` (a `/`-separated path inside the pack), as
    /// pack-relative paths, sorted; used to notice section files the manifest forgot.
    pub fn toml_files_in(&self, dir: &str) -> Vec<String> {
        let prefix = format!("{dir}/");
        let mut found: Vec<String> = match self {
            Self::BuiltIn => embedded::FILES
                .iter()
                .map(|(path, _, _)| *path)
                .filter(|p| p.strip_prefix(&prefix).is_some_and(|rest| !rest.contains('/')))
                .map(str::to_owned)
                .collect(),
            Self::Dir(root) => fs::read_dir(root.join(dir))
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|entry| entry.file_name().into_string().ok())
                .filter(|name| Path::new(name).extension().is_some_and(|e| e == "toml"))
                .map(|name| format!("{prefix}{name}"))
                .collect(),
        };
        found.sort();
        found
    }

    /// Where a folder of the pack really is, when a link takes it outside the pack (`None`
    /// for a folder inside, a missing one, and the built-in pack). Expects a canonical pack.
    pub fn folder_outside(&self, dir: &str) -> Option<PathBuf> {
        let Self::Dir(root) = self else { return None };
        let real = fs::canonicalize(root.join(dir)).ok()?;
        (!real.starts_with(root)).then_some(real)
    }

    /// The same pack with its folder's path resolved once (links, `..`), so that each file can
    /// be checked to lie inside it.
    #[must_use]
    pub fn canonical(&self) -> Self {
        match self {
            Self::BuiltIn => Self::BuiltIn,
            Self::Dir(root) => Self::Dir(fs::canonicalize(root).unwrap_or_else(|_| root.clone())),
        }
    }

    /// How the pack is named in messages.
    pub fn describe(&self) -> String {
        match self {
            Self::BuiltIn => "the built-in course".to_owned(),
            Self::Dir(root) => root.display().to_string(),
        }
    }
}

/// The largest file a pack may hold: far above any course text, far below what would make
/// loading slow. A bigger file is refused before it is read.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The most a whole pack may hold: sixteen times the 1,000-section benchmark pack. Each file
/// may be within [`MAX_FILE_BYTES`] and thousands of them still too much to load.
pub const MAX_PACK_BYTES: u64 = 64 * 1024 * 1024;

impl PackSource {
    /// An error when the files loading would read (the manifest, the glossary, the diagrams
    /// and the listed sections) add up to more than [`MAX_PACK_BYTES`]. Only sizes are asked
    /// for, so a pack that is too big is refused before anything of it is parsed.
    pub fn too_large(&self, section_ids: &[&str]) -> Option<Diagnostic> {
        let Self::Dir(root) = self else { return None };
        let size = |relative: &str| fs::metadata(root.join(relative)).map_or(0, |m| m.len());
        let sections = section_ids.iter().map(|id| format!("content/sections/{id}.toml"));
        let total: u64 = [MANIFEST.to_owned(), super::GLOSSARY.to_owned()]
            .into_iter()
            .chain(self.toml_files_in("assets/diagrams"))
            .chain(sections)
            .map(|relative| size(&relative))
            .sum();
        (total > MAX_PACK_BYTES).then(|| {
            Diagnostic::file(
                Severity::Error,
                MANIFEST,
                format!(
                    "the pack's files add up to {} MiB; a pack can hold at most {} MiB",
                    total / (1024 * 1024),
                    MAX_PACK_BYTES / (1024 * 1024)
                ),
            )
            .with_hint("split the course into several packs")
        })
    }
}

/// What is known of the folder a file is read from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Folder {
    /// Nothing: the file's whole path is resolved.
    Unchecked,
    /// It was found inside the pack: only a link at the file itself can lead out.
    Inside,
}

fn read_disk(root: &Path, path: &Path, relative: &str, folder: Folder) -> FileText {
    // Links may point anywhere: a pack only ever reads inside itself. (`root` is already
    // canonical: see `PackSource::canonical`.) Resolving the path also says whether the file
    // is there (a dangling link is missing too), so no separate look is needed first.
    if folder == Folder::Inside {
        match fs::symlink_metadata(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return FileText::Missing,
            Ok(meta) if !meta.file_type().is_symlink() => return read_inside(path, relative),
            _ => {}
        }
    }
    match fs::canonicalize(path) {
        Ok(real) if !real.starts_with(root) => {
            return FileText::Problem(
                Diagnostic::file(
                    Severity::Error,
                    relative,
                    format!("points outside the pack (to {})", real.display()),
                )
                .with_hint(
                    "a pack must be self-contained: copy the file into the pack instead of \
                     linking to it",
                ),
            );
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => return FileText::Missing,
        _ => {}
    }
    read_inside(path, relative)
}

/// Reads a file known to lie inside the pack: a regular file within the size limit, as UTF-8.
fn read_inside(path: &Path, relative: &str) -> FileText {
    let problem = |message: String, hint: &str| {
        FileText::Problem(Diagnostic::file(Severity::Error, relative, message).with_hint(hint))
    };
    let unreadable = |e: io::Error| match e.kind() {
        io::ErrorKind::NotFound => FileText::Missing,
        _ => FileText::Problem(Diagnostic::file(
            Severity::Error,
            relative,
            format!("cannot be read: {e}"),
        )),
    };
    let bytes = match crate::files::read_regular(path, MAX_FILE_BYTES) {
        Ok(bytes) => bytes,
        Err(Refused::NotRegular(what)) => {
            return problem(
                format!("is not a regular file (it is {what}), so it is not read"),
                "a pack holds only ordinary files: replace it with the file itself",
            );
        }
        Err(Refused::TooLarge(len)) => {
            return problem(
                format!(
                    "is {} KiB; a pack's files can be at most {} KiB",
                    len / 1024,
                    MAX_FILE_BYTES / 1024
                ),
                "split it: one file per section",
            );
        }
        Err(Refused::Io(e)) => return unreadable(e),
    };
    match String::from_utf8(bytes) {
        Ok(text) => FileText::Text(text),
        Err(e) => {
            // Point at the first bad byte, in the text that is valid up to there.
            let valid = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            let at = prefix.len();
            let mut d = Diagnostic::at(
                Severity::Error,
                relative,
                &prefix,
                at..at,
                format!("is not valid UTF-8 (byte {valid})"),
            );
            d = d.with_hint("save the file as UTF-8");
            FileText::Problem(d)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_pack_has_the_manifest_and_six_sections() {
        assert!(matches!(PackSource::BuiltIn.read(MANIFEST), FileText::Text(_)));
        assert_eq!(PackSource::BuiltIn.toml_files_in("content/sections").len(), 6);
        assert!(matches!(PackSource::BuiltIn.read("content/nope.toml"), FileText::Missing));
    }

    #[test]
    fn invalid_utf8_is_reported_with_its_position() {
        let dir = std::env::temp_dir().join(format!("stemcell-utf8-{}", std::process::id()));
        fs::create_dir_all(dir.join("content")).unwrap();
        fs::write(dir.join(MANIFEST), b"id = \"a\"\ntitle = \"b\xff\"\n").unwrap();
        let FileText::Problem(d) = PackSource::Dir(dir.clone()).read(MANIFEST) else {
            panic!("expected a problem")
        };
        fs::remove_dir_all(dir).unwrap();
        assert_eq!((d.line, d.column), (2, 11));
        assert!(d.message.contains("UTF-8"));
    }
}

#[cfg(test)]
mod safety_tests {
    use super::*;

    fn folder(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("stemcell-safety-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("content")).unwrap();
        dir
    }

    #[test]
    fn a_link_out_of_the_pack_is_refused() {
        let dir = folder("link");
        let outside =
            std::env::temp_dir().join(format!("stemcell-outside-{}.toml", std::process::id()));
        fs::write(&outside, "secret = 1").unwrap();
        std::os::unix::fs::symlink(&outside, dir.join(MANIFEST)).unwrap();
        let FileText::Problem(d) = PackSource::Dir(dir.clone()).canonical().read(MANIFEST) else {
            panic!("refused")
        };
        assert!(d.message.contains("points outside the pack"), "{d}");
        fs::remove_dir_all(dir).unwrap();
        fs::remove_file(outside).unwrap();
    }

    #[test]
    fn a_huge_file_is_refused_before_it_is_read() {
        let dir = folder("huge");
        let file = fs::File::create(dir.join(MANIFEST)).unwrap();
        file.set_len(MAX_FILE_BYTES + 1).unwrap();
        let FileText::Problem(d) = PackSource::Dir(dir.clone()).read(MANIFEST) else {
            panic!("refused")
        };
        assert!(d.message.contains("at most 1024 KiB"), "{d}");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_pack_too_big_in_all_is_refused_before_its_sections_are_read() {
        let dir = folder("too-big");
        fs::create_dir_all(dir.join("content/sections")).unwrap();
        // Each file within the limit for one file, all of them together over the pack's.
        let count = MAX_PACK_BYTES / MAX_FILE_BYTES + 1;
        let ids: Vec<String> = (0..count).map(|n| format!("s{n}")).collect();
        for id in &ids {
            let file = fs::File::create(dir.join(format!("content/sections/{id}.toml"))).unwrap();
            file.set_len(MAX_FILE_BYTES).unwrap();
        }
        let listed = ids.iter().map(|id| format!("\"{id}\"")).collect::<Vec<_>>().join(", ");
        let manifest = format!(
            "format_version = 1\nid = \"big\"\ntitle = \"Big\"\ndescription = \"d\"\n\
             disclaimer = \"e\"\nsections = [{listed}]\n"
        );
        fs::write(dir.join(MANIFEST), manifest).unwrap();
        let source = PackSource::Dir(dir.clone());
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let d = source.too_large(&ids).expect("too large");
        assert!(d.message.contains("add up to 65 MiB; a pack can hold at most 64 MiB"), "{d}");
        assert!(source.too_large(&ids[..10]).is_none(), "ten sections are within the limit");
        let problems = crate::content::load(&source).expect_err("refused");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("add up to"), "{}", problems[0]);
        fs::remove_dir_all(dir).unwrap();
    }
}
