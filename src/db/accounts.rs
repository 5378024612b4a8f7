//! Accounts: local teachers and the remote actors we know of.

use super::{schema::accounts, DbConn};
use chrono::NaiveDateTime;
use diesel::prelude::*;

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Identifiable, AsChangeset)]
#[diesel(table_name = accounts, treat_none_as_null = true)]
pub struct Account {
    pub id: i64,
    pub username: String,
    /// `None` for local accounts; `host[:port]` for remote ones.
    pub domain: Option<String>,
    pub actor_type: String,
    pub display_name: String,
    /// HTML.
    pub note: String,
    pub ap_id: String,
    pub url: Option<String>,
    pub inbox_url: String,
    pub shared_inbox_url: Option<String>,
    pub outbox_url: Option<String>,
    pub followers_url: Option<String>,
    pub following_url: Option<String>,
    pub public_key_pem: String,
    pub private_key_pem: Option<String>,
    pub locked: bool,
    pub bot: bool,
    pub discoverable: bool,
    pub avatar_url: Option<String>,
    pub header_url: Option<String>,
    /// JSON array of `{"name", "value"}` profile fields.
    pub fields: String,
    pub suspended_at: Option<NaiveDateTime>,
    pub deleted_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub last_fetched_at: Option<NaiveDateTime>,
}

/// What delivering to an account needs, and nothing more: which account,
/// and where its server takes activities (loaded for thousands of
/// followers at once, so never the whole row).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = accounts)]
pub struct Recipient {
    pub id: i64,
    /// `None` for local accounts.
    pub domain: Option<String>,
    pub inbox_url: String,
    pub shared_inbox_url: Option<String>,
    pub deleted_at: Option<NaiveDateTime>,
}

impl Recipient {
    pub fn is_local(&self) -> bool {
        self.domain.is_none()
    }

    /// The inbox that takes deliveries for everyone on the account's server.
    pub fn delivery_inbox(&self) -> &str {
        self.shared_inbox_url.as_deref().unwrap_or(&self.inbox_url)
    }
}

impl From<&Account> for Recipient {
    fn from(a: &Account) -> Recipient {
        Recipient {
            id: a.id,
            domain: a.domain.clone(),
            inbox_url: a.inbox_url.clone(),
            shared_inbox_url: a.shared_inbox_url.clone(),
            deleted_at: a.deleted_at,
        }
    }
}

impl From<Account> for Recipient {
    fn from(a: Account) -> Recipient {
        Recipient::from(&a)
    }
}

impl Account {
    pub fn is_local(&self) -> bool {
        self.domain.is_none()
    }

    /// `user` for local accounts, `user@host` for remote ones (as Mastodon's `acct`).
    pub fn acct(&self) -> String {
        match &self.domain {
            None => self.username.clone(),
            Some(d) => format!("{}@{}", self.username, d),
        }
    }

    /// The inbox that takes deliveries for everyone on the account's server.
    pub fn delivery_inbox(&self) -> &str {
        self.shared_inbox_url.as_deref().unwrap_or(&self.inbox_url)
    }

    /// Keep what another server says of how to reach this actor.
    pub fn set_contact(&mut self, c: Contact) {
        self.inbox_url = c.inbox_url;
        self.shared_inbox_url = c.shared_inbox_url;
        self.outbox_url = c.outbox_url;
        self.followers_url = c.followers_url;
        self.following_url = c.following_url;
        self.public_key_pem = c.public_key_pem;
    }
}

/// How an actor of another server is reached and verified: its inboxes,
/// collections and public key, as its server gave them. The federation
/// edge reads them from the actor and uses them; the core only hands them
/// to storage, unread.
#[derive(Debug, Clone, Default)]
pub struct Contact {
    pub inbox_url: String,
    pub shared_inbox_url: Option<String>,
    pub outbox_url: Option<String>,
    pub followers_url: Option<String>,
    pub following_url: Option<String>,
    pub public_key_pem: String,
}

pub fn insert(conn: &mut DbConn, account: &Account) -> QueryResult<()> {
    diesel::insert_into(accounts::table)
        .values(account)
        .execute(conn)
        .map(|_| ())
}

pub fn update(conn: &mut DbConn, account: &Account) -> QueryResult<()> {
    diesel::update(accounts::table.find(account.id))
        .set(account)
        .execute(conn)
        .map(|_| ())
}

pub fn by_id(conn: &mut DbConn, id: i64) -> QueryResult<Option<Account>> {
    accounts::table
        .find(id)
        .select(Account::as_select())
        .first(conn)
        .optional()
}

pub fn by_ids(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Account>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    accounts::table
        .filter(accounts::id.eq_any(ids))
        .select(Account::as_select())
        .load(conn)
}

pub fn by_ap_id(conn: &mut DbConn, ap_id: &str) -> QueryResult<Option<Account>> {
    accounts::table
        .filter(accounts::ap_id.eq(ap_id))
        .select(Account::as_select())
        .first(conn)
        .optional()
}

/// A remote account by its ActivityPub id or its profile page URL.
pub fn by_ap_id_or_url(conn: &mut DbConn, url: &str) -> QueryResult<Option<Account>> {
    accounts::table
        .filter(accounts::ap_id.eq(url).or(accounts::url.eq(url)))
        .select(Account::as_select())
        .first(conn)
        .optional()
}

pub fn local_by_username(conn: &mut DbConn, username: &str) -> QueryResult<Option<Account>> {
    accounts::table
        .filter(accounts::domain.is_null())
        .filter(lower(accounts::username).eq(username.to_lowercase()))
        .select(Account::as_select())
        .first(conn)
        .optional()
}

pub fn remote_by_username(
    conn: &mut DbConn,
    username: &str,
    domain: &str,
) -> QueryResult<Option<Account>> {
    accounts::table
        .filter(accounts::domain.eq(domain.to_lowercase()))
        .filter(lower(accounts::username).eq(username.to_lowercase()))
        .filter(accounts::deleted_at.is_null())
        .order(accounts::last_fetched_at.desc())
        .select(Account::as_select())
        .first(conn)
        .optional()
}

/// Accounts whose handle starts with `prefix`, local ones first.
pub fn search(conn: &mut DbConn, prefix: &str, limit: i64) -> QueryResult<Vec<Account>> {
    let pattern = format!("{}%", prefix.to_lowercase().replace(['%', '_', '\\'], ""));
    accounts::table
        .filter(lower(accounts::username).like(pattern))
        .filter(accounts::deleted_at.is_null())
        .filter(accounts::suspended_at.is_null())
        .filter(accounts::actor_type.ne("Application"))
        .order((accounts::domain.is_not_null(), accounts::username))
        .limit(limit)
        .select(Account::as_select())
        .load(conn)
}

/// The oldest local account, if any.
pub fn first_local(conn: &mut DbConn) -> QueryResult<Option<Account>> {
    accounts::table
        .filter(accounts::domain.is_null())
        .order(accounts::id.asc())
        .select(Account::as_select())
        .first(conn)
        .optional()
}

pub fn count_local(conn: &mut DbConn) -> QueryResult<i64> {
    accounts::table
        .filter(accounts::domain.is_null())
        .count()
        .get_result(conn)
}

/// Distinct remote hosts we know accounts on (instance peers).
pub fn remote_domains(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    accounts::table
        .filter(accounts::domain.is_not_null())
        .select(accounts::domain.assume_not_null())
        .distinct()
        .load(conn)
}
