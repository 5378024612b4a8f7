//! Follow relations, accepted or pending (follow requests).

use super::{
    accounts::Account,
    schema::{accounts, follows},
    DbConn, Page,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Identifiable)]
#[diesel(table_name = follows)]
pub struct Follow {
    pub id: i64,
    /// The follower.
    pub account_id: i64,
    /// The account followed.
    pub target_account_id: i64,
    /// The id of the `Follow` activity (ours or the remote follower's).
    pub ap_id: Option<String>,
    pub accepted: bool,
    pub created_at: NaiveDateTime,
    /// The follower is notified of each new post.
    pub notify: bool,
    /// The followed account's reblogs appear in the follower's home timeline.
    pub show_reblogs: bool,
}

/// Store a follow; an accepted one brings the followed account's statuses
/// into the follower's home feed.
pub fn insert(conn: &mut DbConn, follow: &Follow) -> QueryResult<()> {
    diesel::insert_into(follows::table)
        .values(follow)
        .execute(conn)?;
    if follow.accepted {
        super::home_feeds::followed(conn, follow.account_id, follow.target_account_id)?;
    }
    Ok(())
}

pub fn get(conn: &mut DbConn, follower: i64, target: i64) -> QueryResult<Option<Follow>> {
    follows::table
        .filter(follows::account_id.eq(follower))
        .filter(follows::target_account_id.eq(target))
        .select(Follow::as_select())
        .first(conn)
        .optional()
}

pub fn by_ap_id(conn: &mut DbConn, ap_id: &str) -> QueryResult<Option<Follow>> {
    follows::table
        .filter(follows::ap_id.eq(ap_id))
        .select(Follow::as_select())
        .first(conn)
        .optional()
}

/// Accept a follow request: as [`insert`] of an accepted follow.
pub fn set_accepted(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    let pending: Option<(i64, i64)> = follows::table
        .find(id)
        .filter(follows::accepted.eq(false))
        .select((follows::account_id, follows::target_account_id))
        .first(conn)
        .optional()?;
    let Some((follower, target)) = pending else {
        return Ok(());
    };
    diesel::update(follows::table.find(id))
        .set(follows::accepted.eq(true))
        .execute(conn)?;
    super::home_feeds::followed(conn, follower, target)
}

pub fn set_options(
    conn: &mut DbConn,
    id: i64,
    notify: bool,
    show_reblogs: bool,
) -> QueryResult<()> {
    diesel::update(follows::table.find(id))
        .set((
            follows::notify.eq(notify),
            follows::show_reblogs.eq(show_reblogs),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Local accounts whose home timeline shows `target`'s posts (or, for
/// `reblogs`, its reblogs).
pub fn local_followers_for_home(
    conn: &mut DbConn,
    target: i64,
    reblogs: bool,
) -> QueryResult<Vec<i64>> {
    let mut q = follows::table
        .inner_join(accounts::table.on(accounts::id.eq(follows::account_id)))
        .filter(follows::target_account_id.eq(target))
        .filter(follows::accepted.eq(true))
        .filter(accounts::domain.is_null())
        .select(accounts::id)
        .into_boxed();
    if reblogs {
        q = q.filter(follows::show_reblogs.eq(true));
    }
    q.load(conn)
}

/// The followers (and requesters) of `target` on `domain`.
pub fn followers_on_domain(
    conn: &mut DbConn,
    target: i64,
    domain: &str,
) -> QueryResult<Vec<Account>> {
    follows::table
        .inner_join(accounts::table.on(accounts::id.eq(follows::account_id)))
        .filter(follows::target_account_id.eq(target))
        .filter(accounts::domain.eq(domain))
        .select(Account::as_select())
        .load(conn)
}

/// Whether `target` has an accepted follower on `domain`.
pub fn has_follower_on_domain(conn: &mut DbConn, target: i64, domain: &str) -> QueryResult<bool> {
    let n: i64 = follows::table
        .inner_join(accounts::table.on(accounts::id.eq(follows::account_id)))
        .filter(follows::target_account_id.eq(target))
        .filter(follows::accepted.eq(true))
        .filter(accounts::domain.eq(domain))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Local accounts that follow `target` and asked to be notified of its posts.
pub fn subscribers(conn: &mut DbConn, target: i64) -> QueryResult<Vec<Account>> {
    follows::table
        .inner_join(accounts::table.on(accounts::id.eq(follows::account_id)))
        .filter(follows::target_account_id.eq(target))
        .filter(follows::accepted.eq(true))
        .filter(follows::notify.eq(true))
        .filter(accounts::domain.is_null())
        .select(Account::as_select())
        .load(conn)
}

pub fn set_ap_id(conn: &mut DbConn, id: i64, ap_id: &str) -> QueryResult<()> {
    diesel::update(follows::table.find(id))
        .set(follows::ap_id.eq(ap_id))
        .execute(conn)
        .map(|_| ())
}

pub fn delete(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::delete(follows::table.find(id))
        .execute(conn)
        .map(|_| ())
}

/// Follows from `follower` to any of `targets` (for relationships).
pub fn from_to_many(conn: &mut DbConn, follower: i64, targets: &[i64]) -> QueryResult<Vec<Follow>> {
    follows::table
        .filter(follows::account_id.eq(follower))
        .filter(follows::target_account_id.eq_any(targets))
        .select(Follow::as_select())
        .load(conn)
}

/// Follows from any of `followers` to `target` (for relationships).
pub fn many_to(conn: &mut DbConn, followers: &[i64], target: i64) -> QueryResult<Vec<Follow>> {
    follows::table
        .filter(follows::target_account_id.eq(target))
        .filter(follows::account_id.eq_any(followers))
        .select(Follow::as_select())
        .load(conn)
}

/// Which side of a follow relation to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Those who follow the account.
    Followers,
    /// Those the account follows.
    Following,
}

/// Followers or followees of `account_id` with the given acceptance state,
/// newest first, paged by follow id: (follow id, the other account).
pub fn list(
    conn: &mut DbConn,
    side: Side,
    account_id: i64,
    accepted: bool,
    page: &Page,
) -> QueryResult<Vec<(i64, Account)>> {
    let q = follows::table
        .filter(follows::accepted.eq(accepted))
        .select(Follow::as_select())
        .into_boxed();
    let q = match side {
        Side::Followers => q.filter(follows::target_account_id.eq(account_id)),
        Side::Following => q.filter(follows::account_id.eq(account_id)),
    };
    let rows: Vec<Follow> = crate::load_page!(q, follows::id, page, conn)?;
    let other = |f: &Follow| match side {
        Side::Followers => f.account_id,
        Side::Following => f.target_account_id,
    };
    let ids: Vec<i64> = rows.iter().map(other).collect();
    let accounts = super::accounts::by_ids(conn, &ids)?;
    Ok(rows
        .iter()
        .filter_map(|f| {
            let a = accounts.iter().find(|a| a.id == other(f))?;
            Some((f.id, a.clone()))
        })
        .collect())
}

/// Remote accounts that follow `target` (accepted), as delivery needs them.
pub fn remote_followers(
    conn: &mut DbConn,
    target: i64,
) -> QueryResult<Vec<super::accounts::Recipient>> {
    follows::table
        .inner_join(accounts::table.on(accounts::id.eq(follows::account_id)))
        .filter(follows::target_account_id.eq(target))
        .filter(follows::accepted.eq(true))
        .filter(accounts::domain.is_not_null())
        .select(super::accounts::Recipient::as_select())
        .load(conn)
}

/// Ids of the accounts `follower` follows (accepted) among `candidates`.
pub fn followed_among(
    conn: &mut DbConn,
    follower: i64,
    candidates: &[i64],
) -> QueryResult<Vec<i64>> {
    follows::table
        .filter(follows::account_id.eq(follower))
        .filter(follows::accepted.eq(true))
        .filter(follows::target_account_id.eq_any(candidates))
        .select(follows::target_account_id)
        .load(conn)
}

/// (account id, followers, following) counts of accepted follows, as the
/// triggers of `account_stats` keep them.
pub fn counts(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<(i64, i64, i64)>> {
    use super::schema::account_stats;
    let rows: Vec<(i64, i64, i64)> = account_stats::table
        .filter(account_stats::account_id.eq_any(ids))
        .select((
            account_stats::account_id,
            account_stats::followers_count,
            account_stats::following_count,
        ))
        .load(conn)?;
    Ok(ids
        .iter()
        .map(|id| {
            rows.iter()
                .find(|(a, _, _)| a == id)
                .copied()
                .unwrap_or((*id, 0, 0))
        })
        .collect())
}

/// ActivityPub ids of the followers or followees of a local account
/// (for its collections), newest first.
pub fn ap_ids(
    conn: &mut DbConn,
    side: Side,
    account_id: i64,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<String>> {
    let q = follows::table
        .filter(follows::accepted.eq(true))
        .order(follows::id.desc())
        .offset(offset)
        .limit(limit);
    match side {
        Side::Followers => q
            .filter(follows::target_account_id.eq(account_id))
            .inner_join(accounts::table.on(accounts::id.eq(follows::account_id)))
            .select(accounts::ap_id)
            .load(conn),
        Side::Following => q
            .filter(follows::account_id.eq(account_id))
            .inner_join(accounts::table.on(accounts::id.eq(follows::target_account_id)))
            .select(accounts::ap_id)
            .load(conn),
    }
}

/// The accounts `me` follows (accepted).
pub fn followed_ids(conn: &mut DbConn, me: i64) -> QueryResult<Vec<i64>> {
    follows::table
        .filter(follows::account_id.eq(me))
        .filter(follows::accepted.eq(true))
        .select(follows::target_account_id)
        .load(conn)
}

/// Accounts followed by the accounts `me` follows, most shared first,
/// leaving out `excluded`.
pub fn followed_by_followed(
    conn: &mut DbConn,
    me: i64,
    excluded: &[i64],
    limit: i64,
) -> QueryResult<Vec<i64>> {
    let mine = followed_ids(conn, me)?;
    if mine.is_empty() {
        return Ok(vec![]);
    }
    let rows: Vec<(i64, i64)> = follows::table
        .filter(follows::account_id.eq_any(mine))
        .filter(follows::accepted.eq(true))
        .filter(follows::target_account_id.ne_all(excluded))
        .group_by(follows::target_account_id)
        .select((follows::target_account_id, diesel::dsl::count_star()))
        .order((diesel::dsl::count_star().desc(), follows::target_account_id))
        .limit(limit)
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, _)| id).collect())
}

/// Local accounts with the most followers, leaving out `excluded`.
pub fn most_followed_local(
    conn: &mut DbConn,
    excluded: &[i64],
    limit: i64,
) -> QueryResult<Vec<i64>> {
    let rows: Vec<(i64, i64)> = follows::table
        .inner_join(accounts::table.on(accounts::id.eq(follows::target_account_id)))
        .filter(accounts::domain.is_null())
        .filter(follows::accepted.eq(true))
        .filter(follows::target_account_id.ne_all(excluded))
        .group_by(follows::target_account_id)
        .select((follows::target_account_id, diesel::dsl::count_star()))
        .order((diesel::dsl::count_star().desc(), follows::target_account_id))
        .limit(limit)
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, _)| id).collect())
}

/// Followers of `target` that `me` follows too.
pub fn followers_among_followed(
    conn: &mut DbConn,
    me: i64,
    target: i64,
    limit: i64,
) -> QueryResult<Vec<i64>> {
    let mine = followed_ids(conn, me)?;
    follows::table
        .filter(follows::target_account_id.eq(target))
        .filter(follows::accepted.eq(true))
        .filter(follows::account_id.eq_any(mine))
        .select(follows::account_id)
        .limit(limit)
        .load(conn)
}
