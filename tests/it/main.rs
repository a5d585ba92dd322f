//! Integration tests, in one binary to keep links few on small machines:
//! whole screens (snapshots and styles), the command line, and the real program in a
//! pseudo-terminal.

mod cli;
mod example_pack;
mod hostile;
mod props;
mod pty;
mod redraw;
mod screens;
mod serve_browser;
mod serve_class;
mod serve_console;
mod serve_ssh;
mod serve_tls;
mod serve_transport;
mod serve_web;
mod support;
mod terminal;
