//! The two migration sets (SQLite and PostgreSQL) stay in step: the same
//! version names, and the same tables and columns once applied; and every
//! migration can be reverted and applied again.

mod common;

use diesel::{
    connection::SimpleConnection, sql_query, sql_types::Text, Connection, PgConnection,
    QueryableByName, RunQueryDsl, SqliteConnection,
};
use diesel_migrations::MigrationHarness;
use staffroom::db::migrations::{POSTGRES, SQLITE};
use std::{collections::BTreeSet, path::Path};

fn versions(backend: &str) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn both_backends_have_the_same_migration_versions() {
    let sqlite = versions("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, versions("postgres"));
}

#[derive(QueryableByName, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    nullable: String,
}

fn sqlite_columns(conn: &mut SqliteConnection) -> Vec<Column> {
    let mut columns: Vec<Column> = sql_query(
        "SELECT m.name AS table_name, p.name AS column_name, \
         CASE WHEN p.\"notnull\" = 1 OR p.pk = 1 THEN 'NO' ELSE 'YES' END AS nullable \
         FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
         AND m.name <> '__diesel_schema_migrations'",
    )
    .load(conn)
    .expect("list SQLite columns");
    columns.sort();
    columns
}

fn sqlite() -> (tempfile::TempDir, SqliteConnection) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    let mut conn = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
    conn.batch_execute("PRAGMA foreign_keys = ON").unwrap();
    (dir, conn)
}

#[test]
fn sqlite_migrations_apply_revert_and_apply_again() {
    let (_dir, mut conn) = sqlite();
    conn.run_pending_migrations(SQLITE).expect("apply");
    let applied = sqlite_columns(&mut conn);
    assert!(applied.iter().any(|c| c.table_name == "accounts"));
    conn.revert_all_migrations(SQLITE).expect("revert");
    assert!(
        sqlite_columns(&mut conn).is_empty(),
        "down.sql leaves tables"
    );
    conn.run_pending_migrations(SQLITE).expect("apply again");
    assert_eq!(sqlite_columns(&mut conn), applied);
}

#[test]
fn postgres_schema_matches_sqlite_schema() {
    let Some(server) = common::instance::postgres() else {
        eprintln!("skipped: STAFFROOM_TEST_POSTGRES is not set");
        return;
    };
    let db = format!("staffroom_migrations_{}", std::process::id());
    let mut admin = PgConnection::establish(&server).expect("connect");
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {db}"))
        .unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE {db}"))
        .unwrap();
    let url = common::instance::database_url_for(&server, &db);
    let result = std::panic::catch_unwind(|| {
        let mut conn = PgConnection::establish(&url).expect("connect to the test database");
        conn.run_pending_migrations(POSTGRES).expect("apply");
        let mut pg: Vec<Column> = sql_query(
            "SELECT table_name::text AS table_name, column_name::text AS column_name, \
             is_nullable::text AS nullable FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
        )
        .load(&mut conn)
        .expect("list PostgreSQL columns");
        pg.sort();
        assert!(pg.iter().any(|c| c.table_name == "statuses"));
        let (_dir, mut lite) = sqlite();
        lite.run_pending_migrations(SQLITE).expect("apply SQLite");
        assert_eq!(pg, sqlite_columns(&mut lite));
        conn.revert_all_migrations(POSTGRES).expect("revert");
        conn.run_pending_migrations(POSTGRES).expect("apply again");
    });
    let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"));
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}
