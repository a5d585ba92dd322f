//! Preferences kept between runs: the theme chosen with the cycling key, and the desired
//! retention of practice (written by hand: `retention = 0.85`). A small TOML
//! file in the platform config folder (`~/.config/stemcell/config.toml` on Linux, or
//! `STEMCELL_CONFIG_DIR`); flags and `NO_COLOR` override it.

use std::path::PathBuf;
use std::{fs, io};

use serde::{Deserialize, Serialize};

use crate::files::Refused;
use crate::theme_name::ThemeName;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// dark, light, high-contrast or mono.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// Practice's desired retention, 0.7 to 0.99 (default 0.9): a question falls due when its
    /// estimated recall drops to this. Higher means more reviews and fewer questions forgotten.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<f64>,
}

impl Config {
    /// The desired retention, and what to tell the learner when the file asks for one out
    /// of range (the default is used then).
    pub fn retention(&self) -> (f32, Option<String>) {
        use crate::learner::schedule::{DEFAULT_RETENTION, RETENTION_RANGE};
        let Some(asked) = self.retention else { return (DEFAULT_RETENTION, None) };
        let (low, high) = (*RETENTION_RANGE.start(), *RETENTION_RANGE.end());
        if asked.is_finite() && (f64::from(low)..=f64::from(high)).contains(&asked) {
            (asked as f32, None)
        } else {
            let note = format!(
                "retention = {asked} in the preferences file is not between {low} and {high}; \
                 practice uses {DEFAULT_RETENTION}."
            );
            (DEFAULT_RETENTION, Some(note))
        }
    }

    /// The theme saved, if it names one this program knows.
    pub fn theme(&self) -> Option<ThemeName> {
        ThemeName::from_name(self.theme.as_deref()?)
    }
}

/// Where the preferences file is, if there is a place for it.
pub fn path() -> Option<PathBuf> {
    let folder = match std::env::var_os("STEMCELL_CONFIG_DIR").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => directories::ProjectDirs::from("", "", "stemcell")?.config_dir().to_path_buf(),
    };
    Some(folder.join("config.toml"))
}

/// The saved preferences; a missing or unreadable file means none (preferences are not worth
/// stopping for).
pub fn load() -> Config {
    load_noting().0
}

/// The largest preferences file read: a theme name needs a few bytes.
const MAX_BYTES: u64 = 64 * 1024;

/// [`load`], and what to tell the user when a file is there but was not used because it is
/// not a regular file (a named pipe would stop the start-up until someone wrote to it) or is
/// too large. A missing file, or one that does not parse, means no preferences, silently.
pub fn load_noting() -> (Config, Option<String>) {
    let Some(path) = path() else { return (Config::default(), None) };
    let bytes = match crate::files::read_regular(&path, MAX_BYTES) {
        Ok(bytes) => bytes,
        Err(Refused::Io(_)) => return (Config::default(), None),
        Err(Refused::NotRegular(what)) => {
            let note = format!(
                "{} is not a regular file (it is {what}), so no saved preferences are used.",
                path.display()
            );
            return (Config::default(), Some(note));
        }
        Err(Refused::TooLarge(len)) => {
            let note = format!(
                "{} is {len} bytes, too large for a preferences file, so it is not used.",
                path.display()
            );
            return (Config::default(), Some(note));
        }
    };
    let config = String::from_utf8(bytes).ok().and_then(|text| toml::from_str(&text).ok());
    (config.unwrap_or_default(), None)
}

/// Remembers `theme` for the next start.
pub fn save_theme(theme: ThemeName) -> io::Result<()> {
    let path = path().ok_or_else(|| io::Error::other("no config folder"))?;
    save_theme_at(&path, theme)
}

/// Temporaries of the config older than this were left by a killed process (a save takes
/// milliseconds; two windows may save at once, so a fresh one may be another's).
const STALE_TEMPORARY: std::time::Duration = std::time::Duration::from_secs(600);

/// Remembers `theme` in the preferences file at `path`, written as the learner record is:
/// through an unpredictable temporary that is never a planted link, renamed over the file.
/// What is there already is read through the one regular-file reader, with the same cap as at
/// start-up: a named pipe there would wait for ever for a writer, and a link to `/dev/zero`
/// would never end. Such a file is left alone and the save is refused (the theme still changes
/// for this run).
pub fn save_theme_at(path: &std::path::Path, theme: ThemeName) -> io::Result<()> {
    let existing = match crate::files::read_regular(path, MAX_BYTES) {
        Ok(bytes) => Some(bytes),
        Err(refused) if refused.is_missing() => None,
        Err(Refused::Io(_)) => None,
        Err(refused) => {
            return Err(io::Error::other(format!("{} was left alone: {refused}", path.display())));
        }
    };
    let mut config = existing
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| toml::from_str::<Config>(&text).ok())
        .unwrap_or_default();
    config.theme = Some(theme.name().to_owned());
    if let Some(folder) = path.parent() {
        fs::create_dir_all(folder)?;
    }
    let text = toml::to_string(&config).map_err(io::Error::other)?;
    crate::learner::store::remove_temporaries(path, STALE_TEMPORARY);
    crate::learner::store::write_atomically(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_theme_name_reads_back_and_unknown_names_are_ignored() {
        let config = Config { theme: Some("high-contrast".into()), ..Config::default() };
        let text = toml::to_string(&config).unwrap();
        assert_eq!(toml::from_str::<Config>(&text).unwrap().theme(), Some(ThemeName::HighContrast));
        assert_eq!(Config { theme: Some("purple".into()), ..Config::default() }.theme(), None);
    }

    #[test]
    fn retention_is_read_in_range_and_refused_with_a_note_outside() {
        let config: Config = toml::from_str("retention = 0.85").unwrap();
        assert_eq!(config.retention(), (0.85, None));
        assert_eq!(Config::default().retention(), (0.9, None), "0.9 when the file is silent");
        for bad in ["retention = 1.5", "retention = 0.2", "retention = nan"] {
            let (retention, note) = toml::from_str::<Config>(bad).unwrap().retention();
            assert!((retention - 0.9).abs() < f32::EPSILON, "{bad}");
            assert!(note.unwrap().contains("not between 0.7 and 0.99"), "{bad}");
        }
        let saved = Config { theme: Some("light".into()), retention: Some(0.8) };
        let back: Config = toml::from_str(&toml::to_string(&saved).unwrap()).unwrap();
        assert_eq!(back, saved, "saving the theme keeps the retention");
    }

    /// A link planted at the temporary name an earlier version used (`.config.toml.tmp-PID`)
    /// pointed a save at a file outside the folder; a save now never writes through a link,
    /// and clears away only stale temporaries of its own that are regular files.
    /// Saves the theme in another thread: `None` if it did not finish within 5 s.
    fn save_within_five_seconds(path: &std::path::Path) -> Option<io::Result<()>> {
        let (tx, rx) = std::sync::mpsc::channel();
        let path = path.to_owned();
        std::thread::spawn(move || {
            let _ = tx.send(save_theme_at(&path, ThemeName::Light));
        });
        rx.recv_timeout(std::time::Duration::from_secs(5)).ok()
    }

    /// A named pipe at `config.toml` hung the program for good when `T` saved the theme, and
    /// a link to `/dev/zero` grew memory without bound: both are now left alone, at once.
    #[test]
    fn saving_the_theme_over_a_pipe_or_a_device_returns_at_once_and_leaves_it() {
        let base =
            std::env::temp_dir().join(format!("stemcell-config-fifo-{}", std::process::id()));
        let _ = fs::remove_dir_all(&base);
        fs::create_dir_all(&base).unwrap();
        let path = base.join("config.toml");
        assert!(std::process::Command::new("mkfifo").arg(&path).status().unwrap().success());
        let result = save_within_five_seconds(&path).expect("the save hung on a named pipe");
        let error = result.unwrap_err().to_string();
        assert!(error.contains("named pipe"), "{error}");
        let file_type = fs::symlink_metadata(&path).unwrap().file_type();
        assert!(std::os::unix::fs::FileTypeExt::is_fifo(&file_type), "left alone");
        fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink("/dev/zero", &path).unwrap();
        let result = save_within_five_seconds(&path).expect("the save hung on /dev/zero");
        assert!(result.unwrap_err().to_string().contains("a device"));
        assert!(fs::symlink_metadata(&path).unwrap().file_type().is_symlink(), "left alone");
        fs::remove_file(&path).unwrap();
        fs::write(&path, "x".repeat(1 << 20)).unwrap();
        let result = save_within_five_seconds(&path).expect("finishes");
        assert!(result.unwrap_err().to_string().contains("too large"));
        let _ = fs::remove_dir_all(&base);
    }

    #[test]
    fn saving_the_theme_never_writes_through_a_planted_link() {
        let base =
            std::env::temp_dir().join(format!("stemcell-config-links-{}", std::process::id()));
        let _ = fs::remove_dir_all(&base);
        let (folder, outside) = (base.join("config"), base.join("outside"));
        fs::create_dir_all(&folder).unwrap();
        fs::create_dir_all(&outside).unwrap();
        let victim = outside.join("victim.txt");
        fs::write(&victim, "precious").unwrap();
        for pid in [std::process::id(), 1, 2, 99_999] {
            std::os::unix::fs::symlink(&victim, folder.join(format!(".config.toml.tmp-{pid}")))
                .unwrap();
        }
        let left = folder.join(".config.toml.tmp-12345");
        fs::write(&left, "half a con").unwrap();
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        fs::File::options().write(true).open(&left).unwrap().set_modified(old).unwrap();
        let path = folder.join("config.toml");
        save_theme_at(&path, ThemeName::Light).unwrap();
        save_theme_at(&path, ThemeName::Mono).unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
        assert_eq!(
            toml::from_str::<Config>(&fs::read_to_string(&path).unwrap()).unwrap().theme(),
            Some(ThemeName::Mono)
        );
        assert!(!left.exists(), "a stale temporary of a killed save is cleared away");
        let links = fs::read_dir(&folder)
            .unwrap()
            .flatten()
            .filter(|e| e.file_type().unwrap().is_symlink())
            .count();
        assert_eq!(links, 4, "links are left alone, not followed nor removed");
        let _ = fs::remove_dir_all(&base);
    }
}
