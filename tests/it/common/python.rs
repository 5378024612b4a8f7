//! Scripted Mastodon clients (Mastodon.py, toot) run as Python child processes.
//!
//! They need a Python with those packages from PyPI: `.ci/run` makes a virtual
//! environment and points `STAFFROOM_TEST_PYTHON` at its interpreter. Without
//! that variable these tests say so and pass without running, so that
//! `cargo test` works with nothing installed; under CI they fail instead.

use std::{path::Path, time::Duration};

/// The Python to run client scripts with, if configured (see [`super::required`]).
pub fn python() -> Option<String> {
    super::required(
        "STAFFROOM_TEST_PYTHON",
        "a Python with Mastodon.py, toot and schemathesis",
    )
}

/// Run `tests/clients/<script>` with `env`; panic with its output if it fails.
pub async fn run_script(python: &str, script: &str, env: &[(&str, String)]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients");
    let mut cmd = tokio::process::Command::new(python);
    cmd.arg(dir.join(script))
        .current_dir(&dir)
        .env("PYTHONUNBUFFERED", "1")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .kill_on_drop(true);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let run = tokio::time::timeout(Duration::from_secs(300), cmd.output()).await;
    let out = run
        .unwrap_or_else(|_| panic!("{script} took longer than 5 minutes"))
        .unwrap_or_else(|e| panic!("cannot run {python}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "{script} failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
}
