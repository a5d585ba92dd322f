//! Bytes from an SSH channel to terminal events. terminput parses one event from a byte slice
//! (it is crossterm's own parser, made public); this wraps it with the state a stream needs:
//! an escape sequence split across two packets waits for the rest, and an Esc that nothing
//! follows is taken as the Esc key once [`ESC_WAIT`] has passed (as terminals and editors do).

use std::time::Duration;

use ratatui::crossterm::event::Event;

/// How long a lone Esc waits for the rest of a sequence. Sequences from one key press arrive
/// in one packet on a LAN; 50 ms keeps Esc responsive and still joins a split sequence.
pub const ESC_WAIT: Duration = Duration::from_millis(50);

/// The longest sequence kept while waiting for its end (a paste can be long; anything longer
/// is a broken or hostile sequence and is dropped).
const MAX_PENDING: usize = 4096;

/// A stateful parser for one channel.
#[derive(Debug, Default)]
pub struct Parser {
    pending: Vec<u8>,
}

impl Parser {
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether bytes are waiting for the rest of a sequence; the caller then calls
    /// [`Parser::timeout`] after [`ESC_WAIT`] if nothing else came.
    pub fn waiting(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Feeds a packet; returns the events it completes.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Event> {
        let mut events = Vec::new();
        for &byte in bytes {
            self.pending.push(byte);
            // A lone Esc starts a sequence: with more bytes in the same packet they decide;
            // at the end of a packet it waits (the rest may be in the next packet).
            if self.pending == [0x1b] {
                continue;
            }
            self.parse(&mut events);
        }
        events
    }

    /// Nothing more came: what is waiting is taken as typed (a lone Esc is the Esc key, an
    /// unfinished sequence is Esc and its characters); what still makes no event is dropped.
    pub fn timeout(&mut self) -> Vec<Event> {
        let pending = std::mem::take(&mut self.pending);
        let mut events = Vec::new();
        let rest = match pending.split_first() {
            Some((0x1b, rest)) => {
                events.push(to_crossterm(terminput::Event::Key(terminput::KeyCode::Esc.into())));
                rest
            }
            _ => &pending[..],
        };
        events.extend(self.feed(rest));
        self.pending.clear();
        events
    }

    fn parse(&mut self, events: &mut Vec<Event>) {
        match terminput::Event::parse_from(&self.pending) {
            Ok(Some(event)) => {
                self.pending.clear();
                events.push(to_crossterm(event));
            }
            // Incomplete: wait for more, within reason.
            Ok(None) => {
                if self.pending.len() > MAX_PENDING {
                    self.pending.clear();
                }
            }
            // Not a sequence anyone sends: forget it.
            Err(_) => self.pending.clear(),
        }
    }
}

fn to_crossterm(event: terminput::Event) -> Event {
    // Events crossterm has no name for (none that a terminal sends) become nothing.
    terminput_crossterm::to_crossterm(event).unwrap_or(Event::FocusLost)
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEventKind};

    use super::*;

    fn keys(events: &[Event]) -> Vec<KeyCode> {
        events
            .iter()
            .filter_map(|e| match e {
                Event::Key(KeyEvent { code, .. }) => Some(*code),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn letters_arrows_and_enter_in_one_packet() {
        let mut p = Parser::new();
        let events = p.feed(b"j\x1b[Bq\r");
        assert_eq!(
            keys(&events),
            [KeyCode::Char('j'), KeyCode::Down, KeyCode::Char('q'), KeyCode::Enter]
        );
        assert!(!p.waiting());
    }

    #[test]
    fn a_sequence_split_across_packets_is_one_key() {
        let mut p = Parser::new();
        assert!(p.feed(b"\x1b").is_empty());
        assert!(p.waiting(), "a lone Esc at the end of a packet waits");
        assert!(p.feed(b"[").is_empty());
        assert_eq!(keys(&p.feed(b"A")), [KeyCode::Up]);
        assert!(p.feed(b"\x1b[5").is_empty());
        assert_eq!(keys(&p.feed(b"~")), [KeyCode::PageUp]);
    }

    #[test]
    fn a_lone_esc_is_the_esc_key_after_the_wait() {
        let mut p = Parser::new();
        assert!(p.feed(b"\x1b").is_empty());
        assert_eq!(keys(&p.timeout()), [KeyCode::Esc]);
        assert!(!p.waiting());
    }

    #[test]
    fn an_unfinished_sequence_becomes_esc_and_its_characters() {
        let mut p = Parser::new();
        assert!(p.feed(b"\x1b[").is_empty());
        assert_eq!(keys(&p.timeout()), [KeyCode::Esc, KeyCode::Char('[')]);
    }

    #[test]
    fn ctrl_c_utf8_split_and_mouse() {
        let mut p = Parser::new();
        let ctrl_c = p.feed(b"\x03");
        assert!(matches!(
            ctrl_c[..],
            [Event::Key(KeyEvent {
                code: KeyCode::Char('c'),
                modifiers: KeyModifiers::CONTROL,
                ..
            })]
        ));
        let e_acute = "é".as_bytes();
        assert!(p.feed(&e_acute[..1]).is_empty());
        assert_eq!(keys(&p.feed(&e_acute[1..])), [KeyCode::Char('é')]);
        let mouse = p.feed(b"\x1b[<0;10;5M");
        assert!(
            matches!(mouse[..], [Event::Mouse(m)] if m.kind == MouseEventKind::Down(ratatui::crossterm::event::MouseButton::Left) && m.column == 9 && m.row == 4),
            "{mouse:?}"
        );
    }

    #[test]
    fn paste_is_one_event() {
        let mut p = Parser::new();
        let events = p.feed(b"\x1b[200~hello\x1b[201~");
        assert!(matches!(&events[..], [Event::Paste(text)] if text == "hello"), "{events:?}");
    }

    #[test]
    fn garbage_and_endless_sequences_do_not_grow_or_panic() {
        let mut p = Parser::new();
        let mut endless = b"\x1b[".to_vec();
        endless.extend(std::iter::repeat_n(b'1', 100_000));
        let _ = p.feed(&endless);
        assert!(p.pending.len() <= MAX_PENDING + 1);
        let noise: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
        let _ = p.feed(&noise);
        let _ = p.timeout();
        assert!(!p.waiting());
        assert_eq!(keys(&p.feed(b"q")), [KeyCode::Char('q')], "still parses after garbage");
    }
}
