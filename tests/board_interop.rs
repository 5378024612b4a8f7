//! Boards on Lemmy (communities): a teacher follows one, and a thread the
//! community relays the Lemmy way (`Announce` of a member's `Create` of a
//! `Page` with a `name`) reaches her home timeline as the community's
//! boost, read from the post's own server. The fixtures are shaped by hand
//! after Lemmy's published federation documentation.

mod common;

use common::{
    eventually,
    fake_peer::{FakePeer, Signing},
    Instance, FEDERATION_DEADLINE as DEADLINE,
};
use serde_json::{json, Value};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

fn lemmy_context() -> Value {
    json!([
        "https://join-lemmy.org/context.json",
        "https://www.w3.org/ns/activitystreams",
        {"lemmy": "https://join-lemmy.org/ns#",
         "postingRestrictedToMods": "lemmy:postingRestrictedToMods",
         "moderators": {"@type": "@id", "@id": "lemmy:moderators"}}
    ])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lemmy_community_is_followed_and_its_relayed_threads_arrive() {
    let a = Instance::start("district-a").await;
    let lemmy = FakePeer::start("lemmy").await;
    let alice = a.user("alice").await;
    let group = lemmy.add_actor("robots");
    let lena = lemmy.add_actor("lena");
    lemmy.serve(
        "/users/robots",
        json!({
            "@context": lemmy_context(),
            "type": "Group", "id": group, "preferredUsername": "robots",
            "name": "Robotics teachers",
            "summary": "<p>Classroom robotics, K-12.</p>",
            "source": {"content": "Classroom robotics, K-12.", "mediaType": "text/markdown"},
            "sensitive": false,
            "inbox": format!("{group}/inbox"), "outbox": format!("{group}/outbox"),
            "followers": format!("{group}/followers"), "featured": format!("{group}/featured"),
            "attributedTo": format!("{group}/moderators"),
            "postingRestrictedToMods": false,
            "endpoints": {"sharedInbox": lemmy.url("/inbox")},
            "publicKey": {"id": format!("{group}#main-key"), "owner": group,
                          "publicKeyPem": lemmy.public_key("robots")},
            "language": [{"identifier": "en", "name": "English"}],
            "published": "2026-01-10T12:00:00Z"
        }),
    );

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
        "@context": lemmy_context(), "type": "Accept",
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
    served["@context"] = lemmy_context();
    lemmy.serve("/post/1", served);
    let announce = json!({
        "@context": lemmy_context(),
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
        "@context": lemmy_context(),
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
}
