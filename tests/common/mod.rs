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
pub mod openapi;
pub mod python;

#[allow(unused_imports)]
pub use client::Client;
#[allow(unused_imports)]
pub use instance::Instance;

use std::{future::Future, time::Duration};

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
