//! Boards on Lemmy (communities) and Mbin (magazines): a teacher follows
//! one; the threads it relays (`Announce` of a member's `Create` of a
//! `Page` with a `name`) reach her home timeline as its boosts, read from
//! the post's own server, and its board listing with their titles; its
//! moderators collection is read; relayed votes (`Like`, and `Undo`),
//! moderators' `Lock`s and authors' `Delete`s are applied. The fixtures are
//! shaped by hand after Lemmy's and Mbin's published federation
//! documentation.

use crate::common;

use crate::common::{
    eventually,
    fake_peer::{FakePeer, Signing},
    Instance, FEDERATION_DEADLINE as DEADLINE,
};
use serde_json::{json, Value};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lemmy_community_is_followed_and_its_relayed_threads_arrive() {
    let a = Instance::start("district-a").await;
    let lemmy = FakePeer::start("lemmy").await;
    let alice = a.user("alice").await;
    let (group, lena) = common::lemmy::community(&lemmy);

    // Alice finds the community by handle; apps show it as a group.
    let community = alice.resolve(&format!("robots@{}", lemmy.domain)).await;
    assert_eq!(community["group"], true);
    assert_eq!(community["display_name"], "Robotics teachers");
    let community_id = community["id"].as_str().unwrap().to_string();
    alice.follow(&community_id).await;
    let follow = eventually("the Follow at Lemmy", DEADLINE, || async {
        lemmy
            .received()
            .into_iter()
            .find(|v| v["type"] == "Follow" && v["object"] == group.as_str())
    })
    .await;
    let accept = json!({
        "@context": common::lemmy::context(), "type": "Accept",
        "id": lemmy.url("/activities/accept/1"), "actor": group, "object": follow
    });
    let res = lemmy
        .send(
            &format!("{}/inbox", a.base()),
            &a.domain,
            &accept,
            "robots",
            &Signing::default(),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    eventually("Alice following the community", DEADLINE, || async {
        (alice.relationship(&community_id).await["following"] == true).then_some(())
    })
    .await;

    // Lena posts a thread; the community relays her Create in an Announce.
    let page_id = lemmy.url("/post/1");
    let page = json!({
        "type": "Page", "id": page_id, "attributedTo": lena,
        "to": [group, PUBLIC], "cc": [], "audience": group,
        "name": "Gear ratios with LEGO Spike",
        "content": "<p>Which gear ratio do your grade 4 students start with?</p>",
        "mediaType": "text/html",
        "source": {"content": "Which gear ratio do your grade 4 students start with?", "mediaType": "text/markdown"},
        "sensitive": false, "language": {"identifier": "en", "name": "English"},
        "published": "2026-11-23T09:00:00Z"
    });
    let mut served = page.clone();
    served["@context"] = common::lemmy::context();
    lemmy.serve("/post/1", served);
    let announce = json!({
        "@context": common::lemmy::context(),
        "type": "Announce", "id": lemmy.url("/activities/announce/1"),
        "actor": group, "to": [PUBLIC], "cc": [format!("{group}/followers")],
        "object": {
            "type": "Create", "id": lemmy.url("/activities/create/1"), "actor": lena,
            "to": [group, PUBLIC], "cc": [], "audience": group, "object": page
        }
    });
    let res = lemmy
        .send(
            &format!("{}/inbox", a.base()),
            &a.domain,
            &announce,
            "robots",
            &Signing::default(),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let boosted = eventually(
        "the thread in Alice's home, boosted by the community",
        DEADLINE,
        || async {
            alice
                .home()
                .await
                .into_iter()
                .find(|s| s["reblog"]["uri"] == page_id.as_str())
        },
    )
    .await;
    assert_eq!(
        boosted["account"]["acct"],
        format!("robots@{}", lemmy.domain)
    );
    let content = boosted["reblog"]["content"].as_str().unwrap();
    assert!(
        content.contains("<strong>Gear ratios with LEGO Spike</strong>"),
        "{content}"
    );
    assert!(content.contains("grade 4 students"));
    assert_eq!(
        boosted["reblog"]["account"]["acct"],
        format!("lena@{}", lemmy.domain)
    );
    // The post was read from its own server, not taken from the Announce.
    assert!(lemmy.fetched().contains(&"/post/1".to_string()));

    // An Announce of a Create whose post its server does not have is dropped.
    let forged = json!({
        "@context": common::lemmy::context(),
        "type": "Announce", "id": lemmy.url("/activities/announce/2"),
        "actor": group, "to": [PUBLIC], "cc": [],
        "object": {"type": "Create", "id": lemmy.url("/activities/create/2"), "actor": lena,
                   "object": {"type": "Page", "id": lemmy.url("/post/404"), "attributedTo": lena,
                              "name": "Made up", "content": "not really there", "to": [PUBLIC]}}
    });
    lemmy
        .send(
            &format!("{}/inbox", a.base()),
            &a.domain,
            &forged,
            "robots",
            &Signing::default(),
        )
        .await;
    let made_up = lemmy.url("/post/404");
    assert_eq!(
        a.count("statuses", &format!("ap_id = '{made_up}'")).await,
        0
    );

    // Alice starts a thread in the community from district A: Lemmy gets
    // the `Create` of a `Page` with its title, addressed to the community
    // and naming it as `audience`.
    let started = alice
        .post(
            &format!(
                "/api/staffroom/v1/boards/{}/threads",
                common::client::urlencode(&format!("robots@{}", lemmy.domain))
            ),
            json!({"title": "Sensor kits that last", "body": "Which **kits** survive a year?"}),
        )
        .await;
    let started_uri = started["status"]["uri"].as_str().unwrap().to_string();
    let created = eventually("the thread's Create at Lemmy", DEADLINE, || async {
        lemmy
            .received()
            .into_iter()
            .find(|v| v["type"] == "Create" && v["object"]["id"] == started_uri.as_str())
    })
    .await;
    let page = &created["object"];
    assert_eq!(page["type"], "Page");
    assert_eq!(page["name"], "Sensor kits that last");
    assert_eq!(page["audience"], group.as_str());
    let addressed: Vec<&Value> = page["to"]
        .as_array()
        .unwrap()
        .iter()
        .chain(page["cc"].as_array().unwrap())
        .collect();
    assert!(addressed.contains(&&json!(group)), "{page}");
    assert!(addressed.contains(&&json!(PUBLIC)), "{page}");
    assert!(page["content"]
        .as_str()
        .unwrap()
        .contains("<strong>kits</strong>"));

    // Lemmy's moderators collection (no totalItems) is read.
    let handle = format!("robots@{}", lemmy.domain);
    let board = eventually("the community's moderators read", DEADLINE, || async {
        let b = alice
            .get(&format!(
                "/api/staffroom/v1/boards/{}",
                common::client::urlencode(&handle)
            ))
            .await;
        (b["moderators"][0]["acct"] == format!("lena@{}", lemmy.domain).as_str()).then_some(b)
    })
    .await;
    // Its handle is the community's, on the Lemmy server.
    assert_eq!(board["acct"], handle.as_str(), "{board}");

    // A vote (Lemmy's Like has no addressing) relayed by the community.
    let voter = lemmy.add_actor("vic");
    let relay = |n: u32, inner: Value| {
        json!({"@context": common::lemmy::context(), "type": "Announce",
               "id": lemmy.url(&format!("/activities/announce/like/{n}")),
               "actor": group, "to": [group, PUBLIC], "cc": [format!("{group}/followers")],
               "object": inner})
    };
    let like = json!({"actor": voter, "object": page_id, "audience": group, "type": "Like",
                      "id": lemmy.url("/activities/like/1")});
    let inbox = format!("{}/inbox", a.base());
    let res = lemmy
        .send(
            &inbox,
            &a.domain,
            &relay(1, like),
            "robots",
            &Signing::default(),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let here = boosted["reblog"]["id"].as_str().unwrap().to_string();
    let status = alice.get(&format!("/api/v1/statuses/{here}")).await;
    assert_eq!(status["favourites_count"], 1);

    // Lena deletes her post (a bare id as object), relayed: gone here too.
    let delete = json!({"actor": lena, "to": [PUBLIC], "object": page_id, "cc": [group],
                        "audience": group, "type": "Delete",
                        "id": lemmy.url("/activities/delete/1")});
    let res = lemmy
        .send(
            &inbox,
            &a.domain,
            &relay(2, delete),
            "robots",
            &Signing::default(),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(
        a.count("statuses", &format!("ap_id = '{page_id}'")).await,
        0
    );
}

fn mbin_context(peer: &FakePeer) -> Value {
    json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        peer.url("/contexts")
    ])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_mbin_magazine_relays_threads_votes_locks_and_deletions() {
    let a = Instance::start("district-a").await;
    let mbin = FakePeer::start("mbin").await;
    let alice = a.user("alice").await;
    let group = mbin.add_actor("robots");
    let mia = mbin.add_actor("mia");
    let max = mbin.add_actor("max");
    let mo = mbin.add_actor("mo");
    mbin.serve(
        "/users/robots",
        json!({
            "@context": mbin_context(&mbin),
            "type": "Group", "id": group, "name": "Robotics in class", "preferredUsername": "robots",
            "inbox": format!("{group}/inbox"), "outbox": format!("{group}/outbox"),
            "followers": format!("{group}/followers"), "featured": format!("{group}/pinned"),
            "url": group,
            "publicKey": {"owner": group, "id": format!("{group}#main-key"),
                          "publicKeyPem": mbin.public_key("robots")},
            "summary": "<p>Robots for every grade.</p>",
            "source": {"content": "Robots for every grade.", "mediaType": "text/markdown"},
            "sensitive": false, "attributedTo": format!("{group}/moderators"),
            "postingRestrictedToMods": false, "discoverable": true, "indexable": true,
            "endpoints": {"sharedInbox": mbin.url("/f/inbox")},
            "published": "2026-01-01T00:00:00+00:00", "updated": "2026-11-01T00:00:00+00:00"
        }),
    );
    mbin.serve(
        "/users/robots/moderators",
        json!({"@context": mbin_context(&mbin), "type": "OrderedCollection",
               "id": format!("{group}/moderators"), "totalItems": 1, "orderedItems": [mia]}),
    );

    // The magazine is a board as district A knows it, moderators included.
    let handle = format!("robots@{}", mbin.domain);
    let magazine = alice.resolve(&handle).await;
    assert_eq!(magazine["group"], true);
    let board = eventually("the magazine's moderators read", DEADLINE, || async {
        let b = alice
            .get(&format!(
                "/api/staffroom/v1/boards/{}",
                common::client::urlencode(&handle)
            ))
            .await;
        (b["moderators"][0]["acct"] == format!("mia@{}", mbin.domain).as_str()).then_some(b)
    })
    .await;
    assert_eq!(board["title"], "Robotics in class");
    assert_eq!(board["kind"], "federated");
    assert_eq!(board["acct"], handle.as_str(), "{board}");

    // Alice joins; the magazine accepts.
    let magazine_id = magazine["id"].as_str().unwrap().to_string();
    alice.follow(&magazine_id).await;
    let follow = eventually("the Follow at Mbin", DEADLINE, || async {
        mbin.received()
            .into_iter()
            .find(|v| v["type"] == "Follow" && v["object"] == group.as_str())
    })
    .await;
    let accept = json!({"@context": mbin_context(&mbin), "type": "Accept",
                        "id": mbin.url("/f/object/accept/1"), "actor": group, "object": follow});
    common::lemmy::deliver(&mbin, &a, &accept, "robots").await;
    eventually("Alice in the magazine", DEADLINE, || async {
        (alice.relationship(&magazine_id).await["following"] == true).then_some(())
    })
    .await;

    // Max's thread (a `Page` with `name`; Mbin's `summary` is its short
    // title and tags, not a content warning), relayed as Announce(Create).
    let page_id = mbin.url("/m/robots/t/1");
    let page = json!({
        "id": page_id, "type": "Page", "attributedTo": max, "inReplyTo": null,
        "to": [group, PUBLIC], "cc": [format!("{max}/followers")],
        "name": "Line followers on a budget", "audience": group,
        "content": "<p>Cheap IR sensors that survive grade 3.</p>",
        "summary": "Line followers on a budget #robots", "mediaType": "text/html",
        "source": {"content": "Cheap IR sensors that survive grade 3.", "mediaType": "text/markdown"},
        "tag": [{"type": "Hashtag", "href": mbin.url("/tag/robots"), "name": "#robots"}],
        "commentsEnabled": true, "sensitive": false, "stickied": false,
        "published": "2026-11-30T10:00:00+00:00",
        "contentMap": {"en": "<p>Cheap IR sensors that survive grade 3.</p>"}
    });
    let mut served = page.clone();
    served["@context"] = mbin_context(&mbin);
    mbin.serve("/m/robots/t/1", served);
    let relay = |n: u32, inner: Value| {
        json!({"@context": mbin_context(&mbin), "id": mbin.url(&format!("/f/object/announce/{n}")),
               "type": "Announce", "actor": group, "object": inner,
               "to": [PUBLIC], "cc": [format!("{group}/followers")],
               "published": "2026-11-30T10:00:01+00:00", "audience": group})
    };
    let create = json!({"id": mbin.url("/f/object/create/1"), "type": "Create", "actor": max,
                        "published": "2026-11-30T10:00:00+00:00", "to": [group, PUBLIC],
                        "cc": [format!("{max}/followers")], "object": page, "audience": group});
    common::lemmy::deliver(&mbin, &a, &relay(1, create), "robots").await;
    let boosted = eventually("the thread in Alice's home", DEADLINE, || async {
        alice
            .home()
            .await
            .into_iter()
            .find(|s| s["reblog"]["uri"] == page_id.as_str())
    })
    .await;
    assert_eq!(boosted["reblog"]["spoiler_text"], "");
    let thread_here = boosted["reblog"]["id"].as_str().unwrap().to_string();
    let listed = alice
        .get(&format!(
            "/api/staffroom/v1/boards/{}/threads",
            common::client::urlencode(&handle)
        ))
        .await;
    assert_eq!(listed[0]["title"], "Line followers on a budget");

    // Mo's upvote (Announce of Like) counts; its Undo takes it back.
    let like = json!({"id": mbin.url("/f/object/like/1"), "type": "Like", "actor": mo,
                      "to": [PUBLIC], "cc": [format!("{mo}/followers"), group],
                      "object": page_id, "audience": group});
    common::lemmy::deliver(&mbin, &a, &relay(2, like.clone()), "robots").await;
    let favourites = || async {
        alice.get(&format!("/api/v1/statuses/{thread_here}")).await["favourites_count"].clone()
    };
    assert_eq!(favourites().await, 1);
    let undo = json!({"id": mbin.url("/f/object/undo/1"), "type": "Undo", "actor": mo,
                      "object": like, "to": [PUBLIC], "cc": [group], "audience": group});
    common::lemmy::deliver(&mbin, &a, &relay(3, undo), "robots").await;
    assert_eq!(favourites().await, 0);

    // Mia (a moderator) locks it: no replies from Alice.
    let lock = json!({"id": mbin.url("/f/object/lock/1"), "type": "Lock", "actor": mia,
                      "to": [PUBLIC], "cc": [group, format!("{mia}/followers")], "object": page_id});
    common::lemmy::deliver(&mbin, &a, &relay(4, lock), "robots").await;
    let refused = alice
        .request(
            reqwest::Method::POST,
            "/api/v1/statuses",
            Some(json!({"status": "Me too!", "in_reply_to_id": thread_here})),
        )
        .await;
    assert_eq!(refused.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);

    // Max deletes it (Announce of Delete with a Tombstone): gone here too.
    let delete = json!({"id": mbin.url("/f/object/delete/1"), "type": "Delete", "actor": max,
                        "object": {"id": page_id, "type": "Tombstone"},
                        "to": [PUBLIC], "cc": [format!("{max}/followers")]});
    common::lemmy::deliver(&mbin, &a, &relay(5, delete), "robots").await;
    assert_eq!(
        alice
            .status_of(
                reqwest::Method::GET,
                &format!("/api/v1/statuses/{thread_here}")
            )
            .await,
        reqwest::StatusCode::NOT_FOUND
    );
    assert_eq!(
        a.count("statuses", &format!("ap_id = '{page_id}'")).await,
        0
    );
}
