//! The server's host key: ed25519, created once in the state folder and reused, so a student's
//! `ssh` recognises the class server from one lesson to the next. Its fingerprint is shown on
//! the console as OpenSSH prints it (`SHA256:...`), for students to check.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use russh::keys::ssh_key::LineEnding;
use russh::keys::ssh_key::private::Ed25519Keypair;
use russh::keys::{HashAlg, PrivateKey};

/// The file name of the key in the state folder.
pub const FILE: &str = "classroom_host_ed25519";

/// Where the host key lives: `STEMCELL_STATE_DIR`, or the platform's state folder.
pub fn default_path() -> Result<PathBuf, String> {
    let base = if let Some(dir) = std::env::var_os("STEMCELL_STATE_DIR").filter(|v| !v.is_empty()) {
        PathBuf::from(dir)
    } else {
        let dirs = directories::ProjectDirs::from("", "", "stemcell")
            .ok_or("no home folder to keep the host key in (set STEMCELL_STATE_DIR)")?;
        dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir()).to_path_buf()
    };
    Ok(base.join(FILE))
}

/// The largest host key file read: an ed25519 key in OpenSSH format is about 400 bytes.
const MAX_KEY_BYTES: u64 = 64 * 1024;

/// Loads the key at `path`, or creates it there (owner-only, and never over an existing file:
/// if two servers start at once, one creates it and the other reads it).
///
/// As sshd does, a key is used only if it is a regular file (not a link, a pipe, a device),
/// owned by the user running the server, and readable by no one else: a key others can read
/// may be known to them, and one they own may be theirs, so students could be shown a
/// fingerprint an impostor also has. Anything else is refused with what is wrong and how to
/// fix it.
pub fn load_or_create(path: &Path) -> Result<PrivateKey, String> {
    match load(path) {
        Err(Missing) => create(path),
        Ok(loaded) => loaded,
    }
}

/// There is nothing at the path (not even a dangling link).
struct Missing;

fn load(path: &Path) -> Result<Result<PrivateKey, String>, Missing> {
    use std::os::unix::fs::MetadataExt;
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(Missing),
        Err(e) => return Ok(Err(format!("cannot read the host key {}: {e}", path.display()))),
    };
    let shown = path.display();
    let refuse = |why: String| {
        Ok(Err(format!(
            "refusing the host key {shown}: {why}. Move it away and start again to make a new \
             key (students will then see a changed-key warning)"
        )))
    };
    if meta.file_type().is_symlink() {
        return refuse(
            "it is a symbolic link, and a host key is never followed through one".into(),
        );
    }
    if !meta.is_file() {
        return refuse(format!(
            "it is not a regular file (it is {})",
            crate::files::kind(meta.file_type())
        ));
    }
    let ours = crate::files::our_user_id();
    if meta.uid() != ours {
        return refuse(format!(
            "it belongs to user id {}, not to the user running the server ({ours})",
            meta.uid()
        ));
    }
    if meta.mode() & 0o077 != 0 {
        return Ok(Err(format!(
            "refusing the host key {shown}: it can be read by others (mode {:04o}), so it may \
             not be secret. If it is yours and never left this machine, run `chmod 600 {shown}`; \
             otherwise move it away to make a new one (students will then see a changed-key \
             warning)",
            meta.mode() & 0o7777
        )));
    }
    let text = match crate::files::read_regular_no_follow(path, MAX_KEY_BYTES) {
        Ok(text) => text,
        Err(refused) if refused.is_missing() => return Err(Missing),
        Err(refused) => return refuse(refused.to_string()),
    };
    Ok(PrivateKey::from_openssh(&text).map_err(|e| {
        format!(
            "the host key {shown} cannot be read ({e}); move it away to make a new one \
             (students will then see a changed-key warning)"
        )
    }))
}

/// A new key kept only in memory (tests, and the load example).
pub fn generate() -> Result<PrivateKey, String> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| format!("no randomness for a host key: {e}"))?;
    let key = PrivateKey::from(Ed25519Keypair::from_seed(&seed));
    seed.fill(0);
    Ok(key)
}

fn create(path: &Path) -> Result<PrivateKey, String> {
    let fail =
        |e: &dyn std::fmt::Display| format!("cannot create the host key {}: {e}", path.display());
    if let Some(dir) = path.parent() {
        crate::files::state_folder(dir).map_err(|e| fail(&e))?;
    }
    let key = generate()?;
    let text = key.to_openssh(LineEnding::LF).map_err(|e| fail(&e))?;
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = match options.open(path) {
        Ok(file) => file,
        // Another server made it meanwhile: use theirs (once: never a loop, as a dangling
        // link here, which `create_new` refuses, once made it).
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return load(path).unwrap_or_else(|Missing| Err(fail(&e)));
        }
        Err(e) => return Err(fail(&e)),
    };
    file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(|e| fail(&e))?;
    Ok(key)
}

/// The fingerprint as `ssh` shows it when it first meets the server: `SHA256:` and base64.
pub fn fingerprint(key: &PrivateKey) -> String {
    key.public_key().fingerprint(HashAlg::Sha256).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_created_once_owner_only_and_reused() {
        let dir = std::env::temp_dir().join(format!("stemcell-hostkey-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join(FILE);
        let first = load_or_create(&path).unwrap();
        let again = load_or_create(&path).unwrap();
        assert_eq!(fingerprint(&first), fingerprint(&again), "the same key on the next start");
        assert!(fingerprint(&first).starts_with("SHA256:"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "only the owner may read the key");
        }
        std::fs::write(&path, "not a key").unwrap();
        let error = load_or_create(&path).unwrap_err();
        assert!(error.contains("cannot be read"), "{error}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "not a key", "never overwritten");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Runs `load_or_create` in a thread (a stack overflow would abort the test binary, so
    /// this test runs the server's own code the way `serve` does, but bounded in time).
    fn load_within_five_seconds(path: &Path) -> Result<PrivateKey, String> {
        let (tx, rx) = std::sync::mpsc::channel();
        let path = path.to_owned();
        std::thread::spawn(move || {
            let _ = tx.send(load_or_create(&path));
        });
        rx.recv_timeout(std::time::Duration::from_secs(5)).expect("the host key load hung")
    }

    /// A dangling link made `load_or_create` recurse until the stack overflowed, a named pipe
    /// hung it, and another user's or a world-readable key was used silently: each is now
    /// refused, saying why and what to do, and left where it is.
    #[test]
    fn a_key_that_is_not_ours_alone_is_refused_with_a_reason() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("stemcell-hostkey-bad-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(FILE);

        std::os::unix::fs::symlink(dir.join("nowhere"), &path).unwrap();
        let error = load_within_five_seconds(&path).unwrap_err();
        assert!(error.contains("symbolic link") && error.contains("Move it away"), "{error}");
        assert!(!dir.join("nowhere").exists(), "no key made through the link");
        std::fs::remove_file(&path).unwrap();

        let good = dir.join("good");
        load_or_create(&good).unwrap();
        std::os::unix::fs::symlink(&good, &path).unwrap();
        let error = load_within_five_seconds(&path).unwrap_err();
        assert!(error.contains("symbolic link"), "{error}");
        std::fs::remove_file(&path).unwrap();

        assert!(std::process::Command::new("mkfifo").arg(&path).status().unwrap().success());
        let error = load_within_five_seconds(&path).unwrap_err();
        assert!(error.contains("named pipe"), "{error}");
        std::fs::remove_file(&path).unwrap();

        std::fs::copy(&good, &path).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let error = load_within_five_seconds(&path).unwrap_err();
        assert!(error.contains("read by others (mode 0644)"), "{error}");
        assert!(error.contains("chmod 600"), "says how to fix it: {error}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(load_within_five_seconds(&path).is_ok(), "fixed as told, it is used");

        // Another user's key, mode 0600: made by chown when the test runs as root, else a
        // file root owns.
        std::fs::remove_file(&path).unwrap();
        std::fs::copy(&good, &path).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let theirs = if std::os::unix::fs::chown(&path, Some(65_534), Some(65_534)).is_ok() {
            Some((path.clone(), 65_534))
        } else {
            Some((std::path::PathBuf::from("/etc/hostname"), 0)).filter(|(p, _)| p.exists())
        };
        if let Some((theirs, uid)) = theirs {
            let error = load_within_five_seconds(&theirs).unwrap_err();
            assert!(error.contains(&format!("belongs to user id {uid}")), "{error}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
