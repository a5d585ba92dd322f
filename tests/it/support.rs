//! Shared helpers: the built-in course, an app at a size, a frame rendered to text.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Size;
use stemcell::app::{App, Msg, Settings};
use stemcell::content::{self, load::PackSource};
use stemcell::learner::{Day, Learner};
use stemcell::page::Glyphs;
use stemcell::ui::{self, theme::ThemeName};

pub fn app(width: u16, height: u16) -> App {
    themed(width, height, ThemeName::Dark)
}

pub fn themed(width: u16, height: u16, theme: ThemeName) -> App {
    let course = content::load(&PackSource::BuiltIn).expect("the built-in pack loads").course;
    {
        let learner = Learner::fresh(&course.id, Day(20_000));
        App::new(
            course,
            Settings { theme, glyphs: Glyphs::UNICODE, seed: 1 },
            learner,
            Size::new(width, height),
        )
    }
}

/// Sends messages in order, as a user's key presses would.
pub fn press(app: &mut App, messages: &[Msg]) {
    for msg in messages {
        app.update(*msg);
    }
}

/// Draws one frame the way the event loop does and returns the buffer.
pub fn frame(app: &App) -> Buffer {
    let size = app.viewport();
    let mut terminal = Terminal::new(TestBackend::new(size.width, size.height)).unwrap();
    terminal.draw(|f| ui::draw(f, app)).unwrap();
    terminal.backend().buffer().clone()
}

/// The frame as text, one line per row, for snapshots and `contains` checks.
pub fn screen(app: &App) -> String {
    let buffer = frame(app);
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut skip = 0;
        for x in 0..area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
            out.push_str(symbol);
        }
        out.push('\n');
    }
    out
}

/// Where `text` starts on the screen, as (column, row).
pub fn find(buffer: &Buffer, text: &str) -> Option<(u16, u16)> {
    let area = buffer.area;
    for y in 0..area.height {
        let row: String = (0..area.width).map(|x| buffer[(x, y)].symbol()).collect();
        if let Some(byte) = row.find(text) {
            return Some((row[..byte].chars().count() as u16, y));
        }
    }
    None
}

/// A folder for learner records that belongs to this test run, so tests never touch the
/// tester's own records.
pub fn state_dir(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("stemcell-state-{name}-{}", std::process::id()))
}

/// An app on a pack from a folder, at a size.
pub fn pack_app(dir: &std::path::Path, width: u16, height: u16) -> App {
    let course = content::load(&PackSource::Dir(dir.to_owned())).expect("the pack loads").course;
    let learner = Learner::fresh(&course.id, Day(20_000));
    App::new(
        course,
        Settings { theme: ThemeName::Dark, glyphs: Glyphs::UNICODE, seed: 1 },
        learner,
        Size::new(width, height),
    )
}

/// A copy of `stemcell new`'s starter pack in a fresh temporary folder, to change for a test.
pub fn starter_pack(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("stemcell-starter-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    stemcell::scaffold::create(&dir).expect("the starter pack is written");
    dir
}

/// Replaces the first `from` with `to` in a file of a pack.
pub fn edit(dir: &std::path::Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from} not in {file}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// The rejoin words a student's screen showed when they joined (the live class).
pub fn rejoin_words(screen: &str) -> String {
    const SHOWN: &str = "Your rejoin words: ";
    let at = screen.find(SHOWN).expect("the words are shown") + SHOWN.len();
    let words: Vec<&str> = screen[at..].split_whitespace().take(4).collect();
    words.join(" ").trim_end_matches('.').to_owned()
}
