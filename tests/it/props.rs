//! Property tests: random key presses, clicks and resizes through every screen, and random
//! bytes into the loader. Nothing may panic, and the state must stay consistent.

use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use stemcell::app::keymap::{self, Key};
use stemcell::app::{App, Msg, PresentState, Screen};
use stemcell::content::{self, load::PackSource};
use stemcell::ui;

use crate::support;

/// Anything a user can do: a key, a click, the wheel, a resize; and (with `--watch`) the
/// pack changing on disk.
#[derive(Debug, Clone)]
enum Action {
    Key(Key),
    Click(u16, u16),
    Wheel(bool),
    Resize(u16, u16),
    Reload(Option<Mutation>),
}

/// How an author changed the pack: which sections stay (and in which order), how many
/// questions, blocks and glossary terms each keeps.
#[derive(Debug, Clone)]
struct Mutation {
    keep: Vec<bool>,
    rotate: usize,
    questions: Vec<usize>,
    blocks: Vec<usize>,
    glossary: usize,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    (
        proptest::collection::vec(prop::bool::weighted(0.7), 8),
        0usize..8,
        proptest::collection::vec(0usize..12, 8),
        proptest::collection::vec(1usize..40, 8),
        0usize..60,
    )
        .prop_map(|(keep, rotate, questions, blocks, glossary)| Mutation {
            keep,
            rotate,
            questions,
            blocks,
            glossary,
        })
}

/// The built-in course as the author changed it; still a course the loader could produce
/// (at least one section, every question pointing at a block that is there).
fn mutated(course: &stemcell::course::Course, m: &Mutation) -> stemcell::course::Course {
    let mut course = course.clone();
    let mut sections: Vec<_> = course
        .sections
        .into_iter()
        .enumerate()
        .filter(|(i, _)| m.keep[*i % m.keep.len()])
        .map(|(_, s)| s)
        .collect();
    if sections.is_empty() {
        sections.push(course_first().sections.swap_remove(0));
    }
    let len = sections.len();
    sections.rotate_left(m.rotate % len);
    for (i, section) in sections.iter_mut().enumerate() {
        section.blocks.truncate(m.blocks[i % m.blocks.len()].max(1));
        let blocks = section.blocks.len();
        section.questions.retain(|q| q.block < blocks);
        section.questions.truncate(m.questions[i % m.questions.len()]);
    }
    course.sections = sections;
    course.glossary.truncate(m.glossary);
    course
}

fn course_first() -> stemcell::course::Course {
    content::load(&PackSource::BuiltIn).unwrap().course
}

fn key() -> impl Strategy<Value = Key> {
    prop_oneof![
        8 => proptest::char::range(' ', '~').prop_map(Key::Char),
        1 => proptest::char::range('a', 'z').prop_map(Key::Ctrl),
        2 => prop_oneof![
            Just(Key::Left), Just(Key::Right), Just(Key::Up), Just(Key::Down),
            Just(Key::PageUp), Just(Key::PageDown), Just(Key::Home), Just(Key::End),
            Just(Key::Enter), Just(Key::Esc), Just(Key::Tab), Just(Key::BackTab), Just(Key::Backspace),
        ],
    ]
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        12 => key().prop_map(Action::Key),
        1 => (0u16..300, 0u16..100).prop_map(|(x, y)| Action::Click(x, y)),
        1 => any::<bool>().prop_map(Action::Wheel),
        1 => (1u16..=300, 1u16..=100).prop_map(|(w, h)| Action::Resize(w, h)),
    ]
}

/// The same, with the pack changing now and then.
fn action_or_reload() -> impl Strategy<Value = Action> {
    prop_oneof![
        14 => action(),
        2 => mutation().prop_map(|m| Action::Reload(Some(m))),
        1 => Just(Action::Reload(None)),
    ]
}

/// Where a run starts: each screen a user can reach.
fn start() -> impl Strategy<Value = u8> {
    0u8..5
}

fn app_at(start: u8, width: u16, height: u16) -> App {
    let app = support::app(width, height);
    match start {
        0 => app,
        1 => app.opened_at(2),
        2 => app.quizzing(None),
        3 => app.presenting(Some(5)),
        _ => app.quizzing(Some(1)),
    }
}

/// What must hold after every step.
fn check(app: &App) {
    assert!(app.section < app.course.sections.len());
    assert!(app.scroll <= app.max_scroll(), "scroll {} past {}", app.scroll, app.max_scroll());
    assert!(app.help_scroll <= app.max_help_scroll());
    if let Some(quiz) = &app.quiz {
        assert!(quiz.run.current < quiz.run.questions.len());
        assert_eq!(quiz.run.results.len(), quiz.run.questions.len());
    }
    if let Some(present) = &app.present {
        assert!(present.section < app.course.sections.len());
        assert!(present.step <= PresentState::last_step(app, present.section));
    }
    if app.screen == Screen::Results {
        assert!(app.quiz.is_some(), "results need a quiz");
    }
    let sections = app.course.sections.len();
    if let Some(quiz) = &app.quiz {
        for &(s, q) in &quiz.run.questions {
            assert!(s < sections && q < app.course.sections[s].questions.len());
        }
    }
    if let Some(search) = &app.search {
        assert!(search.hits.iter().all(|h| h.section < sections));
        assert!(search.selected <= search.hits.len().saturating_sub(1));
    }
    if let Some(found) = &app.found {
        assert!(found.hits.iter().all(|h| h.section < sections));
    }
    if let Some(terms) = &app.term_popup {
        assert!(terms.iter().all(|&t| t < app.course.glossary.len()));
    }
}

/// The message a user's action sends (a resize also resizes the test terminal); a reload is
/// not a user's action.
fn input_message(app: &App, terminal: &mut Terminal<TestBackend>, action: &Action) -> Option<Msg> {
    match action {
        Action::Key(key) => keymap::dispatch(app.key_mode(), *key),
        Action::Click(column, row) => Some(Msg::Click { column: *column, row: *row }),
        Action::Wheel(down) => Some(if *down { Msg::WheelDown } else { Msg::WheelUp }),
        &Action::Resize(width, height) => {
            terminal.backend_mut().resize(width, height);
            Some(Msg::Resize { width, height })
        }
        Action::Reload(_) => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_input_on_any_screen_at_any_size_keeps_the_app_sound(
        start in start(),
        size in (1u16..=300, 1u16..=100),
        actions in proptest::collection::vec(action(), 1..60),
    ) {
        let mut app = app_at(start, size.0, size.1);
        let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
        for action in actions {
            let msg = input_message(&app, &mut terminal, &action);
            if let Some(msg) = msg {
                app.update(msg);
            }
            check(&app);
            terminal.draw(|frame| ui::draw(frame, &app)).unwrap();
        }
    }

    /// `--watch`: the pack changes (sections removed or reordered, questions, blocks and
    /// glossary terms cut, or the pack broken) at random moments among random keys; every
    /// frame still draws and every index stays inside the new course.
    #[test]
    fn reloading_a_changed_pack_at_any_moment_keeps_the_app_sound(
        start in start(),
        size in (20u16..=160, 8u16..=60),
        actions in proptest::collection::vec(action_or_reload(), 1..80),
    ) {
        let original = course_first();
        let mut app = app_at(start, size.0, size.1);
        let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
        for action in actions {
            let msg = match action {
                Action::Reload(Some(m)) => {
                    app.reload(Ok(mutated(&original, &m)));
                    None
                }
                Action::Reload(None) => {
                    app.reload(Err(Vec::new()));
                    None
                }
                input => input_message(&app, &mut terminal, &input),
            };
            if let Some(msg) = msg {
                app.update(msg);
            }
            check(&app);
            terminal.draw(|frame| ui::draw(frame, &app)).unwrap();
        }
    }

    #[test]
    fn the_loader_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let dir = support::state_dir(&format!("bytes-{}", bytes.len() % 7));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("content/sections")).unwrap();
        std::fs::write(dir.join("content/course.toml"), &bytes).unwrap();
        let _ = content::load(&PackSource::Dir(dir.clone()));
        std::fs::write(dir.join("content/course.toml"), "format_version = 1\nid = \"a\"\ntitle = \"t\"\ndescription = \"d\"\ndisclaimer = \"x\"\nsections = [\"one\"]\n").unwrap();
        std::fs::write(dir.join("content/sections/one.toml"), &bytes).unwrap();
        let _ = content::load(&PackSource::Dir(dir.clone()));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_loader_never_panics_on_a_mutated_section(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..12),
    ) {
        let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let mut text = std::fs::read(root.join("content/sections/harvesting.toml")).unwrap();
        for (at, byte, how) in edits {
            let i = at.index(text.len().max(1)).min(text.len());
            match how {
                0 => text.insert(i, byte),
                1 if i < text.len() => { text.remove(i); }
                _ if i < text.len() => text[i] = byte,
                _ => {}
            }
        }
        let dir = support::state_dir("mutated");
        let _ = std::fs::remove_dir_all(&dir);
        for sub in ["content/sections", "assets/diagrams"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
            for entry in std::fs::read_dir(root.join(sub)).unwrap().flatten() {
                std::fs::copy(entry.path(), dir.join(sub).join(entry.file_name())).unwrap();
            }
        }
        std::fs::copy(root.join("content/course.toml"), dir.join("content/course.toml")).unwrap();
        std::fs::write(dir.join("content/sections/harvesting.toml"), &text).unwrap();
        if let Ok(loaded) = content::load(&PackSource::Dir(dir.clone())) {
            // Whatever loads can be shown.
            let app = App::new(loaded.course, stemcell::app::Settings { theme: stemcell::ui::theme::ThemeName::Dark, glyphs: stemcell::page::Glyphs::UNICODE, seed: 1 }, stemcell::learner::Learner::fresh("x", stemcell::learner::Day(0)), ratatui::layout::Size::new(80, 24)).opened_at(1);
            let _ = support::screen(&app);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Text made to attack a terminal: escape sequences, C0 and C1 controls, carriage returns and
/// line breaks, direction overrides and isolates, between ordinary and wide letters.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => proptest::char::range('a', 'z').prop_map(String::from),
        1 => Just("\u{1b}]0;title\u{7}".to_owned()),
        1 => Just("\u{1b}]52;c;aGVsbG8=\u{1b}\\".to_owned()),
        1 => Just("\u{1b}[2J".to_owned()),
        1 => Just("\r\n".to_owned()),
        2 => proptest::char::range('\u{0}', '\u{1f}').prop_map(String::from),
        1 => proptest::char::range('\u{7f}', '\u{9f}').prop_map(String::from),
        1 => prop_oneof![
            Just('\u{202A}'), Just('\u{202B}'), Just('\u{202C}'), Just('\u{202D}'), Just('\u{202E}'),
            Just('\u{2066}'), Just('\u{2067}'), Just('\u{2068}'), Just('\u{2069}'), Just('\u{200F}'),
        ].prop_map(String::from),
        1 => Just("幹細胞".to_owned()),
    ];
    proptest::collection::vec(piece, 1..12).prop_map(|pieces| pieces.concat())
}

/// Whether a terminal would act on `c` rather than show it (line breaks are judged apart).
fn acts_on_a_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// A pack whose ids, keys, glossary terms, file names and lines hold hostile text: every
    /// report of it, as written, shows that text and obeys none of it, and no name can start
    /// a line of its own that would look like a report.
    #[test]
    fn reports_of_a_hostile_pack_carry_no_control_characters(
        id in hostile_text(),
        key in hostile_text(),
        term in hostile_text(),
        name in hostile_text(),
        raw in hostile_text(),
    ) {
        use stemcell::content::error::Diagnostic;
        let quoted = |s: &str| toml::Value::String(s.to_owned()).to_string();
        let dir = support::state_dir("hostile-reports");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("content/sections")).unwrap();
        std::fs::write(
            dir.join("content/course.toml"),
            format!("format_version = 1\nid = \"a\"\ntitle = \"t\"\ndescription = \"d\"\ndisclaimer = \"x\"\nsections = [\"one\", {}]\n", quoted(&id)),
        ).unwrap();
        std::fs::write(
            dir.join("content/sections/one.toml"),
            format!("id = \"one\"\ntitle = \"t {raw}\"\n{} = 1\n[[blocks]]\nkind = \"text\"\nid = \"b\"\ntext = \"x\"\n", quoted(&key)),
        ).unwrap();
        std::fs::write(
            dir.join("content/glossary.toml"),
            format!("[[terms]]\nterm = {}\ndefinition = \"d\"\n", quoted(&term)),
        ).unwrap();
        let file_name: String = name.chars().filter(|&c| c != '/' && c != '\0').collect();
        let _ = std::fs::write(dir.join(format!("content/sections/{file_name}.toml")), "id = \"x\"\n");
        let reports: Vec<Diagnostic> = match content::load(&PackSource::Dir(dir.clone())) {
            Ok(loaded) => loaded.warnings,
            Err(problems) => problems,
        };
        let _ = std::fs::remove_dir_all(&dir);
        prop_assert!(!reports.is_empty());
        for d in &reports {
            let mut written = Vec::new();
            stemcell::report::line(&mut written, &d.to_string()).unwrap();
            let shown = String::from_utf8(written).unwrap();
            prop_assert!(
                !shown.chars().any(|c| c != '\n' && acts_on_a_terminal(c)),
                "{shown:?}"
            );
            // The first line is the report's own; every other is its gutter.
            let mut lines = shown.lines();
            let first = lines.next().unwrap();
            prop_assert!(first.starts_with("error: ") || first.starts_with("warning: "), "{shown}");
            for line in lines {
                prop_assert!(line.starts_with(' ') || line.starts_with(|c: char| c.is_ascii_digit()), "{shown}");
            }
        }
    }
}
