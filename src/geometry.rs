//! Screen geometry: where the parts of each screen go in a window, and the text of the
//! screens whose clicks and scrolling follow from how it wraps (quiz, results, help), laid out
//! without styles. Both `update` (mouse hits, page sizes, scroll limits, the reader's text
//! width) and the views (`ui/`) use it, so the app never reaches into the views, and what a
//! view draws on a row is what a click on that row hits.

pub mod areas;
pub mod help;
pub mod quiz;
pub mod reader;
pub mod results;
pub mod text;
