//! Every behaviour of the reader as a message and its result.

use super::*;
use crate::content::{self, load::PackSource};
use crate::learner::{Day, Learner};

fn app(width: u16, height: u16) -> App {
    let course = content::load(&PackSource::BuiltIn).unwrap().course;
    {
        let learner = Learner::fresh(&course.id, Day(20_000));
        App::new(
            course,
            Settings { theme: ThemeName::Dark, glyphs: Glyphs::UNICODE, seed: 1 },
            learner,
            Size::new(width, height),
        )
    }
}

fn reading(section: usize) -> App {
    app(80, 24).opened_at(section)
}

#[test]
fn starts_on_the_title_screen_and_n_opens_the_first_section() {
    let mut app = app(80, 24);
    assert_eq!(app.screen, Screen::Title);
    app.update(Msg::NextSection);
    assert_eq!((app.screen, app.section), (Screen::Reader, 0));
    app.update(Msg::NextSection);
    assert_eq!(app.course.sections[app.section].id, "harvesting");
}

#[test]
fn next_and_previous_stop_at_the_ends() {
    let mut app = reading(0);
    app.update(Msg::PreviousSection);
    assert_eq!(app.section, 0);
    for _ in 0..10 {
        app.update(Msg::NextSection);
    }
    assert_eq!(app.section, 5);
}

#[test]
fn changing_section_starts_at_its_top() {
    let mut app = app(40, 12).opened_at(0);
    app.update(Msg::PageDown);
    assert!(app.scroll > 0);
    app.update(Msg::NextSection);
    assert_eq!(app.scroll, 0);
}

#[test]
fn scrolling_stays_within_the_page() {
    let mut app = app(40, 12).opened_at(1);
    app.update(Msg::ScrollUp);
    assert_eq!(app.scroll, 0);
    for _ in 0..500 {
        app.update(Msg::ScrollDown);
    }
    let max = app.max_scroll();
    assert!(max > 0, "the harvesting section is longer than 12 rows");
    assert_eq!(app.scroll, max);
    let text_rows = app.reader_areas().text.height as usize;
    assert_eq!(
        app.scroll + text_rows,
        app.page().lines.len(),
        "the last line sits on the last row"
    );
    app.update(Msg::WheelDown);
    assert_eq!(app.scroll, max);
}

#[test]
fn page_down_keeps_one_line_of_overlap() {
    let mut app = app(40, 12).opened_at(1);
    let rows = app.reader_areas().text.height as usize;
    app.update(Msg::PageDown);
    assert_eq!(app.scroll, rows - 1);
    app.update(Msg::PageUp);
    assert_eq!(app.scroll, 0);
}

#[test]
fn home_and_end_go_to_the_ends() {
    let mut app = app(40, 12).opened_at(2);
    app.update(Msg::Bottom);
    assert_eq!(app.scroll, app.max_scroll());
    app.update(Msg::Top);
    assert_eq!(app.scroll, 0);
}

#[test]
fn a_section_is_read_once_its_end_was_on_screen() {
    let mut app = app(40, 12).opened_at(1);
    assert!(!app.is_read(1));
    app.update(Msg::Bottom);
    assert!(app.is_read(1));
    assert!(!app.is_read(0));
}

#[test]
fn a_section_that_fits_the_window_is_read_on_opening() {
    let app = app(200, 120).opened_at(0);
    assert_eq!(app.max_scroll(), 0);
    assert!(app.is_read(0));
}

#[test]
fn contents_opens_on_the_current_section_and_jumps() {
    let mut app = reading(2);
    app.update(Msg::ToggleContents);
    assert_eq!((app.screen, app.selected), (Screen::Contents, 2));
    app.update(Msg::SelectNext);
    app.update(Msg::SelectNext);
    app.update(Msg::OpenSelected);
    assert_eq!((app.screen, app.section), (Screen::Reader, 4));
    app.update(Msg::ToggleContents);
    app.update(Msg::ToggleContents);
    assert_eq!((app.screen, app.section), (Screen::Reader, 4), "closing changes nothing");
}

#[test]
fn selection_stays_within_the_sections() {
    let mut app = app(80, 24);
    app.update(Msg::SelectPrevious);
    assert_eq!(app.selected, 0);
    for _ in 0..20 {
        app.update(Msg::SelectNext);
    }
    assert_eq!(app.selected, 5);
}

#[test]
fn number_keys_jump_and_ignore_sections_that_do_not_exist() {
    let mut app = reading(0);
    app.update(Msg::JumpTo(3));
    assert_eq!(app.section, 3);
    app.update(Msg::JumpTo(8));
    assert_eq!(app.section, 3);
}

#[test]
fn resizing_rewraps_and_keeps_the_scroll_in_range() {
    let mut app = app(120, 40).opened_at(1);
    let wide_lines = app.page().lines.len();
    app.update(Msg::Resize { width: 30, height: 8 });
    assert!(app.page().lines.len() > wide_lines, "narrower text takes more lines");
    app.update(Msg::Bottom);
    app.update(Msg::Resize { width: 200, height: 60 });
    assert!(app.scroll <= app.max_scroll());
}

#[test]
fn resizing_keeps_the_reader_near_the_same_text() {
    let mut app = app(60, 20).opened_at(1);
    app.update(Msg::PageDown);
    app.update(Msg::PageDown);
    // How far through the section, in thousandths.
    let before = app.scroll * 1000 / app.page().lines.len();
    app.update(Msg::Resize { width: 45, height: 20 });
    let after = app.scroll * 1000 / app.page().lines.len();
    assert!(before.abs_diff(after) < 100, "{before} vs {after}");
}

#[test]
fn tiny_windows_do_not_break_the_state() {
    let mut app = reading(1);
    for (w, h) in [(1, 1), (0, 0), (19, 5), (20, 6)] {
        app.update(Msg::Resize { width: w, height: h });
        for msg in [Msg::PageDown, Msg::Bottom, Msg::ScrollUp, Msg::NextSection] {
            app.update(msg);
            assert!(app.scroll <= app.max_scroll());
        }
    }
}

#[test]
fn help_opens_over_any_screen_and_scrolls_only_as_far_as_needed() {
    let mut app = app(40, 8).opened_at(0);
    app.update(Msg::ToggleHelp);
    assert!(app.help_open);
    let scroll_before = app.scroll;
    for _ in 0..50 {
        app.update(Msg::ScrollDown);
    }
    assert_eq!(app.scroll, scroll_before, "the text underneath does not move");
    assert_eq!(app.help_scroll, app.max_help_scroll());
    assert!(app.help_scroll > 0);
    app.update(Msg::ToggleHelp);
    assert!(!app.help_open);
}

#[test]
fn escape_from_the_reader_returns_to_the_title_with_the_section_selected() {
    let mut app = reading(3);
    app.update(Msg::Back);
    assert_eq!((app.screen, app.selected), (Screen::Title, 3));
}

#[test]
fn quit_asks_the_loop_to_stop() {
    assert_eq!(reading(0).update(Msg::Quit), Effect::Quit);
    assert_eq!(reading(0).update(Msg::NextSection), Effect::None);
}

mod record {
    use super::*;
    use crate::app::Screen;
    use crate::learner::Position;

    fn with_record(record: crate::learner::Record) -> App {
        let course = content::load(&PackSource::BuiltIn).unwrap().course;
        let settings = Settings { theme: ThemeName::Dark, glyphs: Glyphs::UNICODE, seed: 1 };
        let learner = Learner::new(record, Day(20_000), "s".into());
        App::new(course, settings, learner, Size::new(80, 24))
    }

    #[test]
    fn resume_opens_where_the_learner_left_off_and_welcomes_them() {
        let mut record = crate::learner::Record::new("stem-cell-therapy");
        record.position = Some(Position { section: "cultivation".into(), permille: 500 });
        let app = with_record(record).resumed();
        assert_eq!((app.screen, app.section), (Screen::Reader, 2));
        assert!(app.scroll > 0);
        assert!(app.notice.as_deref().unwrap().contains("Welcome back"));
    }

    #[test]
    fn a_position_in_a_section_that_no_longer_exists_starts_at_the_title() {
        let mut record = crate::learner::Record::new("stem-cell-therapy");
        record.position = Some(Position { section: "removed".into(), permille: 500 });
        let app = with_record(record).resumed();
        assert_eq!(app.screen, Screen::Title);
    }

    #[test]
    fn reading_and_position_go_into_the_record_and_quit_saves() {
        let mut app = app(80, 24);
        app.update(Msg::JumpTo(1));
        app.update(Msg::Bottom);
        assert!(app.learner.record.read.contains("harvesting"));
        assert_eq!(app.update(Msg::Quit), Effect::Quit);
        assert_eq!(app.learner.record.position.as_ref().unwrap().section, "harvesting");
    }

    #[test]
    fn every_answer_is_logged_and_saved_and_the_quiz_once() {
        let mut app = app(80, 24).quizzing(Some(0));
        assert_eq!(app.update(Msg::Choose(0)), Effect::None, "choosing is not answering");
        let effects: Vec<Effect> = [
            Msg::Assign(0),
            Msg::Type('x'),
            Msg::Assign(1),
            Msg::Assign(2),
            Msg::Assign(3),
            Msg::Submit,
        ]
        .into_iter()
        .map(|m| app.update(m))
        .collect();
        assert_eq!(effects.last(), Some(&Effect::Save));
        assert_eq!(app.learner.record.answers.len(), 1);
        assert_eq!(app.update(Msg::Back), Effect::Save, "ending the quiz saves its score");
        assert_eq!(app.learner.record.quizzes.len(), 1);
        assert_eq!(
            app.learner.record.quizzes[0].section, None,
            "an ended quiz is no section score"
        );
        app.update(Msg::ScrollDown);
        assert_eq!(app.learner.record.quizzes.len(), 1, "logged once");
    }

    #[test]
    fn practice_asks_what_is_due_or_says_nothing_is() {
        let mut app = app(80, 24);
        app.update(Msg::Practice);
        assert_eq!(app.screen, Screen::Title);
        assert!(app.notice.as_deref().unwrap().contains("Nothing to practice"));
        let missed = app.course.sections[3].questions[2].id.clone();
        app.learner.log_answer(&missed, 0.0);
        app.update(Msg::Practice);
        assert_eq!(app.screen, Screen::Quiz);
        let quiz = app.quiz.as_ref().unwrap();
        assert_eq!(quiz.run.questions, vec![(3, 2)]);
        assert_eq!(quiz.kind, crate::app::QuizKind::Practice);
    }

    #[test]
    fn practice_with_nothing_due_says_when_the_next_questions_fall_due() {
        let mut app = app(80, 24);
        let today = app.learner.today;
        for q in 0..2 {
            let id = app.course.sections[1].questions[q].id.clone();
            app.learner.log_answer(&id, 1.0);
        }
        app.update(Msg::Practice);
        assert_eq!(app.screen, Screen::Title);
        let notice = app.notice.clone().unwrap();
        let expected = format!("The next 2 questions fall due in 2 days ({})", today.plus(2));
        assert!(notice.contains(&expected), "{notice}");
    }

    #[test]
    fn a_practice_session_is_capped_at_the_limit() {
        let mut app = app(80, 24);
        for q in 0..4 {
            let id = app.course.sections[0].questions[q].id.clone();
            app.learner.log_answer(&id, 0.0);
        }
        app.learner.session_limit = 3;
        app.update(Msg::Practice);
        assert_eq!(app.quiz.as_ref().unwrap().run.questions.len(), 3);
    }

    #[test]
    fn reset_asks_first_and_a_no_keeps_everything() {
        let mut app = app(80, 24);
        app.learner.log_answer("x", 1.0);
        app.update(Msg::ShowStats);
        assert_eq!(app.screen, Screen::Stats);
        app.update(Msg::AskReset);
        assert_eq!(app.mode(), keymap::Mode::Confirm);
        assert_eq!(app.update(Msg::Back), Effect::None);
        assert_eq!(app.learner.record.answers.len(), 1);
        app.update(Msg::AskReset);
        assert_eq!(app.update(Msg::ConfirmReset), Effect::Reset);
        assert!(app.learner.record.answers.is_empty(), "afresh at once");
        assert_eq!(app.learner.record.resets.len(), 1, "and the reset is a fact in the record");
        app.was_reset(Ok((Some("/tmp/kept".into()), app.learner.record.clone())));
        assert!(app.learner.record.answers.is_empty());
        assert!(app.notice.as_deref().unwrap().contains("/tmp/kept"));
        app.update(Msg::Back);
        assert_eq!(app.screen, Screen::Title, "back where the progress screen was opened from");
    }

    #[test]
    fn a_failed_save_warns_and_the_session_goes_on() {
        let mut app = app(80, 24);
        app.saved(Err("read-only file system".into()));
        assert!(app.notice.as_deref().unwrap().contains("cannot be saved (read-only file system)"));
        app.update(Msg::JumpTo(2));
        assert_eq!(app.section, 2);
        assert!(app.notice.is_none(), "the warning goes with the next key");
    }
}

#[test]
fn the_theme_key_cycles_through_all_four_and_asks_to_remember() {
    let mut app = app(80, 24);
    let mut seen = vec![app.settings.theme];
    for _ in 0..4 {
        assert_eq!(app.update(Msg::CycleTheme), Effect::SaveTheme);
        seen.push(app.settings.theme);
    }
    assert_eq!(seen.first(), seen.last(), "four presses come back round");
    seen.pop();
    seen.sort_by_key(|t| t.name());
    seen.dedup();
    assert_eq!(seen.len(), 4);
}

#[test]
fn the_diagram_key_steps_the_diagram_in_view_and_comes_back_to_the_whole() {
    // A short window: the diagram is below the first screen.
    let mut app = app(80, 12).opened_at(0);
    app.update(Msg::NextDiagramStep);
    assert!(app.hint.is_some(), "no diagram at the top of the section: say how it works");
    // Scroll until the self-renewal diagram is in view.
    let block = app.course.sections[0]
        .blocks
        .iter()
        .position(|b| matches!(b.body, crate::course::BlockBody::Diagram(_)))
        .unwrap();
    app.scroll = app.page().block_starts[block].min(app.max_scroll());
    let count = crate::diagram::step_count(
        app.course.diagrams.iter().find(|d| d.id == "renew-or-specialize").unwrap(),
    );
    let mut seen = Vec::new();
    for _ in 0..=count {
        app.update(Msg::NextDiagramStep);
        seen.push(app.diagram_steps.get(&0).and_then(|s| s.get(&block)).copied());
    }
    let expected: Vec<Option<usize>> = (0..count).map(Some).chain([None]).collect();
    assert_eq!(seen, expected);
    app.update(Msg::PreviousDiagramStep);
    assert_eq!(app.diagram_steps[&0].get(&block), Some(&(count - 1)));
    let caption =
        app.page().lines.iter().any(|l| l.text().ends_with(&format!("(Step {count}/{count})")));
    assert!(caption, "the step's caption is on the page");
}

/// `--watch` reloads: whatever screen is open, every index into the old course is checked
/// against the new one, and every frame after it draws.
mod reload {
    use super::*;
    use crate::course::QuestionKind;

    fn draws(app: &App) {
        let size = app.viewport();
        let backend = ratatui::backend::TestBackend::new(size.width, size.height);
        let mut terminal = ratatui::Terminal::new(backend).unwrap();
        terminal.draw(|frame| crate::ui::draw(frame, app)).unwrap();
    }

    /// A section whose first question is a single choice, with its quiz open and that
    /// question answered.
    fn answered_section_quiz() -> (App, usize) {
        let app = app(80, 24);
        let s = app
            .course
            .sections
            .iter()
            .position(|s| s.questions.first().is_some_and(|q| q.kind() == QuestionKind::Single))
            .unwrap();
        let mut app = app.quizzing(Some(s));
        app.update(Msg::Choose(0));
        app.update(Msg::Submit);
        assert!(app.quiz.as_ref().unwrap().run.current_result().is_some(), "answered");
        (app, s)
    }

    #[test]
    fn a_quiz_whose_questions_were_removed_closes_instead_of_panicking() {
        let (mut app, s) = answered_section_quiz();
        app.update(Msg::ShowWhere);
        assert_eq!(app.screen, Screen::Reader);
        let mut course = (*app.course).clone();
        course.sections[s].questions.clear();
        app.reload(Ok(course));
        draws(&app);
        assert!(app.quiz.is_none());
        assert!(app.notice.as_deref().unwrap().contains("the quiz closed"), "{:?}", app.notice);
        app.update(Msg::Back);
        draws(&app);
        assert_eq!(app.screen, Screen::Title, "Esc no longer returns to a quiz that is gone");
    }

    #[test]
    fn a_quiz_whose_questions_are_all_still_there_goes_on_where_they_moved() {
        let (mut app, s) = answered_section_quiz();
        let asked: Vec<String> = {
            let quiz = app.quiz.as_ref().unwrap();
            quiz.run
                .questions
                .iter()
                .map(|&(s, q)| app.course.sections[s].questions[q].id.clone())
                .collect()
        };
        let mut course = (*app.course).clone();
        // The section moves to the end, and an earlier one goes.
        let moved = course.sections.remove(s);
        course.sections.push(moved);
        course.sections.remove(usize::from(s == 0));
        app.reload(Ok(course));
        draws(&app);
        let quiz = app.quiz.as_ref().expect("still there");
        let now: Vec<String> = quiz
            .run
            .questions
            .iter()
            .map(|&(s, q)| app.course.sections[s].questions[q].id.clone())
            .collect();
        assert_eq!(now, asked);
        assert_eq!(quiz.kind, QuizKind::Section(app.course.sections.len() - 1));
        assert_eq!(app.screen, Screen::Quiz);
        app.update(Msg::Submit);
        draws(&app);
    }

    #[test]
    fn an_open_search_box_finds_its_hits_again_in_the_new_course() {
        let mut app = reading(0);
        app.update(Msg::OpenSearch);
        let last = app.course.sections.len() - 1;
        // A word of the last section's title, which its hits will include.
        let word: String = app.course.sections[last]
            .title
            .split_whitespace()
            .max_by_key(|w| w.len())
            .unwrap()
            .to_owned();
        for c in word.chars() {
            app.update(Msg::Type(c));
        }
        let hits = &app.search.as_ref().unwrap().hits;
        assert!(hits.iter().any(|h| h.section == last), "{word}");
        for _ in 0..hits.len() {
            app.update(Msg::SelectNext);
        }
        let mut course = (*app.course).clone();
        course.sections.pop();
        app.reload(Ok(course));
        draws(&app);
        let search = app.search.as_ref().expect("the box stays open");
        assert!(search.hits.iter().all(|h| h.section < app.course.sections.len()));
        assert!(search.selected <= search.hits.len().saturating_sub(1));
        app.update(Msg::Submit);
        draws(&app);
        assert!(app.section < app.course.sections.len());
    }

    #[test]
    fn a_presentation_of_a_removed_section_closes_and_a_shorter_one_is_clamped() {
        let mut app = app(80, 24).presenting(None);
        let last = app.course.sections.len() - 1;
        app.update(Msg::JumpTo(last));
        for _ in 0..200 {
            app.update(Msg::NextSection);
        }
        let present = app.present.as_ref().unwrap();
        assert_eq!(present.section, last);
        let mut shorter = (*app.course).clone();
        shorter.sections[last].blocks.truncate(1);
        shorter.sections[last].questions.clear();
        app.reload(Ok(shorter.clone()));
        draws(&app);
        let present = app.present.as_ref().unwrap();
        assert_eq!(present.step, PresentState::last_step(&app, last));
        let mut gone = shorter;
        gone.sections.pop();
        app.reload(Ok(gone));
        draws(&app);
        assert!(app.present.is_none());
        assert_eq!(app.screen, Screen::Reader);
        assert!(app.notice.as_deref().unwrap().contains("the presentation closed"));
    }

    #[test]
    fn definitions_open_over_the_reader_close() {
        let mut app = reading(0);
        app.term_popup = Some(vec![app.course.glossary.len() - 1]);
        let mut course = (*app.course).clone();
        course.glossary.truncate(1);
        app.reload(Ok(course));
        draws(&app);
        assert!(app.term_popup.is_none());
    }
}

/// The title screen builds only the rows of its section list that show (a pack may have
/// thousands of sections); the selection is still on screen wherever it is, with the rows
/// around it as a scrolling list shows them.
#[test]
fn the_title_list_of_many_sections_shows_the_selection_wherever_it_is() {
    let mut course = content::load(&PackSource::BuiltIn).unwrap().course;
    let template = course.sections[0].clone();
    course.sections = (1..=300)
        .map(|n| crate::course::Section {
            id: format!("s{n}"),
            title: format!("Part {n}"),
            short_title: format!("Part {n}"),
            ..template.clone()
        })
        .collect();
    let learner = Learner::fresh(&course.id, Day(20_000));
    let settings = Settings { theme: ThemeName::Dark, glyphs: Glyphs::UNICODE, seed: 1 };
    let mut app = App::new(course, settings, learner, Size::new(80, 24));
    let screen = |app: &App| {
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
        terminal.draw(|frame| crate::ui::draw(frame, app)).unwrap();
        let buffer = terminal.backend().buffer().clone();
        (0..24)
            .map(|y| (0..80).map(|x| buffer[(x, y)].symbol().to_owned()).collect::<String>())
            .collect::<Vec<String>>()
    };
    let selected_row = |rows: &[String]| {
        rows.iter().find(|r| r.contains('▸')).map(|r| r.trim().to_owned()).unwrap_or_default()
    };
    let first = screen(&app);
    assert!(selected_row(&first).contains("1 Part 1"), "{first:#?}");
    for (steps, shown) in [(149, "150 Part 150"), (150, "300 Part 300")] {
        for _ in 0..steps {
            app.update(Msg::SelectNext);
        }
        let rows = screen(&app);
        assert!(selected_row(&rows).ends_with(shown), "{rows:#?}");
        // The rows above the selection run on to it without a gap.
        let at = rows.iter().position(|r| r.contains('▸')).unwrap();
        let number = shown.split(' ').next().unwrap().parse::<usize>().unwrap();
        assert!(rows[at - 1].contains(&format!("{} Part {}", number - 1, number - 1)), "{rows:#?}");
    }
}
