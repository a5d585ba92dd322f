//! The web server's accept side. Every TCP connection (a page load, an asset, a WebSocket) is
//! treated as hostile: an address shut out for wrong codes is closed at once, open connections
//! are capped (a few per seat), each connection must become a joined student within the
//! handshake deadline or it is cut (a slow-loris client holds nothing for long), and every
//! stream can be cut from outside (the slow-client rule, a takeover, a kick). With TLS the
//! handshake runs on the connection's own task, never in the accept loop (a client that stalls
//! mid-handshake must not stop others from connecting), and under the same deadline and cap.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::serve::IncomingStream;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

use crate::serve::cut::{Cut, Cuttable};
use crate::serve::rules::Shared;

use super::admission;

/// Open connections per seat: a page load opens a few in parallel.
const CONNECTIONS_PER_SEAT: usize = 4;

/// The kernel's send buffer per connection. Linux grows it to megabytes for a fast peer; a
/// frozen tab would hold that much of the server's memory before its send waited and the stall
/// rule could see it. A few frames' worth is enough for a class.
const SEND_BUFFER: usize = 128 * 1024;

/// What a request knows of its connection.
#[derive(Clone, Debug)]
pub struct Peer {
    pub addr: SocketAddr,
    /// Ends this connection.
    pub cut: Cut,
    /// Set once a student joined over it: the handshake deadline no longer applies.
    pub joined: Arc<AtomicBool>,
}

impl Connected<IncomingStream<'_, WebListener>> for Peer {
    fn connect_info(stream: IncomingStream<'_, WebListener>) -> Self {
        stream.remote_addr().clone()
    }
}

pub struct WebListener {
    tcp: TcpListener,
    shared: Arc<Shared>,
    open: Arc<Semaphore>,
    tls: Option<TlsAcceptor>,
}

impl WebListener {
    /// With `tls`, every connection is HTTPS.
    pub fn new(tcp: TcpListener, shared: Arc<Shared>, tls: Option<TlsAcceptor>) -> Self {
        let most = shared.limits.max_students.saturating_mul(CONNECTIONS_PER_SEAT).max(16);
        Self { tcp, shared, open: Arc::new(Semaphore::new(most)), tls }
    }
}

impl axum::serve::Listener for WebListener {
    type Io = Connection;
    type Addr = Peer;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((socket, addr)) = self.tcp.accept().await else {
                // Out of file descriptors and the like: wait a little rather than spin.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            };
            if admission::shut_out(&self.shared, addr.ip()) {
                self.shared.stats.refused.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            let Ok(permit) = Arc::clone(&self.open).try_acquire_owned() else {
                self.shared.stats.refused.fetch_add(1, Ordering::Relaxed);
                continue;
            };
            let _ = socket.set_nodelay(true);
            let _ = socket2::SockRef::from(&socket).set_send_buffer_size(SEND_BUFFER);
            let cut = Cut::new();
            let joined = Arc::new(AtomicBool::new(false));
            watch_deadline(&self.shared, cut.clone(), Arc::clone(&joined));
            self.shared.stats.connections.fetch_add(1, Ordering::Relaxed);
            let socket = cut.wrap(socket);
            let stream = match &self.tls {
                Some(tls) => Stream::Handshaking(Box::new(tls.accept(socket))),
                None => Stream::Plain(socket),
            };
            let io = Connection { stream, _permit: permit, shared: Arc::clone(&self.shared) };
            return (io, Peer { addr, cut, joined });
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(Peer {
            addr: self.tcp.local_addr()?,
            cut: Cut::new(),
            joined: Arc::new(AtomicBool::new(false)),
        })
    }
}

/// Cuts the connection when the deadline passes before a student joined over it.
fn watch_deadline(shared: &Arc<Shared>, cut: Cut, joined: Arc<AtomicBool>) {
    let deadline = shared.limits.handshake;
    let shared = Arc::clone(shared);
    tokio::spawn(async move {
        tokio::time::sleep(deadline).await;
        if !joined.load(Ordering::SeqCst) && !cut.is_cut() {
            shared.stats.handshake_timeouts.fetch_add(1, Ordering::Relaxed);
            cut.cut();
        }
    });
}

/// One accepted connection: cuttable, counted, holding its place under the cap.
pub struct Connection {
    stream: Stream,
    _permit: OwnedSemaphorePermit,
    shared: Arc<Shared>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.shared.stats.connections.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The bytes of a connection: plain HTTP, or TLS once its handshake is done.
enum Stream {
    Plain(Cuttable<TcpStream>),
    Handshaking(Box<tokio_rustls::Accept<Cuttable<TcpStream>>>),
    Tls(Box<TlsStream<Cuttable<TcpStream>>>),
    /// The handshake failed (not TLS, a bad client, the deadline): nothing more is read.
    Failed,
}

impl Stream {
    /// Drives a TLS handshake to its end; ready at once for plain HTTP.
    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let Self::Handshaking(accept) = self else {
            return Poll::Ready(match self {
                Self::Failed => Err(io::Error::new(
                    io::ErrorKind::ConnectionAborted,
                    "the TLS handshake failed",
                )),
                _ => Ok(()),
            });
        };
        match std::task::ready!(Pin::new(accept.as_mut()).poll(cx)) {
            Ok(tls) => {
                *self = Self::Tls(Box::new(tls));
                Poll::Ready(Ok(()))
            }
            Err(e) => {
                *self = Self::Failed;
                Poll::Ready(Err(e))
            }
        }
    }
}

impl AsyncRead for Connection {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        std::task::ready!(self.stream.poll_ready(cx))?;
        match &mut self.stream {
            Stream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
            Stream::Handshaking(_) | Stream::Failed => unreachable!("ready above"),
        }
    }
}

impl AsyncWrite for Connection {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        std::task::ready!(self.stream.poll_ready(cx))?;
        match &mut self.stream {
            Stream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
            Stream::Handshaking(_) | Stream::Failed => unreachable!("ready above"),
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        std::task::ready!(self.stream.poll_ready(cx))?;
        match &mut self.stream {
            Stream::Plain(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
            Stream::Handshaking(_) | Stream::Failed => unreachable!("ready above"),
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.stream {
            Stream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
            // Nothing was sent over an unfinished handshake: dropping the socket closes it.
            Stream::Handshaking(_) | Stream::Failed => Poll::Ready(Ok(())),
        }
    }
}
