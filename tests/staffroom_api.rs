//! Staffroom's own API for boards: creating them (by role or setting), the
//! directory with subject and grade filters, one board, the boards one is
//! in (also on other servers), threads with titles (shared by the board to
//! members on other servers) sorted newest, active and top; every answer
//! checked against the OpenAPI document the server serves.

mod common;

use common::{
    eventually,
    fake_peer::{FakePeer, Signing},
    Instance, FEDERATION_DEADLINE as DEADLINE,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// Check `value` against schema `entity` of the OpenAPI document `doc`.
/// An object's ActivityPub document (fetched from the loopback address).
async fn ap_get(instance: &Instance, id: &str) -> Value {
    let url = id.replace(&instance.url(), &instance.base());
    reqwest::Client::new()
        .get(url)
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

use common::openapi::{conforms, staffroom_document as openapi};

/// Board `robotics` on A, moderated by Maria, with Bob (on B) a member and
/// a thread by Maria that reached Bob as the board's boost.
struct BoardScene {
    maria: common::Client,
    bob: common::Client,
    board_id_at_b: String,
    thread: Value,
    boosted_at_b: Value,
}

async fn board_with_remote_member(a: &Instance, b: &Instance, title: &str) -> BoardScene {
    let maria = a.user("maria").await;
    let bob = b.user("bob").await;
    let out = a.cli(&[
        "board",
        "create",
        "robotics",
        "--title",
        "Robotics",
        "--moderator",
        "maria",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let board = bob.resolve(&format!("robotics@{}", a.domain)).await;
    let board_id_at_b = board["id"].as_str().unwrap().to_string();
    bob.follow(&board_id_at_b).await;
    eventually("Bob's membership", DEADLINE, || async {
        (bob.relationship(&board_id_at_b).await["following"] == true).then_some(())
    })
    .await;
    let thread = maria
        .post(
            "/api/staffroom/v1/boards/robotics/threads",
            json!({"title": title, "body": "What this thread is about."}),
        )
        .await;
    let uri = thread["status"]["uri"].as_str().unwrap().to_string();
    let boosted_at_b = eventually("the thread at Bob's", DEADLINE, || async {
        bob.home()
            .await
            .into_iter()
            .find(|s| s["reblog"]["uri"] == uri.as_str())
    })
    .await;
    BoardScene {
        maria,
        bob,
        board_id_at_b,
        thread,
        boosted_at_b,
    }
}

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

/// Schemathesis (from PyPI, in `.ci/venv`) generates requests from the
/// served OpenAPI document; none may meet a server error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_no_server_errors() {
    let Some(python) = common::python::python() else {
        return;
    };
    let st = std::path::Path::new(&python).with_file_name("st");
    assert!(
        st.exists(),
        "schemathesis is not installed next to {python} (see .ci/requirements.txt)"
    );
    let a = Instance::start_with(
        "district-a",
        &[
            ("STAFFROOM_LIMITS_ACCOUNT_REQUESTS_PER_WINDOW", "1000000"),
            ("STAFFROOM_LIMITS_ANONYMOUS_REQUESTS_PER_WINDOW", "1000000"),
            ("STAFFROOM_LIMITS_ADDRESS_REQUESTS_PER_WINDOW", "1000000"),
        ],
    )
    .await;
    let ada = a.user_with_role("ada", "admin").await;
    ada.post(
        "/api/staffroom/v1/boards",
        json!({"name": "calculus", "title": "AP Calculus"}),
    )
    .await;
    let report = tempfile::tempdir().unwrap();
    let out = tokio::process::Command::new(&st)
        .args([
            "run",
            &format!("{}/api/staffroom/v1/openapi.json", a.base()),
            "--url",
            &a.base(),
            "--checks",
            "not_a_server_error",
            "--header",
            &format!("Authorization: Bearer {}", ada.token),
            "--max-examples",
            "40",
            "--seed",
            "1",
            "--workers",
            "1",
            "--no-color",
            "--report-dir",
        ])
        .arg(report.path())
        .env("SCHEMATHESIS_HOOKS", "")
        // Its example cache stays out of the source tree.
        .current_dir(report.path())
        .kill_on_drop(true)
        .output()
        .await
        .expect("run schemathesis");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "schemathesis found problems:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moderators_answer_join_requests_of_a_private_board_and_the_mod_log_records_it() {
    let a = Instance::start("district-a").await;
    let c = Instance::start("district-c").await;
    let ada = a.user_with_role("ada", "admin").await;
    let maria = a.user("maria").await;
    let amir = a.user("amir").await;
    let carol = c.user("carol").await;
    let dave = c.user("dave").await;
    let doc = openapi();
    let out = a.cli(&[
        "board",
        "create",
        "coaches",
        "--title",
        "Instructional coaches",
        "--kind",
        "private",
        "--moderator",
        "maria",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Carol, then Dave (district C) ask to join.
    let mut ids = vec![];
    for who in [&carol, &dave] {
        let board = who.resolve(&format!("coaches@{}", a.domain)).await;
        let id = board["id"].as_str().unwrap().to_string();
        assert_eq!(who.follow(&id).await["requested"], true);
        ids.push(id);
    }
    let requests = eventually("both requests at A", DEADLINE, || async {
        let list = maria
            .get("/api/staffroom/v1/boards/coaches/join_requests")
            .await;
        (list.as_array().unwrap().len() == 2).then_some(list)
    })
    .await;
    for r in requests.as_array().unwrap() {
        conforms(&doc, "Account", r);
    }
    // The two Follows travel concurrently, so either may arrive first.
    let id_of = |name: &str| {
        let acct = format!("{name}@{}", c.domain);
        requests
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["acct"] == acct.as_str())
            .unwrap_or_else(|| panic!("no request from {acct}: {requests}"))["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (dave_here, carol_here) = (id_of("dave"), id_of("carol"));

    // Only the board's moderators and the admins may answer or look.
    for path in [
        "/api/staffroom/v1/boards/coaches/join_requests".to_string(),
        "/api/staffroom/v1/boards/coaches/modlog".to_string(),
    ] {
        let res = amir.request(Method::GET, &path, None).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
        conforms(&doc, "Error", &res.json().await.unwrap());
    }
    let res = amir
        .request(
            Method::POST,
            &format!("/api/staffroom/v1/boards/coaches/join_requests/{carol_here}/authorize"),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // Maria lets Carol in; Ada (an admin) turns Dave away.
    maria
        .post(
            &format!("/api/staffroom/v1/boards/coaches/join_requests/{carol_here}/authorize"),
            json!({"reason": "Coach at Lincoln Elementary"}),
        )
        .await;
    ada.post(
        &format!("/api/staffroom/v1/boards/coaches/join_requests/{dave_here}/reject"),
        json!({}),
    )
    .await;
    eventually("Carol is a member, on her own server", DEADLINE, || async {
        (carol.relationship(&ids[0]).await["following"] == true).then_some(())
    })
    .await;
    eventually(
        "Dave's request turned down, on his server",
        DEADLINE,
        || async {
            let rel = dave.relationship(&ids[1]).await;
            (rel["requested"] == false && rel["following"] == false).then_some(())
        },
    )
    .await;
    assert_eq!(
        maria
            .get("/api/staffroom/v1/boards/coaches/join_requests")
            .await,
        json!([])
    );
    let res = maria
        .request(
            Method::POST,
            &format!("/api/staffroom/v1/boards/coaches/join_requests/{dave_here}/authorize"),
            None,
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::NOT_FOUND,
        "no request left to answer"
    );

    // The mod log, newest first, for moderators and admins.
    let log = maria.get("/api/staffroom/v1/boards/coaches/modlog").await;
    for entry in log.as_array().unwrap() {
        conforms(&doc, "ModLogEntry", entry);
    }
    assert_eq!(log.as_array().unwrap().len(), 2);
    assert_eq!(log[0]["action"], "reject_member");
    assert_eq!(log[0]["moderator"]["username"], "ada");
    assert_eq!(
        log[0]["target_account"]["acct"],
        format!("dave@{}", c.domain)
    );
    assert_eq!(log[1]["action"], "approve_member");
    assert_eq!(log[1]["moderator"]["username"], "maria");
    assert_eq!(log[1]["reason"], "Coach at Lincoln Elementary");
    let older = ada
        .get(&format!(
            "/api/staffroom/v1/boards/coaches/modlog?max_id={}",
            log[0]["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(older.as_array().unwrap().len(), 1);
    assert_eq!(older[0]["action"], "approve_member");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_thread_takes_no_replies_from_here_or_elsewhere() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let amir = a.user("amir").await;
    let doc = openapi();
    let scene = board_with_remote_member(&a, &b, "Competition rules 2027").await;
    let (maria, bob) = (&scene.maria, &scene.bob);
    let id = scene.thread["id"].as_str().unwrap().to_string();
    let id_at_b = scene.boosted_at_b["reblog"]["id"]
        .as_str()
        .unwrap()
        .to_string();

    // Only moderators lock; then replies are refused here...
    let res = amir
        .request(
            Method::POST,
            &format!("/api/staffroom/v1/boards/robotics/threads/{id}/lock"),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    maria
        .post(
            &format!("/api/staffroom/v1/boards/robotics/threads/{id}/lock"),
            json!({"reason": "Heated"}),
        )
        .await;
    let listed = maria.get("/api/staffroom/v1/boards/robotics/threads").await;
    conforms(&doc, "Thread", &listed[0]);
    assert_eq!(listed[0]["locked"], true);
    let res = amir
        .request(
            Method::POST,
            "/api/v1/statuses",
            Some(json!({"status": "One more thing", "in_reply_to_id": id})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: Value = res.json().await.unwrap();
    assert!(error["error"].as_str().unwrap().contains("locked"));

    // ...and in district B, which the board told of the lock...
    let board_at_b = format!("robotics@{}", a.domain);
    eventually("the lock known at B", DEADLINE, || async {
        let listed = bob
            .get(&format!(
                "/api/staffroom/v1/boards/{}/threads",
                common::client::urlencode(&board_at_b)
            ))
            .await;
        (listed[0]["locked"] == true).then_some(())
    })
    .await;
    let res = bob
        .request(
            Method::POST,
            "/api/v1/statuses",
            Some(json!({"status": "A reply after the lock", "in_reply_to_id": id_at_b})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // ...and a server that ignores the lock is refused by A's inbox.
    let rogue = FakePeer::start("rogue").await;
    rogue.add_actor("mallory");
    let thread_uri = scene.thread["status"]["uri"].as_str().unwrap();
    let reply = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "type": "Create", "id": rogue.url("/activities/1"), "actor": rogue.actor("mallory"),
        "to": [PUBLIC],
        "object": {"type": "Note", "id": rogue.url("/notes/1"), "attributedTo": rogue.actor("mallory"),
                   "to": [PUBLIC], "inReplyTo": thread_uri, "content": "A reply after the lock",
                   "published": "2026-11-22T10:00:00Z"}
    });
    let refused = rogue
        .send(
            &format!("{}/inbox", a.base()),
            &a.domain,
            &reply,
            "mallory",
            &Signing::default(),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        a.count("statuses", "content LIKE '%after the lock%'").await,
        0
    );
    let context = maria.get(&format!("/api/v1/statuses/{id}/context")).await;
    assert_eq!(context["descendants"], json!([]));

    // Unlocked, replies come again; the mod log has both actions.
    maria
        .post(
            &format!("/api/staffroom/v1/boards/robotics/threads/{id}/unlock"),
            json!({}),
        )
        .await;
    amir.reply(&id, "Thanks for reopening", "public").await;
    let log = maria.get("/api/staffroom/v1/boards/robotics/modlog").await;
    for e in log.as_array().unwrap() {
        conforms(&doc, "ModLogEntry", e);
    }
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["unlock_thread", "lock_thread"]);
    assert_eq!(log[1]["target_status_id"], id.as_str());
    assert_eq!(log[1]["reason"], "Heated");
    assert_eq!(
        maria
            .status_of(
                Method::POST,
                "/api/staffroom/v1/boards/robotics/threads/999/lock"
            )
            .await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pinned_threads_are_the_boards_featured_posts_everywhere() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let doc = openapi();
    let scene = board_with_remote_member(&a, &b, "Start here: board guide").await;
    let (maria, bob, board_id) = (&scene.maria, &scene.bob, &scene.board_id_at_b);
    let id = scene.thread["id"].as_str().unwrap().to_string();
    let uri = scene.thread["status"]["uri"].as_str().unwrap().to_string();

    // The board lives on district A (Bob's server has none to moderate); Maria pins.
    let res = bob
        .request(
            Method::POST,
            &format!("/api/staffroom/v1/boards/robotics/threads/{id}/pin"),
            None,
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::NOT_FOUND,
        "no such board on Bob's server"
    );
    maria
        .post(
            &format!("/api/staffroom/v1/boards/robotics/threads/{id}/pin"),
            json!({}),
        )
        .await;
    let listed = maria.get("/api/staffroom/v1/boards/robotics/threads").await;
    conforms(&doc, "Thread", &listed[0]);
    assert_eq!(listed[0]["pinned"], true);
    // The board's featured collection, and Bob's server, show it.
    let featured = ap_get(
        &a,
        &format!("{}/users/robotics/collections/featured", a.url()),
    )
    .await;
    assert_eq!(featured["orderedItems"][0]["id"], uri.as_str());
    let pinned_at_b = |expected: usize| {
        let bob = &bob;
        let board_id = board_id.clone();
        async move {
            let list = bob
                .get(&format!("/api/v1/accounts/{board_id}/statuses?pinned=true"))
                .await;
            (list.as_array().unwrap().len() == expected).then_some(list)
        }
    };
    let list = eventually("the pin at Bob's server", DEADLINE, || pinned_at_b(1)).await;
    assert_eq!(list[0]["uri"], uri.as_str());

    // Unpinned: gone here and there; both actions in the mod log.
    maria
        .post(
            &format!("/api/staffroom/v1/boards/robotics/threads/{id}/unpin"),
            json!({}),
        )
        .await;
    eventually("the unpin at Bob's server", DEADLINE, || pinned_at_b(0)).await;
    let log = maria.get("/api/staffroom/v1/boards/robotics/modlog").await;
    for e in log.as_array().unwrap() {
        conforms(&doc, "ModLogEntry", e);
    }
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["unpin_thread", "pin_thread"]);
    // Only the board's own threads can be pinned.
    let other = maria.post_status("Not a thread", "public").await;
    assert_eq!(
        maria
            .status_of(
                Method::POST,
                &format!(
                    "/api/staffroom/v1/boards/robotics/threads/{}/pin",
                    other["id"].as_str().unwrap()
                )
            )
            .await,
        StatusCode::NOT_FOUND
    );
}
