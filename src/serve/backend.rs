//! The ratatui backend of a student's channel. It writes crossterm's escape sequences into the
//! channel's buffer like `CrosstermBackend`, but never asks the *process's* terminal anything:
//! crossterm answers "where is the cursor" and "how big is the window" from the server's own
//! terminal, the teacher's console (it would even write a query there and read the reply from
//! the teacher's keyboard). Here the size is the student's, as their client reported it, and
//! the cursor is where this backend last put it.

use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};

/// A backend over any writer, sized by the caller.
pub struct ChannelBackend<W: Write> {
    inner: CrosstermBackend<W>,
    size: Size,
    cursor: Position,
}

impl<W: Write> ChannelBackend<W> {
    pub fn new(writer: W, size: Size) -> Self {
        Self { inner: CrosstermBackend::new(writer), size, cursor: Position::ORIGIN }
    }

    /// The student's window changed size.
    pub fn set_size(&mut self, size: Size) {
        self.size = size;
    }
}

impl<W: Write> Backend for ChannelBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.inner.draw(content)
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(self.cursor)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let position = position.into();
        self.cursor = position;
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> io::Result<Size> {
        Ok(self.size)
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        // Pixels are unknown over SSH (clients send 0).
        Ok(WindowSize { columns_rows: self.size, pixels: Size::ZERO })
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

#[cfg(test)]
mod tests {
    use ratatui::layout::Rect;
    use ratatui::{Terminal, TerminalOptions, Viewport};

    use super::*;

    #[test]
    fn clearing_and_sizing_ask_nothing_of_the_process_terminal() {
        let size = Size::new(30, 5);
        let viewport = Viewport::Fixed(Rect::new(0, 0, 30, 5));
        let backend = ChannelBackend::new(Vec::new(), size);
        let mut terminal = Terminal::with_options(backend, TerminalOptions { viewport }).unwrap();
        terminal.set_cursor_position(Position::new(3, 2)).unwrap();
        // `Terminal::clear` asks the backend where the cursor is: the answer is the student's,
        // never a query written to the server's own terminal.
        terminal.clear().unwrap();
        assert_eq!(terminal.get_cursor_position().unwrap(), Position::new(3, 2));
        assert_eq!(terminal.size().unwrap(), size);
        terminal.backend_mut().set_size(Size::new(10, 2));
        assert_eq!(terminal.size().unwrap(), Size::new(10, 2));
    }
}
