//! Where records live and how they are written: never corrupted by a crash, never lost to a
//! second window, and kept aside (never deleted) when they cannot be read.
//!
//! A save takes a lock file, reads what is on disk, merges this window's record into it,
//! writes the result to a temporary file in the same folder, syncs it, and renames it over the
//! record: a crash leaves either the old record or the new one, never half of one.
//!
//! The state folder may be shared (a classroom computer): nothing here follows a link planted
//! in it. The lock is opened with `O_NOFOLLOW`, temporaries get unpredictable names and are
//! created with `O_EXCL`, and a rename replaces a link rather than writing through it.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{RECORD_VERSION, Record};

/// The largest record read: far above any real one (a record folds its older history, see
/// [`Record::compact`], and stays well under 1 MiB), small enough that reading it is quick.
/// A larger file is kept aside like a corrupt one.
pub const MAX_RECORD_BYTES: u64 = 8 << 20;

/// How long [`Store::save`] waits for another window's save to finish.
pub const LOCK_WAIT: Duration = Duration::from_secs(5);

/// How often a save waiting for the lock tries again.
const LOCK_RETRY: Duration = Duration::from_millis(20);

/// Where one learner's record of one course is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Store {
    /// The state folder: made if missing, but may be a link (the user's choice).
    base: PathBuf,
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
        Self {
            base: base.to_owned(),
            path: base.join(course).join(format!("{profile}.toml")),
            course: course.to_owned(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the record. One that cannot be read (garbage, a truncated file, a newer format,
    /// another course) is moved aside under a new name and a fresh record starts.
    pub fn open(&self) -> Opened {
        // A link at the course folder is not followed, not even to move a file aside there.
        if let Some(folder) = self.path.parent()
            && let Ok(meta) = fs::symlink_metadata(folder)
            && !meta.is_dir()
        {
            let problem = crate::files::private_folder(folder, false)
                .err()
                .map_or_else(|| "it is not a folder".to_owned(), |e| e.to_string());
            let notice =
                format!("Your learner record was not read, and will not be saved: {problem}.");
            return Opened { record: Record::new(&self.course), notice: Some(notice) };
        }
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
        let bytes = match read_capped(&self.path, MAX_RECORD_BYTES) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.to_string()),
        };
        let text = String::from_utf8(bytes).map_err(|_| "it is not text".to_owned())?;
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
    /// merged record so this window sees the other's answers too. Waits at most
    /// [`LOCK_WAIT`] for another window's save.
    pub fn save(&self, record: &Record) -> io::Result<Record> {
        self.save_within(record, LOCK_WAIT)
    }

    /// [`Store::save`], waiting at most `wait` for the lock: an error of kind `WouldBlock` when
    /// another process holds it longer (nothing was written; try again later).
    pub fn save_within(&self, record: &Record, wait: Duration) -> io::Result<Record> {
        let lock = self.lock(wait)?;
        let mut merged = record.clone();
        match self.read() {
            Ok(Some(on_disk)) => merged.merge(&on_disk),
            Ok(None) => {}
            // Something unreadable appeared since we loaded: keep it, then write ours.
            Err(_) => {
                self.keep_aside("corrupt")?;
            }
        }
        merged.compact();
        self.write(&merged)?;
        lock.unlock()?;
        Ok(merged)
    }

    /// Starts the record afresh (for a reset the learner confirmed): `fresh` is the new record
    /// from [`super::Learner::reset`]. The old file is kept aside; what it held that the
    /// resetting window never saw is erased too. Returns where the old one went, and the
    /// record now on disk.
    pub fn reset(&self, fresh: &Record) -> io::Result<(Option<PathBuf>, Record)> {
        let lock = self.lock(LOCK_WAIT)?;
        let mut record = fresh.clone();
        let kept = match self.read() {
            Ok(found) => {
                if let Some(found) = found {
                    record.reset_also_erases(&found);
                    record.merge(&found);
                    // Where the learner was reading is part of what they reset.
                    record.position.clone_from(&fresh.position);
                }
                match fs::symlink_metadata(&self.path) {
                    Ok(_) => Some(self.keep_aside("reset")?),
                    Err(e) if e.kind() == io::ErrorKind::NotFound => None,
                    Err(e) => return Err(e),
                }
            }
            Err(_) => Some(self.keep_aside("corrupt")?),
        };
        self.write(&record)?;
        lock.unlock()?;
        Ok((kept, record))
    }

    /// Writes `record` over the file (the lock held), after clearing away temporaries that a
    /// killed save left: with the lock held, no other save of this record is under way.
    fn write(&self, record: &Record) -> io::Result<()> {
        let text = toml::to_string(record).map_err(io::Error::other)?;
        remove_temporaries(&self.path, Duration::ZERO);
        write_atomically(&self.path, text.as_bytes())
    }

    /// Takes the lock file beside the record, trying for at most `wait`. The lock is opened
    /// without following a link (one planted there fails the save rather than being written
    /// through) and without blocking on a pipe.
    fn lock(&self, wait: Duration) -> io::Result<File> {
        // The course folder is owner-only and never a link: one planted there would have the
        // record written into someone else's folder, and what is there renamed aside.
        crate::files::state_folder(&self.base)?;
        let folder = self.path.parent().unwrap_or(Path::new("."));
        crate::files::private_folder(folder, true)?;
        let path = self.lock_path();
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .custom_flags(no_follow_no_block())
            .open(&path)
            .map_err(|e| {
                io::Error::new(e.kind(), format!("cannot open the lock {}: {e}", path.display()))
            })?;
        if !lock.metadata()?.is_file() {
            return Err(io::Error::other(format!(
                "the lock {} is not a regular file",
                path.display()
            )));
        }
        let deadline = Instant::now() + wait;
        loop {
            match lock.try_lock() {
                Ok(()) => return Ok(lock),
                Err(fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(LOCK_RETRY.min(deadline - Instant::now()));
                }
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(io::Error::new(
                        io::ErrorKind::WouldBlock,
                        "another stemcell is saving this record",
                    ));
                }
                Err(fs::TryLockError::Error(e)) => return Err(e),
            }
        }
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

/// `O_NOFOLLOW | O_NONBLOCK`: a link is refused, and a pipe put where a file should be does
/// not hang the open.
fn no_follow_no_block() -> i32 {
    libc::O_NOFOLLOW | libc::O_NONBLOCK
}

/// Reads at most `limit` bytes of a regular file, through the one regular-file reader and
/// never through a link: anything larger, a link, a pipe, a device or a folder, is an error
/// that says so. A missing file is an error of kind `NotFound`.
fn read_capped(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    use crate::files::Refused;
    crate::files::read_regular_no_follow(path, limit).map_err(|refused| match refused {
        Refused::Io(e) => e,
        Refused::NotRegular(what) => {
            io::Error::other(format!("it is not a regular file (it is {what})"))
        }
        Refused::TooLarge(len) if len > limit + 1 => io::Error::other(format!(
            "it is {}, larger than the {} a record may have",
            size(len),
            size(limit)
        )),
        Refused::TooLarge(_) => {
            io::Error::other(format!("it is larger than the {} a record may have", size(limit)))
        }
    })
}

/// `8 MiB`, `100.0 MiB`, `512 bytes`.
fn size(bytes: u64) -> String {
    const MIB: u64 = 1 << 20;
    if bytes < MIB {
        format!("{bytes} bytes")
    } else if bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{}.{} MiB", bytes / MIB, bytes % MIB * 10 / MIB)
    }
}

/// The start of the name of every temporary file that stands in for `path` while it is
/// written (the random rest makes it unpredictable; earlier versions used the process id).
fn temporary_prefix(path: &Path) -> String {
    let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    format!(".{name}.tmp-")
}

/// Writes `bytes` to `path` so that a crash leaves the old file or the new one, never half:
/// a synced temporary file in the same folder, renamed over the target, then the folder synced
/// (the rename itself is durable only then). The temporary has an unpredictable name and is
/// created exclusively (`O_EXCL`, readable only by its owner), so a link planted in the folder
/// is never written through; the rename replaces a link at `path` rather than following it.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomically_as(path, bytes, Sharing::OwnerOnly)
}

/// Who may read a file written by [`write_atomically_as`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sharing {
    /// 0600: learner records, preferences.
    OwnerOnly,
    /// What the user would get from any other program: a new file gets 0666 less the umask,
    /// a replaced file keeps its mode (handouts and exports written with `-o`).
    AsTheUserChose,
}

/// [`write_atomically`], with the file readable as `sharing` says.
pub fn write_atomically_as(path: &Path, bytes: &[u8], sharing: Sharing) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    let folder = path.parent().filter(|f| !f.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let prefix = temporary_prefix(path);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).rand_bytes(12);
    // The kernel takes the umask off the mode a file is created with.
    if sharing == Sharing::AsTheUserChose {
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut temporary = builder.tempfile_in(folder)?;
    if sharing == Sharing::AsTheUserChose
        && let Ok(existing) = fs::symlink_metadata(path)
        && existing.is_file()
    {
        let mode = existing.permissions().mode() & 0o777;
        temporary.as_file().set_permissions(fs::Permissions::from_mode(mode))?;
    }
    temporary.write_all(bytes)?;
    temporary.as_file().sync_all()?;
    // On failure the temporary is removed when it is dropped.
    temporary.persist(path).map_err(|e| e.error)?;
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Removes the temporaries of `path` that a killed process left behind: only names of our own
/// pattern, only regular files (never a link, nor what it points to), and only those at least
/// `older_than` old. Best effort: a file that cannot be removed stays.
pub fn remove_temporaries(path: &Path, older_than: Duration) {
    let folder = path.parent().filter(|f| !f.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let prefix = temporary_prefix(path);
    let Ok(entries) = fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(&prefix) {
            continue;
        }
        // `DirEntry::metadata` does not follow links.
        let Ok(metadata) = entry.metadata() else { continue };
        let old_enough = metadata
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age >= older_than);
        let old_enough = old_enough || older_than.is_zero();
        if metadata.is_file() && old_enough {
            let _ = fs::remove_file(entry.path());
        }
    }
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
