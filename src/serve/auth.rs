//! The class code, and the limits on guessing it. Every attempt goes through [`Gate::check`]:
//! codes are compared in constant time, russh delays every rejection by the same time, each
//! connection gets a few tries, and an address that fails too often is shut out for a while
//! (its new connections are closed at once, before any work is done for them).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Letters and digits that cannot be mistaken for each other on a projector (no 0/O, 1/l/I).
const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";

/// How long a generated code is: 31^6 ≈ 900 million codes, against 10 guesses per address per
/// ten minutes.
const GENERATED_LENGTH: usize = 6;

/// How many addresses are remembered at most; past it, the oldest records are forgotten first
/// (a flood of addresses must not grow memory without bound).
const MAX_ADDRESSES: usize = 4096;

/// A fresh class code.
pub fn generate_code() -> String {
    let mut bytes = [0u8; GENERATED_LENGTH];
    // If the system has no randomness, the time is a poor but working fallback; the limits
    // below still hold.
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (nanos >> (i * 5)) as u8;
        }
    }
    bytes.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect()
}

/// Compares without stopping at the first difference, so the time taken does not tell a
/// guesser how much of the code they got right. (The length may show; it is not secret.)
/// Case and surrounding spaces are forgiven: students copy the code from a projector.
pub fn same_code(given: &str, code: &str) -> bool {
    let given = given.trim().to_ascii_lowercase();
    let code = code.to_ascii_lowercase();
    if given.len() != code.len() {
        return false;
    }
    let diff = given.bytes().zip(code.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b));
    std::hint::black_box(diff) == 0
}

/// The limits on failed codes. A class behind one router (a lab, a guest network) shares one
/// address, so the address limit is generous and a name's own limit is tight: one student's
/// typos shut out that name, not the whole room.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Failed codes from one address before it is shut out.
    pub failures_per_address: u32,
    /// Failed codes given with one name (any address) before that name is shut out.
    pub failures_per_name: u32,
    /// How long failures are remembered, and how long an address stays shut out.
    pub window: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Self { failures_per_address: 40, failures_per_name: 8, window: Duration::from_secs(600) }
    }
}

/// Checks codes and remembers failures per address. Shared by every connection.
pub struct Gate {
    /// `None`: `--open`, no code needed.
    code: Option<String>,
    policy: Policy,
    failures: Mutex<HashMap<IpAddr, (u32, Instant)>>,
    /// Failures per name (lower-cased), for the name's own limit.
    name_failures: Mutex<HashMap<String, (u32, Instant)>>,
}

/// The answer to one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Accept,
    Reject,
    /// The address has failed too often: reject without looking at the code.
    ShutOut,
}

impl Gate {
    pub fn new(code: Option<String>, policy: Policy) -> Self {
        Self {
            code,
            policy,
            failures: Mutex::new(HashMap::new()),
            name_failures: Mutex::new(HashMap::new()),
        }
    }

    /// Whether a code is needed at all.
    pub fn is_open(&self) -> bool {
        self.code.is_none()
    }

    /// Whether this address is shut out now.
    pub fn shut_out(&self, addr: IpAddr) -> bool {
        self.shut_out_for(addr).is_some()
    }

    /// How long this address stays shut out; none when it is not.
    pub fn shut_out_for(&self, addr: IpAddr) -> Option<Duration> {
        shut_out_in(&self.failures, &addr, self.policy.failures_per_address, self.policy.window)
    }

    /// How long this name stays shut out; none when it is not.
    pub fn name_shut_out_for(&self, name: &str) -> Option<Duration> {
        let key = name.to_lowercase();
        shut_out_in(&self.name_failures, &key, self.policy.failures_per_name, self.policy.window)
    }

    /// How long failures are remembered.
    pub fn window(&self) -> Duration {
        self.policy.window
    }

    /// Checks a code given from `addr`, counting a failure against the address.
    pub fn check(&self, addr: IpAddr, given: &str) -> Verdict {
        self.check_named(addr, "", given)
    }

    /// Checks a code given from `addr` for `name`, counting a failure against both (an empty
    /// name counts against the address only).
    pub fn check_named(&self, addr: IpAddr, name: &str, given: &str) -> Verdict {
        let Some(code) = &self.code else { return Verdict::Accept };
        if self.shut_out(addr) || (!name.is_empty() && self.name_shut_out_for(name).is_some()) {
            return Verdict::ShutOut;
        }
        if same_code(given, code) {
            return Verdict::Accept;
        }
        count_failure(&self.failures, addr, self.policy.window);
        if !name.is_empty() {
            count_failure(&self.name_failures, name.to_lowercase(), self.policy.window);
        }
        Verdict::Reject
    }
}

/// How long `key` stays shut out in `table`, forgetting an expired record.
fn shut_out_in<K: std::hash::Hash + Eq>(
    table: &Mutex<HashMap<K, (u32, Instant)>>,
    key: &K,
    limit: u32,
    window: Duration,
) -> Option<Duration> {
    let mut table = table.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    match table.get(key) {
        Some(&(count, since)) if since.elapsed() < window => {
            (count >= limit).then(|| window.saturating_sub(since.elapsed()))
        }
        Some(_) => {
            table.remove(key);
            None
        }
        None => None,
    }
}

/// Counts one failure for `key`, keeping the table bounded.
fn count_failure<K: std::hash::Hash + Eq + Clone>(
    table: &Mutex<HashMap<K, (u32, Instant)>>,
    key: K,
    window: Duration,
) {
    let mut failures = table.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if failures.len() >= MAX_ADDRESSES && !failures.contains_key(&key) {
        failures.retain(|_, (_, since)| since.elapsed() < window);
        if failures.len() >= MAX_ADDRESSES
            && let Some(oldest) =
                failures.iter().min_by_key(|(_, (_, s))| *s).map(|(k, _)| k.clone())
        {
            failures.remove(&oldest);
        }
    }
    let entry = failures.entry(key).or_insert((0, Instant::now()));
    if entry.1.elapsed() >= window {
        *entry = (0, Instant::now());
    }
    entry.0 += 1;
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOME: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

    #[test]
    fn generated_codes_use_the_clear_alphabet_and_differ() {
        let a = generate_code();
        assert_eq!(a.len(), GENERATED_LENGTH);
        assert!(a.bytes().all(|b| ALPHABET.contains(&b)), "{a}");
        let many: std::collections::HashSet<_> = (0..20).map(|_| generate_code()).collect();
        assert!(many.len() > 15, "codes repeat: {many:?}");
    }

    #[test]
    fn codes_match_forgiving_case_and_spaces_only() {
        assert!(same_code(" K7Q2XM ", "k7q2xm"));
        assert!(!same_code("k7q2x", "k7q2xm"));
        assert!(!same_code("k7q2xn", "k7q2xm"));
        assert!(!same_code("", "k7q2xm"));
    }

    #[test]
    fn an_address_that_fails_too_often_is_shut_out_even_with_the_right_code() {
        let gate = Gate::new(
            Some("abc234".into()),
            Policy {
                failures_per_address: 3,
                window: Duration::from_secs(60),
                ..Policy::default()
            },
        );
        let other = IpAddr::V4(std::net::Ipv4Addr::new(127, 0, 0, 2));
        for _ in 0..3 {
            assert_eq!(gate.check(HOME, "wrong"), Verdict::Reject);
        }
        assert!(gate.shut_out(HOME));
        assert_eq!(gate.check(HOME, "abc234"), Verdict::ShutOut);
        assert_eq!(gate.check(other, "abc234"), Verdict::Accept, "another address is not");
    }

    #[test]
    fn failures_are_forgotten_after_the_window() {
        let gate = Gate::new(
            Some("abc234".into()),
            Policy {
                failures_per_address: 1,
                window: Duration::from_millis(20),
                ..Policy::default()
            },
        );
        assert_eq!(gate.check(HOME, "wrong"), Verdict::Reject);
        assert!(gate.shut_out(HOME));
        std::thread::sleep(Duration::from_millis(30));
        assert_eq!(gate.check(HOME, "abc234"), Verdict::Accept);
    }

    #[test]
    fn one_name_that_keeps_failing_is_shut_out_but_its_neighbours_behind_the_same_router_are_not() {
        let gate = Gate::new(Some("abc234".into()), Policy::default());
        for _ in 0..Policy::default().failures_per_name {
            assert_eq!(gate.check_named(HOME, "ana", "wrong"), Verdict::Reject);
        }
        assert_eq!(gate.check_named(HOME, "ANA", "abc234"), Verdict::ShutOut, "the name, any case");
        assert_eq!(gate.check_named(HOME, "ben", "abc234"), Verdict::Accept, "same address");
        assert!(gate.name_shut_out_for("ana").is_some_and(|d| d <= Duration::from_secs(600)));
    }

    #[test]
    fn open_accepts_anything() {
        let gate = Gate::new(None, Policy::default());
        assert!(gate.is_open());
        assert_eq!(gate.check(HOME, ""), Verdict::Accept);
    }
}
