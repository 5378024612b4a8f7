//! Real Mastodon client libraries against live Staffroom servers.
//! Run when `STAFFROOM_TEST_PYTHON` names a Python with Mastodon.py and toot (see `.ci/run`).

use crate::common::{instance::PASSWORD, python, Instance};

/// Start districts A (with teacher `a_user`) and B (with `bob`), let `setup`
/// prepare A, and run `tests/clients/<script>` against them; skipped (with a
/// message) when no client Python is configured.
async fn across_two_districts(
    script: &str,
    a_user: &str,
    setup: impl FnOnce(&Instance),
    extra: &[(&str, String)],
) {
    let Some(python) = python::python() else {
        return;
    };
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let a_email = a.create_user(a_user, "user");
    b.create_user("bob", "user");
    setup(&a);
    let mut env = vec![
        ("STAFFROOM_CLIENT_A_BASE", a.url()),
        ("STAFFROOM_CLIENT_B_BASE", b.url()),
        ("STAFFROOM_CLIENT_A_DOMAIN", a.domain.clone()),
        ("STAFFROOM_CLIENT_B_DOMAIN", b.domain.clone()),
        ("STAFFROOM_CLIENT_PASSWORD", PASSWORD.to_string()),
        ("STAFFROOM_CLIENT_A_EMAIL", a_email),
        ("STAFFROOM_CLIENT_B_USERNAME", "bob".to_string()),
    ];
    env.extend(extra.iter().cloned());
    python::run_script(&python, script, &env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mastodon_py_follows_posts_replies_edits_and_deletes_across_districts() {
    across_two_districts("mastodon_py_spine.py", "alice", |_| {}, &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mastodon_py_everyday_api_across_districts() {
    across_two_districts("mastodon_py_everyday.py", "alice", |_| {}, &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn toot_logs_in_posts_uploads_follows_and_reads_notifications() {
    across_two_districts("toot_session.py", "alice", |_| {}, &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mastodon_py_follows_a_remote_board_and_posts_into_it() {
    let make_board = |a: &Instance| {
        let out = a.cli(&[
            "board",
            "create",
            "robotics",
            "--title",
            "Elementary Robotics",
            "--moderator",
            "maria",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let board = [("STAFFROOM_CLIENT_BOARD", "robotics".to_string())];
    across_two_districts("mastodon_py_boards.py", "maria", make_board, &board).await;
}
