//! The two migration sets (SQLite and PostgreSQL) stay in step: the same
//! version names and, once applied, the same tables, columns (types and
//! nullability), primary keys, unique constraints and indexes; and every
//! migration can be reverted and applied again.

use crate::common;

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
    data_type: String,
    #[diesel(sql_type = Text)]
    nullable: String,
}

/// A key (primary or unique) or an index: `kind` is `primary key`,
/// `unique` or `index`, `definition` its columns or normalized SQL.
#[derive(QueryableByName, PartialEq, Eq, PartialOrd, Ord, Debug, Clone)]
struct Key {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Text)]
    definition: String,
}

/// The schema as both backends can describe it.
#[derive(PartialEq, Eq, Debug)]
struct Schema {
    columns: Vec<Column>,
    keys: Vec<Key>,
}

/// One name per type for both backends (SQLite's declared type, PostgreSQL's `data_type`).
fn type_name(declared: &str) -> String {
    match declared.to_ascii_lowercase().as_str() {
        "timestamp without time zone" | "timestamp" => "timestamp".into(),
        "double precision" | "real" | "double" => "double".into(),
        other => other.into(),
    }
}

/// An index definition with the spelling differences of the two backends
/// (PostgreSQL adds `public.`, `USING btree`, casts and parentheses) removed.
fn normalize_index(sql: &str) -> String {
    sql.to_ascii_lowercase()
        .replace("public.", "")
        .replace(" using btree", "")
        .replace("::text", "")
        .replace("if not exists ", "")
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '"'))
        .collect()
}

fn sqlite_schema(conn: &mut SqliteConnection) -> Schema {
    let mut columns: Vec<Column> = sql_query(
        "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type, \
         CASE WHEN p.\"notnull\" = 1 OR p.pk = 1 THEN 'NO' ELSE 'YES' END AS nullable \
         FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
         AND m.name <> '__diesel_schema_migrations'",
    )
    .load(conn)
    .expect("list SQLite columns");
    for c in &mut columns {
        c.data_type = type_name(&c.data_type);
    }
    columns.sort();
    let tables = " FROM sqlite_master m WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
         AND m.name <> '__diesel_schema_migrations'";
    let mut keys: Vec<Key> = sql_query(format!(
        "SELECT m.name AS table_name, 'primary key' AS kind, \
         (SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info(m.name) \
          WHERE pk > 0 ORDER BY pk)) AS definition{tables} \
         AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE pk > 0) \
         UNION ALL \
         SELECT m.name, 'unique', (SELECT group_concat(name, ',') FROM \
          (SELECT name FROM pragma_index_info(l.name) ORDER BY seqno)) \
         FROM sqlite_master m JOIN pragma_index_list(m.name) l \
         WHERE m.type = 'table' AND l.origin = 'u' \
         UNION ALL \
         SELECT tbl_name, 'index', sql FROM sqlite_master \
         WHERE type = 'index' AND sql IS NOT NULL"
    ))
    .load(conn)
    .expect("list SQLite keys and indexes");
    for k in &mut keys {
        if k.kind == "index" {
            k.definition = normalize_index(&k.definition);
        }
    }
    keys.sort();
    Schema { columns, keys }
}

fn postgres_schema(conn: &mut PgConnection) -> Schema {
    let mut columns: Vec<Column> = sql_query(
        "SELECT table_name::text AS table_name, column_name::text AS column_name, \
         data_type::text AS data_type, is_nullable::text AS nullable \
         FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
    )
    .load(conn)
    .expect("list PostgreSQL columns");
    for c in &mut columns {
        c.data_type = type_name(&c.data_type);
    }
    columns.sort();
    let mut keys: Vec<Key> = sql_query(
        "SELECT c.relname::text AS table_name, \
         CASE WHEN con.contype = 'p' THEN 'primary key' ELSE 'unique' END AS kind, \
         (SELECT string_agg(a.attname, ',' ORDER BY k.n) \
          FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, n) \
          JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS definition \
         FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid \
         JOIN pg_namespace ns ON ns.oid = c.relnamespace \
         WHERE ns.nspname = 'public' AND con.contype IN ('p', 'u') \
         AND c.relname <> '__diesel_schema_migrations' \
         UNION ALL \
         SELECT i.tablename::text, 'index', i.indexdef::text FROM pg_indexes i \
         WHERE i.schemaname = 'public' AND NOT EXISTS \
         (SELECT 1 FROM pg_constraint con WHERE con.conname = i.indexname)",
    )
    .load(conn)
    .expect("list PostgreSQL keys and indexes");
    for k in &mut keys {
        if k.kind == "index" {
            k.definition = normalize_index(&k.definition);
        }
    }
    keys.sort();
    Schema { columns, keys }
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
    let applied = sqlite_schema(&mut conn);
    assert!(applied.columns.iter().any(|c| c.table_name == "accounts"));
    assert!(applied.keys.iter().any(|k| k.kind == "index"));
    conn.revert_all_migrations(SQLITE).expect("revert");
    assert!(
        sqlite_schema(&mut conn).columns.is_empty(),
        "down.sql leaves tables"
    );
    conn.run_pending_migrations(SQLITE).expect("apply again");
    assert_eq!(sqlite_schema(&mut conn), applied);
}

#[test]
fn postgres_schema_matches_sqlite_schema() {
    let Some(server) = common::instance::postgres_server() else {
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
        let pg = postgres_schema(&mut conn);
        assert!(pg.columns.iter().any(|c| c.table_name == "statuses"));
        let (_dir, mut lite) = sqlite();
        lite.run_pending_migrations(SQLITE).expect("apply SQLite");
        let lite = sqlite_schema(&mut lite);
        assert_eq!(
            pg.columns, lite.columns,
            "columns, types or nullability differ"
        );
        let only = |a: &[Key], b: &[Key]| -> Vec<Key> {
            a.iter().filter(|k| !b.contains(k)).cloned().collect()
        };
        assert!(
            pg.keys == lite.keys,
            "keys and indexes differ:\nonly on PostgreSQL: {:#?}\nonly on SQLite: {:#?}",
            only(&pg.keys, &lite.keys),
            only(&lite.keys, &pg.keys)
        );
        conn.revert_all_migrations(POSTGRES).expect("revert");
        conn.run_pending_migrations(POSTGRES).expect("apply again");
    });
    let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"));
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

/// The migration that hashes OAuth client secrets (its version's digits).
const HASH_SECRETS: &str = "20261202000005";

/// The digits of a migration's version (names and versions spell it
/// differently: `2026-12-02-000005_name`, `20261202000005`).
fn version_digits(name: &str) -> String {
    name.split('_')
        .next()
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_digit)
        .collect()
}
const PLAIN_SECRET: &str = "LegacyPlainSecret_0123456789abcdefghijklmnopq";
const INSERT_APP: &str = "INSERT INTO oauth_apps (id, name, redirect_uris, scopes, client_id, \
     client_secret, created_at) VALUES (1, 'Tusky', 'urn:ietf:wg:oauth:2.0:oob', 'read', 'cid', \
     'LegacyPlainSecret_0123456789abcdefghijklmnopq', '2026-11-30 08:00:00')";

#[derive(QueryableByName)]
struct Secret {
    #[diesel(sql_type = Text)]
    client_secret_hash: String,
}

fn sha256_hex(s: &str) -> String {
    openssl::sha::sha256(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Apply the migrations before [`HASH_SECRETS`], store an app with its
/// secret in clear (as the older version did), then apply the rest.
macro_rules! migrate_with_a_plain_secret {
    ($conn:expr, $set:expr) => {{
        for m in $conn.pending_migrations($set).expect("pending migrations") {
            if version_digits(&m.name().to_string()).as_str() >= HASH_SECRETS {
                break;
            }
            $conn.run_migration(&*m).expect("apply");
        }
        $conn
            .batch_execute(INSERT_APP)
            .expect("an app of the older version");
        $conn.run_pending_migrations($set).expect("apply the rest");
        sql_query("SELECT client_secret_hash FROM oauth_apps")
            .get_result::<Secret>(&mut $conn)
            .expect("the app")
            .client_secret_hash
    }};
}

/// Issue 8, hole 6: secrets stored in clear before they were hashed are
/// hashed: by the PostgreSQL migration itself, and on SQLite (no SHA-256 in
/// SQL) by the data migration that runs after the schema migrations.
#[test]
fn client_secrets_kept_in_clear_are_hashed_on_both_backends() {
    let (dir, mut conn) = sqlite();
    let stored = migrate_with_a_plain_secret!(conn, SQLITE);
    assert_eq!(stored, PLAIN_SECRET, "SQLite cannot hash in SQL");
    drop(conn);
    let url = format!("sqlite://{}", dir.path().join("m.db").display());
    let db = staffroom::db::Db::connect(&url, 1).expect("open");
    staffroom::db::migrations::run(&db).expect("migrate");
    let mut conn = SqliteConnection::establish(dir.path().join("m.db").to_str().unwrap()).unwrap();
    let stored = sql_query("SELECT client_secret_hash FROM oauth_apps")
        .get_result::<Secret>(&mut conn)
        .unwrap()
        .client_secret_hash;
    assert_eq!(stored, sha256_hex(PLAIN_SECRET));

    let Some(server) = common::instance::postgres_server() else {
        return;
    };
    let db = format!("staffroom_secrets_{}", std::process::id());
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
        let stored = migrate_with_a_plain_secret!(conn, POSTGRES);
        assert_eq!(stored, sha256_hex(PLAIN_SECRET));
        // Reverted and applied again, the hash is not hashed twice.
        while conn
            .applied_migrations()
            .unwrap()
            .iter()
            .any(|v| version_digits(&v.to_string()).as_str() >= HASH_SECRETS)
        {
            conn.revert_last_migration(POSTGRES).expect("revert");
        }
        let pending = conn.pending_migrations(POSTGRES).unwrap().len();
        assert!(pending >= 2, "{pending} migrations reverted");
        conn.run_pending_migrations(POSTGRES).expect("apply again");
        let stored = sql_query("SELECT client_secret_hash FROM oauth_apps")
            .get_result::<Secret>(&mut conn)
            .unwrap()
            .client_secret_hash;
        assert_eq!(stored, sha256_hex(PLAIN_SECRET));
    });
    let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"));
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}
