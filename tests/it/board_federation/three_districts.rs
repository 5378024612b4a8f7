//! One board on A, members on B and C: the same thread tree everywhere,
//! edits, deletes, and moderation (also by a moderator on B) on all three.

use super::{local_id, threads, tree};
use crate::common::{
    self, boards, client::urlencode, eventually, Instance, FEDERATION_DEADLINE as DEADLINE,
};
use serde_json::{json, Value};
use std::collections::BTreeSet;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_districts_share_one_board() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let c = Instance::start("district-c").await;
    let maria = a.user("maria").await;
    let bob = b.user("bob").await;
    let carol = c.user("carol").await;
    boards::cli(
        &a,
        &[
            "create",
            "robotics",
            "--title",
            "Elementary Robotics",
            "--moderator",
            "maria",
        ],
    );
    let handle = format!("robotics@{}", a.domain);
    for member in [&bob, &carol] {
        boards::join(member, &handle).await;
    }

    // Bob (district B) starts a titled thread in the board on A.
    let started = bob
        .post(
            &format!("/api/staffroom/v1/boards/{}/threads", urlencode(&handle)),
            json!({"title": "Slipping gear trains", "body": "Our **gears** slip under load."}),
        )
        .await;
    let uri = started["status"]["uri"].as_str().unwrap().to_string();
    assert!(uri.contains(&b.domain));
    for (who, board) in [
        (&maria, "robotics"),
        (&carol, handle.as_str()),
        (&bob, handle.as_str()),
    ] {
        eventually("the titled thread listed", DEADLINE, || async {
            threads(who, board)
                .await
                .iter()
                .any(|t| t["status"]["uri"] == uri.as_str() && t["title"] == "Slipping gear trains")
                .then_some(())
        })
        .await;
    }

    // Carol (district C) and Maria (A) reply; every server has both.
    let carol_parent = local_id(&carol, &uri).await;
    let carols = carol
        .reply(&carol_parent, "Try a wider gear.", "public")
        .await;
    let maria_parent = local_id(&maria, &uri).await;
    let marias = maria
        .reply(&maria_parent, "Check the axle spacing.", "public")
        .await;
    let bobs = bob
        .reply(
            &local_id(&bob, &uri).await,
            "Thanks, trying both.",
            "public",
        )
        .await;
    let expected: BTreeSet<String> = [&carols, &marias, &bobs]
        .iter()
        .map(|s| s["uri"].as_str().unwrap().to_string())
        .collect();
    for who in [&maria, &bob, &carol] {
        eventually("the same thread tree", DEADLINE, || async {
            (tree(who, &uri).await.as_ref() == Some(&expected)).then_some(())
        })
        .await;
    }

    // Bob edits his thread's Markdown body: every server has the new text.
    bob.put(
        &format!(
            "/api/v1/statuses/{}",
            started["status"]["id"].as_str().unwrap()
        ),
        json!({"status": "Our **gears** slip under a *heavy* load."}),
    )
    .await;
    for who in [&maria, &carol, &bob] {
        eventually("the edited thread everywhere", DEADLINE, || async {
            let id = local_id(who, &uri).await;
            let s = who.get(&format!("/api/v1/statuses/{id}")).await;
            s["content"]
                .as_str()
                .unwrap_or_default()
                .contains("<em>heavy</em>")
                .then_some(())
        })
        .await;
    }

    // Maria's reply names its thread as `context` (FEP-7888).
    let marias_uri = marias["uri"].as_str().unwrap().to_string();
    let note: Value = reqwest::Client::new()
        .get(marias_uri.replace(&a.url(), &a.base()))
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(note["context"], uri.as_str());
    assert_eq!(note["audience"], format!("{}/users/robotics", a.url()));

    // Maria edits her reply: the board's members' servers get the edit.
    maria
        .put(
            &format!("/api/v1/statuses/{}", marias["id"].as_str().unwrap()),
            json!({"status": "Check the axle spacing first."}),
        )
        .await;
    for who in [&bob, &carol] {
        eventually("the edit everywhere", DEADLINE, || async {
            let id = local_id(who, &marias_uri).await;
            let s = who.get(&format!("/api/v1/statuses/{id}")).await;
            s["content"]
                .as_str()
                .unwrap_or_default()
                .contains("spacing first")
                .then_some(())
        })
        .await;
    }

    // Carol answers Maria and then edits her answer: district B, which
    // hears of both only from the board, has the edit.
    let maria_reply_at_c = local_id(&carol, &marias_uri).await;
    let nested = carol
        .reply(&maria_reply_at_c, "Spacing fixed it, thanks.", "public")
        .await;
    let nested_uri = nested["uri"].as_str().unwrap().to_string();
    eventually("the answer at B", DEADLINE, || async {
        tree(&bob, &uri)
            .await
            .filter(|t| t.contains(&nested_uri))
            .map(drop)
    })
    .await;
    carol
        .put(
            &format!("/api/v1/statuses/{}", nested["id"].as_str().unwrap()),
            json!({"status": "Spacing fixed it, thanks! Videos soon."}),
        )
        .await;
    eventually("the edited answer at B", DEADLINE, || async {
        let id = local_id(&bob, &nested_uri).await;
        let s = bob.get(&format!("/api/v1/statuses/{id}")).await;
        s["content"]
            .as_str()
            .unwrap_or_default()
            .contains("Videos soon")
            .then_some(())
    })
    .await;

    // Carol starts a thread with a picture from C, then deletes it: it
    // comes and goes on every server.
    let picture = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/clients/fixtures/circuit.png"
    ))
    .unwrap();
    let media: Value = carol
        .http
        .post(format!("{}/api/v2/media", carol.base))
        .bearer_auth(&carol.token)
        .multipart(reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(picture).file_name("circuit.png"),
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let pictured = carol
        .post(
            &format!("/api/staffroom/v1/boards/{}/threads", urlencode(&handle)),
            json!({"title": "Our line-following circuit", "body": "Schematic attached.",
                   "media_ids": [media["id"]]}),
        )
        .await;
    let pictured_uri = pictured["status"]["uri"].as_str().unwrap().to_string();
    for (who, board) in [(&maria, "robotics"), (&bob, handle.as_str())] {
        eventually("the pictured thread", DEADLINE, || async {
            threads(who, board)
                .await
                .into_iter()
                .find(|t| t["status"]["uri"] == pictured_uri.as_str())
                .filter(|t| t["status"]["media_attachments"].as_array().map(Vec::len) == Some(1))
                .map(drop)
        })
        .await;
    }
    carol
        .delete(&format!(
            "/api/v1/statuses/{}",
            pictured["status"]["id"].as_str().unwrap()
        ))
        .await;
    for (who, board) in [(&maria, "robotics"), (&bob, handle.as_str())] {
        eventually("the pictured thread gone", DEADLINE, || async {
            (!threads(who, board)
                .await
                .iter()
                .any(|t| t["status"]["uri"] == pictured_uri.as_str()))
            .then_some(())
        })
        .await;
    }

    // Bob, on B, is appointed a moderator on A.
    let appointed = boards::cli(
        &a,
        &["add-moderator", "robotics", &format!("bob@{}", b.domain)],
    );
    assert!(appointed.contains("bob@"), "{appointed}");
    let listed = boards::cli(&a, &["list"]);
    assert!(
        listed.contains(&format!("maria,bob@{}", b.domain)),
        "{listed}"
    );

    // From his own server, Bob pins and locks the thread: all three
    // servers show it pinned and locked.
    let on_b = local_id(&bob, &uri).await;
    // One at a time: two requests from B may reach A in either order.
    for (action, field) in [("pin", "pinned"), ("lock", "locked")] {
        bob.post(
            &format!(
                "/api/staffroom/v1/boards/{}/threads/{on_b}/{action}",
                urlencode(&handle)
            ),
            json!({"reason": "Great discussion"}),
        )
        .await;
        for (who, board) in [
            (&maria, "robotics"),
            (&bob, handle.as_str()),
            (&carol, handle.as_str()),
        ] {
            eventually(action, DEADLINE, || async {
                threads(who, board)
                    .await
                    .iter()
                    .any(|t| t["status"]["uri"] == uri.as_str() && t[field] == true)
                    .then_some(())
            })
            .await;
        }
    }
    // Locked means locked on every server: Carol's server refuses her reply.
    let refused = carol
        .request(
            reqwest::Method::POST,
            "/api/v1/statuses",
            Some(json!({"status": "One more idea", "in_reply_to_id": carol_parent})),
        )
        .await;
    assert_eq!(refused.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);

    // Maria removes Carol's reply: it is gone from every server.
    let carols_uri = carols["uri"].as_str().unwrap().to_string();
    let on_a = local_id(&maria, &carols_uri).await;
    maria
        .post(
            &format!("/api/staffroom/v1/boards/robotics/posts/{on_a}/remove"),
            json!({"reason": "Off topic"}),
        )
        .await;
    let remaining: BTreeSet<String> = [&marias, &bobs]
        .iter()
        .map(|s| s["uri"].as_str().unwrap().to_string())
        .chain([nested_uri.clone()])
        .collect();
    for who in [&maria, &bob, &carol] {
        eventually("the reply removed everywhere", DEADLINE, || async {
            (tree(who, &uri).await.as_ref() == Some(&remaining)).then_some(())
        })
        .await;
    }
    assert_eq!(
        carol
            .status_of(
                reqwest::Method::GET,
                &format!("/api/v1/statuses/{}", carols["id"].as_str().unwrap())
            )
            .await,
        reqwest::StatusCode::NOT_FOUND
    );

    // Eve, on B, is no moderator: the removal she asks of A is refused,
    // and Maria's reply stays everywhere.
    let eve = b.user("eve").await;
    let on_b = local_id(&eve, &marias_uri).await;
    eve.post(
        &format!(
            "/api/staffroom/v1/boards/{}/posts/{on_b}/remove",
            urlencode(&handle)
        ),
        json!({"reason": "forged"}),
    )
    .await;
    eventually("B's request answered", DEADLINE, || async {
        (b.count("deliveries", "").await == 0).then_some(())
    })
    .await;
    for who in [&maria, &bob, &carol] {
        assert_eq!(tree(who, &uri).await.as_ref(), Some(&remaining));
    }
    assert!(
        a.log().contains("only this board's moderators"),
        "A refused the removal"
    );

    // Bob unpins, then unlocks: all three servers follow.
    let on_b = local_id(&bob, &uri).await;
    for (action, field) in [("unpin", "pinned"), ("unlock", "locked")] {
        bob.post(
            &format!(
                "/api/staffroom/v1/boards/{}/threads/{on_b}/{action}",
                urlencode(&handle)
            ),
            json!({}),
        )
        .await;
        for (who, board) in [
            (&maria, "robotics"),
            (&bob, handle.as_str()),
            (&carol, handle.as_str()),
        ] {
            eventually(action, DEADLINE, || async {
                threads(who, board)
                    .await
                    .iter()
                    .any(|t| t["status"]["uri"] == uri.as_str() && t[field] == false)
                    .then_some(())
            })
            .await;
        }
    }
    carol
        .reply(&carol_parent, "Reopened: one more idea", "public")
        .await;

    // Bob bans Carol from the board (asking A from B): her membership ends,
    // and her own server refuses her posts to the board.
    let carol_acct = format!("carol@{}", c.domain);
    bob.post(
        &format!("/api/staffroom/v1/boards/{}/bans", urlencode(&handle)),
        json!({"account": carol_acct, "reason": "Spam links"}),
    )
    .await;
    let board_at_c = carol.resolve(&handle).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    eventually("Carol's membership ended", DEADLINE, || async {
        (carol.relationship(&board_at_c).await["following"] == false).then_some(())
    })
    .await;
    let banned = carol
        .request(
            reqwest::Method::POST,
            "/api/v1/statuses",
            Some(json!({"status": "Buy my kits", "in_reply_to_id": carol_parent, "visibility": "public"})),
        )
        .await;
    assert_eq!(banned.status(), reqwest::StatusCode::FORBIDDEN);
    let rejoin = carol
        .request(
            reqwest::Method::POST,
            &format!("/api/v1/accounts/{board_at_c}/follow"),
            None,
        )
        .await;
    assert_eq!(rejoin.status(), reqwest::StatusCode::FORBIDDEN);
    // The board's bans, for its moderators.
    let bans = maria.get("/api/staffroom/v1/boards/robotics/bans").await;
    common::openapi::validate_staffroom("Ban", &bans[0]);
    assert_eq!(bans[0]["account"]["acct"], carol_acct.as_str());
    assert_eq!(bans[0]["reason"], "Spam links");
    // Maria lifts the ban on A: Carol's server hears of it.
    maria
        .delete(&format!(
            "/api/staffroom/v1/boards/robotics/bans/{}",
            urlencode(&carol_acct)
        ))
        .await;
    eventually("the ban lifted at C", DEADLINE, || async {
        let res = carol
            .request(
                reqwest::Method::POST,
                &format!("/api/v1/accounts/{board_at_c}/follow"),
                None,
            )
            .await;
        res.status().is_success().then_some(())
    })
    .await;

    // The mod log on A: what Bob (from B) and Maria did, with reasons.
    let log = maria.get("/api/staffroom/v1/boards/robotics/modlog").await;
    let entries: Vec<(String, String, String)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["moderator"]["acct"].as_str().unwrap().to_string(),
                e["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let bob_acct = format!("bob@{}", b.domain);
    assert_eq!(
        entries,
        vec![
            ("unban_member".into(), "maria".into(), String::new()),
            ("ban_member".into(), bob_acct.clone(), "Spam links".into()),
            ("unlock_thread".into(), bob_acct.clone(), String::new()),
            ("unpin_thread".into(), bob_acct.clone(), String::new()),
            ("remove_post".into(), "maria".into(), "Off topic".into()),
            (
                "lock_thread".into(),
                bob_acct.clone(),
                "Great discussion".into()
            ),
            ("pin_thread".into(), bob_acct, "Great discussion".into()),
        ]
    );
}
