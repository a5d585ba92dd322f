//! The live classroom under load with both transports: a server with SSH and the web, and N
//! simulated students over loopback, half over SSH and half as browsers over the WebSocket
//! (`classroom_load_mixed/web_student.rs`), each pressing a key about once a second, then a
//! class question answered by all and revealed. (The SSH-only figures: `classroom_load`.)
//! Prints, for each N: the time for all to connect; the server's memory in all and per
//! student; the server's CPU while the students type; key-to-redraw latency at the student
//! (p50/p95); answer-to-tally latency at the console; reveal-to-every-screen latency; the
//! bytes each student received for the reveal, SSH and web apart.
//!
//! `cargo run --release --example classroom_load_mixed [-- 30 100 300]`
//!
//! The server and the students run in two child processes of this one, so that the server's
//! memory and CPU are its own (read from /proc: Linux only). Bounded: every wait has a deadline.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

#[path = "classroom_load_mixed/web_student.rs"]
mod web_student;

use std::sync::atomic::{AtomicU64, Ordering};

use russh::client;
use stemcell::class::protocol::{TeacherAction, ToClass};
use stemcell::class::room::{self as class, ClassOptions};
use stemcell::content::{self, load::PackSource};
use stemcell::serve::auth::{Gate, Policy};
use stemcell::serve::rules::{Limits, Shared};
use stemcell::serve::ssh::hostkey;
use stemcell::serve::ssh::server;
use stemcell::serve::web;
use tokio::sync::watch;
use web_student::WebStudent;

const CODE: &str = "load-test";
/// How long the students type before the quiz.
const TYPING: Duration = Duration::from_secs(10);
/// The longest any one step may take.
const STEP: Duration = Duration::from_secs(120);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--server") => return server_process(number(&args[1])),
        Some("--students") => {
            return students_process(number(&args[1]), number(&args[2]), number(&args[3]));
        }
        _ => {}
    }
    let counts: Vec<usize> =
        if args.is_empty() { vec![30, 100, 300] } else { args.iter().map(|a| number(a)).collect() };
    println!(
        "students (half web) | connect all | server memory (idle): total, per student | server CPU while typing | key→redraw p50 / p95 | answer→tally p50 / p95 | reveal→all screens (max) | bytes per student for the reveal: ssh, web"
    );
    for n in counts {
        match run(n) {
            Ok(row) => println!("{row}"),
            Err(e) => println!("{n:>8} | failed: {e}"),
        }
    }
}

fn number<T: std::str::FromStr>(s: &str) -> T {
    s.parse().unwrap_or_else(|_| panic!("not a number: {s}"))
}

/// A child process spoken to in lines.
struct Peer {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Peer {
    fn spawn(args: &[String]) -> Self {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the example runs itself");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Self { child, stdin, stdout }
    }

    fn say(&mut self, line: &str) {
        let _ = writeln!(self.stdin, "{line}");
        let _ = self.stdin.flush();
    }

    /// The next line starting with `word`, split after it.
    fn expect(&mut self, word: &str) -> Result<Vec<String>, String> {
        let mut line = String::new();
        loop {
            line.clear();
            if self.stdout.read_line(&mut line).map_err(|e| e.to_string())? == 0 {
                return Err(format!("the child ended before {word}"));
            }
            let mut parts = line.split_whitespace().map(str::to_owned);
            if parts.next().as_deref() == Some(word) {
                return Ok(parts.collect());
            }
        }
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn run(n: usize) -> Result<String, String> {
    let mut server = Peer::spawn(&["--server".into(), n.to_string()]);
    let started = server.expect("PORT")?;
    let (port, web_port, base_kib): (u16, u16, u64) =
        (number(&started[0]), number(&started[1]), number(&started[2]));
    let mut students =
        Peer::spawn(&["--students".into(), n.to_string(), port.to_string(), web_port.to_string()]);
    let connected = students.expect("CONNECTED")?;
    let connect_ms: u64 = number(&connected[0]);
    server.say("RSS");
    let idle_kib: u64 = number(&server.expect("RSS")?[0]);

    server.say("CPU");
    let cpu_before: u64 = number(&server.expect("CPU")?[0]);
    let typing_started = Instant::now();
    students.say("KEYS");
    let keys = students.expect("KEYS")?;
    let typing = typing_started.elapsed();
    server.say("CPU");
    let cpu_after: u64 = number(&server.expect("CPU")?[0]);
    // /proc counts CPU time in ticks of 1/100 s.
    // Ticks are hundredths of a second: ticks per second of wall time, in tenths of a percent.
    let cpu_permille =
        (cpu_after - cpu_before) * 10_000 / u64::try_from(typing.as_millis()).unwrap_or(1).max(1);

    students.say("ANSWER");
    server.say("ASK");
    let answers: Vec<u64> = students.expect("ANSWERS")?.iter().map(|t| number(t)).collect();
    let tallies: Vec<u64> = server.expect("TALLY")?.iter().map(|t| number(t)).collect();
    let mut sent = answers.clone();
    sent.sort_unstable();
    let mut tally_lat: Vec<u64> =
        sent.iter().zip(&tallies).map(|(s, t)| t.saturating_sub(*s)).collect();
    tally_lat.sort_unstable();

    server.say("REVEAL");
    let revealed: u64 = number(&server.expect("REVEALED")?[0]);
    let seen = students.expect("SEEN")?;
    let missed: usize = number(&seen[0]);
    let (ssh_bytes, web_bytes): (u64, u64) = (number(&seen[1]), number(&seen[2]));
    let seen_max = seen[3..].iter().map(|t| number::<u64>(t)).max().unwrap_or(revealed);
    students.say("END");
    server.say("END");

    let total_kib = idle_kib.saturating_sub(base_kib);
    Ok(format!(
        "{n:>8} | {connect_ms:>8} ms | {} MiB, {} KiB | {} % of a core | {} / {} ms ({} keys, {} unanswered) | {} / {} ms | {} ms{} | {ssh_bytes} B, {web_bytes} B",
        tenths(total_kib * 10 / 1024),
        total_kib / n as u64,
        tenths(cpu_permille),
        keys[0],
        keys[1],
        keys[2],
        keys[3],
        tenths(percentile(&tally_lat, 50) / 100),
        tenths(percentile(&tally_lat, 95) / 100),
        tenths(seen_max.saturating_sub(revealed) / 100),
        if missed > 0 { format!(" ({missed} never saw it)") } else { String::new() },
    ))
}

/// A number of tenths, written with one decimal.
fn tenths(n: u64) -> String {
    format!("{}.{}", n / 10, n % 10)
}

fn percentile(sorted: &[u64], p: usize) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

fn micros_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_micros() as u64)
}

/// Resident memory of this process, in KiB.
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// User and system CPU time of this process, in ticks.
fn cpu_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // After the command name in parentheses: fields 14 and 15 (utime, stime).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    fields.get(11).and_then(|u| u.parse::<u64>().ok()).unwrap_or(0)
        + fields.get(12).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0)
}

/// Lines from this process's stdin, on a thread (tokio's stdin is not enabled here).
fn stdin_lines() -> tokio::sync::mpsc::UnboundedReceiver<String> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

// The server: the class and the SSH server, with the teacher's actions from stdin.
fn server_process(n: usize) {
    runtime().block_on(async {
        let course = Arc::new(content::load(&PackSource::BuiltIn).expect("loads").course);
        let base = rss_kib();
        let (class, _task) = class::spawn(Arc::clone(&course), ClassOptions::default(), None);
        let limits = Limits {
            max_students: n + 16,
            connections_per_minute: u32::MAX,
            handshake: STEP,
            ..Limits::default()
        };
        let policy = Policy { failures_per_address: u32::MAX, ..Policy::default() };
        let shared = Shared::new(course, Gate::new(Some(CODE.into()), policy), limits, 1)
            .with_class(class.clone());
        let key = hostkey::generate().unwrap();
        let shared = Arc::new(shared);
        let running =
            server::start("127.0.0.1:0".parse().unwrap(), key, Arc::clone(&shared)).await.unwrap();
        let web = web::start("127.0.0.1:0".parse().unwrap(), shared).await.unwrap();
        println!("PORT {} {} {base}", running.addr.port(), web.addr.port());
        let teacher = class.sender();
        let mut lines = stdin_lines();
        while let Some(line) = lines.recv().await {
            match line.as_str() {
                "RSS" => println!("RSS {}", rss_kib()),
                "CPU" => println!("CPU {}", cpu_ticks()),
                "ASK" => {
                    let mut view = class.view();
                    let mut times = Vec::new();
                    let mut seen = 0;
                    let ask = TeacherAction::Ask { section: 0, questions: vec![1] };
                    let _ = teacher.send(ToClass::Teacher(ask)).await;
                    let deadline = tokio::time::Instant::now() + STEP;
                    while seen < n {
                        let Ok(Ok(())) = tokio::time::timeout_at(deadline, view.changed()).await
                        else {
                            break;
                        };
                        let answered =
                            view.borrow_and_update().live.as_ref().map_or(0, |l| l.answered);
                        let now = micros_now();
                        while seen < answered {
                            times.push(now);
                            seen += 1;
                        }
                    }
                    let list: Vec<String> = times.iter().map(u64::to_string).collect();
                    println!("TALLY {}", list.join(" "));
                }
                "REVEAL" => {
                    let at = micros_now();
                    let _ = teacher.send(ToClass::Teacher(TeacherAction::Reveal)).await;
                    println!("REVEALED {at}");
                }
                _ => break,
            }
        }
        running.stop().await;
        web.stop().await;
    });
}

struct Trusting;

impl client::Handler for Trusting {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        _key: &russh::keys::PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

/// One simulated student over either transport: a terminal emulator fed by a reader task, a
/// counter of frames and of bytes received.
struct Student {
    way: Way,
    screen: Arc<Mutex<vt100::Parser>>,
    frames: watch::Receiver<u64>,
    bytes: Arc<AtomicU64>,
}

enum Way {
    /// The channel, and the connection kept open for as long as the student is.
    Ssh(russh::ChannelWriteHalf<client::Msg>, #[allow(dead_code)] client::Handle<Trusting>),
    Web(WebStudent),
}

impl Student {
    async fn join_web(port: u16, name: String) -> Result<Self, String> {
        let web = WebStudent::join(port, name, CODE).await?;
        let (screen, frames, bytes) =
            (Arc::clone(&web.screen), web.frames.clone(), Arc::clone(&web.bytes));
        Ok(Self { way: Way::Web(web), screen, frames, bytes })
    }

    async fn join(port: u16, name: String) -> Result<Self, russh::Error> {
        let config = Arc::new(client::Config::default());
        let mut handle = client::connect(config, ("127.0.0.1", port), Trusting).await?;
        if !handle.authenticate_password(name, CODE).await?.success() {
            return Err(russh::Error::NotAuthenticated);
        }
        let channel = handle.channel_open_session().await?;
        channel.request_pty(false, "xterm-256color", 80, 24, 0, 0, &[]).await?;
        channel.request_shell(false).await?;
        let (mut read, write) = channel.split();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            24.try_into().unwrap(),
            80.try_into().unwrap(),
            0,
        )));
        let (tx, frames) = watch::channel(0u64);
        let bytes = Arc::new(AtomicU64::new(0));
        let (sink, counted) = (Arc::clone(&screen), Arc::clone(&bytes));
        tokio::spawn(async move {
            while let Some(msg) = read.wait().await {
                if let russh::ChannelMsg::Data { data } = msg {
                    counted.fetch_add(data.len() as u64, Ordering::Relaxed);
                    sink.lock().unwrap().process(&data);
                    tx.send_modify(|n| *n += 1);
                }
            }
        });
        Ok(Self { way: Way::Ssh(write, handle), screen, frames, bytes })
    }

    fn is_web(&self) -> bool {
        matches!(self.way, Way::Web(_))
    }

    fn shows(&self, text: &str) -> bool {
        self.screen.lock().unwrap().screen().contents().contains(text)
    }

    /// Waits until the screen shows `text`; the time it first did, or none at the deadline.
    async fn wait_for(&mut self, text: &str, deadline: tokio::time::Instant) -> Option<u64> {
        loop {
            if self.shows(text) {
                return Some(micros_now());
            }
            match tokio::time::timeout_at(deadline, self.frames.changed()).await {
                Ok(Ok(())) => {}
                _ => return None,
            }
        }
    }

    async fn send(&self, bytes: &[u8]) {
        match &self.way {
            Way::Ssh(channel, _) => {
                let _ = channel.data_bytes(bytes.to_vec()).await;
            }
            Way::Web(web) => web.send(bytes).await,
        }
    }
}

// The students: connect all, type, answer, watch for the reveal; results on stdout. One
// script in order, as the lead process sends its steps.
#[allow(clippy::too_many_lines)]
fn students_process(n: usize, port: u16, web_port: u16) {
    runtime().block_on(async move {
        let started = Instant::now();
        let deadline = tokio::time::Instant::now() + STEP;
        // At most 32 handshakes at once, as a class arriving over a minute or so would be.
        let gate = Arc::new(tokio::sync::Semaphore::new(32));
        let mut joining = Vec::new();
        for i in 0..n {
            let gate = Arc::clone(&gate);
            joining.push(tokio::spawn(async move {
                let _permit = gate.acquire().await.ok()?;
                // Every other student is a browser.
                let name = format!("student{i}");
                let mut student = if i % 2 == 1 {
                    Student::join_web(web_port, name).await.ok()?
                } else {
                    Student::join(port, name).await.ok()?
                };
                student.wait_for("Sections", deadline).await?;
                Some(student)
            }));
        }
        let mut students = Vec::new();
        for join in joining {
            if let Ok(Some(student)) = join.await {
                students.push(student);
            }
        }
        println!("CONNECTED {} {}", started.elapsed().as_millis(), students.len());
        // Everyone opens the reader.
        for student in &mut students {
            student.send(b"\r").await;
        }
        for student in &mut students {
            student.wait_for("1/6", deadline).await;
        }

        let mut lines = stdin_lines();
        while let Some(line) = lines.recv().await {
            match line.as_str() {
                "KEYS" => {
                    let tasks: Vec<_> = students
                        .drain(..)
                        .enumerate()
                        .map(|(i, student)| tokio::spawn(type_for_a_while(student, i as u64)))
                        .collect();
                    let mut latencies = Vec::new();
                    let mut lost = 0;
                    for task in tasks {
                        let (student, mine, missed) = task.await.unwrap();
                        latencies.extend(mine);
                        lost += missed;
                        students.push(student);
                    }
                    latencies.sort_unstable();
                    println!(
                        "KEYS {} {} {} {lost}",
                        tenths(percentile(&latencies, 50) / 100),
                        tenths(percentile(&latencies, 95) / 100),
                        latencies.len()
                    );
                }
                "ANSWER" => {
                    let tasks: Vec<_> = students
                        .drain(..)
                        .map(|mut student| {
                            tokio::spawn(async move {
                                let deadline = tokio::time::Instant::now() + STEP;
                                let shown = student.wait_for("Class question", deadline).await;
                                student.send(b"f").await;
                                let at = micros_now();
                                student.send(b"\r").await;
                                (student, shown.map(|_| at))
                            })
                        })
                        .collect();
                    let mut sent = Vec::new();
                    for task in tasks {
                        let (student, at) = task.await.unwrap();
                        sent.extend(at);
                        students.push(student);
                    }
                    let list: Vec<String> = sent.iter().map(u64::to_string).collect();
                    println!("ANSWERS {}", list.join(" "));
                    // Then everyone watches for the reveal, and counts what it cost in bytes
                    // (the frames until the screen is quiet for half a second).
                    let before: Vec<u64> =
                        students.iter().map(|s| s.bytes.load(Ordering::Relaxed)).collect();
                    let tasks: Vec<_> = students
                        .drain(..)
                        .map(|mut student| {
                            tokio::spawn(async move {
                                let deadline = tokio::time::Instant::now() + STEP;
                                let seen = student.wait_for("revealed", deadline).await;
                                while let Ok(Ok(())) = tokio::time::timeout(
                                    Duration::from_millis(500),
                                    student.frames.changed(),
                                )
                                .await
                                {}
                                (student, seen)
                            })
                        })
                        .collect();
                    let mut seen = Vec::new();
                    let mut missed = 0;
                    for task in tasks {
                        let (student, at) = task.await.unwrap();
                        if let Some(at) = at {
                            seen.push(at.to_string());
                        } else {
                            missed += 1;
                            let way = if student.is_web() { "web" } else { "ssh" };
                            let screen = student.screen.lock().unwrap().screen().contents();
                            let top = screen.lines().next().unwrap_or_default().to_owned();
                            eprintln!("missed the reveal ({way}): {top}");
                        }
                        students.push(student);
                    }
                    let mut sums = [(0u64, 0u64); 2];
                    for (student, before) in students.iter().zip(before) {
                        let received = student.bytes.load(Ordering::Relaxed) - before;
                        let sum = &mut sums[usize::from(student.is_web())];
                        sum.0 += received;
                        sum.1 += 1;
                    }
                    let mean = |(total, count): (u64, u64)| total / count.max(1);
                    println!(
                        "SEEN {missed} {} {} {}",
                        mean(sums[0]),
                        mean(sums[1]),
                        seen.join(" ")
                    );
                }
                _ => break,
            }
        }
    });
}

/// Presses Down and Up in turn, about once a second, for [`TYPING`]; the time from each key
/// to the next frame, in µs, and how many keys got no frame within a second.
async fn type_for_a_while(mut student: Student, seed: u64) -> (Student, Vec<u64>, usize) {
    let end = Instant::now() + TYPING;
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    let mut latencies = Vec::new();
    let mut missed = 0;
    let mut down = true;
    while Instant::now() < end {
        state =
            state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let pause = 500 + (state >> 33) % 1000;
        tokio::time::sleep(Duration::from_millis(pause)).await;
        student.frames.borrow_and_update();
        let key: &[u8] = if down { b"\x1b[B" } else { b"\x1b[A" };
        down = !down;
        let sent = Instant::now();
        student.send(key).await;
        match tokio::time::timeout(Duration::from_secs(1), student.frames.changed()).await {
            Ok(Ok(())) => latencies.push(sent.elapsed().as_micros() as u64),
            _ => missed += 1,
        }
    }
    (student, latencies, missed)
}
