//! Duplicates are applied once; nobody updates, deletes, undoes, pins or
//! accepts what is not theirs (inbox items 9-10 of SECURITY.md).

use super::{Rig, PUBLIC};
use crate::common::fake_peer::Signing;
use reqwest::StatusCode;
use serde_json::json;

/// SECURITY.md Inbox 9 (a duplicate id is accepted and applied once) and
/// SECURITY.md Inbox 10 (Update, Delete, Undo, pins and Accepts of what the
/// actor does not own).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn items9_and_10_duplicates_and_ownership() {
    let r = Rig::new().await;
    let alice = r.a.user("alice").await;

    // 9. The same activity twice: accepted both times, applied once.
    let note = r.note("mallory", "<p>once</p>");
    let create = r.create("mallory", note.clone());
    assert_eq!(
        r.send("mallory", &create, &Signing::default()).await,
        StatusCode::ACCEPTED
    );
    let mut again = create.clone();
    again["object"]["content"] = json!("<p>twice</p>");
    let before = r.snapshot().await;
    assert_eq!(
        r.send("mallory", &again, &Signing::default()).await,
        StatusCode::ACCEPTED
    );
    assert_eq!(r.snapshot().await, before);
    assert_eq!(r.a.count("statuses", "content LIKE '%twice%'").await, 0);

    // 10. Update and Delete of Mallory's post by Eve.
    let note_id = note["id"].as_str().unwrap().to_string();
    let mut hijack = note.clone();
    hijack["attributedTo"] = json!(r.evil.actor("eve"));
    hijack["content"] = json!("<p>hijacked</p>");
    let update = json!({"type": "Update", "id": r.id(&r.evil, "activities"), "actor": r.evil.actor("eve"), "object": hijack});
    r.refused(
        "an Update of someone else's post",
        "eve",
        &update,
        &Signing::default(),
        StatusCode::FORBIDDEN,
    )
    .await;
    let delete = json!({"type": "Delete", "id": r.id(&r.evil, "activities"), "actor": r.evil.actor("eve"), "object": note_id});
    r.refused(
        "a Delete of someone else's post",
        "eve",
        &delete,
        &Signing::default(),
        StatusCode::FORBIDDEN,
    )
    .await;
    assert_eq!(
        r.a.count(
            "statuses",
            &format!("ap_id = '{note_id}' AND content LIKE '%once%'")
        )
        .await,
        1
    );

    // 10. Update of another actor's profile.
    let profile = json!({"type": "Person", "id": r.evil.actor("mallory"), "preferredUsername": "mallory", "inbox": format!("{}/inbox", r.evil.actor("mallory")),
                         "publicKey": {"id": format!("{}#main-key", r.evil.actor("mallory")), "owner": r.evil.actor("mallory"), "publicKeyPem": "x"}});
    let update = json!({"type": "Update", "id": r.id(&r.evil, "activities"), "actor": r.evil.actor("eve"), "object": profile});
    r.refused(
        "an Update of another actor",
        "eve",
        &update,
        &Signing::default(),
        StatusCode::FORBIDDEN,
    )
    .await;

    // 10. A Delete of one of our posts from another server.
    let ours = alice.post_status("mine", "public").await;
    let delete = json!({"type": "Delete", "id": r.id(&r.evil, "activities"), "actor": r.evil.actor("mallory"), "object": ours["uri"]});
    r.refused(
        "a Delete of our post",
        "mallory",
        &delete,
        &Signing::default(),
        StatusCode::FORBIDDEN,
    )
    .await;

    // 10. Undo of Mallory's follow by Eve.
    let follow_id = r.id(&r.evil, "follows");
    let follow = json!({"type": "Follow", "id": follow_id, "actor": r.evil.actor("mallory"), "object": alice.account["uri"]});
    assert_eq!(
        r.send("mallory", &follow, &Signing::default()).await,
        StatusCode::ACCEPTED
    );
    assert_eq!(r.a.count("follows", "").await, 1);
    let undo = json!({"type": "Undo", "id": r.id(&r.evil, "activities"), "actor": r.evil.actor("eve"), "object": follow});
    r.refused(
        "an Undo of someone else's follow",
        "eve",
        &undo,
        &Signing::default(),
        StatusCode::FORBIDDEN,
    )
    .await;
    let undo_by_id = json!({"type": "Undo", "id": r.id(&r.evil, "activities"), "actor": r.evil.actor("eve"), "object": follow_id});
    r.refused(
        "an Undo of someone else's follow by id",
        "eve",
        &undo_by_id,
        &Signing::default(),
        StatusCode::FORBIDDEN,
    )
    .await;

    // 10. Undo of Mallory's like and Mallory's reblog by Eve.
    let like_id = r.id(&r.evil, "likes");
    let like = json!({"type": "Like", "id": like_id, "actor": r.evil.actor("mallory"), "object": ours["uri"]});
    assert_eq!(
        r.send("mallory", &like, &Signing::default()).await,
        StatusCode::ACCEPTED
    );
    assert_eq!(r.a.count("favourites", "").await, 1);
    let announce_id = r.id(&r.evil, "announces");
    let announce = json!({"type": "Announce", "id": announce_id, "actor": r.evil.actor("mallory"), "object": ours["uri"], "to": [PUBLIC]});
    assert_eq!(
        r.send("mallory", &announce, &Signing::default()).await,
        StatusCode::ACCEPTED
    );
    assert_eq!(r.a.count("statuses", "reblog_of_id IS NOT NULL").await, 1);
    for (what, object) in [
        ("an Undo of someone else's like", like.clone()),
        ("an Undo of someone else's like by id", json!(like_id)),
        ("an Undo of someone else's reblog", announce.clone()),
        ("an Undo of someone else's reblog by id", json!(announce_id)),
    ] {
        let undo = json!({"type": "Undo", "id": r.id(&r.evil, "activities"), "actor": r.evil.actor("eve"), "object": object});
        r.refused(
            what,
            "eve",
            &undo,
            &Signing::default(),
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    // Mallory herself can.
    let undo = json!({"type": "Undo", "id": r.id(&r.evil, "activities"), "actor": r.evil.actor("mallory"), "object": like});
    assert_eq!(
        r.send("mallory", &undo, &Signing::default()).await,
        StatusCode::ACCEPTED
    );
    assert_eq!(r.a.count("favourites", "").await, 0);

    // 10 and 11. Pinning someone else's post; reblogging a followers-only post.
    let add = json!({"type": "Add", "id": r.id(&r.evil, "activities"), "actor": r.evil.actor("eve"),
                     "object": note_id, "target": format!("{}/collections/featured", r.evil.actor("eve"))});
    r.refused(
        "a pin of someone else's post",
        "eve",
        &add,
        &Signing::default(),
        StatusCode::FORBIDDEN,
    )
    .await;
    let private = alice.post_status("followers only", "private").await;
    let announce = json!({"type": "Announce", "id": r.id(&r.evil, "announces"), "actor": r.evil.actor("mallory"),
                          "object": private["uri"], "to": [PUBLIC]});
    // (Mallory follows Alice, so she may read it, but not share it.)
    r.refused(
        "a reblog of a followers-only post",
        "mallory",
        &announce,
        &Signing::default(),
        StatusCode::BAD_REQUEST,
    )
    .await;

    // 10. An Accept of a follow request by someone it was not sent to.
    let mallory_at_a = alice.resolve(&format!("mallory@{}", r.evil.domain)).await;
    let rel = alice.follow(mallory_at_a["id"].as_str().unwrap()).await;
    assert_eq!(rel["requested"], true);
    let request =
        json!({"type": "Follow", "actor": alice.account["uri"], "object": r.evil.actor("mallory")});
    let accept = json!({"type": "Accept", "id": r.id(&r.evil, "activities"), "actor": r.evil.actor("eve"), "object": request});
    r.refused(
        "an Accept by the wrong actor",
        "eve",
        &accept,
        &Signing::default(),
        StatusCode::FORBIDDEN,
    )
    .await;
    assert_eq!(
        alice
            .relationship(mallory_at_a["id"].as_str().unwrap())
            .await["requested"],
        true
    );
    // The right actor's Accept works.
    let accept = json!({"type": "Accept", "id": r.id(&r.evil, "activities"), "actor": r.evil.actor("mallory"), "object": request});
    assert_eq!(
        r.send("mallory", &accept, &Signing::default()).await,
        StatusCode::ACCEPTED
    );
    assert_eq!(
        alice
            .relationship(mallory_at_a["id"].as_str().unwrap())
            .await["following"],
        true
    );
}
