//! What a real terminal shows after incremental redraws (ratatui sends only the cells that
//! changed) must equal a full redraw of the same frame: otherwise stale cells stay on screen.
//! The terminal is vt100, which measures text character by character as terminals do.

use std::cell::RefCell;
use std::io::Write;
use std::num::NonZeroU16;
use std::rc::Rc;

use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use stemcell::app::{App, Msg};
use stemcell::ui;

use crate::support::{edit, pack_app, starter_pack};

/// Everything written to the terminal, kept to read back.
#[derive(Clone, Default)]
struct Bytes(Rc<RefCell<Vec<u8>>>);

impl Write for Bytes {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn terminal(width: u16, height: u16) -> (Terminal<CrosstermBackend<Bytes>>, Bytes) {
    let bytes = Bytes::default();
    let viewport = Viewport::Fixed(Rect::new(0, 0, width, height));
    let backend = CrosstermBackend::new(bytes.clone());
    (Terminal::with_options(backend, TerminalOptions { viewport }).unwrap(), bytes)
}

/// The bytes written so far, fed into a fresh emulated screen, as rows of text.
fn shown(bytes: &Bytes, width: u16, height: u16) -> String {
    let mut parser =
        vt100::Parser::new(NonZeroU16::new(height).unwrap(), NonZeroU16::new(width).unwrap(), 0);
    parser.process(&bytes.0.borrow());
    parser.screen().contents()
}

/// Draws `app` after each message in turn on one terminal, then the final frame on a fresh
/// one, and returns (incremental, full).
fn incremental_and_full(app: &mut App, messages: &[Msg]) -> (String, String) {
    let size = app.viewport();
    let (mut incremental, written) = terminal(size.width, size.height);
    incremental.draw(|f| ui::draw(f, app)).unwrap();
    for msg in messages {
        app.update(*msg);
        incremental.draw(|f| ui::draw(f, app)).unwrap();
    }
    let (mut full, redrawn) = terminal(size.width, size.height);
    full.draw(|f| ui::draw(f, app)).unwrap();
    (shown(&written, size.width, size.height), shown(&redrawn, size.width, size.height))
}

#[test]
fn joiners_and_flags_in_titles_leave_no_stale_cells() {
    let dir = starter_pack("redraw");
    edit(
        &dir,
        "content/sections/basics.toml",
        "title = \"The Basics\"",
        "title = \"The \u{200d}Basics \u{1f1eb}\u{1f1f7} flag \u{1f469}\u{200d}\u{1f52c} \u{200d}\"",
    );
    edit(
        &dir,
        "content/sections/basics.toml",
        "short_title = \"Basics\"",
        "short_title = \"\u{200d}Basics \u{1f1eb}\u{1f1f7} \u{1f469}\u{200d}\u{1f52c}\"",
    );
    for (width, height) in [(80, 24), (40, 12)] {
        let mut app = pack_app(&dir, width, height);
        app.update(Msg::OpenSelected);
        let (incremental, full) =
            incremental_and_full(&mut app, &[Msg::NextSection, Msg::PreviousSection]);
        assert_eq!(incremental, full, "{width}x{height}");
    }
    let _ = std::fs::remove_dir_all(dir);
}
