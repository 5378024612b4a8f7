//! Every inbox check of SECURITY.md items 1-10: the bad input is sent by a
//! fake remote server and refused with a clear status, and nothing is
//! stored. A correctly signed activity is accepted first, so a refusal can
//! only come from the one thing each case gets wrong.

use crate::common::{
    fake_peer::{Digest, FakePeer, Signing},
    Instance,
};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::{
    sync::atomic::{AtomicUsize, Ordering},
    time::{Duration, SystemTime},
};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";
static SEQ: AtomicUsize = AtomicUsize::new(0);

struct Rig {
    a: Instance,
    evil: FakePeer,
}

impl Rig {
    async fn new() -> Rig {
        Rig::with(&[]).await
    }

    async fn with(settings: &[(&str, &str)]) -> Rig {
        let a = Instance::start_with("district-a", settings).await;
        let evil = FakePeer::start("evil").await;
        evil.add_actor("mallory");
        evil.add_actor("eve");
        Rig { a, evil }
    }

    fn inbox(&self) -> String {
        format!("{}/inbox", self.a.base())
    }

    fn id(&self, peer: &FakePeer, kind: &str) -> String {
        peer.url(&format!("/{kind}/{}", SEQ.fetch_add(1, Ordering::SeqCst)))
    }

    fn note(&self, actor: &str, content: &str) -> Value {
        json!({
            "type": "Note", "id": self.id(&self.evil, "notes"), "attributedTo": self.evil.actor(actor),
            "to": [PUBLIC], "cc": [], "content": content, "published": "2026-11-22T10:00:00Z"
        })
    }

    fn create(&self, actor: &str, note: Value) -> Value {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "type": "Create", "id": self.id(&self.evil, "activities"), "actor": self.evil.actor(actor),
            "to": [PUBLIC], "object": note
        })
    }

    async fn send(&self, actor: &str, activity: &Value, signing: &Signing) -> StatusCode {
        self.evil
            .send(&self.inbox(), &self.a.domain, activity, actor, signing)
            .await
            .status()
    }

    /// What an accepted activity could have written.
    async fn snapshot(&self) -> Vec<i64> {
        let mut out = vec![];
        for t in [
            "statuses",
            "follows",
            "notifications",
            "received_activities",
            "tombstones",
            "mentions",
            "favourites",
            "pins",
        ] {
            out.push(self.a.count(t, "").await);
        }
        out
    }

    /// Send and expect `expected`, with nothing stored.
    async fn refused(
        &self,
        what: &str,
        actor: &str,
        activity: &Value,
        signing: &Signing,
        expected: StatusCode,
    ) {
        let before = self.snapshot().await;
        let status = self.send(actor, activity, signing).await;
        assert_eq!(
            status, expected,
            "{what}: expected {expected}, got {status}"
        );
        assert_eq!(
            self.snapshot().await,
            before,
            "{what}: something was stored"
        );
    }

    /// A valid post is accepted and stored (the control case).
    async fn accepted_post(&self, actor: &str, content: &str) -> Value {
        let note = self.note(actor, content);
        let status = self
            .send(
                actor,
                &self.create(actor, note.clone()),
                &Signing::default(),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::ACCEPTED,
            "a correct activity must be accepted"
        );
        let id = note["id"].as_str().unwrap();
        assert_eq!(
            self.a.count("statuses", &format!("ap_id = '{id}'")).await,
            1
        );
        note
    }
}

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

/// SECURITY.md Inbox 7 (an embedded object on another host is re-fetched
/// from its own server, never believed) and SECURITY.md Inbox 8 (objects
/// and actors claiming to live on our server).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn items7_and_8_embedded_objects_are_not_trusted() {
    let r = Rig::new().await;
    r.accepted_post("mallory", "control").await;
    let other = FakePeer::start("other").await;
    other.add_actor("olivia");

    // 7. An object whose id is on another server: fetched from that server instead.
    let genuine = json!({"type": "Note", "id": other.url("/notes/1"), "attributedTo": other.actor("olivia"),
                         "to": [PUBLIC], "content": "<p>genuine words</p>"});
    other.serve("/notes/1", genuine);
    let mut forged = r.note("mallory", "<p>forged words</p>");
    forged["id"] = json!(other.url("/notes/1"));
    let status = r
        .send("mallory", &r.create("mallory", forged), &Signing::default())
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert!(
        other.fetched().contains(&"/notes/1".to_string()),
        "the object must be re-fetched from its own server"
    );
    let stored =
        r.a.count(
            "statuses",
            &format!(
                "ap_id = '{}' AND content LIKE '%genuine%'",
                other.url("/notes/1")
            ),
        )
        .await;
    assert_eq!(stored, 1);
    assert_eq!(r.a.count("statuses", "content LIKE '%forged%'").await, 0);

    // 7. An object whose url is on another server, and whose own server does not have it: nothing stored.
    let mut relayed = r.note("mallory", "<p>relayed</p>");
    relayed["url"] = json!(other.url("/somewhere"));
    let before = r.snapshot().await;
    let status = r
        .send(
            "mallory",
            &r.create("mallory", relayed),
            &Signing::default(),
        )
        .await;
    assert!(status.is_client_error(), "got {status}");
    assert_eq!(r.snapshot().await, before);

    // 7. An object attributed to someone else than the actor.
    let mut not_hers = r.note("mallory", "x");
    not_hers["attributedTo"] = json!(r.evil.actor("eve"));
    r.refused(
        "an object attributed to another actor",
        "mallory",
        &r.create("mallory", not_hers),
        &Signing::default(),
        StatusCode::FORBIDDEN,
    )
    .await;

    // 8. Objects and actors claiming to live on our server.
    let alice = r.a.user("alice").await;
    let local_note = format!("{}/users/alice/statuses/1", r.a.url());
    let mut claims_local = r.note("mallory", "x");
    claims_local["id"] = json!(local_note);
    r.refused(
        "an object claiming to be ours",
        "mallory",
        &r.create("mallory", claims_local),
        &Signing::default(),
        StatusCode::BAD_REQUEST,
    )
    .await;
    let mut as_alice = r.create("mallory", r.note("mallory", "x"));
    as_alice["actor"] = alice.account["uri"].clone();
    as_alice["id"] = json!(format!("{}/activities/1", r.a.url()));
    r.refused(
        "an actor claiming to be ours",
        "mallory",
        &as_alice,
        &Signing::default(),
        StatusCode::BAD_REQUEST,
    )
    .await;
}

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
