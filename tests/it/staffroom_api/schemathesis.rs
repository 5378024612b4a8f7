//! Fuzzing Staffroom's own API from the OpenAPI document it serves.

use crate::common::{self, Instance};
use serde_json::json;

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
