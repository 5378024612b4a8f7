//! Connections: one binary for SQLite and PostgreSQL, picked by the URL scheme.

use diesel::{
    connection::SimpleConnection,
    r2d2::{self, ManageConnection},
    Connection, PgConnection, SqliteConnection,
};
use std::sync::{Arc, Mutex};

/// A connection to either backend; queries written once run on both.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite://") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// Why the database could not be reached or used.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
}

/// Opens connections by URL scheme and prepares every SQLite connection
/// (WAL, busy timeout, foreign keys), which the derived `establish` does not.
pub struct Manager {
    url: String,
    backend: Backend,
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        match self.backend {
            Backend::Sqlite => {
                let path = &self.url["sqlite://".len()..];
                let mut conn =
                    SqliteConnection::establish(path).map_err(r2d2::Error::ConnectionError)?;
                conn.batch_execute(
                    "PRAGMA busy_timeout = 15000; PRAGMA journal_mode = WAL; \
                     PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                )
                .map_err(r2d2::Error::QueryError)?;
                Ok(DbConn::Sqlite(conn))
            }
            Backend::Postgres => Ok(DbConn::Pg(
                PgConnection::establish(&self.url).map_err(r2d2::Error::ConnectionError)?,
            )),
        }
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

/// The pool, with blocking work moved off the async runtime.
///
/// SQLite has one writer at a time: write transactions take their turn
/// first (so bursts queue here instead of failing with "database is
/// locked"), then the writer's own connection; reads use the pool.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<Manager>,
    backend: Backend,
    writer: Option<Writer>,
}

/// SQLite's single writer: its turn, and its connection.
#[derive(Clone)]
struct Writer {
    turn: Arc<Mutex<()>>,
    pool: r2d2::Pool<Manager>,
}

impl Db {
    pub fn connect(url: &str, pool_size: u32) -> Result<Db, String> {
        let backend = Backend::of_url(url)
            .ok_or_else(|| format!("database_url: unsupported scheme in `{url}`"))?;
        if backend == Backend::Sqlite {
            let path = std::path::Path::new(&url["sqlite://".len()..]);
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("database_url: cannot create {}: {e}", dir.display()))?;
            }
        }
        let build = |size: u32| {
            r2d2::Pool::builder()
                .max_size(size)
                .min_idle(Some(1))
                // A local file does not break the way a network connection
                // does: no `SELECT 1` before every use on SQLite.
                .test_on_check_out(backend == Backend::Postgres)
                .connection_timeout(std::time::Duration::from_secs(20))
                .build(Manager {
                    url: url.to_string(),
                    backend,
                })
                .map_err(|e| format!("database_url: cannot connect: {e}"))
        };
        let pool = build(pool_size)?;
        // SQLite: the one writer has a connection of its own, so writes
        // never wait for readers to give one back, and readers (WAL) read
        // beside it.
        let writer = match backend {
            Backend::Sqlite => Some(Writer {
                turn: Arc::new(Mutex::new(())),
                pool: build(1)?,
            }),
            Backend::Postgres => None,
        };
        Ok(Db {
            pool,
            backend,
            writer,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Run `f` on a pooled connection, on a blocking thread.
    pub async fn read<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool
                .get()
                .map_err(|e| E::from(DbError::Unavailable(e.to_string())))?;
            f(&mut conn)
        })
        .await
        .map_err(|e| E::from(DbError::Unavailable(e.to_string())))?
    }

    /// Run `f` in one transaction, on a blocking thread.
    pub async fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + From<diesel::result::Error> + Send + 'static,
    {
        let db = self.clone();
        tokio::task::spawn_blocking(move || db.write_blocking(f))
            .await
            .map_err(|e| E::from(DbError::Unavailable(e.to_string())))?
    }

    /// [`Db::write`] for callers already on a blocking thread.
    pub fn write_blocking<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E>,
        E: From<DbError> + From<diesel::result::Error>,
    {
        let _guard = self.writer.as_ref().map(|w| {
            w.turn
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
        });
        let pool = self.writer.as_ref().map_or(&self.pool, |w| &w.pool);
        let mut conn = pool
            .get()
            .map_err(|e| E::from(DbError::Unavailable(e.to_string())))?;
        use std::ops::DerefMut;
        conn.deref_mut().transaction(f)
    }

    /// With PostgreSQL, a number for this app process, different from the
    /// other processes started recently (for the id generator).
    pub fn process_number(&self) -> Result<Option<i64>, String> {
        if self.backend != Backend::Postgres {
            return Ok(None);
        }
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = self.get().map_err(|e| e.to_string())?;
        use diesel::RunQueryDsl;
        diesel::sql_query("SELECT nextval('staffroom_process_numbers') AS n")
            .get_result::<N>(&mut *conn)
            .map(|r| Some(r.n))
            .map_err(|e| format!("database: cannot number this process: {e}"))
    }

    /// A connection for synchronous callers (CLI, migrations).
    pub fn get(&self) -> Result<r2d2::PooledConnection<Manager>, DbError> {
        self.pool
            .get()
            .map_err(|e| DbError::Unavailable(e.to_string()))
    }
}
