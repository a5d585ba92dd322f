//! The rules every transport follows, whatever carries a student's keys (an SSH channel or a
//! browser's WebSocket): the limits set by `stemcell serve`'s options, the counters the console
//! and the load example read, the per-address connection rate, and the typing budget. Each
//! transport asks these before doing work for a peer, so one student cap and one rate hold
//! for both.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use crate::class::names;
use crate::class::room::ClassHandle;
use crate::course::Course;

use super::auth::{Gate, Verdict};
use super::pace::PaceLimits;

/// The server's limits; `stemcell serve` sets them from its options.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Connections at once (each is one student).
    pub max_students: usize,
    /// New connections one address may open per minute.
    pub connections_per_minute: u32,
    /// Time from connecting to being in (key exchange and the code).
    pub handshake: Duration,
    /// A connection with no traffic at all this long is closed. Keepalives are sent every
    /// [`Limits::keepalive`], so a student who reads for an hour without typing stays.
    pub idle: Duration,
    pub keepalive: Duration,
    /// Bytes a student may type per second (a paste bursts up to four seconds' worth).
    pub input_bytes_per_second: u32,
    /// A display name's width in columns.
    pub name_width: usize,
    /// A client that takes no output for this long is dropped.
    pub stall: Duration,
    /// The largest window drawn; a bigger one is drawn at this size in its top-left corner.
    pub max_cols: u16,
    pub max_rows: u16,
    /// The most cells one frame may have (the cost of a redraw grows with them): a window with
    /// more is drawn with fewer rows, in its top-left corner.
    pub max_cells: u32,
    /// How often a student's screen may be redrawn (see `pace.rs`).
    pub pace: PaceLimits,
    /// Code attempts per connection.
    pub auth_attempts: usize,
    /// Connections from one address that have not yet given the right code, at once. A class
    /// behind one router types its code at the same time, so this is more than a few.
    pub pending_per_address: usize,
    /// Connections that have not yet given the right code, at once, from everywhere.
    pub pending_total: usize,
    /// A connection that sends nothing at all (not even its SSH version line) this long after
    /// connecting is closed: a real client speaks first within milliseconds.
    pub first_word: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_students: 100,
            connections_per_minute: 120,
            handshake: Duration::from_secs(30),
            idle: Duration::from_secs(3 * 3600),
            keepalive: Duration::from_secs(30),
            input_bytes_per_second: 2048,
            name_width: names::DEFAULT_MAX_WIDTH,
            stall: Duration::from_secs(20),
            max_cols: 400,
            max_rows: 150,
            max_cells: 20_000,
            pace: PaceLimits::default(),
            auth_attempts: 5,
            pending_per_address: 32,
            pending_total: 256,
            first_word: Duration::from_secs(5),
        }
    }
}

/// Counters, for the console, the tests and the load example.
#[derive(Debug, Default)]
pub struct Stats {
    /// Connections open now (authenticated or not).
    pub connections: AtomicUsize,
    /// Students' sessions running now.
    pub sessions: AtomicUsize,
    /// Connections turned away, all reasons together.
    pub refused: AtomicUsize,
    /// The same, by reason, for the console.
    pub refused_by: RefusalCounts,
    /// Connections cut for not finishing the handshake in time.
    pub handshake_timeouts: AtomicUsize,
    /// Clients dropped for not reading their output.
    pub dropped_slow: AtomicUsize,
    /// The most bytes ever waiting in one student's frame slot.
    pub largest_frame: AtomicUsize,
    /// Frames drawn for students, in all (the pace keeps it in proportion to their windows).
    pub frames: AtomicUsize,
}

/// Refusals counted by reason, so the teacher can tell an attack (busy, rate) from a full
/// room or a mistyped code on the projector.
#[derive(Debug, Default)]
pub struct RefusalCounts {
    pub full: AtomicUsize,
    pub rate: AtomicUsize,
    pub shut_out: AtomicUsize,
    pub code: AtomicUsize,
    pub busy: AtomicUsize,
}

impl RefusalCounts {
    /// `(reason, count)` for every reason, in a fixed order.
    pub fn snapshot(&self) -> [(&'static str, usize); 5] {
        let get = |c: &AtomicUsize| c.load(Ordering::Relaxed);
        [
            ("full", get(&self.full)),
            ("too fast", get(&self.rate)),
            ("shut out", get(&self.shut_out)),
            ("wrong code", get(&self.code)),
            ("busy", get(&self.busy)),
        ]
    }

    /// One line for the console, e.g. `refused: 2 full · 5 wrong code`; empty when none.
    pub fn summary(&self) -> String {
        let parts: Vec<String> = self
            .snapshot()
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(reason, n)| format!("{n} {reason}"))
            .collect();
        if parts.is_empty() { String::new() } else { format!("refused: {}", parts.join(" · ")) }
    }
}

/// Why a connection is turned away. [`Refusal::message`] is what the student reads, in words,
/// on whatever transport they came by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Every seat is taken (by students who gave the right code).
    Full { seats: usize },
    /// This address opened too many connections this minute.
    Rate,
    /// Too many wrong codes from this address or for this name.
    ShutOut { minutes: u64 },
    /// A wrong code; `tries_left` more on this connection.
    Code { tries_left: usize },
    /// Too many connections are still joining (from this address, or in all).
    Busy,
}

impl Refusal {
    pub fn message(&self) -> String {
        match self {
            Self::Full { seats } => format!(
                "The class is full: all {seats} seats are taken. Ask the teacher to make room, then \
                 join again."
            ),
            Self::Rate => "Too many joins from your network this minute: slow down, wait a \
                           minute and join again."
                .into(),
            Self::ShutOut { minutes } => format!(
                "Too many wrong class codes: shut out for {minutes} minute{}. Check the code on \
                 the teacher's screen, then join again.",
                if *minutes == 1 { "" } else { "s" }
            ),
            Self::Code { tries_left: 0 } => {
                "Wrong class code, and no tries left: check the code on the teacher's screen, \
                 then join again."
                    .into()
            }
            Self::Code { tries_left } => format!(
                "Wrong class code: check it on the teacher's screen ({tries_left} tr{} left).",
                if *tries_left == 1 { "y" } else { "ies" }
            ),
            Self::Busy => {
                "Many students are joining at once: wait a few seconds and join again.".into()
            }
        }
    }

    fn counter<'a>(&self, counts: &'a RefusalCounts) -> &'a AtomicUsize {
        match self {
            Self::Full { .. } => &counts.full,
            Self::Rate => &counts.rate,
            Self::ShutOut { .. } => &counts.shut_out,
            Self::Code { .. } => &counts.code,
            Self::Busy => &counts.busy,
        }
    }
}

/// A connection that has arrived and not yet given the right code. It holds one of the
/// address's (and the server's) joining places until it is dropped or takes a seat; it holds
/// no seat, so connections that never give the code cannot fill the class.
pub struct Pending {
    shared: Arc<Shared>,
    ip: IpAddr,
    /// Wrong codes on this connection.
    failures: usize,
    /// Still counted among the joining (false once seated).
    joining: bool,
}

impl Pending {
    pub fn ip(&self) -> IpAddr {
        self.ip
    }

    /// Takes a seat; only once the code was accepted. The joining place is freed either way
    /// on success; on `Full` it stays until the connection ends.
    pub fn take_seat(&mut self) -> Result<Seat, Refusal> {
        match Arc::clone(&self.shared.seats).try_acquire_owned() {
            Ok(permit) => {
                self.leave_joining();
                Ok(Seat(permit))
            }
            Err(_) => {
                Err(self.shared.refuse(Refusal::Full { seats: self.shared.limits.max_students }))
            }
        }
    }

    fn leave_joining(&mut self) {
        if std::mem::take(&mut self.joining) {
            self.shared.leave_joining(self.ip);
        }
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        self.leave_joining();
    }
}

/// One student's seat in the class; freed when dropped.
#[derive(Debug)]
pub struct Seat(#[allow(dead_code)] tokio::sync::OwnedSemaphorePermit);

/// What every connection shares.
pub struct Shared {
    pub course: Arc<Course>,
    pub gate: Gate,
    pub limits: Limits,
    pub stats: Stats,
    /// Every student's shuffle of options follows from it.
    pub seed: u64,
    /// The seats of the class, one per student, shared by every transport (`--max-students`).
    pub seats: Arc<Semaphore>,
    /// The class every student joins; none: each reads on their own (tests of the transport).
    pub class: Option<ClassHandle>,
    /// New connections per address, for the rate limit.
    recent: Mutex<HashMap<IpAddr, (u32, Instant)>>,
    /// Connections still joining (no right code yet): per address, and in all.
    joining: Mutex<(HashMap<IpAddr, usize>, usize)>,
}

impl Shared {
    pub fn new(course: Arc<Course>, gate: Gate, limits: Limits, seed: u64) -> Self {
        Self {
            course,
            gate,
            seats: Arc::new(Semaphore::new(limits.max_students)),
            limits,
            stats: Stats::default(),
            seed,
            class: None,
            recent: Mutex::new(HashMap::new()),
            joining: Mutex::new((HashMap::new(), 0)),
        }
    }

    /// Students join this class.
    #[must_use]
    pub fn with_class(mut self, class: ClassHandle) -> Self {
        self.class = Some(class);
        self
    }

    /// Counts a new connection from `ip`; false when it is over the per-minute limit.
    pub fn admit(&self, ip: IpAddr) -> bool {
        let mut recent = self.recent.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if recent.len() > 4096 {
            recent.retain(|_, (_, since)| since.elapsed() < Duration::from_secs(60));
        }
        let entry = recent.entry(ip).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= Duration::from_secs(60) {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
        entry.0 <= self.limits.connections_per_minute
    }

    /// A new connection from `ip`: refused when the address is shut out, opens connections
    /// too fast, or too many connections are joining already (from it, or in all). Counts the
    /// refusal by reason.
    pub fn arrive(self: &Arc<Self>, ip: IpAddr) -> Result<Pending, Refusal> {
        if let Some(left) = self.gate.shut_out_for(ip) {
            return Err(self.refuse(Refusal::ShutOut { minutes: minutes(left) }));
        }
        if !self.admit(ip) {
            return Err(self.refuse(Refusal::Rate));
        }
        self.join_queue(ip).ok_or_else(|| self.refuse(Refusal::Busy))
    }

    /// A joining place for a connection that is refused but may be told why in words (the
    /// words cost a key exchange, so they are bounded by the same joining caps). None: drop it.
    pub fn explain(self: &Arc<Self>, ip: IpAddr) -> Option<Pending> {
        self.join_queue(ip)
    }

    fn join_queue(self: &Arc<Self>, ip: IpAddr) -> Option<Pending> {
        let mut joining = self.joining.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (by_address, total) = &mut *joining;
        let here = by_address.entry(ip).or_insert(0);
        if *total >= self.limits.pending_total || *here >= self.limits.pending_per_address {
            if *here == 0 {
                by_address.remove(&ip);
            }
            return None;
        }
        *here += 1;
        *total += 1;
        Some(Pending { shared: Arc::clone(self), ip, failures: 0, joining: true })
    }

    fn leave_joining(&self, ip: IpAddr) {
        let mut joining = self.joining.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (by_address, total) = &mut *joining;
        *total = total.saturating_sub(1);
        if let Some(here) = by_address.get_mut(&ip) {
            *here = here.saturating_sub(1);
            if *here == 0 {
                by_address.remove(&ip);
            }
        }
    }

    /// Connections joining now (no right code yet), in all.
    pub fn joining(&self) -> usize {
        self.joining.lock().unwrap_or_else(std::sync::PoisonError::into_inner).1
    }

    /// Checks the code `name` gives on this connection. A wrong code counts against the
    /// connection (a few tries), the name and the address (see [`super::auth::Policy`]).
    pub fn check_code(&self, pending: &mut Pending, name: &str, code: &str) -> Result<(), Refusal> {
        match self.gate.check_named(pending.ip, name, code) {
            Verdict::Accept => Ok(()),
            Verdict::Reject => {
                pending.failures += 1;
                let tries_left = self.limits.auth_attempts.saturating_sub(pending.failures);
                Err(self.refuse(Refusal::Code { tries_left }))
            }
            Verdict::ShutOut => {
                let left = self
                    .gate
                    .shut_out_for(pending.ip)
                    .or_else(|| self.gate.name_shut_out_for(name));
                let minutes = minutes(left.unwrap_or(self.gate.window()));
                Err(self.refuse(Refusal::ShutOut { minutes }))
            }
        }
    }

    /// Counts a refusal by its reason and returns it.
    pub fn refuse(&self, refusal: Refusal) -> Refusal {
        self.stats.refused.fetch_add(1, Ordering::Relaxed);
        refusal.counter(&self.stats.refused_by).fetch_add(1, Ordering::Relaxed);
        refusal
    }
}

/// Whole minutes, rounded up, for the student's message.
fn minutes(left: Duration) -> u64 {
    left.as_secs().div_ceil(60).max(1)
}

/// A token bucket for typed bytes.
pub struct Budget {
    /// Thousandths of a byte, so that a millisecond's refill is never rounded away.
    millibytes: u64,
    per_second: u64,
    burst: u64,
    last: Instant,
}

impl Budget {
    pub fn new(per_second: u32) -> Self {
        let per_second = u64::from(per_second);
        let burst = per_second * 4 * 1000;
        Self { millibytes: burst, per_second, burst, last: Instant::now() }
    }

    /// Takes up to `n` bytes' worth; returns how many may pass.
    pub fn take(&mut self, n: usize) -> usize {
        let elapsed = self.last.elapsed().as_millis() as u64;
        if elapsed > 0 {
            // Bytes per second times milliseconds: thousandths of a byte.
            self.millibytes = (self.millibytes + elapsed * self.per_second).min(self.burst);
            self.last += Duration::from_millis(elapsed);
        }
        let allowed = (self.millibytes / 1000).min(n as u64);
        self.millibytes -= allowed * 1000;
        allowed as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_is_limited_to_a_burst_then_the_rate() {
        let mut budget = Budget::new(100);
        assert_eq!(budget.take(10_000), 400, "four seconds' worth at once");
        assert_eq!(budget.take(10), 0, "then nothing until time passes");
        let before = Instant::now();
        std::thread::sleep(Duration::from_millis(120));
        let refilled = budget.take(10_000);
        // At least what 120 ms earn, at most what the time that really passed earns.
        let most = (before.elapsed().as_millis() as usize / 10 + 1).min(400);
        assert!((12..=most).contains(&refilled), "{refilled} bytes, at most {most}");
    }
}
