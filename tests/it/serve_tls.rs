//! `stemcell serve --web --tls-cert FILE --tls-key FILE`: a self-signed certificate made in the
//! test (rcgen), a browser's side played by a rustls client and a WebSocket over it (`wss://`):
//! the page over HTTPS, a student joining the class, wrong files refused with the file named
//! (before a class opens, in the real program), plain HTTP to the TLS port refused without a
//! hang, and a client that stalls in the TLS handshake cut at the handshake deadline.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use portable_pty::CommandBuilder;
use stemcell::class::room::{self as class, ClassOptions};
use stemcell::content::{self, load::PackSource};
use stemcell::serve::auth::{Gate, Policy};
use stemcell::serve::rules::{Limits, Shared};
use stemcell::serve::web;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use super::serve_transport::CODE;
use super::terminal::Terminal;

/// A certificate for `localhost` and 127.0.0.1 with its key, written to a fresh folder.
struct Files {
    dir: PathBuf,
    cert: PathBuf,
    key: PathBuf,
    der: CertificateDer<'static>,
}

fn files(name: &str) -> Files {
    let dir = std::env::temp_dir().join(format!("stemcell-tls-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let made =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .expect("a certificate");
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert, made.cert.pem()).unwrap();
    std::fs::write(&key, made.signing_key.serialize_pem()).unwrap();
    Files { dir, cert, key, der: made.cert.der().clone() }
}

impl Drop for Files {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A class whose page is served over TLS only (no SSH server: the transport is the point).
async fn start(files: &Files, limits: Limits) -> (SocketAddr, Arc<Shared>) {
    let course = Arc::new(content::load(&PackSource::BuiltIn).expect("loads").course);
    let (handle, _task) = class::spawn(Arc::clone(&course), ClassOptions::default(), None);
    let gate = Gate::new(Some(CODE.to_owned()), Policy::default());
    let shared = Arc::new(Shared::new(course, gate, limits, 7).with_class(handle));
    let tls = web::tls::acceptor(&files.cert, &files.key).expect("the files are good");
    let web = web::start_with("127.0.0.1:0".parse().unwrap(), Arc::clone(&shared), Some(tls))
        .await
        .expect("web starts");
    (web.addr, shared)
}

fn limits() -> Limits {
    Limits { handshake: Duration::from_secs(20), connections_per_minute: 1000, ..Limits::default() }
}

/// A TLS connection that trusts only the test's certificate, as a browser trusts a real one.
async fn connect(
    addr: SocketAddr,
    der: &CertificateDer<'static>,
) -> tokio_rustls::client::TlsStream<TcpStream> {
    let mut roots = RootCertStore::empty();
    roots.add(der.clone()).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let tcp = TcpStream::connect(addr).await.unwrap();
    TlsConnector::from(Arc::new(config))
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
        .expect("the TLS handshake succeeds with the certificate trusted")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_gets_the_page_over_https_and_joins_the_class_over_wss() {
    let files = files("join");
    let (addr, shared) = start(&files, limits()).await;
    let host = format!("localhost:{}", addr.port());

    let mut page = connect(addr, &files.der).await;
    let request = format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    page.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), page.read_to_end(&mut response))
        .await
        .expect("an answer")
        .ok();
    let response = String::from_utf8_lossy(&response);
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("<html"), "the page itself");

    // The page's own script opens wss://HOST/ws from https://HOST (page.js builds it from
    // `location`): the Origin names the same host, so the socket is let in.
    let tls = connect(addr, &files.der).await;
    let mut request = format!("wss://{host}/ws").into_client_request().unwrap();
    request.headers_mut().insert("origin", format!("https://{host}").parse().unwrap());
    let (mut socket, _) =
        tokio_tungstenite::client_async(request, tls).await.expect("the socket opens over TLS");
    let hello = serde_json::json!({"name": "ana", "code": CODE, "cols": 80, "rows": 24});
    socket.send(Message::text(hello.to_string())).await.unwrap();
    let mut screen = vt100::Parser::new(nz(24), nz(80), 0);
    let mut joined = false;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !(joined && screen.screen().contents().contains("Sections")) {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Ok(Some(Ok(Message::Binary(bytes)))) => screen.process(&bytes),
            Ok(Some(Ok(Message::Text(text)))) => {
                let said: serde_json::Value = serde_json::from_str(text.as_str()).unwrap();
                assert!(said["refused"].is_null(), "refused: {said}");
                joined |= said["joined"]["token"].is_string();
            }
            Ok(Some(Ok(_))) => {}
            other => {
                panic!("the class ended the socket: {other:?}\n{}", screen.screen().contents())
            }
        }
    }
    assert_eq!(shared.stats.sessions.load(Ordering::Relaxed), 1, "ana is in the class");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_to_the_tls_port_is_refused_at_once() {
    let files = files("plain");
    let (addr, _shared) = start(&files, limits()).await;
    let mut tcp = TcpStream::connect(addr).await.unwrap();
    let request = format!("GET / HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    tcp.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    // Well before the 20-second handshake deadline: the failed handshake itself ends it.
    let read = tokio::time::timeout(Duration::from_secs(5), tcp.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the connection is closed, not left hanging");
    assert!(!String::from_utf8_lossy(&answer).contains("<html"), "no page over plain HTTP");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_stalling_in_the_tls_handshake_is_cut_at_the_deadline() {
    let files = files("stall");
    let limits = Limits { handshake: Duration::from_millis(500), ..limits() };
    let (addr, shared) = start(&files, limits).await;
    let mut tcp = TcpStream::connect(addr).await.unwrap();
    // The first bytes of a ClientHello's record, and then nothing.
    tcp.write_all(&[0x16, 0x03, 0x01, 0x02, 0x00]).await.unwrap();
    let mut rest = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), tcp.read_to_end(&mut rest)).await;
    assert!(read.is_ok(), "cut by the server");
    assert_eq!(shared.stats.handshake_timeouts.load(Ordering::Relaxed), 1);
    // Its place under the connection cap is free again.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while shared.stats.connections.load(Ordering::Relaxed) != 0 {
        assert!(tokio::time::Instant::now() < deadline, "the connection is let go");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn refusal(cert: &Path, key: &Path) -> String {
    match web::tls::acceptor(cert, key) {
        Ok(_) => panic!("{} with {} is accepted", cert.display(), key.display()),
        Err(e) => e,
    }
}

#[test]
fn wrong_files_are_refused_naming_the_file_and_what_is_wrong() {
    let good = files("wrong");
    let other = files("other");
    let message = refusal(&good.cert, &other.key);
    assert!(message.contains(&other.key.display().to_string()), "{message}");
    assert!(message.contains("does not belong to the certificate"), "{message}");

    let missing = good.dir.join("nowhere.pem");
    let message = refusal(&missing, &good.key);
    assert!(
        message.contains(&format!("{}: there is no such file", missing.display())),
        "{message}"
    );

    let text = good.dir.join("notes.txt");
    std::fs::write(&text, "not a certificate\n").unwrap();
    let message = refusal(&text, &good.key);
    assert!(message.contains(&text.display().to_string()), "{message}");
    assert!(message.contains("holds no certificate"), "{message}");
    let message = refusal(&good.cert, &text);
    assert!(message.contains("holds no private key"), "{message}");

    // The two files given the wrong way round.
    let message = refusal(&good.key, &good.cert);
    assert!(message.contains("is it the key file?"), "{message}");

    let broken = good.dir.join("broken.pem");
    std::fs::write(&broken, "-----BEGIN CERTIFICATE-----\nMIIB\n").unwrap();
    let message = refusal(&broken, &good.key);
    assert!(message.contains("is not valid PEM"), "{message}");

    let message = refusal(&good.dir, &good.key);
    assert!(message.contains("not a regular file"), "{message}");
}

#[test]
fn the_program_stops_with_the_message_before_a_class_opens() {
    let good = files("program");
    let other = files("program-other");
    let state = crate::support::state_dir("serve-tls-bad-key");
    let _ = std::fs::remove_dir_all(&state);
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_stemcell"));
    for arg in ["serve", "--bind", "127.0.0.1", "--port", "0", "--web", "--web-port", "0"] {
        command.arg(arg);
    }
    command.arg("--tls-cert");
    command.arg(&good.cert);
    command.arg("--tls-key");
    command.arg(&other.key);
    command.env("STEMCELL_STATE_DIR", &state);
    command.env("TERM", "xterm-256color");
    let mut teacher = Terminal::start(command, 200, 30);
    teacher.wait_for("does not belong to the certificate");
    // The exit status serve gives every error that stops it (src/main.rs: 2).
    assert_eq!(teacher.wait_exit().exit_code(), 2);
    assert!(!teacher.screen().contains("Join:"), "no class was opened");
    let results = state.join(stemcell::class::results::FILE_NAME);
    assert!(!results.exists(), "no class was recorded: {}", results.display());
    let _ = std::fs::remove_dir_all(&state);
}

#[test]
fn the_tls_flags_come_together_and_only_with_the_web() {
    let state = crate::support::state_dir("serve-tls-flags");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_stemcell"))
            .args(args)
            .env("STEMCELL_STATE_DIR", &state)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("the binary runs")
    };
    for args in [
        &["serve", "--web", "--tls-cert", "c.pem"][..],
        &["serve", "--web", "--tls-key", "k.pem"],
        &["serve", "--tls-cert", "c.pem", "--tls-key", "k.pem"],
    ] {
        let output = run(args);
        assert_eq!(output.status.code(), Some(1), "{args:?}: a usage error");
        let said = String::from_utf8_lossy(&output.stderr);
        assert!(said.contains("required"), "{args:?}: {said}");
    }
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).unwrap()
}
