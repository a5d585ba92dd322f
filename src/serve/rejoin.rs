//! The screen a student sees when the name they joined with is already in the class: type the
//! rejoin words they were shown at their first join (their place and answers come back at
//! once, even while their old connection still looks alive), or ask the teacher to let them
//! in, or leave. Drawn in the student's own terminal, so it works the same over SSH and in a
//! browser; the typing is a plain line editor over the key events the runner parses.

use ratatui::crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

/// The longest line of words taken (four words of at most eight letters fit many times).
const MOST: usize = 80;

/// What the student is doing on the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// Typing the words; `said` is why they are asked (the class's words).
    Typing { said: String, typed: String },
    /// Waiting for the teacher.
    Waiting,
}

/// What a key did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Stay,
    /// Enter with words typed.
    Words(String),
    /// Enter with nothing typed.
    AskTeacher,
    Leave,
}

/// Applies one key. While waiting for the teacher, only leaving is possible.
pub fn key(stage: &mut Stage, event: &Event) -> Step {
    let Event::Key(key) = event else { return Step::Stay };
    if key.kind == KeyEventKind::Release {
        return Step::Stay;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if key.code == KeyCode::Esc || (ctrl && matches!(key.code, KeyCode::Char('c' | 'd'))) {
        return Step::Leave;
    }
    let Stage::Typing { typed, .. } = stage else { return Step::Stay };
    match key.code {
        KeyCode::Enter if typed.trim().is_empty() => Step::AskTeacher,
        KeyCode::Enter => Step::Words(std::mem::take(typed)),
        KeyCode::Backspace => {
            typed.pop();
            Step::Stay
        }
        KeyCode::Char(c) if !ctrl && !c.is_control() && typed.chars().count() < MOST => {
            typed.push(c);
            Step::Stay
        }
        _ => Step::Stay,
    }
}

/// Draws the screen for `name`.
pub fn draw(frame: &mut ratatui::Frame<'_>, stage: &Stage, name: &str) {
    let area = frame.area();
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let mut lines: Vec<Line> = Vec::new();
    match stage {
        Stage::Typing { said, typed } => {
            lines.push(Line::from(said.clone()));
            lines.push(Line::default());
            lines.push(Line::styled(format!("Words: {typed}_"), bold));
            lines.push(Line::default());
            lines.push(Line::from(
                "Enter: rejoin · Enter with nothing typed: ask the teacher · Esc: leave",
            ));
        }
        Stage::Waiting => {
            lines.push(Line::from(format!(
                "Waiting for the teacher to let you in as '{name}'. Your place and answers \
                 come with it."
            )));
            lines.push(Line::default());
            lines.push(Line::from("Esc: leave"));
        }
    }
    let block = Block::bordered().title(format!(" Rejoin as {name} "));
    let width = area.width.min(72);
    let inner_width = usize::from(width.saturating_sub(2).max(1));
    let rows: usize = lines
        .iter()
        .map(|line| crate::wrap::plain(&line.to_string(), inner_width).len().max(1))
        .sum();
    let height = u16::try_from(rows + 2).unwrap_or(u16::MAX).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }).block(block), popup);
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEvent;

    fn press(code: KeyCode) -> Event {
        Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn typing() -> Stage {
        Stage::Typing { said: "The name 'ana' is in this class.".into(), typed: String::new() }
    }

    #[test]
    fn typed_words_go_to_the_class_on_enter_and_nothing_typed_asks_the_teacher() {
        let mut stage = typing();
        for c in "river applx".chars() {
            assert_eq!(key(&mut stage, &press(KeyCode::Char(c))), Step::Stay);
        }
        key(&mut stage, &press(KeyCode::Backspace));
        key(&mut stage, &press(KeyCode::Char('e')));
        assert_eq!(key(&mut stage, &press(KeyCode::Enter)), Step::Words("river apple".into()));
        assert_eq!(key(&mut stage, &press(KeyCode::Enter)), Step::AskTeacher, "now empty");
        let ctrl_c = Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
        assert_eq!(key(&mut stage, &ctrl_c), Step::Leave);
        assert_eq!(key(&mut Stage::Waiting, &press(KeyCode::Char('x'))), Step::Stay);
        assert_eq!(key(&mut Stage::Waiting, &press(KeyCode::Esc)), Step::Leave);
    }

    #[test]
    fn the_screen_fits_a_small_window_with_what_to_do() {
        let backend = ratatui::backend::TestBackend::new(40, 12);
        let mut terminal = ratatui::Terminal::new(backend).unwrap();
        let mut stage = typing();
        for c in "river".chars() {
            key(&mut stage, &press(KeyCode::Char(c)));
        }
        terminal.draw(|frame| draw(frame, &stage, "ana")).unwrap();
        let text: String = terminal
            .backend()
            .buffer()
            .content
            .chunks(40)
            .map(|row| row.iter().map(ratatui::buffer::Cell::symbol).collect::<String>() + "\n")
            .collect();
        for wanted in ["Rejoin as ana", "Words: river_", "Esc: leave", "ask the teacher"] {
            assert!(text.contains(wanted), "{wanted} missing at 40x12:\n{text}");
        }
    }
}
