//! Parses the command line and picks a mode; the only place that decides how we run.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use ratatui::layout::Size;

use stemcell::app::{App, Settings};
use stemcell::cli::{Cli, Command, StatsFormat, ValidateFormat};
use stemcell::content::error::{self, Diagnostic, did_you_mean, plural};
use stemcell::content::load::PackSource;
use stemcell::content::located;
use stemcell::content::{self, Loaded};
use stemcell::course::Course;
use stemcell::learner::store::Store;
use stemcell::learner::{Day, Learner, Record};
use stemcell::page::Glyphs;
use stemcell::quiz::QuizRun;
use stemcell::report;
use stemcell::stats::Stats;
use stemcell::{config, plain, tui};

/// Exit codes of the contract: 1 for content and usage problems, 2 for I/O and terminal.
const CONTENT_OR_USAGE: u8 = 1;
const IO_OR_TERMINAL: u8 = 2;

/// Width of printed text when there is no terminal to measure.
const PRINT_WIDTH: usize = 80;

fn main() -> ExitCode {
    let cli = match parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let source = cli.options().pack.map_or(PackSource::BuiltIn, PackSource::Dir);
    match cli.command {
        Some(Command::Validate { ref dir, format, .. }) => {
            let source = dir.clone().map_or(source, PackSource::Dir);
            validate(&source, format)
        }
        Some(Command::Read { ref section, .. }) => {
            run(&cli, &source, Start::Read, section.as_deref())
        }
        Some(Command::Quiz { ref section, .. }) => {
            run(&cli, &source, Start::Quiz, section.as_deref())
        }
        Some(Command::Practice { .. }) => run(&cli, &source, Start::Practice, None),
        Some(Command::Present { timer, .. }) => run(&cli, &source, Start::Present(timer), None),
        Some(Command::Serve(ref args)) => serve(&cli, &source, args),
        Some(Command::Results { ref class, format, ref output }) => {
            results(class.as_deref(), format, output.as_deref())
        }
        Some(Command::Stats { format, fit, .. }) => stats(&cli, &source, format, fit),
        Some(Command::Export {
            format,
            answers,
            worksheet,
            ref section,
            key_only,
            order_as_matching,
            ref output,
            ..
        }) => {
            if (worksheet || key_only) && !format.has_worksheet() {
                let flag = if worksheet { "--worksheet" } else { "--key-only" };
                report::to_stderr(&format!(
                    "error: {flag} is for the markdown, html and text formats (a question bank or JSON has no paper layout)"
                ));
                return ExitCode::from(CONTENT_OR_USAGE);
            }
            if order_as_matching && format != stemcell::export::Format::MoodleXml {
                report::to_stderr(
                    "error: --order-as-matching is for --format moodle-xml (GIFT always writes order as matching)",
                );
                return ExitCode::from(CONTENT_OR_USAGE);
            }
            if format.is_binary() && output.is_none() && io::stdout().is_terminal() {
                report::to_stderr(
                    "error: an Anki package is a binary file: write it with -o FILE (e.g. -o course.apkg)",
                );
                return ExitCode::from(CONTENT_OR_USAGE);
            }
            let what = Handout { format, answers, worksheet, key_only, order_as_matching };
            export(&cli, &source, what, section.as_deref(), output.as_deref())
        }
        Some(Command::New { ref dir }) => match stemcell::scaffold::create(dir) {
            Ok(()) => {
                let dir = dir.display();
                finish_writing(report::line(
                    &mut io::stdout().lock(),
                    &format!(
                        "A new pack is in {dir}. Try it: stemcell --pack {dir} · check it: stemcell validate {dir}"
                    ),
                ))
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                report::to_stderr(&format!("error: {e}"));
                ExitCode::from(CONTENT_OR_USAGE)
            }
            Err(e) => {
                report::to_stderr(&format!(
                    "error: cannot write the new pack at {}: {e}",
                    dir.display()
                ));
                ExitCode::from(IO_OR_TERMINAL)
            }
        },
        Some(Command::Schema { export, ref output }) => schema(export, output.as_deref()),
        Some(Command::Completions { shell }) => {
            let ids: Vec<String> = content::load(&PackSource::BuiltIn)
                .map(|loaded| loaded.course.sections.iter().map(|s| s.id.clone()).collect())
                .unwrap_or_default();
            let out = stemcell::completions::script(shell, &ids);
            finish_writing(io::stdout().lock().write_all(&out))
        }
        Some(Command::Man) => {
            let page = stemcell::manual::page(&stemcell::cli::command());
            finish_writing(io::stdout().lock().write_all(page.as_bytes()))
        }
        None => run(&cli, &source, Start::Read, None),
    }
}

/// The command line, or the exit code after help, the version or a usage error is printed.
fn parse() -> Result<Cli, ExitCode> {
    let cli = match Cli::from_args() {
        Ok(cli) => cli,
        // Help and the version go to stdout as clap writes them (our own text); a usage error
        // quotes the arguments, so it goes to stderr through the report writer.
        Err(e) if e.use_stderr() => {
            // A shared option after a command that does not take it: say what it takes.
            let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
            if let Some(message) = Cli::explain(&e, &args) {
                report::to_stderr(&format!("error: {message}"));
                return Err(ExitCode::from(CONTENT_OR_USAGE));
            }
            // The parser's styles are plain (src/cli.rs), so `ansi()` adds no escapes of clap's
            // own and the argument comes through whole for the writer to show visibly
            // (`to_string()` would strip escape sequences from it and hide what was typed).
            report::to_stderr(e.render().ansi().to_string().trim_end());
            return Err(ExitCode::from(CONTENT_OR_USAGE));
        }
        Err(e) => return Err(finish_writing(e.print())),
    };
    if let Err(message) = cli.check_globals() {
        report::to_stderr(&format!("error: {message}"));
        return Err(ExitCode::from(CONTENT_OR_USAGE));
    }
    Ok(cli)
}

fn validate(source: &PackSource, format: ValidateFormat) -> ExitCode {
    let mut out = io::stdout().lock();
    let (diagnostics, summary) = match content::load(source) {
        Ok(Loaded { course, warnings }) => {
            // The process ends right after this report: freeing a large course piece by piece
            // (10,000 questions: every string, every block) would only delay the exit.
            let course = std::mem::ManuallyDrop::new(course);
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
    let diagnostics = located::under_root(diagnostics, shown_pack_root(source).as_deref());
    let written = match format {
        ValidateFormat::Text => diagnostics
            .iter()
            .try_for_each(|d| report::line(&mut out, &format!("{d}\n")))
            .and_then(|()| report::line(&mut out, &summary)),
        // The pack's text (a key, an id, a file name) is in the messages: control characters
        // are written as JSON escapes, so a reader gets them back and a terminal obeys none.
        ValidateFormat::Json => {
            let json = located::JsonReport::of(&diagnostics).to_json();
            out.write_all(report::json(&json).as_bytes())
        }
    }
    .and_then(|()| out.flush());
    let code = if diagnostics.iter().any(Diagnostic::is_error) {
        ExitCode::from(CONTENT_OR_USAGE)
    } else {
        ExitCode::SUCCESS
    };
    finish_writing_as(written, code)
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

/// The pack's folder as problems in it are shown (see [`located::shown_root`]); `None` for
/// the built-in pack, whose paths stay relative to it.
fn shown_pack_root(source: &PackSource) -> Option<std::path::PathBuf> {
    let PackSource::Dir(given) = source else { return None };
    Some(located::shown_root(given, std::env::current_dir().ok().as_deref()))
}

/// Loads the pack, or prints every problem and says why nothing else will happen.
fn load_course(source: &PackSource) -> Result<Course, ExitCode> {
    match content::load_to_show(source) {
        Ok(loaded) => Ok(loaded.course),
        Err(problems) => {
            let problems = located::under_root(problems, shown_pack_root(source).as_deref());
            let mut err = io::stderr().lock();
            for d in &problems {
                let _ = report::line(&mut err, &format!("{d}\n"));
            }
            let _ = report::line(
                &mut err,
                &format!(
                    "{}: {} cannot be read",
                    error::count_summary(&problems),
                    report::visible_line(&source.describe())
                ),
            );
            Err(ExitCode::from(CONTENT_OR_USAGE))
        }
    }
}

/// The learner's record, and the store to save it in (none when there is nowhere to keep it:
/// the learner is told, and the session goes on).
fn open_learner(cli: &Cli, course: &Course) -> (Learner, Option<Store>, Option<String>) {
    let today = Day::today();
    let session = session_id();
    let (retention, retention_note) = config::load().retention();
    let (learner, store, notice) = match Store::locate(&course.id, cli.options().profile()) {
        Ok(store) => {
            let opened = store.open();
            // The notice may quote the record (its `course`, a key it should not have): it is
            // shown on screen or on stderr, so it is made visible here, once for both.
            let notice = opened.notice.map(|n| report::visible_line(&n).into_owned());
            (Learner::new(opened.record, today, session), Some(store), notice)
        }
        Err(problem) => {
            let notice = format!("Your progress will not be saved: {problem}.");
            (Learner::new(Record::new(&course.id), today, session), None, Some(notice))
        }
    };
    let mut learner = learner.with_retention(retention);
    if let Some(Command::Practice { limit: Some(limit), .. }) = &cli.command {
        learner.session_limit = usize::from(*limit);
    }
    let notice = match (notice, retention_note) {
        (Some(a), Some(b)) => Some(format!("{a} {b}")),
        (a, b) => a.or(b),
    };
    (learner, store, notice)
}

fn run(cli: &Cli, source: &PackSource, start: Start, section: Option<&str>) -> ExitCode {
    // Load and check everything before the terminal is taken: a broken pack is reported on a
    // normal screen and never starts the full-screen interface.
    let (course, section) = match load_with_section(source, section) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    // `--watch` reloads a pack folder as its author edits it; the built-in pack cannot change.
    let wants_watch = cli.options().watch;
    let watch = match source {
        PackSource::Dir(_) if wants_watch => Some(source),
        _ => None,
    };
    if wants_watch && watch.is_none() {
        report::to_stderr("error: --watch needs --pack DIR: the built-in course cannot change");
        return ExitCode::from(CONTENT_OR_USAGE);
    }
    let settings = settings(cli);
    let glyphs = settings.glyphs;

    // `TERM=dumb` (Emacs shells, some CI logs) or no TERM at all: the terminal cannot draw a
    // full screen, so it gets the line-by-line mode, as a pipe does.
    let terminal = io::stdout().is_terminal() && io::stdin().is_terminal();
    let line_mode = cli.options().plain || (terminal && !terminal_can_draw());
    let interactive = terminal && !line_mode;
    if start == Start::Read && line_mode {
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
        if line_mode || !interactive {
            report::to_stderr(
                "error: `stemcell present` is a full-screen mode and needs a terminal",
            );
            return ExitCode::from(IO_OR_TERMINAL);
        }
        // Classroom mode keeps no record: a class is not a learner.
        let learner = Learner::fresh(&course.id, Day::today());
        let app = App::new(course, settings, learner, Size::new(80, 24)).presenting(timer);
        return run_tui(app, None, watch);
    }
    let (learner, store, notice) = open_learner(cli, &course);
    if line_mode || !interactive {
        if let Some(notice) = &notice {
            report::to_stderr(&format!("note: {notice}"));
        }
        let mut run = match start {
            Start::Practice => {
                QuizRun::new(&course, learner.practice_queue(&course), settings.seed)
            }
            _ => QuizRun::of(&course, section, settings.seed),
        };
        if run.questions.is_empty() {
            let nothing = if start == Start::Practice {
                learner.nothing_due(&course)
            } else {
                "Nothing to ask: this has no question.".to_owned()
            };
            return finish_writing(report::line(&mut io::stdout().lock(), &nothing));
        }
        let section_id = section.map(|s| course.sections[s].id.clone());
        return plain_quiz(
            &course,
            &mut run,
            learner,
            store.as_ref(),
            section_id.filter(|_| start == Start::Quiz),
        );
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
    let options = cli.options();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let theme = stemcell::cli::chosen_theme(options.color, options.theme, no_color, || {
        let (config, note) = config::load_noting();
        if let Some(note) = note {
            report::to_stderr(&format!("note: {note}"));
        }
        config.theme().unwrap_or_default()
    });
    let glyphs = if options.ascii { Glyphs::ASCII } else { Glyphs::UNICODE };
    Settings { theme, glyphs, seed: options.seed.unwrap_or_else(fresh_seed) }
}

/// `stemcell results [CLASS]`: the classroom database's classes, or one class's export.
fn results(
    class: Option<&str>,
    format: stemcell::class::results::Format,
    output: Option<&std::path::Path>,
) -> ExitCode {
    use stemcell::class::results::{self, Format};
    if format == Format::Xlsx && output.is_none() && io::stdout().is_terminal() {
        report::to_stderr(
            "error: an Excel workbook is a binary file: write it with -o FILE (e.g. -o class.xlsx)",
        );
        return ExitCode::from(CONTENT_OR_USAGE);
    }
    let bytes = results::default_path().and_then(|path| match format {
        Format::Xlsx => results::workbook(&path, class),
        // The database may have come from anyone (shared, received): printed, its names and
        // answers go through the report writer (JSON keeps its data exactly, as escapes); a
        // file written with -o keeps them as they are.
        Format::Json if output.is_none() => results::report(&path, class, format)
            .map(|text| report::json(&text).into_owned().into_bytes()),
        _ if output.is_none() => results::report(&path, class, format)
            .map(|text| report::visible(&text).into_owned().into_bytes()),
        _ => results::report(&path, class, format).map(String::into_bytes),
    });
    match bytes {
        Ok(bytes) => write_output(output, &bytes),
        Err(e) => {
            report::to_stderr(&format!("error: {e}"));
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
        report::to_stderr("error: `stemcell serve` shows the class console and needs a terminal");
        return ExitCode::from(IO_OR_TERMINAL);
    }
    match stemcell::serve::run(course, args, settings(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report::to_stderr(&format!("error: {e}"));
            ExitCode::from(IO_OR_TERMINAL)
        }
    }
}

fn run_tui(app: App, store: Option<&Store>, watch: Option<&PackSource>) -> ExitCode {
    match tui::run(app, store, watch) {
        Ok(tui::Ended::Quit) => ExitCode::SUCCESS,
        Ok(tui::Ended::Signal(signal)) => ExitCode::from(128 + u8::try_from(signal).unwrap_or(0)),
        Err(e) => {
            report::to_stderr(&format!("error: the terminal failed: {e}"));
            ExitCode::from(IO_OR_TERMINAL)
        }
    }
}

/// A quiz line by line: each answer is saved as soon as it is given, and a signal (Ctrl-C, a
/// closed terminal, SIGTERM) ends the program with 128 + its number once any save under way
/// has finished, so no answer given is lost.
fn plain_quiz(
    course: &Course,
    run: &mut QuizRun,
    mut learner: Learner,
    store: Option<&Store>,
    section_id: Option<String>,
) -> ExitCode {
    let saving = std::sync::Arc::new(std::sync::Mutex::new(()));
    if let Err(e) = exit_on_signals(std::sync::Arc::clone(&saving)) {
        report::to_stderr(&format!(
            "warning: signals cannot be caught ({e}); Ctrl-C may lose the last answer"
        ));
    }
    // Waits for another process's lock once, then keeps answers in memory until it frees.
    let mut saver = plain::quiz::Saving::default();
    let mut save = |learner: &mut Learner, last: bool| {
        let Some(store) = store else { return };
        let _saving = saving.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(note) = saver.save(store, learner, last) {
            report::to_stderr(&note);
        }
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    let asked = plain::quiz::run_saving(
        &mut io::stdin().lock(),
        &mut out,
        course,
        run,
        PRINT_WIDTH,
        |run| {
            let (s, q) = run.questions[run.current];
            if let Some((_, grade)) = &run.results[run.current] {
                learner.log_answer(&course.sections[s].questions[q].id, grade.points);
                save(&mut learner, false);
            }
        },
    );
    if run.answered() > 0 {
        learner.log_end_of_run(run, section_id);
        save(&mut learner, true);
    }
    finish_writing(asked.and_then(|()| out.flush()))
}

/// Ends the process with 128 + the signal's number on SIGINT, SIGTERM or SIGHUP, waiting for
/// the save that holds `saving`, if one is under way.
fn exit_on_signals(saving: std::sync::Arc<std::sync::Mutex<()>>) -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])?;
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            // Held until the process ends, so that no save starts after this one.
            let _saved = saving.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            // Ctrl-C leaves the cursor after the prompt: the shell's next line starts afresh.
            if signal == SIGINT && io::stderr().is_terminal() {
                let _ = writeln!(io::stderr());
            }
            std::process::exit(128 + signal);
        }
    });
    Ok(())
}

/// Writes `text` to stdout, flushed, so that a failure is seen here and not lost at exit.
fn print(text: &str) -> ExitCode {
    let mut out = io::stdout().lock();
    finish_writing(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

/// The exit code for text written to stdout.
fn finish_writing(written: io::Result<()>) -> ExitCode {
    finish_writing_as(written, ExitCode::SUCCESS)
}

/// `code` if the text went out, or the reader closed the pipe early (`stemcell | head`: the
/// reader's choice, not a failure); 2 with a message if it could not be written (a full disk,
/// a closed terminal); 1 if the input (answers typed or piped in) is not text.
fn finish_writing_as(written: io::Result<()>, code: ExitCode) -> ExitCode {
    match written {
        Ok(()) => code,
        Err(e) => match plain::InputProblem::of(&e) {
            Some(plain::InputProblem::NotText { .. }) => {
                report::to_stderr(&format!("error: cannot read the input: {e}"));
                ExitCode::from(CONTENT_OR_USAGE)
            }
            Some(plain::InputProblem::Failed(_)) => {
                report::to_stderr(&format!("error: cannot read the input: {e}"));
                ExitCode::from(IO_OR_TERMINAL)
            }
            None if e.kind() == io::ErrorKind::BrokenPipe => code,
            None => {
                report::to_stderr(&format!("error: cannot write the output: {e}"));
                ExitCode::from(IO_OR_TERMINAL)
            }
        },
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
    report::to_stderr(&format!(
        "error: there is no section `{}`.{hint}\nSections: {}",
        report::visible_line(id),
        all.join(", ")
    ));
    Err(ExitCode::from(CONTENT_OR_USAGE))
}

/// `stemcell schema`: every content file's schema to stdout, the export's with `--export`,
/// or with `-o DIR` one file per kind, named as editors expect them.
fn schema(export: bool, output: Option<&std::path::Path>) -> ExitCode {
    use stemcell::content::schema;
    let files = if export { schema::export_files() } else { schema::files() };
    let Some(dir) = output else {
        let text = if export {
            files.into_iter().map(|(_, text)| text).collect::<String>()
        } else {
            schema::json()
        };
        return finish_writing(io::stdout().lock().write_all(text.as_bytes()));
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        report::to_stderr(&format!("error: cannot create {}: {e}", dir.display()));
        return ExitCode::from(IO_OR_TERMINAL);
    }
    for (name, text) in files {
        let path = dir.join(name);
        if let Err(e) = std::fs::write(&path, text) {
            report::to_stderr(&format!("error: cannot write {}: {e}", path.display()));
            return ExitCode::from(IO_OR_TERMINAL);
        }
        if let Err(e) = report::line(&mut io::stdout().lock(), &path.display().to_string()) {
            return finish_writing(Err(e));
        }
    }
    ExitCode::SUCCESS
}

/// What `stemcell export` was asked for.
// Each bool is a separate flag of `stemcell export`.
#[allow(clippy::struct_excessive_bools)]
#[derive(Clone, Copy)]
struct Handout {
    format: stemcell::export::Format,
    answers: bool,
    worksheet: bool,
    key_only: bool,
    order_as_matching: bool,
}

fn export(
    cli: &Cli,
    source: &PackSource,
    what: Handout,
    section: Option<&str>,
    output: Option<&std::path::Path>,
) -> ExitCode {
    let Handout { format, answers, worksheet, key_only, order_as_matching } = what;
    let (course, section) = match load_with_section(source, section) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    // Without --seed, handouts use seed 0: the same every time, so copies printed on different
    // days match each other.
    let options = stemcell::export::Options {
        seed: cli.options().seed.unwrap_or(0),
        answers,
        section,
        worksheet,
        key_only,
        order_as_matching,
        course: &course,
    };
    let bytes = match stemcell::export::export_bytes(format, &options) {
        Ok(bytes) => bytes,
        Err(e) => {
            report::to_stderr(&format!("error: {e}"));
            return ExitCode::from(IO_OR_TERMINAL);
        }
    };
    write_output(output, &bytes)
}

/// Writes a file made for the user to `path` (whole or not at all), or to stdout.
fn write_output(output: Option<&std::path::Path>, bytes: &[u8]) -> ExitCode {
    let Some(path) = output else {
        let mut out = io::stdout().lock();
        return finish_writing(out.write_all(bytes).and_then(|()| out.flush()));
    };
    match stemcell::export::save(path, bytes) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report::to_stderr(&format!(
                "error: cannot write {} (any file that was there is unchanged): {e}",
                report::visible_line(&path.display().to_string())
            ));
            ExitCode::from(IO_OR_TERMINAL)
        }
    }
}

fn stats(cli: &Cli, source: &PackSource, format: StatsFormat, fit: bool) -> ExitCode {
    let course = match load_course(source) {
        Ok(course) => course,
        Err(code) => return code,
    };
    let (mut learner, store, notice) = open_learner(cli, &course);
    if let Some(notice) = notice {
        report::to_stderr(&format!("note: {notice}"));
    }
    if fit {
        match fit_parameters(&mut learner, store.as_ref()) {
            Ok(said) => report::to_stderr(&said),
            Err(code) => return code,
        }
    }
    // A record's text (a quiz's section, a course id) reaches the terminal only through the
    // report writer.
    let stats = Stats::of(
        &course,
        &learner.record,
        cli.options().profile(),
        learner.today,
        learner.retention,
    );
    let text = match format {
        StatsFormat::Text => report::visible(&stats.to_text()).into_owned(),
        StatsFormat::Json => match serde_json::to_string_pretty(&stats) {
            Ok(json) => report::json(&json).into_owned() + "\n",
            Err(e) => {
                report::to_stderr(&format!("error: {e}"));
                return ExitCode::from(IO_OR_TERMINAL);
            }
        },
    };
    print(&text)
}

/// `stemcell stats --fit`: fits the parameters to the learner's answers and keeps them in the
/// record; says what the fit gained, or why there was none. The text goes to stderr, so the
/// figures that follow on stdout stay what a script reads.
fn fit_parameters(learner: &mut Learner, store: Option<&Store>) -> Result<String, ExitCode> {
    use stemcell::learner::fit;
    let fitted = match fit::fit(&learner.record, learner.today) {
        Ok(fitted) => fitted,
        Err(why) => return Ok(format!("No fit: {why}")),
    };
    let said = fit::describe(&fitted);
    if !fitted.improves() {
        return Ok(said);
    }
    learner.record.fitted = Some(fitted);
    let Some(store) = store else {
        return Ok(format!("{said} It could not be kept: your record has no place to be saved."));
    };
    match store.save(&learner.record) {
        Ok(saved) => {
            learner.record = saved;
            Ok(format!("{said} Practice uses them from now on."))
        }
        Err(e) => {
            report::to_stderr(&format!(
                "error: the fitted parameters could not be saved to {}: {e}",
                store.path().display()
            ));
            Err(ExitCode::from(IO_OR_TERMINAL))
        }
    }
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

/// Whether `TERM` names a terminal that can draw a full screen: set, and not `dumb`.
fn terminal_can_draw() -> bool {
    match std::env::var_os("TERM") {
        Some(term) => !term.is_empty() && term != "dumb",
        // Windows consoles set no TERM and draw well; on Unix a terminal without one is
        // unknown, so nothing is assumed of it.
        None => cfg!(windows),
    }
}

/// A seed for when none was given: different on every run, so practice is not memorised
/// by position.
/// This window's name in the record: its start time (milliseconds, fixed width) then random
/// digits. Merged copies sort a day's answers by window name, so answers of windows opened
/// one after another replay in the order they were given, which FSRS needs for same-day
/// repeats (a wrong answer then a right one is not a right one then a wrong one).
fn session_id() -> String {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    format!("{millis:013x}{:08x}", fresh_seed() as u32)
}

fn fresh_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    (nanos as u64) ^ u64::from(std::process::id()).rotate_left(32)
}
