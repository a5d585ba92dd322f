//! Screens of the example pack in `packs/water-cycle` (a second course, on another subject),
//! at 80x24 and 40x12: the reader fixes of issue 17, shown as a learner sees them.

use std::path::PathBuf;

use insta::assert_snapshot;
use ratatui::style::Modifier;
use stemcell::app::{App, Msg, Screen};
use stemcell::course::Answer;
use stemcell::ui::theme::ThemeName;

use crate::support::{pack_app, press, screen};

const SIZES: [(u16, u16); 2] = [(80, 24), (40, 12)];

fn water_cycle() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/packs/water-cycle"))
}

fn app(width: u16, height: u16) -> App {
    pack_app(&water_cycle(), width, height)
}

/// The screen position of a wrong option of the current choice question.
fn wrong_position(app: &App) -> usize {
    let quiz = app.quiz.as_ref().unwrap();
    let Answer::Choice { options, .. } = &quiz.run.question(&app.course).answer else {
        panic!("not a choice question")
    };
    let order = &quiz.run.presentation().order;
    (0..order.len()).find(|&p| !options[order[p]].correct).unwrap()
}

#[test]
fn a_retry_ended_at_once_shows_no_score_of_nothing() {
    for (w, h) in SIZES {
        let mut app = app(w, h).quizzing(Some(0));
        // A wrong answer to the first question, end the quiz, retry the missed one, end again.
        let wrong = wrong_position(&app);
        press(&mut app, &[Msg::Choose(wrong), Msg::Submit, Msg::Back]);
        assert_eq!(app.screen, Screen::Results);
        press(&mut app, &[Msg::RetryMissed, Msg::Back]);
        assert_eq!(app.screen, Screen::Results);
        let shown = screen(&app);
        assert!(!shown.contains("0/0"), "{shown}");
        assert!(shown.contains("No questions answered"), "{shown}");
        assert_snapshot!(format!("example_retry_ended_at_once_{w}x{h}"), shown);
    }
}

/// The starter pack writes commands and paths in backticks: they show without the backticks,
/// in a style of their own in every theme (reversed where there is no colour).
#[test]
fn inline_code_is_drawn_apart_from_the_text_without_its_backticks() {
    let dir = crate::support::starter_pack("inline-code");
    for theme in [ThemeName::Dark, ThemeName::Light, ThemeName::HighContrast, ThemeName::Mono] {
        let mut app = crate::support::pack_app(&dir, 80, 24);
        app.settings.theme = theme;
        press(&mut app, &[Msg::OpenSelected]);
        let buffer = crate::support::frame(&app);
        let shown = screen(&app);
        assert!(!shown.contains('`'), "{shown}");
        let (x, y) = crate::support::find(&buffer, "content/course.toml").expect("the path");
        let (bx, by) = crate::support::find(&buffer, "A course pack").expect("body text");
        assert_ne!(buffer[(x, y)].style(), buffer[(bx, by)].style(), "{theme:?}");
        if theme == ThemeName::Mono {
            assert!(buffer[(x, y)].modifier.contains(Modifier::REVERSED));
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// The course map in the header stays put while the position beside it changes width
/// (Top, 5%, 52%, End).
#[test]
fn the_header_map_does_not_shift_as_the_position_changes() {
    let mut app = app(80, 24);
    press(&mut app, &[Msg::JumpTo(1)]);
    let mut seen = Vec::new();
    let mut labels = Vec::new();
    for _ in 0..60 {
        let buffer = crate::support::frame(&app);
        let header: String = (0..80).map(|x| buffer[(x, 0)].symbol().to_owned()).collect();
        labels.push(header.split_whitespace().last().unwrap_or_default().to_owned());
        seen.push(crate::support::find(&buffer, "Sea ›").expect("the map in the header").0);
        press(&mut app, &[Msg::ScrollDown]);
    }
    assert!(labels.contains(&"Top".to_owned()) && labels.contains(&"End".to_owned()), "{labels:?}");
    assert!(labels.iter().any(|l| l.len() == 2) && labels.iter().any(|l| l.len() == 3));
    assert!(seen.iter().all(|&x| x == seen[0]), "{seen:?} for {labels:?}");
    for (w, h) in SIZES {
        let mut app = self::app(w, h);
        press(&mut app, &[Msg::JumpTo(1), Msg::ScrollDown]);
        assert_snapshot!(format!("example_header_scrolled_{w}x{h}"), screen(&app));
    }
}

/// The drop's journey is taller than a 24-row window. Each step must show its caption and
/// the boxes it lights together, at 80x24 and at 40x12.
#[test]
fn stepping_a_tall_diagram_shows_the_caption_with_what_it_lights() {
    // (step, its caption's first words, the first box it lights)
    let steps = [
        (1, "The Sun warms the sea", "Water in the sea"),
        (2, "The vapour rises", "Water vapour"),
        (3, "Droplets grow until", "Cloud droplets"),
        (4, "On land, water runs", "Rain or snow"),
    ];
    for (w, h) in SIZES {
        let mut app = app(w, h);
        press(&mut app, &[Msg::JumpTo(1)]);
        // Scroll until the diagram's title is on screen, as a reader would.
        while !screen(&app).contains("One drop") {
            press(&mut app, &[Msg::ScrollDown]);
        }
        for (step, caption, lit) in steps {
            press(&mut app, &[Msg::NextDiagramStep]);
            let shown = screen(&app);
            assert!(shown.contains(&format!("(Step {step}/5)")), "{w}x{h} step {step}:\n{shown}");
            assert!(shown.contains(caption), "{w}x{h} step {step}: caption\n{shown}");
            assert!(shown.contains(lit), "{w}x{h} step {step}: {lit}\n{shown}");
            if step == 4 {
                assert_snapshot!(format!("example_tall_diagram_step_4_{w}x{h}"), shown);
            }
        }
    }
}

/// `d` with no stepped diagram in view says so in the footer line, covering nothing.
#[test]
fn the_step_key_with_nothing_to_step_hints_in_the_footer() {
    for (w, h) in SIZES {
        let mut app = app(w, h);
        press(&mut app, &[Msg::JumpTo(2), Msg::NextDiagramStep]);
        let shown = screen(&app);
        let footer = shown.lines().last().unwrap();
        assert!(footer.contains("d: no diagram with steps in view"), "{shown}");
        assert!(!shown.contains('┌') && !shown.contains('╭'), "no box:\n{shown}");
        assert_snapshot!(format!("example_step_hint_{w}x{h}"), shown);
        press(&mut app, &[Msg::ScrollDown]);
        assert!(!screen(&app).contains("no diagram with steps"), "gone at the next key");
    }
}

/// Search finds quiz explanations and glossary definitions too, each hit saying where it is;
/// choosing a definition opens the glossary at its term.
#[test]
fn search_covers_explanations_and_definitions_and_names_where() {
    for (w, h) in SIZES {
        let mut app = app(w, h);
        press(&mut app, &[Msg::JumpTo(0), Msg::OpenSearch]);
        for c in "leaves".chars() {
            press(&mut app, &[Msg::Type(c)]);
        }
        let shown = screen(&app);
        assert!(shown.contains("3 matches"), "{shown}");
        assert!(shown.contains("Rising quiz:"), "{shown}");
        assert!(shown.contains("Glossary, transpiration"), "{shown}");
        assert_snapshot!(format!("example_search_{w}x{h}"), shown);
        press(&mut app, &[Msg::SelectNext, Msg::SelectNext, Msg::Submit]);
        assert_eq!(app.screen, Screen::Glossary);
        let term = &app.course.glossary[app.glossary_selected].term;
        assert_eq!(term, "transpiration");
    }
}

/// `/` on the glossary filters its terms by name or definition; Esc clears the filter.
#[test]
fn the_glossary_filters_its_terms() {
    for (w, h) in SIZES {
        let mut app = app(w, h);
        press(&mut app, &[Msg::ShowGlossary, Msg::OpenSearch]);
        assert_eq!(app.screen, Screen::Glossary, "the glossary's own filter, not the search box");
        assert!(app.search.is_none());
        for c in "rock".chars() {
            press(&mut app, &[Msg::Type(c)]);
        }
        let shown = screen(&app);
        assert!(shown.contains("Glossary · 1 of 6 terms · /rock"), "{shown}");
        assert!(shown.contains("aquifer") && !shown.contains("evaporation"), "{shown}");
        assert_snapshot!(format!("example_glossary_filtered_{w}x{h}"), shown);
        press(&mut app, &[Msg::Submit]);
        assert_eq!(app.course.glossary[app.glossary_selected].term, "aquifer");
        press(&mut app, &[Msg::Back]);
        assert!(screen(&app).contains("Glossary · 6 terms"), "Esc clears the filter");
        press(&mut app, &[Msg::Back]);
        assert_ne!(app.screen, Screen::Glossary, "and Esc again leaves");
    }
}
