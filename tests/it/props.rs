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
            let msg = match action {
                Action::Key(key) => keymap::dispatch(app.key_mode(), key),
                Action::Click(column, row) => Some(Msg::Click { column, row }),
                Action::Wheel(down) => Some(if down { Msg::WheelDown } else { Msg::WheelUp }),
                Action::Resize(width, height) => {
                    terminal.backend_mut().resize(width, height);
                    Some(Msg::Resize { width, height })
                }
                Action::Reload(_) => None,
            };
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
                Action::Key(key) => keymap::dispatch(app.key_mode(), key),
                Action::Click(column, row) => Some(Msg::Click { column, row }),
                Action::Wheel(down) => Some(if down { Msg::WheelDown } else { Msg::WheelUp }),
                Action::Resize(width, height) => {
                    terminal.backend_mut().resize(width, height);
                    Some(Msg::Resize { width, height })
                }
                Action::Reload(Some(m)) => {
                    app.reload(Ok(mutated(&original, &m)));
                    None
                }
                Action::Reload(None) => {
                    app.reload(Err(Vec::new()));
                    None
                }
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
