//! The live classroom's transports (`stemcell serve`): each student's keys arrive over a
//! transport (`ssh/`) and drive their own `App` through one transport-neutral runner
//! (`runner.rs`), under one set of rules (`rules.rs`, `auth.rs`). The class itself, the one
//! task that owns its state and the results store, is in `crate::class` and knows no transport.

pub mod accepting;
pub mod auth;
pub mod backend;
pub mod console;
pub mod cut;
pub mod input;
pub mod join_addresses;
pub mod pace;
pub mod rejoin;
pub mod rules;
pub mod runner;
pub mod ssh;
pub mod web;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::class::{protocol, results, room as class};
use crate::cli::ServeArgs;
use crate::course::Course;

use self::rules::Limits;
use self::ssh::{hostkey, server};

/// The server's limits from the command line.
pub fn limits(args: &ServeArgs) -> Limits {
    Limits {
        max_students: args.max_students as usize,
        connections_per_minute: args.connections_per_minute,
        handshake: Duration::from_secs(args.handshake_timeout.max(1)),
        idle: Duration::from_secs(args.idle_timeout.max(1) * 60),
        input_bytes_per_second: args.input_rate.max(16),
        name_width: usize::from(args.name_width),
        stall: Duration::from_secs(args.stall_timeout.max(1)),
        ..Limits::default()
    }
}

/// The class's timer and scoring from the command line.
fn class_options(args: &ServeArgs) -> class::ClassOptions {
    class::ClassOptions {
        timer: args.timer,
        scoring: protocol::Scoring {
            speed_points: args.speed_points,
            leaderboard: args.leaderboard,
        },
    }
}

/// The page's TLS acceptor, when `--tls-cert` and `--tls-key` are given (clap requires both).
fn tls_acceptor(args: &ServeArgs) -> Result<Option<tokio_rustls::TlsAcceptor>, String> {
    match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => web::tls::acceptor(cert, key).map(Some),
        _ => Ok(None),
    }
}

/// The join lines with the page's addresses as `https://` (the page is served over TLS).
fn https_lines(lines: Vec<String>) -> Vec<String> {
    lines
        .into_iter()
        .map(|line| match line.strip_prefix("http://") {
            Some(rest) => format!("https://{rest}"),
            None => line,
        })
        .collect()
}

/// The class closes the results writer when it ends; waits (a bounded time) for the last
/// answers to reach the disk.
fn wait_for_writer(writer: std::thread::JoinHandle<()>) {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while !writer.is_finished() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    if writer.is_finished() {
        let _ = writer.join();
    }
}

/// This run's class: its results writer and number, the writer's thread, and what the class
/// held when it is one carried on after its server stopped.
struct OpenClass {
    writer: results::Writer,
    number: i64,
    thread: std::thread::JoinHandle<()>,
    restored: Option<results::resume::Restored>,
    /// Marks the class as running here (another `serve` does not offer to carry it on).
    running: results::resume::Running,
}

fn open_class(
    path: &std::path::Path,
    course: &Course,
    args: &ServeArgs,
) -> Result<OpenClass, String> {
    if let Some(number) = choose_class(path, course, args)? {
        let running = results::resume::hold(path, number)?;
        let (writer, thread, restored) = results::start_resumed(path, course, number)?;
        return Ok(OpenClass { writer, number, thread, restored: Some(restored), running });
    }
    let (writer, number, thread) = results::start(path, course)?;
    let running = results::resume::hold(path, number)?;
    Ok(OpenClass { writer, number, thread, restored: None, running })
}

/// The class this run holds: a new one (none), or this course's newest class that never ended
/// (its server stopped): carried on with `--resume`, started afresh with `--new-class`, else
/// the teacher is asked. A class the teacher does not carry on is closed as it stood, so it is
/// not offered again.
fn choose_class(
    path: &std::path::Path,
    course: &Course,
    args: &ServeArgs,
) -> Result<Option<i64>, String> {
    if args.unfinished.new_class {
        return Ok(None);
    }
    let Some(unfinished) = results::resume::unfinished(path, course)? else {
        if args.unfinished.resume {
            eprintln!("stemcell: no class of this course was left unfinished: a new class starts.");
        }
        return Ok(None);
    };
    if args.unfinished.resume {
        return Ok(Some(unfinished.id));
    }
    // Only numbers and a time come from the database here; shown, never obeyed, all the same.
    let described = unfinished.describe(&crate::learner::day::local_zone());
    let described: Vec<String> =
        described.lines().map(|line| crate::report::visible(line).into_owned()).collect();
    let described = described.join("\n");
    let stdin = std::io::stdin();
    for _ in 0..3 {
        eprint!("{described}\nCarry it on (students rejoin with their answers)? [Y/n] ");
        let mut line = String::new();
        if stdin.read_line(&mut line).map_err(|e| format!("reading the answer: {e}"))? == 0 {
            break;
        }
        match line.trim().to_ascii_lowercase().as_str() {
            "" | "y" | "yes" => return Ok(Some(unfinished.id)),
            "n" | "no" => {
                results::resume::close(path, unfinished.id)?;
                eprintln!("Class {} is closed as it stood; a new class starts.", unfinished.id);
                return Ok(None);
            }
            _ => eprintln!("Type y (or press Enter) to carry it on, or n for a new class."),
        }
    }
    eprintln!(
        "No answer: a new class starts; `stemcell serve --resume` carries class {} on.",
        unfinished.id
    );
    Ok(None)
}

/// `stemcell serve`: the host key, the results store, the class, the server, and the console
/// on this terminal until the teacher ends the class.
pub fn run(course: Course, args: &ServeArgs, settings: crate::app::Settings) -> Result<(), String> {
    let key = hostkey::load_or_create(&hostkey::default_path()?)?;
    // A wrong certificate or key stops here, before a class is opened.
    let tls = tls_acceptor(args)?;
    let secure = tls.is_some();
    let code =
        if args.open { None } else { Some(args.code.clone().unwrap_or_else(auth::generate_code)) };
    let policy =
        auth::Policy { failures_per_address: args.failed_codes.max(1), ..auth::Policy::default() };
    let course = Arc::new(course);
    let results_path = results::default_path()?;
    let OpenClass {
        writer,
        number: class_number,
        thread: writer_thread,
        restored,
        running: running_here,
    } = open_class(&results_path, &course, args)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let options = class_options(args);
    let abandon = writer.clone();
    let started = runtime.block_on(async {
        let (class, _task) = match &restored {
            Some(restored) => {
                class::spawn_resumed(Arc::clone(&course), options, Some(writer), restored)
            }
            None => class::spawn(Arc::clone(&course), options, Some(writer)),
        };
        let shared = Arc::new(
            rules::Shared::new(
                Arc::clone(&course),
                auth::Gate::new(code.clone(), policy),
                limits(args),
                settings.seed,
            )
            .with_class(class.clone()),
        );
        let addr = SocketAddr::new(args.bind, args.port);
        let running = server::start(addr, key, Arc::clone(&shared)).await.map_err(|e| {
            format!("cannot listen on {addr}: {e} (is another server using the port? try --port)")
        })?;
        let web = if args.web {
            let addr = SocketAddr::new(args.bind, args.web_port);
            Some(web::start_with(addr, shared, tls).await.map_err(|e| {
                format!(
                    "cannot listen on {addr}: {e} (is another server using the port? try --web-port)"
                )
            })?)
        } else {
            None
        };
        Ok::<_, String>((running, web, class))
    });
    let (running, web, class) = match started {
        Ok(started) => started,
        Err(e) => {
            abandon.send(results::Record::Abandon);
            drop(abandon);
            runtime.shutdown_timeout(Duration::from_secs(1));
            let _ = writer_thread.join();
            return Err(e);
        }
    };
    drop(abandon);
    let mut join = console::join_info(
        running.addr,
        web.as_ref().map(|web| web.addr),
        code,
        running.fingerprint.clone(),
    );
    if secure {
        join.lines = https_lines(join.lines);
    }
    // The console keeps no learner record: a class is not a learner.
    let learner = crate::learner::Learner::fresh(&course.id, crate::learner::Day::today());
    let app = crate::app::App::new(
        (*course).clone(),
        settings,
        learner,
        ratatui::layout::Size::new(80, 24),
    )
    .with_console(args.timer, join);
    let ended = console::run(app, &class, Arc::clone(&running.shared), runtime.handle().clone());
    runtime.block_on(async {
        running.stop().await;
        if let Some(web) = web {
            web.stop().await;
        }
        // A moment for the students' sessions to show that the class ended and close.
        tokio::time::sleep(Duration::from_millis(300)).await;
    });
    drop(class);
    runtime.shutdown_timeout(Duration::from_secs(2));
    wait_for_writer(writer_thread);
    // The class is over (or saved as far as it went): no longer running here.
    drop(running_here);
    ended?;
    println!(
        "Class {class_number} ended; its results are in {}.\nExport them with: stemcell results {class_number} --format csv",
        results_path.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_tls_the_join_lines_give_the_page_as_https() {
        let join = console::join_info(
            "127.0.0.1:2222".parse().unwrap(),
            Some("127.0.0.1:8443".parse().unwrap()),
            None,
            String::new(),
        );
        assert_eq!(
            https_lines(join.lines),
            vec!["ssh -p 2222 NAME@127.0.0.1", "https://127.0.0.1:8443"]
        );
    }
}
