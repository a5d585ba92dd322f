//! The class domain of the live classroom, with no transport in it: the messages between the
//! sessions and the class (`protocol.rs`), the one task that owns the class state (`room.rs`),
//! display names (`names.rs`), rejoin words (`words.rs`) and the results store (`results.rs`).
//!
//! Why it stands apart from `serve/`: a student's `App` joins a class whatever carried their
//! keys (an SSH channel or a browser's WebSocket), so `app` depends on this module and never
//! on a transport, and both transports share one roster, one set of names and one store.

pub mod gradebook;
pub mod names;
pub mod protocol;
pub mod results;
pub mod room;
pub mod words;

pub use room::NAME_MAX;
