//! Where records live and how they are written: never corrupted by a crash, never lost to a
//! second window, and kept aside (never deleted) when they cannot be read.
//!
//! A save takes a lock file, reads what is on disk, merges this window's record into it,
//! writes the result to a temporary file in the same folder, syncs it, and renames it over the
//! record: a crash leaves either the old record or the new one, never half of one.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::{RECORD_VERSION, Record};

/// Where one learner's record of one course is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Store {
    path: PathBuf,
    course: String,
}

/// A record loaded, and what the learner should be told about it.
#[derive(Debug)]
pub struct Opened {
    pub record: Record,
    pub notice: Option<String>,
}

impl Store {
    /// The record of `course` for `profile`, under `STEMCELL_STATE_DIR` or the platform's
    /// state folder (`~/.local/state/stemcell` on Linux).
    pub fn locate(course: &str, profile: &str) -> Result<Self, String> {
        let base =
            if let Some(dir) = std::env::var_os("STEMCELL_STATE_DIR").filter(|v| !v.is_empty()) {
                PathBuf::from(dir)
            } else {
                let dirs = directories::ProjectDirs::from("", "", "stemcell")
                    .ok_or("no home folder to keep learner records in (set STEMCELL_STATE_DIR)")?;
                dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir()).to_path_buf()
            };
        Ok(Self::at(&base, course, profile))
    }

    pub fn at(base: &Path, course: &str, profile: &str) -> Self {
        Self { path: base.join(course).join(format!("{profile}.toml")), course: course.to_owned() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the record. One that cannot be read (garbage, a truncated file, a newer format,
    /// another course) is moved aside under a new name and a fresh record starts.
    pub fn open(&self) -> Opened {
        match self.read() {
            Ok(Some(record)) => Opened { record, notice: None },
            Ok(None) => Opened { record: Record::new(&self.course), notice: None },
            Err(problem) => {
                let notice = match self.keep_aside("corrupt") {
                    Ok(moved) => format!(
                        "Your learner record could not be read ({problem}). It was kept as {} and a new record started.",
                        moved.display()
                    ),
                    Err(e) => format!(
                        "Your learner record could not be read ({problem}) nor moved aside ({e})."
                    ),
                };
                Opened { record: Record::new(&self.course), notice: Some(notice) }
            }
        }
    }

    /// What is on disk: `None` when there is no record yet, `Err` when it cannot be used.
    fn read(&self) -> Result<Option<Record>, String> {
        let text = match fs::read(&self.path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|_| "it is not text".to_owned())?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.to_string()),
        };
        // Check the version first, so a newer record is reported as such, not as garbage.
        if let Some(version) = toml::from_str::<toml::Table>(&text)
            .ok()
            .and_then(|t| t.get("version").and_then(toml::Value::as_integer))
            && version > i64::from(RECORD_VERSION)
        {
            return Err(format!("it was written by a newer stemcell (record version {version})"));
        }
        let record: Record = toml::from_str(&text).map_err(|e| e.message().trim().to_owned())?;
        if record.course != self.course {
            return Err(format!("it belongs to the course `{}`", record.course));
        }
        Ok(Some(record))
    }

    /// Saves `record`, merged with whatever another window saved meanwhile, and returns the
    /// merged record so this window sees the other's answers too.
    pub fn save(&self, record: &Record) -> io::Result<Record> {
        let folder = self.path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(folder)?;
        let lock =
            OpenOptions::new().create(true).truncate(false).write(true).open(self.lock_path())?;
        lock.lock()?;
        let mut merged = record.clone();
        match self.read() {
            Ok(Some(on_disk)) => merged.merge(&on_disk),
            Ok(None) => {}
            // Something unreadable appeared since we loaded: keep it, then write ours.
            Err(_) => {
                self.keep_aside("corrupt")?;
            }
        }
        let text = toml::to_string(&merged).map_err(io::Error::other)?;
        write_atomically(&self.path, text.as_bytes())?;
        lock.unlock()?;
        Ok(merged)
    }

    /// Moves the record aside (for a reset the learner confirmed) and returns where it went.
    pub fn reset(&self) -> io::Result<Option<PathBuf>> {
        if !self.path.exists() {
            return Ok(None);
        }
        self.keep_aside("reset").map(Some)
    }

    /// Renames the record to `NAME.WHY-YYYYMMDD-HHMMSS` (with a counter if that exists).
    fn keep_aside(&self, why: &str) -> io::Result<PathBuf> {
        let stamp = timestamp();
        let folder = self.path.parent().unwrap_or(Path::new("."));
        let mut target = folder.join(format!("{}.{why}-{stamp}", self.file_name()));
        let mut n = 1;
        while target.exists() {
            target = folder.join(format!("{}.{why}-{stamp}-{n}", self.file_name()));
            n += 1;
        }
        fs::rename(&self.path, &target)?;
        Ok(target)
    }

    fn file_name(&self) -> String {
        self.path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    }

    fn lock_path(&self) -> PathBuf {
        self.path.with_extension("lock")
    }
}

/// Writes `bytes` to `path` so that a crash leaves the old file or the new one, never half:
/// a synced temporary file in the same folder, renamed over the target, then the folder synced
/// (the rename itself is durable only then).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let temporary = folder.join(format!(".{name}.tmp-{}", std::process::id()));
    let written = File::create(&temporary)
        .and_then(|mut file| file.write_all(bytes).and_then(|()| file.sync_all()))
        .and_then(|()| fs::rename(&temporary, path));
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written?;
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// `20261124-153326` in UTC, for names of records kept aside.
fn timestamp() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let day = super::Day(i64::try_from(seconds / 86_400).unwrap_or(0));
    let time = seconds % 86_400;
    format!(
        "{}-{:02}{:02}{:02}",
        day.to_string().replace('-', ""),
        time / 3600,
        time / 60 % 60,
        time % 60
    )
}

#[cfg(test)]
mod tests;
