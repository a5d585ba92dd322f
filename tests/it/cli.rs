//! The command line, run as a user would: exit codes, messages, plain output.

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output};

fn stemcell(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stemcell"))
        .args(args)
        .env_remove("NO_COLOR")
        .env("STEMCELL_STATE_DIR", crate::support::state_dir("cli"))
        .output()
        .expect("the binary runs")
}

/// [`stemcell`] run from the folder `cwd`.
fn stemcell_in(cwd: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stemcell"))
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .env("STEMCELL_STATE_DIR", crate::support::state_dir("cli"))
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A copy of the built-in pack in a temporary folder, to break on purpose.
struct PackCopy(PathBuf);

impl PackCopy {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("stemcell-cli-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        for sub in ["content", "content/sections", "assets/diagrams"] {
            fs::create_dir_all(dir.join(sub)).unwrap();
            for entry in fs::read_dir(root.join(sub)).unwrap().flatten() {
                if entry.path().is_file() {
                    fs::copy(entry.path(), dir.join(sub).join(entry.file_name())).unwrap();
                }
            }
        }
        Self(dir)
    }

    fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.0.join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from} not in {file}");
        fs::write(path, text.replacen(from, to, 1)).unwrap();
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for PackCopy {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[test]
fn piped_output_is_the_whole_course_as_plain_text() {
    let output = stemcell(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(!text.contains('\u{1b}'), "no escape sequences in a pipe");
    assert!(text.starts_with("An Insider’s Look at the Process of Stem Cell Therapy"));
    // Every article sentence is in the printout. The article is kept in the repository so
    // that this always runs.
    let article = include_str!("../article/stem-cell-therapy.txt");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let sentences: Vec<&str> =
        article.lines().filter(|l| l.ends_with('.')).flat_map(|l| l.split(". ")).collect();
    assert!(sentences.len() > 20, "the article is there: {} sentences", sentences.len());
    for sentence in sentences {
        let sentence = sentence.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(sentence.trim_end_matches('.')), "missing: {sentence}");
    }
}

/// Printed text has no bold, so a heading inside a section is underlined.
#[test]
fn piped_headings_look_like_headings() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/packs/water-cycle");
    let text = stdout(&stemcell(&["--pack", dir, "read", "--section", "evaporation"]));
    assert!(text.contains("\nThe Sun does the lifting\n------------------------\n"), "{text}");
}

#[test]
fn read_section_prints_just_that_section() {
    let output = stemcell(&["read", "--section", "harvesting"]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.contains("[2/6]") && text.contains("The Stem Cell Harvesting Process"));
    assert!(!text.contains("[1/6]"));
}

#[test]
fn an_unknown_section_is_a_usage_error_with_a_suggestion() {
    let output = stemcell(&["read", "--section", "harvestng"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("no section `harvestng`. Did you mean `harvesting`?"));
}

#[test]
fn validate_reports_the_built_in_pack_clean() {
    let output = stemcell(&["validate"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let last = stdout(&output).lines().last().unwrap().to_owned();
    assert!(last.starts_with("ok: 6 sections, "), "{last}");
}

/// The example pack in `packs/` is a second, complete course: it must stay valid, with no
/// warnings, and keep exercising every block kind and every question kind.
#[test]
fn the_example_water_cycle_pack_validates_clean() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/packs/water-cycle");
    let output = stemcell(&["validate", dir]);
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{report}");
    assert_eq!(report.lines().count(), 1, "no warnings: {report}");
    assert_eq!(
        report.trim_end(),
        "ok: 3 sections, 6 questions (6 kinds), 2 diagrams, 6 glossary terms"
    );
    let sections = fs::read_dir(format!("{dir}/content/sections"))
        .unwrap()
        .map(|e| fs::read_to_string(e.unwrap().path()).unwrap())
        .collect::<String>();
    for kind in ["text", "heading", "list", "callout", "context", "diagram"] {
        assert!(sections.contains(&format!("kind = \"{kind}\"")), "no {kind} block");
    }
    let diagrams = ["cycle", "drop"]
        .map(|d| fs::read_to_string(format!("{dir}/assets/diagrams/{d}.toml")).unwrap());
    assert!(diagrams.iter().any(|d| d.contains("direction = \"across\"")));
    assert!(diagrams.iter().any(|d| d.contains("direction = \"down\"")));
}

#[test]
fn a_broken_pack_never_starts_and_says_where() {
    let pack = PackCopy::new("broken");
    pack.edit("content/sections/harvesting.toml", "title =", "titel =");
    pack.edit("content/course.toml", "\"outlook\"", "\"outlok\"");
    let output = stemcell(&["--pack", pack.path()]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("content/sections/harvesting.toml:3:1: unknown field `titel`"), "{err}");
    assert!(err.contains("did you mean `title`?"), "{err}");
    assert!(err.contains("content/course.toml:7:"), "{err}");
    assert!(err.contains("did you mean `outlook`?"), "{err}");
    assert!(!err.contains("panicked"));

    let validate = stemcell(&["validate", pack.path()]);
    assert_eq!(validate.status.code(), Some(1));
    let last = stdout(&validate).lines().last().unwrap().to_owned();
    // The misspelt id also leaves outlook.toml unlisted: a warning, not an error.
    assert!(last.starts_with("2 errors, 1 warning"), "{last}");
}

#[test]
fn a_pack_on_disk_is_read_instead_of_the_built_in_one() {
    let pack = PackCopy::new("edited");
    pack.edit(
        "content/sections/harvesting.toml",
        "The Stem Cell Harvesting Process",
        "Gathering the Cells",
    );
    let output = stemcell(&["--pack", pack.path(), "read", "--section", "harvesting"]);
    assert!(stdout(&output).contains("Gathering the Cells"));
}

#[test]
fn bad_usage_exits_1_and_help_exits_0() {
    assert_eq!(stemcell(&["--theme", "purple"]).status.code(), Some(1));
    assert_eq!(stemcell(&["frobnicate"]).status.code(), Some(1));
    let help = stemcell(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).contains("validate"));
}

/// Runs the binary with `input` piped in and a learner record folder of its own, removed after.
fn stemcell_with_input(args: &[&str], input: &str) -> Output {
    let state = tempfile::Builder::new().prefix("stemcell-state-cli-input-").tempdir().unwrap();
    stemcell_with_input_in(args, input, state.path())
}

#[test]
fn piped_runs_leave_no_record_folder_behind() {
    let output = stemcell_with_input(&["quiz", "--plain", "--section", "harvesting"], "1\n");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    // The name the helper used to keep records under, for the whole test run, never removed.
    let old = crate::support::state_dir("cli-input");
    assert!(!old.exists(), "{} was left in the temporary directory", old.display());
}

/// Runs the binary with `input` piped in and learner records kept in `state`.
fn stemcell_with_input_in(args: &[&str], input: &str, state: &std::path::Path) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_stemcell"))
        .args(args)
        .env("STEMCELL_STATE_DIR", state)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_plain_quiz_reads_piped_answers_and_ends_with_the_score() {
    use stemcell::content::{self, load::PackSource};
    use stemcell::course::Answer;
    use stemcell::quiz::{letter_label, present_in};
    let course = content::load(&PackSource::BuiltIn).unwrap().course;
    let section = &course.sections[2];
    // The key for seed 5, typed the way the instructions say; the last answer is left wrong.
    let mut answers: Vec<String> = section
        .questions
        .iter()
        .map(|q| {
            let order = present_in(section, q, 5).order;
            let position = |item: usize| order.iter().position(|&i| i == item).unwrap();
            match &q.answer {
                Answer::Choice { options, .. } => (0..options.len())
                    .filter(|&i| options[i].correct)
                    .map(|i| (position(i) + 1).to_string())
                    .collect::<Vec<_>>()
                    .join(","),
                Answer::TrueFalse(t) => (if *t { "true" } else { "f" }).to_owned(),
                Answer::Order(steps) => (0..steps.len())
                    .map(|i| letter_label(position(i)).to_string())
                    .collect::<Vec<_>>()
                    .join(" "),
                Answer::Match(pairs) => (0..pairs.len())
                    .map(|i| letter_label(position(i)).to_string())
                    .collect::<Vec<_>>()
                    .join(" "),
                Answer::Fill(accepted) => accepted[0].clone(),
            }
        })
        .collect();
    let total = answers.len();
    answers.insert(0, "not an answer".to_owned());
    let last = answers.len() - 1;
    answers[last] = match section.questions[total - 1].answer {
        Answer::Fill(_) => "certainly wrong".to_owned(),
        Answer::TrueFalse(t) => (if t { "f" } else { "t" }).to_owned(),
        _ => answers[last].clone(),
    };
    let output = stemcell_with_input(
        &["quiz", "--plain", "--section", "cultivation", "--seed", "5"],
        &(answers.join("\n") + "\n"),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("try again"), "a bad line is asked again: {text}");
    assert!(!text.contains('\u{1b}'), "no escape sequences");
    let expected_right = match section.questions[total - 1].answer {
        Answer::Fill(_) | Answer::TrueFalse(_) => total - 1,
        _ => total,
    };
    assert_eq!(text.lines().last().unwrap(), format!("Score: {expected_right}/{total}"), "{text}");

    // The same seed asks in the same order, so a second run prints the same thing.
    let again = stemcell_with_input(
        &["quiz", "--plain", "--section", "cultivation", "--seed", "5"],
        &(answers.join("\n") + "\n"),
    );
    assert_eq!(stdout(&again), text);
}

#[test]
fn a_plain_quiz_ends_cleanly_at_the_end_of_input() {
    let output = stemcell_with_input(&["quiz", "--section", "outlook"], "1\n");
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.contains("End of input: stopped after 1 of"), "{text}");
    assert!(text.lines().last().unwrap().starts_with("Score: "), "{text}");
    assert!(text.lines().last().unwrap().ends_with("/1"), "{text}");
}

#[test]
fn answers_go_into_the_profile_record_and_stats_report_them() {
    let state = crate::support::state_dir("stats");
    let _ = fs::remove_dir_all(&state);
    let run = |args: &[&str], input: &str| stemcell_with_input_in(args, input, &state);
    // Two answers as "ana" (whatever they are, they are logged), none as "ben".
    let quiz = run(&["quiz", "--section", "outlook", "--profile", "ana"], "1\n1\n");
    assert!(quiz.status.success(), "{}", stderr(&quiz));
    assert!(state.join("stem-cell-therapy/ana.toml").exists());

    let text = stdout(&run(&["stats", "--profile", "ana"], ""));
    assert!(text.contains("profile ana"), "{text}");
    let course = stemcell::content::load(&stemcell::content::load::PackSource::BuiltIn).unwrap();
    let total: usize = course.course.sections.iter().map(|s| s.questions.len()).sum();
    assert!(text.contains(&format!("Questions answered at least once: 2 of {total}")), "{text}");
    let json = stdout(&run(&["stats", "--format", "json", "--profile", "ana"], ""));
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["answers"], 2);
    assert_eq!(value["sections"].as_array().unwrap().len(), 6);

    let ben: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["stats", "--format", "json", "--profile", "ben"], "")))
            .unwrap();
    assert_eq!(ben["answers"], 0, "profiles keep separate records");

    let bad = run(&["stats", "--profile", "../escape"], "");
    assert_eq!(bad.status.code(), Some(1), "a profile name cannot be a path");

    // Practice asks what was missed or is new in read sections; piped, it is plain.
    let practice = run(&["practice", "--profile", "ana"], "");
    assert!(practice.status.success());
    let _ = fs::remove_dir_all(&state);
}

#[test]
fn plain_reading_goes_a_section_per_enter_and_stops_at_the_end_of_input() {
    let output = stemcell_with_input(&["--plain"], "\n\n");
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.contains("[3/6]") && !text.contains("[4/6]"), "{text}");
    assert!(text.contains("-- Enter: next section"), "{text}");
    assert!(!text.contains('\u{1b}'));
}

#[test]
fn present_needs_a_terminal() {
    let output = stemcell(&["present"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("needs a terminal"));
}

#[test]
fn export_writes_a_handout_to_a_file_that_matches_the_screen_order() {
    let out = std::env::temp_dir().join(format!("stemcell-handout-{}.html", std::process::id()));
    let output = stemcell(&[
        "export",
        "--format",
        "html",
        "--answers",
        "--seed",
        "5",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let html = fs::read_to_string(&out).unwrap();
    fs::remove_file(&out).unwrap();
    assert!(html.contains("Answer key") && html.contains("</html>"));
    let bad = stemcell(&["export", "--format", "pdf"]);
    assert_eq!(bad.status.code(), Some(1));
    let section = stemcell(&["export", "--format", "text", "--section", "harvestng"]);
    assert!(stderr(&section).contains("Did you mean `harvesting`?"));
}

#[test]
fn new_makes_a_pack_that_validates_and_runs_and_never_overwrites() {
    let dir = std::env::temp_dir().join(format!("stemcell-cli-new-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let path = dir.to_str().unwrap();
    assert!(stemcell(&["new", path]).status.success());
    let validate = stemcell(&["validate", path]);
    assert_eq!(validate.status.code(), Some(0));
    assert!(
        stdout(&validate)
            .lines()
            .last()
            .unwrap()
            .starts_with("ok: 2 sections, 6 questions (6 kinds)")
    );
    let read = stemcell(&["--pack", path]);
    assert!(stdout(&read).contains("The Basics"));
    let again = stemcell(&["new", path]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already exists"));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn schema_is_json_for_every_content_file() {
    let output = stemcell(&["schema"]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert!(value["content/sections/*.toml"]["properties"]["questions"].is_object());
}

#[test]
fn diagrams_print_with_their_description_and_plain_mode_gives_the_description_alone() {
    let printed = stdout(&stemcell(&["read", "--section", "harvesting"]));
    assert!(printed.contains("Where stem cells are harvested"), "{printed}");
    assert!(
        printed.contains('┌') && printed.contains("Diagram, Where stem cells are harvested:"),
        "{printed}"
    );
    let plain = stdout(&stemcell_with_input(&["--plain", "read", "--section", "harvesting"], ""));
    assert!(plain.contains("Diagram, Where stem cells are harvested:"), "{plain}");
    assert!(!plain.contains('┌'), "no box drawing for a screen reader");
    let ascii = stdout(&stemcell(&["--ascii", "read", "--section", "harvesting"]));
    assert!(ascii.contains("+-") && !ascii.contains('┌'));
}

/// One broken copy of the built-in pack per kind of problem, and the report `validate`
/// gives for it, as an author would read it.
#[test]
fn validate_reports_one_snapshot_per_kind_of_problem() {
    let cases: &[(&str, &str, &str, &str)] = &[
        ("syntax", "content/sections/harvesting.toml", "title = \"The Stem", "title = The Stem"),
        ("unknown-field", "content/sections/harvesting.toml", "title =", "titel ="),
        ("missing-field", "content/course.toml", "disclaimer =", "# disclaimer ="),
        ("wrong-type", "content/course.toml", "format_version = 1", "format_version = \"one\""),
        (
            "empty-text",
            "content/sections/outlook.toml",
            "title = \"Considerations and Future Outlook\"",
            "title = \"  \"",
        ),
        (
            "duplicate-block-id",
            "content/sections/cultivation.toml",
            "id = \"testing\"",
            "id = \"culture\"",
        ),
        ("unknown-section", "content/course.toml", "\"outlook\"", "\"outlok\""),
        (
            "unknown-diagram",
            "content/sections/benefits.toml",
            "diagram = \"evidence\"",
            "diagram = \"evidense\"",
        ),
        (
            "unknown-block",
            "content/sections/harvesting.toml",
            "block = \"sources\"",
            "block = \"source\"",
        ),
        (
            "impossible-question",
            "content/sections/harvesting.toml",
            "correct = true",
            "correct = false",
        ),
        (
            "diagram-missing-node",
            "assets/diagrams/journey.toml",
            "to = \"cultivate\"",
            "to = \"cultivat\"",
        ),
        (
            "control-character",
            "content/sections/outlook.toml",
            "Considerations and Future Outlook\"",
            "Considerations\\u001b[2J and Future Outlook\"",
        ),
    ];
    for (name, file, from, to) in cases {
        let pack = PackCopy::new(&format!("report-{name}"));
        pack.edit(file, from, to);
        // From inside the pack, its absolute path is shown relative to where the user is.
        let output = stemcell_in(&pack.0, &["validate", pack.path()]);
        let report = stdout(&output);
        assert!(!report.contains(pack.path()), "paths are relative to the working directory");
        insta::assert_snapshot!(format!("validate_{name}"), report);
    }
}

/// `validate` gave paths relative to the pack (`content/sections/x.toml`), which a terminal or
/// an editor could not open from where the user typed the command. Now they are the pack's
/// folder as typed, joined with the file's path in it.
#[test]
fn validate_paths_open_from_where_the_command_was_typed() {
    let pack = PackCopy::new("typed-paths");
    pack.edit("content/sections/harvesting.toml", "title =", "titel =");
    let name = pack.0.file_name().unwrap().to_str().unwrap().to_owned();
    let parent = pack.0.parent().unwrap();
    let first_line = |output: &Output| stdout(output).lines().next().unwrap_or("").to_owned();
    let at = "content/sections/harvesting.toml:3:1: unknown field `titel`";

    for typed in [name.clone(), format!("./{name}/")] {
        let output = stemcell_in(parent, &["validate", &typed]);
        assert_eq!(output.status.code(), Some(1));
        assert_eq!(first_line(&output), format!("error: {name}/{at}"), "typed {typed}");
        let path = parent.join(&name).join("content/sections/harvesting.toml");
        assert!(path.is_file(), "the path shown opens from there");
    }
    // With --pack, and when a broken pack stops another command, the same.
    let output = stemcell_in(parent, &["validate", "--pack", &name]);
    assert_eq!(first_line(&output), format!("error: {name}/{at}"));
    let output = stemcell_in(parent, &["--pack", &name, "export", "--format", "text"]);
    let err = stderr(&output);
    assert!(err.starts_with(&format!("error: {name}/{at}")), "{err}");
    // Typed from a folder the pack is not under: the absolute path, as typed.
    let elsewhere = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let output = stemcell_in(&elsewhere, &["validate", pack.path()]);
    assert_eq!(first_line(&output), format!("error: {}/{at}", pack.path()));
    // Typed from above the pack, as an absolute path: relative to there.
    let output = stemcell_in(parent, &["validate", pack.path()]);
    assert_eq!(first_line(&output), format!("error: {name}/{at}"));
}

/// `validate --format json`: one JSON document with every diagnostic, the exit code of the
/// text report, and a hostile pack's control characters as JSON escapes, never raw.
#[test]
fn validate_json_lists_every_diagnostic_for_editors_and_ci() {
    let pack = PackCopy::new("json");
    // A C1 control and a direction override, which serde_json leaves raw, in a key.
    pack.edit("content/sections/harvesting.toml", "title =", "\"tit\\u009b\\u202eel\" =");
    pack.edit("content/course.toml", "\"outlook\"", "\"outlok\"");
    let parent = pack.0.parent().unwrap();
    let name = pack.0.file_name().unwrap().to_str().unwrap();
    let output = stemcell_in(parent, &["validate", "--format", "json", name]);
    assert_eq!(output.status.code(), Some(1), "errors exit 1 as in text");
    let raw = stdout(&output);
    assert!(!raw.contains(['\u{9b}', '\u{202e}', '\u{1b}']), "no raw controls: {raw}");
    let json: serde_json::Value = serde_json::from_str(&raw).expect("one document");
    assert_eq!(json["ok"], false);
    // Two errors; the two characters removed and the unlisted section are warnings.
    assert_eq!((json["errors"].as_u64(), json["warnings"].as_u64()), (Some(2), Some(3)));
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 5, "{json:#}");
    let message = |d: &serde_json::Value| d["message"].as_str().unwrap().to_owned();
    let field = diagnostics.iter().find(|d| message(d).starts_with("unknown field")).unwrap();
    assert_eq!(field["file"], format!("{name}/content/sections/harvesting.toml"));
    assert_eq!((field["line"].as_u64(), field["column"].as_u64()), (Some(3), Some(1)));
    assert_eq!(field["severity"], "error");
    assert!(message(field).contains("tit\u{9b}\u{202e}el"), "the data comes back: {field}");
    let section = diagnostics.iter().find(|d| message(d).starts_with("section `outlok`"));
    let section = section.unwrap();
    assert_eq!(section["file"], format!("{name}/content/course.toml"));
    assert_eq!(section["hint"], "did you mean `outlook`?");
    assert_eq!(section["line"], 7);
    let unlisted = diagnostics.iter().find(|d| message(d).contains("not listed")).unwrap();
    assert_eq!(unlisted["severity"], "warning");
    assert_eq!((unlisted["line"].is_null(), unlisted["column"].is_null()), (true, true));

    // A clean pack: ok, nothing listed, exit 0; the built-in pack's paths stay its own.
    let clean = stemcell(&["validate", "--format", "json"]);
    assert_eq!(clean.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&clean.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"ok": true, "errors": 0, "warnings": 0, "diagnostics": []})
    );
}

/// Handouts of one section in each format, with the answer key, for a fixed seed.
#[test]
fn export_snapshots_for_each_format() {
    for format in ["markdown", "html", "text", "json", "moodle-xml", "gift", "anki"] {
        let output = stemcell(&[
            "export",
            "--format",
            format,
            "--answers",
            "--section",
            "administration",
            "--seed",
            "3",
        ]);
        assert!(output.status.success());
        insta::assert_snapshot!(format!("export_administration_{format}"), stdout(&output));
    }
}

#[test]
fn global_options_a_subcommand_ignores_are_refused_with_what_it_takes() {
    let watch = stemcell(&["export", "--format", "html", "--watch"]);
    assert_eq!(watch.status.code(), Some(1));
    assert!(stderr(&watch).contains("`--watch` means nothing to `export`"), "{}", stderr(&watch));
    assert!(stdout(&watch).is_empty(), "nothing exported");
    let theme = stemcell(&["schema", "--theme", "dark"]);
    assert_eq!(theme.status.code(), Some(1));
    assert!(stderr(&theme).contains("`--theme` means nothing to `schema`"));
    let seed = stemcell(&["stats", "--seed", "4"]);
    assert_eq!(seed.status.code(), Some(1));
    assert!(stderr(&seed).contains("takes only --pack, --profile"), "{}", stderr(&seed));
    let worksheet = stemcell(&["export", "--format", "json", "--worksheet"]);
    assert_eq!(worksheet.status.code(), Some(1));
    assert!(stderr(&worksheet).contains("--worksheet is for"));
}

#[test]
fn completions_for_every_shell_and_a_manual_page() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = stemcell(&["completions", shell]);
        assert!(output.status.success(), "{shell}: {}", stderr(&output));
        let script = stdout(&output);
        assert!(script.contains("stemcell") && script.contains("worksheet"), "{shell}");
    }
    let man = stemcell(&["man"]);
    assert!(man.status.success());
    let page = stdout(&man);
    assert!(page.starts_with(".ie") || page.starts_with(".TH"), "roff: {}", &page[..40]);
    assert!(page.contains(".TH STEMCELL 1 ") && page.contains(".SS export"));
}

#[test]
fn schema_writes_a_file_per_kind_and_the_exports_schema() {
    let dir = std::env::temp_dir().join(format!("stemcell-cli-schema-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let path = dir.to_str().unwrap();
    let output = stemcell(&["schema", "-o", path]);
    assert!(output.status.success(), "{}", stderr(&output));
    let output = stemcell(&["schema", "--export", "-o", path]);
    assert!(output.status.success(), "{}", stderr(&output));
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "course.schema.json",
            "diagram.schema.json",
            "export.schema.json",
            "glossary.schema.json",
            "section.schema.json"
        ]
    );
    for name in &names {
        let value: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(dir.join(name)).unwrap()).unwrap();
        assert!(
            value["$schema"].as_str().unwrap().starts_with("https://json-schema.org/"),
            "{name}"
        );
    }
    let export: serde_json::Value =
        serde_json::from_str(&stdout(&stemcell(&["schema", "--export"]))).unwrap();
    assert!(export["properties"]["format_version"].is_object());
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn today_is_the_learners_local_day() {
    // 26 hours apart: the two are never on the same date. POSIX TZ strings need no zone files.
    let day = |tz: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_stemcell"))
            .args(["stats", "--format", "json"])
            .env("TZ", tz)
            .env("STEMCELL_STATE_DIR", crate::support::state_dir("cli-tz"))
            .output()
            .unwrap();
        let value: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
        value["today"].as_str().unwrap().to_owned()
    };
    let expected = |hours: i8| {
        let zone = jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(hours));
        jiff::Timestamp::now().to_zoned(zone).date().to_string()
    };
    let (east, west) = (day("<+14>-14"), day("<-12>12"));
    assert_ne!(east, west);
    assert_eq!(east, expected(14));
    assert_eq!(west, expected(-12));
    // A zone named as most systems name it, and a zone file given by its path.
    let zone = std::path::Path::new("/usr/share/zoneinfo/Etc/GMT-14");
    if zone.exists() {
        assert_eq!(day("Etc/GMT-14"), expected(14));
        assert_eq!(day(":/usr/share/zoneinfo/Etc/GMT+12"), expected(-12));
    }
}

/// A pack from `stemcell new`, with a context note that links its source and a language.
fn linked_pack(name: &str, url: &str, language: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stemcell-cli-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    assert!(stemcell(&["new", dir.to_str().unwrap()]).status.success());
    let course = dir.join("content/course.toml");
    let text = fs::read_to_string(&course).unwrap();
    fs::write(&course, format!("{text}language = \"{language}\"\n")).unwrap();
    let section = dir.join("content/sections/basics.toml");
    let text = fs::read_to_string(&section).unwrap();
    let note = format!(
        "\n[[blocks]]\nkind = \"context\"\ntext = \"A fact.\"\nsource = \"NIH <Stem Cell Basics>\"\nurl = \"{url}\"\n"
    );
    let at = text.find("[[questions]]").unwrap_or(text.len());
    fs::write(&section, format!("{}{note}\n{}", &text[..at], &text[at..])).unwrap();
    dir
}

#[test]
fn a_sources_url_is_a_link_in_handouts_and_text_on_screen() {
    let dir = linked_pack("url", "https://stemcells.nih.gov/info/basics?a=1&b=2", "en-GB");
    let path = dir.to_str().unwrap();
    let html = stdout(&stemcell(&["--pack", path, "export", "--format", "html"]));
    assert!(html.contains("<html lang=\"en-GB\">"));
    assert!(html.contains(
        "Source: <a href=\"https://stemcells.nih.gov/info/basics?a=1&amp;b=2\">NIH &lt;Stem Cell Basics&gt;</a>"
    ));
    let markdown = stdout(&stemcell(&["--pack", path, "export", "--format", "markdown"]));
    assert!(markdown.contains(
        "*Source: [NIH \\<Stem Cell Basics>](<https://stemcells.nih.gov/info/basics?a=1&b=2>)*"
    ));
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&stemcell(&["--pack", path, "export", "--format", "json"])))
            .unwrap();
    assert_eq!(json["language"], "en-GB");
    let plain = stdout(&stemcell(&["--pack", path, "read"]));
    assert!(plain.contains("<https://stemcells.nih.gov/info/basics?a=1&b=2>"), "{plain}");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_url_that_is_not_a_web_address_or_a_bad_language_is_refused() {
    for (url, language, message) in [
        ("javascript:alert(1)", "en", "must start with https:// or http://"),
        ("https://a.org/\u{1b}]52;c;x", "en", "cannot contain"),
        ("https://a.org/x y", "en", "cannot contain"),
        ("https:///path", "en", "names no host"),
        ("https://a.org", "english language", "is not a language tag"),
        ("https://a.org", "e", "is not a language tag"),
    ] {
        let escaped = url.replace('\u{1b}', "\\u001b");
        let dir = linked_pack("badurl", &escaped, language);
        let output = stemcell(&["validate", dir.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(1), "{url} {language}");
        assert!(stdout(&output).contains(message), "{url}: {}", stdout(&output));
        fs::remove_dir_all(&dir).unwrap();
    }
}

/// A worksheet of one section with its key, in each format that has one.
#[test]
fn worksheet_snapshots() {
    for format in ["markdown", "html", "text"] {
        let output = stemcell(&[
            "export",
            "--format",
            format,
            "--worksheet",
            "--answers",
            "--section",
            "harvesting",
            "--seed",
            "3",
        ]);
        assert!(output.status.success());
        insta::assert_snapshot!(format!("worksheet_harvesting_{format}"), stdout(&output));
    }
}

#[test]
fn practice_takes_a_limit_and_stats_fit_says_why_not_below_400_answers() {
    let state = crate::support::state_dir("fsrs-cli");
    let _ = fs::remove_dir_all(&state);
    let run = |args: &[&str], input: &str| stemcell_with_input_in(args, input, &state);
    let nothing = run(&["practice"], "");
    assert!(nothing.status.success());
    assert!(stdout(&nothing).contains("Nothing to practice now"), "{}", stdout(&nothing));
    let zero = run(&["practice", "--limit", "0"], "");
    assert_eq!(zero.status.code(), Some(1), "a limit of 0 is a usage error");
    assert!(stderr(&zero).contains("--limit"), "{}", stderr(&zero));
    // Three answers, whatever they are; then a practice of at most one question.
    assert!(run(&["quiz", "--section", "outlook"], "1\n1\n1\n").status.success());
    let fit = run(&["stats", "--fit"], "");
    assert!(fit.status.success());
    let said = stderr(&fit);
    assert!(said.contains("No fit: your record has 3 answers") && said.contains("400"), "{said}");
    assert!(stdout(&fit).contains("Scheduler: FSRS-6, default parameters"), "{}", stdout(&fit));
    let json = stdout(&run(&["stats", "--format", "json"], ""));
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["questions"].as_array().unwrap().len(), 3);
    assert_eq!(value["forecast"].as_array().unwrap().len(), 14);
    let due = value["due_today"].as_u64().unwrap();
    if due >= 2 {
        let practice = stdout(&run(&["practice", "--limit", "1"], "1\n"));
        assert!(practice.contains("Score: ") && practice.contains("/1"), "{practice}");
    }
    let _ = fs::remove_dir_all(&state);
}

#[test]
fn usage_errors_show_control_bytes_from_arguments_instead_of_sending_them() {
    let hostile = "x\u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}31m";
    for args in [
        vec!["--profile", hostile],
        vec!["--theme", hostile],
        vec!["--seed", hostile],
        vec![hostile],
        vec!["quiz", "--section", "harvesting", hostile],
    ] {
        let output = stemcell(&args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let err = stderr(&output);
        assert!(
            !err.chars().any(|c| c != '\n' && stemcell::report::is_unsafe(c)),
            "{args:?}: {err:?}"
        );
        assert!(err.contains("x\\u{1b}]0;owned\\u{7}"), "the argument is quoted, visibly: {err}");
        assert!(err.starts_with("error:"), "{err}");
    }
}

/// What fish would complete after `line`, with stemcell's script loaded.
fn fish_completes(line: &str) -> String {
    let script = stdout(&stemcell(&["completions", "fish"]));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stemcell.fish");
    std::fs::write(&path, script).unwrap();
    // Run from an empty folder: a file name offered would show up as itself.
    std::fs::write(dir.path().join("a-file-name"), "").unwrap();
    std::fs::create_dir(dir.path().join("a-folder")).unwrap();
    let output = Command::new("fish")
        .current_dir(dir.path())
        .args(["--no-config", "-c", &format!("source {}; complete -C '{line}'", path.display())])
        .output()
        .expect("fish is installed (.ci/setup)");
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn fish_completes_shells_sections_and_only_the_options_a_command_reads() {
    let shells = fish_completes("stemcell completions ");
    assert!(shells.contains("bash") && shells.contains("zsh"), "{shells}");
    assert!(!shells.contains("a-file-name"), "no file names: {shells}");
    let sections = fish_completes("stemcell read --section ");
    assert!(sections.contains("harvesting"), "{sections}");
    let themes = fish_completes("stemcell quiz --theme ");
    assert!(themes.contains("high-contrast") && !themes.contains("a-file-name"), "{themes}");
    let schema = fish_completes("stemcell schema --");
    assert!(schema.contains("--export"), "{schema}");
    assert!(!schema.contains("--theme") && !schema.contains("--seed"), "refused: {schema}");
    let packs = fish_completes("stemcell read --pack ");
    assert!(!packs.contains("a-file-name"), "folders only: {packs}");
}

/// Before any command, fish offered every file name after an option that takes a value
/// (`stemcell --pack <TAB>`, `stemcell --theme <TAB>`): the script's test for "no command
/// yet" failed on the option still waiting for its value.
#[test]
fn fish_completes_an_options_value_before_any_command() {
    let packs = fish_completes("stemcell --pack ");
    assert!(packs.contains("a-folder/") && !packs.contains("a-file-name"), "{packs}");
    let themes = fish_completes("stemcell --theme ");
    assert!(themes.contains("high-contrast") && !themes.contains("a-file-name"), "{themes}");
    let colors = fish_completes("stemcell --pack a-folder --color ");
    assert!(colors.contains("always") && !colors.contains("a-file-name"), "{colors}");
    let seed = fish_completes("stemcell --seed ");
    assert!(!seed.contains("a-file-name") && !seed.contains("a-folder"), "a number: {seed}");
    // After the value, the commands; after a command, its own options.
    let commands = fish_completes("stemcell --pack a-folder q");
    assert!(commands.contains("quiz"), "{commands}");
    let sections = fish_completes("stemcell --pack a-folder quiz --section ");
    assert!(sections.contains("harvesting"), "{sections}");
}

#[test]
fn bash_and_zsh_load_the_completion_scripts() {
    for (shell, check) in [
        ("bash", "source /dev/stdin; complete -p stemcell"),
        (
            "zsh",
            "autoload -Uz compinit; compinit -u; source /dev/stdin; print -r -- ${_comps[stemcell]}",
        ),
    ] {
        use std::io::Write;
        let script = stemcell(&["completions", shell]).stdout;
        let mut child = Command::new(shell)
            .args(["-c", check])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the shell is installed (.ci/setup)");
        child.stdin.take().unwrap().write_all(&script).unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{shell}: {}", stderr(&output));
        assert!(stdout(&output).contains("stemcell"), "{shell}: {}", stdout(&output));
        assert!(stderr(&output).is_empty(), "{shell}: {}", stderr(&output));
    }
}
