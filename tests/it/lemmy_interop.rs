//! Boards as a real Lemmy 1.0 shares them, in the shapes its source sends
//! (LemmyNet/lemmy, `crates/apub/assets/lemmy/activities/`): what a Lemmy
//! community relays arrives whole, renamed threads included.

use crate::common::{
    boards,
    client::urlencode,
    eventually,
    fake_peer::FakePeer,
    lemmy::{self, PUBLIC},
    Instance, FEDERATION_DEADLINE as DEADLINE,
};
use serde_json::{json, Value};

/// Lena's thread `/post/1` as Lemmy serves it, titled `name`
/// (`create_or_update/create_page.json`, `update_page.json`).
fn page(lemmy: &FakePeer, group: &str, lena: &str, name: &str, updated: Option<&str>) -> Value {
    let mut page = json!({
        "type": "Page", "id": lemmy.url("/post/1"), "attributedTo": lena,
        "to": [group, PUBLIC], "audience": group,
        "name": name,
        "content": "<p>Which gear ratio do your grade 4 students start with?</p>\n",
        "mediaType": "text/html",
        "source": {"content": "Which gear ratio do your grade 4 students start with?",
                   "mediaType": "text/markdown"},
        "commentsEnabled": true, "sensitive": false,
        "published": "2026-11-23T09:00:00.557399+00:00"
    });
    if let Some(updated) = updated {
        page["updated"] = json!(updated);
    }
    page
}

/// The community announces Lena's `kind` (`Create` or `Update`) of `page`
/// (`community/announce_create_page.json`).
fn announced(lemmy: &FakePeer, group: &str, lena: &str, kind: &str, n: u32, page: &Value) -> Value {
    json!({
        "@context": lemmy::context(),
        "type": "Announce", "id": lemmy.url(&format!("/activities/announce/{n}")),
        "actor": group, "to": [PUBLIC], "cc": [format!("{group}/followers")],
        "object": {
            "type": kind, "id": lemmy.url(&format!("/activities/{}/{n}", kind.to_lowercase())),
            "actor": lena, "to": [PUBLIC], "cc": [group], "audience": group,
            "object": page
        }
    })
}

/// Issue 10, item 5: a Lemmy author renames a thread (an `Update` of the
/// `Page` with a new `name`, the body unchanged); the board listing shows
/// the new title.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renamed_lemmy_thread_shows_its_new_title() {
    let a = Instance::start("district-a").await;
    let lemmy = FakePeer::start("lemmy").await;
    let alice = a.user("alice").await;
    let (group, lena) = lemmy::community(&lemmy);
    lemmy::follow(&lemmy, &a, &alice, &group).await;
    let threads_path = format!(
        "/api/staffroom/v1/boards/{}/threads",
        urlencode(&format!("robots@{}", lemmy.domain))
    );
    let titles = || async {
        let threads = alice.get(&threads_path).await;
        threads
            .as_array()
            .unwrap_or_else(|| panic!("{threads}"))
            .iter()
            .map(|t| t["title"].as_str().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    };

    let first = page(&lemmy, &group, &lena, "Gear ratios", None);
    let mut served = first.clone();
    served["@context"] = lemmy::context();
    lemmy.serve("/post/1", served);
    lemmy::deliver(
        &lemmy,
        &a,
        &announced(&lemmy, &group, &lena, "Create", 1, &first),
        "robots",
    )
    .await;
    eventually("the thread in the board listing", DEADLINE, || async {
        (titles().await == ["Gear ratios"]).then_some(())
    })
    .await;

    let renamed = page(
        &lemmy,
        &group,
        &lena,
        "Gear ratios with LEGO Spike",
        Some("2026-11-23T09:05:35.976374+00:00"),
    );
    let mut served = renamed.clone();
    served["@context"] = lemmy::context();
    lemmy.serve("/post/1", served);
    lemmy::deliver(
        &lemmy,
        &a,
        &announced(&lemmy, &group, &lena, "Update", 2, &renamed),
        "robots",
    )
    .await;
    eventually("the new title in the board listing", DEADLINE, || async {
        (titles().await == ["Gear ratios with LEGO Spike"]).then_some(())
    })
    .await;
}

/// Issue 10, item 2: a board's moderation reaches Lemmy. Lena (on Lemmy)
/// belongs to a public board and to a members-only one; Maria locks,
/// unlocks and removes a thread in each and bans and unbans Carl. Every
/// `Announce` Lemmy gets passes the checks Lemmy applies
/// (`common::lemmy::refusal`, each rule with its file in Lemmy's source):
/// `Public` on both the Announce and the announced activity of the public
/// board, on neither for the members-only one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn board_moderation_is_addressed_as_lemmy_requires() {
    let a = Instance::start("district-a").await;
    let lemmy = FakePeer::start("lemmy").await;
    let maria = a.user("maria").await;
    a.user("carl").await;
    let lena = lemmy.add_actor("lena");
    for (name, kind) in [("robotics", "federated"), ("coaches", "private")] {
        boards::cli(
            &a,
            &[
                "create",
                name,
                "--title",
                name,
                "--kind",
                kind,
                "--moderator",
                "maria",
            ],
        );
        let follow = json!({"@context": lemmy::context(), "type": "Follow",
                            "id": lemmy.url(&format!("/activities/follow/{name}")),
                            "actor": lena, "object": format!("{}/users/{name}", a.url())});
        lemmy::deliver(&lemmy, &a, &follow, "lena").await;
    }
    let requests = eventually("Lena's join request", DEADLINE, || async {
        let list = maria
            .get("/api/staffroom/v1/boards/coaches/join_requests")
            .await;
        (list.as_array().is_some_and(|l| l.len() == 1)).then_some(list)
    })
    .await;
    let request = requests[0]["id"].as_str().unwrap();
    maria
        .post(
            &format!("/api/staffroom/v1/boards/coaches/join_requests/{request}/authorize"),
            json!({}),
        )
        .await;
    eventually("both boards accept Lena", DEADLINE, || async {
        let accepts = lemmy
            .received()
            .into_iter()
            .filter(|v| v["type"] == "Accept")
            .count();
        (accepts == 2).then_some(())
    })
    .await;

    for name in ["robotics", "coaches"] {
        let board = format!("/api/staffroom/v1/boards/{name}");
        let thread = maria
            .post(
                &format!("{board}/threads"),
                json!({"title": "Kits", "body": "Which kits?"}),
            )
            .await;
        let id = thread["status"]["id"].as_str().unwrap().to_string();
        maria
            .post(&format!("{board}/threads/{id}/lock"), json!({}))
            .await;
        maria
            .post(&format!("{board}/threads/{id}/unlock"), json!({}))
            .await;
        maria
            .post(
                &format!("{board}/bans"),
                json!({"account": "carl", "reason": "spam"}),
            )
            .await;
        maria.delete(&format!("{board}/bans/carl")).await;
        maria
            .post(
                &format!("{board}/posts/{id}/remove"),
                json!({"reason": "off topic"}),
            )
            .await;
    }

    // What each board announced of its moderation, by the inner activity.
    let kind = |v: &Value| match v["object"]["type"].as_str() {
        Some("Undo") => format!(
            "Undo {}",
            v["object"]["object"]["type"].as_str().unwrap_or("?")
        ),
        other => other.unwrap_or("?").to_string(),
    };
    let wanted = ["Lock", "Undo Lock", "Block", "Undo Block", "Delete"];
    for (name, public) in [("robotics", true), ("coaches", false)] {
        let group = format!("{}/users/{name}", a.url());
        let announced = eventually("the board's moderation at Lemmy", DEADLINE, || async {
            let got: Vec<Value> = lemmy
                .received()
                .into_iter()
                .filter(|v| v["type"] == "Announce" && v["actor"] == group.as_str())
                .filter(|v| wanted.contains(&kind(v).as_str()))
                .collect();
            let kinds: Vec<String> = got.iter().map(kind).collect();
            wanted
                .iter()
                .all(|w| kinds.iter().any(|k| k == w))
                .then_some(got)
        })
        .await;
        for activity in announced {
            if let Some(why) = lemmy::refusal(&activity, &group, public) {
                panic!(
                    "Lemmy refuses the {} of {name}: {why}\n{activity:#}",
                    kind(&activity)
                );
            }
        }
    }
}

/// Issue 10, item 3: the board relays what a member sent, unchanged
/// (FEP-1b12). Lena, on one Lemmy server, posts a thread in a board of
/// district A, renames it and deletes it; Otto, a member on a second Lemmy
/// server, gets each of her activities inside the board's `Announce` byte
/// for byte (they are sent pretty-printed here, so a re-serialized copy
/// would differ), and Lena's own server gets none of them back. Each
/// `Announce` passes Lemmy's checks.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_board_relays_a_members_activities_as_they_arrived() {
    let a = Instance::start("district-a").await;
    let home = FakePeer::start("lemmy-one").await;
    let other = FakePeer::start("lemmy-two").await;
    a.user("maria").await;
    let group = boards::robotics(&a);
    let lena = home.add_actor("lena");
    let otto = other.add_actor("otto");
    lemmy::join_board(&home, &a, &lena, "lena", &group).await;
    lemmy::join_board(&other, &a, &otto, "otto", &group).await;

    // Lena's thread, renamed, then deleted, as Lemmy sends them
    // (`create_or_update/create_page.json`, `update_page.json`,
    // `deletion/delete_page.json`).
    let page_id = home.url("/post/1");
    let thread = |name: &str| {
        json!({"type": "Page", "id": page_id, "attributedTo": lena,
               "to": [group, PUBLIC], "cc": [], "audience": group, "name": name,
               "content": "<p>Which sensors survive a year?</p>\n", "mediaType": "text/html",
               "source": {"content": "Which sensors survive a year?",
                          "mediaType": "text/markdown"},
               "sensitive": false, "published": "2026-11-23T09:00:00.557399+00:00"})
    };
    let mut served = thread("Sensor kits");
    served["@context"] = lemmy::context();
    home.serve("/post/1", served);
    let create = json!({"@context": lemmy::context(), "type": "Create",
                        "id": home.url("/activities/create/1"), "actor": lena,
                        "to": [group, PUBLIC], "cc": [], "audience": group,
                        "object": thread("Sensor kits")});
    let mut renamed = thread("Sensor kits that last");
    renamed["updated"] = json!("2026-11-23T09:05:35.976374+00:00");
    let update = json!({"@context": lemmy::context(), "type": "Update",
                        "id": home.url("/activities/update/1"), "actor": lena,
                        "to": [group, PUBLIC], "cc": [], "audience": group,
                        "object": renamed});
    let delete = json!({"@context": lemmy::context(), "type": "Delete",
                        "id": home.url("/activities/delete/1"), "actor": lena,
                        "to": [PUBLIC], "cc": [group], "audience": group, "object": page_id});
    for (n, activity) in [create, update, delete].into_iter().enumerate() {
        if n == 1 {
            let mut served = activity["object"].clone();
            served["@context"] = lemmy::context();
            home.serve("/post/1", served);
        }
        let sent = lemmy::deliver_pretty(&home, &a, &activity, "lena").await;
        let relayed = eventually(
            "the board's relay at the second Lemmy",
            DEADLINE,
            || async {
                other
                    .received_raw()
                    .into_iter()
                    .find(|raw| raw.contains(&sent))
            },
        )
        .await;
        let relayed: Value = serde_json::from_str(&relayed).unwrap();
        assert_eq!(relayed["type"], "Announce");
        assert_eq!(relayed["actor"], group.as_str());
        assert_eq!(relayed["object"], activity);
        if let Some(why) = lemmy::refusal(&relayed, &group, true) {
            panic!(
                "Lemmy refuses the relay of Lena's {}: {why}",
                activity["type"]
            );
        }
    }
    // Nothing of hers went back to her own server.
    let echoed: Vec<Value> = home
        .received()
        .into_iter()
        .filter(|v| v["type"] == "Announce" && v["object"]["actor"] == lena.as_str())
        .collect();
    assert!(echoed.is_empty(), "{echoed:#?}");
}

/// What a Lemmy community announces of its moderators and authors arrives:
/// a moderator's `Lock` and its `Undo` (`community/lock_page.json`,
/// `undo_lock_page.json`), and the author's `Delete`
/// (`deletion/delete_page.json`), each in the community's `Announce`
/// addressed as Lemmy addresses it (`AnnounceActivity::new`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lemmy_communitys_locks_and_deletions_arrive() {
    let a = Instance::start("district-a").await;
    let lemmy = FakePeer::start("lemmy").await;
    let alice = a.user("alice").await;
    let (group, lena) = lemmy::community(&lemmy);
    lemmy::follow(&lemmy, &a, &alice, &group).await;
    let threads_path = format!(
        "/api/staffroom/v1/boards/{}/threads",
        urlencode(&format!("robots@{}", lemmy.domain))
    );
    let first = page(&lemmy, &group, &lena, "Gear ratios", None);
    let mut served = first.clone();
    served["@context"] = lemmy::context();
    lemmy.serve("/post/1", served);
    lemmy::deliver(
        &lemmy,
        &a,
        &announced(&lemmy, &group, &lena, "Create", 1, &first),
        "robots",
    )
    .await;
    let locked = || async {
        let threads = alice.get(&threads_path).await;
        threads
            .as_array()
            .and_then(|t| t.first())
            .map(|t| t["locked"].clone())
    };
    eventually("the thread in the board listing", DEADLINE, || async {
        (locked().await == Some(json!(false))).then_some(())
    })
    .await;

    // Lena, a moderator, locks the thread, then unlocks it.
    let post = lemmy.url("/post/1");
    let lock = json!({"id": lemmy.url("/activities/lock/1"), "actor": lena,
                      "to": [group, PUBLIC], "object": post, "cc": [group], "type": "Lock",
                      "summary": "A reason for the lock", "audience": group});
    let relay = |n: u32, inner: Value| {
        json!({"@context": lemmy::context(), "type": "Announce",
               "id": lemmy.url(&format!("/activities/announce/mod/{n}")), "actor": group,
               "to": [group, PUBLIC], "cc": [format!("{group}/followers")], "object": inner})
    };
    lemmy::deliver(&lemmy, &a, &relay(1, lock.clone()), "robots").await;
    eventually("the thread locked", DEADLINE, || async {
        (locked().await == Some(json!(true))).then_some(())
    })
    .await;
    let undo = json!({"id": lemmy.url("/activities/undo/1"), "actor": lena,
                      "to": [group, PUBLIC], "object": lock, "cc": [group], "type": "Undo",
                      "audience": group});
    lemmy::deliver(&lemmy, &a, &relay(2, undo), "robots").await;
    eventually("the thread unlocked", DEADLINE, || async {
        (locked().await == Some(json!(false))).then_some(())
    })
    .await;

    // Lena deletes her post: it leaves the board.
    let delete = json!({"actor": lena, "to": [PUBLIC], "object": post, "cc": [group],
                        "audience": group, "type": "Delete",
                        "id": lemmy.url("/activities/delete/1")});
    lemmy::deliver(&lemmy, &a, &relay(3, delete), "robots").await;
    eventually("the thread gone", DEADLINE, || async {
        (locked().await.is_none()).then_some(())
    })
    .await;
    assert_eq!(a.count("statuses", &format!("ap_id = '{post}'")).await, 0);
}
