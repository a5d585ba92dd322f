//! Preferences kept between runs: for now the theme chosen with the cycling key. A small TOML
//! file in the platform config folder (`~/.config/stemcell/config.toml` on Linux, or
//! `STEMCELL_CONFIG_DIR`); flags and `NO_COLOR` override it.

use std::path::PathBuf;
use std::{fs, io};

use serde::{Deserialize, Serialize};

use crate::files::Refused;
use crate::ui::theme::ThemeName;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// dark, light, high-contrast or mono.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
}

impl Config {
    /// The theme saved, if it names one this program knows.
    pub fn theme(&self) -> Option<ThemeName> {
        let name = self.theme.as_deref()?;
        [ThemeName::Dark, ThemeName::Light, ThemeName::HighContrast, ThemeName::Mono]
            .into_iter()
            .find(|t| t.name() == name)
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
    let mut config = load();
    config.theme = Some(theme.name().to_owned());
    if let Some(folder) = path.parent() {
        fs::create_dir_all(folder)?;
    }
    let text = toml::to_string(&config).map_err(io::Error::other)?;
    crate::learner::store::write_atomically(&path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_theme_name_reads_back_and_unknown_names_are_ignored() {
        let config = Config { theme: Some("high-contrast".into()) };
        let text = toml::to_string(&config).unwrap();
        assert_eq!(toml::from_str::<Config>(&text).unwrap().theme(), Some(ThemeName::HighContrast));
        assert_eq!(Config { theme: Some("purple".into()) }.theme(), None);
    }
}
