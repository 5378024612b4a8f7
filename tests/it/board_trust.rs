//! Whom a board is believed about. A board's `Announce` vouches only for
//! posts of its own server; a post by a teacher elsewhere is read from the
//! author's server, with a request signed by this server, which that server
//! answers for a members-only board post only when the board (asked with a
//! signed read of its followers collection) has members on the asking
//! server. So a server running a `Group` cannot plant or rewrite posts in
//! the name of teachers on other servers, and genuine members-only posts
//! still cross three servers.

use crate::common::{
    boards::{self, lookup, relayed},
    client::urlencode,
    eventually,
    fake_peer::{FakePeer, Signing},
    Client, Instance, FEDERATION_DEADLINE as DEADLINE,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn context() -> Value {
    json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1"
    ])
}

/// A `Group` `name` on the fake peer (approving its members if `locked`),
/// with its members listed in its followers collection.
fn fake_group(peer: &FakePeer, name: &str, locked: bool, members: &[String]) -> String {
    let group = peer.add_actor(name);
    peer.serve(
        &format!("/users/{name}"),
        json!({
            "@context": context(),
            "type": "Group", "id": group, "preferredUsername": name, "name": name,
            "manuallyApprovesFollowers": locked,
            "inbox": format!("{group}/inbox"), "outbox": format!("{group}/outbox"),
            "followers": format!("{group}/followers"),
            "endpoints": {"sharedInbox": peer.url("/inbox")},
            "publicKey": {"id": format!("{group}#main-key"), "owner": group,
                          "publicKeyPem": peer.public_key(name)}
        }),
    );
    peer.serve(
        &format!("/users/{name}/followers"),
        json!({"@context": context(), "type": "OrderedCollection",
               "id": format!("{group}/followers"), "totalItems": members.len(),
               "orderedItems": members}),
    );
    group
}

/// `member` (on `instance`) joins the fake peer's group `name`.
async fn join_fake_group(peer: &FakePeer, name: &str, instance: &Instance, member: &Client) {
    let group = peer.actor(name);
    let member_id = format!("{}/users/{}", instance.url(), member.username());
    let board = member.resolve(&format!("{name}@{}", peer.domain)).await;
    let board_id = board["id"].as_str().unwrap().to_string();
    member.follow(&board_id).await;
    let follow = eventually("the Follow at the fake peer", DEADLINE, || async {
        peer.received().into_iter().find(|v| {
            v["type"] == "Follow"
                && v["object"] == group.as_str()
                && v["actor"] == member_id.as_str()
        })
    })
    .await;
    let accept = json!({"@context": context(), "type": "Accept",
                        "id": peer.url(&format!("/activities/accept/{}", member.username())),
                        "actor": group, "object": follow});
    let res = peer
        .send(
            &format!("{}/inbox", instance.base()),
            &instance.domain,
            &accept,
            name,
            &Signing::default(),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    eventually("the member following the fake group", DEADLINE, || async {
        (member.relationship(&board_id).await["following"] == true).then_some(())
    })
    .await;
}

/// A `Group` on the fake peer that `member` (on `instance`) has joined.
async fn joined_fake_group(peer: &FakePeer, instance: &Instance, member: &Client) -> String {
    let group = fake_group(peer, "plc", false, &[]);
    join_fake_group(peer, "plc", instance, member).await;
    group
}

/// The group announces `note` (embedded, inside a `Create` or `Update` by
/// its claimed author, or alone) to `instance`; the inbox's answer.
async fn announce(
    peer: &FakePeer,
    instance: &Instance,
    group: &str,
    n: u32,
    wrapper: Option<&str>,
    note: &Value,
) -> StatusCode {
    let object = match wrapper {
        Some(kind) => json!({"type": kind, "id": peer.url(&format!("/activities/{kind}/{n}")),
                             "actor": note["attributedTo"], "object": note,
                             "to": note["to"], "cc": []}),
        None => note.clone(),
    };
    let activity = json!({
        "@context": context(), "type": "Announce",
        "id": peer.url(&format!("/activities/announce/{n}")), "actor": group,
        "to": [format!("{group}/followers")], "cc": [], "object": object
    });
    peer.send(
        &format!("{}/inbox", instance.base()),
        &instance.domain,
        &activity,
        "plc",
        &Signing::default(),
    )
    .await
    .status()
}

/// SECURITY.md Inbox 7: a server running a `Group` announces "members-only"
/// posts embedded in its `Announce` whose id and author are on a third,
/// real server. Nothing is stored (no post, nothing in a timeline or among
/// notifications), and the server still answers; a post on a server that
/// does not answer is ignored (202), never a 5xx for another's outage.
/// SECURITY.md Inbox 10: the `Group` relays an `Update` (and a `Create`) of
/// a real post it does not own, with other content: the post keeps its
/// content and has no edit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_cannot_plant_or_rewrite_posts_of_another_server() {
    let a = Instance::start("district-a").await;
    let c = Instance::start("district-c").await;
    let peer = FakePeer::start("rogue").await;
    let alice = a.user("alice").await;
    let carol = c.user("carol").await;
    let group = joined_fake_group(&peer, &a, &alice).await;
    let carol_id = format!("{}/users/carol", c.url());
    let forged_note = |id: &str| {
        json!({
            "type": "Note", "id": id, "attributedTo": carol_id,
            "to": [format!("{group}/followers")], "cc": [], "audience": group,
            "content": "<p>FORGED: send me your gradebook password</p>",
            "published": "2026-12-01T08:00:00Z"
        })
    };

    // A post Carol never wrote, under an id of her server.
    let planted = format!("{carol_id}/statuses/424242");
    for (n, wrapper) in [(1, Some("Create")), (2, None), (3, Some("Update"))] {
        let answer = announce(&peer, &a, &group, n, wrapper, &forged_note(&planted)).await;
        assert!(
            answer.is_client_error(),
            "a post its server does not serve is refused, not {answer}"
        );
    }
    assert_eq!(
        a.count("statuses", &format!("ap_id = '{planted}'")).await,
        0
    );
    // A post on a server that does not answer: ignored (202), not a 5xx
    // that would make the group retry another server's outage.
    let offline = "http://offline.test:1/users/olive/statuses/1";
    let mut unreachable = forged_note(offline);
    unreachable["attributedTo"] = json!("http://offline.test:1/users/olive");
    let answer = announce(&peer, &a, &group, 7, Some("Create"), &unreachable).await;
    assert_eq!(answer, StatusCode::ACCEPTED);
    assert_eq!(
        a.count("statuses", &format!("ap_id = '{offline}'")).await,
        0
    );

    // A real post of Carol's that A knows: the forged copies change nothing.
    let real = carol
        .post_status("Fraction strips work better than pies.", "public")
        .await;
    let real_uri = real["uri"].as_str().unwrap().to_string();
    let found = lookup(&alice, &real_uri).await;
    assert_eq!(found.len(), 1, "{found:?}");
    let real_at_a = found[0]["id"].as_str().unwrap().to_string();
    for (n, wrapper) in [(4, Some("Update")), (5, Some("Create")), (6, None)] {
        let answer = announce(&peer, &a, &group, n, wrapper, &forged_note(&real_uri)).await;
        assert!(!answer.is_server_error(), "{answer}");
    }
    let kept = alice.get(&format!("/api/v1/statuses/{real_at_a}")).await;
    assert!(
        kept["content"]
            .as_str()
            .unwrap()
            .contains("Fraction strips"),
        "{kept}"
    );
    assert_eq!(kept["edited_at"], Value::Null);
    assert_eq!(
        a.count("statuses", &format!("ap_id = '{real_uri}'")).await,
        1
    );
    assert_eq!(a.count("status_edits", "").await, 0);

    // Nothing forged anywhere, and the server still answers.
    assert_eq!(
        a.count("statuses", "content LIKE '%FORGED%'").await,
        0,
        "a forged post was stored"
    );
    let home = alice.home().await;
    assert!(
        home.iter().all(|s| !s.to_string().contains("FORGED")),
        "{home:?}"
    );
    let notes = alice.notifications().await;
    assert!(
        notes.iter().all(|n| !n.to_string().contains("FORGED")),
        "{notes:?}"
    );
    assert_eq!(
        alice.get("/api/v1/accounts/verify_credentials").await["username"],
        "alice"
    );
}

/// SECURITY.md Inbox 7: a members-only board on B with members on A and C.
/// Carol (on C) replies in a thread; the board relays it; A does not take
/// the board's embedded copy but fetches the reply from C with a signed
/// request, and C serves it after reading the board's followers collection
/// at B (signed). A server with no member of the board gets 404 from C, and
/// only the member count from B.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_members_only_reply_crosses_three_servers_from_its_author() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let c = Instance::start("district-c").await;
    let outsider = FakePeer::start("outsider").await;
    let member_peer = FakePeer::start("member").await;
    let otto = outsider.add_actor("otto");
    let olga = member_peer.add_actor("olga");
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let carol = c.user("carol").await;
    boards::cli(
        &b,
        &[
            "create",
            "coaches",
            "--title",
            "Instructional coaches",
            "--kind",
            "private",
            "--moderator",
            "bob",
        ],
    );
    let handle = format!("coaches@{}", b.domain);
    let board_url = format!("{}/users/coaches", b.url());

    // Alice, Carol and Olga (on a fake server) ask to join; Bob lets them in.
    let mut board_ids = vec![];
    for who in [&alice, &carol] {
        let board = who.resolve(&handle).await;
        let id = board["id"].as_str().unwrap().to_string();
        assert_eq!(who.follow(&id).await["requested"], true);
        board_ids.push(id);
    }
    let follow = json!({"@context": context(), "type": "Follow",
                        "id": member_peer.url("/follows/1"), "actor": olga, "object": board_url});
    let res = member_peer
        .send(
            &format!("{}/inbox", b.base()),
            &b.domain,
            &follow,
            "olga",
            &Signing::default(),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let requests = eventually("three join requests at B", DEADLINE, || async {
        let list = bob
            .get("/api/staffroom/v1/boards/coaches/join_requests")
            .await;
        (list.as_array().unwrap().len() == 3).then_some(list)
    })
    .await;
    for r in requests.as_array().unwrap() {
        let id = r["id"].as_str().unwrap();
        bob.post(
            &format!("/api/staffroom/v1/boards/coaches/join_requests/{id}/authorize"),
            json!({}),
        )
        .await;
    }
    for (who, id) in [(&alice, &board_ids[0]), (&carol, &board_ids[1])] {
        eventually("a member", DEADLINE, || async {
            (who.relationship(id).await["following"] == true).then_some(())
        })
        .await;
    }

    // Bob starts a thread; Carol replies to it from C.
    let thread = bob
        .post(
            "/api/staffroom/v1/boards/coaches/threads",
            json!({"title": "Coaching cycles", "body": "How long are yours?"}),
        )
        .await;
    let thread_uri = thread["status"]["uri"].as_str().unwrap().to_string();
    let at_carol = eventually("the thread relayed to Carol", DEADLINE, || async {
        relayed(&carol, &handle, &thread_uri).await
    })
    .await;
    let reply = carol
        .reply(
            at_carol["reblog"]["id"].as_str().unwrap(),
            "Six weeks, with a midpoint check-in.",
            "private",
        )
        .await;
    let reply_uri = reply["uri"].as_str().unwrap().to_string();

    // Alice, on A, gets it: read from C, since the board is on B.
    let at_alice = eventually("Carol's reply relayed to Alice", DEADLINE, || async {
        relayed(&alice, &handle, &reply_uri).await
    })
    .await;
    assert_eq!(at_alice["reblog"]["visibility"], "private");
    assert!(at_alice["reblog"]["content"]
        .as_str()
        .unwrap()
        .contains("midpoint check-in"));
    assert_eq!(
        at_alice["reblog"]["account"]["acct"],
        format!("carol@{}", c.domain)
    );

    // A server where the board has no member: C answers 404; B gives it
    // the member count only. A member's server reads both.
    let reply_path = reply_uri.strip_prefix(&c.url()).unwrap();
    let from_outsider = outsider
        .fetch_signed(&format!("{}{reply_path}", c.base()), &c.domain, "otto")
        .await;
    assert_eq!(from_outsider.status(), StatusCode::NOT_FOUND);
    let from_member = member_peer
        .fetch_signed(&format!("{}{reply_path}", c.base()), &c.domain, "olga")
        .await;
    assert_eq!(from_member.status(), StatusCode::OK);
    let served: Value = from_member.json().await.unwrap();
    assert_eq!(served["id"], reply_uri.as_str());
    let members_page = format!("{}/users/coaches/followers?page=1", b.base());
    let listed = |v: &Value| v["orderedItems"].as_array().map_or(0, Vec::len);
    let anonymous: Value = reqwest::Client::new()
        .get(&members_page)
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(anonymous["totalItems"], 3);
    assert_eq!(listed(&anonymous), 0, "{anonymous}");
    let to_outsider: Value = outsider
        .fetch_signed(&members_page, &b.domain, "otto")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed(&to_outsider), 0, "{to_outsider}");
    let to_member: Value = member_peer
        .fetch_signed(&members_page, &b.domain, "olga")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed(&to_member), 3, "{to_member}");
    let _ = otto;
}

/// SECURITY.md Inbox 11: a members-only thread Carol (on C) started in a
/// board on another server, which A may read (a member is there). A rogue
/// `Group` announces it to A, naming only its id: A reads it from C, whose
/// post names its own board as `audience`, so the rogue group cannot open it
/// to its own followers (refused; Amy, who follows the rogue group, sees
/// nothing). The real board's relay of it reaches its member Alice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_cannot_open_another_boards_members_only_post() {
    let a = Instance::start("district-a").await;
    let c = Instance::start("district-c").await;
    let clubs = FakePeer::start("clubs").await;
    let rogue = FakePeer::start("rogue").await;
    let alice = a.user("alice").await;
    let amy = a.user("amy").await;
    let carol = c.user("carol").await;
    let members = [
        format!("{}/users/alice", a.url()),
        format!("{}/users/carol", c.url()),
    ];
    let club = fake_group(&clubs, "club", true, &members);
    join_fake_group(&clubs, "club", &a, &alice).await;
    join_fake_group(&clubs, "club", &c, &carol).await;
    let plc = joined_fake_group(&rogue, &a, &amy).await;

    // Carol starts a members-only thread in the club, from C.
    let thread = carol
        .post(
            &format!(
                "/api/staffroom/v1/boards/{}/threads",
                urlencode(&format!("club@{}", clubs.domain))
            ),
            json!({"title": "Lab safety contracts", "body": "Who signs yours?"}),
        )
        .await;
    assert_eq!(thread["status"]["visibility"], "private", "{thread}");
    let uri = thread["status"]["uri"].as_str().unwrap().to_string();

    // The rogue group announces it by id: refused, shown to no one.
    let activity = json!({
        "@context": context(), "type": "Announce",
        "id": rogue.url("/activities/announce/club"), "actor": plc,
        "to": [format!("{plc}/followers")], "cc": [], "object": uri
    });
    let res = rogue
        .send(
            &format!("{}/inbox", a.base()),
            &a.domain,
            &activity,
            "plc",
            &Signing::default(),
        )
        .await;
    assert!(res.status().is_client_error(), "{}", res.status());
    assert_eq!(a.count("board_posts", "").await, 0);
    assert!(amy
        .home()
        .await
        .iter()
        .all(|s| s["reblog"]["uri"] != uri.as_str()));

    // The club relays it: Alice, a member, sees it.
    let activity = json!({
        "@context": context(), "type": "Announce",
        "id": clubs.url("/activities/announce/1"), "actor": club,
        "to": [format!("{club}/followers")], "cc": [], "object": uri
    });
    let res = clubs
        .send(
            &format!("{}/inbox", a.base()),
            &a.domain,
            &activity,
            "club",
            &Signing::default(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let handle = format!("club@{}", clubs.domain);
    let at_alice = eventually("the thread relayed to Alice", DEADLINE, || async {
        relayed(&alice, &handle, &uri).await
    })
    .await;
    assert!(at_alice["reblog"]["content"]
        .as_str()
        .unwrap()
        .contains("Who signs yours?"));
    assert!(amy
        .home()
        .await
        .iter()
        .all(|s| s["reblog"]["uri"] != uri.as_str()));
}
