//! A connection the server can cut at any moment. russh owns the socket once a session runs,
//! and a client that stops reading leaves its session waiting on a full socket forever; the
//! handshake deadline, the slow-client rule and a kick all need to end such a connection from
//! outside. Cutting makes every read and write fail at once (waking a read or write that is
//! waiting), so russh ends that session and frees what it held.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The switch: cheap to clone, held by the server's timers and the channel's writer.
#[derive(Clone, Debug, Default)]
pub struct Cut {
    inner: Arc<State>,
}

#[derive(Debug, Default)]
struct State {
    cut: AtomicBool,
    /// The peer has sent at least one byte (for the first-word deadline).
    heard: AtomicBool,
    /// The tasks waiting to read and to write, woken by a cut.
    wakers: Mutex<[Option<Waker>; 2]>,
}

impl Cut {
    pub fn new() -> Self {
        Self::default()
    }

    /// Ends the connection: every later read or write fails.
    pub fn cut(&self) {
        self.inner.cut.store(true, Ordering::SeqCst);
        let wakers = std::mem::take(
            &mut *self.inner.wakers.lock().unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        for waker in wakers.into_iter().flatten() {
            waker.wake();
        }
    }

    /// Whether the peer has sent anything yet.
    pub fn heard(&self) -> bool {
        self.inner.heard.load(Ordering::SeqCst)
    }

    pub fn is_cut(&self) -> bool {
        self.inner.cut.load(Ordering::SeqCst)
    }

    /// Wraps a stream so that this switch ends it.
    pub fn wrap<S>(&self, stream: S) -> Cuttable<S> {
        Cuttable { stream, cut: self.clone() }
    }

    fn check(&self, cx: &Context<'_>, slot: usize) -> io::Result<()> {
        if self.is_cut() {
            return Err(io::Error::new(io::ErrorKind::ConnectionAborted, "cut by the server"));
        }
        let mut wakers =
            self.inner.wakers.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        wakers[slot] = Some(cx.waker().clone());
        drop(wakers);
        // A cut between the check and the waker being stored would be missed: check again.
        if self.is_cut() {
            return Err(io::Error::new(io::ErrorKind::ConnectionAborted, "cut by the server"));
        }
        Ok(())
    }
}

/// A stream that a [`Cut`] can end.
#[derive(Debug)]
pub struct Cuttable<S> {
    stream: S,
    cut: Cut,
}

impl<S: AsyncRead + Unpin> AsyncRead for Cuttable<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if let Err(e) = self.cut.check(cx, 0) {
            return Poll::Ready(Err(e));
        }
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.cut.inner.heard.store(true, Ordering::Relaxed);
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Cuttable<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if let Err(e) = self.cut.check(cx, 1) {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Err(e) = self.cut.check(cx, 1) {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    #[tokio::test]
    async fn a_cut_wakes_a_waiting_read_and_fails_it() {
        let (a, mut b) = tokio::io::duplex(64);
        let cut = Cut::new();
        let mut wrapped = cut.wrap(a);
        let reader = tokio::spawn(async move {
            let mut buf = [0u8; 8];
            wrapped.read(&mut buf).await
        });
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        cut.cut();
        let result = tokio::time::timeout(std::time::Duration::from_secs(5), reader).await;
        assert!(result.expect("the read was woken").unwrap().is_err());
        // The other end sees the connection go (the wrapped stream was dropped).
        let _ = b.write_all(b"x").await;
    }
}
