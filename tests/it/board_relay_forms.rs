//! Issue 10, item 4: a board sends each member's server the relay form it
//! understands, known from the software its NodeInfo names. Lemmy (and
//! Mbin, PieFed, Staffroom) get the FEP-1b12 `Announce` of the member's
//! activity; Mastodon gets the boost (an `Announce` of the post's URL) and
//! its `Undo`; neither goes back to the post's own server.

use crate::common::{
    boards, eventually,
    fake_peer::FakePeer,
    lemmy::{self, PUBLIC},
    Instance, FEDERATION_DEADLINE as DEADLINE,
};
use serde_json::{json, Value};

/// An `Announce` of a post's URL (a boost), or the `Undo` of one.
fn is_boost(v: &Value) -> bool {
    (v["type"] == "Announce" && v["object"].is_string())
        || (v["type"] == "Undo"
            && v["object"]["type"] == "Announce"
            && v["object"]["object"].is_string())
}

/// An `Announce` of an activity (FEP-1b12).
fn is_relay(v: &Value) -> bool {
    v["type"] == "Announce" && v["object"]["type"].is_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_member_server_gets_the_relay_form_it_understands() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let lemmy_peer = FakePeer::start("lemmy").await;
    let masto = FakePeer::start("mastodon").await;
    lemmy_peer.serve_nodeinfo("lemmy");
    masto.serve_nodeinfo("Mastodon");
    let maria = a.user("maria").await;
    let bob = b.user("bob").await;
    let group = boards::robotics(&a);
    let handle = format!("robotics@{}", a.domain);

    // Members on a Lemmy, a Mastodon and a second Staffroom.
    let lena = lemmy_peer.add_actor("lena");
    let mo = masto.add_actor("mo");
    lemmy::join_board(&lemmy_peer, &a, &lena, "lena", &group).await;
    lemmy::join_board(&masto, &a, &mo, "mo", &group).await;
    boards::join(&bob, &handle).await;

    // Maria starts a thread and replies in it.
    let thread = maria
        .post_status("@robotics Our sensor-maze lesson, for grade 5", "public")
        .await;
    let thread_uri = thread["uri"].as_str().unwrap().to_string();
    let reply = maria
        .reply(
            thread["id"].as_str().unwrap(),
            "The maze walls are cardboard",
            "public",
        )
        .await;
    let reply_uri = reply["uri"].as_str().unwrap().to_string();

    // Lena starts one from her Lemmy (`create_or_update/create_page.json`).
    let page_id = lemmy_peer.url("/post/1");
    let page = json!({"type": "Page", "id": page_id, "attributedTo": lena,
                      "to": [group, PUBLIC], "cc": [], "audience": group,
                      "name": "Sensor kits", "mediaType": "text/html",
                      "content": "<p>Which sensors survive a year?</p>\n",
                      "source": {"content": "Which sensors survive a year?",
                                 "mediaType": "text/markdown"},
                      "sensitive": false, "published": "2026-11-23T09:00:00.557399+00:00"});
    let mut served = page.clone();
    served["@context"] = lemmy::context();
    lemmy_peer.serve("/post/1", served);
    let create = json!({"@context": lemmy::context(), "type": "Create",
                        "id": lemmy_peer.url("/activities/create/1"), "actor": lena,
                        "to": [group, PUBLIC], "cc": [], "audience": group, "object": page});
    lemmy::deliver(&lemmy_peer, &a, &create, "lena").await;

    // Mastodon gets the three posts boosted; Lemmy Maria's two relayed.
    for uri in [&thread_uri, &reply_uri, &page_id] {
        eventually("the boost at Mastodon", DEADLINE, || async {
            masto
                .received()
                .into_iter()
                .find(|v| v["type"] == "Announce" && v["object"] == uri.as_str())
        })
        .await;
    }
    for uri in [&thread_uri, &reply_uri] {
        eventually("the relay at Lemmy", DEADLINE, || async {
            lemmy_peer
                .received()
                .into_iter()
                .find(|v| is_relay(v) && v["object"]["object"]["id"] == uri.as_str())
        })
        .await;
    }
    // The Staffroom member sees all three as the board's boosts.
    for uri in [&thread_uri, &reply_uri, &page_id] {
        eventually("the board's boost at Bob's", DEADLINE, || async {
            boards::relayed(&bob, &handle, uri).await
        })
        .await;
    }

    // Maria removes her reply and Lena's thread: the board takes its boosts
    // back (`Undo`) and tells of the removals (`Announce` of a `Delete`).
    for uri in [&reply_uri, &page_id] {
        let found = boards::lookup(&maria, uri).await;
        let id = found[0]["id"].as_str().unwrap().to_string();
        maria
            .post(
                &format!("/api/staffroom/v1/boards/robotics/posts/{id}/remove"),
                json!({"reason": "Off topic"}),
            )
            .await;
    }
    for uri in [&reply_uri, &page_id] {
        eventually("the boost undone at Mastodon", DEADLINE, || async {
            masto
                .received()
                .into_iter()
                .find(|v| v["type"] == "Undo" && v["object"]["object"] == uri.as_str())
        })
        .await;
        eventually("the removal at Lemmy", DEADLINE, || async {
            lemmy_peer.received().into_iter().find(|v| {
                is_relay(v) && v["object"]["type"] == "Delete" && v["object"]["object"] == *uri
            })
        })
        .await;
    }
    eventually("every delivery done", DEADLINE, || async {
        (a.count("deliveries", "failed_at IS NULL").await == 0).then_some(())
    })
    .await;

    // Lemmy got no boost and no Undo of one, only what its checks accept,
    // and nothing of Lena's own post echoed back.
    let at_lemmy = lemmy_peer.received();
    let boosts: Vec<&Value> = at_lemmy.iter().filter(|v| is_boost(v)).collect();
    assert!(boosts.is_empty(), "boosts sent to Lemmy: {boosts:#?}");
    for v in at_lemmy.iter().filter(|v| v["type"] == "Announce") {
        if let Some(why) = lemmy::refusal(v, &group, true) {
            panic!("Lemmy refuses {v:#}: {why}");
        }
    }
    // (The board's removal of her post, by a moderator, is news to it.)
    let about_lenas = |v: &Value| {
        [
            &v["object"],
            &v["object"]["object"],
            &v["object"]["object"]["id"],
        ]
        .iter()
        .any(|o| **o == page_id.as_str())
            || v["object"]["actor"] == lena.as_str()
    };
    let removal =
        |v: &Value| v["object"]["type"] == "Delete" && v["object"]["actor"] != lena.as_str();
    let echoed: Vec<&Value> = at_lemmy
        .iter()
        .filter(|v| v["type"] == "Announce" || v["type"] == "Undo")
        .filter(|v| about_lenas(v) && !removal(v))
        .collect();
    let shown: Vec<String> = echoed.iter().map(|v| v.to_string()).collect();
    assert!(echoed.is_empty(), "Lena's post echoed back: {shown:#?}");

    // Mastodon got boosts, never an activity announced.
    let relays: Vec<Value> = masto.received().into_iter().filter(is_relay).collect();
    assert!(relays.is_empty(), "relays sent to Mastodon: {relays:#?}");

    // What each server runs is remembered.
    for (peer, software) in [(&lemmy_peer, "lemmy"), (&masto, "mastodon")] {
        let condition = format!("host = '{}' AND software = '{software}'", peer.domain);
        assert_eq!(a.count("host_software", &condition).await, 1, "{software}");
    }
}

/// A server without NodeInfo (or whose NodeInfo cannot be read) gets both
/// forms, as before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_of_unknown_software_gets_both_forms() {
    let a = Instance::start("district-a").await;
    let unknown = FakePeer::start("unknown").await;
    let maria = a.user("maria").await;
    let group = boards::robotics(&a);
    let uma = unknown.add_actor("uma");
    lemmy::join_board(&unknown, &a, &uma, "uma", &group).await;
    let thread = maria
        .post_status("@robotics Gear trains that do not slip", "public")
        .await;
    let uri = thread["uri"].as_str().unwrap().to_string();
    eventually("both forms at the unknown server", DEADLINE, || async {
        let got = unknown.received();
        let boost = got
            .iter()
            .any(|v| is_boost(v) && v["object"] == uri.as_str());
        let relay = got
            .iter()
            .any(|v| is_relay(v) && v["object"]["object"]["id"] == uri.as_str());
        (boost && relay).then_some(())
    })
    .await;
    // Asked once for both deliveries; the failure is remembered.
    let asked = unknown
        .fetched()
        .iter()
        .filter(|p| *p == "/.well-known/nodeinfo")
        .count();
    assert_eq!(asked, 1);
    let condition = format!("host = '{}' AND software IS NULL", unknown.domain);
    assert_eq!(a.count("host_software", &condition).await, 1);
}
