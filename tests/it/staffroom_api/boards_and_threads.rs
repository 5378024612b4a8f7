//! Creating boards (by role), the directory and its filters, joining from
//! another server, threads with titles as they go over the wire, and
//! their sorting and paging.

use super::ap_get;
use crate::common::{eventually, openapi::conforms, Instance, FEDERATION_DEADLINE as DEADLINE};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn titles(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap_or("-").to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boards_and_threads_through_staffrooms_own_api() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let ada = a.user_with_role("ada", "admin").await;
    let maria = a.user("maria").await;
    let bob = b.user("bob").await;
    let http = reqwest::Client::new();
    let doc: Value = http
        .get(format!("{}/api/staffroom/v1/openapi.json", a.base()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");

    // Teachers may not create boards here; admins may.
    let res = maria
        .request(
            Method::POST,
            "/api/staffroom/v1/boards",
            Some(json!({"name": "mine", "title": "Mine"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    conforms(&doc, "Error", &res.json().await.unwrap());
    let calc = ada
        .post(
            "/api/staffroom/v1/boards",
            json!({"name": "calculus", "title": "AP Calculus", "description": "Limits, *derivatives*, integrals.",
                   "subjects": ["mathematics"], "grade_bands": ["9-12"], "rules": ["Cite your sources"]}),
        )
        .await;
    conforms(&doc, "Board", &calc);
    assert_eq!(calc["kind"], "federated");
    assert_eq!(calc["moderators"][0]["username"], "ada");
    assert!(calc["description"]
        .as_str()
        .unwrap()
        .contains("<em>derivatives</em>"));
    assert_eq!(calc["acct"], format!("calculus@{}", a.domain));
    ada.post(
        "/api/staffroom/v1/boards",
        json!({"name": "k2_design", "title": "K-2 Engineering Design", "subjects": ["engineering"], "grade_bands": ["K-2"]}),
    )
    .await;
    ada.post(
        "/api/staffroom/v1/boards",
        json!({"name": "staff", "title": "Staff", "kind": "district"}),
    )
    .await;
    for bad in [
        json!({"name": "calculus", "title": "Again"}),
        json!({"name": "no title"}),
        json!({"name": "x", "title": "y", "kind": "secret"}),
    ] {
        let res = ada
            .request(Method::POST, "/api/staffroom/v1/boards", Some(bad.clone()))
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        conforms(&doc, "Error", &res.json().await.unwrap());
    }

    // The directory, filtered; district-only boards for signed-in teachers only.
    let all = maria.get("/api/staffroom/v1/boards").await;
    for board in all.as_array().unwrap() {
        conforms(&doc, "Board", board);
    }
    assert_eq!(titles(&all).len(), 3);
    let anonymous: Value = http
        .get(format!("{}/api/staffroom/v1/boards", a.base()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(anonymous.as_array().unwrap().len(), 2);
    let maths = maria
        .get("/api/staffroom/v1/boards?subject=Mathematics&grade_band=9-12")
        .await;
    assert_eq!(maths.as_array().unwrap().len(), 1);
    assert_eq!(maths[0]["name"], "calculus");
    assert_eq!(
        maria.get("/api/staffroom/v1/boards?grade_band=3-5").await,
        json!([])
    );
    let res = http
        .get(format!("{}/api/staffroom/v1/boards/staff", a.base()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // Bob (district B) joins; his boards list shows it, with group: true.
    let board_at_b = bob.resolve(&format!("calculus@{}", a.domain)).await;
    let board_id = board_at_b["id"].as_str().unwrap().to_string();
    bob.follow(&board_id).await;
    eventually("Bob's membership", DEADLINE, || async {
        (bob.relationship(&board_id).await["following"] == true).then_some(())
    })
    .await;
    let mine = bob.get("/api/staffroom/v1/boards/followed").await;
    conforms(&doc, "Account", &mine[0]);
    assert_eq!(mine[0]["acct"], format!("calculus@{}", a.domain));
    let calc = maria.get("/api/staffroom/v1/boards/calculus").await;
    assert_eq!(calc["members_count"], 1);

    // Threads with titles; Bob gets them from the board.
    let first = maria
        .post(
            "/api/staffroom/v1/boards/calculus/threads",
            json!({"title": "Related rates warm-ups", "body": "What **warm-ups** work for related rates?"}),
        )
        .await;
    conforms(&doc, "Thread", &first);
    assert_eq!(first["title"], "Related rates warm-ups");
    assert!(first["status"]["content"]
        .as_str()
        .unwrap()
        .contains("<strong>warm-ups</strong>"));
    let second = ada
        .post(
            "/api/staffroom/v1/boards/calculus/threads",
            json!({"title": "Error analysis", "body": "Students grade a flawed solution."}),
        )
        .await;
    let first_uri = first["status"]["uri"].as_str().unwrap().to_string();
    let seen = eventually(
        "the thread at Bob's, boosted by the board",
        DEADLINE,
        || async {
            bob.home()
                .await
                .into_iter()
                .find(|s| s["reblog"]["uri"] == first_uri.as_str())
        },
    )
    .await;
    assert_eq!(seen["account"]["acct"], format!("calculus@{}", a.domain));

    // On the wire, as Lemmy expects: the thread is a `Page` (one type string)
    // with its title as `name` and the board as `audience`; replies carry
    // the `audience` too.
    let board_actor = format!("{}/users/calculus", a.url());
    let page = ap_get(&a, &first_uri).await;
    assert_eq!(page["type"], "Page");
    assert_eq!(page["name"], "Related rates warm-ups");
    assert_eq!(page["audience"], board_actor.as_str());
    assert!(page["cc"].as_array().unwrap().contains(&json!(board_actor)));
    assert_eq!(page["source"]["mediaType"], "text/markdown");
    // Members' servers get the thread relayed the FEP-1b12 way too (an
    // `Announce` of the author's `Create`, the `Page` inside), as Lemmy and
    // Mbin read it, beside the boost Mastodon shows.
    let relayed = a
        .count(
            "outbox_activities",
            &format!(
                "payload LIKE '%\"type\":\"Announce\"%' AND payload LIKE '%\"type\":\"Create\"%' \
                 AND payload LIKE '%\"type\":\"Page\"%' AND payload LIKE '%{first_uri}%'"
            ),
        )
        .await;
    assert_eq!(relayed, 1);

    // Sorting: newest; active after a reply to the older one; top by replies and favourites.
    let newest = maria.get("/api/staffroom/v1/boards/calculus/threads").await;
    assert_eq!(
        titles(&newest),
        ["Error analysis", "Related rates warm-ups"]
    );
    for t in newest.as_array().unwrap() {
        conforms(&doc, "Thread", t);
    }
    let reply = ada
        .reply(
            first["id"].as_str().unwrap(),
            "Ladder problems, every time.",
            "public",
        )
        .await;
    let note = ap_get(&a, reply["uri"].as_str().unwrap()).await;
    assert_eq!(note["type"], "Note");
    assert_eq!(note["audience"], board_actor.as_str());
    assert!(note.get("name").is_none());
    let active = maria
        .get("/api/staffroom/v1/boards/calculus/threads?sort=active")
        .await;
    assert_eq!(
        titles(&active),
        ["Related rates warm-ups", "Error analysis"]
    );
    maria
        .post(
            &format!(
                "/api/v1/statuses/{}/favourite",
                second["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await;
    bob.post(
        &format!(
            "/api/v1/statuses/{}/favourite",
            seen["reblog"]["id"].as_str().unwrap()
        ),
        json!({}),
    )
    .await;
    eventually("Bob's favourite counted at A", DEADLINE, || async {
        let top = maria
            .get("/api/staffroom/v1/boards/calculus/threads?sort=top&days=7")
            .await;
        // Related rates: a reply and a favourite; Error analysis: a favourite.
        (titles(&top) == ["Related rates warm-ups", "Error analysis"]
            && top[0]["status"]["favourites_count"] == 1)
            .then_some(())
    })
    .await;
    let paged = maria
        .get("/api/staffroom/v1/boards/calculus/threads?limit=1&offset=1")
        .await;
    assert_eq!(titles(&paged), ["Related rates warm-ups"]);
    let res = maria
        .request(
            Method::GET,
            "/api/staffroom/v1/boards/calculus/threads?sort=hot",
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Bad threads: no title, unknown board.
    for (path, body, expected) in [
        (
            "/api/staffroom/v1/boards/calculus/threads",
            json!({"body": "no title"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/staffroom/v1/boards/nowhere/threads",
            json!({"title": "t", "body": "b"}),
            StatusCode::NOT_FOUND,
        ),
    ] {
        let res = maria.request(Method::POST, path, Some(body)).await;
        assert_eq!(res.status(), expected, "{path}");
        conforms(&doc, "Error", &res.json().await.unwrap());
    }
    // The refused threads left no post behind.
    assert_eq!(a.count("statuses", "content LIKE '%<p>b</p>%'").await, 0);
}
