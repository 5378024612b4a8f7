//! Moderators lock threads (no replies, here or on other servers) and pin
//! them (the board's featured posts, everywhere).

use super::{ap_get, board_with_remote_member};
use crate::common::{
    self, eventually,
    fake_peer::{FakePeer, Signing},
    lookup::PUBLIC,
    openapi::{conforms, staffroom_document as openapi},
    Instance, FEDERATION_DEADLINE as DEADLINE,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_thread_takes_no_replies_from_here_or_elsewhere() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let amir = a.user("amir").await;
    let doc = openapi();
    let scene = board_with_remote_member(&a, &b, "Competition rules 2027").await;
    let (maria, bob) = (&scene.maria, &scene.bob);
    let id = scene.thread["id"].as_str().unwrap().to_string();
    let id_at_b = scene.boosted_at_b["reblog"]["id"]
        .as_str()
        .unwrap()
        .to_string();

    // Only moderators lock; then replies are refused here...
    let res = amir
        .request(
            Method::POST,
            &format!("/api/staffroom/v1/boards/robotics/threads/{id}/lock"),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    maria
        .post(
            &format!("/api/staffroom/v1/boards/robotics/threads/{id}/lock"),
            json!({"reason": "Heated"}),
        )
        .await;
    let listed = maria.get("/api/staffroom/v1/boards/robotics/threads").await;
    conforms(&doc, "Thread", &listed[0]);
    assert_eq!(listed[0]["locked"], true);
    let res = amir
        .request(
            Method::POST,
            "/api/v1/statuses",
            Some(json!({"status": "One more thing", "in_reply_to_id": id})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: Value = res.json().await.unwrap();
    assert!(error["error"].as_str().unwrap().contains("locked"));

    // ...and in district B, which the board told of the lock...
    let board_at_b = format!("robotics@{}", a.domain);
    eventually("the lock known at B", DEADLINE, || async {
        let listed = bob
            .get(&format!(
                "/api/staffroom/v1/boards/{}/threads",
                common::client::urlencode(&board_at_b)
            ))
            .await;
        (listed[0]["locked"] == true).then_some(())
    })
    .await;
    let res = bob
        .request(
            Method::POST,
            "/api/v1/statuses",
            Some(json!({"status": "A reply after the lock", "in_reply_to_id": id_at_b})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // ...and a server that ignores the lock is refused by A's inbox.
    let rogue = FakePeer::start("rogue").await;
    rogue.add_actor("mallory");
    let thread_uri = scene.thread["status"]["uri"].as_str().unwrap();
    let reply = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "type": "Create", "id": rogue.url("/activities/1"), "actor": rogue.actor("mallory"),
        "to": [PUBLIC],
        "object": {"type": "Note", "id": rogue.url("/notes/1"), "attributedTo": rogue.actor("mallory"),
                   "to": [PUBLIC], "inReplyTo": thread_uri, "content": "A reply after the lock",
                   "published": "2026-11-22T10:00:00Z"}
    });
    let refused = rogue
        .send(
            &format!("{}/inbox", a.base()),
            &a.domain,
            &reply,
            "mallory",
            &Signing::default(),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        a.count("statuses", "content LIKE '%after the lock%'").await,
        0
    );
    let context = maria.get(&format!("/api/v1/statuses/{id}/context")).await;
    assert_eq!(context["descendants"], json!([]));

    // Unlocked, replies come again; the mod log has both actions.
    maria
        .post(
            &format!("/api/staffroom/v1/boards/robotics/threads/{id}/unlock"),
            json!({}),
        )
        .await;
    amir.reply(&id, "Thanks for reopening", "public").await;
    let log = maria.get("/api/staffroom/v1/boards/robotics/modlog").await;
    for e in log.as_array().unwrap() {
        conforms(&doc, "ModLogEntry", e);
    }
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["unlock_thread", "lock_thread"]);
    assert_eq!(log[1]["target_status_id"], id.as_str());
    assert_eq!(log[1]["reason"], "Heated");
    assert_eq!(
        maria
            .status_of(
                Method::POST,
                "/api/staffroom/v1/boards/robotics/threads/999/lock"
            )
            .await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pinned_threads_are_the_boards_featured_posts_everywhere() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let doc = openapi();
    let scene = board_with_remote_member(&a, &b, "Start here: board guide").await;
    let (maria, bob, board_id) = (&scene.maria, &scene.bob, &scene.board_id_at_b);
    let id = scene.thread["id"].as_str().unwrap().to_string();
    let uri = scene.thread["status"]["uri"].as_str().unwrap().to_string();

    // The board lives on district A (Bob's server has none to moderate); Maria pins.
    let res = bob
        .request(
            Method::POST,
            &format!("/api/staffroom/v1/boards/robotics/threads/{id}/pin"),
            None,
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::NOT_FOUND,
        "no such board on Bob's server"
    );
    maria
        .post(
            &format!("/api/staffroom/v1/boards/robotics/threads/{id}/pin"),
            json!({}),
        )
        .await;
    let listed = maria.get("/api/staffroom/v1/boards/robotics/threads").await;
    conforms(&doc, "Thread", &listed[0]);
    assert_eq!(listed[0]["pinned"], true);
    // The board's featured collection, and Bob's server, show it.
    let featured = ap_get(
        &a,
        &format!("{}/users/robotics/collections/featured", a.url()),
    )
    .await;
    assert_eq!(featured["orderedItems"][0]["id"], uri.as_str());
    let pinned_at_b = |expected: usize| {
        let bob = &bob;
        let board_id = board_id.clone();
        async move {
            let list = bob
                .get(&format!("/api/v1/accounts/{board_id}/statuses?pinned=true"))
                .await;
            (list.as_array().unwrap().len() == expected).then_some(list)
        }
    };
    let list = eventually("the pin at Bob's server", DEADLINE, || pinned_at_b(1)).await;
    assert_eq!(list[0]["uri"], uri.as_str());

    // Unpinned: gone here and there; both actions in the mod log.
    maria
        .post(
            &format!("/api/staffroom/v1/boards/robotics/threads/{id}/unpin"),
            json!({}),
        )
        .await;
    eventually("the unpin at Bob's server", DEADLINE, || pinned_at_b(0)).await;
    let log = maria.get("/api/staffroom/v1/boards/robotics/modlog").await;
    for e in log.as_array().unwrap() {
        conforms(&doc, "ModLogEntry", e);
    }
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["unpin_thread", "pin_thread"]);
    // Only the board's own threads can be pinned.
    let other = maria.post_status("Not a thread", "public").await;
    assert_eq!(
        maria
            .status_of(
                Method::POST,
                &format!(
                    "/api/staffroom/v1/boards/robotics/threads/{}/pin",
                    other["id"].as_str().unwrap()
                )
            )
            .await,
        StatusCode::NOT_FOUND
    );
}
