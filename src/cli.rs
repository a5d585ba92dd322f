//! The command line: its subcommands and options, and which global options each subcommand
//! reads (docs/COMMAND-LINE.md has the same table for people).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::theme_name::ThemeName;

#[derive(Debug, Parser)]
#[command(
    name = "stemcell",
    version,
    // Plain: errors quote arguments and go through the report writer, which shows escapes
    // rather than sending them; clap's own colour codes would be shown that way too.
    styles = clap::builder::Styles::plain(),
    about = "A terminal explainer: read the stem cell therapy course, or any course pack",
    after_help = "With no command, reads the course. When output is not a terminal, the course is printed as plain text."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// The options given before any command (`stemcell --pack DIR quiz`): with no command
    /// they are the reader's; before a command, each must be one that command takes
    /// ([`Cli::check_globals`]).
    #[command(flatten)]
    pub before: ReadingOptions,
}

// The options shared by several commands: each is a group that the commands reading it
// flatten into their own options, so `stemcell COMMAND --help`, the manual page and the
// completions offer a command exactly the options it takes.

/// `--pack DIR`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PackOption {
    /// Read a course pack from this folder instead of the built-in course.
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub pack: Option<PathBuf>,
}

/// How the full screen looks: `--theme`, `--color`, `--ascii`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LookOptions {
    /// Colours to use (`NO_COLOR` selects mono unless this is given).
    #[arg(long, value_enum, value_name = "THEME")]
    pub theme: Option<ThemeName>,

    /// When to use colour: auto (unless `NO_COLOR` is set), always (even then), never (mono).
    #[arg(long, value_enum, value_name = "WHEN")]
    pub color: Option<ColorWhen>,

    /// Draw with plain ASCII (+ - |) instead of Unicode symbols.
    #[arg(long)]
    pub ascii: bool,
}

/// `--plain`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PlainOption {
    /// Line-by-line output with no full-screen interface (for screen readers and pipes).
    #[arg(long)]
    pub plain: bool,
}

/// `--seed N`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SeedOption {
    /// Shuffle options with this seed: the same seed gives the same order everywhere.
    #[arg(long, value_name = "N", value_hint = clap::ValueHint::Other)]
    pub seed: Option<u64>,
}

/// `--watch`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct WatchOption {
    /// With --pack: reload the pack whenever one of its files changes (for authors).
    #[arg(long)]
    pub watch: bool,
}

/// `--profile NAME`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ProfileOption {
    /// Keep a separate learner record under this name (a shared classroom computer); the
    /// record without one is `default`.
    #[arg(long, value_name = "NAME", value_parser = profile_name, value_hint = clap::ValueHint::Other)]
    pub profile: Option<String>,
}

/// The options of reading, quizzing and practice (and of `stemcell` with no command).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ReadingOptions {
    #[command(flatten)]
    pub pack: PackOption,
    #[command(flatten)]
    pub looks: LookOptions,
    #[command(flatten)]
    pub plain: PlainOption,
    #[command(flatten)]
    pub seed: SeedOption,
    #[command(flatten)]
    pub watch: WatchOption,
    #[command(flatten)]
    pub profile: ProfileOption,
}

/// The options of classroom mode: the reader's, but no learner record is kept.
// `--plain` is taken, to say that classroom mode needs the full screen.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PresentOptions {
    #[command(flatten)]
    pub pack: PackOption,
    #[command(flatten)]
    pub looks: LookOptions,
    #[command(flatten)]
    pub plain: PlainOption,
    #[command(flatten)]
    pub seed: SeedOption,
    #[command(flatten)]
    pub watch: WatchOption,
}

/// Every shared option as one command line gave it, wherever it was typed (before the
/// command or after it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    pub pack: Option<PathBuf>,
    pub theme: Option<ThemeName>,
    pub color: Option<ColorWhen>,
    pub ascii: bool,
    pub plain: bool,
    pub seed: Option<u64>,
    pub watch: bool,
    pub profile: Option<String>,
}

impl Options {
    /// The learner record's name: `--profile`, or `default`.
    pub fn profile(&self) -> &str {
        self.profile.as_deref().unwrap_or("default")
    }

    /// These options, with those `other` gives where these give none.
    #[must_use]
    fn or(self, other: Self) -> Self {
        Self {
            pack: self.pack.or(other.pack),
            theme: self.theme.or(other.theme),
            color: self.color.or(other.color),
            ascii: self.ascii || other.ascii,
            plain: self.plain || other.plain,
            seed: self.seed.or(other.seed),
            watch: self.watch || other.watch,
            profile: self.profile.or(other.profile),
        }
    }

    fn looks(mut self, looks: &LookOptions) -> Self {
        self.theme = looks.theme;
        self.color = looks.color;
        self.ascii = looks.ascii;
        self
    }
}

impl From<&ReadingOptions> for Options {
    fn from(o: &ReadingOptions) -> Self {
        Self {
            pack: o.pack.pack.clone(),
            plain: o.plain.plain,
            seed: o.seed.seed,
            watch: o.watch.watch,
            profile: o.profile.profile.clone(),
            ..Self::default()
        }
        .looks(&o.looks)
    }
}

impl From<&PresentOptions> for Options {
    fn from(o: &PresentOptions) -> Self {
        Self {
            pack: o.pack.pack.clone(),
            plain: o.plain.plain,
            seed: o.seed.seed,
            watch: o.watch.watch,
            ..Self::default()
        }
        .looks(&o.looks)
    }
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

/// `--color`, as ripgrep and bat spell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// The theme for `--color`, `--theme` and `NO_COLOR`: `--color never` is mono whatever else is
/// asked; then `--theme`; then `NO_COLOR` selects mono unless `--color always`; then the theme
/// remembered from the cycling key (read only when needed: it is a file).
pub fn chosen_theme(
    color: Option<ColorWhen>,
    theme: Option<ThemeName>,
    no_color: bool,
    remembered: impl FnOnce() -> ThemeName,
) -> ThemeName {
    match (color.unwrap_or(ColorWhen::Auto), theme) {
        (ColorWhen::Never, _) => ThemeName::Mono,
        (_, Some(theme)) => theme,
        (ColorWhen::Auto, None) if no_color => ThemeName::Mono,
        _ => remembered(),
    }
}

/// How `stemcell stats` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StatsFormat {
    Text,
    Json,
}

/// How `stemcell validate` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ValidateFormat {
    /// `file:line:column: message`, the source line with a caret, and the hint.
    Text,
    /// One JSON document: `ok`, the counts, and every diagnostic (file, line, column,
    /// severity, message, hint), for editors and CI.
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read the course (the default command).
    Read {
        /// Open at this section (its id, e.g. `harvesting`).
        #[arg(long, value_name = "ID", value_hint = clap::ValueHint::Other)]
        section: Option<String>,
        #[command(flatten)]
        options: ReadingOptions,
    },
    /// Answer questions straight away: one section's, or the whole course's.
    Quiz {
        /// Only this section's questions (its id, e.g. `harvesting`).
        #[arg(long, value_name = "ID", value_hint = clap::ValueHint::Other)]
        section: Option<String>,
        #[command(flatten)]
        options: ReadingOptions,
    },
    /// Review the questions that are due (spaced repetition, scheduled by FSRS), most overdue
    /// first, then new ones from the sections read.
    Practice {
        /// Ask at most N questions (default 10).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        limit: Option<u16>,
        #[command(flatten)]
        options: ReadingOptions,
    },
    /// Classroom mode, paced by the teacher; nothing goes into any learner record.
    Present {
        /// A countdown for each class quiz question, in seconds.
        #[arg(long, value_name = "SECONDS")]
        timer: Option<u64>,
        #[command(flatten)]
        options: PresentOptions,
    },
    /// The learner's record, as text (or JSON for a teacher to collect).
    Stats {
        #[arg(long, value_enum, default_value = "text")]
        format: StatsFormat,
        /// Fit the scheduler's parameters to your own answers (from 400 answers) and keep them
        /// in your record; says how much better they predict your history.
        #[arg(long)]
        fit: bool,
        #[command(flatten)]
        pack: PackOption,
        #[command(flatten)]
        profile: ProfileOption,
    },
    /// Print a handout: the course (or a section) with its questions, in the order the screen
    /// shows them for the same --seed.
    Export {
        #[arg(long, value_enum)]
        format: crate::export::Format,
        /// Add the answer key, with explanations, at the end (on a worksheet: on a new page).
        #[arg(long)]
        answers: bool,
        /// A worksheet: the questions only, with room to answer and a name and date line
        /// (markdown, html and text).
        #[arg(long)]
        worksheet: bool,
        /// Only this section.
        #[arg(long, value_name = "ID", value_hint = clap::ValueHint::Other)]
        section: Option<String>,
        /// The answer key alone, numbered as the handout or worksheet with the same --seed
        /// and --section numbers its questions (markdown, html and text).
        #[arg(long, conflicts_with_all = ["answers", "worksheet"])]
        key_only: bool,
        /// Moodle XML for Moodle before 4.4: order questions as matching each step to its
        /// position (4.4 and later have the ordering type, used by default).
        #[arg(long)]
        order_as_matching: bool,
        /// Write to this file instead of standard output (needed for apkg).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        pack: PackOption,
        #[command(flatten)]
        seed: SeedOption,
    },
    /// Write a small working pack to start a course from.
    New {
        /// The folder to create (it must not exist).
        dir: PathBuf,
    },
    /// Print the JSON Schemas of the content files, for editors (Taplo, Even Better TOML).
    Schema {
        /// The schema of `export --format json` instead.
        #[arg(long)]
        export: bool,
        /// Write one schema file per kind of file into this folder (created if missing)
        /// instead of printing them all.
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
    },
    /// Print a shell completion script: `stemcell completions bash > ~/.local/share/bash-completion/completions/stemcell`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `stemcell man > stemcell.1; man ./stemcell.1`.
    Man,
    /// Live classroom: an SSH server each student joins with `ssh -p PORT NAME@ADDRESS`, with
    /// this terminal as the class console.
    Serve(ServeArgs),
    /// Class results from the classroom database: the list of classes, or one class's
    /// answers (a row per student and question, and each student's total).
    Results {
        /// The class's number or name (default: the list, or the latest with another --format).
        class: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: crate::class::results::Format,
        /// Write to this file instead of standard output (needed for xlsx).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Check a pack and report every problem as `file:line:column` (the pack's folder as
    /// given, relative to the working directory when it is under it).
    Validate {
        /// The pack folder (default: the built-in course).
        #[arg(value_hint = clap::ValueHint::DirPath)]
        dir: Option<PathBuf>,
        /// Text for people, or JSON for editors and CI (the exit code is the same).
        #[arg(long, value_enum, default_value = "text")]
        format: ValidateFormat,
        #[command(flatten)]
        pack: PackOption,
    },
}

/// The options shared by several commands, by the name the command line spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Global {
    Pack,
    Theme,
    Color,
    Ascii,
    Plain,
    Seed,
    Watch,
    Profile,
}

impl Global {
    pub const ALL: [Self; 8] = [
        Self::Pack,
        Self::Theme,
        Self::Color,
        Self::Ascii,
        Self::Plain,
        Self::Seed,
        Self::Watch,
        Self::Profile,
    ];

    pub fn flag(self) -> &'static str {
        match self {
            Self::Pack => "--pack",
            Self::Theme => "--theme",
            Self::Color => "--color",
            Self::Ascii => "--ascii",
            Self::Plain => "--plain",
            Self::Seed => "--seed",
            Self::Watch => "--watch",
            Self::Profile => "--profile",
        }
    }

    /// The option's id in the parser.
    pub fn id(self) -> &'static str {
        &self.flag()[2..]
    }

    /// Whether `options` gives this option.
    fn given_in(self, options: &Options) -> bool {
        match self {
            Self::Pack => options.pack.is_some(),
            Self::Theme => options.theme.is_some(),
            Self::Color => options.color.is_some(),
            Self::Ascii => options.ascii,
            Self::Plain => options.plain,
            Self::Seed => options.seed.is_some(),
            Self::Watch => options.watch,
            Self::Profile => options.profile.is_some(),
        }
    }
}

/// The shared options the subcommand `name` takes, read from the parser itself (the groups
/// its options flatten), so this cannot disagree with its help.
pub fn globals_of(name: &str) -> Vec<Global> {
    let cli = command();
    let Some(sub) = cli.find_subcommand(name) else { return Vec::new() };
    Global::ALL.into_iter().filter(|g| sub.get_arguments().any(|a| a.get_id() == g.id())).collect()
}

/// The parser, as help, the manual page and the completions show it.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

/// [`command`] for the completion scripts: `--section` offers the built-in course's section
/// ids (a pack's own ids are still accepted, and checked with a suggestion when wrong).
pub fn completion_command(section_ids: &[String]) -> clap::Command {
    // Possible values are `'static` in clap without its `string` feature; this runs once, to
    // print a script, and the ids are a few short strings.
    let ids: Vec<&'static str> =
        section_ids.iter().map(|id| &*Box::leak(id.clone().into_boxed_str())).collect();
    let mut cli = command();
    for name in ["read", "quiz", "export"] {
        let ids = ids.clone();
        cli = cli.mut_subcommand(name, |sub| {
            sub.mut_arg("section", |arg| {
                arg.value_parser(clap::builder::PossibleValuesParser::new(ids))
            })
        });
    }
    cli
}

impl Command {
    /// The shared options given after the command.
    pub fn options(&self) -> Options {
        match self {
            Self::Read { options, .. }
            | Self::Quiz { options, .. }
            | Self::Practice { options, .. } => options.into(),
            Self::Present { options, .. } => options.into(),
            Self::Stats { pack, profile, .. } => Options {
                pack: pack.pack.clone(),
                profile: profile.profile.clone(),
                ..Options::default()
            },
            Self::Export { pack, seed, .. } => {
                Options { pack: pack.pack.clone(), seed: seed.seed, ..Options::default() }
            }
            Self::Validate { pack, .. } => {
                Options { pack: pack.pack.clone(), ..Options::default() }
            }
            Self::Serve(args) => {
                Options { pack: args.pack.pack.clone(), seed: args.seed.seed, ..Options::default() }
                    .looks(&args.looks)
            }
            Self::New { .. }
            | Self::Schema { .. }
            | Self::Completions { .. }
            | Self::Man
            | Self::Results { .. } => Options::default(),
        }
    }

    /// The subcommand's name as typed.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Read { .. } => "read",
            Self::Quiz { .. } => "quiz",
            Self::Practice { .. } => "practice",
            Self::Present { .. } => "present",
            Self::Stats { .. } => "stats",
            Self::Export { .. } => "export",
            Self::New { .. } => "new",
            Self::Schema { .. } => "schema",
            Self::Validate { .. } => "validate",
            Self::Completions { .. } => "completions",
            Self::Man => "man",
            Self::Serve(_) => "serve",
            Self::Results { .. } => "results",
        }
    }
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
    /// New connections one address may open per minute (a class behind one router shares
    /// one address).
    #[arg(long, value_name = "N", default_value_t = 120)]
    pub connections_per_minute: u32,
    /// Wrong codes from one address before it is shut out for ten minutes (one name is shut
    /// out after 8 of its own, so one student's typos do not shut out a whole lab).
    #[arg(long, value_name = "N", default_value_t = 40)]
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
    pub leaderboard: crate::class::protocol::Leaderboard,
    /// Also let students join from a browser: a page and a WebSocket on --web-port. Plain
    /// HTTP is not encrypted (docs/CLASSROOM.md says what that exposes).
    #[arg(long)]
    pub web: bool,
    /// The port of the class page (with --web), on the same --bind address.
    #[arg(long, value_name = "PORT", default_value_t = 8080, requires = "web")]
    pub web_port: u16,
    /// Serve the class page over https:// with this certificate (PEM: the server's
    /// certificate, then its chain). Needs --web and --tls-key.
    #[arg(long, value_name = "FILE", requires_all = ["web", "tls_key"])]
    pub tls_cert: Option<std::path::PathBuf>,
    /// The private key of --tls-cert (PEM, not encrypted). Needs --web and --tls-cert.
    #[arg(long, value_name = "FILE", requires_all = ["web", "tls_cert"])]
    pub tls_key: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub unfinished: UnfinishedClass,
    // The console is present mode with the class attached: its pack, looks and seed.
    #[command(flatten)]
    pub pack: PackOption,
    #[command(flatten)]
    pub looks: LookOptions,
    #[command(flatten)]
    pub seed: SeedOption,
}

/// What `serve` does with a class of the course that never ended (its server stopped);
/// without either, it asks.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct UnfinishedClass {
    /// Carry on this course's newest class that never ended (its server stopped) without
    /// asking: same number, students rejoin with their answers.
    #[arg(long, conflicts_with = "new_class")]
    pub resume: bool,
    /// Start a new class without asking, even when one never ended.
    #[arg(long)]
    pub new_class: bool,
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
    /// The shared options as given, after the command or before it (after wins).
    pub fn options(&self) -> Options {
        let after = self.command.as_ref().map(Command::options).unwrap_or_default();
        after.or(Options::from(&self.before))
    }

    /// Refuses a shared option given before a command that does not take it (after the
    /// command, the parser itself refuses it), saying which ones the command takes.
    pub fn check_globals(&self) -> Result<(), String> {
        let Some(command) = &self.command else { return Ok(()) };
        let before = Options::from(&self.before);
        let mut given = Global::ALL.into_iter().filter(|g| g.given_in(&before)).peekable();
        if given.peek().is_none() {
            return Ok(());
        }
        let takes = globals_of(command.name());
        match given.find(|g| !takes.contains(g)) {
            Some(extra) => Err(refusal(extra, command.name(), &takes)),
            None => Ok(()),
        }
    }

    /// Our message for the parser's refusal of a shared option after a command that does not
    /// take it (`stemcell export --watch`), which says what the command takes instead of
    /// clap's "unexpected argument"; `None` for any other error.
    pub fn explain(error: &clap::Error, args: &[std::ffi::OsString]) -> Option<String> {
        use clap::error::{ContextKind, ContextValue, ErrorKind};
        if error.kind() != ErrorKind::UnknownArgument {
            return None;
        }
        let Some(ContextValue::String(typed)) = error.get(ContextKind::InvalidArg) else {
            return None;
        };
        let flag = typed.split('=').next().unwrap_or(typed);
        let global = Global::ALL.into_iter().find(|g| g.flag() == flag)?;
        // The command as the parser found it (a value may spell a command's name too:
        // `--pack quiz`), reading on past the error.
        let matches = command().ignore_errors(true).try_get_matches_from(args).ok()?;
        let name = matches.subcommand_name()?;
        let takes = globals_of(name);
        (!takes.contains(&global)).then(|| refusal(global, name, &takes))
    }

    /// The command line as clap reads it; with no arguments at all, the same defaults without
    /// building the parser, which costs more than loading the built-in course. (A test keeps
    /// the two equal.)
    pub fn from_args() -> Result<Self, clap::Error> {
        if std::env::args_os().len() <= 1 { Ok(Self::bare()) } else { Self::try_parse() }
    }

    /// What `stemcell` alone means: read the built-in course with every default.
    fn bare() -> Self {
        Self { command: None, before: ReadingOptions::default() }
    }
}

/// "`--watch` means nothing to `export`: it takes only --pack, --seed".
fn refusal(extra: Global, name: &str, takes: &[Global]) -> String {
    let takes = if takes.is_empty() {
        "takes none of the global options".to_owned()
    } else {
        let names: Vec<&str> = takes.iter().map(|g| g.flag()).collect();
        format!("takes only {}", names.join(", "))
    };
    format!("`{}` means nothing to `{name}`: it {takes}", extra.flag())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The message a command line is refused with, by the parser (explained) or by
    /// [`Cli::check_globals`]; `None` when it is accepted. Any other parse error panics.
    fn refusal(args: &[&str]) -> Option<String> {
        match Cli::try_parse_from(args) {
            Ok(cli) => cli.check_globals().err(),
            Err(e) => {
                let args: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
                Some(Cli::explain(&e, &args).unwrap_or_else(|| panic!("{e}")))
            }
        }
    }

    /// A command line that uses every argument a subcommand needs, then `extra`.
    fn line<'a>(name: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
        let mut args = match name {
            "export" => vec!["stemcell", "export", "--format", "text"],
            "new" => vec!["stemcell", "new", "d"],
            "completions" => vec!["stemcell", "completions", "bash"],
            name => vec!["stemcell", name],
        };
        args.extend_from_slice(extra);
        args
    }

    /// The contract (docs/COMMAND-LINE.md): which shared options each command takes. When
    /// they were `global = true`, this table was kept by hand beside the parser; now the
    /// parser's option groups are the table, and this checks they are still the contract.
    const CONTRACT: &[(&str, &[&str])] = &[
        ("read", &["pack", "theme", "color", "ascii", "plain", "seed", "watch", "profile"]),
        ("quiz", &["pack", "theme", "color", "ascii", "plain", "seed", "watch", "profile"]),
        ("practice", &["pack", "theme", "color", "ascii", "plain", "seed", "watch", "profile"]),
        ("present", &["pack", "theme", "color", "ascii", "plain", "seed", "watch"]),
        ("stats", &["pack", "profile"]),
        ("export", &["pack", "seed"]),
        ("validate", &["pack"]),
        ("serve", &["pack", "theme", "color", "ascii", "seed"]),
        ("new", &[]),
        ("schema", &[]),
        ("completions", &[]),
        ("man", &[]),
        ("results", &[]),
    ];

    /// `--theme dark`, `--ascii`: the option with a value it takes.
    fn given(global: Global) -> Vec<&'static str> {
        match global {
            Global::Pack => vec!["--pack", "p"],
            Global::Theme => vec!["--theme", "dark"],
            Global::Color => vec!["--color", "never"],
            Global::Seed => vec!["--seed", "3"],
            Global::Profile => vec!["--profile", "kim"],
            flag => vec![flag.flag()],
        }
    }

    #[test]
    fn each_command_takes_the_shared_options_of_the_contract_before_it_or_after_it() {
        let cli = command();
        let names: Vec<&str> =
            cli.get_subcommands().map(clap::Command::get_name).filter(|n| *n != "help").collect();
        assert_eq!(names.len(), CONTRACT.len(), "a command without its row: {names:?}");
        for (name, takes) in CONTRACT {
            for global in Global::ALL {
                let after = line(name, &given(global));
                let mut before = vec!["stemcell"];
                before.extend(given(global));
                before.extend(&line(name, &[])[1..]);
                let accepted = takes.contains(&global.id());
                for args in [after, before] {
                    let refused = refusal(&args);
                    assert_eq!(refused.is_none(), accepted, "{args:?}: {refused:?}");
                    if let Some(message) = refused {
                        let expected = format!("`{}` means nothing to `{name}`", global.flag());
                        assert!(message.starts_with(&expected), "{message}");
                    }
                }
            }
            let taken: Vec<&str> = globals_of(name).iter().map(|g| g.id()).collect();
            assert_eq!(&taken, takes, "{name}");
        }
        // With no command, every shared option is the reader's.
        for global in Global::ALL {
            let mut args = vec!["stemcell"];
            args.extend(given(global));
            assert_eq!(refusal(&args), None, "{args:?}");
        }
    }

    #[test]
    fn a_shared_option_means_the_same_before_the_command_or_after_it() {
        let before = Cli::try_parse_from([
            "stemcell", "--pack", "p", "--seed", "4", "export", "--format", "text",
        ]);
        let after = Cli::try_parse_from([
            "stemcell", "export", "--format", "text", "--pack", "p", "--seed", "4",
        ]);
        let (before, after) = (before.unwrap().options(), after.unwrap().options());
        assert_eq!(before, after);
        assert_eq!((before.pack, before.seed), (Some(PathBuf::from("p")), Some(4)));
        let quiz = Cli::try_parse_from([
            "stemcell",
            "--theme",
            "light",
            "quiz",
            "--plain",
            "--profile",
            "kim",
        ]);
        let quiz = quiz.unwrap().options();
        assert_eq!((quiz.theme, quiz.plain, quiz.profile()), (Some(ThemeName::Light), true, "kim"));
        // Given twice, the one after the command wins, as it did when they were global.
        let twice = Cli::try_parse_from(["stemcell", "--seed", "1", "quiz", "--seed", "2"]);
        assert_eq!(twice.unwrap().options().seed, Some(2));
        assert_eq!(
            Cli::try_parse_from(["stemcell", "stats"]).unwrap().options().profile(),
            "default"
        );
        // Values are still checked wherever the option is.
        assert!(Cli::try_parse_from(["stemcell", "stats", "--profile", "a/b"]).is_err());
        assert!(Cli::try_parse_from(["stemcell", "--profile", "a/b", "stats"]).is_err());
        assert!(Cli::try_parse_from(["stemcell", "serve", "--theme", "purple"]).is_err());
    }

    #[test]
    fn each_commands_help_lists_only_the_shared_options_it_takes() {
        for (name, takes) in CONTRACT {
            let mut cli = command();
            let help = cli.find_subcommand_mut(name).unwrap().render_long_help().to_string();
            for global in Global::ALL {
                let listed = help.contains(&format!("{} ", global.flag()))
                    || help.contains(&format!("{}\n", global.flag()));
                assert_eq!(
                    listed,
                    takes.contains(&global.id()),
                    "{name} {}:\n{help}",
                    global.flag()
                );
            }
        }
    }

    #[test]
    fn global_options_a_subcommand_ignores_are_refused() {
        let watch = refusal(&["stemcell", "export", "--format", "html", "--watch"]).unwrap();
        assert!(watch.contains("`--watch` means nothing to `export`"), "{watch}");
        assert!(watch.contains("--pack, --seed"), "says what it takes: {watch}");
        let theme = refusal(&["stemcell", "schema", "--theme", "dark"]).unwrap();
        assert!(theme.contains("`--theme` means nothing to `schema`"), "{theme}");
        assert!(refusal(&["stemcell", "stats", "--seed", "3"]).is_some());
        assert!(refusal(&["stemcell", "validate", "--plain"]).is_some());
        assert!(refusal(&["stemcell", "present", "--profile", "kim"]).is_some());
        assert!(refusal(&["stemcell", "man", "--ascii"]).is_some());
        // A value that spells a command's name is not taken for the command.
        let named =
            refusal(&["stemcell", "--pack", "quiz", "export", "--format", "text", "--watch"]);
        assert!(named.unwrap().starts_with("`--watch` means nothing to `export`"));
    }

    #[test]
    fn global_options_a_subcommand_reads_are_accepted() {
        for args in [
            &["stemcell", "--pack", "x", "--watch", "--theme", "dark", "--seed", "1"][..],
            &["stemcell", "quiz", "--plain", "--profile", "kim"],
            &["stemcell", "export", "--format", "html", "--seed", "4", "--pack", "p"],
            &["stemcell", "stats", "--profile", "kim"],
            &["stemcell", "validate", "--pack", "p"],
            &["stemcell", "schema"],
        ] {
            assert_eq!(refusal(args), None, "{args:?}");
        }
    }

    #[test]
    fn every_subcommand_has_a_row_in_the_table() {
        // A subcommand added without its row would not compile (the match is exhaustive);
        // this checks the names the messages use against clap's.
        let cli = <Cli as clap::CommandFactory>::command();
        for sub in cli.get_subcommands().filter(|s| s.get_name() != "help") {
            let parsed = Cli::try_parse_from(match sub.get_name() {
                "export" => vec!["stemcell", "export", "--format", "text"],
                "new" => vec!["stemcell", "new", "d"],
                "completions" => vec!["stemcell", "completions", "bash"],
                name => vec!["stemcell", name],
            });
            let parsed = parsed.unwrap_or_else(|e| panic!("{}: {e}", sub.get_name()));
            assert_eq!(parsed.command.unwrap().name(), sub.get_name());
        }
    }

    #[test]
    fn color_never_is_mono_always_ignores_no_color_and_auto_follows_it() {
        use ColorWhen::{Always, Auto, Never};
        let light = || ThemeName::Light;
        assert_eq!(chosen_theme(Some(Never), Some(ThemeName::Dark), false, light), ThemeName::Mono);
        assert_eq!(chosen_theme(Some(Always), None, true, light), ThemeName::Light);
        assert_eq!(chosen_theme(Some(Auto), None, true, light), ThemeName::Mono);
        assert_eq!(chosen_theme(None, None, true, light), ThemeName::Mono);
        assert_eq!(chosen_theme(None, None, false, light), ThemeName::Light);
        assert_eq!(chosen_theme(None, Some(ThemeName::Dark), true, light), ThemeName::Dark);
    }

    #[test]
    fn the_manual_offers_only_the_global_options_a_subcommand_reads() {
        let help = |name: &str| {
            let mut cli = command();
            let sub = cli.find_subcommand_mut(name).unwrap();
            sub.render_long_help().to_string()
        };
        let schema = help("schema");
        for flag in ["--theme", "--pack", "--seed", "--color", "--profile"] {
            assert!(!schema.contains(flag), "schema offers {flag}: {schema}");
        }
        let stats = help("stats");
        assert!(stats.contains("--profile") && stats.contains("--pack"), "{stats}");
        assert!(!stats.contains("--theme") && !stats.contains("--seed"), "{stats}");
        let quiz = help("quiz");
        for global in Global::ALL {
            assert!(quiz.contains(global.flag()), "quiz lacks {}: {quiz}", global.flag());
        }
    }

    #[test]
    fn no_arguments_mean_what_clap_would_make_of_them() {
        let parsed = Cli::try_parse_from(["stemcell"]).unwrap();
        assert_eq!(format!("{:?}", Cli::bare()), format!("{parsed:?}"));
    }
}
