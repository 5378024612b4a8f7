//! Moderators edit a board (title, text, rules, icon); members' servers
//! get the new board.

use crate::common::{
    self, boards, client::urlencode, eventually, Instance, FEDERATION_DEADLINE as DEADLINE,
};
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moderators_edit_a_board_and_members_servers_see_it() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let maria = a.user("maria").await;
    let amir = a.user("amir").await;
    let bob = b.user("bob").await;
    boards::cli(
        &a,
        &[
            "create",
            "calculus",
            "--title",
            "AP Calculus",
            "--moderator",
            "maria",
        ],
    );
    let handle = format!("calculus@{}", a.domain);
    boards::join(&bob, &handle).await;

    // Only moderators (and admins) edit.
    let res = amir
        .request(
            reqwest::Method::PATCH,
            "/api/staffroom/v1/boards/calculus",
            Some(json!({"title": "Mine now"})),
        )
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::FORBIDDEN);

    // Maria edits the text and uploads an icon.
    let icon = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/clients/fixtures/circuit.png"
    ))
    .unwrap();
    let form = reqwest::multipart::Form::new()
        .text("title", "AP Calculus AB & BC")
        .text("description", "Limits, **derivatives**, integrals.")
        .text("rules[]", "Cite your sources")
        .text("subjects[]", "mathematics")
        .part(
            "icon",
            reqwest::multipart::Part::bytes(icon).file_name("circuit.png"),
        );
    let edited: Value = maria
        .http
        .patch(format!("{}/api/staffroom/v1/boards/calculus", maria.base))
        .bearer_auth(&maria.token)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    common::openapi::validate_staffroom("Board", &edited);
    assert_eq!(edited["title"], "AP Calculus AB & BC");
    assert_eq!(edited["rules"], json!(["Cite your sources"]));
    assert_eq!(edited["subjects"], json!(["mathematics"]));
    assert!(edited["description"]
        .as_str()
        .unwrap()
        .contains("<strong>derivatives</strong>"));
    assert!(edited["icon"].as_str().unwrap().starts_with("http"));
    let log = maria.get("/api/staffroom/v1/boards/calculus/modlog").await;
    assert_eq!(log[0]["action"], "edit_board");

    // District B hears of it (an Update of the Group).
    eventually("the new title at B", DEADLINE, || async {
        let b = bob
            .get(&format!("/api/staffroom/v1/boards/{}", urlencode(&handle)))
            .await;
        (b["title"] == "AP Calculus AB & BC" && b["icon"].is_string()).then_some(())
    })
    .await;
}
