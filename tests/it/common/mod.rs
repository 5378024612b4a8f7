//! The test rig: Staffroom instances as child processes, each with its own
//! made-up host name (`<name>.test:<port>`, resolved to loopback in dev
//! mode), port and database (a SQLite file, or a PostgreSQL database of its
//! own when `STAFFROOM_TEST_POSTGRES` is set), plus an API client, polling
//! with deadlines, a fake remote server and OpenAPI validation.
#![allow(dead_code)]

pub mod boards;
pub mod client;
pub mod fake_peer;
pub mod instance;
pub mod lemmy;
pub mod lookup;
pub mod openapi;
pub mod python;

#[allow(unused_imports)]
pub use client::Client;
#[allow(unused_imports)]
pub use instance::Instance;

use std::{future::Future, time::Duration};

/// The value of `var`, which names a tool or database some tests need. Unset
/// or empty: the test is skipped with a message, unless `CI` is set, where a
/// missing tool means a broken install step and the test fails instead.
pub fn required(var: &str, what: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(value) if !value.is_empty() => Some(value),
        _ if ci() => panic!("{what} is needed: {var} is not set, and CI is set, so this test fails rather than skip (.ci/run sets {var})"),
        _ => {
            eprintln!("skipped: {var} ({what}) is not set; .ci/run sets it, and under CI this fails");
            None
        }
    }
}

/// Whether the tests run under CI (`CI` set to anything but empty/false/0).
pub fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.as_str(), "" | "0" | "false"))
}

/// How long federation may take in tests before we call it broken.
pub const FEDERATION_DEADLINE: Duration = Duration::from_secs(30);

/// Poll `check` until it returns `Some`, or fail after `timeout`.
pub async fn eventually<T, F, Fut>(what: &str, timeout: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(v) = check().await {
            return v;
        }
        if tokio::time::Instant::now() > deadline {
            panic!("timed out after {timeout:?} waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
