//! One session: an `App` driven from a source of events to a sink of frames. The local
//! terminal (`tui.rs`) and every student of the classroom (`serve/runner.rs`, whatever the transport) use it, so
//! the same keys, messages and effects hold wherever the app is shown. It touches no terminal:
//! the caller reads the events, draws the frames, and does what an [`Outcome`] asks.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind,
};

use crate::app::keymap::{self, Key};
use crate::app::{App, Effect, Msg};
use crate::learner::store::Store;

/// What the caller must do after an update, beyond drawing the next frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Draw and wait for the next event.
    Continue,
    /// Ctrl-Z: give the terminal back and stop (a local terminal only; a channel ignores it).
    Suspend,
    /// The learner quit. The caller saves on the way out: the local terminal waits a bounded
    /// time for another process's lock (`tui.rs`); a class member has no record of their own.
    Quit,
}

/// An app and where its effects go.
pub struct Session<'s> {
    pub app: App,
    /// Where the learner record is kept; none for a class member over SSH (the class keeps
    /// their answers) and when there is nowhere to keep it.
    store: Option<&'s Store>,
    /// Whether the theme picked with `T` is remembered in the config file. Only the local
    /// user's own choice: a student over SSH must never write the teacher's config.
    keep_theme: bool,
    started: Instant,
    /// Another process held the record's lock at the last save: when to try again.
    retry_save_at: Option<Instant>,
}

/// While another process holds the record's lock, a save is tried again this often, between
/// keys (the loop never waits on the lock itself).
pub const SAVE_RETRY: Duration = Duration::from_millis(250);

impl<'s> Session<'s> {
    pub fn new(app: App, store: Option<&'s Store>) -> Self {
        Self { app, store, keep_theme: false, started: Instant::now(), retry_save_at: None }
    }

    /// Remembers the theme the user picks (the local terminal).
    #[must_use]
    pub fn keeping_theme(mut self) -> Self {
        self.keep_theme = true;
        self
    }

    /// The message a terminal event sends, if any. Only key *presses* count (not releases or
    /// repeats reported by some terminals).
    pub fn message_for(&self, event: &Event) -> Option<Msg> {
        match event {
            Event::Key(key) if key.kind == KeyEventKind::Press => {
                keymap::dispatch(self.app.key_mode(), translate(*key)?)
            }
            Event::Mouse(mouse) => match mouse.kind {
                MouseEventKind::ScrollDown => Some(Msg::WheelDown),
                MouseEventKind::ScrollUp => Some(Msg::WheelUp),
                MouseEventKind::Down(_) => {
                    Some(Msg::Click { column: mouse.column, row: mouse.row })
                }
                _ => None,
            },
            Event::Resize(width, height) => Some(Msg::Resize { width: *width, height: *height }),
            _ => None,
        }
    }

    /// Handles one event: `None` when it means nothing here (no redraw needed).
    pub fn handle(&mut self, event: &Event) -> Option<Outcome> {
        let msg = self.message_for(event)?;
        Some(self.update(msg))
    }

    /// Updates the app and carries out its effects.
    pub fn update(&mut self, msg: Msg) -> Outcome {
        let effect = self.app.update(msg);
        self.carry_out(effect)
    }

    /// Applies an event from the live class (a student's session over SSH).
    pub fn class_event(&mut self, event: crate::class::protocol::ToStudent) -> Outcome {
        let effect = self.app.class_event(event);
        self.carry_out(effect)
    }

    fn carry_out(&mut self, effect: Effect) -> Outcome {
        match effect {
            Effect::None => Outcome::Continue,
            Effect::Suspend => Outcome::Suspend,
            Effect::Save => {
                self.save();
                Outcome::Continue
            }
            Effect::SaveTheme => {
                if self.keep_theme {
                    // A preference that cannot be kept is not worth stopping the lesson for,
                    // but the learner hears why it will not be there next time.
                    if let Err(e) = crate::config::save_theme(self.app.settings.theme) {
                        let why = crate::report::visible_line(&e.to_string()).into_owned();
                        self.app.notice = Some(format!(
                            "The {} theme is for this session only: {why}",
                            self.app.settings.theme.name()
                        ));
                    }
                }
                Outcome::Continue
            }
            Effect::Reset => {
                let fresh = &self.app.learner.record;
                let result = self.store.map_or_else(
                    || Ok((None, fresh.clone())),
                    |s| s.reset(fresh).map_err(|e| e.to_string()),
                );
                self.app.was_reset(result);
                Outcome::Continue
            }
            Effect::Quit => Outcome::Quit,
        }
    }

    /// How long until the next tick, when a visible clock or countdown needs one: ticks come
    /// once a second, on the second since the session started.
    pub fn until_tick(&self) -> Option<Duration> {
        if !self.app.wants_ticks() {
            return None;
        }
        let next_second = Duration::from_secs(self.started.elapsed().as_secs() + 1);
        Some(next_second.saturating_sub(self.started.elapsed()))
    }

    /// The tick message for now.
    pub fn tick(&self) -> Msg {
        Msg::Tick { elapsed: self.started.elapsed().as_secs() }
    }

    /// Saves the learner record, and tells the app how it went (it shows a warning if it
    /// failed; the session goes on either way). If another process is saving, the learner is
    /// told once and [`Self::retry_save_at`] says when to try again: the caller's loop never
    /// waits on the lock itself.
    pub fn save(&mut self) {
        let Some(result) = self.try_save() else { return };
        match result {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                if self.retry_save_at.is_none() {
                    self.app.notice = Some(
                        "Another stemcell is saving this record; yours will be saved as soon as it is done."
                            .to_owned(),
                    );
                }
                self.retry_save_at = Some(Instant::now() + SAVE_RETRY);
            }
            result => {
                self.retry_save_at = None;
                self.app.saved(result.map_err(|e| e.to_string()));
            }
        }
    }

    /// One try at saving, without waiting for another process's lock (`WouldBlock` then);
    /// `None` when there is nowhere to save.
    pub fn try_save(&self) -> Option<std::io::Result<crate::learner::Record>> {
        let store = self.store?;
        Some(store.save_within(&self.app.learner.record, Duration::ZERO))
    }

    /// When a save held up by another process's lock is due again.
    pub fn retry_save_at(&self) -> Option<Instant> {
        self.retry_save_at
    }

    /// Where the record is kept, if anywhere.
    pub fn store_path(&self) -> Option<&std::path::Path> {
        self.store.map(Store::path)
    }
}

/// A crossterm key as one of the app's keys.
pub fn translate(key: KeyEvent) -> Option<Key> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char(c) if ctrl => Key::Ctrl(c.to_ascii_lowercase()),
        KeyCode::Char(c) => Key::Char(c),
        KeyCode::Left => Key::Left,
        KeyCode::Right => Key::Right,
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::PageUp => Key::PageUp,
        KeyCode::PageDown => Key::PageDown,
        KeyCode::Home => Key::Home,
        KeyCode::End => Key::End,
        KeyCode::Enter => Key::Enter,
        KeyCode::Esc => Key::Esc,
        KeyCode::Tab => Key::Tab,
        KeyCode::BackTab => Key::BackTab,
        KeyCode::Backspace => Key::Backspace,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::{KeyEventState, MouseEvent};
    use ratatui::layout::Size;

    use super::*;
    use crate::app::Settings;
    use crate::content::{self, load::PackSource};
    use crate::learner::{Day, Learner};
    use crate::page::Glyphs;
    use crate::ui::theme::ThemeName;

    fn session() -> Session<'static> {
        let course = content::load(&PackSource::BuiltIn).unwrap().course;
        let learner = Learner::fresh(&course.id, Day(20_000));
        let settings = Settings { theme: ThemeName::Dark, glyphs: Glyphs::UNICODE, seed: 1 };
        Session::new(App::new(course, settings, learner, Size::new(80, 24)), None)
    }

    fn key(code: KeyCode, kind: KeyEventKind) -> Event {
        Event::Key(KeyEvent {
            code,
            modifiers: KeyModifiers::NONE,
            kind,
            state: KeyEventState::NONE,
        })
    }

    #[test]
    fn presses_count_and_releases_do_not() {
        let mut session = session();
        assert_eq!(session.handle(&key(KeyCode::Char('q'), KeyEventKind::Release)), None);
        assert_eq!(
            session.handle(&key(KeyCode::Char('q'), KeyEventKind::Press)),
            Some(Outcome::Quit)
        );
    }

    #[test]
    fn ctrl_letters_resizes_and_the_wheel_become_messages() {
        let session = session();
        let ctrl_c = Event::Key(KeyEvent::new(KeyCode::Char('C'), KeyModifiers::CONTROL));
        assert_eq!(session.message_for(&ctrl_c), Some(Msg::Quit));
        assert_eq!(
            session.message_for(&Event::Resize(40, 12)),
            Some(Msg::Resize { width: 40, height: 12 })
        );
        let wheel = Event::Mouse(MouseEvent {
            kind: MouseEventKind::ScrollDown,
            column: 1,
            row: 1,
            modifiers: KeyModifiers::NONE,
        });
        assert_eq!(session.message_for(&wheel), Some(Msg::WheelDown));
        assert_eq!(session.message_for(&Event::FocusLost), None);
    }

    #[test]
    fn no_tick_is_needed_while_nothing_on_screen_counts_time() {
        assert_eq!(session().until_tick(), None, "an idle reader costs no wake-ups");
    }
}
