//! Who sent an activity: the key must be its actor's, the actor neither
//! blocked, suspended nor deleted, the activity's id on the actor's host
//! (inbox items 5-6 of SECURITY.md).

use super::{Rig, PUBLIC};
use crate::common::fake_peer::{FakePeer, Signing};
use reqwest::StatusCode;
use serde_json::json;

/// SECURITY.md Inbox 5 (key of another actor; blocked, suspended, deleted
/// actors; blocked domains, refused before any fetch) and SECURITY.md Inbox 6
/// (an activity id on another host than its actor).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn items5_and_6_keys_actors_and_ids_must_belong_together() {
    let r = Rig::with(&[("STAFFROOM_FEDERATION_BLOCKED_DOMAINS", "blocked.test")]).await;
    r.accepted_post("mallory", "control").await;
    r.accepted_post("eve", "control").await;

    // 5. A key that is not the actor's: Eve signs Mallory's activity.
    let forged = Signing {
        key_of: Some("eve".into()),
        ..Signing::default()
    };
    r.refused(
        "another actor's key",
        "mallory",
        &r.create("mallory", r.note("mallory", "x")),
        &forged,
        StatusCode::UNAUTHORIZED,
    )
    .await;

    // 5. A key on another server than the actor.
    let other = FakePeer::start("other").await;
    other.add_actor("olivia");
    let activity = r.create("mallory", r.note("mallory", "x"));
    let before = r.snapshot().await;
    let res = other
        .send(
            &r.inbox(),
            &r.a.domain,
            &activity,
            "olivia",
            &Signing::default(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(r.snapshot().await, before);

    // 5. An actor on a blocked domain: refused before anything is fetched.
    let blocked = FakePeer::start("blocked").await;
    blocked.add_actor("spammer");
    let note = json!({"type": "Note", "id": blocked.url("/notes/1"), "attributedTo": blocked.actor("spammer"), "to": [PUBLIC], "content": "buy"});
    let activity = json!({"type": "Create", "id": blocked.url("/activities/1"), "actor": blocked.actor("spammer"), "object": note});
    let before = r.snapshot().await;
    let res = blocked
        .send(
            &r.inbox(),
            &r.a.domain,
            &activity,
            "spammer",
            &Signing::default(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(r.snapshot().await, before);
    assert!(
        blocked.fetched().is_empty(),
        "nothing may be fetched from a blocked server"
    );

    // 5. A suspended actor, and a deleted one.
    let mallory = r.evil.actor("mallory");
    r.a.db()
        .write(move |conn| {
            use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
            use staffroom::db::schema::accounts;
            diesel::update(accounts::table.filter(accounts::ap_id.eq(mallory)))
                .set(accounts::suspended_at.eq(Some(staffroom::db::now())))
                .execute(conn)
                .map_err(staffroom::db::DbError::from)
        })
        .await
        .unwrap();
    r.refused(
        "a suspended actor",
        "mallory",
        &r.create("mallory", r.note("mallory", "x")),
        &Signing::default(),
        StatusCode::FORBIDDEN,
    )
    .await;
    let delete_eve = json!({"type": "Delete", "id": r.id(&r.evil, "activities"), "actor": r.evil.actor("eve"), "object": r.evil.actor("eve")});
    assert_eq!(
        r.send("eve", &delete_eve, &Signing::default()).await,
        StatusCode::ACCEPTED
    );
    r.refused(
        "a deleted actor",
        "eve",
        &r.create("eve", r.note("eve", "x")),
        &Signing::default(),
        StatusCode::FORBIDDEN,
    )
    .await;

    // 6. An activity id on another host than its actor.
    let r2 = Rig::new().await;
    let mut activity = r2.create("mallory", r2.note("mallory", "x"));
    activity["id"] = json!("http://other.test/activities/1");
    r2.refused(
        "an activity id on another host",
        "mallory",
        &activity,
        &Signing::default(),
        StatusCode::BAD_REQUEST,
    )
    .await;
}
