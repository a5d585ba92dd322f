//! One browser's WebSocket, from the join message to the end of its session.
//!
//! The page sends a join message first (JSON text: name and code, or a resume token, and its
//! size), within the handshake deadline; the code is never in the URL. The server answers
//! `{"joined":{…}}` or `{"refused":"…"}`. Then binary messages carry typed bytes one way and
//! frames the other, and a text message `{"cols":…,"rows":…}` is a resize. Whatever a peer
//! sends (garbage, huge messages, nothing at all), it ends only its own connection.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use axum::extract::{ConnectInfo, State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use tokio::sync::{Mutex, mpsc, watch};

use crate::class::names;
use crate::class::protocol::Claim;
use crate::serve::rules::{Budget, Pending, Shared};
use crate::serve::runner::{self, Input, Pty};

use super::Web;
use super::listener::Peer;
use super::outlet::{Sender, SocketOutlet};

/// The largest message or frame a browser may send (axum's default is 64 MiB).
pub const MAX_MESSAGE: usize = 64 * 1024;

/// How many input messages may wait for the session; beyond, keys are dropped (a flood).
const INPUT_QUEUE: usize = 64;

/// The terminal a browser's xterm.js is: 24-bit colour.
pub const BROWSER_TERM: &str = "xterm-direct";

/// The page's first message.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hello {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub code: String,
    /// A token from an earlier join of this browser tab.
    #[serde(default)]
    pub resume: Option<String>,
    pub cols: u32,
    pub rows: u32,
}

/// A resize, the only text message after the join.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Resize {
    cols: u32,
    rows: u32,
}

/// `GET /ws`: only from this server's own page (the `Origin` names this `Host`), with small
/// messages.
pub async fn upgrade(
    State(web): State<Arc<Web>>,
    ConnectInfo(peer): ConnectInfo<Peer>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    if !same_origin(&headers) {
        return (StatusCode::FORBIDDEN, "This class only takes sockets from its own page.\n")
            .into_response();
    }
    ws.max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
        .on_upgrade(move |socket| serve(socket, peer, web))
}

/// Whether the page that opened the socket came from this server: its `Origin`'s host and
/// port are the `Host` asked for. A page on another site cannot set `Origin` (the browser
/// does), so a site a student visits cannot join the class in their name.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let (Some(origin), Some(host)) = (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) else {
        return false;
    };
    let Some(origin_host) =
        origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://"))
    else {
        return false;
    };
    let default_port = if origin.starts_with("https://") { ":443" } else { ":80" };
    let normal = |h: &str| {
        let h = h.trim().to_ascii_lowercase();
        h.strip_suffix(default_port).map_or(h.clone(), str::to_owned)
    };
    !origin_host.contains('/') && normal(origin_host) == normal(host)
}

/// Sends one text message (ignoring a socket that is gone).
async fn say(socket: &mut WebSocket, text: String) {
    let _ = socket.send(Message::Text(text.into())).await;
}

/// Refuses with a message the page shows, then closes.
async fn refuse(mut socket: WebSocket, why: &str) {
    let body = serde_json::json!({ "refused": why }).to_string();
    say(&mut socket, body).await;
    let _ = socket
        .send(Message::Close(Some(CloseFrame { code: 1008, reason: "refused".into() })))
        .await;
}

/// Serves one socket to its end.
async fn serve(mut socket: WebSocket, peer: Peer, web: Arc<Web>) {
    let shared = Arc::clone(&web.shared);
    let ip = peer.addr.ip();
    // The same admission as over SSH: a joining place now, a seat only once the code (or a
    // resume token) is accepted, so sockets that never join cannot fill the class.
    let mut pending = match shared.arrive(ip) {
        Ok(pending) => pending,
        Err(why) => return refuse(socket, &why.message()).await,
    };
    let hello = match first_message(&mut socket, shared.limits.handshake).await {
        Ok(hello) => hello,
        Err(why) => return refuse(socket, why).await,
    };
    let (name, claim) = match admit(&web, &mut pending, &hello).await {
        Ok(admitted) => admitted,
        Err(why) => return refuse(socket, &why).await,
    };
    let seat = match pending.take_seat() {
        Ok(seat) => seat,
        Err(why) => return refuse(socket, &why.message()).await,
    };
    drop(pending);
    peer.joined.store(true, Ordering::SeqCst);

    let (ended_tx, ended_rx) = watch::channel(());
    let words = super::resume::Words::default();
    let token = web.resumes.issue(&name, Arc::clone(&words), peer.cut.clone(), ended_rx);
    say(&mut socket, serde_json::json!({ "joined": { "name": name, "token": token } }).to_string())
        .await;

    let (sink, stream) = socket.split();
    let sink: Sender = Arc::new(Mutex::new(sink));
    let (input_tx, input_rx) = mpsc::channel(INPUT_QUEUE);
    let start = runner::Start {
        shared: Arc::clone(&shared),
        name,
        pty: Pty { term: BROWSER_TERM.to_owned(), cols: hello.cols, rows: hello.rows },
        input: input_rx,
        outlet: SocketOutlet(Arc::clone(&sink)),
        cut: peer.cut.clone(),
        claim,
        keep_words: Some(words),
    };
    let session = tokio::spawn(async move {
        let _seat = seat;
        runner::supervise(start).await;
        // The class has been told the student left: a takeover may join now.
        drop(ended_tx);
    });
    read_input(stream, &sink, input_tx, &shared, &peer).await;
    let _ = session.await;
}

/// Reads the join message, within the deadline.
async fn first_message(socket: &mut WebSocket, deadline: Duration) -> Result<Hello, &'static str> {
    const GARBLED: &str =
        "The page sent something this server does not understand: reload the page.";
    let message = match tokio::time::timeout(deadline, socket.recv()).await {
        Ok(Some(Ok(message))) => message,
        Ok(_) => return Err("The connection closed before joining."),
        Err(_) => return Err("Too slow to join: reload the page and try again."),
    };
    let Message::Text(text) = message else { return Err(GARBLED) };
    serde_json::from_str::<Hello>(text.as_str()).map_err(|_| GARBLED)
}

/// Lets a browser in: by its resume token (taking its place back), or by name and code.
/// Returns the student's name.
async fn admit(web: &Web, pending: &mut Pending, hello: &Hello) -> Result<(String, Claim), String> {
    if let Some(place) = hello.resume.as_deref().and_then(|token| web.resumes.reclaim(token)) {
        let name = place.name.clone();
        let claim = place.words.clone().map_or(Claim::Nothing, Claim::Words);
        place.take_over().await;
        return Ok((name, claim));
    }
    if hello.resume.is_some() && hello.code.trim().is_empty() && !web.shared.gate.is_open() {
        return Err("Your place could not be kept: type the class code again.".to_owned());
    }
    let name = names::clean(&hello.name, web.shared.limits.name_width)
        .map_err(|_| "Type your name (letters or digits) to join.".to_owned())?;
    web.shared.check_code(pending, &name, &hello.code).map_err(|why| why.message())?;
    Ok((name, Claim::Nothing))
}

/// Passes typed bytes (within the typing budget) and resizes to the session until the socket
/// closes, the session ends, or the peer goes silent; pings keep a quiet socket alive and
/// show a dead one.
async fn read_input(
    mut stream: futures_util::stream::SplitStream<WebSocket>,
    sink: &Sender,
    input: mpsc::Sender<Input>,
    shared: &Shared,
    peer: &Peer,
) {
    let keepalive = shared.limits.keepalive;
    let mut budget = Budget::new(shared.limits.input_bytes_per_second);
    let mut heard = Instant::now();
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + keepalive, keepalive);
    loop {
        let message = tokio::select! {
            message = stream.next() => match message {
                Some(Ok(message)) => message,
                _ => break,
            },
            _ = ping.tick() => {
                // Browsers answer pings by themselves; a peer silent for several pings is gone.
                if heard.elapsed() > keepalive * 3 || heard.elapsed() > shared.limits.idle {
                    break;
                }
                if let Ok(mut sink) = sink.try_lock() {
                    let _ = sink.send(Message::Ping(Vec::new().into())).await;
                }
                continue;
            }
            () = input.closed() => break,
        };
        heard = Instant::now();
        match message {
            Message::Binary(bytes) => {
                let allowed = budget.take(bytes.len());
                if allowed > 0 {
                    // A full queue means typing faster than the app follows: dropped.
                    let _ = input.try_send(Input::Bytes(bytes[..allowed].to_vec()));
                }
            }
            Message::Text(text) => match serde_json::from_str::<Resize>(text.as_str()) {
                Ok(Resize { cols, rows }) => {
                    let _ = input.try_send(Input::Resize { cols, rows });
                }
                // Not a resize: the page is not ours. The connection ends.
                Err(_) => break,
            },
            Message::Close(_) => break,
            Message::Ping(_) | Message::Pong(_) => {}
        }
    }
    drop(input);
    // A session that is still drawing ends when its input does; a socket that stopped
    // reading is cut so the session's writer does not wait for it.
    tokio::time::sleep(Duration::from_millis(50)).await;
    peer.cut.cut();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(origin: Option<&str>, host: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, host.parse().unwrap());
        if let Some(origin) = origin {
            headers.insert(header::ORIGIN, origin.parse().unwrap());
        }
        headers
    }

    #[test]
    fn only_the_servers_own_page_may_open_the_socket() {
        assert!(same_origin(&headers(Some("http://192.168.1.20:8080"), "192.168.1.20:8080")));
        assert!(same_origin(&headers(Some("https://class.example.org"), "class.example.org")));
        assert!(same_origin(&headers(Some("https://class.example.org"), "class.example.org:443")));
        assert!(same_origin(&headers(Some("http://[::1]:8080"), "[::1]:8080")));
        for (origin, host) in [
            (Some("http://evil.example"), "192.168.1.20:8080"),
            (Some("http://192.168.1.20:8081"), "192.168.1.20:8080"),
            (Some("http://192.168.1.20:8080.evil.example"), "192.168.1.20:8080"),
            (Some("http://192.168.1.20:8080/x"), "192.168.1.20:8080"),
            (Some("null"), "192.168.1.20:8080"),
            (Some("file://"), "192.168.1.20:8080"),
            (None, "192.168.1.20:8080"),
        ] {
            assert!(!same_origin(&headers(origin, host)), "{origin:?} for {host}");
        }
    }

    #[test]
    fn the_join_message_is_strict() {
        let hello: Hello =
            serde_json::from_str(r#"{"name":"ana","code":"k7q2xm","cols":80,"rows":24}"#).unwrap();
        assert_eq!((hello.name.as_str(), hello.cols, hello.rows), ("ana", 80, 24));
        assert!(serde_json::from_str::<Hello>(r#"{"name":"ana","cols":80}"#).is_err());
        assert!(
            serde_json::from_str::<Hello>(r#"{"name":"a","cols":1,"rows":1,"admin":true}"#)
                .is_err()
        );
    }
}
