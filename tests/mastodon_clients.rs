//! Real Mastodon client libraries against live Staffroom servers.
//! Run when `STAFFROOM_TEST_PYTHON` names a Python with Mastodon.py and toot (see `.ci/run`).

mod common;

use common::{instance::PASSWORD, python, Instance};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mastodon_py_follows_posts_replies_edits_and_deletes_across_districts() {
    let Some(python) = python::python() else {
        eprintln!("skipped: STAFFROOM_TEST_PYTHON is not set (.ci/run sets it)");
        return;
    };
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let alice_email = a.create_user("alice", "user");
    b.create_user("bob", "user");
    python::run_script(
        &python,
        "mastodon_py_spine.py",
        &[
            ("STAFFROOM_CLIENT_A_BASE", a.url()),
            ("STAFFROOM_CLIENT_B_BASE", b.url()),
            ("STAFFROOM_CLIENT_B_DOMAIN", b.domain.clone()),
            ("STAFFROOM_CLIENT_PASSWORD", PASSWORD.to_string()),
            ("STAFFROOM_CLIENT_A_EMAIL", alice_email),
            ("STAFFROOM_CLIENT_B_USERNAME", "bob".to_string()),
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mastodon_py_everyday_api_across_districts() {
    let Some(python) = python::python() else {
        eprintln!("skipped: STAFFROOM_TEST_PYTHON is not set (.ci/run sets it)");
        return;
    };
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let alice_email = a.create_user("alice", "user");
    b.create_user("bob", "user");
    python::run_script(
        &python,
        "mastodon_py_everyday.py",
        &[
            ("STAFFROOM_CLIENT_A_BASE", a.url()),
            ("STAFFROOM_CLIENT_B_BASE", b.url()),
            ("STAFFROOM_CLIENT_A_DOMAIN", a.domain.clone()),
            ("STAFFROOM_CLIENT_B_DOMAIN", b.domain.clone()),
            ("STAFFROOM_CLIENT_PASSWORD", PASSWORD.to_string()),
            ("STAFFROOM_CLIENT_A_EMAIL", alice_email),
            ("STAFFROOM_CLIENT_B_USERNAME", "bob".to_string()),
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn toot_logs_in_posts_uploads_follows_and_reads_notifications() {
    let Some(python) = python::python() else {
        eprintln!("skipped: STAFFROOM_TEST_PYTHON is not set (.ci/run sets it)");
        return;
    };
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let alice_email = a.create_user("alice", "user");
    b.create_user("bob", "user");
    python::run_script(
        &python,
        "toot_session.py",
        &[
            ("STAFFROOM_CLIENT_A_BASE", a.url()),
            ("STAFFROOM_CLIENT_B_BASE", b.url()),
            ("STAFFROOM_CLIENT_A_DOMAIN", a.domain.clone()),
            ("STAFFROOM_CLIENT_B_DOMAIN", b.domain.clone()),
            ("STAFFROOM_CLIENT_PASSWORD", PASSWORD.to_string()),
            ("STAFFROOM_CLIENT_A_EMAIL", alice_email),
            ("STAFFROOM_CLIENT_B_USERNAME", "bob".to_string()),
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mastodon_py_follows_a_remote_board_and_posts_into_it() {
    let Some(python) = python::python() else {
        eprintln!("skipped: STAFFROOM_TEST_PYTHON is not set (.ci/run sets it)");
        return;
    };
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let maria_email = a.create_user("maria", "user");
    b.create_user("bob", "user");
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
    python::run_script(
        &python,
        "mastodon_py_boards.py",
        &[
            ("STAFFROOM_CLIENT_A_BASE", a.url()),
            ("STAFFROOM_CLIENT_B_BASE", b.url()),
            ("STAFFROOM_CLIENT_A_DOMAIN", a.domain.clone()),
            ("STAFFROOM_CLIENT_PASSWORD", PASSWORD.to_string()),
            ("STAFFROOM_CLIENT_A_EMAIL", maria_email),
            ("STAFFROOM_CLIENT_B_USERNAME", "bob".to_string()),
            ("STAFFROOM_CLIENT_BOARD", "robotics".to_string()),
        ],
    )
    .await;
}
