//! A WebSocket as the runner's [`Outlet`]: frames go out as binary messages (the send waits
//! while the browser's TCP window is full, which is how a slow reader shows, and the runner
//! drops a client stalled past its limit); the end of a session is a text message with the exit
//! status, then a close, so the page knows not to reconnect.

use std::io;
use std::sync::Arc;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures_util::SinkExt;
use futures_util::stream::SplitSink;
use tokio::sync::Mutex;

use crate::serve::runner::Outlet;

/// The sending half, shared with the keepalive pings.
pub type Sender = Arc<Mutex<SplitSink<WebSocket, Message>>>;

pub struct SocketOutlet(pub Sender);

impl Outlet for SocketOutlet {
    async fn send(&mut self, bytes: Vec<u8>) -> io::Result<()> {
        let mut sink = self.0.lock().await;
        sink.send(Message::Binary(bytes.into()))
            .await
            .map_err(|e| io::Error::new(io::ErrorKind::BrokenPipe, e))
    }

    async fn close(&mut self, status: u32) {
        let mut sink = self.0.lock().await;
        let _ = sink.send(Message::Text(format!("{{\"ended\":{status}}}").into())).await;
        let _ = sink
            .send(Message::Close(Some(CloseFrame {
                code: 1000,
                reason: "class session over".into(),
            })))
            .await;
    }
}
