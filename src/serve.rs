//! The live classroom (`stemcell serve`): an SSH server whose every channel runs its own `App`,
//! one task that owns the class state, and the results store.

pub mod auth;
pub mod channel;
pub mod class;
pub mod cut;
pub mod hostkey;
pub mod input;
pub mod names;
pub mod protocol;
pub mod results;
pub mod server;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::cli::ServeArgs;
use crate::course::Course;

/// The server's limits from the command line.
pub fn limits(args: &ServeArgs) -> server::Limits {
    server::Limits {
        max_students: args.max_students as usize,
        connections_per_minute: args.connections_per_minute,
        handshake: Duration::from_secs(args.handshake_timeout.max(1)),
        idle: Duration::from_secs(args.idle_timeout.max(1) * 60),
        input_bytes_per_second: args.input_rate.max(16),
        name_width: usize::from(args.name_width),
        stall: Duration::from_secs(args.stall_timeout.max(1)),
        ..server::Limits::default()
    }
}

/// `stemcell serve`: the host key, the class, the server, and the console on this terminal
/// until the teacher ends the class.
pub fn run(course: Course, args: &ServeArgs, seed: u64) -> Result<(), String> {
    let key = hostkey::load_or_create(&hostkey::default_path()?)?;
    let code = if args.open { None } else { Some(args.code.clone().unwrap_or_else(auth::generate_code)) };
    let policy = auth::Policy { failures_per_address: args.failed_codes.max(1), ..auth::Policy::default() };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    runtime.block_on(async {
        let shared = Arc::new(server::Shared::new(
            Arc::new(course),
            auth::Gate::new(code.clone(), policy),
            limits(args),
            seed,
        ));
        let addr = SocketAddr::new(args.bind, args.port);
        let running = server::start(addr, key, shared).await.map_err(|e| {
            format!("cannot listen on {addr}: {e} (is another server using the port? try --port)")
        })?;
        // Until the console is attached: the join line, the code, the fingerprint.
        println!("Students join with: ssh -p {} NAME@ADDRESS", running.addr.port());
        match &code {
            Some(code) => println!("Class code: {code}"),
            None => println!("Open class: no code needed"),
        }
        println!("Host key: {}", running.fingerprint);
        println!("Ctrl-C ends the class.");
        let _ = tokio::signal::ctrl_c().await;
        running.stop().await;
        Ok(())
    })
}
