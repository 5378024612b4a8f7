//! Embedded migrations, one set per backend with identical version names.

use super::pool::{Db, DbConn};
use diesel::connection::SimpleConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Apply pending migrations of the active backend, then the data
/// migrations written in Rust; returns the versions applied.
pub fn run(db: &Db) -> Result<Vec<String>, String> {
    let mut conn = db.get().map_err(|e| e.to_string())?;
    let applied = match &mut *conn {
        DbConn::Sqlite(c) => c
            .run_pending_migrations(SQLITE)
            .map(|v| v.iter().map(|m| m.to_string()).collect()),
        DbConn::Pg(c) => {
            // Several app processes may start at once: one migrates, the others wait.
            c.batch_execute("SELECT pg_advisory_lock(7246153)")
                .map_err(|e| format!("migrations: {e}"))?;
            let result = c
                .run_pending_migrations(POSTGRES)
                .map(|v| v.iter().map(|m| m.to_string()).collect());
            let _ = c.batch_execute("SELECT pg_advisory_unlock(7246153)");
            result
        }
    };
    let applied = applied.map_err(|e| format!("migrations ({:?}): {e}", db.backend()))?;
    // Data the SQL could not convert (SQLite has no SHA-256).
    super::oauth::hash_plain_client_secrets(&mut conn)
        .map_err(|e| format!("hashing stored client secrets: {e}"))?;
    Ok(applied)
}
