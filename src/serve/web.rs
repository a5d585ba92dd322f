//! The web transport of `stemcell serve --web`: one page with a terminal (xterm.js) and a
//! WebSocket that carries the same bytes an SSH channel carries. A browser student runs the
//! same runner and `App`, joins the same class and obeys the same rules as an SSH student.
//!
//! - `listener.rs`: the accept loop's side (shut-out addresses closed at once, a cap on open
//!   connections, the handshake deadline, every stream cuttable);
//! - `routes.rs`: the HTTP side (the page, the assets, the headers, the `Origin` check);
//! - `socket.rs`: one WebSocket from the join message to the end of the session;
//! - `admission.rs`: the one adapter between this transport and `serve::rules`/`auth`;
//! - `resume.rs`: the tokens that let a browser come back after its socket dropped;
//! - `outlet.rs`: a WebSocket as the runner's [`Outlet`](super::runner::Outlet);
//! - `tls.rs`: `--tls-cert`/`--tls-key`, the page over `https://` (rustls, ring);
//! - `assets.rs` and `page/`: the vendored xterm.js (vendor/xterm/) and our page, embedded.

pub mod admission;
pub mod assets;
pub mod listener;
pub mod outlet;
pub mod resume;
pub mod routes;
pub mod socket;
pub mod tls;

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;

use super::accepting::Accepting;
use super::rules::Shared;

/// What every request of the web transport shares.
pub struct Web {
    pub shared: Arc<Shared>,
    pub resumes: resume::Resumes,
}

/// The web server, accepting browsers.
pub struct Running {
    /// Where it listens (the port given, or the one the system chose for port 0).
    pub addr: SocketAddr,
    accepting: Accepting,
}

impl Running {
    /// Stops accepting; sessions already running go on until they end (as SSH's do).
    pub async fn stop(self) {
        self.accepting.stop().await;
    }
}

/// Binds `addr` and serves the page and the WebSocket on the current tokio runtime.
pub async fn start(addr: SocketAddr, shared: Arc<Shared>) -> std::io::Result<Running> {
    start_with(addr, shared, None).await
}

/// [`start`], over TLS when given an acceptor ([`tls::acceptor`]).
pub async fn start_with(
    addr: SocketAddr,
    shared: Arc<Shared>,
    tls: Option<tokio_rustls::TlsAcceptor>,
) -> std::io::Result<Running> {
    let tcp = TcpListener::bind(addr).await?;
    let addr = tcp.local_addr()?;
    let web = Arc::new(Web {
        resumes: resume::Resumes::new(shared.limits.max_students),
        shared: Arc::clone(&shared),
    });
    let app = routes::router(web).into_make_service_with_connect_info::<listener::Peer>();
    let listener = listener::WebListener::new(tcp, shared, tls);
    let accepting = Accepting::spawn(|stopped| async move {
        // Stopping ends the accept loop only: axum runs each connection on a task of its own,
        // so the students already in stay until the class ends.
        tokio::select! {
            _ = axum::serve(listener, app) => {}
            () = stopped.notified() => {}
        }
    });
    Ok(Running { addr, accepting })
}
