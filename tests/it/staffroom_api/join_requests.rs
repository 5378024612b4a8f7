//! A private board's join requests, answered by its moderators, and the
//! mod log that records the answers.

use crate::common::{
    eventually,
    openapi::{conforms, staffroom_document as openapi},
    Instance, FEDERATION_DEADLINE as DEADLINE,
};
use reqwest::{Method, StatusCode};
use serde_json::json;

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
