//! The names of the themes: a setting that the command line, the config file and `update` (the
//! cycling key) all handle. The styles each name stands for are the views' business
//! (`ui/theme.rs`), so this lives apart from them and the app need not import the views.

/// The themes a user can pick with `--theme`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ThemeName {
    #[default]
    Dark,
    Light,
    HighContrast,
    /// No colour at all: bold, italic, underline and reverse only. Chosen by `NO_COLOR`.
    Mono,
}

impl ThemeName {
    /// Every theme, in the order the cycling key goes through them.
    pub const ALL: [Self; 4] = [Self::Dark, Self::Light, Self::HighContrast, Self::Mono];

    /// The theme after this one, for the key that cycles them.
    #[must_use]
    pub fn next(self) -> Self {
        match self {
            Self::Dark => Self::Light,
            Self::Light => Self::HighContrast,
            Self::HighContrast => Self::Mono,
            Self::Mono => Self::Dark,
        }
    }

    /// The name as written on the command line and in the config file.
    pub fn name(self) -> &'static str {
        match self {
            Self::Dark => "dark",
            Self::Light => "light",
            Self::HighContrast => "high-contrast",
            Self::Mono => "mono",
        }
    }

    /// The theme with this name (as [`ThemeName::name`] writes it), if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use clap::ValueEnum;

    use super::*;

    #[test]
    fn names_read_back_and_match_the_command_line_spelling() {
        for theme in ThemeName::ALL {
            assert_eq!(ThemeName::from_name(theme.name()), Some(theme));
            let flag = theme.to_possible_value().unwrap();
            assert_eq!(flag.get_name(), theme.name(), "--theme and the config file agree");
        }
        assert_eq!(ThemeName::from_name("Dark"), None);
        assert_eq!(ThemeName::from_name(""), None);
    }

    #[test]
    fn cycling_visits_every_theme_once_and_comes_back() {
        let mut theme = ThemeName::Dark;
        for expected in ThemeName::ALL {
            assert_eq!(theme, expected);
            theme = theme.next();
        }
        assert_eq!(theme, ThemeName::Dark);
    }
}
