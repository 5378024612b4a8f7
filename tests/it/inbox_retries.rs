//! Another server's outage is never this server's 5xx (issue 10, item 1).
//! Lemmy sends to each server strictly in order and retries a 5xx with
//! backoff (LemmyNet/lemmy, `crates/apub/send`): one activity answered 503
//! holds back everything behind it. Once an activity's signature checks
//! out, what needs a third server (the post an `Announce` embeds, read from
//! its own server) is kept and retried here, and the sender gets 202.

use crate::common::{
    eventually,
    fake_peer::{FakePeer, Raw},
    lemmy::{self, PUBLIC},
    Instance, FEDERATION_DEADLINE as DEADLINE,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A community's `Announce` (id `n`) of `author`'s `Create` of `post`,
/// whose ids are on `author_peer`.
fn announced(
    lemmy: &FakePeer,
    group: &str,
    author_peer: &FakePeer,
    author: &str,
    n: u32,
    post: &Value,
) -> Value {
    json!({"@context": lemmy::context(), "type": "Announce",
           "id": lemmy.url(&format!("/activities/announce/{n}")), "actor": group,
           "to": [group, PUBLIC], "cc": [format!("{group}/followers")],
           "object": {"type": "Create", "id": author_peer.url(&format!("/activities/create/{n}")),
                      "actor": author, "to": [group, PUBLIC], "cc": [], "audience": group,
                      "object": post}})
}

fn page(peer: &FakePeer, path: &str, group: &str, author: &str, name: &str) -> Value {
    json!({"type": "Page", "id": peer.url(path), "attributedTo": author,
           "to": [group, PUBLIC], "cc": [], "audience": group, "name": name,
           "content": format!("<p>{name}?</p>"), "mediaType": "text/html",
           "published": "2026-11-23T10:00:00Z"})
}

/// Three servers: a Lemmy community relays a post whose own server is down.
/// The Announce gets 202; the community's next activity is applied at once;
/// this server is killed and restarted while the post waits; once its
/// server is back, the post arrives, once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_announce_whose_origin_is_down_is_accepted_and_applied_later() {
    let mut a = Instance::start("district-a").await;
    let community = FakePeer::start("lemmy").await;
    let origin = FakePeer::start("origin").await;
    let alice = a.user("alice").await;
    let (group, lena) = lemmy::community(&community);
    lemmy::follow(&community, &a, &alice, &group).await;
    let olga = origin.add_actor("olga");

    // Olga's post, on a server that answers 503 for now.
    let waiting = page(&origin, "/post/7", &group, &olga, "Soil moisture sensors");
    let waiting_id = waiting["id"].as_str().unwrap().to_string();
    origin.serve_raw("/post/7", Some(Raw::Status(503)));
    let res = community
        .send(
            &format!("{}/inbox", a.base()),
            &a.domain,
            &announced(&community, &group, &origin, &olga, 1, &waiting),
            "robots",
            &Default::default(),
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::ACCEPTED,
        "not 5xx for another server's outage"
    );

    // The community's next activity is not held up.
    let next = page(&community, "/post/8", &group, &lena, "Rain gauges");
    let mut served = next.clone();
    served["@context"] = lemmy::context();
    community.serve("/post/8", served);
    lemmy::deliver(
        &community,
        &a,
        &announced(&community, &group, &community, &lena, 2, &next),
        "robots",
    )
    .await;
    let home_has = |uri: String| {
        let alice = &alice;
        async move {
            alice
                .home()
                .await
                .into_iter()
                .find(|s| s["reblog"]["uri"] == uri.as_str())
        }
    };
    eventually("the next post, at once", DEADLINE, || {
        home_has(next["id"].as_str().unwrap().into())
    })
    .await;
    assert!(home_has(waiting_id.clone()).await.is_none());

    // This server dies while the first post waits, and comes back.
    a.restart().await;

    // The origin is back: the post arrives, once.
    let mut served = waiting.clone();
    served["@context"] = lemmy::context();
    origin.serve_raw("/post/7", None);
    origin.serve("/post/7", served);
    eventually(
        "the waiting post, once its server is back",
        DEADLINE,
        || home_has(waiting_id.clone()),
    )
    .await;
    assert_eq!(
        a.count("statuses", &format!("ap_id = '{waiting_id}'"))
            .await,
        1
    );
    assert!(origin.fetched().iter().filter(|p| *p == "/post/7").count() >= 2);
}
