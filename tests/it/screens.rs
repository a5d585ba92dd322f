//! Whole screens at fixed sizes (insta snapshots), and the styles that carry meaning.

use insta::assert_snapshot;
use ratatui::style::{Color, Modifier};
use stemcell::app::Msg;
use stemcell::ui::theme::{Theme, ThemeName};

use crate::support::{app, find, frame, press, screen, themed};

const SIZES: [(u16, u16); 2] = [(80, 24), (40, 12)];

#[test]
fn title_screen() {
    for (w, h) in SIZES {
        let app = app(w, h);
        let shown = screen(&app);
        assert!(shown.contains("Please note") && shown.contains("not medical advice"), "{shown}");
        assert_snapshot!(format!("title_{w}x{h}"), shown);
    }
}

#[test]
fn a_section() {
    for (w, h) in SIZES {
        let mut app = app(w, h);
        press(&mut app, &[Msg::JumpTo(1)]);
        let shown = screen(&app);
        assert!(shown.contains("2/6 Harvesting"), "{shown}");
        assert_snapshot!(format!("harvesting_{w}x{h}"), shown);
    }
}

#[test]
fn the_end_of_a_section_shows_its_key_points() {
    let mut app = app(80, 24);
    press(&mut app, &[Msg::JumpTo(1), Msg::Bottom]);
    let shown = screen(&app);
    assert!(shown.contains("Key points") && shown.contains("End"), "{shown}");
    assert_snapshot!("harvesting_end_80x24", shown);
}

#[test]
fn table_of_contents() {
    for (w, h) in SIZES {
        let mut app = app(w, h);
        press(&mut app, &[Msg::JumpTo(0), Msg::Bottom, Msg::NextSection, Msg::ToggleContents]);
        assert_snapshot!(format!("contents_{w}x{h}"), screen(&app));
    }
}

#[test]
fn help() {
    for (w, h) in SIZES {
        let mut app = app(w, h);
        press(&mut app, &[Msg::JumpTo(0), Msg::ToggleHelp]);
        assert_snapshot!(format!("help_{w}x{h}"), screen(&app));
    }
}

#[test]
fn a_wide_window_adds_the_sidebar() {
    let mut app = app(120, 30);
    press(&mut app, &[Msg::JumpTo(0), Msg::Bottom, Msg::NextSection]);
    let shown = screen(&app);
    assert!(shown.contains("Sections"), "{shown}");
    assert!(shown.contains("▸  2 Harvesting") && shown.contains(" ✓ 1 Understanding"), "{shown}");
    assert!(
        !screen(&{
            let mut narrow = crate::support::app(80, 24);
            press(&mut narrow, &[Msg::JumpTo(1)]);
            narrow
        })
        .contains("Sections")
    );
}

#[test]
fn too_small_windows_say_so_and_never_panic() {
    for (w, h) in [(19, 6), (20, 5), (10, 3), (1, 1)] {
        let app = app(w, h);
        let shown = screen(&app);
        if w >= 10 {
            assert!(shown.contains("larger"), "{w}x{h}: {shown}");
        }
    }
    // The smallest supported size still shows the text, header and footer.
    let mut app = app(20, 6);
    press(&mut app, &[Msg::JumpTo(1)]);
    let shown = screen(&app);
    assert!(shown.contains("2/6") && shown.contains("The Stem"), "{shown}");
}

#[test]
fn every_size_from_tiny_to_wide_renders_every_screen() {
    for (w, h) in [(1, 1), (2, 7), (20, 6), (33, 9), (57, 17), (300, 100)] {
        let mut app = app(w, h);
        for msg in [Msg::JumpTo(4), Msg::Bottom, Msg::ToggleContents, Msg::ToggleHelp] {
            app.update(msg);
            let _ = frame(&app);
        }
    }
}

#[test]
fn context_notes_are_styled_apart_from_the_article() {
    let mut app = app(80, 40);
    press(&mut app, &[Msg::JumpTo(0)]);
    let buffer = frame(&app);
    let theme = Theme::new(ThemeName::Dark);
    let (x, y) = find(&buffer, "CONTEXT").expect("a context note on the second page");
    let label = &buffer[(x, y)];
    assert_eq!(
        label.fg,
        theme
            .role(stemcell::page::Role::ContextMark, stemcell::course::Emphasis::Plain)
            .fg
            .unwrap()
    );
    let body_row = y + 1;
    let (bx, _) = find(&buffer, "The NIH says").unwrap_or((x + 2, body_row));
    assert!(buffer[(bx, body_row)].modifier.contains(Modifier::ITALIC), "context text is italic");
    let (ax, ay) = find(&buffer, "Stem cells have").expect("article text above");
    assert!(!buffer[(ax, ay)].modifier.contains(Modifier::ITALIC), "article text is upright");
}

#[test]
fn the_selected_entry_and_read_marks_are_visible_without_colour() {
    let mut app = themed(80, 24, ThemeName::Mono);
    press(&mut app, &[Msg::JumpTo(0), Msg::Bottom, Msg::ToggleContents, Msg::SelectNext]);
    let buffer = frame(&app);
    let (x, y) = find(&buffer, "▸ ").expect("a pointer on the selected entry");
    assert!(buffer[(x + 4, y)].modifier.contains(Modifier::REVERSED), "selection is reversed");
    let shown = screen(&app);
    assert!(shown.contains("✓ 1 Understanding"), "read mark in the contents: {shown}");
    for cell in buffer.content() {
        assert!(matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset), "{cell:?}");
    }
}

#[test]
fn light_and_high_contrast_paint_their_background() {
    for name in [ThemeName::Light, ThemeName::HighContrast] {
        let mut app = themed(80, 24, name);
        press(&mut app, &[Msg::JumpTo(1)]);
        let buffer = frame(&app);
        let background = Theme::new(name).base.bg.unwrap();
        let (x, y) = find(&buffer, "The first step").unwrap();
        assert_eq!(buffer[(x, y)].bg, background, "{name:?}");
        assert_eq!(buffer[(79, 12)].bg, background, "{name:?}: empty cells too");
    }
}

#[test]
fn footer_hints_come_from_the_key_table() {
    let mut app = app(80, 24);
    press(&mut app, &[Msg::JumpTo(0)]);
    let shown = screen(&app);
    let footer = shown.lines().last().unwrap();
    for binding in stemcell::app::keymap::READER.iter().filter(|b| b.hint.is_some()) {
        assert!(footer.contains(binding.hint.unwrap()), "{footer}");
    }
}

/// A quiz on the first question of each kind, before and after answering, at both sizes.
#[test]
fn every_question_kind_before_and_after_answering() {
    use stemcell::course::QuestionKind;
    for kind in QuestionKind::ALL {
        for (w, h) in SIZES {
            let base = app(w, h);
            let question = base
                .course
                .sections
                .iter()
                .enumerate()
                .find_map(|(s, section)| {
                    section.questions.iter().position(|q| q.kind() == kind).map(|q| (s, q))
                })
                .unwrap();
            let mut app = base.quizzing_on(vec![question]);
            let before = screen(&app);
            assert!(before.contains("check"), "{kind:?} {w}x{h}: {before}");
            assert_snapshot!(format!("quiz_{}_{w}x{h}_asking", kind.name()), before);
            // A deliberately incomplete or wrong answer, so the feedback has the most to show.
            press(&mut app, &[Msg::Choose(0), Msg::Assign(0), Msg::Assign(0), Msg::Type('x')]);
            press(&mut app, &[Msg::Assign(0), Msg::Assign(0), Msg::Assign(0), Msg::Submit]);
            let after = screen(&app);
            assert!(after.contains('✓') || after.contains('✗') || after.contains('◐'), "{after}");
            assert_snapshot!(format!("quiz_{}_{w}x{h}_answered", kind.name()), after);
        }
    }
}

#[test]
fn verdicts_are_coloured_and_carry_a_symbol() {
    let mut app = app(80, 24).quizzing(Some(1));
    press(&mut app, &[Msg::Choose(0), Msg::Submit]);
    let buffer = frame(&app);
    let theme = Theme::new(ThemeName::Dark);
    let (x, y) = ["✓ Right", "✗ Wrong"].iter().find_map(|v| find(&buffer, v)).expect("a verdict");
    let style = buffer[(x, y)].style();
    assert!(style.fg == theme.right.fg || style.fg == theme.wrong.fg, "{style:?}");
    assert!(style.add_modifier.contains(Modifier::BOLD));
}

#[test]
fn results_show_the_score_by_section_and_what_to_review() {
    let mut app = app(80, 24).quizzing(None);
    press(&mut app, &[Msg::Choose(0), Msg::Submit, Msg::Submit, Msg::Back]);
    let shown = screen(&app);
    assert!(shown.contains("Results · Whole course"), "{shown}");
    assert!(shown.contains("Understanding") && shown.contains("To review"), "{shown}");
    assert!(shown.contains("retry missed"), "{shown}");
    assert_snapshot!("results_80x24", shown);
}

#[test]
fn progress_screen_with_charts() {
    for (w, h) in SIZES {
        let mut app = app(w, h);
        let ids: Vec<String> =
            app.course.sections[1].questions.iter().map(|q| q.id.clone()).collect();
        for (i, id) in ids.iter().enumerate() {
            app.learner.log_answer(id, if i % 3 == 0 { 0.0 } else { 1.0 });
        }
        app.learner.log_quiz(Some("harvesting".into()), 5.0, 7);
        app.learner.record.read.insert("harvesting".into());
        press(&mut app, &[Msg::ShowStats]);
        let shown = screen(&app);
        assert!(shown.contains("Your progress") && shown.contains("Harvesting"), "{shown}");
        // Every section, the latest quiz and the reviews due, at every size.
        assert!(shown.contains("Outlook") && shown.contains("71%"), "{shown}");
        assert!(shown.contains("Due") || shown.contains("due"), "{shown}");
        assert_snapshot!(format!("progress_{w}x{h}"), shown);
    }
}

/// Classroom mode at a laptop size and a projector size.
#[test]
fn present_mode_title_block_and_class_quiz() {
    for (w, h) in [(80, 24), (160, 45)] {
        let mut app = app(w, h).presenting(None);
        let title = screen(&app);
        assert!(
            title.contains("Understanding Stem Cell Therapy") && title.contains("Section 1 of 6"),
            "{title}"
        );
        assert_snapshot!(format!("present_title_{w}x{h}"), title);
        press(&mut app, &[Msg::NextSection, Msg::NextSection]);
        let revealed = screen(&app);
        assert!(revealed.contains("Stem cells have the unique ability"), "{revealed}");
        assert!(!revealed.contains("CONTEXT"), "the context note is not revealed yet");
        assert_snapshot!(format!("present_block_{w}x{h}"), revealed);
        let last = stemcell::app::PresentState::last_step(&app, 0);
        for _ in 2..last {
            app.update(Msg::NextSection);
        }
        press(&mut app, &[Msg::Submit]);
        let asking = screen(&app);
        assert!(asking.contains("hands"), "{asking}");
        assert_snapshot!(format!("present_class_quiz_{w}x{h}"), asking);
        press(&mut app, &[Msg::Type('7'), Msg::SelectNext, Msg::Type('2'), Msg::Submit]);
        let revealed = screen(&app);
        assert!(revealed.contains('✓') && revealed.contains("Why:"), "{revealed}");
        assert_snapshot!(format!("present_class_quiz_revealed_{w}x{h}"), revealed);
    }
}

#[test]
fn a_blank_screen_shows_nothing() {
    let mut app = app(80, 24).presenting(None);
    press(&mut app, &[Msg::NextSection, Msg::ToggleBlank]);
    assert!(screen(&app).chars().all(char::is_whitespace));
}

#[test]
fn search_box_with_results_and_the_hit_highlighted_after() {
    let mut app = app(80, 24);
    press(&mut app, &[Msg::JumpTo(0), Msg::OpenSearch]);
    for c in "lipo".chars() {
        app.update(Msg::Type(c));
    }
    let shown = screen(&app);
    assert!(shown.contains(" matches") && shown.contains("Harvesting: "), "{shown}");
    assert_snapshot!("search_box_80x24", shown);
    app.update(Msg::Submit);
    let buffer = frame(&app);
    let (x, y) = find(&buffer, "liposuction").expect("the hit is on screen");
    assert!(buffer[(x, y)].modifier.contains(Modifier::REVERSED), "and highlighted");
    assert!(screen(&app).contains("2/6 Harvesting"));
}

#[test]
fn glossary_screen_and_term_popup() {
    for (w, h) in SIZES {
        let mut app = app(w, h);
        press(&mut app, &[Msg::ShowGlossary]);
        let shown = screen(&app);
        assert!(shown.contains("Glossary · 23 terms") || shown.contains("Glossary"), "{shown}");
        assert_snapshot!(format!("glossary_{w}x{h}"), shown);
    }
    let mut app = app(80, 24);
    press(&mut app, &[Msg::JumpTo(1), Msg::ShowTerms]);
    let shown = screen(&app);
    assert!(shown.contains("hematopoietic") && shown.contains("Blood-forming"), "{shown}");
    assert_snapshot!("term_popup_80x24", shown);
}

#[test]
fn glossary_terms_are_underlined_at_their_first_use_only() {
    let mut app = app(80, 40);
    press(&mut app, &[Msg::JumpTo(1)]);
    let buffer = frame(&app);
    let (x, y) = find(&buffer, "liposuction").expect("on the first screen");
    assert!(buffer[(x, y)].modifier.contains(Modifier::UNDERLINED));
    let underlined = app
        .page()
        .lines
        .iter()
        .flat_map(|l| &l.pieces)
        .filter(|p| p.text.to_lowercase() == "liposuction" && p.term.is_some())
        .count();
    assert_eq!(underlined, 1, "marked once per section");
}
