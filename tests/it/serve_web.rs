//! The web transport (`stemcell serve --web`), with a WebSocket client on loopback standing in
//! for a browser (tokio-tungstenite) and a vt100 parser reading the screen: the page and its
//! headers, joining with the code, refusals (wrong code and shut-out, a foreign `Origin`,
//! oversize and garbage messages), a resume after a dropped socket, a web and an SSH student
//! in one class question, and a browser that never reads.

// Points here are 0 or 1, exact in binary: exact comparison is right.
#![allow(clippy::float_cmp)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use stemcell::class::protocol::{ClassView, Place, TeacherAction, ToClass};
use stemcell::class::results::{self, Format};
use stemcell::class::room::{self as class, ClassHandle, ClassOptions};
use stemcell::content::{self, load::PackSource};
use stemcell::course::{Answer, Course};
use stemcell::quiz;
use stemcell::serve::auth::{Gate, Policy};
use stemcell::serve::rules::{Limits, Shared};
use stemcell::serve::ssh::{hostkey, server};
use stemcell::serve::web;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::serve_transport::{CODE, Student};

pub const SEED: u64 = 7;

/// A class with both transports on one set of rules, and its results store.
pub struct Class {
    pub ssh: SocketAddr,
    pub web: SocketAddr,
    pub shared: Arc<Shared>,
    pub handle: ClassHandle,
    pub course: Arc<Course>,
    pub db: PathBuf,
    pub number: i64,
    pub writer: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Class {
    /// Every test's store goes with it, also one that never ends its class.
    fn drop(&mut self) {
        if let Some(dir) = self.db.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

pub fn limits() -> Limits {
    Limits {
        stall: Duration::from_secs(2),
        handshake: Duration::from_secs(5),
        connections_per_minute: 1000,
        ..Limits::default()
    }
}

pub async fn start(name: &str, limits: Limits, policy: Policy) -> Class {
    let course = Arc::new(content::load(&PackSource::BuiltIn).expect("loads").course);
    let dir = std::env::temp_dir().join(format!("stemcell-web-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let db = dir.join(results::FILE_NAME);
    let (writer, number, thread) = results::start(&db, &course).expect("the store opens");
    let (handle, _task) = class::spawn(Arc::clone(&course), ClassOptions::default(), Some(writer));
    let gate = Gate::new(Some(CODE.to_owned()), policy);
    let shared =
        Arc::new(Shared::new(Arc::clone(&course), gate, limits, SEED).with_class(handle.clone()));
    let loopback: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let ssh = server::start(loopback, hostkey::generate().unwrap(), Arc::clone(&shared))
        .await
        .expect("ssh starts")
        .addr;
    let web = web::start(loopback, Arc::clone(&shared)).await.expect("web starts").addr;
    Class { ssh, web, shared, handle, course, db, number, writer: Some(thread) }
}

impl Class {
    pub async fn teacher(&self, action: TeacherAction) {
        self.handle.sender().send(ToClass::Teacher(action)).await.unwrap();
    }

    pub async fn view_until(&self, test: impl Fn(&ClassView) -> bool) -> ClassView {
        let mut view = self.handle.view();
        let _ = tokio::time::timeout(Duration::from_secs(10), view.wait_for(|v| test(v))).await;
        view.borrow().clone()
    }

    pub async fn end(&mut self) {
        self.teacher(TeacherAction::End).await;
        let writer = self.writer.take().unwrap();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !writer.is_finished() && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(writer.is_finished(), "the results writer finishes when the class ends");
        writer.join().unwrap();
        let _ = std::fs::remove_dir_all(self.db.parent().unwrap());
    }
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n.max(1)).unwrap()
}

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Opens the class socket as the page on `origin` would.
async fn open(addr: SocketAddr, origin: Option<&str>) -> Result<Socket, String> {
    let mut request = format!("ws://{addr}/ws").into_client_request().unwrap();
    if let Some(origin) = origin {
        request.headers_mut().insert("origin", origin.parse().unwrap());
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok((socket, _)) => Ok(socket),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            Err(format!("HTTP {}", response.status().as_u16()))
        }
        Err(e) => Err(e.to_string()),
    }
}

/// A browser student: its socket, the screen as drawn, and the server's text messages.
struct WebStudent {
    socket: Socket,
    screen: vt100::Parser,
    /// The text messages (joined, refused, ended), in order.
    said: Vec<serde_json::Value>,
    closed: bool,
}

impl WebStudent {
    /// Opens a socket from the server's own page and sends the join message.
    async fn hello(addr: SocketAddr, hello: serde_json::Value) -> Self {
        let (cols, rows) = (
            hello["cols"].as_u64().unwrap_or(80) as u16,
            hello["rows"].as_u64().unwrap_or(24) as u16,
        );
        let mut socket =
            open(addr, Some(&format!("http://{addr}"))).await.expect("the socket opens");
        socket.send(Message::text(hello.to_string())).await.unwrap();
        Self {
            socket,
            screen: vt100::Parser::new(nz(rows), nz(cols), 0),
            said: Vec::new(),
            closed: false,
        }
    }

    async fn join(addr: SocketAddr, name: &str, code: &str) -> Self {
        Self::hello(addr, serde_json::json!({"name": name, "code": code, "cols": 80, "rows": 24}))
            .await
    }

    fn text(&self) -> String {
        self.screen.screen().contents()
    }

    /// The resume token the server gave at the join.
    fn token(&self) -> Option<String> {
        self.said.iter().find_map(|m| m["joined"]["token"].as_str().map(str::to_owned))
    }

    fn refusal(&self) -> Option<String> {
        self.said.iter().find_map(|m| m["refused"].as_str().map(str::to_owned))
    }

    async fn read_until(&mut self, deadline: tokio::time::Instant) -> bool {
        match tokio::time::timeout_at(deadline, self.socket.next()).await {
            Err(_) => false,
            Ok(None | Some(Err(_) | Ok(Message::Close(_)))) => {
                self.closed = true;
                true
            }
            Ok(Some(Ok(Message::Binary(bytes)))) => {
                self.screen.process(&bytes);
                true
            }
            Ok(Some(Ok(Message::Text(text)))) => {
                self.said.push(serde_json::from_str(text.as_str()).expect("the server says JSON"));
                true
            }
            Ok(Some(Ok(_))) => true,
        }
    }

    async fn wait_for(&mut self, needle: &str) -> bool {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !self.text().contains(needle) {
            if self.closed || !self.read_until(deadline).await {
                return self.text().contains(needle);
            }
        }
        true
    }

    async fn wait_closed(&mut self) -> bool {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !self.closed && self.read_until(deadline).await {}
        self.closed
    }

    async fn send(&mut self, bytes: &[u8]) {
        let _ = self.socket.send(Message::binary(bytes.to_vec())).await;
    }
}

/// One plain HTTP/1.1 request; the response's head and body.
async fn get(addr: SocketAddr, path: &str, extra: &str) -> (String, Vec<u8>) {
    let mut socket = TcpStream::connect(addr).await.unwrap();
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{extra}Connection: close\r\n\r\n");
    socket.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), socket.read_to_end(&mut response))
        .await
        .expect("an answer")
        .unwrap();
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("a head") + 4;
    (String::from_utf8_lossy(&response[..split]).to_lowercase(), response[split..].to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_is_served_with_strict_headers_and_compressed_assets() {
    let class = start("page", limits(), Policy::default()).await;
    let (head, body) = get(class.web, "/", "").await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    let page = String::from_utf8_lossy(&body);
    assert!(page.contains("<html lang=\"en\">") && page.contains("<label for=\"code\">"), "{page}");
    assert!(
        head.contains("content-security-policy: default-src 'none'; script-src 'self';"),
        "{head}"
    );
    assert!(head.contains("connect-src 'self'"), "{head}");
    assert!(head.contains("x-content-type-options: nosniff"), "{head}");
    assert!(head.contains("cache-control: no-store"), "{head}");

    let (head, body) = get(class.web, "/assets/xterm.mjs", "Accept-Encoding: gzip, br\r\n").await;
    assert!(head.contains("content-encoding: gzip"), "{head}");
    assert!(head.contains("content-type: text/javascript"), "{head}");
    let mut unpacked = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&body[..]), &mut unpacked)
        .unwrap();
    assert!(String::from_utf8_lossy(&unpacked).contains("export{"), "the module itself");
    assert!(body.len() < unpacked.len() / 3, "{} of {} bytes", body.len(), unpacked.len());
    let etag =
        head.lines().find_map(|l| l.strip_prefix("etag: ")).expect("an etag").trim().to_owned();
    let (head, _) =
        get(class.web, "/assets/xterm.mjs", &format!("If-None-Match: {etag}\r\n")).await;
    assert!(head.starts_with("http/1.1 304"), "{head}");

    let (head, _) = get(class.web, "/assets/../../etc/passwd", "").await;
    assert!(head.starts_with("http/1.1 404"), "{head}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_joins_with_the_code_and_reads_in_true_colour() {
    let mut class = start("join", limits(), Policy::default()).await;
    let mut ana = WebStudent::join(class.web, "Ana", CODE).await;
    assert!(ana.wait_for("Sections").await, "the class's first screen:\n{}", ana.text());
    assert!(ana.token().is_some_and(|t| t.len() == 32), "{:?}", ana.said);
    let view = class.view_until(|v| v.roster.iter().any(|s| s.name == "Ana" && s.connected)).await;
    assert_eq!(view.roster.len(), 1);
    // 24-bit colour: T picks the light theme, whose RGB colours arrive as they are (an SSH
    // student's are mapped to the nearest of 256).
    ana.send(b"T").await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let rgb = |ana: &WebStudent| {
        let screen = ana.screen.screen();
        (0..24).any(|row| {
            (0..80).any(|col| {
                screen.cell(row, col).is_some_and(|c| {
                    matches!(c.fgcolor(), vt100::Color::Rgb(..))
                        || matches!(c.bgcolor(), vt100::Color::Rgb(..))
                })
            })
        })
    };
    while !rgb(&ana) && ana.read_until(deadline).await {}
    assert!(rgb(&ana), "RGB colours on the screen:\n{}", ana.text());
    ana.send(b"\r").await;
    assert!(ana.wait_for("1/6").await, "keys reach the app:\n{}", ana.text());
    // A resize message redraws at the new size.
    ana.screen.screen_mut().set_size(nz(12), nz(40));
    ana.socket.send(Message::text(r#"{"cols":40,"rows":12}"#)).await.unwrap();
    ana.send(b"\x0c").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
    while ana.read_until(deadline).await {}
    assert!(ana.text().lines().all(|l| l.chars().count() <= 40));
    class.end().await;
    assert!(ana.wait_closed().await, "the end of class closes the socket");
    assert!(ana.said.iter().any(|m| m["ended"].is_number()), "{:?}", ana.said);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_code_is_refused_and_the_address_is_shut_out_for_both_transports() {
    let policy = Policy { failures_per_address: 2, ..Policy::default() };
    let mut class = start("code", limits(), policy).await;
    for attempt in 0..2 {
        let mut guess = WebStudent::join(class.web, "eve", "wrong1").await;
        assert!(guess.wait_closed().await);
        let refusal = guess.refusal().expect("a refusal");
        // The same words an SSH student reads: the first guess is a wrong code, the last one
        // may already be the shut-out.
        let said = refusal.contains("Wrong class code")
            || (attempt == 1 && refusal.contains("shut out for"));
        assert!(said, "{refusal}");
        assert!(guess.text().trim().is_empty(), "nothing of the class is shown");
    }
    // The right code from this address is refused now: on the web (the listener closes a
    // shut-out address before reading its request) …
    let late = open(class.web, Some(&format!("http://{}", class.web))).await;
    assert!(late.is_err(), "the web server closes a shut-out address at once");
    // … and over SSH, even with the right code: one shut-out for both; the SSH student is
    // told why in words, and gets no seat.
    let words = super::serve_transport::refusal_words(class.ssh, "eve", CODE).await;
    assert!(words.contains("shut out for"), "{words}");
    assert_eq!(class.view_until(|_| true).await.roster.len(), 0, "nobody got in");
    assert!(class.shared.stats.refused.load(Ordering::SeqCst) >= 2);
    class.end().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_socket_from_another_sites_page_is_refused() {
    let mut class = start("origin", limits(), Policy::default()).await;
    let foreign = open(class.web, Some("http://evil.example")).await;
    assert_eq!(foreign.err().as_deref(), Some("HTTP 403"));
    let none = open(class.web, None).await;
    assert_eq!(none.err().as_deref(), Some("HTTP 403"), "no Origin: not a page of ours");
    let other_port =
        open(class.web, Some(&format!("http://127.0.0.1:{}", class.web.port() + 1))).await;
    assert_eq!(other_port.err().as_deref(), Some("HTTP 403"));
    assert!(open(class.web, Some(&format!("http://{}", class.web))).await.is_ok());
    class.end().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversize_and_garbage_messages_end_only_their_own_connection() {
    let mut class = start("garbage", limits(), Policy::default()).await;
    let mut ana = WebStudent::join(class.web, "ana", CODE).await;
    assert!(ana.wait_for("Sections").await);

    // Garbage as the first message: refused, with a message.
    let mut socket = open(class.web, Some(&format!("http://{}", class.web))).await.unwrap();
    socket.send(Message::binary(vec![0xff, 0x00, 0x1b, 0x5b])).await.unwrap();
    let reply = tokio::time::timeout(Duration::from_secs(5), socket.next()).await.unwrap();
    let Some(Ok(Message::Text(text))) = reply else { panic!("a refusal, not {reply:?}") };
    assert!(text.contains("refused"), "{text}");
    // Broken JSON as the first message.
    let mut broken = WebStudent::hello(class.web, serde_json::json!({"name": 7})).await;
    assert!(broken.wait_closed().await && broken.refusal().is_some());

    // An oversize message after joining closes that socket.
    let mut big = WebStudent::join(class.web, "big", CODE).await;
    assert!(big.wait_for("Sections").await);
    let _ = big.socket.send(Message::binary(vec![b'a'; 100 * 1024])).await;
    assert!(big.wait_closed().await, "a 100 KiB message ends the connection");
    // A text message that is not a resize closes that socket too.
    let mut odd = WebStudent::join(class.web, "odd", CODE).await;
    assert!(odd.wait_for("Sections").await);
    odd.socket.send(Message::text("\u{0}\u{1b}[31mhello")).await.unwrap();
    assert!(odd.wait_closed().await);

    // Ana is untouched.
    ana.send(b"\r").await;
    assert!(ana.wait_for("1/6").await, "{}", ana.text());
    let view = class.view_until(|v| v.roster.iter().filter(|s| s.connected).count() == 1).await;
    assert!(view.roster.iter().any(|s| s.name == "ana" && s.connected));
    class.end().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_socket_that_says_nothing_is_cut_at_the_handshake_deadline() {
    let limits = Limits { handshake: Duration::from_millis(500), ..limits() };
    let mut class = start("silent", limits, Policy::default()).await;
    let mut socket = open(class.web, Some(&format!("http://{}", class.web))).await.unwrap();
    let ended = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(Ok(message)) = socket.next().await {
            if let Message::Close(_) = message {
                break;
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "closed by the server");
    class.end().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_whose_socket_dropped_resumes_with_its_answer() {
    let mut class = start("resume", limits(), Policy::default()).await;
    let mut ana = WebStudent::join(class.web, "ana", CODE).await;
    assert!(ana.wait_for("Sections").await);
    let token = ana.token().expect("a resume token");
    class.teacher(TeacherAction::Ask { section: 1, questions: vec![0, 1] }).await;
    assert!(ana.wait_for("Class question 1 of 2").await, "{}", ana.text());
    let key: &[u8] = match class.course.sections[1].questions[0].answer {
        Answer::TrueFalse(_) => b"t",
        _ => b"1",
    };
    ana.send(key).await;
    ana.send(b"\r").await;
    assert!(ana.wait_for("Your answer is in").await, "{}", ana.text());
    class.view_until(|v| v.live.as_ref().is_some_and(|l| l.answered == 1)).await;

    // The Wi-Fi drops: the old socket is silent, the server still thinks ana is there. Her
    // page comes back with the token and no code.
    let stale = ana;
    let mut back =
        WebStudent::hello(class.web, serde_json::json!({"resume": token, "cols": 80, "rows": 24}))
            .await;
    assert!(back.wait_for("Your answer is in").await, "the answered question:\n{}", back.text());
    assert_eq!(back.said[0]["joined"]["name"], "ana");
    assert_ne!(back.token().as_deref(), Some(token.as_str()), "a new token each time");
    let view = class.view_until(|v| v.roster.iter().all(|s| s.connected)).await;
    assert_eq!(view.roster.len(), 1, "a resume is not a new student");
    assert_eq!(view.live.unwrap().answered, 1, "the answer from before the drop counts");

    // The old token is spent: it lets nobody in without the code.
    let mut replay =
        WebStudent::hello(class.web, serde_json::json!({"resume": token, "cols": 80, "rows": 24}))
            .await;
    assert!(replay.wait_closed().await);
    assert!(replay.refusal().is_some_and(|r| r.contains("code")), "{:?}", replay.said);
    drop(stale);
    class.end().await;
    assert!(back.wait_closed().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ssh_and_a_web_student_answer_one_question_with_one_tally_and_csv() {
    let mut class = start("mixed", limits(), Policy::default()).await;
    let mut ssh = Student::join(class.ssh, "sam", 80, 24).await;
    assert!(ssh.wait_for("Sections").await, "{}", ssh.text());
    let mut web = WebStudent::join(class.web, "wendy", CODE).await;
    assert!(web.wait_for("Sections").await, "{}", web.text());
    // One name registry: a web "sam" cannot join while the SSH sam is in.
    let mut twin = WebStudent::join(class.web, "sam", CODE).await;
    assert!(twin.wait_for("is in this class").await, "{}", twin.text());

    let section = 0;
    let index = class.course.sections[section]
        .questions
        .iter()
        .position(|q| matches!(q.answer, Answer::Choice { multiple: false, .. }))
        .expect("a single-choice question");
    let question = class.course.sections[section].questions[index].clone();
    let Answer::Choice { options, .. } = &question.answer else { unreachable!() };
    let shown = quiz::present_in(&class.course.sections[section], &question, SEED);
    let right = shown.order.iter().position(|&item| options[item].correct).unwrap();
    let wrong = (right + 1) % options.len();
    class.teacher(TeacherAction::Ask { section, questions: vec![index] }).await;
    assert!(ssh.wait_for("Class question 1 of 1").await, "{}", ssh.text());
    assert!(web.wait_for("Class question 1 of 1").await, "{}", web.text());
    ssh.send(format!("{}\r", right + 1).as_bytes()).await;
    web.send(format!("{}\r", wrong + 1).as_bytes()).await;
    class.view_until(|v| v.live.as_ref().is_some_and(|l| l.answered == 2)).await;
    class.teacher(TeacherAction::Reveal).await;
    let view = class.view_until(|v| v.live.as_ref().is_some_and(|l| l.tally.is_some())).await;
    let tally = view.live.unwrap().tally.unwrap();
    let mut picks = vec![0u32; options.len()];
    picks[shown.order[right]] += 1;
    picks[shown.order[wrong]] += 1;
    assert_eq!(tally.picks, picks);
    assert_eq!((tally.right, tally.wrong, tally.missing), (1, 1, 0));
    assert!(ssh.wait_for("Right").await, "{}", ssh.text());
    assert!(web.wait_for("Wrong").await, "{}", web.text());

    class.teacher(TeacherAction::Next).await;
    class.view_until(|v| v.summary.is_some()).await;
    let db = class.db.clone();
    let number = class.number;
    // Keep the store: end without removing it first.
    class.teacher(TeacherAction::End).await;
    let writer = class.writer.take().unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !writer.is_finished() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    writer.join().unwrap();
    let number = number.to_string();
    // The answer log: each student's own pick, whatever transport they came by …
    let log = results::report(&db, Some(&number), Format::Log).expect("the answer log");
    let sam = log.lines().find(|l| l.starts_with("sam,1,")).expect("sam's answer");
    let wendy = log.lines().find(|l| l.starts_with("wendy,1,")).expect("wendy's answer");
    assert!(sam.contains(&options[shown.order[right]].text.replace('"', "\"\"")), "{sam}");
    assert!(wendy.contains(&options[shown.order[wrong]].text.replace('"', "\"\"")), "{wendy}");
    // … and one gradebook: student, score, out of, the question's points.
    let grades = results::report(&db, Some(&number), Format::Csv).expect("the gradebook");
    assert!(grades.lines().any(|l| l.starts_with("sam,1,1,1,")), "{grades}");
    assert!(grades.lines().any(|l| l.starts_with("wendy,0,1,0,")), "{grades}");
    let _ = std::fs::remove_dir_all(db.parent().unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_that_never_reads_is_dropped_without_a_growing_queue() {
    let mut class = start("slow", limits(), Policy::default()).await;
    // A big window, then never another read: frames pile up in the kernel's buffers until the
    // server's send waits, and the stall timeout drops it.
    // Its socket takes little into its receive buffer, as a frozen tab's would soon be full.
    let tcp = tokio::net::TcpSocket::new_v4().unwrap();
    tcp.set_recv_buffer_size(4096).unwrap();
    let tcp = tcp.connect(class.web).await.unwrap();
    let mut request = format!("ws://{}/ws", class.web).into_client_request().unwrap();
    request.headers_mut().insert("origin", format!("http://{}", class.web).parse().unwrap());
    let (mut slow, _) =
        tokio_tungstenite::client_async(request, MaybeTlsStream::Plain(tcp)).await.unwrap();
    let hello = serde_json::json!({"name": "slow", "code": CODE, "cols": 400, "rows": 150});
    slow.send(Message::text(hello.to_string())).await.unwrap();
    let mut ana = WebStudent::join(class.web, "ana", CODE).await;
    assert!(ana.wait_for("Sections").await);
    class.teacher(TeacherAction::Follow(true)).await;
    // The teacher keeps moving (new frames for everyone) until the stuck browser is dropped,
    // or 30 s (a bound, on a machine busy enough to be slow).
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let mut moves = 0;
    while class.shared.stats.dropped_slow.load(Ordering::SeqCst) == 0
        && tokio::time::Instant::now() < deadline
    {
        let place = Place { section: moves % 6, block: None };
        class.teacher(TeacherAction::At(place)).await;
        moves += 1;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(class.shared.stats.dropped_slow.load(Ordering::SeqCst), 1, "the stuck browser went");
    let largest = class.shared.stats.largest_frame.load(Ordering::SeqCst);
    assert!(largest < 1 << 20, "at most a frame or two waits for it: {largest} bytes");
    // The class goes on for the others: Ana follows the teacher to the last section.
    class.teacher(TeacherAction::At(Place { section: 5, block: None })).await;
    assert!(ana.wait_for("6/6").await, "{}", ana.text());
    drop(slow);
    class.end().await;
}
