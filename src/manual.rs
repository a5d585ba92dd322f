//! `stemcell man`: the manual page, in roff. The commands and their options come from the
//! parser ([`crate::cli::command`]) and the keys from the key tables the `?` help draws
//! ([`crate::app::keymap`]), so the page cannot disagree with either; the rest (exit status,
//! environment, files, examples) is the contract in prose.
//!
//! Written with the `roff` crate rather than `clap_mangen`: the page needs each command's
//! options (`clap_mangen` lists only the commands' names), and its lists of possible values
//! draw `mandoc -Tlint` warnings.

use std::fmt::Write as _;

use clap::{Arg, ArgAction, Command};
use roff::{Inline, Roff, bold, italic, roman};

use crate::app::keymap::{self, Mode};

/// The date of this version's page (`.TH`), changed with the version in `Cargo.toml`. A fixed
/// date, not the build's, so that the same source gives the same page (reproducible builds).
pub const DATE: &str = "2026-12-03";

/// The screens whose keys the page lists, with the heading each gets: the same tables and
/// words as the `?` help on that screen.
const SCREENS: &[(&str, Mode)] = &[
    ("The title screen", Mode::Title),
    ("Reading", Mode::Reader),
    ("The table of contents", Mode::Contents),
    ("Searching (/)", Mode::Search),
    ("The glossary (g)", Mode::Glossary),
    ("A choice question (one or several answers)", Mode::Choosing),
    ("A true or false question", Mode::Judging),
    ("Putting steps in order", Mode::Ordering),
    ("Matching items", Mode::Matching),
    ("Typing an answer", Mode::Typing),
    ("After answering", Mode::Answered),
    ("A quiz's results", Mode::Results),
    ("Your progress (s)", Mode::Stats),
    ("Classroom mode (present)", Mode::Present),
    ("The class console (serve)", Mode::PresentClass),
    ("The console's roster", Mode::Roster),
];

/// The whole page for `cli` (the parser as [`crate::cli::command`] builds it).
pub fn page(cli: &Command) -> String {
    let mut roff = Roff::new();
    let page = &mut roff;
    let version = format!("stemcell {}", env!("CARGO_PKG_VERSION"));
    page.control("TH", ["STEMCELL", "1", DATE, version.as_str(), "User Commands"]);

    page.control("SH", ["NAME"]);
    page.text([roman(
        "stemcell - a terminal explainer: the stem cell therapy course, or any course pack",
    )]);

    page.control("SH", ["SYNOPSIS"]);
    page.text([bold("stemcell"), roman(" ["), italic("OPTIONS"), roman("]")]);
    page.control("br", []);
    page.text([
        bold("stemcell"),
        roman(" "),
        italic("COMMAND"),
        roman(" ["),
        italic("OPTIONS"),
        roman("]"),
    ]);

    page.control("SH", ["DESCRIPTION"]);
    lead(page, &about(cli, true));
    paragraph(
        page,
        "With no command, stemcell reads the course: full screen on a terminal, resuming where \
         this learner left off. When its output is not a terminal, the course is printed as \
         plain text. --plain reads and quizzes line by line (for screen readers and pipes); \
         answers are typed (2, 1,3, b d a c).",
    );

    page.control("SH", ["OPTIONS"]);
    lead(page, "With no command (reading the course):");
    options(page, cli);

    commands(page, cli);
    keys(page);
    exit_status(page);
    environment(page);
    files(page);
    examples(page);
    see_also(page);
    page.render()
}

/// Each command with its synopsis, what it does and its options.
fn commands(page: &mut Roff, cli: &Command) {
    page.control("SH", ["COMMANDS"]);
    lead(page, "Each command lists the options it takes; every one also takes -h, --help.");
    for sub in cli.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        page.control("SS", [sub.get_name()]);
        page.text(usage(sub));
        paragraph(page, &about(sub, true));
        options(page, sub);
    }
}

/// The keys of each screen, from the tables the `?` help shows.
fn keys(page: &mut Roff) {
    page.control("SH", ["KEYS"]);
    lead(
        page,
        "In the full-screen interface, ? shows the keys of the screen in view; these are the \
         same lists. Only key presses count, and Ctrl-C always quits.",
    );
    for (heading, mode) in SCREENS {
        page.control("SS", [*heading]);
        for (keys, what) in keymap::help_entries(*mode) {
            item(page, vec![bold(keys)], what);
        }
    }
}

fn exit_status(page: &mut Roff) {
    page.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in [
        ("0", "Success (validate: no errors; warnings allowed)."),
        (
            "1",
            "A content or usage problem: a pack with errors, an unknown option or section, \
               an option the command does not take. The message says what and where.",
        ),
        (
            "2",
            "An I/O or terminal failure: output that cannot be written, a terminal that \
               fails, a file that cannot be saved.",
        ),
        (
            "128+N",
            "Ended by signal N (130 for Ctrl-C in a line-by-line quiz, 143 for SIGTERM); \
                   every answer given is saved first.",
        ),
    ] {
        item(page, vec![bold(code)], meaning);
    }
}

fn environment(page: &mut Roff) {
    page.control("SH", ["ENVIRONMENT"]);
    for (name, meaning) in [
        (
            "NO_COLOR",
            "When set and not empty, the mono theme (bold, underline, reverse; no \
                      colour), unless --theme or --color always is given.",
        ),
        (
            "STEMCELL_STATE_DIR",
            "The folder for learner records, the classroom database and \
                                the classroom's SSH host key, instead of the platform's state \
                                folder.",
        ),
        (
            "STEMCELL_CONFIG_DIR",
            "The folder of config.toml (the remembered theme, practice's \
                                 retention), instead of the platform's config folder.",
        ),
        (
            "STEMCELL_HYPERLINKS",
            "1 or 0: make sources' web addresses terminal hyperlinks \
                                 (OSC 8), or not, whatever the terminal; FORCE_HYPERLINK=1 or 0 too, as \
             other tools read it.",
        ),
        (
            "TZ",
            "The time zone of \"today\" for practice and stats, and of the times in class \
                results (else the system's).",
        ),
        (
            "TERM",
            "dumb or unset (on Unix): the terminal cannot draw a full screen, so \
                  stemcell reads line by line as with --plain.",
        ),
    ] {
        item(page, vec![bold(name)], meaning);
    }
}

fn files(page: &mut Roff) {
    page.control("SH", ["FILES"]);
    for (path, meaning) in [
        (
            "~/.local/state/stemcell/COURSE/PROFILE.toml",
            "A learner's record: answers, \
          positions, the review schedule (PROFILE is default unless --profile is given). \
          Under $STEMCELL_STATE_DIR when it is set.",
        ),
        (
            "~/.local/state/stemcell/classes.sqlite3",
            "The classroom database: classes, \
          students, answers (stemcell results reads it).",
        ),
        (
            "~/.local/state/stemcell/class-N.lock",
            "Held while stemcell serve runs \
          class N, so another serve does not offer to carry it on; removed when the class ends.",
        ),
        (
            "~/.local/state/stemcell/classroom_host_ed25519",
            "The SSH host key of stemcell \
          serve, made on first use.",
        ),
        (
            "~/.config/stemcell/config.toml",
            "The remembered theme and practice's retention. \
          Under $STEMCELL_CONFIG_DIR when it is set.",
        ),
        (
            "DIR/content/course.toml",
            "A course pack's manifest; its sections are in \
          DIR/content/sections/, its glossary in DIR/content/glossary.toml, its diagrams in \
          DIR/assets/diagrams/ (docs/AUTHORING.md).",
        ),
    ] {
        item(page, vec![italic(path)], meaning);
    }
    paragraph(page, "The paths are Linux's; other systems use their own state and config folders.");
}

fn examples(page: &mut Roff) {
    page.control("SH", ["EXAMPLES"]);
    for (command, meaning) in [
        ("stemcell", "Read the course, resuming where you left off."),
        ("stemcell quiz --section harvesting", "Answer one section's questions."),
        (
            "stemcell --plain quiz",
            "A quiz line by line, for a screen reader; it ends with \
          Score: X/Y.",
        ),
        ("stemcell practice --limit 20", "Review up to 20 questions that are due."),
        (
            "stemcell export --format html --worksheet --seed 7 -o quiz.html",
            "A worksheet to \
          print; --key-only with the same seed prints its answer key.",
        ),
        (
            "stemcell validate --format json packs/water-cycle",
            "Check a pack, for an editor or \
          CI; exit 1 when it has errors.",
        ),
        (
            "stemcell new my-course && stemcell --pack my-course --watch",
            "Start a pack and \
          see each edit as it is saved.",
        ),
        ("stemcell serve --web", "A live class: students join with ssh or a browser."),
        ("stemcell results --format csv -o class.csv", "The latest class's gradebook."),
        (
            "stemcell completions bash > ~/.local/share/bash-completion/completions/stemcell",
            "Tab \
          completion in bash.",
        ),
    ] {
        item(page, vec![bold(command)], meaning);
    }
}

fn see_also(page: &mut Roff) {
    page.control("SH", ["SEE ALSO"]);
    page.text([bold("ssh"), roman("(1)")]);
    paragraph(
        page,
        "The guides beside the source: docs/COMMAND-LINE.md, docs/AUTHORING.md (writing a \
         pack), docs/LEARNER.md (practice and the record), docs/CLASSROOM.md (serve and \
         results).",
    );
}

/// A command's long description, or its short one; without a trailing full stop the way
/// clap's help shows it, so the page adds one.
fn about(cmd: &Command, long: bool) -> String {
    let text = cmd
        .get_long_about()
        .filter(|_| long)
        .or_else(|| cmd.get_about())
        .map(ToString::to_string)
        .unwrap_or_default();
    sentence(&text)
}

/// `text` ending with a full stop (clap's doc comments drop theirs).
fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.is_empty() || text.ends_with(['.', ':', '!', '?']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

/// `stemcell NAME [options] ARGS`, as a synopsis line.
fn usage(sub: &Command) -> Vec<Inline> {
    let mut line = vec![bold(format!("stemcell {}", sub.get_name()))];
    if shown_options(sub).any(|a| !a.is_positional()) {
        line.extend([roman(" ["), italic("OPTIONS"), roman("]")]);
    }
    for arg in sub.get_positionals() {
        let name = value_names(arg);
        if arg.is_required_set() {
            line.extend([roman(" "), italic(name)]);
        } else {
            line.extend([roman(" ["), italic(name), roman("]")]);
        }
    }
    line
}

/// The options shown in help (not hidden), without `--help` and `--version`, which every
/// command has and the page says once.
fn shown_options(cmd: &Command) -> impl Iterator<Item = &Arg> {
    cmd.get_arguments().filter(|a| {
        !a.is_hide_set() && !matches!(a.get_action(), ArgAction::Help | ArgAction::HelpLong)
    })
}

/// Each option of `cmd` as a tagged paragraph: its flags and value, then what it does, its
/// values and its default.
fn options(page: &mut Roff, cmd: &Command) {
    for arg in shown_options(cmd) {
        let mut tag = Vec::new();
        if let Some(short) = arg.get_short() {
            tag.push(bold(format!("-{short}")));
            tag.push(roman(", "));
        }
        if let Some(long) = arg.get_long() {
            tag.push(bold(format!("--{long}")));
        }
        if arg.get_action().takes_values() {
            if !arg.is_positional() {
                tag.push(roman(" "));
            }
            tag.push(italic(value_names(arg)));
        }
        let help = arg.get_long_help().or_else(|| arg.get_help()).map(ToString::to_string);
        let mut text = sentence(&help.unwrap_or_default());
        // A flag's "possible values" are true and false: nothing to tell.
        let values: Vec<String> =
            if arg.is_hide_possible_values_set() || !arg.get_action().takes_values() {
                Vec::new()
            } else {
                arg.get_possible_values()
                    .iter()
                    .filter(|v| !v.is_hide_set())
                    .map(|v| match v.get_help() {
                        Some(help) => {
                            format!("{} ({})", v.get_name(), help.to_string().trim_end_matches('.'))
                        }
                        None => v.get_name().to_owned(),
                    })
                    .collect()
            };
        if !values.is_empty() {
            let _ = write!(text, " One of: {}.", values.join("; "));
        }
        let defaults: Vec<String> =
            arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
        if arg.get_action().takes_values()
            && !defaults.is_empty()
            && !arg.is_hide_default_value_set()
        {
            let _ = write!(text, " Default: {}.", defaults.join(", "));
        }
        item(page, tag, text.trim());
    }
}

/// `FILE`, `THEME`: the value's name as help shows it.
fn value_names(arg: &Arg) -> String {
    match arg.get_value_names() {
        Some(names) => names.iter().map(ToString::to_string).collect::<Vec<_>>().join(" "),
        None => arg.get_id().as_str().to_uppercase(),
    }
}

/// A tagged paragraph: `tag` on its own line, `text` indented under it.
fn item(page: &mut Roff, tag: Vec<Inline>, text: &str) {
    page.control("TP", []);
    page.text(tag);
    page.text(styled(&flat(text)));
}

/// The first paragraph of a section (a `.PP` right after `.SH` is one too many).
fn lead(page: &mut Roff, text: &str) {
    page.text(styled(&flat(text)));
}

fn paragraph(page: &mut Roff, text: &str) {
    page.control("PP", []);
    page.text(styled(&flat(text)));
}

/// Help texts mark names to type with backticks (`NO_COLOR`); on the page they are bold, as
/// man pages show what is typed literally.
fn styled(text: &str) -> Vec<Inline> {
    text.split('`')
        .enumerate()
        .filter(|(_, part)| !part.is_empty())
        .map(|(i, part)| if i % 2 == 1 { bold(part) } else { roman(part) })
        .collect()
}

/// `text` as one filled paragraph: a help text's line breaks and blank lines would be roff's
/// own (a blank line in filled text is a lint warning).
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
