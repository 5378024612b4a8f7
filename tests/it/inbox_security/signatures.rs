//! The HTTP signature of an inbox request: its Digest, what it signs, its
//! Date (inbox items 2-4 of SECURITY.md); and that a request is checked
//! before anything of it is written (inbox item 12).

use super::Rig;
use crate::common::fake_peer::{Digest, Signing};
use reqwest::StatusCode;
use std::time::{Duration, SystemTime};

/// SECURITY.md Inbox 2 (Digest missing, wrong or not SHA-256), SECURITY.md Inbox 3
/// (signatures that leave out a required header, duplicate parameters, none)
/// and SECURITY.md Inbox 4 (Date too old, too far ahead, or not signed).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn items2_to_4_digest_signature_and_date_are_checked() {
    let r = Rig::new().await;
    r.accepted_post("mallory", "control").await;
    let post = || r.create("mallory", r.note("mallory", "hello"));

    // 2. Digest
    for (what, digest) in [
        ("no Digest", Digest::Missing),
        ("a wrong Digest", Digest::Wrong),
        ("a SHA-512 Digest", Digest::Sha512),
    ] {
        let s = Signing {
            digest,
            ..Signing::default()
        };
        r.refused(what, "mallory", &post(), &s, StatusCode::BAD_REQUEST)
            .await;
    }

    // 3. What the signature covers
    for missing in ["(request-target)", "host", "date", "digest"] {
        let headers: Vec<&'static str> = Signing::default()
            .headers
            .into_iter()
            .filter(|h| *h != missing)
            .collect();
        let s = Signing {
            headers,
            ..Signing::default()
        };
        r.refused(
            &format!("a signature without {missing}"),
            "mallory",
            &post(),
            &s,
            StatusCode::UNAUTHORIZED,
        )
        .await;
    }
    let dup = Signing {
        extra_params: format!(r#",keyId="{}#main-key""#, r.evil.actor("eve")),
        ..Signing::default()
    };
    r.refused(
        "duplicate signature parameters",
        "mallory",
        &post(),
        &dup,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let unsigned = Signing {
        signed: false,
        ..Signing::default()
    };
    r.refused(
        "no signature",
        "mallory",
        &post(),
        &unsigned,
        StatusCode::UNAUTHORIZED,
    )
    .await;

    // 4. Date
    let old = Signing {
        date: SystemTime::now() - Duration::from_secs(2 * 3600),
        ..Signing::default()
    };
    r.refused(
        "a Date two hours old",
        "mallory",
        &post(),
        &old,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let future = Signing {
        date: SystemTime::now() + Duration::from_secs(2 * 3600),
        ..Signing::default()
    };
    r.refused(
        "a Date two hours ahead",
        "mallory",
        &post(),
        &future,
        StatusCode::UNAUTHORIZED,
    )
    .await;

    // A request signed for another server is not valid here.
    let elsewhere = Signing {
        host: Some("district-z.test".into()),
        ..Signing::default()
    };
    r.refused(
        "a request for another host",
        "mallory",
        &post(),
        &elsewhere,
        StatusCode::BAD_REQUEST,
    )
    .await;
}

/// SECURITY.md Inbox 12: a refused activity leaves no trace, not even in the
/// log of activities seen: the same activity, correctly signed afterwards,
/// is applied (had the refusal been recorded, it would be ignored as a
/// duplicate).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn item12_nothing_is_written_before_verification() {
    let r = Rig::new().await;
    r.accepted_post("mallory", "control").await;
    let note = r.note("mallory", "<p>checked first</p>");
    let create = r.create("mallory", note.clone());
    let forged = Signing {
        key_of: Some("eve".into()),
        ..Signing::default()
    };
    r.refused(
        "a Create signed with another actor's key",
        "mallory",
        &create,
        &forged,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let id = note["id"].as_str().unwrap();
    assert_eq!(
        r.a.count(
            "received_activities",
            &format!("ap_id = '{}'", create["id"].as_str().unwrap())
        )
        .await,
        0
    );
    assert_eq!(
        r.send("mallory", &create, &Signing::default()).await,
        StatusCode::ACCEPTED
    );
    assert_eq!(r.a.count("statuses", &format!("ap_id = '{id}'")).await, 1);
}
