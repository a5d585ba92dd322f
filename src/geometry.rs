//! Screen geometry: where the parts of each screen go in a window. Both `update` (mouse hits,
//! page sizes, the reader's text width) and the views (`ui/`) use it, so the app does not
//! reach into the views for arithmetic. What `update` still asks the views: where a click on a
//! quiz line lands and how far the quiz or help can scroll (`ui::quiz::target_at`,
//! `ui::quiz::scroll_range`, `ui::help::max_scroll`), because those follow from the text as the
//! views wrap it; and the theme's name (`ui::theme::ThemeName`), a setting.

pub mod areas;
pub mod quiz;
pub mod reader;
