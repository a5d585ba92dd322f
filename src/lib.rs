//! stemcell: a terminal explainer for the stem cell therapy course and any course pack.
//! See docs/ARCHITECTURE.md for the architecture; data flows one way:
//! pack files → content (load & validate) → course → app state → ui frames.

pub mod app;
pub mod class;
pub mod cli;
pub mod completions;
pub mod config;
pub mod content;
pub mod course;
pub mod diagram;
pub mod export;
pub mod files;
pub mod fold;
pub mod geometry;
pub mod glossary;
pub mod learner;
pub mod manual;
pub mod page;
pub mod plain;
pub mod quiz;
pub mod report;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod session;
pub mod stats;
pub mod theme_name;
pub mod tui;
pub mod ui;
pub mod wrap;
