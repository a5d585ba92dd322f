//! Integration tests, in one binary to keep links few on small machines:
//! whole screens (snapshots and styles), the command line, and the real program in a
//! pseudo-terminal.

mod cli;
mod example_pack;
mod props;
mod pty;
mod redraw;
mod screens;
mod support;
