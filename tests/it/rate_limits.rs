//! Rate limits: per account when signed in, per client address otherwise,
//! per remote server at the inbox; the client address comes from the
//! forwarding headers only when the connection is from a trusted proxy.

use crate::common::Instance;
use reqwest::{RequestBuilder, StatusCode};

/// Send the same request until it is refused; how many passed (at most `max`).
async fn passes(make: impl Fn() -> RequestBuilder, max: usize) -> usize {
    for n in 0..max {
        let res = make().send().await.unwrap();
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(res.headers().contains_key("retry-after"));
            assert_eq!(res.headers()["x-ratelimit-remaining"], "0");
            return n;
        }
    }
    max
}

/// SECURITY.md API 4: behind a trusted proxy, two clients (told apart by
/// `X-Forwarded-For` or `Forwarded`) each get their own allowance, and the
/// address a client writes first in the header does not pick its bucket.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_clients_behind_a_trusted_proxy_get_separate_limits() {
    let a = Instance::start_with(
        "district-a",
        &[
            ("STAFFROOM_TRUSTED_PROXIES", "127.0.0.1,10.0.0.0/8"),
            ("STAFFROOM_LIMITS_ANONYMOUS_REQUESTS_PER_WINDOW", "3"),
        ],
    )
    .await;
    // (The rig's readiness checks come from the proxy's own address.)
    let http = reqwest::Client::new();
    let url = format!("{}/api/v1/instance", a.base());
    let via = |header: &'static str, value: &'static str| {
        let (http, url) = (http.clone(), url.clone());
        move || http.get(&url).header(header, value)
    };
    assert_eq!(passes(via("x-forwarded-for", "198.51.100.1"), 10).await, 3);
    // Another teacher's address, and a spoofed first hop in front of the
    // same proxy chain: the nearest untrusted hop is the client.
    assert_eq!(
        passes(
            via("x-forwarded-for", "198.51.100.1, 198.51.100.2, 10.0.0.7"),
            10
        )
        .await,
        3
    );
    assert_eq!(
        passes(
            via("forwarded", r#"for="[2001:db8::5]:4711";proto=https"#),
            10
        )
        .await,
        3
    );
    // The first client stays refused.
    let res = via("x-forwarded-for", "198.51.100.1")()
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
}

/// SECURITY.md API 4: from a peer that is not a trusted proxy, forwarding
/// headers change nothing: every request counts against the peer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spoofed_forwarded_header_from_an_untrusted_peer_changes_nothing() {
    let a = Instance::start_with(
        "district-a",
        &[
            ("STAFFROOM_TRUSTED_PROXIES", "10.0.0.1"),
            ("STAFFROOM_LIMITS_ANONYMOUS_REQUESTS_PER_WINDOW", "3"),
        ],
    )
    .await;
    let http = reqwest::Client::new();
    let url = format!("{}/api/v1/instance", a.base());
    let counter = std::sync::atomic::AtomicUsize::new(0);
    let spoofing = || {
        let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        http.get(&url)
            .header("x-forwarded-for", format!("203.0.113.{n}"))
            .header("forwarded", format!("for=198.51.100.{n}"))
    };
    let passed = passes(&spoofing, 10).await;
    assert!((1..=3).contains(&passed), "{passed}");
    // Spent: no new header value buys another request.
    assert_eq!(passes(&spoofing, 5).await, 0);
}

/// SECURITY.md API 9: signed-in requests count per account, so teachers
/// behind one school address do not share an allowance; anonymous
/// requests from that address have their own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_in_requests_are_limited_per_account() {
    let a = Instance::start_with(
        "district-a",
        &[
            ("STAFFROOM_LIMITS_ACCOUNT_REQUESTS_PER_WINDOW", "4"),
            ("STAFFROOM_LIMITS_ANONYMOUS_REQUESTS_PER_WINDOW", "4"),
        ],
    )
    .await;
    // Each sign-in registers an app (anonymous) and reads the account once.
    let alice = a.user("alice").await;
    let bob = a.user("bob").await;
    let http = reqwest::Client::new();
    let url = format!("{}/api/v1/accounts/verify_credentials", a.base());
    let as_user = |token: String| {
        let (http, url) = (http.clone(), url.clone());
        move || http.get(&url).bearer_auth(&token)
    };
    let (alice_token, bob_token) = (alice.token.clone(), bob.token.clone());
    assert_eq!(passes(as_user(alice_token), 10).await, 3);
    assert_eq!(passes(as_user(bob_token), 10).await, 3);
    // Anonymous requests from the same address still have their own
    // allowance (less what readiness checks and app registrations took).
    let anonymous = || http.get(format!("{}/api/v1/instance", a.base()));
    let left = passes(anonymous, 10).await;
    assert!((1..=4).contains(&left), "{left}");
    // An invalid token is anonymous for counting (and 401 for the handler).
    let res = http
        .get(&url)
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
}

/// Every request, pages and `/system/` files included, counts against
/// its address's overall allowance; inbox deliveries count per remote
/// server (told by the signature's key) and address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_pages_and_the_inbox_are_limited_too() {
    let a = Instance::start_with(
        "district-a",
        &[
            ("STAFFROOM_LIMITS_ADDRESS_REQUESTS_PER_WINDOW", "6"),
            ("STAFFROOM_LIMITS_INBOX_REQUESTS_PER_WINDOW", "2"),
        ],
    )
    .await;
    let http = reqwest::Client::new();
    let inbox = format!("{}/inbox", a.base());
    let signed_by = |host: &'static str| {
        let (http, inbox) = (http.clone(), inbox.clone());
        move || {
            http.post(&inbox)
                .header("content-type", "application/activity+json")
                .header(
                    "signature",
                    format!(
                        r#"keyId="https://{host}/actor#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="AAAA""#
                    ),
                )
                .body("{}")
        }
    };
    assert_eq!(passes(signed_by("peer-one.test"), 5).await, 2);
    assert_eq!(passes(signed_by("peer-two.test"), 5).await, 2);
    // 6 requests so far (4 passed, 2 refused): the address is spent, for
    // files and pages as for everything else.
    for path in ["/system/media_attachments/files/nothing.png", "/@nobody"] {
        let res = http
            .get(format!("{}{path}", a.base()))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "{path}");
    }
}
