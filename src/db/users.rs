//! Login identities of local accounts.

use super::{
    accounts::{lower, Account},
    schema::{accounts, users},
    DbConn,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    pub account_id: i64,
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub created_at: NaiveDateTime,
    /// False while a sign-up waits for a moderator's approval.
    pub approved: bool,
    pub sign_up_reason: Option<String>,
    /// Posting preferences: visibility, sensitivity and language of new posts.
    pub default_visibility: String,
    pub default_sensitive: bool,
    pub default_language: Option<String>,
}

pub fn insert(conn: &mut DbConn, user: &User) -> QueryResult<()> {
    diesel::insert_into(users::table)
        .values(user)
        .execute(conn)
        .map(|_| ())
}

pub fn by_account(conn: &mut DbConn, account_id: i64) -> QueryResult<Option<User>> {
    users::table
        .filter(users::account_id.eq(account_id))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn email_taken(conn: &mut DbConn, email: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        users::table.filter(lower(users::email).eq(email.to_lowercase())),
    ))
    .get_result(conn)
}

/// The user who logs in as `login`: an e-mail address or a local username.
pub fn by_login(conn: &mut DbConn, login: &str) -> QueryResult<Option<(User, Account)>> {
    let login = login.trim().trim_start_matches('@').to_lowercase();
    users::table
        .inner_join(accounts::table)
        .filter(
            lower(users::email)
                .eq(&login)
                .or(lower(accounts::username).eq(&login)),
        )
        .filter(accounts::domain.is_null())
        .select((User::as_select(), Account::as_select()))
        .first(conn)
        .optional()
}

pub fn list(conn: &mut DbConn) -> QueryResult<Vec<(User, Account)>> {
    users::table
        .inner_join(accounts::table)
        .order(accounts::username)
        .select((User::as_select(), Account::as_select()))
        .load(conn)
}

pub fn count(conn: &mut DbConn) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

pub fn first_admin_email(conn: &mut DbConn) -> QueryResult<Option<String>> {
    users::table
        .filter(users::role.eq("admin"))
        .order(users::id)
        .select(users::email)
        .first(conn)
        .optional()
}

/// Local accounts with the admin or moderator role.
pub fn staff(conn: &mut DbConn) -> QueryResult<Vec<Account>> {
    users::table
        .inner_join(accounts::table.on(accounts::id.eq(users::account_id)))
        .filter(users::role.eq_any(["admin", "moderator"]))
        .select(Account::as_select())
        .load(conn)
}

pub fn set_approved(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::approved.eq(true))
        .execute(conn)
        .map(|_| ())
}

/// Save the posting preferences of a user.
pub fn set_preferences(
    conn: &mut DbConn,
    id: i64,
    visibility: &str,
    sensitive: bool,
    language: Option<&str>,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::default_visibility.eq(visibility),
            users::default_sensitive.eq(sensitive),
            users::default_language.eq(language),
        ))
        .execute(conn)
        .map(|_| ())
}
