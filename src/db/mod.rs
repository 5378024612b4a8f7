//! Storage: the connection pool, the schema, and one module of queries per aggregate.
//! Nothing outside this folder writes SQL.

pub mod account_domain_blocks;
pub mod accounts;
pub mod announcements;
pub mod blocks;
pub mod board_bans;
pub mod boards;
pub mod conversations;
pub mod deliveries;
pub mod favourites;
pub mod filters;
pub mod follows;
pub mod home_feeds;
pub mod host_software;
pub mod idempotency;
pub mod inbound_retries;
pub mod inbox_log;
pub mod lists;
pub mod markers;
mod marks;
pub mod media;
pub mod mentions;
pub mod migrations;
pub mod mutes;
pub mod notifications;
pub mod notify;
pub mod oauth;
pub mod polls;
mod pool;
pub mod schema;
pub mod site;
pub mod status_edits;
pub mod statuses;
pub mod suggestions;
pub mod tags;
pub mod timelines;
pub mod tombstones;
pub mod trends;
pub mod users;

pub use marks::{bookmarks, pins};
pub use pool::{Backend, Db, DbConn, DbError, MultiBackend};

use chrono::{NaiveDateTime, SubsecRound, Utc};

/// The current time as stored: UTC, truncated to microseconds (both backends
/// keep microseconds; SQLite compares times as text, so all times come from here).
/// Refresh the statistics the query planner chooses indexes by. SQLite:
/// the first time, `ANALYZE` every table; then `PRAGMA optimize`, which
/// analyzes the tables that changed enough; both read a bounded sample of
/// each index (`analysis_limit`), so this takes milliseconds at millions of
/// rows. PostgreSQL's autovacuum does this by itself.
pub fn refresh_statistics(conn: &mut DbConn) -> diesel::QueryResult<()> {
    use diesel::{connection::SimpleConnection, RunQueryDsl};
    let DbConn::Sqlite(c) = conn else {
        return Ok(());
    };
    #[derive(diesel::QueryableByName)]
    struct Found {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let analyzed = diesel::sql_query(
        "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'",
    )
    .get_result::<Found>(c)?
    .n > 0;
    c.batch_execute(if analyzed {
        "PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002;"
    } else {
        "PRAGMA analysis_limit = 1000; ANALYZE;"
    })
}

pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// What one viewer does not want to see: accounts (blocked either way, or
/// muted) and whole servers.
#[derive(Debug, Clone, Default)]
pub struct Hidden {
    pub accounts: Vec<i64>,
    pub domains: Vec<String>,
}

impl Hidden {
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty() && self.domains.is_empty()
    }

    /// Whether `account` is hidden.
    pub fn hides(&self, account: &accounts::Account) -> bool {
        self.accounts.contains(&account.id)
            || account
                .domain
                .as_ref()
                .is_some_and(|d| self.domains.iter().any(|h| h.eq_ignore_ascii_case(d)))
    }
}

/// A page of a list ordered by time-sortable id, as Mastodon clients ask for it.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    /// Items older than this id.
    pub max_id: Option<i64>,
    /// The newest items newer than this id.
    pub since_id: Option<i64>,
    /// The items immediately newer than this id.
    pub min_id: Option<i64>,
    pub limit: i64,
}

impl Default for Page {
    fn default() -> Self {
        Page {
            max_id: None,
            since_id: None,
            min_id: None,
            limit: 20,
        }
    }
}

/// Load one [`Page`] of a boxed query, newest first, paged on `$id`.
#[macro_export]
macro_rules! load_page {
    ($query:expr, $id:expr, $page:expr, $conn:expr) => {{
        let page: &$crate::db::Page = $page;
        let mut q = $query;
        if let Some(max) = page.max_id {
            q = q.filter($id.lt(max));
        }
        if let Some(since) = page.since_id {
            q = q.filter($id.gt(since));
        }
        if let Some(min) = page.min_id {
            q.filter($id.gt(min))
                .order($id.asc())
                .limit(page.limit)
                .load($conn)
                .map(|mut rows: Vec<_>| {
                    rows.reverse();
                    rows
                })
        } else {
            q.order($id.desc()).limit(page.limit).load($conn)
        }
    }};
}
