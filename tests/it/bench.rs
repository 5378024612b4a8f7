//! `staffroom bench` end to end, tiny: 10k statuses, `--quick`, on the
//! backend the suite runs on. Checks that the table is complete (every
//! figure present with a number, no errors), never how fast anything was.

use crate::common::instance::postgres;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_staffroom");

/// The figures every run reports (timelines have six rows each).
const TIMELINES: [&str; 8] = [
    "home",
    "public",
    "tag",
    "list",
    "account",
    "board threads",
    "notifications",
    "search",
];

#[test]
fn bench_prints_a_complete_table() {
    let mut cmd = Command::new(BIN);
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("STAFFROOM_")) {
        cmd.env_remove(k);
    }
    cmd.args(["bench", "--statuses", "10k", "--quick"]);
    let pg_database = format!("staffroom_bench_t{}", std::process::id());
    if let Some(server) = postgres() {
        cmd.args(["--database", &server, "--pg-database", &pg_database]);
    }
    let out = cmd.output().expect("run staffroom bench");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "bench failed:\n{stderr}\n{stdout}");
    let rows: Vec<(String, String)> = stdout
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| figure"))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            (
                cells[0].to_string(),
                cells.get(1).unwrap_or(&"").to_string(),
            )
        })
        .collect();
    let mut expected: Vec<String> = vec![
        "cold start (ms)".into(),
        "RSS idle (MB)".into(),
        "RSS peak under load (MB)".into(),
        "inbox accepted/s".into(),
        "inbox stored/s".into(),
        "inbox errors".into(),
        "fan-out to 100 servers (s)".into(),
        "fan-out server CPU (s)".into(),
        "fan-out errors".into(),
    ];
    for t in TIMELINES {
        for figure in [
            "p50 (ms)",
            "p95 (ms)",
            "p99 (ms)",
            "req/s, 16 clients",
            "p99, 16 clients (ms)",
            "errors",
        ] {
            expected.push(format!("{t} {figure}"));
        }
    }
    for name in &expected {
        let value = rows
            .iter()
            .find(|(figure, _)| figure == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("no row `{name}` in:\n{stdout}"));
        let number: f64 = value
            .parse()
            .unwrap_or_else(|_| panic!("row `{name}` has no number ({value:?}):\n{stdout}"));
        assert!(number.is_finite() && number >= 0.0, "{name}: {number}");
        if name.ends_with("errors") {
            assert_eq!(number, 0.0, "{name} is not zero:\n{stdout}");
        }
    }
    assert_eq!(rows.len(), expected.len(), "unexpected rows:\n{stdout}");
    // Each timeline measured something: its first page is not empty.
    let pages = stdout
        .lines()
        .find_map(|l| l.strip_prefix("- items per page (first reader): "))
        .unwrap_or_else(|| panic!("no items line:\n{stdout}"));
    for t in TIMELINES {
        let n: usize = pages
            .split(", ")
            .find_map(|p| p.strip_prefix(&format!("{t} ")))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no page size for {t} in `{pages}`"));
        assert!(n > 0, "{t} answered an empty page: {pages}");
    }
    for field in [
        "- size: 10000 statuses",
        "- backend: ",
        "- machine: ",
        "- commit: ",
    ] {
        assert!(stdout.contains(field), "no `{field}` in:\n{stdout}");
    }
}
