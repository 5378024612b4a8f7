//! Boards in tests: creating one with the CLI, joining one from a client.

use super::{client::urlencode, eventually, Client, Instance, FEDERATION_DEADLINE};
use serde_json::Value;

/// `staffroom board <args>` on `instance`; its output, or a panic with it.
pub fn cli(instance: &Instance, args: &[&str]) -> String {
    let mut all = vec!["board"];
    all.extend_from_slice(args);
    let out = instance.cli(&all);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// The board `robotics` of `instance`, moderated by its teacher `maria`
/// (who must exist); returns the board's actor id.
pub fn robotics(instance: &Instance) -> String {
    cli(
        instance,
        &[
            "create",
            "robotics",
            "--title",
            "Robotics",
            "--moderator",
            "maria",
        ],
    );
    format!("{}/users/robotics", instance.url())
}

/// `member` joins the board `handle` (`name@server`, a board that accepts
/// at once) and waits for its `Accept`; returns the board's id on the
/// member's server.
pub async fn join(member: &Client, handle: &str) -> String {
    let board = member.resolve(handle).await;
    let id = board["id"].as_str().expect("the board's id").to_string();
    member.follow(&id).await;
    eventually("the board's Accept", FEDERATION_DEADLINE, || async {
        (member.relationship(&id).await["following"] == true).then_some(())
    })
    .await;
    id
}

/// The posts (by `uri`) `who` finds when asking its server to look `uri` up.
pub async fn lookup(who: &Client, uri: &str) -> Vec<Value> {
    let found = who
        .get(&format!(
            "/api/v2/search?resolve=true&type=statuses&q={}",
            urlencode(uri)
        ))
        .await;
    found["statuses"].as_array().cloned().unwrap_or_default()
}

/// The reblog by the board `board_acct` of `uri` in `who`'s home timeline.
pub async fn relayed(who: &Client, board_acct: &str, uri: &str) -> Option<Value> {
    who.home()
        .await
        .into_iter()
        .find(|s| s["account"]["acct"] == board_acct && s["reblog"]["uri"] == uri)
}
