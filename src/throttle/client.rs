//! Who the client is, by address: the connection's peer, or, when the peer
//! is a trusted proxy, the nearest address the proxies report that is not
//! itself a trusted proxy. Headers from any other peer are ignored, so a
//! client cannot choose its own rate-limit bucket.

use ipnet::IpNet;
use std::net::{IpAddr, Ipv6Addr};

/// Most hops read from a forwarding header.
const MAX_HOPS: usize = 32;

/// The client address of a request that came from `peer` with these
/// `Forwarded` and `X-Forwarded-For` header values (each header's values
/// joined with commas). `Forwarded` wins when both are present.
pub fn client_address(
    peer: Option<IpAddr>,
    forwarded: Option<&str>,
    x_forwarded_for: Option<&str>,
    trusted: &[IpNet],
) -> Option<IpAddr> {
    let peer = peer.map(|p| p.to_canonical())?;
    if !is_trusted(peer, trusted) {
        return Some(peer);
    }
    let hops: Vec<Option<IpAddr>> = match (forwarded, x_forwarded_for) {
        (Some(f), _) => forwarded_for(f),
        (None, Some(x)) => x.split(',').map(parse_node).collect(),
        (None, None) => return Some(peer),
    };
    // From the nearest hop outwards: the first address that is not a
    // trusted proxy is the client. An unreadable hop ends the walk: the
    // last trusted proxy is then the best we know.
    let mut client = peer;
    for hop in hops.into_iter().rev().take(MAX_HOPS) {
        match hop {
            Some(ip) if is_trusted(ip, trusted) => client = ip,
            Some(ip) => return Some(ip),
            None => break,
        }
    }
    Some(client)
}

fn is_trusted(ip: IpAddr, trusted: &[IpNet]) -> bool {
    trusted.iter().any(|net| net.contains(&ip))
}

/// The `for=` nodes of a `Forwarded` header (RFC 7239), in order.
fn forwarded_for(header: &str) -> Vec<Option<IpAddr>> {
    header
        .split(',')
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (name, value) = pair.split_once('=')?;
                name.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| parse_node(value))
            })
        })
        .collect()
}

/// An address as proxies write it: `192.0.2.1`, `192.0.2.1:4711`,
/// `2001:db8::1`, `"[2001:db8::1]:4711"`; `unknown` and obfuscated names
/// are not addresses.
fn parse_node(text: &str) -> Option<IpAddr> {
    let text = text.trim().trim_matches('"').trim();
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    if let Some(inner) = text.strip_prefix('[') {
        let (ip, _port) = inner.split_once(']')?;
        return ip
            .parse::<Ipv6Addr>()
            .ok()
            .map(|ip| IpAddr::V6(ip).to_canonical());
    }
    let (ip, port) = text.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    ip.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

/// The key an address is limited by: IPv4 addresses one by one, IPv6 by
/// their /64 (one household or school network gets a whole /64).
pub fn address_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(Ipv6Addr::from(bits))
        }
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    /// SECURITY.md API 4: forwarding headers count only from a trusted proxy.
    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        let peer = Some(ip("203.0.113.9"));
        assert_eq!(
            client_address(peer, None, Some("10.1.1.1"), &[]),
            Some(ip("203.0.113.9"))
        );
        let trusted = nets(&["127.0.0.1/32"]);
        assert_eq!(
            client_address(peer, Some("for=10.1.1.1"), Some("10.1.1.1"), &trusted),
            Some(ip("203.0.113.9"))
        );
    }

    #[test]
    fn the_nearest_untrusted_hop_is_the_client() {
        let trusted = nets(&["127.0.0.1/32", "10.0.0.0/8"]);
        let peer = Some(ip("127.0.0.1"));
        // The client wrote a spoofed first hop; the proxies appended the truth.
        assert_eq!(
            client_address(
                peer,
                None,
                Some("1.2.3.4, 198.51.100.7, 10.0.0.5"),
                &trusted
            ),
            Some(ip("198.51.100.7"))
        );
        assert_eq!(
            client_address(
                peer,
                Some(r#"for=1.2.3.4, for="[2001:db8::7]:4711";proto=https"#),
                Some("9.9.9.9"),
                &trusted
            ),
            Some(ip("2001:db8::7"))
        );
        assert_eq!(
            client_address(peer, Some("for=192.0.2.60:80;by=10.0.0.1"), None, &trusted),
            Some(ip("192.0.2.60"))
        );
        // No header, or only trusted or unreadable hops: the nearest trusted proxy.
        assert_eq!(client_address(peer, None, None, &trusted), peer);
        assert_eq!(
            client_address(peer, Some("for=unknown"), None, &trusted),
            peer
        );
        assert_eq!(
            client_address(peer, None, Some("10.0.0.9"), &trusted),
            Some(ip("10.0.0.9"))
        );
    }

    #[test]
    fn ipv6_addresses_share_their_64() {
        assert_eq!(
            address_key(ip("2001:db8:1:2:aaaa::1")),
            address_key(ip("2001:db8:1:2:bbbb::2"))
        );
        assert_ne!(
            address_key(ip("2001:db8:1:2::1")),
            address_key(ip("2001:db8:1:3::1"))
        );
        assert_eq!(address_key(ip("::ffff:192.0.2.1")), ip("192.0.2.1"));
    }
}
