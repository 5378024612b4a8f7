//! `staffroom bench`: seed a fresh database of a chosen size, start this
//! binary's server on it as a child process, measure it with real HTTP
//! clients on loopback (timelines, inbox, fan-out, memory) and print one
//! Markdown table beside issue 11's targets.
//!
//! Files: `seed.rs` (people, follows, lists, boards, tokens), `posts.rs`
//! (statuses and what hangs off them), `sql.rs` (bulk inserts),
//! `server.rs` (the child process), `peers.rs` (fake remote servers),
//! `load.rs` (timelines), `inbox.rs`, `fanout.rs`, `report.rs`.

mod fanout;
mod ids;
mod inbox;
mod load;
mod peers;
mod posts;
mod report;
mod seed;
mod server;
mod sql;

use crate::db::{Backend, Db};
use diesel::{connection::SimpleConnection, Connection, PgConnection};
use std::{
    path::PathBuf,
    time::{Duration, Instant},
};

/// Options of `staffroom bench`.
#[derive(Debug, Clone, clap::Args)]
pub struct BenchArgs {
    /// How many statuses to seed: a number, or with k or m (10k, 100k, 1m, 10m).
    #[arg(long, default_value = "100k", value_parser = parse_size)]
    pub statuses: u64,
    /// A PostgreSQL server to run on (postgres://user@host:port/db); a fresh
    /// database `--pg-database` is made there, an old one of that name
    /// dropped first. Default: SQLite in a temporary directory.
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
    /// The database the bench makes on the PostgreSQL server.
    #[arg(long, default_value = "staffroom_bench", value_parser = parse_db_name)]
    pub pg_database: String,
    /// Keep the PostgreSQL database after the run (default: dropped).
    #[arg(long)]
    pub keep_database: bool,
    /// Seconds of concurrent load per timeline.
    #[arg(long, default_value_t = 10.0)]
    pub seconds: f64,
    /// Concurrent clients.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub clients: u16,
    /// A short run for CI: few requests, 1 s of load, 100 fan-out servers.
    #[arg(long)]
    pub quick: bool,
}

/// `10k` -> 10000, `1m` -> 1000000.
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim().to_ascii_lowercase().replace('_', "");
    let (digits, factor) = match t.chars().last() {
        Some('k') => (&t[..t.len() - 1], 1_000),
        Some('m') => (&t[..t.len() - 1], 1_000_000),
        _ => (t.as_str(), 1),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{s}` is not a size (e.g. 10000, 10k, 1m)"))?;
    match n.checked_mul(factor) {
        Some(v) if (1..=100_000_000).contains(&v) => Ok(v),
        _ => Err(format!("`{s}`: from 1 to 100m statuses")),
    }
}

fn parse_db_name(s: &str) -> Result<String, String> {
    let ok = !s.is_empty()
        && s.len() <= 63
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !s.starts_with(|c: char| c.is_ascii_digit());
    if ok {
        Ok(s.to_string())
    } else {
        Err(format!(
            "`{s}`: a database name of lowercase letters, digits and _"
        ))
    }
}

/// A working directory removed at the end.
struct WorkDir(PathBuf);

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A database the bench made on a PostgreSQL server, dropped at the end
/// (also on an error) unless kept.
struct PgDatabase {
    server: String,
    name: String,
    keep: bool,
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if self.keep {
            return;
        }
        if let Ok(mut conn) = PgConnection::establish(&self.server) {
            let _ = conn.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// The URL of database `db` on the server `server` points at.
fn database_url_for(server: &str, db: &str) -> String {
    let (base, query) = match server.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (server, String::new()),
    };
    match base.rsplit_once('/') {
        Some((head, _)) if head.contains("//") && head.len() > "postgres://".len() => {
            format!("{head}/{db}{query}")
        }
        _ => format!("{base}/{db}{query}"),
    }
}

/// Drop and create database `name` on `server`; its URL.
fn fresh_postgres(server: &str, name: &str) -> Result<String, String> {
    if Backend::of_url(server) != Some(Backend::Postgres) {
        return Err(format!(
            "--database: `{server}` is not a postgres:// URL (SQLite is the default)"
        ));
    }
    let mut conn = PgConnection::establish(server)
        .map_err(|e| format!("--database: cannot connect to {server}: {e}"))?;
    conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .and_then(|_| conn.batch_execute(&format!("CREATE DATABASE {name}")))
        .map_err(|e| format!("--database: cannot make a fresh database {name}: {e}"))?;
    Ok(database_url_for(server, name))
}

fn client(domain_host: &str, port: u16) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        // Only loopback: no proxy from the environment, our names pinned.
        .no_proxy()
        .resolve(domain_host, ([127, 0, 0, 1], port).into())
        .pool_max_idle_per_host(64)
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| format!("HTTP client: {e}"))
}

pub async fn run(args: BenchArgs) -> Result<(), String> {
    let started = Instant::now();
    let load_before = report::load_average();
    let quick = args.quick;
    let clients = args.clients as usize;
    let amounts = load::Amounts {
        warmup: if quick { 3 } else { 20 },
        sequential: if quick { 20 } else { 200 },
        clients,
        seconds: if quick {
            args.seconds.clamp(0.1, 1.0)
        } else {
            args.seconds.clamp(0.1, 600.0)
        },
    };
    let fanout_followers = if quick { 100 } else { 1_000 };
    let inbox_total = if quick { 200 } else { 4_000 };
    let dir = WorkDir(std::env::temp_dir().join(format!("staffroom-bench-{}", std::process::id())));
    std::fs::create_dir_all(&dir.0).map_err(|e| format!("{}: {e}", dir.0.display()))?;
    let port = server::free_port()?;
    let domain = format!("staffroom.bench:{port}");
    let peers = peers::Peers::start(4)?;
    let mut _pg_guard = None;
    let url = match &args.database {
        None => format!("sqlite://{}", dir.0.join("staffroom.db").display()),
        Some(server) => {
            let url = fresh_postgres(server, &args.pg_database)?;
            _pg_guard = Some(PgDatabase {
                server: server.clone(),
                name: args.pg_database.clone(),
                keep: args.keep_database,
            });
            url
        }
    };
    let backend = Backend::of_url(&url).unwrap_or(Backend::Sqlite);
    let plan = seed::Plan {
        statuses: args.statuses,
        domain: domain.clone(),
        peer_port: peers.port,
        inbox_actors: peers
            .actors
            .iter()
            .map(|a| seed::RemoteActor {
                host: a.host.clone(),
                name: a.name.clone(),
                public_key_pem: a.public_key_pem.clone(),
            })
            .collect(),
        fanout_port: peers.port,
        fanout_followers,
        readers: clients.max(1),
    };
    eprintln!(
        "bench: seeding {} statuses ({}) ...",
        args.statuses,
        report::backend_name(backend)
    );
    let seed_started = Instant::now();
    let seed_url = url.clone();
    let seeded = tokio::task::spawn_blocking(move || seed::seed(&seed_url, &plan))
        .await
        .map_err(|e| format!("seeding stopped: {e}"))??;
    let seed_seconds = seed_started.elapsed().as_secs_f64();
    eprintln!(
        "bench: seeded {} rows in {seed_seconds:.1} s; starting the server",
        seeded.rows
    );
    let big = "1000000000".to_string();
    let env: Vec<(String, String)> = vec![
        ("STAFFROOM_DOMAIN".into(), domain.clone()),
        ("STAFFROOM_BIND".into(), format!("127.0.0.1:{port}")),
        ("STAFFROOM_DATA_DIR".into(), dir.0.display().to_string()),
        ("STAFFROOM_DATABASE_URL".into(), url.clone()),
        ("STAFFROOM_DEV_MODE".into(), "true".into()),
        ("STAFFROOM_DEV_HOSTS".into(), "*.bench=127.0.0.1".into()),
        (
            "STAFFROOM_INSTANCE_CONTACT_EMAIL".into(),
            "admin@bench.invalid".into(),
        ),
        (
            "STAFFROOM_LIMITS_ACCOUNT_REQUESTS_PER_WINDOW".into(),
            big.clone(),
        ),
        (
            "STAFFROOM_LIMITS_ANONYMOUS_REQUESTS_PER_WINDOW".into(),
            big.clone(),
        ),
        (
            "STAFFROOM_LIMITS_ADDRESS_REQUESTS_PER_WINDOW".into(),
            big.clone(),
        ),
        (
            "STAFFROOM_LIMITS_AUTH_REQUESTS_PER_WINDOW".into(),
            big.clone(),
        ),
        ("STAFFROOM_LIMITS_INBOX_REQUESTS_PER_WINDOW".into(), big),
        ("RUST_LOG".into(), "warn".into()),
    ];
    let http = client("staffroom.bench", port)?;
    let spawned = Instant::now();
    let mut srv = server::Server::spawn(&env, port, &dir.0.join("server.log"))?;
    let cold = srv
        .wait_ready(&http, spawned, Duration::from_secs(120))
        .await?;
    let tokens: Vec<String> = seeded.readers.iter().map(|r| r.token.clone()).collect();
    let endpoints = endpoints(&seeded);
    // Every endpoint once (counting what a page holds), then the idle memory.
    let mut pages = vec![];
    for e in &endpoints {
        let n = load::items(&http, &srv.base, e, &tokens[0]).await;
        pages.push(format!("{} {n}", e.name));
    }
    let idle = srv.usage()?;
    let mut timelines = vec![];
    for e in &endpoints {
        eprintln!("bench: {} ...", e.name);
        timelines.push(load::measure(&http, &srv.base, e, &tokens, amounts).await);
        srv.check_running()?;
    }
    eprintln!("bench: inbox ({inbox_total} Creates) ...");
    let db = Db::connect(&url, 2)?;
    let inbox = inbox::measure(
        &http,
        &domain,
        &peers.actors,
        &seeded.senders,
        &db,
        inbox_total,
        clients,
    )
    .await?;
    let peak = srv.usage()?;
    eprintln!("bench: fan-out to {fanout_followers} servers ...");
    let fanout = fanout::measure(
        &http,
        &mut srv,
        &peers,
        &seeded.author.token,
        fanout_followers,
    )
    .await?;
    srv.stop();
    peers.stop().await;
    let ctx = report::Context {
        command: std::env::args().collect::<Vec<_>>().join(" "),
        statuses: seeded.statuses,
        rows: seeded.rows,
        seed_seconds,
        backend,
        quick,
        clients,
        pages: pages.join(", "),
        load_before,
    };
    let results = report::Results {
        cold_start_ms: cold.as_secs_f64() * 1000.0,
        rss_idle_mb: idle.rss_mb,
        rss_peak_mb: peak.peak_mb,
        timelines,
        inbox,
        fanout,
    };
    print!("{}", report::render(&ctx, &results));
    eprintln!("bench: done in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// The timelines measured, for the seeded data.
fn endpoints(s: &seed::Seeded) -> Vec<load::Endpoint> {
    let e = |name, path: String, first_reader_only| load::Endpoint {
        name,
        path,
        first_reader_only,
    };
    vec![
        e("home", "/api/v1/timelines/home?limit=40".into(), false),
        e("public", "/api/v1/timelines/public?limit=40".into(), false),
        e(
            "tag",
            format!("/api/v1/timelines/tag/{}?limit=40", s.tag),
            false,
        ),
        e(
            "list",
            format!("/api/v1/timelines/list/{}?limit=40", s.list_id),
            true,
        ),
        e(
            "account",
            format!("/api/v1/accounts/{}/statuses?limit=40", s.busy_account_id),
            false,
        ),
        e(
            "board threads",
            format!("/api/staffroom/v1/boards/{}/threads?limit=40", s.board),
            false,
        ),
        e(
            "notifications",
            "/api/v1/notifications?limit=40".into(),
            false,
        ),
        e("search", "/api/v2/search?q=teacher&limit=40".into(), false),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("10k"), Ok(10_000));
        assert_eq!(parse_size("1M"), Ok(1_000_000));
        assert_eq!(parse_size("250"), Ok(250));
        assert!(parse_size("0").is_err());
        assert!(parse_size("ten").is_err());
        assert!(parse_size("999999999999999999m").is_err());
    }

    #[test]
    fn database_urls() {
        assert_eq!(
            database_url_for("postgres://u@h:5432/postgres", "b"),
            "postgres://u@h:5432/b"
        );
        assert_eq!(
            database_url_for("postgres://u@h:5432", "b"),
            "postgres://u@h:5432/b"
        );
        assert!(parse_db_name("staffroom_bench").is_ok());
        assert!(parse_db_name("x; DROP").is_err());
    }
}
