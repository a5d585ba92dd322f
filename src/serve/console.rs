//! The teacher's console on the local terminal: present mode with the class attached. The
//! terminal loop stays in `tui.rs`; this is the link between that loop (a plain thread) and
//! the class task (on the tokio runtime): the class's view in, the teacher's actions out.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use tokio::runtime::Handle;
use tokio::sync::{mpsc, watch};

use crate::app::{App, JoinInfo};
use crate::class::protocol::{ClassView, TeacherAction, ToClass};
use crate::class::room::ClassHandle;

use super::join_addresses::{self, Candidate};
use super::rules::Shared;

/// The shortest time between two redraws the class causes on the console.
const CONSOLE_FRAME: std::time::Duration = std::time::Duration::from_millis(100);

/// Carries the class's view to the console's App and the teacher's actions to the class.
pub struct ConsoleLink {
    view: watch::Receiver<ClassView>,
    /// The server's rules, for the refusal counts.
    shared: Option<Arc<Shared>>,
    to_class: mpsc::Sender<ToClass>,
    runtime: Handle,
}

impl ConsoleLink {
    pub fn new(class: &ClassHandle, runtime: Handle) -> Self {
        Self { view: class.view(), shared: None, to_class: class.sender(), runtime }
    }

    /// Shows the server's refusals by reason on the console.
    #[must_use]
    pub fn with_rules(mut self, shared: Arc<Shared>) -> Self {
        self.shared = Some(shared);
        self
    }

    /// Sends one action from outside the runtime (the console's thread).
    fn send(&self, action: TeacherAction) {
        // The class task drains its queue quickly; a full queue means a burst of students,
        // and the teacher's action waits its turn rather than being lost.
        let _ = self.to_class.blocking_send(ToClass::Teacher(action));
    }
}

impl crate::tui::Link for ConsoleLink {
    fn start(&mut self, wake: Box<dyn Fn() + Send + Sync>) {
        let mut view = self.view.clone();
        self.runtime.spawn(async move {
            while view.changed().await.is_ok() {
                wake();
                // A class of hundreds changes many times a second (every student's scroll is
                // on the roster); the projector needs no more than this many frames.
                tokio::time::sleep(CONSOLE_FRAME).await;
            }
        });
    }

    fn sync(&mut self, app: &mut App) {
        for action in app.take_teacher_actions() {
            self.send(action);
        }
        if let Some(shared) = &self.shared {
            let refused = shared.stats.refused.load(std::sync::atomic::Ordering::Relaxed);
            app.class_refusals(refused, shared.stats.refused_by.summary());
        }
        if self.view.has_changed().unwrap_or(false) {
            let view = self.view.borrow_and_update().clone();
            app.class_view(view);
        }
    }
}

/// Runs the console until the teacher ends the class (or a signal stops it); the class is
/// ended either way, so every student is told and everything is saved.
pub fn run(
    app: App,
    class: &ClassHandle,
    shared: Arc<Shared>,
    runtime: Handle,
) -> Result<crate::tui::Ended, String> {
    let mut link = ConsoleLink::new(class, runtime).with_rules(shared);
    let ended = crate::tui::run_linked(app, None, None, Some(&mut link))
        .map_err(|e| format!("the console's terminal failed: {e}"));
    // Ending twice is harmless; ending never is not.
    link.send(TeacherAction::End);
    ended
}

/// How students join: the `ssh` line for each address they can reach this machine on, and
/// with `--web` the page's address too. A server bound to every address lists this machine's
/// network addresses, best first (see `join_addresses`), each with its interface's name.
pub fn join_info(
    bound: SocketAddr,
    web: Option<SocketAddr>,
    code: Option<String>,
    fingerprint: String,
) -> JoinInfo {
    let port = bound.port();
    let mut found: Vec<Candidate> = if bound.ip().is_unspecified() {
        join_addresses::local(bound.ip().is_ipv6())
    } else {
        vec![Candidate { ip: bound.ip(), interface: String::new() }]
    };
    if found.is_empty() {
        let ip = if bound.is_ipv6() {
            IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1])
        } else {
            IpAddr::from([127, 0, 0, 1])
        };
        found.push(Candidate { ip, interface: String::new() });
    }
    // The best four: the default route's address first, so a Docker or VPN address never
    // pushes the one students can reach off the list.
    found.truncate(4);
    let mut lines: Vec<String> = found
        .iter()
        .map(|c| match c.ip {
            IpAddr::V6(v6) => format!("ssh -p {port} NAME@{v6}"),
            IpAddr::V4(v4) => format!("ssh -p {port} NAME@{v4}"),
        })
        .collect();
    let mut interfaces: Vec<String> = found.iter().map(|c| c.interface.clone()).collect();
    if let Some(web) = web {
        lines.extend(found.iter().map(|c| web_url(c.ip, web.port())));
        interfaces.extend(found.iter().map(|c| c.interface.clone()));
    }
    JoinInfo { lines, interfaces, code, fingerprint }
}

/// The class page's address on `ip`.
pub fn web_url(ip: IpAddr, port: u16) -> String {
    match ip {
        IpAddr::V6(v6) => format!("http://[{v6}]:{port}"),
        IpAddr::V4(v4) => format!("http://{v4}:{port}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_bound_to_one_address_is_joined_on_that_address() {
        let info = join_info(
            "127.0.0.1:2222".parse().unwrap(),
            None,
            Some("42".into()),
            "SHA256:x".into(),
        );
        assert_eq!(info.lines, vec!["ssh -p 2222 NAME@127.0.0.1"]);
        let info = join_info("[::1]:2300".parse().unwrap(), None, None, String::new());
        assert_eq!(info.lines, vec!["ssh -p 2300 NAME@::1"]);
    }

    #[test]
    fn with_the_web_the_page_address_is_a_way_in_too() {
        let info = join_info(
            "127.0.0.1:2222".parse().unwrap(),
            Some("127.0.0.1:8080".parse().unwrap()),
            None,
            String::new(),
        );
        assert_eq!(info.lines, vec!["ssh -p 2222 NAME@127.0.0.1", "http://127.0.0.1:8080"]);
        let info = join_info(
            "[::1]:2222".parse().unwrap(),
            Some("[::1]:8080".parse().unwrap()),
            None,
            String::new(),
        );
        assert_eq!(info.lines[1], "http://[::1]:8080");
    }

    #[test]
    fn a_server_bound_to_every_address_lists_at_least_one_line() {
        let info = join_info("0.0.0.0:2222".parse().unwrap(), None, None, String::new());
        assert!(!info.lines.is_empty());
        assert!(info.lines.iter().all(|l| l.starts_with("ssh -p 2222 NAME@") && !l.contains(':')));
    }
}
