//! What is too big or too deep is refused before it is read (inbox item 1
//! of SECURITY.md).

use super::Rig;
use crate::common::fake_peer::Signing;
use reqwest::StatusCode;
use serde_json::json;

/// SECURITY.md Inbox 1: bodies over the limit, too many tags, mentions,
/// attachments or poll options, overlong fields and deep JSON are refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn item1_oversized_and_overlong_input_is_refused() {
    let r = Rig::new().await;
    r.accepted_post("mallory", "control").await;

    let mut big = r.note("mallory", "x");
    big["content"] = json!("x".repeat(300 * 1024));
    let before = r.snapshot().await;
    let status = r
        .send("mallory", &r.create("mallory", big), &Signing::default())
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.snapshot().await, before);

    let mut tags = r.note("mallory", "many tags");
    tags["tag"] = json!((0..200)
        .map(|i| json!({"type": "Hashtag", "name": format!("#t{i}")}))
        .collect::<Vec<_>>());
    r.refused(
        "too many tags",
        "mallory",
        &r.create("mallory", tags),
        &Signing::default(),
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;

    let mut mentions = r.note("mallory", "many mentions");
    mentions["cc"] = json!((0..1500)
        .map(|i| format!("http://x.test/u/{i}"))
        .collect::<Vec<_>>());
    r.refused(
        "too many recipients",
        "mallory",
        &r.create("mallory", mentions),
        &Signing::default(),
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;

    let mut attachments = r.note("mallory", "many files");
    attachments["attachment"] = json!((0..20)
        .map(|_| json!({"type": "Document", "url": "http://x.test/f"}))
        .collect::<Vec<_>>());
    r.refused(
        "too many attachments",
        "mallory",
        &r.create("mallory", attachments),
        &Signing::default(),
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;

    let mut poll = r.note("mallory", "a poll");
    poll["type"] = json!("Question");
    poll["oneOf"] = json!((0..100)
        .map(|i| json!({"type": "Note", "name": format!("option {i}")}))
        .collect::<Vec<_>>());
    r.refused(
        "too many poll options",
        "mallory",
        &r.create("mallory", poll),
        &Signing::default(),
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;

    let mut long_name = r.note("mallory", "long title");
    long_name["name"] = json!("n".repeat(5000));
    r.refused(
        "an overlong name",
        "mallory",
        &r.create("mallory", long_name),
        &Signing::default(),
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;

    let mut deep = json!("bottom");
    for _ in 0..40 {
        deep = json!([deep]);
    }
    let mut nested = r.note("mallory", "deep");
    nested["content"] = json!("deep");
    nested["source"] = deep;
    r.refused(
        "JSON nested too deep",
        "mallory",
        &r.create("mallory", nested),
        &Signing::default(),
        StatusCode::BAD_REQUEST,
    )
    .await;
}
