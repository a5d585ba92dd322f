//! stemcell: a terminal explainer for the stem cell therapy course and any course pack.
//! See DESIGN.md for the architecture; data flows one way:
//! pack files → content (load & validate) → course → app state → ui frames.

pub mod app;
pub mod cli;
pub mod content;
pub mod course;
pub mod diagram;
pub mod page;
pub mod plain;
pub mod quiz;
pub mod tui;
pub mod ui;
