//! The bench's one table (Markdown): each figure, its value and the
//! target issue 11 sets for it, under a few lines naming the run.

use super::{fanout::FanoutFigures, inbox::InboxFigures, load::Figures};
use crate::db::Backend;

/// What the run was.
pub struct Context {
    pub command: String,
    pub statuses: u64,
    pub rows: u64,
    pub seed_seconds: f64,
    pub backend: Backend,
    pub quick: bool,
    pub clients: usize,
    /// The 1-minute load average when the bench started (others' work
    /// on the machine skews the figures).
    pub load_before: String,
    /// Items on one page of each endpoint, as the first reader sees it.
    pub pages: String,
}

/// Everything measured.
pub struct Results {
    pub cold_start_ms: f64,
    pub rss_idle_mb: f64,
    pub rss_peak_mb: f64,
    pub timelines: Vec<Figures>,
    pub inbox: InboxFigures,
    pub fanout: FanoutFigures,
}

struct Row {
    figure: String,
    value: String,
    target: String,
}

fn row(figure: impl Into<String>, value: f64, decimals: usize, target: &str) -> Row {
    Row {
        figure: figure.into(),
        value: format!("{value:.decimals$}"),
        target: target.into(),
    }
}

/// The targets of issue 11 for a timeline's figures, by name.
fn targets(name: &str, clients: usize) -> (&'static str, &'static str, &'static str) {
    match (name, clients) {
        ("home", 16) => ("≤ 25", "≥ 300", ""),
        ("home", _) => ("≤ 25", "", ""),
        ("public" | "tag", _) => ("≤ 40", "", ""),
        _ => ("", "", ""),
    }
}

/// The report, ready to print.
pub fn render(ctx: &Context, r: &Results) -> String {
    let sqlite = ctx.backend == Backend::Sqlite;
    let mut rows = vec![
        row("cold start (ms)", r.cold_start_ms, 0, ""),
        row("RSS idle (MB)", r.rss_idle_mb, 1, "≤ 30"),
        row("RSS peak under load (MB)", r.rss_peak_mb, 1, "≤ 120"),
    ];
    for t in &r.timelines {
        let (p99, rps, p99c) = targets(t.name, ctx.clients);
        let n = t.name;
        let c = ctx.clients;
        rows.push(row(format!("{n} p50 (ms)"), t.p50, 1, ""));
        rows.push(row(format!("{n} p95 (ms)"), t.p95, 1, ""));
        rows.push(row(format!("{n} p99 (ms)"), t.p99, 1, p99));
        // Below 10 req/s a decimal tells 1 from 1.4.
        let decimals = if t.rps < 10.0 { 1 } else { 0 };
        rows.push(row(format!("{n} req/s, {c} clients"), t.rps, decimals, rps));
        rows.push(row(
            format!("{n} p99, {c} clients (ms)"),
            t.p99_concurrent,
            1,
            p99c,
        ));
        rows.push(row(format!("{n} errors"), t.errors as f64, 0, "0"));
    }
    let (inbox_target, fanout_target) = if sqlite {
        ("≥ 700", "≤ 1")
    } else {
        ("≥ 400", "≤ 2")
    };
    rows.push(row(
        "inbox accepted/s",
        r.inbox.accepted_per_s,
        0,
        inbox_target,
    ));
    rows.push(row("inbox stored/s", r.inbox.stored_per_s, 0, ""));
    rows.push(row("inbox errors", r.inbox.errors as f64, 0, "0"));
    let f = &r.fanout;
    rows.push(row(
        format!("fan-out to {} servers (s)", f.followers),
        f.seconds,
        3,
        if f.followers == 1000 {
            fanout_target
        } else {
            ""
        },
    ));
    rows.push(row(
        "fan-out server CPU (s)",
        f.cpu_seconds,
        2,
        if f.followers == 1000 { "≤ 0.65" } else { "" },
    ));
    rows.push(row(
        "fan-out errors",
        f.followers.saturating_sub(f.delivered) as f64,
        0,
        "0",
    ));
    let mut out = String::new();
    out.push_str("## staffroom bench\n\n");
    out.push_str(&format!("- command: `{}`\n", ctx.command));
    out.push_str(&format!(
        "- size: {} statuses ({} rows seeded in {:.1} s){}\n",
        ctx.statuses,
        ctx.rows,
        ctx.seed_seconds,
        if ctx.quick { ", quick run" } else { "" }
    ));
    out.push_str(&format!("- backend: {}\n", backend_name(ctx.backend)));
    out.push_str(&format!(
        "- machine: {}, load average {} before the run\n",
        machine(),
        ctx.load_before
    ));
    out.push_str(&format!("- commit: {}\n", commit()));
    out.push_str(&format!("- items per page (first reader): {}\n", ctx.pages));
    let seq: Vec<String> = r
        .timelines
        .iter()
        .map(|t| format!("{} {}", t.name, t.sequential))
        .collect();
    out.push_str(&format!(
        "- sequential requests behind p50/p95/p99: {}\n\n",
        seq.join(", ")
    ));
    out.push_str("| figure | value | target |\n|---|---:|---|\n");
    for r in rows {
        out.push_str(&format!("| {} | {} | {} |\n", r.figure, r.value, r.target));
    }
    let mut notes = vec![];
    for t in &r.timelines {
        if let Some(e) = &t.first_error {
            notes.push(format!(
                "- {} failed {} of {} requests; first: {e}",
                t.name, t.errors, t.requests
            ));
        }
    }
    if let Some(e) = &r.inbox.first_error {
        notes.push(format!(
            "- inbox failed {} of {}; first: {e}",
            r.inbox.errors, r.inbox.sent
        ));
    }
    if !notes.is_empty() {
        out.push_str("\nErrors:\n");
        out.push_str(&notes.join("\n"));
        out.push('\n');
    }
    out
}

pub fn backend_name(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    }
}

/// Cores and CPU model.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        })
        .map(|kb| format!(", {:.0} GB RAM", kb / 1024.0 / 1024.0))
        .unwrap_or_default();
    format!("{cores} cores, {model}{memory}")
}

/// The git commit of the checkout this binary was built in (found from
/// its path, e.g. `target/release/`), else of the working directory.
fn commit() -> String {
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.to_path_buf()));
    let describe = |dir: Option<&std::path::Path>| {
        let mut cmd = std::process::Command::new("git");
        if let Some(d) = dir {
            cmd.arg("-C").arg(d);
        }
        cmd.args(["describe", "--always", "--dirty", "--abbrev=12"])
            .stderr(std::process::Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    describe(exe_dir.as_deref())
        .or_else(|| describe(None))
        .unwrap_or_else(|| "unknown (not built or run in a git checkout)".into())
}

/// The 1-minute load average now.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "unknown".into())
}
