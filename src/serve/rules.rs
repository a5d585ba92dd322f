//! The rules every transport follows, whatever carries a student's keys (an SSH channel or a
//! browser's WebSocket): the limits set by `stemcell serve`'s options, the counters the console
//! and the load example read, the per-address connection rate, and the typing budget. Each
//! transport asks these before doing work for a peer, so one student cap and one rate hold
//! for both.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use crate::class::names;
use crate::class::room::ClassHandle;
use crate::course::Course;

use super::auth::Gate;

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
    /// Code attempts per connection.
    pub auth_attempts: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_students: 100,
            connections_per_minute: 20,
            handshake: Duration::from_secs(30),
            idle: Duration::from_secs(3 * 3600),
            keepalive: Duration::from_secs(30),
            input_bytes_per_second: 2048,
            name_width: names::DEFAULT_MAX_WIDTH,
            stall: Duration::from_secs(20),
            max_cols: 400,
            max_rows: 150,
            auth_attempts: 5,
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
    /// Connections closed at once: class full, too fast, or shut out.
    pub refused: AtomicUsize,
    /// Connections cut for not finishing the handshake in time.
    pub handshake_timeouts: AtomicUsize,
    /// Clients dropped for not reading their output.
    pub dropped_slow: AtomicUsize,
    /// The most bytes ever waiting in one student's frame slot.
    pub largest_frame: AtomicUsize,
}

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
