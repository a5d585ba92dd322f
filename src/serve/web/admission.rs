//! The one place the web transport meets the class's rules (`serve::rules`, `serve::auth`):
//! a seat, the per-address rate, the shut-out, the code. The SSH transport asks the same
//! questions of the same `Shared`, so one cap, one rate and one shut-out hold for both. When the
//! rules change (a seat only once the code is accepted), this file is what follows.

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use tokio::sync::OwnedSemaphorePermit;

use crate::serve::auth::Verdict;
use crate::serve::rules::Shared;

/// A student's seat in the class, given back when dropped.
pub struct Seat(#[allow(dead_code)] OwnedSemaphorePermit);

/// Why a browser is not let in; the message is shown on its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Full,
    TooFast,
    ShutOut,
    WrongCode,
}

impl Refusal {
    pub fn message(self) -> &'static str {
        match self {
            Self::Full => "The class is full: ask your teacher.",
            Self::TooFast => "Too many tries from this device: wait a minute, then try again.",
            Self::ShutOut => {
                "Too many wrong codes from this device: wait ten minutes, then check the code on the teacher's screen."
            }
            Self::WrongCode => "That is not the class code: check it on the teacher's screen.",
        }
    }
}

/// A browser opens a class socket: a seat, within the address's rate, not shut out. The same
/// checks the SSH accept loop makes, in the same order.
pub fn arrive(shared: &Arc<Shared>, ip: IpAddr) -> Result<Seat, Refusal> {
    let refused = |why| {
        shared.stats.refused.fetch_add(1, Ordering::Relaxed);
        Err(why)
    };
    let Ok(seat) = Arc::clone(&shared.seats).try_acquire_owned() else {
        return refused(Refusal::Full);
    };
    if !shared.admit(ip) {
        return refused(Refusal::TooFast);
    }
    if shared.gate.shut_out(ip) {
        return refused(Refusal::ShutOut);
    }
    Ok(Seat(seat))
}

/// Whether an address is shut out (its connections are closed before any work).
pub fn shut_out(shared: &Shared, ip: IpAddr) -> bool {
    shared.gate.shut_out(ip)
}

/// Checks the code a browser sent; a wrong one counts against its address, as over SSH.
pub fn check_code(shared: &Shared, ip: IpAddr, code: &str) -> Result<(), Refusal> {
    match shared.gate.check(ip, code) {
        Verdict::Accept => Ok(()),
        Verdict::Reject => Err(Refusal::WrongCode),
        Verdict::ShutOut => Err(Refusal::ShutOut),
    }
}
