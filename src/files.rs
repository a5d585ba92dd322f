//! Files that anyone may have put in place: a pack's files, the preferences file, the learner
//! record, the class server's host key and database.
//!
//! Reading: only regular files are read, and never more than a limit. Opening a named pipe for
//! reading waits for a writer that may never come, and a device may never end, so the type is
//! checked before opening, and checked again on what was opened (opened without waiting), in
//! case the file was swapped meanwhile. Under the state folder a link is not followed at all
//! ([`read_regular_no_follow`]).
//!
//! Folders: the state folder's subfolders are made owner-only and are never a link
//! ([`private_folder`]), since they hold learners' names and answers.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// Why a file was not read.
#[derive(Debug)]
pub enum Refused {
    /// Not a regular file: what it is instead ("a named pipe", "a folder" …).
    NotRegular(&'static str),
    /// Larger than the limit given; its size in bytes.
    TooLarge(u64),
    /// The system could not read it (missing, no permission …).
    Io(io::Error),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotRegular(what) => write!(f, "it is not a regular file (it is {what})"),
            Self::TooLarge(len) => write!(f, "it is too large ({len} bytes)"),
            Self::Io(e) => write!(f, "{e}"),
        }
    }
}

impl Refused {
    /// Whether the file is simply not there.
    pub fn is_missing(&self) -> bool {
        matches!(self, Self::Io(e) if e.kind() == io::ErrorKind::NotFound)
    }
}

/// The bytes of the regular file at `path` (links followed), if it holds at most `limit`.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, Refused> {
    read(path, limit, true)
}

/// [`read_regular`], except that a link at `path` is refused ("a symbolic link") rather than
/// followed: for files in the state folder, where a link may point at another user's file.
pub fn read_regular_no_follow(path: &Path, limit: u64) -> Result<Vec<u8>, Refused> {
    read(path, limit, false)
}

fn read(path: &Path, limit: u64, follow: bool) -> Result<Vec<u8>, Refused> {
    let meta = if follow { fs::metadata(path) } else { fs::symlink_metadata(path) };
    check(&meta.map_err(Refused::Io)?, limit)?;
    let file = open_without_waiting(path, follow).map_err(Refused::Io)?;
    let meta = file.metadata().map_err(Refused::Io)?;
    check(&meta, limit)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // A file that grows while it is read still stops at the limit.
    file.take(limit + 1).read_to_end(&mut bytes).map_err(Refused::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Refused::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

fn check(meta: &fs::Metadata, limit: u64) -> Result<(), Refused> {
    if !meta.is_file() {
        return Err(Refused::NotRegular(kind(meta.file_type())));
    }
    if meta.len() > limit {
        return Err(Refused::TooLarge(meta.len()));
    }
    Ok(())
}

/// Opens for reading without blocking on a named pipe that has no writer; reads of a regular
/// file are unaffected by the flag. Without `follow`, a link (put there since it was checked)
/// fails the open.
pub fn open_without_waiting(path: &Path, follow: bool) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let no_follow = if follow { 0 } else { libc::O_NOFOLLOW };
        options.custom_flags(libc::O_NONBLOCK | no_follow);
    }
    options.open(path)
}

/// Makes `folder` and any missing parents; what it makes is owner-only (0700: the state folder
/// holds learners' names and answers). `folder` itself must then be a real folder, not a link
/// to one: an error says what is there instead. A folder that was already there keeps its
/// mode, unless `tighten` (our own state folders, which earlier versions made 0755).
pub fn private_folder(folder: &Path, tighten: bool) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    // A link at `folder` itself must not be followed to make a folder elsewhere.
    if let Ok(meta) = fs::symlink_metadata(folder) {
        check_real_folder(folder, &meta)?;
    } else {
        builder.create(folder)?;
    }
    let meta = fs::symlink_metadata(folder)?;
    check_real_folder(folder, &meta)?;
    #[cfg(unix)]
    if tighten {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let ours = meta.uid() == our_user_id();
        if ours && meta.mode() & 0o077 != 0 {
            fs::set_permissions(folder, fs::Permissions::from_mode(meta.mode() & 0o700))?;
        }
    }
    Ok(())
}

/// Makes the state folder itself if it is missing, owner-only. It may be a link, and an
/// existing one keeps its mode: both are the user's choice, not something planted in it.
pub fn state_folder(base: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(base)
}

/// The user this process runs as (its effective user id).
pub fn our_user_id() -> u32 {
    rustix::process::geteuid().as_raw()
}

fn check_real_folder(folder: &Path, meta: &fs::Metadata) -> io::Result<()> {
    if meta.file_type().is_symlink() {
        return Err(io::Error::other(format!(
            "{} is a symbolic link; nothing in the state folder is followed through a link \
             (move the link away)",
            folder.display()
        )));
    }
    if !meta.is_dir() {
        return Err(io::Error::other(format!(
            "{} is not a folder (it is {}); move it away",
            folder.display(),
            kind(meta.file_type())
        )));
    }
    Ok(())
}

/// Refuses a link at `path` (and anything that is neither missing nor a regular file), for
/// files under the state folder that another library opens by name (`SQLite`'s database and
/// its `-wal` and `-shm`).
pub fn refuse_link_or_special(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
        Ok(meta) if meta.file_type().is_symlink() => Err(io::Error::other(format!(
            "{} is a symbolic link; nothing in the state folder is followed through a link \
             (move the link away)",
            path.display()
        ))),
        Ok(meta) if !meta.is_file() => Err(io::Error::other(format!(
            "{} is not a regular file (it is {}); move it away",
            path.display(),
            kind(meta.file_type())
        ))),
        Ok(_) => Ok(()),
    }
}

/// What a file that is not a regular file is, in words.
pub fn kind(file_type: fs::FileType) -> &'static str {
    if file_type.is_dir() {
        return "a folder";
    }
    if file_type.is_symlink() {
        return "a symbolic link";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    "not a file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_named_pipe_a_folder_and_a_device_are_refused_without_waiting() {
        let dir = std::env::temp_dir().join(format!("stemcell-files-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("pipe");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        assert!(matches!(read_regular(&fifo, 10), Err(Refused::NotRegular("a named pipe"))));
        assert!(matches!(read_regular(&dir, 10), Err(Refused::NotRegular("a folder"))));
        assert!(matches!(
            read_regular(Path::new("/dev/zero"), 10),
            Err(Refused::NotRegular("a device"))
        ));
        fs::write(dir.join("small"), "ab").unwrap();
        assert_eq!(read_regular(&dir.join("small"), 2).unwrap(), b"ab");
        assert!(matches!(read_regular(&dir.join("small"), 1), Err(Refused::TooLarge(2))));
        fs::remove_dir_all(dir).unwrap();
    }
}
