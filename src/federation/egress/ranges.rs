//! The range test of the egress policy: which addresses are not public.
//!
//! One table for IP literals in URLs, for addresses a host name resolves to
//! at connect time, and for every redirect hop.

use ipnet::IpNet;
use std::{
    net::{IpAddr, Ipv4Addr},
    sync::OnceLock,
};

/// Non-global ranges and what they are. More specific ranges come first.
const RANGES: &[(&str, &str)] = &[
    ("0.0.0.0/8", "\"this network\" (0.0.0.0/8)"),
    ("10.0.0.0/8", "private"),
    ("100.64.0.0/10", "shared (CGNAT)"),
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link-local"),
    ("172.16.0.0/12", "private"),
    ("192.0.0.0/24", "IETF protocol assignments"),
    ("192.0.2.0/24", "documentation"),
    ("192.168.0.0/16", "private"),
    ("198.18.0.0/15", "benchmarking"),
    ("198.51.100.0/24", "documentation"),
    ("203.0.113.0/24", "documentation"),
    ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved (240.0.0.0/4)"),
    ("::/128", "unspecified"),
    ("::1/128", "loopback"),
    ("::ffff:0:0/96", "IPv4-mapped IPv6"),
    ("::/96", "IPv4-compatible IPv6"),
    ("64:ff9b:1::/48", "local-use NAT64"),
    ("100::/64", "discard-only"),
    ("2001:db8::/32", "documentation"),
    ("2002::/16", "6to4"),
    ("3fff::/20", "documentation"),
    ("fc00::/7", "unique local"),
    ("fe80::/10", "link-local"),
    ("fec0::/10", "site-local"),
    ("ff00::/8", "multicast"),
];

fn table() -> &'static [(IpNet, &'static str)] {
    static TABLE: OnceLock<Vec<(IpNet, &'static str)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        RANGES
            .iter()
            .map(|(net, kind)| (net.parse().expect("the range table parses"), *kind))
            .collect()
    })
}

/// What kind of non-global address `ip` is, or `None` for a public one.
/// NAT64 addresses (64:ff9b::/96) are judged by the IPv4 address they embed.
pub fn non_global(ip: IpAddr) -> Option<&'static str> {
    if let IpAddr::V6(v6) = ip {
        let s = v6.segments();
        if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
            let [a, b] = s[6].to_be_bytes();
            let [c, d] = s[7].to_be_bytes();
            return non_global(IpAddr::V4(Ipv4Addr::new(a, b, c, d)))
                .map(|_| "NAT64 of a non-public IPv4");
        }
    }
    table()
        .iter()
        .find(|(net, _)| net.contains(&ip))
        .map(|(_, kind)| *kind)
}
