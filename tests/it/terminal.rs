//! A program in a pseudo-terminal, read through a terminal emulator (vt100): what a person at
//! a terminal would see. The end-to-end tests of the reader (`pty.rs`) and of the classroom
//! (`serve_ssh.rs`, `serve_console.rs`) all drive their programs through it.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// How long to wait for a screen or an exit: generous, for a loaded CI machine.
const PATIENCE: Duration = Duration::from_secs(20);

/// A running program and the screen it has drawn so far.
pub struct Terminal {
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    pub parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote, for checking escape sequences a screen cannot show.
    pub raw: Arc<Mutex<Vec<u8>>>,
    /// Kept open for the program's life and after, so that the terminal's modes can be read
    /// once it has exited.
    pub master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

impl Terminal {
    /// Starts `command` in a `cols` x `rows` terminal.
    pub fn start(command: CommandBuilder, cols: u16, rows: u16) -> Self {
        let pty = native_pty_system()
            .openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 })
            .expect("a pseudo-terminal");
        let child = pty.slave.spawn_command(command).expect("the program starts");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            rows.try_into().expect("at least one row"),
            cols.try_into().expect("at least one column"),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (sink, raw_sink) = (Arc::clone(&parser), Arc::clone(&raw));
        thread::spawn(move || {
            let mut chunk = [0; 8192];
            while let Ok(n) = reader.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&chunk[..n]);
                raw_sink.lock().unwrap().extend_from_slice(&chunk[..n]);
            }
        });
        Self { child, writer, parser, raw, master: pty.master }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `text`; fails the test with the screen if it never does.
    pub fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + PATIENCE;
        while !self.screen().contains(text) {
            assert!(Instant::now() < deadline, "never saw {text:?}; screen:\n{}", self.screen());
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Types `keys`.
    pub fn keys(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Types `keys` and gives the program a moment to take them in, as a person would.
    pub fn press(&mut self, keys: &str) {
        self.keys(keys);
        thread::sleep(Duration::from_millis(60));
    }

    /// Waits for the program to exit and gives its status.
    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader thread take in the last bytes the program wrote.
                thread::sleep(Duration::from_millis(100));
                return status;
            }
            assert!(Instant::now() < deadline, "did not exit; screen:\n{}", self.screen());
            thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Whether the real OpenSSH client is installed (the classroom's end-to-end tests need it).
pub fn have_ssh() -> bool {
    std::process::Command::new("ssh")
        .arg("-V")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stderr).contains("OpenSSH"))
}

/// A student joining a class on `port` as `name` with the real OpenSSH client, in an 80x24
/// terminal, using nothing of the tester's own configuration, keys or known hosts.
pub fn ssh_student(port: u16, name: &str) -> Terminal {
    let mut command = CommandBuilder::new("ssh");
    for arg in [
        "-F",
        "/dev/null",
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "LogLevel=ERROR",
        "-o",
        "PubkeyAuthentication=no",
        "-o",
        "PreferredAuthentications=keyboard-interactive,password",
        "-p",
    ] {
        command.arg(arg);
    }
    command.arg(port.to_string());
    command.arg(format!("{name}@127.0.0.1"));
    command.env("TERM", "xterm-256color");
    Terminal::start(command, 80, 24)
}
