//! Statuses (posts), local and remote, and the queries that list them.
//!
//! [`visible_to`] is the one place that says who may read a status.

use super::{
    accounts::Account,
    schema::{accounts, board_moderators, board_posts, boards, follows, mentions, statuses, users},
    DbConn, Hidden, MultiBackend, Page,
};
use chrono::NaiveDateTime;
use diesel::{dsl, prelude::*, sql_types::Bool};
use std::collections::HashMap;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Identifiable, AsChangeset)]
#[diesel(table_name = statuses, treat_none_as_null = true)]
pub struct Status {
    pub id: i64,
    pub ap_id: String,
    pub url: Option<String>,
    pub account_id: i64,
    pub local: bool,
    pub in_reply_to_ap_id: Option<String>,
    pub in_reply_to_id: Option<i64>,
    pub in_reply_to_account_id: Option<i64>,
    /// Sanitized HTML.
    pub content: String,
    /// What the author typed (local statuses).
    pub source_text: Option<String>,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub language: Option<String>,
    /// public, unlisted, private or direct.
    pub visibility: String,
    pub created_at: NaiveDateTime,
    pub edited_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
    /// For a reblog: the status it shares (its own text is empty).
    pub reblog_of_id: Option<i64>,
}

impl Status {
    pub fn is_reblog(&self) -> bool {
        self.reblog_of_id.is_some()
    }
}

pub(super) type Query = statuses::BoxedQuery<'static, MultiBackend>;
type Predicate = Box<dyn BoxableExpression<statuses::table, MultiBackend, SqlType = Bool>>;

/// Who may read a status: everyone for public and unlisted ones; the author,
/// the author's accepted followers (private) and the mentioned (private,
/// direct); for a board's members-only post (`members`), the board's members
/// and moderators, or every teacher here for a district-only board.
pub fn visible_to(viewer: Option<i64>) -> Predicate {
    let open = statuses::visibility.eq_any(["public", "unlisted"]);
    let Some(me) = viewer else {
        return Box::new(open);
    };
    let members_only = statuses::visibility.eq("members");
    // The posts kept in boards whose members-only posts `me` may read: the
    // boards `me` is, follows or moderates, and, for a teacher of this
    // server, its district-only boards.
    let in_boards_of_mine = || {
        board_posts::table
            .filter(
                board_posts::board_id
                    .eq(me)
                    .or(board_posts::board_id.eq_any(followed_by(me)))
                    .or(board_posts::board_id.eq_any(
                        board_moderators::table
                            .filter(board_moderators::account_id.eq(me))
                            .select(board_moderators::board_id),
                    ))
                    .or(board_posts::board_id
                        .eq_any(
                            boards::table
                                .filter(boards::kind.eq("district"))
                                .select(boards::account_id),
                        )
                        .and(dsl::exists(users::table.filter(users::account_id.eq(me))))),
            )
            .select(board_posts::status_id)
    };
    Box::new(
        open.or(statuses::account_id.eq(me))
            .or(statuses::visibility
                .eq("private")
                .and(statuses::account_id.eq_any(followed_by(me))))
            .or(statuses::visibility
                .ne("members")
                .and(statuses::id.eq_any(mentioning(me))))
            .or(members_only.and(
                statuses::id
                    .eq_any(in_boards_of_mine())
                    .or(statuses::reblog_of_id
                        .assume_not_null()
                        .eq_any(in_boards_of_mine())),
            )),
    )
}

pub(super) type FollowedBy = dsl::Select<
    dsl::Filter<
        follows::table,
        dsl::And<dsl::Eq<follows::account_id, i64>, dsl::Eq<follows::accepted, bool>>,
    >,
    follows::target_account_id,
>;
pub(super) type Mentioning = dsl::Select<
    dsl::Filter<mentions::table, dsl::Eq<mentions::account_id, i64>>,
    mentions::status_id,
>;

/// Ids of the accounts `me` follows (accepted).
pub(super) fn followed_by(me: i64) -> FollowedBy {
    follows::table
        .filter(follows::account_id.eq(me).and(follows::accepted.eq(true)))
        .select(follows::target_account_id)
}

pub(super) type FollowedWithReblogs = dsl::Select<
    dsl::Filter<
        follows::table,
        dsl::And<
            dsl::And<dsl::Eq<follows::account_id, i64>, dsl::Eq<follows::accepted, bool>>,
            dsl::Eq<follows::show_reblogs, bool>,
        >,
    >,
    follows::target_account_id,
>;

/// Ids of the accounts `me` follows whose reblogs `me` wants to see.
pub(super) fn followed_with_reblogs(me: i64) -> FollowedWithReblogs {
    follows::table
        .filter(
            follows::account_id
                .eq(me)
                .and(follows::accepted.eq(true))
                .and(follows::show_reblogs.eq(true)),
        )
        .select(follows::target_account_id)
}

/// Ids of the statuses that mention `me`.
pub(super) fn mentioning(me: i64) -> Mentioning {
    mentions::table
        .filter(mentions::account_id.eq(me))
        .select(mentions::status_id)
}

/// Store a new status, and put it in the home feeds it reaches.
pub fn insert(conn: &mut DbConn, status: &Status) -> QueryResult<()> {
    diesel::insert_into(statuses::table)
        .values(status)
        .execute(conn)?;
    super::home_feeds::status_added(conn, status.id, status.account_id)
}

pub fn update(conn: &mut DbConn, status: &Status) -> QueryResult<()> {
    diesel::update(statuses::table.find(status.id))
        .set(status)
        .execute(conn)
        .map(|_| ())
}

pub fn delete(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    // Its reblogs go with it; replies stay, pointing at a parent that is gone
    // (as Mastodon keeps them).
    diesel::delete(statuses::table.filter(statuses::reblog_of_id.eq(id))).execute(conn)?;
    diesel::update(statuses::table.filter(statuses::in_reply_to_id.eq(id)))
        .set(statuses::in_reply_to_id.eq(None::<i64>))
        .execute(conn)?;
    diesel::delete(statuses::table.find(id))
        .execute(conn)
        .map(|_| ())
}

pub fn by_id(conn: &mut DbConn, id: i64) -> QueryResult<Option<Status>> {
    statuses::table
        .find(id)
        .select(Status::as_select())
        .first(conn)
        .optional()
}

pub fn by_ap_id(conn: &mut DbConn, ap_id: &str) -> QueryResult<Option<Status>> {
    statuses::table
        .filter(statuses::ap_id.eq(ap_id))
        .select(Status::as_select())
        .first(conn)
        .optional()
}

pub fn by_ap_id_or_url(conn: &mut DbConn, url: &str) -> QueryResult<Option<Status>> {
    statuses::table
        .filter(statuses::ap_id.eq(url).or(statuses::url.eq(url)))
        .select(Status::as_select())
        .first(conn)
        .optional()
}

/// A status if `viewer` may read it.
pub fn visible(conn: &mut DbConn, id: i64, viewer: Option<i64>) -> QueryResult<Option<Status>> {
    statuses::table
        .into_boxed()
        .filter(statuses::id.eq(id))
        .filter(visible_to(viewer))
        .first(conn)
        .optional()
}

/// Statuses with the given ids that `viewer` may read, in no particular order.
pub fn visible_many(
    conn: &mut DbConn,
    ids: &[i64],
    viewer: Option<i64>,
) -> QueryResult<Vec<Status>> {
    statuses::table
        .into_boxed()
        .filter(statuses::id.eq_any(ids.to_vec()))
        .filter(visible_to(viewer))
        .load(conn)
}

/// Attach replies that arrived before their parent.
pub fn adopt_orphans(conn: &mut DbConn, parent: &Status) -> QueryResult<usize> {
    diesel::update(
        statuses::table
            .filter(statuses::in_reply_to_ap_id.eq(&parent.ap_id))
            .filter(statuses::in_reply_to_id.is_null()),
    )
    .set((
        statuses::in_reply_to_id.eq(parent.id),
        statuses::in_reply_to_account_id.eq(parent.account_id),
    ))
    .execute(conn)
}

/// Direct replies to any of `parents` that `viewer` may read, oldest first.
pub fn replies_to(
    conn: &mut DbConn,
    parents: &[i64],
    viewer: Option<i64>,
    hidden: &Hidden,
) -> QueryResult<Vec<Status>> {
    let q = statuses::table
        .into_boxed()
        .filter(statuses::in_reply_to_id.eq_any(parents.to_vec()))
        .filter(visible_to(viewer));
    not_hidden(q, hidden).order(statuses::id.asc()).load(conn)
}

/// Number of replies to each of `ids`.
pub fn replies_counts(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, i64>> {
    let rows: Vec<(Option<i64>, i64)> = statuses::table
        .filter(statuses::in_reply_to_id.eq_any(ids))
        .group_by(statuses::in_reply_to_id)
        .select((statuses::in_reply_to_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, n)| Some((id?, n)))
        .collect())
}

/// Number of reblogs of each of `ids`.
pub fn reblog_counts(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, i64>> {
    let rows: Vec<(Option<i64>, i64)> = statuses::table
        .filter(statuses::reblog_of_id.eq_any(ids))
        .group_by(statuses::reblog_of_id)
        .select((statuses::reblog_of_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, n)| Some((id?, n)))
        .collect())
}

/// Which of `ids` `account_id` reblogged.
pub fn reblogged(conn: &mut DbConn, account_id: i64, ids: &[i64]) -> QueryResult<Vec<i64>> {
    let rows: Vec<Option<i64>> = statuses::table
        .filter(statuses::account_id.eq(account_id))
        .filter(statuses::reblog_of_id.eq_any(ids))
        .select(statuses::reblog_of_id)
        .load(conn)?;
    Ok(rows.into_iter().flatten().collect())
}

/// `account_id`'s reblog of `original_id`, if any.
pub fn reblog_by(
    conn: &mut DbConn,
    account_id: i64,
    original_id: i64,
) -> QueryResult<Option<Status>> {
    statuses::table
        .filter(statuses::account_id.eq(account_id))
        .filter(statuses::reblog_of_id.eq(original_id))
        .select(Status::as_select())
        .first(conn)
        .optional()
}

/// The reblogs of a status: (reblog id, booster's account id), newest first.
pub fn reblogs_of(conn: &mut DbConn, original_id: i64, p: &Page) -> QueryResult<Vec<(i64, i64)>> {
    let q = statuses::table
        .filter(statuses::reblog_of_id.eq(original_id))
        .select((statuses::id, statuses::account_id))
        .into_boxed();
    crate::load_page!(q, statuses::id, p, conn)
}

/// The ids of the reblogs of a status.
pub fn reblog_ids(conn: &mut DbConn, original_id: i64) -> QueryResult<Vec<i64>> {
    statuses::table
        .filter(statuses::reblog_of_id.eq(original_id))
        .select(statuses::id)
        .load(conn)
}

/// The accounts that reblogged a status.
pub fn rebloggers(conn: &mut DbConn, original_id: i64) -> QueryResult<Vec<Account>> {
    statuses::table
        .inner_join(accounts::table.on(accounts::id.eq(statuses::account_id)))
        .filter(statuses::reblog_of_id.eq(original_id))
        .select(Account::as_select())
        .load(conn)
}

/// Statuses count and date of the latest status of each account.
/// (statuses count, last status time) of each of `ids` that has any, as
/// the triggers of `account_stats` keep them.
pub fn account_stats(
    conn: &mut DbConn,
    ids: &[i64],
) -> QueryResult<HashMap<i64, (i64, Option<NaiveDateTime>)>> {
    use super::schema::account_stats;
    let rows: Vec<(i64, i64, Option<NaiveDateTime>)> = account_stats::table
        .filter(account_stats::account_id.eq_any(ids))
        .select((
            account_stats::account_id,
            account_stats::statuses_count,
            account_stats::last_status_at,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, n, at)| (id, (n, at))).collect())
}

/// Leave out statuses by the accounts and servers `hidden` names.
pub(super) fn not_hidden(mut q: Query, hidden: &Hidden) -> Query {
    if !hidden.accounts.is_empty() {
        q = q.filter(statuses::account_id.ne_all(hidden.accounts.clone()));
    }
    if !hidden.domains.is_empty() {
        q = q.filter(
            statuses::account_id.ne_all(
                accounts::table
                    .filter(accounts::domain.eq_any(hidden.domains.clone()))
                    .select(accounts::id),
            ),
        );
    }
    q
}

/// Statuses posted on this server (by its accounts), from the counts
/// `account_stats` keeps.
pub fn count_local(conn: &mut DbConn) -> QueryResult<i64> {
    use super::schema::account_stats;
    let total: Option<i64> = account_stats::table
        .inner_join(accounts::table.on(accounts::id.eq(account_stats::account_id)))
        .filter(accounts::domain.is_null())
        .select(dsl::sql::<
            diesel::sql_types::Nullable<diesel::sql_types::BigInt>,
        >(
            "CAST(SUM(account_stats.statuses_count) AS BIGINT)"
        ))
        .first::<Option<i64>>(conn)?;
    Ok(total.unwrap_or(0))
}

/// Local accounts that posted since `since` (their last status is newer).
pub fn active_local_authors(conn: &mut DbConn, since: NaiveDateTime) -> QueryResult<i64> {
    use super::schema::account_stats;
    account_stats::table
        .inner_join(accounts::table.on(accounts::id.eq(account_stats::account_id)))
        .filter(accounts::domain.is_null())
        .filter(account_stats::last_status_at.ge(since))
        .count()
        .get_result(conn)
}
