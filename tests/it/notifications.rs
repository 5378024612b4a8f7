//! Notifications across districts (mention, status, follow, favourite,
//! reblog), filtering by type, unread counts against markers, dismissing
//! and clearing, and the follow options `notify` and `reblogs`.

use crate::common::{
    eventually,
    openapi::{validate, validate_all},
    Instance, FEDERATION_DEADLINE as DEADLINE,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn types(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|n| n["type"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_markers_and_follow_options() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;

    // Bob follows Alice asking to hear of every post.
    let alice_at_b = bob.resolve(&format!("alice@{}", a.domain)).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let rel = bob
        .post(
            &format!("/api/v1/accounts/{alice_at_b}/follow"),
            json!({"notify": true}),
        )
        .await;
    validate("Relationship", &rel);
    assert_eq!(rel["notifying"], true);
    assert_eq!(rel["showing_reblogs"], true);
    eventually("the follow at Alice's", DEADLINE, || async {
        let n = alice.notifications().await;
        n.iter().any(|n| n["type"] == "follow").then_some(())
    })
    .await;

    // Alice posts: Bob gets a `status` notification; she mentions him: a `mention`.
    let post = alice
        .post_status("New unit on simple machines is up", "public")
        .await;
    alice
        .post_status(&format!("@bob@{} want to co-teach it?", b.domain), "public")
        .await;
    let list = eventually("status and mention notifications", DEADLINE, || async {
        let list = bob.get("/api/v1/notifications").await;
        let t = types(&list);
        (t.contains(&"status".to_string()) && t.contains(&"mention".to_string())).then_some(list)
    })
    .await;
    validate_all("Notification", &list);
    let status_n = list
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["type"] == "status" && n["status"]["uri"] == post["uri"])
        .expect("a status notification for the first post")
        .clone();

    // Filters by type.
    let only = bob.get("/api/v1/notifications?types[]=mention").await;
    assert_eq!(types(&only), vec!["mention"]);
    let without = bob
        .get("/api/v1/notifications?exclude_types[]=mention&exclude_types[]=unknown_kind")
        .await;
    assert_eq!(types(&without), vec!["status", "status"]);

    // Unread count follows the notifications marker.
    let count = bob.get("/api/v1/notifications/unread_count").await;
    assert_eq!(count["count"], 3);
    let newest = list[0]["id"].as_str().unwrap().to_string();
    let saved = bob
        .post(
            "/api/v1/markers",
            json!({"notifications": {"last_read_id": newest}, "home": {"last_read_id": "1"}}),
        )
        .await;
    validate("Marker", &saved["notifications"]);
    assert_eq!(saved["notifications"]["version"], 1);
    assert_eq!(
        bob.get("/api/v1/notifications/unread_count").await["count"],
        0
    );
    // Form-encoded, as Tusky sends it; the version moves on.
    let res = bob
        .http
        .post(format!("{}/api/v1/markers", bob.base))
        .bearer_auth(&bob.token)
        .form(&[("home[last_read_id]", "2")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let markers = bob
        .get("/api/v1/markers?timeline[]=home&timeline[]=notifications")
        .await;
    assert_eq!(markers["home"]["last_read_id"], "2");
    assert_eq!(markers["home"]["version"], 2);
    assert_eq!(markers["notifications"]["last_read_id"], newest.as_str());
    let bad = bob
        .request(
            Method::POST,
            "/api/v1/markers",
            Some(json!({"home": {"last_read_id": "x"}})),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // One more notification is unread.
    alice
        .post_status("Second post for subscribers", "public")
        .await;
    eventually("one unread", DEADLINE, || async {
        (bob.get("/api/v1/notifications/unread_count").await["count"] == 1).then_some(())
    })
    .await;

    // Get one, dismiss it, clear the rest.
    let id = status_n["id"].as_str().unwrap();
    let one = bob.get(&format!("/api/v1/notifications/{id}")).await;
    assert_eq!(one["id"], id);
    bob.post(&format!("/api/v1/notifications/{id}/dismiss"), json!({}))
        .await;
    assert_eq!(
        bob.status_of(Method::GET, &format!("/api/v1/notifications/{id}"))
            .await,
        StatusCode::NOT_FOUND
    );
    // Someone else's notification does not exist for Alice.
    assert_eq!(
        alice
            .status_of(Method::GET, &format!("/api/v1/notifications/{newest}"))
            .await,
        StatusCode::NOT_FOUND
    );
    bob.post("/api/v1/notifications/clear", json!({})).await;
    assert_eq!(bob.get("/api/v1/notifications").await, json!([]));

    // Turning off notify and reblogs: Bob stops hearing of posts, and
    // Alice's reblogs stay out of his home timeline.
    let rel = bob
        .post(
            &format!("/api/v1/accounts/{alice_at_b}/follow"),
            json!({"notify": false, "reblogs": false}),
        )
        .await;
    assert_eq!(rel["notifying"], false);
    assert_eq!(rel["showing_reblogs"], false);
    let dev = a.user("dev").await;
    let devs = dev.post_status("A post Alice will reblog", "public").await;
    alice
        .post(
            &format!("/api/v1/statuses/{}/reblog", devs["id"].as_str().unwrap()),
            json!({}),
        )
        .await;
    let marker = alice
        .post_status("Alice's own post after the reblog", "public")
        .await;
    eventually("Alice's later post at Bob's", DEADLINE, || async {
        bob.home_status(marker["uri"].as_str().unwrap()).await
    })
    .await;
    eventually(
        "Alice's reblog stored at Bob's server",
        DEADLINE,
        || async { (b.count("statuses", "reblog_of_id IS NOT NULL").await == 1).then_some(()) },
    )
    .await;
    assert!(
        !bob.home().await.iter().any(|s| s["reblog"].is_object()),
        "reblogs are hidden"
    );
    assert!(!types(&bob.get("/api/v1/notifications").await).contains(&"status".to_string()));
}
