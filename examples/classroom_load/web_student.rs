//! One simulated browser student for the load example: a WebSocket to the class page's
//! socket (as the page opens it, with its `Origin`), the join message, and a terminal emulator
//! fed by a reader task, with a counter of frames and of bytes received.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Sink = SplitSink<WebSocketStream<MaybeTlsStream<TcpStream>>, Message>;

pub struct WebStudent {
    sink: tokio::sync::Mutex<Sink>,
    pub screen: Arc<Mutex<vt100::Parser>>,
    pub frames: watch::Receiver<u64>,
    pub bytes: Arc<AtomicU64>,
}

impl WebStudent {
    pub async fn join(
        port: u16,
        name: String,
        code: &str,
        (cols, rows): (u16, u16),
    ) -> Result<Self, String> {
        let mut request =
            format!("ws://127.0.0.1:{port}/ws").into_client_request().map_err(|e| e.to_string())?;
        let origin = format!("http://127.0.0.1:{port}").parse().map_err(|_| "origin")?;
        request.headers_mut().insert("origin", origin);
        let (socket, _) =
            tokio_tungstenite::connect_async(request).await.map_err(|e| e.to_string())?;
        let (mut sink, mut stream) = socket.split();
        let hello = serde_json::json!({"name": name, "code": code, "cols": cols, "rows": rows});
        sink.send(Message::text(hello.to_string())).await.map_err(|e| e.to_string())?;
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            rows.try_into().unwrap(),
            cols.try_into().unwrap(),
            0,
        )));
        let (tx, frames) = watch::channel(0u64);
        let bytes = Arc::new(AtomicU64::new(0));
        let (sink_screen, counted) = (Arc::clone(&screen), Arc::clone(&bytes));
        tokio::spawn(async move {
            while let Some(Ok(message)) = stream.next().await {
                if let Message::Binary(data) = message {
                    counted.fetch_add(data.len() as u64, Ordering::Relaxed);
                    sink_screen.lock().unwrap().process(&data);
                    tx.send_modify(|n| *n += 1);
                }
            }
        });
        Ok(Self { sink: tokio::sync::Mutex::new(sink), screen, frames, bytes })
    }

    pub async fn send(&self, bytes: &[u8]) {
        let _ = self.sink.lock().await.send(Message::binary(bytes.to_vec())).await;
    }
}
