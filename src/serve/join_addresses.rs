//! Which of this machine's addresses the console tells students to join on, best first. A
//! teacher's laptop often has more than the Wi-Fi: Docker bridges, a VPN, a virtual machine's
//! network. Students can only reach the address on the network they share with the teacher,
//! which is almost always the one the default route goes out of, so that interface comes
//! first, interfaces that look virtual come last, and each line names its interface so the
//! teacher can tell them apart.

use std::net::IpAddr;
use std::path::Path;

/// One address students might reach this machine on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The network interface it is on (`wlan0`, `en0`, `docker0`).
    pub interface: String,
    pub ip: IpAddr,
}

/// This machine's addresses, best first: loopback and link-local left out (a student cannot
/// use them), IPv6 only when the server listens on IPv6.
pub fn local(ipv6: bool) -> Vec<Candidate> {
    let found = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .filter(|i| !i.is_loopback())
        .map(|i| Candidate { ip: i.ip(), interface: i.name })
        .filter(|c| ipv6 || c.ip.is_ipv4())
        // Link-local IPv6 needs an interface name to be reached: not worth a line.
        .filter(|c| !matches!(c.ip, IpAddr::V6(v6) if v6.segments()[0] & 0xffc0 == 0xfe80))
        .collect();
    rank(found, &default_route_interfaces())
}

/// Orders addresses: those on an interface the default route uses first, then the rest, with
/// interfaces that look virtual (containers, bridges, VPN tunnels) last; IPv4 before IPv6
/// within each (shorter to type); duplicates dropped.
pub fn rank(mut found: Vec<Candidate>, default_route: &[String]) -> Vec<Candidate> {
    let tier = |c: &Candidate| {
        if default_route.contains(&c.interface) {
            0
        } else if looks_virtual(&c.interface) {
            2
        } else {
            1
        }
    };
    found.sort_by(|a, b| {
        (tier(a), a.ip.is_ipv6(), a.ip, &a.interface).cmp(&(
            tier(b),
            b.ip.is_ipv6(),
            b.ip,
            &b.interface,
        ))
    });
    found.dedup_by(|a, b| a.ip == b.ip);
    found
}

/// Names that container engines, hypervisors and VPNs give their interfaces.
fn looks_virtual(interface: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "docker",
        "br-",
        "veth",
        "virbr",
        "vboxnet",
        "vmnet",
        "vnet",
        "lxc",
        "lxd",
        "podman",
        "cni",
        "flannel",
        "cali",
        "tun",
        "tap",
        "wg",
        "utun",
        "tailscale",
        "zt",
        "ppp",
        "bridge",
        "awdl",
        "llw",
        "anpi",
    ];
    PREFIXES.iter().any(|prefix| interface.starts_with(prefix))
}

/// The interfaces the kernel's default routes go out of (Linux: `/proc/net/route` and
/// `/proc/net/ipv6_route`); none where those tables are not files, and the order then falls
/// back to the names alone.
fn default_route_interfaces() -> Vec<String> {
    let read = |path: &str| {
        crate::files::read_regular(Path::new(path), 1 << 20)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default()
    };
    let mut names = default_ipv4_interfaces(&read("/proc/net/route"));
    names.extend(default_ipv6_interfaces(&read("/proc/net/ipv6_route")));
    names
}

/// From `/proc/net/route`: the interface of each row whose destination and mask are 0.
fn default_ipv4_interfaces(table: &str) -> Vec<String> {
    table
        .lines()
        .skip(1)
        .filter_map(|row| {
            let fields: Vec<&str> = row.split_whitespace().collect();
            // Iface Destination Gateway Flags RefCnt Use Metric Mask ...
            (fields.len() > 7 && fields[1] == "00000000" && fields[7] == "00000000")
                .then(|| fields[0].to_owned())
        })
        .collect()
}

/// From `/proc/net/ipv6_route`: the interface (last field) of each `::/0` route that has a
/// next hop (not the unreachable route the kernel keeps on `lo`).
fn default_ipv6_interfaces(table: &str) -> Vec<String> {
    const ZERO: &str = "00000000000000000000000000000000";
    table
        .lines()
        .filter_map(|row| {
            let fields: Vec<&str> = row.split_whitespace().collect();
            // destination, prefix length, source, source prefix, next hop, metric, refs, use,
            // flags, interface
            (fields.len() == 10 && fields[0] == ZERO && fields[1] == "00" && fields[4] != ZERO)
                .then(|| fields[9].to_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(interface: &str, ip: &str) -> Candidate {
        Candidate { interface: interface.into(), ip: ip.parse().unwrap() }
    }

    #[test]
    fn the_default_routes_interface_comes_before_docker_and_a_vpn() {
        let found = vec![
            candidate("docker0", "172.17.0.1"),
            candidate("br-5e2c", "172.18.0.1"),
            candidate("tun0", "10.8.0.6"),
            candidate("wlan0", "192.168.1.20"),
            candidate("virbr0", "192.168.122.1"),
        ];
        let ranked = rank(found, &["wlan0".to_owned()]);
        assert_eq!(ranked[0], candidate("wlan0", "192.168.1.20"));
        // Four lines are shown at most: the Wi-Fi address is never the one pushed off.
        assert!(ranked[..4].iter().any(|c| c.interface == "wlan0"));
        let last: Vec<&str> = ranked[1..].iter().map(|c| c.interface.as_str()).collect();
        assert!(last.iter().all(|name| looks_virtual(name)), "{last:?}");
    }

    #[test]
    fn without_a_route_table_a_physical_name_still_beats_a_bridge() {
        let ranked =
            rank(vec![candidate("docker0", "172.17.0.1"), candidate("en0", "10.0.0.5")], &[]);
        assert_eq!(ranked[0].interface, "en0");
    }

    #[test]
    fn ipv4_comes_before_ipv6_on_the_same_interface() {
        let ranked = rank(
            vec![candidate("eth0", "fd00::2"), candidate("eth0", "192.0.2.2")],
            &["eth0".to_owned()],
        );
        assert_eq!(ranked[0].ip.to_string(), "192.0.2.2");
    }

    #[test]
    fn the_default_route_is_read_from_the_kernels_tables() {
        let ipv4 = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n\
            docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n\
            wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n\
            wlan0\t0001A8C0\t00000000\t0001\t0\t0\t600\t00FFFFFF\t0\t0\t0\n";
        assert_eq!(default_ipv4_interfaces(ipv4), vec!["wlan0"]);
        let ipv6 = "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000001 00000000 00000003 wlan0\n\
            00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200 lo\n\
            fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001 eth0\n";
        assert_eq!(default_ipv6_interfaces(ipv6), vec!["wlan0"]);
        assert!(default_ipv4_interfaces("").is_empty());
        assert!(default_ipv6_interfaces("garbage line\n").is_empty());
    }
}
