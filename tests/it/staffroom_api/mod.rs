//! Staffroom's own API for boards: creating them (by role or setting), the
//! directory with subject and grade filters, one board, the boards one is
//! in (also on other servers), threads with titles (shared by the board to
//! members on other servers) sorted newest, active and top; every answer
//! checked against the OpenAPI document the server serves.
//!
//! Here, what several files use (a board with a member on another server, an
//! object's ActivityPub document); `boards_and_threads` (creating, the
//! directory, threads and their sorting), `join_requests` (private boards
//! and the mod log), `thread_moderation` (locked and pinned threads),
//! `schemathesis` (fuzzing the served OpenAPI document).

mod boards_and_threads;
mod join_requests;
mod schemathesis;
mod thread_moderation;

use crate::common::{self, eventually, Instance, FEDERATION_DEADLINE as DEADLINE};
use serde_json::{json, Value};

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
