//! The SSH transport: russh's server with the class's rules (`server.rs`), the host key that
//! students' `ssh` learns to trust (`hostkey.rs`), and a channel as the runner's outlet
//! (`outlet.rs`).

pub mod hostkey;
pub mod outlet;
pub mod server;
