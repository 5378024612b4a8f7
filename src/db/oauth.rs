//! OAuth applications, authorization codes and access tokens.
//! Client secrets, codes and tokens are stored as SHA-256 hashes (hex),
//! never in clear.

use super::{
    schema::{oauth_apps, oauth_codes, oauth_tokens},
    DbConn,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = oauth_apps)]
pub struct App {
    pub id: i64,
    pub name: String,
    pub website: Option<String>,
    /// Registered redirect URIs, one per line.
    pub redirect_uris: String,
    /// Space-separated scopes.
    pub scopes: String,
    pub client_id: String,
    /// SHA-256 (hex) of the client secret, which only its app knows.
    pub client_secret_hash: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = oauth_codes)]
pub struct Code {
    pub id: i64,
    pub code_hash: String,
    pub app_id: i64,
    pub account_id: i64,
    pub redirect_uri: String,
    pub scopes: String,
    pub code_challenge: Option<String>,
    pub expires_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = oauth_tokens)]
pub struct Token {
    pub id: i64,
    pub app_id: i64,
    /// `None` for client-credentials (app) tokens.
    pub account_id: Option<i64>,
    pub token_hash: String,
    pub refresh_token_hash: Option<String>,
    pub scopes: String,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

pub fn insert_app(conn: &mut DbConn, app: &App) -> QueryResult<()> {
    diesel::insert_into(oauth_apps::table)
        .values(app)
        .execute(conn)
        .map(|_| ())
}

pub fn app_by_client_id(conn: &mut DbConn, client_id: &str) -> QueryResult<Option<App>> {
    oauth_apps::table
        .filter(oauth_apps::client_id.eq(client_id))
        .select(App::as_select())
        .first(conn)
        .optional()
}

pub fn app_by_id(conn: &mut DbConn, id: i64) -> QueryResult<Option<App>> {
    oauth_apps::table
        .find(id)
        .select(App::as_select())
        .first(conn)
        .optional()
}

pub fn insert_code(conn: &mut DbConn, code: &Code) -> QueryResult<()> {
    diesel::insert_into(oauth_codes::table)
        .values(code)
        .execute(conn)
        .map(|_| ())
}

/// Take a code out of the store: it can be exchanged only once (of two
/// concurrent takes, only the one whose delete removed the row gets it).
pub fn take_code(conn: &mut DbConn, code_hash: &str) -> QueryResult<Option<Code>> {
    let code = oauth_codes::table
        .filter(oauth_codes::code_hash.eq(code_hash))
        .select(Code::as_select())
        .first(conn)
        .optional()?;
    match code {
        Some(c) if diesel::delete(oauth_codes::table.find(c.id)).execute(conn)? == 1 => Ok(Some(c)),
        _ => Ok(None),
    }
}

pub fn insert_token(conn: &mut DbConn, token: &Token) -> QueryResult<()> {
    diesel::insert_into(oauth_tokens::table)
        .values(token)
        .execute(conn)
        .map(|_| ())
}

/// A live (not revoked) token by the hash of its access token.
pub fn token_by_hash(conn: &mut DbConn, hash: &str) -> QueryResult<Option<Token>> {
    oauth_tokens::table
        .filter(oauth_tokens::token_hash.eq(hash))
        .filter(oauth_tokens::revoked_at.is_null())
        .select(Token::as_select())
        .first(conn)
        .optional()
}

pub fn token_by_refresh_hash(conn: &mut DbConn, hash: &str) -> QueryResult<Option<Token>> {
    oauth_tokens::table
        .filter(oauth_tokens::refresh_token_hash.eq(hash))
        .filter(oauth_tokens::revoked_at.is_null())
        .select(Token::as_select())
        .first(conn)
        .optional()
}

/// Revoke the live token of `app_id` with this refresh token hash, in one
/// conditional update: of two concurrent calls, only one gets the token.
pub fn take_refresh(conn: &mut DbConn, app_id: i64, hash: &str) -> QueryResult<Option<Token>> {
    let Some(token) = token_by_refresh_hash(conn, hash)?.filter(|t| t.app_id == app_id) else {
        return Ok(None);
    };
    let taken = diesel::update(
        oauth_tokens::table
            .find(token.id)
            .filter(oauth_tokens::revoked_at.is_null()),
    )
    .set(oauth_tokens::revoked_at.eq(super::now()))
    .execute(conn)?;
    Ok((taken == 1).then_some(token))
}

/// Whether `value` looks like a stored hash (64 lowercase hex digits).
fn is_hash(value: &str) -> bool {
    value.len() == 64
        && value
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Data migration (runs after the schema migrations at every start):
/// client secrets stored in clear before they were hashed (random 43-character
/// strings, never 64 hex digits) are replaced by their SHA-256, so apps
/// registered before keep working. Returns how many were hashed.
pub fn hash_plain_client_secrets(conn: &mut DbConn) -> QueryResult<usize> {
    let rows: Vec<(i64, String)> = oauth_apps::table
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(
            "length(client_secret_hash) <> 64",
        ))
        .select((oauth_apps::id, oauth_apps::client_secret_hash))
        .load(conn)?;
    let mut hashed = 0;
    for (id, value) in rows.into_iter().filter(|(_, v)| !is_hash(v)) {
        let hash: String = openssl::sha::sha256(value.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        hashed += diesel::update(oauth_apps::table.find(id))
            .filter(oauth_apps::client_secret_hash.eq(&value))
            .set(oauth_apps::client_secret_hash.eq(hash))
            .execute(conn)?;
    }
    Ok(hashed)
}

pub fn revoke_token(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::update(oauth_tokens::table.find(id))
        .set(oauth_tokens::revoked_at.eq(super::now()))
        .execute(conn)
        .map(|_| ())
}
