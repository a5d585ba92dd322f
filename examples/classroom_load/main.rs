//! The live classroom under load, over SSH, the web or both: a server and N simulated students
//! over loopback (`ssh_student.rs`, `web_student.rs`). Each student opens the reader and
//! presses a key about once a second for ten seconds; then the teacher asks one class question
//! by its id, every student answers it as its kind needs (the option, true or false, the steps
//! put in order, the partners, a typed answer), and the teacher reveals it.
//!
//! ```text
//! cargo run --release --example classroom_load -- [--web PERCENT] [--question ID]
//!     [--size COLSxROWS] [--heavy H] [--heavy-size COLSxROWS] [--heavy-rate KEYS] [N ...]
//! ```
//!
//! `--web` is the share of students who join from a browser (0: all SSH, the default 50: half
//! and half, 100: all web); `--question` a question id of the built-in course (default
//! `raw-materials-meaning`); `--size` every student's window (default 80x24); N the class sizes
//! (default 30 100 300).
//!
//! `--heavy H` adds H heavy SSH clients beside the N students: windows of `--heavy-size`
//! (default 400x150), pressing Down and Up `--heavy-rate` times a second (default 30, a held
//! key's repeat) for the ten seconds the students type, reading what they are sent without
//! emulating a terminal. The students' key-to-redraw figures are then what a normal student
//! sees while heavy clients press keys; the heavy clients' frames per second are printed; the
//! question and the reveal are skipped (the heavy clients would be counted as not answering).
//!
//! Prints, for each N: the load average; time for all to connect; the server's memory per idle
//! student (its resident memory once all are connected and reading, less what it held before
//! anyone joined, divided by N); the server's CPU while they type (in % of one core, from
//! /proc/PID/stat of the server process); key-to-redraw latency measured at the students
//! (p50/p95); the time until the reveal is on every screen (p95 and max); the bytes each
//! student received for the reveal. It fails (exit status 1) naming the student and the
//! transport when a student cannot join, an answer is not counted in the class's tally, or a
//! screen never shows the reveal.
//!
//! The server and the students run in two child processes of this one, so that the server's
//! memory and CPU are its own. Bounded: every wait has a deadline, the typing a fixed time.

#[path = "figures.rs"]
mod figures;
#[path = "ssh_student.rs"]
mod ssh_student;
#[path = "web_student.rs"]
mod web_student;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use figures::{TICKS_PER_SECOND, cpu_ticks, micros_now, ms, percentile, rss_kib};
use ssh_student::SshStudent;
use stemcell::class::protocol::{Tally, TeacherAction, ToClass};
use stemcell::class::room::{self as class, ClassOptions};
use stemcell::content::{self, load::PackSource};
use stemcell::course::{Answer, Course, Question};
use stemcell::serve::auth::{Gate, Policy};
use stemcell::serve::rules::{Limits, Shared};
use stemcell::serve::ssh::{hostkey, server};
use stemcell::serve::web;
use tokio::sync::watch;
use web_student::WebStudent;

const CODE: &str = "load-test";
/// How long the students type before the question.
const TYPING: Duration = Duration::from_secs(10);
/// The longest joining may take, for the whole class.
const JOINING: Duration = Duration::from_secs(120);
/// The longest any other step may take.
const STEP: Duration = Duration::from_secs(30);
/// How long a screen may take to show the reveal before it counts as never seen.
const REVEAL_WAIT: Duration = Duration::from_secs(10);
const DEFAULT_QUESTION: &str = "raw-materials-meaning";

/// What the command line asked for.
struct Options {
    web_percent: usize,
    question: String,
    size: (u16, u16),
    counts: Vec<usize>,
    /// Clients with big windows pressing keys fast, beside the students.
    heavy: Heavy,
}

#[derive(Clone, Copy)]
struct Heavy {
    count: usize,
    size: (u16, u16),
    keys_per_second: u32,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--server") => {
            server_process(number(&args[1]), &args[2]);
            return ExitCode::SUCCESS;
        }
        Some("--students") => {
            let (cols, rows) = size(&args[6]);
            let ports = (number(&args[2]), number(&args[3]));
            let heavy = Heavy {
                count: number(&args[7]),
                size: size(&args[8]),
                keys_per_second: number(&args[9]),
            };
            let web = number(&args[4]);
            students_process(number(&args[1]), ports, web, &args[5], (cols, rows), heavy);
            return ExitCode::SUCCESS;
        }
        _ => {}
    }
    let options = match options(&args) {
        Ok(options) => options,
        Err(e) => {
            eprintln!("classroom_load: {e}");
            return ExitCode::from(2);
        }
    };
    let mut failed = false;
    for &n in &options.counts {
        let heavy = if options.heavy.count == 0 {
            String::new()
        } else {
            format!(
                ", and {} heavy SSH clients at {}x{} pressing {} keys/s",
                options.heavy.count,
                options.heavy.size.0,
                options.heavy.size.1,
                options.heavy.keys_per_second
            )
        };
        println!(
            "== {n} students ({}% web, {}% SSH), question {}, windows {}x{}{heavy}, load average {} ==",
            options.web_percent,
            100 - options.web_percent,
            options.question,
            options.size.0,
            options.size.1,
            figures::load_average()
        );
        match run(&options, n) {
            Ok(lines) => {
                for line in lines {
                    println!("  {line}");
                }
            }
            Err(e) => {
                failed = true;
                println!("  FAILED: {e}");
            }
        }
        println!("  load average after: {}", figures::load_average());
    }
    if failed {
        eprintln!("classroom_load: at least one run failed (see FAILED above)");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn options(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        web_percent: 50,
        question: DEFAULT_QUESTION.into(),
        size: (80, 24),
        counts: Vec::new(),
        heavy: Heavy { count: 0, size: (400, 150), keys_per_second: 30 },
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().cloned().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--web" => {
                let v = value("--web")?;
                options.web_percent = v
                    .parse()
                    .ok()
                    .filter(|p| *p <= 100)
                    .ok_or(format!("--web takes a percentage from 0 to 100, not {v:?}"))?;
            }
            "--question" => options.question = value("--question")?,
            "--size" => {
                let v = value("--size")?;
                options.size =
                    parse_size(&v).ok_or(format!("--size takes COLSxROWS, not {v:?}"))?;
            }
            "--heavy" => {
                let v = value("--heavy")?;
                options.heavy.count =
                    v.parse().ok().filter(|n| *n <= 1000).ok_or(format!(
                        "--heavy takes a number of clients up to 1000, not {v:?}"
                    ))?;
            }
            "--heavy-size" => {
                let v = value("--heavy-size")?;
                options.heavy.size =
                    parse_size(&v).ok_or(format!("--heavy-size takes COLSxROWS, not {v:?}"))?;
            }
            "--heavy-rate" => {
                let v = value("--heavy-rate")?;
                options.heavy.keys_per_second =
                    v.parse().ok().filter(|n| (1..=200).contains(n)).ok_or(format!(
                        "--heavy-rate takes keys per second from 1 to 200, not {v:?}"
                    ))?;
            }
            n => options
                .counts
                .push(n.parse().ok().filter(|n| *n > 0).ok_or(format!("not a class size: {n:?}"))?),
        }
    }
    if options.counts.is_empty() {
        options.counts = vec![30, 100, 300];
    }
    let course = course();
    if find_question(&course, &options.question).is_none() {
        return Err(format!(
            "no question with the id {:?} in the built-in course",
            options.question
        ));
    }
    Ok(options)
}

fn parse_size(s: &str) -> Option<(u16, u16)> {
    let (cols, rows) = s.split_once('x')?;
    let (cols, rows) = (cols.parse().ok()?, rows.parse().ok()?);
    (20..=400).contains(&cols).then_some(())?;
    (5..=150).contains(&rows).then_some((cols, rows))
}

fn size(s: &str) -> (u16, u16) {
    parse_size(s).unwrap_or_else(|| panic!("not a size: {s}"))
}

fn number<T: std::str::FromStr>(s: &str) -> T {
    s.parse().unwrap_or_else(|_| panic!("not a number: {s}"))
}

fn course() -> Course {
    content::load(&PackSource::BuiltIn).expect("the built-in course loads").course
}

/// The section and the place in it of the question with this id.
fn find_question(course: &Course, id: &str) -> Option<(usize, usize)> {
    course
        .sections
        .iter()
        .enumerate()
        .find_map(|(s, section)| section.questions.iter().position(|q| q.id == id).map(|q| (s, q)))
}

/// Whether student `i` of a class joins from a browser: spread evenly, `percent` of them.
fn is_web(i: usize, percent: usize) -> bool {
    (i + 1) * percent / 100 != i * percent / 100
}

fn student_name(i: usize, web_percent: usize) -> String {
    if is_web(i, web_percent) { format!("web{i}") } else { format!("ssh{i}") }
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

    /// The next line starting with `word`, split after it. Every child step has its own
    /// deadline, so this returns.
    fn expect(&mut self, word: &str) -> Result<Vec<String>, String> {
        let mut line = String::new();
        loop {
            line.clear();
            if self.stdout.read_line(&mut line).map_err(|e| e.to_string())? == 0 {
                return Err(format!("the child process ended before {word}"));
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

/// Names listed as one word, `-` for none.
fn names(list: &[String]) -> Vec<String> {
    list.first()
        .filter(|w| *w != "-")
        .map_or_else(Vec::new, |w| w.split(',').map(str::to_owned).collect())
}

/// "ssh7 (SSH)", "web8 (web)".
fn named(names: &[String]) -> String {
    let each: Vec<String> = names
        .iter()
        .map(|n| format!("{n} ({})", if n.starts_with("web") { "web" } else { "SSH" }))
        .collect();
    each.join(", ")
}

#[allow(clippy::too_many_lines)]
fn run(options: &Options, n: usize) -> Result<Vec<String>, String> {
    let seats = n + options.heavy.count;
    let mut server = Peer::spawn(&["--server".into(), seats.to_string(), options.question.clone()]);
    let started = server.expect("PORT")?;
    let (port, web_port): (u16, u16) = (number(&started[0]), number(&started[1]));
    let pid = server.child.id();
    let base_kib = rss_kib(pid);
    let mut students = Peer::spawn(&[
        "--students".into(),
        n.to_string(),
        port.to_string(),
        web_port.to_string(),
        options.web_percent.to_string(),
        options.question.clone(),
        format!("{}x{}", options.size.0, options.size.1),
        options.heavy.count.to_string(),
        format!("{}x{}", options.heavy.size.0, options.heavy.size.1),
        options.heavy.keys_per_second.to_string(),
    ]);
    let connected = students.expect("CONNECTED")?;
    let connect_ms: u64 = number(&connected[0]);
    let missing = names(&connected[1..]);
    if !missing.is_empty() {
        return Err(format!("{} could not join: {}", missing.len(), named(&missing)));
    }
    let idle_kib = rss_kib(pid);

    let cpu_before = cpu_ticks(pid);
    let typing_started = Instant::now();
    students.say("KEYS");
    let keys = students.expect("KEYS")?;
    let typing_us = u64::try_from(typing_started.elapsed().as_micros()).unwrap_or(u64::MAX);
    let cpu_ticks_used = cpu_ticks(pid) - cpu_before;
    // Ticks of CPU time per second of wall time, as a percentage of one core, one decimal.
    let cpu_tenths = cpu_ticks_used * 1000 * 1_000_000 / TICKS_PER_SECOND / typing_us.max(1);
    let per_student_kib = idle_kib.saturating_sub(base_kib) / seats as u64;
    let key_p95: u64 = number(&keys[1]);
    let met = |ok: bool| if ok { "met" } else { "NOT met" };
    let mut lines = vec![
        format!("all connected in {connect_ms} ms"),
        format!(
            "server memory: {} KiB before anyone joined, {} KiB with all connected and reading: {} KiB per idle student at {}x{} ({})",
            base_kib,
            idle_kib,
            per_student_kib,
            options.size.0,
            options.size.1,
            met(per_student_kib < 1024),
        ),
        format!(
            "server CPU while they type: {}.{} % of a core ({} ticks in {} s)",
            cpu_tenths / 10,
            cpu_tenths % 10,
            cpu_ticks_used,
            ms(typing_us / 1000)
        ),
        format!(
            "key to redraw at the client: p50 {} ms, p95 {} ms, max {} ms over {} keys, {} without a redraw within 1 s ({} for p95 < 50 ms)",
            ms(number(&keys[0])),
            ms(key_p95),
            ms(number(&keys[4])),
            keys[2],
            keys[3],
            met(key_p95 < 50_000 && keys[3] == "0"),
        ),
    ];
    if options.heavy.count > 0 {
        let (frames, bytes, pressed): (u64, u64, u64) =
            (number(&keys[5]), number(&keys[6]), number(&keys[7]));
        let client_seconds = options.heavy.count as u64 * typing_us / 1000;
        lines.push(format!(
            "heavy clients: {} keys pressed, {} updates received (SSH data messages), {}.{} updates/s and {} KiB/s each",
            pressed,
            frames,
            frames * 1_000_000 / client_seconds.max(1) / 1000,
            frames * 1_000_000 / client_seconds.max(1) / 100 % 10,
            bytes * 1000 / client_seconds.max(1) / 1024,
        ));
        lines.push("question and reveal skipped (heavy clients do not answer)".into());
        students.say("END");
        server.say("END");
        return Ok(lines);
    }

    students.say("ANSWER");
    server.say("ASK");
    let answered = students.expect("ANSWERED")?;
    let not_sent = names(&answered);
    let counted = server.expect("COUNTED")?;
    let not_counted = names(&counted);
    if !not_sent.is_empty() || !not_counted.is_empty() {
        return Err(format!(
            "answers not counted in the tally: {} (not sent from the screen: {})",
            if not_counted.is_empty() { "none".into() } else { named(&not_counted) },
            if not_sent.is_empty() { "none".into() } else { named(&not_sent) },
        ));
    }

    server.say("REVEAL");
    let revealed = server.expect("REVEALED")?;
    let (revealed_at, right, partly, wrong, missing): (u64, u32, u32, u32, u32) = (
        number(&revealed[0]),
        number(&revealed[1]),
        number(&revealed[2]),
        number(&revealed[3]),
        number(&revealed[4]),
    );
    let graded = (right + partly + wrong) as usize;
    if graded != n || missing != 0 {
        return Err(format!(
            "the revealed tally holds {graded} answers and {missing} missing, for {n} students"
        ));
    }
    let seen = students.expect("SEEN")?;
    let never = names(&seen[..1]);
    let (ssh_bytes, web_bytes): (u64, u64) = (number(&seen[1]), number(&seen[2]));
    let mut delays: Vec<u64> =
        seen[3..].iter().map(|t| number::<u64>(t).saturating_sub(revealed_at)).collect();
    delays.sort_unstable();
    students.say("END");
    server.say("END");
    if !never.is_empty() {
        return Err(format!(
            "{} screens never showed the reveal (waited {} s from the last answer): {}",
            never.len(),
            (REVEAL_WAIT + STEP).as_secs(),
            named(&never)
        ));
    }

    let reveal_max = delays.last().copied().unwrap_or(0);
    lines.extend([
        format!(
            "answers counted: {n} of {n} ({right} right, {partly} partly right, {wrong} wrong)"
        ),
        format!(
            "reveal on all screens: p95 {} ms, max {} ms; 0 never saw it ({} for max < 250 ms)",
            ms(percentile(&delays, 95)),
            ms(reveal_max),
            met(reveal_max < 250_000),
        ),
        format!("bytes sent per student for the reveal: SSH {ssh_bytes} B, web {web_bytes} B"),
    ]);
    Ok(lines)
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

fn list(names: &[String]) -> String {
    if names.is_empty() { "-".into() } else { names.join(",") }
}

// The server: the class, the SSH server and the web server, with the teacher's actions from
// stdin.
fn server_process(n: usize, question: &str) {
    runtime().block_on(async {
        let course = Arc::new(course());
        let (section, index) = find_question(&course, question).expect("a question of the course");
        let (class, _task) = class::spawn(Arc::clone(&course), ClassOptions::default(), None);
        let limits = Limits {
            max_students: n + 16,
            connections_per_minute: u32::MAX,
            handshake: JOINING,
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
        println!("PORT {} {}", running.addr.port(), web.addr.port());
        let teacher = class.sender();
        let mut view = class.view();
        let mut lines = stdin_lines();
        while let Some(line) = lines.recv().await {
            match line.as_str() {
                "ASK" => {
                    let ask = TeacherAction::Ask { section, questions: vec![index] };
                    let _ = teacher.send(ToClass::Teacher(ask)).await;
                    // Until every student on the roster has an answer counted for this asking.
                    let deadline = tokio::time::Instant::now() + STEP;
                    loop {
                        let all = {
                            let v = view.borrow_and_update();
                            v.live.is_some()
                                && v.roster.len() == n
                                && v.roster.iter().all(|s| s.answered_live)
                        };
                        if all {
                            break;
                        }
                        if !matches!(
                            tokio::time::timeout_at(deadline, view.changed()).await,
                            Ok(Ok(()))
                        ) {
                            break;
                        }
                    }
                    let missing: Vec<String> = view
                        .borrow()
                        .roster
                        .iter()
                        .filter(|s| !s.answered_live)
                        .map(|s| s.name.clone())
                        .collect();
                    println!("COUNTED {}", list(&missing));
                }
                "REVEAL" => {
                    let at = micros_now();
                    let _ = teacher.send(ToClass::Teacher(TeacherAction::Reveal)).await;
                    let deadline = tokio::time::Instant::now() + STEP;
                    let tally = loop {
                        let tally = view
                            .borrow_and_update()
                            .live
                            .as_ref()
                            .and_then(|l| l.tally.clone().filter(|_| l.revealed));
                        if let Some(tally) = tally {
                            break tally;
                        }
                        if !matches!(
                            tokio::time::timeout_at(deadline, view.changed()).await,
                            Ok(Ok(()))
                        ) {
                            break Tally::default();
                        }
                    };
                    println!(
                        "REVEALED {at} {} {} {} {}",
                        tally.right, tally.partly, tally.wrong, tally.missing
                    );
                }
                _ => break,
            }
        }
        running.stop().await;
        web.stop().await;
    });
}

/// One simulated student over either transport.
struct Student {
    name: String,
    way: Way,
    screen: Arc<Mutex<vt100::Parser>>,
    frames: watch::Receiver<u64>,
    bytes: Arc<AtomicU64>,
}

enum Way {
    Ssh(SshStudent),
    Web(WebStudent),
}

impl Student {
    async fn join(
        name: String,
        web: bool,
        ports: (u16, u16),
        size: (u16, u16),
    ) -> Result<Self, String> {
        let way = if web {
            Way::Web(WebStudent::join(ports.1, name.clone(), CODE, size).await?)
        } else {
            Way::Ssh(SshStudent::join(ports.0, name.clone(), CODE, size).await?)
        };
        let (screen, frames, bytes) = match &way {
            Way::Ssh(s) => (Arc::clone(&s.screen), s.frames.clone(), Arc::clone(&s.bytes)),
            Way::Web(w) => (Arc::clone(&w.screen), w.frames.clone(), Arc::clone(&w.bytes)),
        };
        Ok(Self { name, way, screen, frames, bytes })
    }

    fn is_web(&self) -> bool {
        matches!(self.way, Way::Web(_))
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    fn shows(&self, text: &str) -> bool {
        self.contents().contains(text)
    }

    /// Waits until the screen shows `text`; the time it first did, or none at the deadline
    /// (or when the connection ended).
    async fn wait_for(&mut self, text: &str, deadline: tokio::time::Instant) -> Option<u64> {
        loop {
            // Marks the frames so far as seen before looking, so a frame that lands between
            // the look and the wait wakes the wait.
            self.frames.borrow_and_update();
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
            Way::Ssh(ssh) => ssh.send(bytes).await,
            Way::Web(web) => web.send(bytes).await,
        }
    }

    /// Answers the question on screen as its kind needs: the keys a student would press.
    /// Reads the screen for where the shuffled options, steps and partners are; a part of the
    /// answer not on screen is left as shown (still an answer the class counts).
    async fn answer(&self, question: &Question) {
        let screen = self.contents();
        match &question.answer {
            Answer::Choice { options, .. } => {
                let mut any = false;
                for option in options.iter().filter(|o| o.correct) {
                    if let Some(digit) = label_of(&screen, &option.text, Label::Digit) {
                        self.send(&[digit as u8]).await;
                        any = true;
                    }
                }
                if !any {
                    self.send(b"1").await;
                }
            }
            Answer::TrueFalse(truth) => self.send(if *truth { b"t" } else { b"f" }).await,
            Answer::Order(steps) => {
                // Where each step is shown now (place → step), then each step carried up to
                // its place: pick up, move up, put down.
                let shown: Vec<Option<usize>> = steps
                    .iter()
                    .map(|s| label_of(&screen, s, Label::Place).map(|c| c as usize - '1' as usize))
                    .collect();
                if shown.iter().all(Option::is_some) {
                    let mut arrangement = vec![0; steps.len()];
                    for (step, place) in shown.iter().enumerate() {
                        arrangement[place.unwrap_or(0).min(steps.len() - 1)] = step;
                    }
                    let mut cursor = 0;
                    for target in 0..steps.len() {
                        let from = arrangement.iter().position(|&s| s == target).unwrap_or(target);
                        while cursor < from {
                            self.send(b"\x1b[B").await;
                            cursor += 1;
                        }
                        while cursor > from {
                            self.send(b"\x1b[A").await;
                            cursor -= 1;
                        }
                        if from > target {
                            self.send(b" ").await;
                            for _ in target..from {
                                self.send(b"\x1b[A").await;
                            }
                            self.send(b" ").await;
                            let step = arrangement.remove(from);
                            arrangement.insert(target, step);
                            cursor = target;
                        }
                    }
                }
            }
            Answer::Match(pairs) => {
                for (i, (_, right)) in pairs.iter().enumerate() {
                    let letter = label_of(&screen, right, Label::Letter)
                        .unwrap_or(char::from(b'a' + u8::try_from(i).unwrap_or(0)));
                    self.send(&[letter as u8]).await;
                }
            }
            Answer::Fill(accepted) => {
                let text = accepted.first().map_or("x", String::as_str);
                self.send(text.as_bytes()).await;
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Label {
    /// "2 ( ) text": the option's digit.
    Digit,
    /// "3. b) text": the step's place.
    Place,
    /// "c) text": the partner's letter.
    Letter,
}

/// The label in front of `text` where the screen shows it (its first 16 characters, since a
/// long item wraps).
fn label_of(screen: &str, text: &str, label: Label) -> Option<char> {
    let start: String = text.chars().take(16).collect();
    screen.lines().find_map(|line| {
        let (before, _) = line.split_once(start.as_str())?;
        let before = before.trim_end();
        match label {
            Label::Digit => before.chars().rev().find(char::is_ascii_digit),
            Label::Place => before.trim_start_matches(|c: char| !c.is_ascii_digit()).chars().next(),
            Label::Letter => {
                let mut chars = before.chars().rev();
                (chars.next() == Some(')'))
                    .then(|| chars.next())
                    .flatten()
                    .filter(char::is_ascii_lowercase)
            }
        }
    })
}

// The students: connect all, type, answer, watch for the reveal; results on stdout. One
// script in order, as the lead process sends its steps.
#[allow(clippy::too_many_lines)]
fn students_process(
    n: usize,
    ports: (u16, u16),
    web_percent: usize,
    question: &str,
    size: (u16, u16),
    heavy: Heavy,
) {
    let course = Arc::new(course());
    let (section, index) = find_question(&course, question).expect("a question of the course");
    runtime().block_on(async move {
        let started = Instant::now();
        let deadline = tokio::time::Instant::now() + JOINING;
        // At most 32 handshakes at once, as a class arriving over a minute or so would be.
        let gate = Arc::new(tokio::sync::Semaphore::new(32));
        let mut joining = Vec::new();
        for i in 0..n {
            let gate = Arc::clone(&gate);
            joining.push(tokio::spawn(async move {
                let _permit = gate.acquire().await.ok()?;
                let name = student_name(i, web_percent);
                let joined = Student::join(name.clone(), is_web(i, web_percent), ports, size).await;
                let mut student = match joined {
                    Ok(student) => student,
                    Err(e) => {
                        eprintln!("{name} could not join: {e}");
                        return None;
                    }
                };
                student.wait_for("Sections", deadline).await?;
                // Opens the reader.
                student.send(b"\r").await;
                student.wait_for("1/", deadline).await?;
                Some(student)
            }));
        }
        let mut students = Vec::new();
        let mut missing = Vec::new();
        for (i, join) in joining.into_iter().enumerate() {
            match join.await {
                Ok(Some(student)) => students.push(student),
                _ => missing.push(student_name(i, web_percent)),
            }
        }
        let mut heavies = Vec::new();
        for i in 0..heavy.count {
            let name = format!("heavy{i}");
            let joined = SshStudent::join_heavy(ports.0, name.clone(), CODE, heavy.size).await;
            match joined {
                Ok(mut client) => {
                    // Its first frame, the menu, before it presses anything.
                    let first = tokio::time::timeout_at(deadline, client.frames.changed()).await;
                    if matches!(first, Ok(Ok(()))) {
                        heavies.push(client);
                    } else {
                        missing.push(name);
                    }
                }
                Err(e) => {
                    eprintln!("{name} could not join: {e}");
                    missing.push(name);
                }
            }
        }
        let heavies: Vec<Arc<SshStudent>> = heavies.into_iter().map(Arc::new).collect();
        println!("CONNECTED {} {}", started.elapsed().as_millis(), list(&missing));

        let mut lines = stdin_lines();
        while let Some(line) = lines.recv().await {
            match line.as_str() {
                "KEYS" => {
                    let pressing: Vec<_> = heavies
                        .iter()
                        .map(|client| tokio::spawn(press_and_hold(Arc::clone(client), heavy)))
                        .collect();
                    let before: Vec<(u64, u64)> = heavies
                        .iter()
                        .map(|c| (*c.frames.borrow(), c.bytes.load(Ordering::Relaxed)))
                        .collect();
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
                    let mut pressed = 0;
                    for task in pressing {
                        pressed += task.await.unwrap_or(0);
                    }
                    let (mut frames, mut bytes) = (0, 0);
                    for (client, (frames_before, bytes_before)) in heavies.iter().zip(before) {
                        frames += *client.frames.borrow() - frames_before;
                        bytes += client.bytes.load(Ordering::Relaxed) - bytes_before;
                    }
                    latencies.sort_unstable();
                    println!(
                        "KEYS {} {} {} {lost} {} {frames} {bytes} {pressed}",
                        percentile(&latencies, 50),
                        percentile(&latencies, 95),
                        latencies.len(),
                        latencies.last().copied().unwrap_or(0),
                    );
                }
                "ANSWER" => {
                    let tasks: Vec<_> = students
                        .drain(..)
                        .map(|mut student| {
                            let course = Arc::clone(&course);
                            tokio::spawn(async move {
                                let question = &course.sections[section].questions[index];
                                let deadline = tokio::time::Instant::now() + STEP;
                                let asked = student.wait_for("Class question", deadline).await;
                                if asked.is_some() {
                                    student.answer(question).await;
                                    student.send(b"\r").await;
                                }
                                // The header says " sent " once the app took the answer.
                                let sent = match asked {
                                    Some(_) => student.wait_for(" sent ", deadline).await,
                                    None => None,
                                };
                                if sent.is_none() {
                                    eprintln!(
                                        "{} did not send an answer ({}); the screen:\n{}",
                                        student.name,
                                        if asked.is_some() {
                                            "answered, no \"sent\""
                                        } else {
                                            "no question shown"
                                        },
                                        student.contents()
                                    );
                                }
                                (student, sent.is_some())
                            })
                        })
                        .collect();
                    let mut not_sent = Vec::new();
                    for task in tasks {
                        let (student, sent) = task.await.unwrap();
                        if !sent {
                            not_sent.push(student.name.clone());
                        }
                        students.push(student);
                    }
                    println!("ANSWERED {}", list(&not_sent));
                    // Then everyone watches for the reveal, and counts what it cost in bytes
                    // (the frames until the screen is quiet for half a second).
                    let before: Vec<u64> =
                        students.iter().map(|s| s.bytes.load(Ordering::Relaxed)).collect();
                    let tasks: Vec<_> = students
                        .drain(..)
                        .map(|mut student| {
                            tokio::spawn(async move {
                                let deadline = tokio::time::Instant::now() + REVEAL_WAIT + STEP;
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
                    let mut never = Vec::new();
                    for task in tasks {
                        let (student, at) = task.await.unwrap();
                        if let Some(at) = at {
                            seen.push(at.to_string());
                        } else {
                            eprintln!(
                                "{} ({}) never showed the reveal; the screen:\n{}",
                                student.name,
                                if student.is_web() { "web" } else { "SSH" },
                                student.contents()
                            );
                            never.push(student.name.clone());
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
                        "SEEN {} {} {} {}",
                        list(&never),
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

/// A heavy client holds a key down for [`TYPING`]: Down and Up in turn, `keys_per_second`
/// times a second (on the menu, each moves the highlight: a new frame). The keys pressed.
async fn press_and_hold(client: Arc<SshStudent>, heavy: Heavy) -> u64 {
    let end = tokio::time::Instant::now() + TYPING;
    let mut every = tokio::time::interval(Duration::from_secs(1) / heavy.keys_per_second.max(1));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut pressed = 0;
    while tokio::time::Instant::now() < end {
        every.tick().await;
        let key: &[u8] = if pressed % 2 == 0 { b"\x1b[B" } else { b"\x1b[A" };
        client.send(key).await;
        pressed += 1;
    }
    pressed
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
