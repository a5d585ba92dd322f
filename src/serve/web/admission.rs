//! Where the web transport meets the class's rules before any HTTP is read. The join itself
//! (a joining place, the code checked per connection, name and address, a seat only once it is
//! accepted) is `serve::rules::Shared::{arrive, check_code}` and `Pending::take_seat`, the same
//! calls the SSH transport makes, so one cap, one rate and one shut-out hold for both.

use std::net::IpAddr;

use crate::serve::rules::Shared;

/// Whether an address is shut out (its connections are closed before any work).
pub fn shut_out(shared: &Shared, ip: IpAddr) -> bool {
    shared.gate.shut_out(ip)
}
