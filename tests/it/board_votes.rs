//! Votes in boards travel as Lemmy relays them (issue 10, item 7): a like
//! of a post a board keeps (from a member on Lemmy, or a teacher here) is
//! announced by the board to its members' servers, where it counts as a
//! favourite; so is its `Undo`. A member's vote goes on as it arrived
//! (`voting/like_note.json`, `undo_like_note.json` in LemmyNet/lemmy's
//! `crates/apub/apub/assets/lemmy/activities/`), never back to its server.

use crate::common::{
    boards, eventually, fake_peer::FakePeer, lemmy, Instance, FEDERATION_DEADLINE as DEADLINE,
};
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn likes_in_a_board_count_on_every_members_server() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let lemmy = FakePeer::start("lemmy").await;
    let maria = a.user("maria").await;
    let carol = a.user("carol").await;
    let bob = b.user("bob").await;
    let group = boards::robotics(&a);
    boards::join(&bob, &format!("robotics@{}", a.domain)).await;
    let lena = lemmy.add_actor("lena");
    let other = FakePeer::start("lemmy-two").await;
    let otto = other.add_actor("otto");
    lemmy::join_board(&lemmy, &a, &lena, "lena", &group).await;
    lemmy::join_board(&other, &a, &otto, "otto", &group).await;

    let thread = maria
        .post(
            "/api/staffroom/v1/boards/robotics/threads",
            json!({"title": "Gear trains", "body": "Which ratio first?"}),
        )
        .await;
    let uri = thread["status"]["uri"].as_str().unwrap().to_string();
    let favourites_at_b = || {
        let (bob, uri) = (&bob, uri.clone());
        async move {
            bob.home()
                .await
                .into_iter()
                .find(|s| s["reblog"]["uri"] == uri.as_str())
                .map(|s| s["reblog"]["favourites_count"].as_i64().unwrap_or(-1))
        }
    };
    eventually("the thread at B", DEADLINE, || async {
        (favourites_at_b().await == Some(0)).then_some(())
    })
    .await;

    // Lena likes it on Lemmy; the board relays her Like as it arrived.
    let like = json!({"@context": lemmy::context(), "actor": lena, "object": uri,
                      "audience": group, "type": "Like",
                      "id": lemmy.url("/activities/like/1")});
    lemmy::deliver_pretty(&lemmy, &a, &like, "lena").await;
    eventually("Lena's like counted at B", DEADLINE, || async {
        (favourites_at_b().await == Some(1)).then_some(())
    })
    .await;
    // Carol, a teacher of A, likes it too.
    let id = thread["status"]["id"].as_str().unwrap();
    carol
        .post(&format!("/api/v1/statuses/{id}/favourite"), json!({}))
        .await;
    eventually("Carol's like counted at B", DEADLINE, || async {
        (favourites_at_b().await == Some(2)).then_some(())
    })
    .await;

    // Lena takes hers back.
    let mut inner = like.clone();
    inner.as_object_mut().unwrap().remove("@context");
    let undo = json!({"@context": lemmy::context(), "actor": lena, "object": inner,
                      "audience": group, "type": "Undo",
                      "id": lemmy.url("/activities/undo/1")});
    lemmy::deliver(&lemmy, &a, &undo, "lena").await;
    eventually("Lena's like withdrawn at B", DEADLINE, || async {
        (favourites_at_b().await == Some(1)).then_some(())
    })
    .await;
    assert_eq!(
        maria.get(&format!("/api/v1/statuses/{id}")).await["favourites_count"],
        1
    );

    // Lemmy got none of Lena's votes back; what it got of Carol's passes
    // its checks.
    let votes: Vec<Value> = lemmy
        .received()
        .into_iter()
        .filter(|v| v["type"] == "Announce")
        .filter(|v| matches!(v["object"]["type"].as_str(), Some("Like" | "Undo")))
        .collect();
    assert!(
        votes.iter().all(|v| v["object"]["actor"] != lena.as_str()),
        "{votes:#?}"
    );
    let carols = eventually("Carol's like at Lemmy", DEADLINE, || async {
        lemmy.received().into_iter().find(|v| {
            v["type"] == "Announce"
                && v["object"]["type"] == "Like"
                && v["object"]["actor"] == carol.account["uri"]
        })
    })
    .await;
    if let Some(why) = lemmy::refusal(&carols, &group, true) {
        panic!("Lemmy refuses the relay of Carol's like: {why}\n{carols:#}");
    }
    // Carol then takes hers back from A: withdrawn at B too.
    carol
        .post(&format!("/api/v1/statuses/{id}/unfavourite"), json!({}))
        .await;
    eventually("Carol's like withdrawn at B", DEADLINE, || async {
        (favourites_at_b().await == Some(0)).then_some(())
    })
    .await;

    // Downvotes are not counted here, but relayed as they arrived
    // (`voting/dislike_page.json`, `undo_dislike_page.json`).
    let dislike = json!({"@context": lemmy::context(), "actor": lena, "object": uri,
                         "audience": group, "type": "Dislike",
                         "id": lemmy.url("/activities/dislike/1")});
    let mut inner = dislike.clone();
    inner.as_object_mut().unwrap().remove("@context");
    let undo = json!({"@context": lemmy::context(), "actor": lena, "object": inner,
                      "audience": group, "type": "Undo",
                      "id": lemmy.url("/activities/undo/2")});
    for vote in [dislike, undo] {
        let sent = lemmy::deliver_pretty(&lemmy, &a, &vote, "lena").await;
        eventually(
            "Lena's vote relayed to the second Lemmy",
            DEADLINE,
            || async {
                other
                    .received_raw()
                    .into_iter()
                    .find(|raw| raw.contains(&sent))
            },
        )
        .await;
    }
    assert_eq!(favourites_at_b().await, Some(0));
}
