//! The egress policy, production and dev mode, without a network.

use super::*;
use crate::{config::Settings, federation::http_client};
use std::{
    io::{BufRead, BufReader, Write},
    net::TcpListener,
};

fn settings(dev: bool, allow: &[&str]) -> Settings {
    let mut s = Settings::for_tests("a.test", "sqlite://x.db");
    s.dev_mode = dev;
    s.dev_hosts = if dev {
        vec![
            ("*.test".into(), "127.0.0.1".parse().unwrap()),
            ("peer.lan".into(), "10.9.9.9".parse().unwrap()),
        ]
    } else {
        vec![]
    };
    s.federation.allow_private_addresses = allow.iter().map(|n| n.parse().unwrap()).collect();
    s
}

fn policy(dev: bool, allow: &[&str]) -> EgressPolicy {
    EgressPolicy::new(&settings(dev, allow))
}

fn check(p: &EgressPolicy, url: &str) -> Result<(), Refusal> {
    p.check_url(&Url::parse(url).unwrap_or_else(|e| panic!("{url}: {e}")))
}

/// `https://ip/` with the IPv6 brackets where needed.
fn at(ip: &str) -> String {
    if ip.contains(':') {
        format!("https://[{ip}]/x")
    } else {
        format!("https://{ip}/x")
    }
}

const NON_GLOBAL: &[&str] = &[
    "0.0.0.0",
    "0.1.2.3",
    "10.0.0.1",
    "10.255.255.255",
    "100.64.0.1",
    "100.127.255.254",
    "127.0.0.1",
    "127.255.255.254",
    "169.254.169.254",
    "169.254.0.1",
    "172.16.0.1",
    "172.31.255.255",
    "192.0.0.1",
    "192.0.2.1",
    "192.168.1.1",
    "198.18.0.1",
    "198.51.100.7",
    "203.0.113.9",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "::ffff:10.0.0.1",
    "::ffff:8.8.8.8",
    "::127.0.0.1",
    "64:ff9b::a00:1",
    "64:ff9b::7f00:1",
    "64:ff9b:1::1",
    "100::1",
    "2001:db8::1",
    "2002:7f00:1::",
    "3fff::1",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "febf::1",
    "fec0::1",
    "ff02::1",
];

const GLOBAL: &[&str] = &[
    "1.1.1.1",
    "8.8.8.8",
    "100.63.255.255",
    "100.128.0.1",
    "172.15.255.255",
    "172.32.0.1",
    "192.169.0.1",
    "2606:4700::1111",
    "2a00:1450:4001::200e",
    "64:ff9b::808:808",
];

/// SECURITY.md Fetching 1: every non-global range (loopback, private,
/// link-local, CGNAT, 0.0.0.0/8, 240/4, multicast, documentation, `::`,
/// IPv4-mapped and -compatible IPv6, unique-local, link-local IPv6, NAT64 of
/// a private address) is refused in production; public addresses pass.
#[test]
fn every_non_global_range_is_refused_in_production() {
    let p = policy(false, &[]);
    for ip in NON_GLOBAL {
        let addr: IpAddr = ip.parse().unwrap();
        assert!(non_global(addr).is_some(), "{ip} counts as public");
        assert!(
            matches!(check(&p, &at(ip)), Err(Refusal::Address { .. })),
            "{ip} was not refused"
        );
        assert!(p.check_ip(addr).is_err(), "{ip} may be connected to");
    }
    for ip in GLOBAL {
        assert_eq!(non_global(ip.parse().unwrap()), None, "{ip}");
        assert_eq!(check(&p, &at(ip)), Ok(()), "{ip}");
    }
    assert_eq!(check(&p, "https://b.example/users/bob"), Ok(()));
    let refusal = check(&p, "https://169.254.169.254/latest/meta-data").unwrap_err();
    assert_eq!(
        refusal.to_string(),
        "169.254.169.254 is not a public address (link-local)"
    );
}

/// SECURITY.md Fetching 1: IPv4 written as one decimal number, in octal, in
/// hex, shortened, with a trailing dot, or inside IPv6 is the same address
/// (the `url` crate normalizes it) and is refused the same way.
#[test]
fn other_spellings_of_an_address_are_refused_too() {
    let p = policy(false, &[]);
    for url in [
        "https://2130706433/",
        "https://017700000001/",
        "https://0x7f000001/",
        "https://0x7f.1/",
        "https://127.1/",
        "https://0/",
        "https://169.254.169.254./",
        "https://2852039166/",
        "https://[::ffff:7f00:1]/",
        "https://[0:0:0:0:0:ffff:169.254.169.254]/",
        "https://[::ffff:a9fe:a9fe]/",
        "https://[0000::1]/",
    ] {
        assert!(
            matches!(check(&p, url), Err(Refusal::Address { .. })),
            "{url}: {:?}",
            check(&p, url)
        );
    }
}

/// SECURITY.md Fetching 1: https only (http in dev mode), no user info, no
/// explicit ports outside dev mode, no host that the federation policy blocks.
#[test]
fn schemes_user_info_ports_and_blocked_domains() {
    let prod = policy(false, &[]);
    let dev = policy(true, &[]);
    assert!(matches!(
        check(&prod, "http://b.example/users/bob"),
        Err(Refusal::Scheme(_))
    ));
    assert_eq!(check(&dev, "http://b.test:8001/users/bob"), Ok(()));
    for url in [
        "ftp://b.example/x",
        "file:///etc/passwd",
        "gopher://b.example/x",
        "data:text/plain,hi",
        "ws://b.example/x",
    ] {
        assert!(
            matches!(check(&prod, url), Err(Refusal::Scheme(_))),
            "{url}"
        );
        assert!(matches!(check(&dev, url), Err(Refusal::Scheme(_))), "{url}");
    }
    for url in [
        "https://user:secret@b.example/x",
        "https://user@b.example/x",
        "https://:secret@b.example/x",
    ] {
        assert_eq!(check(&prod, url), Err(Refusal::UserInfo), "{url}");
    }
    assert_eq!(
        check(&dev, "http://user:pw@b.test:8001/x"),
        Err(Refusal::UserInfo)
    );
    assert_eq!(
        check(&prod, "https://b.example:8443/x"),
        Err(Refusal::Port(8443))
    );
    assert_eq!(
        check(&prod, "https://b.example:6379/x"),
        Err(Refusal::Port(6379))
    );
    // The default port is no explicit port.
    assert_eq!(check(&prod, "https://b.example:443/x"), Ok(()));
    let mut s = settings(false, &[]);
    s.federation.blocked_domains = vec!["spam.example".into()];
    let blocking = EgressPolicy::new(&s);
    assert!(matches!(
        check(&blocking, "https://a.spam.example/x"),
        Err(Refusal::BlockedDomain(_))
    ));
    // A logged URL never shows a password.
    let url = Url::parse("https://user:secret@b.example/x").unwrap();
    assert_eq!(shown(&url), "https://b.example/x");
}

/// SECURITY.md Fetching 1: dev mode reaches this machine (loopback) and the
/// `dev_hosts` addresses, over http and any port, and nothing else: private
/// ranges such as 10/8 and 169.254/16 stay refused unless listed.
#[test]
fn dev_mode_reaches_only_this_machine_and_dev_hosts() {
    let dev = policy(true, &[]);
    for url in [
        "http://127.0.0.1:8001/x",
        "http://127.0.0.2:8001/x",
        "http://[::1]:8001/x",
        "http://[::ffff:127.0.0.1]:8001/x",
        "http://10.9.9.9:8001/x",
    ] {
        assert_eq!(check(&dev, url), Ok(()), "{url}");
    }
    for url in [
        "http://10.0.0.1/x",
        "http://169.254.169.254/latest/meta-data",
        "http://[::ffff:169.254.169.254]/x",
        "http://192.168.1.1/x",
        "http://[fe80::1]/x",
        "http://0.0.0.0:8001/x",
    ] {
        assert!(
            matches!(check(&dev, url), Err(Refusal::Address { .. })),
            "{url}"
        );
    }
    assert_eq!(
        check(&dev, "http://8.8.8.8/x"),
        Err(Refusal::NotThisMachine("8.8.8.8".parse().unwrap()))
    );
    assert_eq!(
        dev.dev_host("district-a.test"),
        Some("127.0.0.1".parse().unwrap())
    );
    assert_eq!(dev.dev_host("peer.lan"), Some("10.9.9.9".parse().unwrap()));
    assert_eq!(dev.dev_host("x.peer.lan"), None);
    assert_eq!(dev.dev_host("nottest"), None);
    // Production has no such exceptions.
    let prod = policy(false, &[]);
    assert!(prod.check_ip("127.0.0.1".parse().unwrap()).is_err());
    assert!(prod.check_ip("::1".parse().unwrap()).is_err());
}

/// SECURITY.md Fetching 1: `federation.allow_private_addresses` opens the
/// listed ranges (IPv4-mapped forms of them too) and nothing more.
#[test]
fn listed_private_ranges_are_allowed() {
    let prod = policy(false, &["10.20.0.0/16", "fd00:1::/64"]);
    assert_eq!(check(&prod, "https://10.20.3.4/x"), Ok(()));
    assert_eq!(check(&prod, "https://[::ffff:10.20.0.9]/x"), Ok(()));
    assert_eq!(check(&prod, "https://[fd00:1::5]/x"), Ok(()));
    assert!(check(&prod, "https://10.21.0.1/x").is_err());
    assert!(check(&prod, "https://[fd00:2::5]/x").is_err());
    assert!(check(&prod, "https://169.254.169.254/x").is_err());
    assert!(check(&prod, "https://127.0.0.1/x").is_err());
    // Ports and schemes are still checked.
    assert_eq!(
        check(&prod, "https://10.20.3.4:8443/x"),
        Err(Refusal::Port(8443))
    );
    let dev = policy(true, &["169.254.0.0/16"]);
    assert_eq!(check(&dev, "http://169.254.1.1/x"), Ok(()));
    assert!(check(&dev, "http://10.0.0.1/x").is_err());
}

/// SECURITY.md Fetching 1: host names are checked when connecting (with the
/// same range test), so a name that resolves, or later re-resolves, to a
/// non-public address is refused even when the request skips the URL check;
/// the caller can tell a refusal from a failure.
#[tokio::test]
async fn names_are_checked_at_connect_time() {
    let egress = http_client::build(&settings(false, &[]));
    let err = egress
        .client()
        .get("https://localhost/x")
        .send()
        .await
        .unwrap_err();
    match refusal_in(&err) {
        Some(Refusal::Resolved { host, reason }) => {
            assert_eq!(host, "localhost");
            assert!(reason.contains("loopback"), "{reason}");
        }
        other => panic!("not refused: {other:?} ({err})"),
    }
    // Dev mode: a dev_hosts name resolves to its address, which is allowed.
    let dev = settings(true, &[]);
    let resolver = http_client::PolicyResolver {
        policy: Arc::new(EgressPolicy::new(&dev)),
    };
    let name: reqwest::dns::Name = "peer.lan".parse().unwrap();
    let addrs: Vec<_> = reqwest::dns::Resolve::resolve(&resolver, name)
        .await
        .unwrap()
        .collect();
    assert_eq!(addrs[0].ip(), "10.9.9.9".parse::<IpAddr>().unwrap());
}

/// A tiny HTTP server on loopback: `/hops/N` redirects N more times, then
/// answers 200; `/to-private` and `/to-metadata` redirect to internal
/// addresses; `/to-userinfo` to a URL with user info.
fn redirecting_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let me = base.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut line = String::new();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap_or(0) <= 2 {
                    break;
                }
            }
            let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
            let location = if let Some(n) = path.strip_prefix("/hops/") {
                let n: u32 = n.parse().unwrap_or(0);
                (n > 0).then(|| format!("{me}/hops/{}", n - 1))
            } else {
                match path.as_str() {
                    "/to-private" => Some("http://10.0.0.1/x".to_string()),
                    "/to-metadata" => Some("http://169.254.169.254/latest/meta-data".into()),
                    "/to-userinfo" => Some(me.replace("http://", "http://u:p@") + "/hops/0"),
                    _ => None,
                }
            };
            let response = match location {
                Some(l) => format!(
                    "HTTP/1.1 302 Found\r\nLocation: {l}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                ),
                None => "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                    .to_string(),
            };
            let _ = stream.write_all(response.as_bytes());
        }
    });
    base
}

/// SECURITY.md Fetching 2: each redirect hop is checked by the policy (an
/// internal address, user info), and at most 3 hops are followed.
#[tokio::test]
async fn redirect_hops_are_checked_and_limited() {
    let base = redirecting_server();
    let egress = http_client::build(&settings(true, &[]));
    let get = |path: &str| {
        let egress = egress.clone();
        let url = Url::parse(&format!("{base}{path}")).unwrap();
        async move { egress.get(&url, "*/*", "test").await }
    };
    let ok = get("/hops/3").await.expect("3 redirects are followed");
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.text().await.unwrap(), "ok");
    match get("/hops/4").await {
        Err(EgressError::Refused(Refusal::TooManyRedirects(3))) => {}
        other => panic!("4 redirects followed: {other:?}"),
    }
    for (path, ip) in [
        ("/to-private", "10.0.0.1"),
        ("/to-metadata", "169.254.169.254"),
    ] {
        match get(path).await {
            Err(EgressError::Refused(Refusal::Address { ip: got, .. })) => {
                assert_eq!(got, ip.parse::<IpAddr>().unwrap())
            }
            other => panic!("{path}: redirect followed: {other:?}"),
        }
    }
    match get("/to-userinfo").await {
        Err(EgressError::Refused(Refusal::UserInfo)) => {}
        other => panic!("redirect with user info followed: {other:?}"),
    }
    // The federation crate follows one redirect itself: its verifier runs
    // the same policy on the new URL.
    let verifier = egress.verifier();
    let err = verifier
        .verify(&Url::parse("http://169.254.169.254/x").unwrap())
        .await
        .unwrap_err();
    assert!(err.to_string().contains(Refusal::CRATE_PREFIX), "{err}");
    assert!(verifier
        .verify(&Url::parse(&format!("{base}/x")).unwrap())
        .await
        .is_ok());
    // Deliveries never start towards a refused inbox.
    let inbox = Url::parse("http://169.254.169.254/inbox").unwrap();
    assert!(matches!(
        egress.post(&inbox, "delivery to"),
        Err(Refusal::Address { .. })
    ));
}
