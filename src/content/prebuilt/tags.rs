//! The node tags of the built-in pack's prebuilt trees: written by `build.rs` (which includes
//! this file) and read by `content/prebuilt.rs`, so that the two cannot disagree.

pub const STRING: u8 = 0;
pub const INTEGER: u8 = 1;
pub const FLOAT: u8 = 2;
pub const BOOLEAN: u8 = 3;
pub const DATETIME: u8 = 4;
pub const ARRAY: u8 = 5;
pub const TABLE: u8 = 6;
/// A string that stands unchanged in the file's text: its offset and length there.
pub const STRING_IN_TEXT: u8 = 7;
