//! `cargo bench`: loading and checking packs (the built-in one, also as start-up loads it,
//! and a 1,000-section, 10,000-question one, also to its first screen), drawing a frame at 80x24 and 200x60, laying
//! out a diagram, and a section that is one paragraph of 1,000,000 bytes (validating it and
//! its first screen, which must stay linear in its length).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Size;
use stemcell::app::{App, Msg, Settings};
use stemcell::content::{self, load::PackSource};
use stemcell::learner::{Day, Learner};
use stemcell::page::Glyphs;
use stemcell::ui::{self, theme::ThemeName};

fn load(c: &mut Criterion) {
    c.bench_function("load and validate the built-in course", |b| {
        b.iter(|| black_box(content::load(&PackSource::BuiltIn).unwrap()));
    });
    // What starting the program does: the checks that can only warn are skipped.
    c.bench_function("load the built-in course to show it", |b| {
        b.iter(|| black_box(content::load_to_show(&PackSource::BuiltIn).unwrap()));
    });
    let dir = std::env::temp_dir().join(format!("stemcell-bench-large-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    stemcell::scaffold::large_pack(&dir, 1000, 10_000).unwrap();
    let source = PackSource::Dir(dir.clone());
    let mut group = c.benchmark_group("large pack");
    group.sample_size(20);
    group.bench_function("load and validate 1,000 sections, 10,000 questions", |b| {
        b.iter(|| black_box(content::load(&source).unwrap()));
    });
    // What `stemcell --pack DIR` does before its first screen: load to show, then draw the
    // title screen (its list of 1,000 sections) once at 80x24.
    group.bench_function("first screen of 1,000 sections, 10,000 questions", |b| {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        b.iter(|| {
            let course = content::load_to_show(&source).unwrap().course;
            let settings = Settings { theme: ThemeName::Dark, glyphs: Glyphs::UNICODE, seed: 1 };
            let learner = Learner::fresh(&course.id, Day(20_000));
            let app = App::new(course, settings, learner, Size::new(80, 24));
            terminal.draw(|frame| ui::draw(frame, black_box(&app))).unwrap();
        });
    });
    // A whole-course quiz or handout shows every question: linear in their number.
    let course = content::load(&source).unwrap().course;
    group.bench_function("present all 10,000 questions (a whole-course quiz)", |b| {
        b.iter(|| black_box(stemcell::quiz::QuizRun::of(&course, None, black_box(7))));
    });
    // Search as you type: one keystroke is one search of the whole course.
    let index = stemcell::search::Index::new(&course);
    group.bench_function("search 1,000 sections for a word (one keystroke)", |b| {
        b.iter(|| black_box(index.search(black_box("counted"))));
    });
    group.bench_function("search 1,000 sections for a rare phrase", |b| {
        b.iter(|| black_box(index.search(black_box("section 999: growing"))));
    });
    group.finish();
    let _ = std::fs::remove_dir_all(dir);
}

fn frames(c: &mut Criterion) {
    let course = content::load(&PackSource::BuiltIn).unwrap().course;
    for (width, height) in [(80, 24), (200, 60)] {
        let settings = Settings { theme: ThemeName::Dark, glyphs: Glyphs::UNICODE, seed: 1 };
        let learner = Learner::fresh(&course.id, Day(20_000));
        let mut app =
            App::new(course.clone(), settings, learner, Size::new(width, height)).opened_at(1);
        app.update(Msg::PageDown);
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        c.bench_function(&format!("draw the reader at {width}x{height}"), |b| {
            b.iter(|| {
                terminal.draw(|frame| ui::draw(frame, black_box(&app))).unwrap();
            });
        });
    }
}

fn diagrams(c: &mut Criterion) {
    let course = content::load(&PackSource::BuiltIn).unwrap().course;
    let diagram = course.diagrams.iter().find(|d| d.id == "harvest-sources").unwrap();
    for width in [80, 40] {
        c.bench_function(&format!("lay out the harvest diagram at {width} columns"), |b| {
            b.iter(|| black_box(stemcell::diagram::draw(diagram, width, None, false)));
        });
    }
}

fn long_paragraph(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("stemcell-bench-long-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    // Just under the 1 MiB a pack file may hold.
    stemcell::scaffold::long_paragraph_pack(&dir, 1_000_000).unwrap();
    let source = PackSource::Dir(dir.clone());
    let mut group = c.benchmark_group("1 MB paragraph");
    group.sample_size(10);
    group.bench_function("load and validate", |b| {
        b.iter(|| black_box(content::load(&source).unwrap()));
    });
    // What `stemcell --pack DIR` does before its first frame: load, lay out, draw.
    group.bench_function("load and draw the first screen at 80x24", |b| {
        b.iter(|| {
            let course = content::load_to_show(&source).unwrap().course;
            let settings = Settings { theme: ThemeName::Dark, glyphs: Glyphs::UNICODE, seed: 1 };
            let learner = Learner::fresh(&course.id, Day(20_000));
            let app = App::new(course, settings, learner, Size::new(80, 24)).opened_at(0);
            let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
            terminal.draw(|frame| ui::draw(frame, black_box(&app))).unwrap();
        });
    });
    group.finish();
    let _ = std::fs::remove_dir_all(dir);
}

criterion_group!(benches, load, frames, diagrams, long_paragraph);
criterion_main!(benches);
