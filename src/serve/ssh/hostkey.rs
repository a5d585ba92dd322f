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

/// Loads the key at `path`, or creates it there (owner-only, and never over an existing file:
/// if two servers start at once, one creates it and the other reads it).
pub fn load_or_create(path: &Path) -> Result<PrivateKey, String> {
    match std::fs::read(path) {
        Ok(text) => PrivateKey::from_openssh(&text).map_err(|e| {
            format!(
                "the host key {} cannot be read ({e}); move it away to make a new one \
                 (students will then see a changed-key warning)",
                path.display()
            )
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => create(path),
        Err(e) => Err(format!("cannot read the host key {}: {e}", path.display())),
    }
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
        std::fs::create_dir_all(dir).map_err(|e| fail(&e))?;
    }
    let key = generate()?;
    let text = key.to_openssh(LineEnding::LF).map_err(|e| fail(&e))?;
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = match options.open(path) {
        Ok(file) => file,
        // Another server made it meanwhile: use theirs.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return load_or_create(path),
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
}
