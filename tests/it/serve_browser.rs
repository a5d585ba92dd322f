//! The web class in a real browser: Debian's chromium driven by playwright-core
//! (tests/browser/class.mjs) joins at phone size, answers a class question by tapping, sees the
//! reveal, is resized to a laptop, loses the network and comes back with its answer; the join
//! page passes axe-core. Without node, chromium or `npm ci` in tests/browser it says so loudly
//! and passes, except under CI=true, where it fails.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use stemcell::class::protocol::TeacherAction;
use stemcell::course::Answer;
use stemcell::quiz;
use stemcell::serve::auth::Policy;
use stemcell::serve::rules::Limits;

use super::serve_transport::CODE;
use super::serve_web::{limits, start};

/// A TCP relay between the browser and the server, to lose the network on demand: a cut
/// closes the browser's side of every connection and leaves the server's side open and
/// silent, as a Wi-Fi drop does (the server finds out only by its own timers, or a resume).
struct Proxy {
    addr: std::net::SocketAddr,
    relays: Arc<Mutex<Vec<tokio::task::JoinHandle<()>>>>,
    /// Duplicates of the server-side sockets, kept open after a cut.
    silent: Arc<Mutex<Vec<std::net::TcpStream>>>,
}

impl Proxy {
    async fn start(server: std::net::SocketAddr) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let relays = Arc::new(Mutex::new(Vec::new()));
        let silent = Arc::new(Mutex::new(Vec::new()));
        let (tasks, kept) = (Arc::clone(&relays), Arc::clone(&silent));
        tokio::spawn(async move {
            while let Ok((mut browser, _)) = listener.accept().await {
                let Ok(upstream) = tokio::net::TcpStream::connect(server).await else { continue };
                let std = upstream.into_std().unwrap();
                kept.lock().unwrap().push(std.try_clone().unwrap());
                let mut upstream = tokio::net::TcpStream::from_std(std).unwrap();
                let relay = tokio::spawn(async move {
                    let _ = tokio::io::copy_bidirectional(&mut browser, &mut upstream).await;
                });
                tasks.lock().unwrap().push(relay);
            }
        });
        Self { addr, relays, silent }
    }

    fn cut_browser_side(&self) {
        for relay in self.relays.lock().unwrap().drain(..) {
            relay.abort();
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.silent.lock().unwrap().clear();
    }
}

/// Why the browser cannot run here, if it cannot.
fn missing() -> Option<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    if !Path::new(&chromium).exists() {
        return Some(format!("no chromium at {chromium} (apt-get install chromium)"));
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("no node".to_owned());
    }
    if !dir.join("node_modules/playwright-core").exists() {
        return Some("no tests/browser/node_modules (run .ci/setup, or npm ci there)".to_owned());
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_browser_joins_answers_by_tapping_sees_the_reveal_and_comes_back() {
    if let Some(why) = missing() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "the browser test cannot run: {why}");
        eprintln!("\n*** SKIPPED the real-browser test: {why} ***\n");
        return;
    }
    // A real browser on a loaded machine can be slow to read for a moment: the stall rule
    // (tested on its own in serve_web) is kept at its default here, not the 2 s of the other
    // tests, so a busy CI machine does not cut the phone mid-question.
    let limits = Limits { stall: Limits::default().stall, ..limits() };
    let mut class = start("browser", limits, Policy::default()).await;
    let proxy = Proxy::start(class.web).await;
    let shots = std::env::var("STEMCELL_SCREENSHOTS").unwrap_or_default();
    let mut node = Command::new("node")
        .arg("class.mjs")
        .arg(format!("http://{}", proxy.addr))
        .arg(CODE)
        .arg(&shots)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node starts");
    let mut to_node = node.stdin.take().unwrap();
    let (tx, mut from_node) = tokio::sync::mpsc::unbounded_channel();
    let stdout = node.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut expect = async |word: &str| -> String {
        let line = tokio::time::timeout(Duration::from_secs(60), from_node.recv())
            .await
            .unwrap_or_else(|_| panic!("no {word} from the browser in 60 s"))
            .unwrap_or_else(|| panic!("the browser test ended before {word}"));
        if !line.starts_with(word) {
            // A failure's message goes on over several lines (the terminal's text): all of it.
            let mut said = line;
            while let Ok(Some(more)) =
                tokio::time::timeout(Duration::from_secs(2), from_node.recv()).await
            {
                said.push('\n');
                said.push_str(&more);
            }
            panic!("expected {word}, the browser said: {said}");
        }
        line
    };

    let axe = expect("AXE").await;
    assert!(axe.starts_with("AXE 0 "), "serious or critical accessibility problems: {axe}");
    let joined = expect("JOINED").await;
    let view = class.view_until(|v| v.roster.iter().any(|s| s.name == "Tess")).await;
    assert_eq!(view.roster.len(), 1, "{joined}");
    let phone_cols: usize = joined[7..].trim().parse().unwrap();
    assert!((30..=60).contains(&phone_cols), "a phone's width in columns: {phone_cols}");

    let section = 0;
    let index = class.course.sections[section]
        .questions
        .iter()
        .position(|q| matches!(q.answer, Answer::Choice { multiple: false, .. }))
        .unwrap();
    let question = class.course.sections[section].questions[index].clone();
    let Answer::Choice { options, .. } = &question.answer else { unreachable!() };
    let shown = quiz::present(&question, super::serve_web::SEED);
    // Tess taps the second option as shown on her screen.
    let item = shown.order[1];
    class.teacher(TeacherAction::Ask { section, questions: vec![index] }).await;
    writeln!(to_node, "ASKED {}", options[item].text).unwrap();
    expect("ANSWERED").await;
    let view = class.view_until(|v| v.live.as_ref().is_some_and(|l| l.answered == 1)).await;
    assert_eq!(view.live.as_ref().map(|l| l.answered), Some(1));
    class.teacher(TeacherAction::Reveal).await;
    let view = class.view_until(|v| v.live.as_ref().is_some_and(|l| l.tally.is_some())).await;
    let tally = view.live.unwrap().tally.unwrap();
    let mut picks = vec![0u32; options.len()];
    picks[item] = 1;
    assert_eq!(tally.picks, picks, "the tapped option is the one counted");
    writeln!(to_node, "REVEALED").unwrap();
    let saw = expect("SAW").await;
    let verdict = if options[item].correct { "Right" } else { "Wrong" };
    assert_eq!(saw, format!("SAW {verdict}"));
    let resized = expect("RESIZED").await;
    let laptop_cols: usize = resized[8..].trim().parse().unwrap();
    assert!(laptop_cols > phone_cols + 40, "{phone_cols} → {laptop_cols} columns");
    proxy.cut_browser_side();
    expect("LOST").await;
    expect("BACK").await;
    let problems = expect("PROBLEMS").await;
    assert!(problems.starts_with("PROBLEMS 0 "), "{problems}");
    let view = class.view_until(|v| v.roster.iter().all(|s| s.connected)).await;
    assert_eq!(view.roster.len(), 1, "the reconnect is the same student");
    assert_eq!(view.roster[0].name, "Tess");
    writeln!(to_node, "DONE").unwrap();
    let status = node.wait().unwrap();
    assert!(status.success());
    class.end().await;
}
