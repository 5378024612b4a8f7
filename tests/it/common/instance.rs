//! One Staffroom server as a child process.

use super::{client::Client, eventually};
use diesel::{connection::SimpleConnection, Connection, PgConnection};
use std::{
    fs::OpenOptions,
    path::PathBuf,
    process::{Child, Command, Output, Stdio},
    sync::atomic::{AtomicUsize, Ordering},
    time::Duration,
};

const BIN: &str = env!("CARGO_BIN_EXE_staffroom");
pub const PASSWORD: &str = "correct horse battery staple";

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The PostgreSQL server the instances run on, if they do: when
/// `STAFFROOM_TEST_BACKEND` is `postgres`, or is unset while
/// `STAFFROOM_TEST_POSTGRES` names a server.
pub fn postgres() -> Option<String> {
    let server = std::env::var("STAFFROOM_TEST_POSTGRES")
        .ok()
        .filter(|s| !s.is_empty());
    match std::env::var("STAFFROOM_TEST_BACKEND").as_deref() {
        Ok("postgres") => Some(postgres_server()?),
        Ok("sqlite") => None,
        Ok("") | Err(_) => server,
        Ok(other) => panic!("STAFFROOM_TEST_BACKEND is sqlite or postgres, not {other:?}"),
    }
}

/// The PostgreSQL server named by `STAFFROOM_TEST_POSTGRES`, whichever
/// backend the instances use; for tests that need PostgreSQL itself (see
/// [`super::required`]: under CI its absence fails the test).
pub fn postgres_server() -> Option<String> {
    super::required("STAFFROOM_TEST_POSTGRES", "a PostgreSQL server")
}

/// The URL of database `db` on the PostgreSQL server reached by `server`.
pub fn database_url_for(server: &str, db: &str) -> String {
    match server.rsplit_once('/') {
        Some((base, _)) if base.contains("//") && base.len() > "postgres://".len() => {
            format!("{base}/{db}")
        }
        _ => format!("{server}/{db}"),
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

pub struct Instance {
    pub name: String,
    pub port: u16,
    /// `name.test:port`: the host name other servers see.
    pub domain: String,
    pub dir: tempfile::TempDir,
    pub database_url: String,
    pg_database: Option<(String, String)>,
    env: Vec<(String, String)>,
    child: Option<Child>,
}

impl Instance {
    pub async fn start(name: &str) -> Instance {
        Instance::start_with(name, &[]).await
    }

    /// Start with extra `STAFFROOM_*` settings.
    pub async fn start_with(name: &str, settings: &[(&str, &str)]) -> Instance {
        let port = free_port();
        let dir = tempfile::tempdir().expect("temp dir");
        let (database_url, pg_database) = match postgres() {
            Some(server) => {
                let db = format!(
                    "staffroom_t{}_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst),
                    name.replace('-', "_")
                );
                let mut conn =
                    PgConnection::establish(&server).expect("connect to STAFFROOM_TEST_POSTGRES");
                conn.batch_execute(&format!("DROP DATABASE IF EXISTS {db}"))
                    .expect("drop old test database");
                conn.batch_execute(&format!("CREATE DATABASE {db}"))
                    .expect("create test database");
                (database_url_for(&server, &db), Some((server, db)))
            }
            None => (
                format!("sqlite://{}", dir.path().join("staffroom.db").display()),
                None,
            ),
        };
        let domain = format!("{name}.test:{port}");
        let mut env: Vec<(String, String)> = vec![
            ("STAFFROOM_DOMAIN".into(), domain.clone()),
            ("STAFFROOM_BIND".into(), format!("127.0.0.1:{port}")),
            (
                "STAFFROOM_DATA_DIR".into(),
                dir.path().display().to_string(),
            ),
            ("STAFFROOM_DATABASE_URL".into(), database_url.clone()),
            ("STAFFROOM_DEV_MODE".into(), "true".into()),
            ("STAFFROOM_DEV_HOSTS".into(), "*.test=127.0.0.1".into()),
            (
                "STAFFROOM_INSTANCE_CONTACT_EMAIL".into(),
                format!("admin@{name}.test"),
            ),
            ("STAFFROOM_DATABASE_POOL_SIZE".into(), "4".into()),
            // Every test client shares 127.0.0.1 and polls while it waits:
            // the per-account and anonymous limits of the rig are wider than
            // the defaults (tests/it/rate_limits.rs sets its own).
            (
                "STAFFROOM_LIMITS_ACCOUNT_REQUESTS_PER_WINDOW".into(),
                "1500".into(),
            ),
            (
                "STAFFROOM_LIMITS_ANONYMOUS_REQUESTS_PER_WINDOW".into(),
                "1500".into(),
            ),
            ("RUST_LOG".into(), "info,staffroom=debug".into()),
        ];
        for (k, v) in settings {
            env.retain(|(key, _)| key != k);
            env.push((k.to_string(), v.to_string()));
        }
        let mut instance = Instance {
            name: name.to_string(),
            port,
            domain,
            dir,
            database_url,
            pg_database,
            env,
            child: None,
        };
        // The port was free when picked, but another test's server may take
        // it before ours binds: then ours stops, and it starts on another.
        for _ in 0..5 {
            instance.spawn();
            if instance.answered().await {
                return instance;
            }
            instance.kill();
            instance.set_port(free_port());
        }
        panic!(
            "{} could not start (log: {})",
            instance.name,
            instance.log_path().display()
        );
    }

    fn set_port(&mut self, port: u16) {
        self.port = port;
        self.domain = format!("{}.test:{port}", self.name);
        for (k, v) in self.env.iter_mut() {
            match k.as_str() {
                "STAFFROOM_DOMAIN" => *v = self.domain.clone(),
                "STAFFROOM_BIND" => *v = format!("127.0.0.1:{port}"),
                _ => {}
            }
        }
    }

    /// Wait until this instance, and not another server on its port,
    /// answers; false if its process ended first.
    async fn answered(&mut self) -> bool {
        let url = format!("{}/api/v1/instance", self.base());
        let client = reqwest::Client::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            if !self.is_running() {
                return false;
            }
            if let Ok(r) = client.get(&url).send().await {
                if let Ok(v) = r.json::<serde_json::Value>().await {
                    if v["uri"] == self.domain.as_str() {
                        return true;
                    }
                }
            }
            if tokio::time::Instant::now() > deadline {
                panic!(
                    "timed out waiting for {} to start (log: {})",
                    self.name,
                    self.log_path().display()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(args);
        for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("STAFFROOM_")) {
            cmd.env_remove(k);
        }
        cmd.envs(self.env.iter().map(|(k, v)| (k, v)));
        cmd
    }

    pub fn log_path(&self) -> PathBuf {
        self.dir.path().join("server.log")
    }

    fn spawn(&mut self) {
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())
            .expect("log file");
        let child = self
            .command(&["serve"])
            .stdout(Stdio::from(log.try_clone().expect("log file")))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("start staffroom");
        self.child = Some(child);
    }

    /// A second app process of this instance (same settings and database)
    /// listening on a port of its own, as large deployments run several.
    pub async fn start_sibling(&self) -> Sibling {
        let port = free_port();
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join(format!("sibling-{port}.log")))
            .expect("log file");
        let child = self
            .command(&["serve"])
            .env("STAFFROOM_BIND", format!("127.0.0.1:{port}"))
            .stdout(Stdio::from(log.try_clone().expect("log file")))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("start staffroom");
        let sibling = Sibling { port, child };
        wait_ready(&sibling.base(), "the sibling process").await;
        sibling
    }

    /// Wait until this instance's server answers (after a restart on the
    /// same port, which another test's server may have taken meanwhile).
    pub async fn wait_ready(&mut self) {
        assert!(
            self.answered().await,
            "{} stopped before answering, its port taken? (log: {})\n{}",
            self.name,
            self.log_path().display(),
            self.log()
        );
    }

    /// Kill the process at once (SIGKILL): nothing is shut down cleanly.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Ask the process to stop (SIGTERM) and wait for it.
    pub fn terminate(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            let _ = child.wait();
        }
    }

    pub async fn restart(&mut self) {
        self.kill();
        self.spawn();
        self.wait_ready().await;
    }

    pub fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| c.try_wait().ok().flatten().is_none())
    }

    /// Run a CLI command against this instance's configuration.
    pub fn cli(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run staffroom")
    }

    /// Where the API is reached (loopback).
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The URL other servers use.
    pub fn url(&self) -> String {
        format!("http://{}", self.domain)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// Create a local account with the CLI and sign in as it (password grant).
    pub async fn user(&self, username: &str) -> Client {
        self.user_with_role(username, "user").await
    }

    pub async fn user_with_role(&self, username: &str, role: &str) -> Client {
        let email = self.create_user(username, role);
        Client::sign_in(&self.base(), &email, PASSWORD).await
    }

    /// Create a local account with the CLI (password [`PASSWORD`]); returns its e-mail address.
    pub fn create_user(&self, username: &str, role: &str) -> String {
        let email = format!("{username}@{}.test", self.name);
        let out = self.cli(&[
            "user",
            "create",
            username,
            "--email",
            &email,
            "--password",
            PASSWORD,
            "--role",
            role,
        ]);
        assert!(
            out.status.success(),
            "user create failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        email
    }

    /// The instance's own database, for checks of what was (not) stored.
    pub fn db(&self) -> staffroom::db::Db {
        staffroom::db::Db::connect(&self.database_url, 1).expect("open the instance database")
    }

    /// Run one SQL statement on the instance's database (tests that set
    /// up what no API can).
    pub async fn execute(&self, sql: &str) {
        let sql = sql.to_string();
        self.db()
            .read(move |conn| {
                use diesel::RunQueryDsl;
                diesel::sql_query(sql)
                    .execute(conn)
                    .map_err(staffroom::db::DbError::from)
            })
            .await
            .expect("run the statement");
    }

    /// Rows in `table` (optionally with a SQL condition).
    pub async fn count(&self, table: &str, condition: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let sql = if condition.is_empty() {
            format!("SELECT COUNT(*) AS n FROM {table}")
        } else {
            format!("SELECT COUNT(*) AS n FROM {table} WHERE {condition}")
        };
        self.db()
            .read(move |conn| {
                use diesel::RunQueryDsl;
                diesel::sql_query(sql)
                    .get_result::<Count>(conn)
                    .map_err(staffroom::db::DbError::from)
            })
            .await
            .expect("count rows")
            .n
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill();
        if std::thread::panicking() || std::env::var("STAFFROOM_TEST_SHOW_LOGS").is_ok() {
            let log = self.log();
            let tail: Vec<&str> = log.lines().rev().take(80).collect();
            eprintln!("----- last lines of {} ({}) -----", self.name, self.domain);
            for line in tail.iter().rev() {
                eprintln!("{line}");
            }
        }
        if let Some((server, db)) = &self.pg_database {
            if let Ok(mut conn) = PgConnection::establish(server) {
                let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"));
            }
        }
    }
}

/// Another process of an [`Instance`]; killed when dropped.
pub struct Sibling {
    pub port: u16,
    child: Child,
}

impl Sibling {
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Sibling {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Wait until the server at `base` answers.
async fn wait_ready(base: &str, what: &str) {
    let url = format!("{base}/api/v1/instance");
    let client = reqwest::Client::new();
    eventually(what, Duration::from_secs(60), || {
        let (client, url) = (client.clone(), url.clone());
        async move {
            let r = client.get(&url).send().await.ok()?;
            r.status().is_success().then_some(())
        }
    })
    .await;
}
