//! Parses the command line and picks a mode; the only place that decides how we run.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use ratatui::layout::Size;

use stemcell::app::{App, Settings};
use stemcell::cli::{Cli, Command, StatsFormat};
use stemcell::content::error::{self, Diagnostic, did_you_mean, plural};
use stemcell::content::load::PackSource;
use stemcell::content::{self, Loaded};
use stemcell::course::Course;
use stemcell::learner::store::Store;
use stemcell::learner::{Day, Learner, Record};
use stemcell::page::Glyphs;
use stemcell::quiz::QuizRun;
use stemcell::stats::Stats;
use stemcell::ui::theme::ThemeName;
use stemcell::{config, plain, tui};

/// Exit codes of the contract: 1 for content and usage problems, 2 for I/O and terminal.
const CONTENT_OR_USAGE: u8 = 1;
const IO_OR_TERMINAL: u8 = 2;

/// Width of printed text when there is no terminal to measure.
const PRINT_WIDTH: usize = 80;

fn main() -> ExitCode {
    let cli = match Cli::from_args() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(CONTENT_OR_USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let source = cli.pack.clone().map_or(PackSource::BuiltIn, PackSource::Dir);
    match cli.command {
        Some(Command::Validate { ref dir }) => {
            let source = dir.clone().map_or(source, PackSource::Dir);
            validate(&source)
        }
        Some(Command::Read { ref section }) => run(&cli, &source, Start::Read, section.as_deref()),
        Some(Command::Quiz { ref section }) => run(&cli, &source, Start::Quiz, section.as_deref()),
        Some(Command::Practice) => run(&cli, &source, Start::Practice, None),
        Some(Command::Present { timer }) => run(&cli, &source, Start::Present(timer), None),
        Some(Command::Serve(ref args)) => serve(&cli, &source, args),
        Some(Command::Results { ref class, format }) => results(class.as_deref(), format),
        Some(Command::Stats { format }) => stats(&cli, &source, format),
        Some(Command::Export { format, answers, ref section, ref output }) => {
            export(&cli, &source, format, answers, section.as_deref(), output.as_deref())
        }
        Some(Command::New { ref dir }) => match stemcell::scaffold::create(dir) {
            Ok(()) => {
                println!(
                    "A new pack is in {}. Try it: stemcell --pack {} · check it: stemcell validate {}",
                    dir.display(),
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                eprintln!("error: {e}");
                ExitCode::from(CONTENT_OR_USAGE)
            }
            Err(e) => {
                eprintln!("error: cannot write the new pack: {e}");
                ExitCode::from(IO_OR_TERMINAL)
            }
        },
        Some(Command::Schema) => finish_writing(
            io::stdout().lock().write_all(stemcell::content::schema::json().as_bytes()),
        ),
        None => run(&cli, &source, Start::Read, None),
    }
}

fn validate(source: &PackSource) -> ExitCode {
    let mut out = io::stdout().lock();
    let (diagnostics, summary) = match content::load(source) {
        Ok(Loaded { course, warnings }) => {
            let questions = course.sections.iter().flat_map(|s| &s.questions);
            let kinds: std::collections::HashSet<_> =
                questions.clone().map(stemcell::course::Question::kind).collect();
            let counts = format!(
                "{}, {} ({}), {}, {}",
                plural(course.sections.len(), "section"),
                plural(questions.count(), "question"),
                plural(kinds.len(), "kind"),
                plural(course.diagrams.len(), "diagram"),
                plural(course.glossary.len(), "glossary term"),
            );
            let label = if warnings.is_empty() {
                "ok".to_owned()
            } else {
                plural(warnings.len(), "warning")
            };
            (warnings, format!("{label}: {counts}"))
        }
        Err(problems) => {
            let summary = format!(
                "{}: fix the errors above to use this pack",
                error::count_summary(&problems)
            );
            (problems, summary)
        }
    };
    for d in &diagnostics {
        let _ = writeln!(out, "{d}\n");
    }
    let _ = writeln!(out, "{summary}");
    if diagnostics.iter().any(Diagnostic::is_error) {
        ExitCode::from(CONTENT_OR_USAGE)
    } else {
        ExitCode::SUCCESS
    }
}

/// What the learner asked to do.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Start {
    Read,
    Quiz,
    Practice,
    /// Classroom mode, with an optional countdown per class question.
    Present(Option<u64>),
}

/// Loads the pack, or prints every problem and says why nothing else will happen.
fn load_course(source: &PackSource) -> Result<Course, ExitCode> {
    match content::load_to_show(source) {
        Ok(loaded) => Ok(loaded.course),
        Err(problems) => {
            let mut err = io::stderr().lock();
            for d in &problems {
                let _ = writeln!(err, "{d}\n");
            }
            let _ = writeln!(
                err,
                "{}: {} cannot be read",
                error::count_summary(&problems),
                source.describe()
            );
            Err(ExitCode::from(CONTENT_OR_USAGE))
        }
    }
}

/// The learner's record, and the store to save it in (none when there is nowhere to keep it:
/// the learner is told, and the session goes on).
fn open_learner(cli: &Cli, course: &Course) -> (Learner, Option<Store>, Option<String>) {
    let today = Day::today();
    let session = format!("{:016x}", fresh_seed());
    match Store::locate(&course.id, &cli.profile) {
        Ok(store) => {
            let opened = store.open();
            (Learner::new(opened.record, today, session), Some(store), opened.notice)
        }
        Err(problem) => {
            let notice = format!("Your progress will not be saved: {problem}.");
            (Learner::new(Record::new(&course.id), today, session), None, Some(notice))
        }
    }
}

fn run(cli: &Cli, source: &PackSource, start: Start, section: Option<&str>) -> ExitCode {
    // Load and check everything before the terminal is taken: a broken pack is reported on a
    // normal screen and never starts the full-screen interface.
    let (course, section) = match load_with_section(source, section) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    // The flag wins, then NO_COLOR, then the theme remembered from the cycling key.
    // `--watch` reloads a pack folder as its author edits it; the built-in pack cannot change.
    let watch = match source {
        PackSource::Dir(_) if cli.watch => Some(source),
        _ => None,
    };
    if cli.watch && watch.is_none() {
        eprintln!("error: --watch needs --pack DIR: the built-in course cannot change");
        return ExitCode::from(CONTENT_OR_USAGE);
    }
    let settings = settings(cli);
    let glyphs = settings.glyphs;

    let interactive = io::stdout().is_terminal() && io::stdin().is_terminal();
    if start == Start::Read && cli.plain {
        let mut out = io::BufWriter::new(io::stdout().lock());
        let start = section.unwrap_or(0);
        let read = plain::read_paged(
            &mut io::stdin().lock(),
            &mut out,
            &course,
            start,
            PRINT_WIDTH,
            glyphs,
        );
        return finish_writing(read);
    }
    if start == Start::Read && !interactive {
        return finish_writing(print_course(&course, section, glyphs));
    }
    if let Start::Present(timer) = start {
        if cli.plain || !interactive {
            eprintln!("error: `stemcell present` is a full-screen mode and needs a terminal");
            return ExitCode::from(IO_OR_TERMINAL);
        }
        // Classroom mode keeps no record: a class is not a learner.
        let learner = Learner::fresh(&course.id, Day::today());
        let app = App::new(course, settings, learner, Size::new(80, 24)).presenting(timer);
        return run_tui(app, None, watch);
    }
    let (mut learner, store, notice) = open_learner(cli, &course);
    if cli.plain || !interactive {
        if let Some(notice) = &notice {
            eprintln!("note: {notice}");
        }
        let mut run = match start {
            Start::Practice => {
                QuizRun::new(&course, learner.practice_queue(&course), settings.seed)
            }
            _ => QuizRun::of(&course, section, settings.seed),
        };
        if run.questions.is_empty() {
            println!("Nothing to practise today: no question is due.");
            return ExitCode::SUCCESS;
        }
        let mut out = io::BufWriter::new(io::stdout().lock());
        let asked =
            plain::quiz::run(&mut io::stdin().lock(), &mut out, &course, &mut run, PRINT_WIDTH);
        let section_id = section.map(|s| course.sections[s].id.clone());
        learner.log_run(&course, &run, section_id.filter(|_| start == Start::Quiz));
        if let Some(store) = &store
            && let Err(e) = store.save(&learner.record)
        {
            eprintln!("warning: your answers could not be saved: {e}");
        }
        return finish_writing(asked.and_then(|()| out.flush()));
    }

    let mut app = App::new(course, settings, learner, Size::new(80, 24));
    app = match (start, section) {
        (Start::Read, Some(index)) => app.opened_at(index),
        (Start::Read, None) => app.resumed(),
        (Start::Quiz, scope) => app.quizzing(scope),
        (Start::Practice, _) => app.practising(),
        (Start::Present(timer), _) => app.presenting(timer),
    };
    if let Some(notice) = notice {
        app.notice = Some(notice);
    }
    run_tui(app, store.as_ref(), watch)
}

/// The theme, the glyphs and the seed the command line and the config ask for.
fn settings(cli: &Cli) -> Settings {
    let theme = cli.theme.unwrap_or_else(|| {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        if no_color { ThemeName::Mono } else { config::load().theme().unwrap_or_default() }
    });
    let glyphs = if cli.ascii { Glyphs::ASCII } else { Glyphs::UNICODE };
    Settings { theme, glyphs, seed: cli.seed.unwrap_or_else(fresh_seed) }
}

/// `stemcell results [CLASS]`: the classroom database's classes, or one class's export.
fn results(class: Option<&str>, format: stemcell::serve::results::Format) -> ExitCode {
    let report = stemcell::serve::results::default_path()
        .and_then(|path| stemcell::serve::results::report(&path, class, format));
    match report {
        Ok(text) => finish_writing(io::stdout().lock().write_all(text.as_bytes())),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(CONTENT_OR_USAGE)
        }
    }
}

/// `stemcell serve`: loads the course, then hands over to the classroom server.
fn serve(cli: &Cli, source: &PackSource, args: &stemcell::cli::ServeArgs) -> ExitCode {
    let course = match load_course(source) {
        Ok(course) => course,
        Err(code) => return code,
    };
    if !(io::stdout().is_terminal() && io::stdin().is_terminal()) {
        eprintln!("error: `stemcell serve` shows the class console and needs a terminal");
        return ExitCode::from(IO_OR_TERMINAL);
    }
    match stemcell::serve::run(course, args, settings(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(IO_OR_TERMINAL)
        }
    }
}

fn run_tui(app: App, store: Option<&Store>, watch: Option<&PackSource>) -> ExitCode {
    match tui::run(app, store, watch) {
        Ok(tui::Ended::Quit) => ExitCode::SUCCESS,
        Ok(tui::Ended::Signal(signal)) => ExitCode::from(128 + u8::try_from(signal).unwrap_or(0)),
        Err(e) => {
            eprintln!("error: the terminal failed: {e}");
            ExitCode::from(IO_OR_TERMINAL)
        }
    }
}

/// The exit code for text written to stdout.
fn finish_writing(written: io::Result<()>) -> ExitCode {
    match written {
        Ok(()) => ExitCode::SUCCESS,
        // `stemcell | head` closes the pipe early: that is the reader's choice, not a failure.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write: {e}");
            ExitCode::from(IO_OR_TERMINAL)
        }
    }
}

/// Loads the pack and finds the section named on the command line, if one was.
fn load_with_section(
    source: &PackSource,
    section: Option<&str>,
) -> Result<(Course, Option<usize>), ExitCode> {
    let course = load_course(source)?;
    let section = section_index(&course, section)?;
    Ok((course, section))
}

/// Resolves a section id given on the command line, or explains that there is none.
fn section_index(course: &Course, id: Option<&str>) -> Result<Option<usize>, ExitCode> {
    let Some(id) = id else { return Ok(None) };
    if let Some(index) = course.section_index(id) {
        return Ok(Some(index));
    }
    let ids = course.sections.iter().map(|s| s.id.as_str());
    let hint = did_you_mean(id, ids).map_or_else(String::new, |s| format!(" Did you mean `{s}`?"));
    let all: Vec<&str> = course.sections.iter().map(|s| s.id.as_str()).collect();
    eprintln!("error: there is no section `{id}`.{hint}\nSections: {}", all.join(", "));
    Err(ExitCode::from(CONTENT_OR_USAGE))
}

fn export(
    cli: &Cli,
    source: &PackSource,
    format: stemcell::export::Format,
    answers: bool,
    section: Option<&str>,
    output: Option<&std::path::Path>,
) -> ExitCode {
    let (course, section) = match load_with_section(source, section) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    // Without --seed, handouts use seed 0: the same every time, so copies printed on different
    // days match each other.
    let options = stemcell::export::Options {
        seed: cli.seed.unwrap_or(0),
        answers,
        section,
        course: &course,
    };
    let text = stemcell::export::export(format, &options);
    match output {
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                ExitCode::from(IO_OR_TERMINAL)
            }
        },
        None => finish_writing(io::stdout().lock().write_all(text.as_bytes())),
    }
}

fn stats(cli: &Cli, source: &PackSource, format: StatsFormat) -> ExitCode {
    let course = match load_course(source) {
        Ok(course) => course,
        Err(code) => return code,
    };
    let (learner, _, notice) = open_learner(cli, &course);
    if let Some(notice) = notice {
        eprintln!("note: {notice}");
    }
    let stats = Stats::of(&course, &learner.record, &cli.profile, learner.today);
    let text = match format {
        StatsFormat::Text => stats.to_text(),
        StatsFormat::Json => match serde_json::to_string_pretty(&stats) {
            Ok(json) => json + "\n",
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(IO_OR_TERMINAL);
            }
        },
    };
    finish_writing(io::stdout().lock().write_all(text.as_bytes()))
}

fn print_course(course: &Course, section: Option<usize>, glyphs: Glyphs) -> io::Result<()> {
    let sections = match section {
        Some(index) => &course.sections[index..=index],
        None => &course.sections[..],
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    plain::write_course(&mut out, course, sections, PRINT_WIDTH, glyphs)?;
    out.flush()
}

/// A seed for when none was given: different on every run, so practice is not memorised
/// by position.
fn fresh_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    (nanos as u64) ^ u64::from(std::process::id()).rotate_left(32)
}
