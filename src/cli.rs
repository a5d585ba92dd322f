//! The command line (see DESIGN.md, "The command line").

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::ui::theme::ThemeName;

#[derive(Debug, Parser)]
#[command(
    name = "stemcell",
    version,
    about = "A terminal explainer: read the stem cell therapy course, or any course pack",
    after_help = "With no command, reads the course. When output is not a terminal, the course is printed as plain text."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Read a course pack from this folder instead of the built-in course.
    #[arg(long, global = true, value_name = "DIR")]
    pub pack: Option<PathBuf>,

    /// Colours to use (`NO_COLOR` selects mono unless this is given).
    #[arg(long, global = true, value_enum, value_name = "THEME")]
    pub theme: Option<ThemeName>,

    /// Draw with plain ASCII (+ - |) instead of Unicode symbols.
    #[arg(long, global = true)]
    pub ascii: bool,

    /// Line-by-line output with no full-screen interface (for screen readers and pipes).
    #[arg(long, global = true)]
    pub plain: bool,

    /// Shuffle options with this seed: the same seed gives the same order everywhere.
    #[arg(long, global = true, value_name = "N")]
    pub seed: Option<u64>,

    /// With --pack: reload the pack whenever one of its files changes (for authors).
    #[arg(long, global = true)]
    pub watch: bool,

    /// Keep a separate learner record under this name (a shared classroom computer).
    #[arg(long, global = true, value_name = "NAME", default_value = "default", value_parser = profile_name)]
    pub profile: String,
}

/// Profiles become file names: keep them to letters, digits, `-` and `_`.
fn profile_name(name: &str) -> Result<String, String> {
    let valid = !name.is_empty()
        && name.len() <= 64
        && name.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(name.to_owned())
    } else {
        Err("use 1 to 64 letters, digits, `-` or `_`".to_owned())
    }
}

/// How `stemcell stats` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StatsFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read the course (the default command).
    Read {
        /// Open at this section (its id, e.g. `harvesting`).
        #[arg(long, value_name = "ID")]
        section: Option<String>,
    },
    /// Answer questions straight away: one section's, or the whole course's.
    Quiz {
        /// Only this section's questions (its id, e.g. `harvesting`).
        #[arg(long, value_name = "ID")]
        section: Option<String>,
    },
    /// Review the questions that are due (spaced repetition).
    Practice,
    /// Classroom mode, paced by the teacher; nothing goes into any learner record.
    Present {
        /// A countdown for each class quiz question, in seconds.
        #[arg(long, value_name = "SECONDS")]
        timer: Option<u64>,
    },
    /// The learner's record, as text (or JSON for a teacher to collect).
    Stats {
        #[arg(long, value_enum, default_value = "text")]
        format: StatsFormat,
    },
    /// Print a handout: the course (or a section) with its questions, in the order the screen
    /// shows them for the same --seed.
    Export {
        #[arg(long, value_enum)]
        format: crate::export::Format,
        /// Add the answer key, with explanations, at the end.
        #[arg(long)]
        answers: bool,
        /// Only this section.
        #[arg(long, value_name = "ID")]
        section: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Write a small working pack to start a course from.
    New {
        /// The folder to create (it must not exist).
        dir: PathBuf,
    },
    /// Print the JSON Schema of the content files, for editors (Taplo, Even Better TOML).
    Schema,
    /// Live classroom: an SSH server each student joins with `ssh -p PORT NAME@ADDRESS`, with
    /// this terminal as the class console.
    Serve(ServeArgs),
    /// Class results from the classroom database: the list of classes, or one class's
    /// answers (a row per student and question, and each student's total).
    Results {
        /// The class's number or name (default: the list, or the latest with --format csv/json).
        class: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: crate::serve::results::Format,
    },
    /// Check a pack and report every problem as `file:line:column`.
    Validate {
        /// The pack folder (default: the built-in course).
        dir: Option<PathBuf>,
    },
}

/// `stemcell serve`: where to listen, the class code, and the limits (all with sane defaults).
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// The port students connect to.
    #[arg(long, default_value_t = 2222)]
    pub port: u16,
    /// The address to listen on (default: every address of this computer).
    #[arg(long, value_name = "ADDR", default_value = "0.0.0.0")]
    pub bind: std::net::IpAddr,
    /// The class code students type to join (default: a new random code each class).
    #[arg(long, value_name = "CODE", conflicts_with = "open", value_parser = class_code)]
    pub code: Option<String>,
    /// No code: anyone who can reach the port may join (only on a network you trust).
    #[arg(long)]
    pub open: bool,
    /// Students connected at once.
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=5000))]
    pub max_students: u32,
    /// A countdown for each class quiz question, in seconds.
    #[arg(long, value_name = "SECONDS")]
    pub timer: Option<u64>,
    /// New connections one address may open per minute.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub connections_per_minute: u32,
    /// Wrong codes from one address before it is shut out for ten minutes.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub failed_codes: u32,
    /// Seconds a student has to connect and give the code.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub handshake_timeout: u64,
    /// Minutes a connection may stay silent (keepalives keep a reading student connected).
    #[arg(long, value_name = "MINUTES", default_value_t = 180)]
    pub idle_timeout: u64,
    /// Bytes a student may type per second.
    #[arg(long, value_name = "BYTES", default_value_t = 2048)]
    pub input_rate: u32,
    /// The longest display name, in columns.
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u16).range(4..=64))]
    pub name_width: u16,
    /// Seconds a student's terminal may take no output before they are dropped.
    #[arg(long, value_name = "SECONDS", default_value_t = 20)]
    pub stall_timeout: u64,
    /// Faster right answers earn more points (off by default: speed discourages many).
    #[arg(long)]
    pub speed_points: bool,
    /// A ranking after each class quiz: off, named, or anonymous (names hidden on the
    /// projector; each student sees their own rank).
    #[arg(long, value_enum, default_value = "off")]
    pub leaderboard: crate::serve::protocol::Leaderboard,
}

/// A class code: 4 to 64 printable ASCII characters without spaces.
fn class_code(code: &str) -> Result<String, String> {
    let valid = (4..=64).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_graphic());
    if valid {
        Ok(code.to_owned())
    } else {
        Err("use 4 to 64 letters, digits or punctuation, without spaces".to_owned())
    }
}

impl Cli {
    /// The command line as clap reads it; with no arguments at all, the same defaults without
    /// building the parser, which costs more than loading the built-in course. (A test keeps
    /// the two equal.)
    pub fn from_args() -> Result<Self, clap::Error> {
        if std::env::args_os().len() <= 1 { Ok(Self::bare()) } else { Self::try_parse() }
    }

    /// What `stemcell` alone means: read the built-in course with every default.
    fn bare() -> Self {
        Self {
            command: None,
            pack: None,
            theme: None,
            ascii: false,
            plain: false,
            seed: None,
            watch: false,
            profile: "default".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_arguments_mean_what_clap_would_make_of_them() {
        let parsed = Cli::try_parse_from(["stemcell"]).unwrap();
        assert_eq!(format!("{:?}", Cli::bare()), format!("{parsed:?}"));
    }
}
