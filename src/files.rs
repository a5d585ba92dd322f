//! Reading a file that anyone may have put in place: a pack's files and the preferences file.
//! Only regular files are read. Opening a named pipe for reading waits for a writer that may
//! never come, and a device may never end, so the type is checked before opening, and checked
//! again on what was opened (opened without waiting), in case the file was swapped meanwhile.

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

/// The bytes of the regular file at `path` (links followed), if it holds at most `limit`.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, Refused> {
    check(&fs::metadata(path).map_err(Refused::Io)?, limit)?;
    let file = open_without_waiting(path).map_err(Refused::Io)?;
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
/// file are unaffected by the flag.
fn open_without_waiting(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// What a file that is not a regular file is, in words.
fn kind(file_type: fs::FileType) -> &'static str {
    if file_type.is_dir() {
        return "a folder";
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
