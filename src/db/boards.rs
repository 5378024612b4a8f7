//! Discussion boards: what only boards have (their account row holds the
//! rest) and their moderators.

use super::{
    accounts::Account,
    schema::{accounts, board_mod_log, board_moderators, board_posts, boards, statuses},
    statuses::Status,
    DbConn,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = boards)]
pub struct Board {
    pub account_id: i64,
    /// `federated`, `private` or `district`.
    pub kind: String,
    pub title: String,
    pub description_source: String,
    /// JSON lists of strings.
    pub rules: String,
    pub subjects: String,
    pub grade_bands: String,
    pub posting_restricted_to_mods: bool,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, b: &Board) -> QueryResult<()> {
    diesel::insert_into(boards::table)
        .values(b)
        .execute(conn)
        .map(drop)
}

pub fn update(conn: &mut DbConn, b: &Board) -> QueryResult<()> {
    diesel::update(boards::table.find(b.account_id))
        .set(b)
        .execute(conn)
        .map(drop)
}

pub fn get(conn: &mut DbConn, account_id: i64) -> QueryResult<Option<Board>> {
    boards::table
        .find(account_id)
        .select(Board::as_select())
        .first(conn)
        .optional()
}

/// Every board of this server with its account, by name.
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<(Board, Account)>> {
    boards::table
        .inner_join(accounts::table)
        .order(accounts::username)
        .select((Board::as_select(), Account::as_select()))
        .load(conn)
}

pub fn add_moderator(conn: &mut DbConn, board_id: i64, account_id: i64) -> QueryResult<()> {
    if is_moderator(conn, board_id, account_id)? {
        return Ok(());
    }
    diesel::insert_into(board_moderators::table)
        .values((
            board_moderators::board_id.eq(board_id),
            board_moderators::account_id.eq(account_id),
            board_moderators::created_at.eq(super::now()),
        ))
        .execute(conn)
        .map(drop)
}

pub fn remove_moderator(conn: &mut DbConn, board_id: i64, account_id: i64) -> QueryResult<bool> {
    Ok(diesel::delete(
        board_moderators::table
            .filter(board_moderators::board_id.eq(board_id))
            .filter(board_moderators::account_id.eq(account_id)),
    )
    .execute(conn)?
        > 0)
}

pub fn is_moderator(conn: &mut DbConn, board_id: i64, account_id: i64) -> QueryResult<bool> {
    let n: i64 = board_moderators::table
        .filter(board_moderators::board_id.eq(board_id))
        .filter(board_moderators::account_id.eq(account_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The moderators of a board, in the order they were appointed.
pub fn moderators(conn: &mut DbConn, board_id: i64) -> QueryResult<Vec<Account>> {
    board_moderators::table
        .inner_join(accounts::table.on(accounts::id.eq(board_moderators::account_id)))
        .filter(board_moderators::board_id.eq(board_id))
        .order((board_moderators::created_at, accounts::id))
        .select(Account::as_select())
        .load(conn)
}

/// Record that `board_id` took in the post `status_id` (once): a thread
/// (with its title, if it has one) or, with `thread_id`, a reply kept in
/// the board.
pub fn add_post(
    conn: &mut DbConn,
    board_id: i64,
    status_id: i64,
    title: Option<&str>,
    thread_id: Option<i64>,
) -> QueryResult<bool> {
    let there: i64 = board_posts::table
        .filter(board_posts::status_id.eq(status_id))
        .count()
        .get_result(conn)?;
    if there > 0 {
        return Ok(false);
    }
    diesel::insert_into(board_posts::table)
        .values((
            board_posts::status_id.eq(status_id),
            board_posts::board_id.eq(board_id),
            board_posts::title.eq(title),
            board_posts::created_at.eq(super::now()),
            board_posts::thread_id.eq(thread_id),
        ))
        .execute(conn)?;
    Ok(true)
}

/// A thread of a board: its first post, title and whether it is locked.
pub type ThreadRow = (Status, Option<String>, bool);

/// How a page of a board's threads is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadOrder {
    /// Newest first.
    Newest,
    /// Latest direct reply (or start) first.
    Active,
    /// Most direct replies and favourites first, among threads started
    /// since the given time.
    Top(NaiveDateTime),
}

/// A page of the threads of `board_id` that `viewer` may read, sorted by
/// the database (newest walks the board's index; active and top rank the
/// board's threads with one index probe each), `limit` from `offset`.
pub fn thread_page(
    conn: &mut DbConn,
    board_id: i64,
    viewer: Option<i64>,
    order: ThreadOrder,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<ThreadRow>> {
    use diesel::{dsl::sql, sql_types::BigInt};
    let mut q = statuses::table
        .into_boxed()
        .filter(
            statuses::id.eq_any(
                board_posts::table
                    .filter(board_posts::board_id.eq(board_id))
                    .filter(board_posts::thread_id.is_null())
                    .select(board_posts::status_id),
            ),
        )
        .filter(super::statuses::visible_to(viewer));
    // The latest direct reply's time, or the start's when it is later.
    const LAST_ACTIVITY: &str = "CASE WHEN (SELECT max(r.created_at) FROM statuses r \
         WHERE r.in_reply_to_id = statuses.id) > statuses.created_at \
         THEN (SELECT max(r.created_at) FROM statuses r WHERE r.in_reply_to_id = statuses.id) \
         ELSE statuses.created_at END";
    const SCORE: &str = "(SELECT count(*) FROM statuses r WHERE r.in_reply_to_id = statuses.id) \
         + (SELECT count(*) FROM favourites f WHERE f.status_id = statuses.id)";
    q = match order {
        ThreadOrder::Newest => q.order(statuses::id.desc()),
        ThreadOrder::Active => q
            .order(sql::<diesel::sql_types::Timestamp>(LAST_ACTIVITY).desc())
            .then_order_by(statuses::id.desc()),
        ThreadOrder::Top(since) => q
            .filter(statuses::created_at.ge(since))
            .order(sql::<BigInt>(SCORE).desc())
            .then_order_by(statuses::id.desc()),
    };
    let page: Vec<Status> = q
        .offset(offset)
        .limit(limit)
        .select(Status::as_select())
        .load(conn)?;
    let ids: Vec<i64> = page.iter().map(|s| s.id).collect();
    let marks: Vec<(i64, Option<String>, bool)> = board_posts::table
        .filter(board_posts::status_id.eq_any(&ids))
        .select((
            board_posts::status_id,
            board_posts::title,
            board_posts::locked,
        ))
        .load(conn)?;
    Ok(page
        .into_iter()
        .map(|s| {
            let (title, locked) = marks
                .iter()
                .find(|(id, _, _)| *id == s.id)
                .map(|(_, t, l)| (t.clone(), *l))
                .unwrap_or((None, false));
            (s, title, locked)
        })
        .collect())
}

/// A post a board took in, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardPost {
    pub board_id: i64,
    /// Whether the thread is locked (thread starters only).
    pub locked: bool,
    /// For a reply kept in the board: its thread.
    pub thread_id: Option<i64>,
    /// A thread's title (threads started with one).
    pub title: Option<String>,
}

/// The board that took in `status_id`, if one did.
pub fn post(conn: &mut DbConn, status_id: i64) -> QueryResult<Option<BoardPost>> {
    board_posts::table
        .filter(board_posts::status_id.eq(status_id))
        .select((
            board_posts::board_id,
            board_posts::locked,
            board_posts::thread_id,
            board_posts::title,
        ))
        .first(conn)
        .optional()
        .map(|row| {
            row.map(|(board_id, locked, thread_id, title)| BoardPost {
                board_id,
                locked,
                thread_id,
                title,
            })
        })
}

/// Give the thread `status_id` starts a new title.
pub fn set_title(conn: &mut DbConn, status_id: i64, title: &str) -> QueryResult<()> {
    diesel::update(
        board_posts::table
            .filter(board_posts::status_id.eq(status_id))
            .filter(board_posts::thread_id.is_null()),
    )
    .set(board_posts::title.eq(title))
    .execute(conn)?;
    Ok(())
}

/// Lock (`on`) or unlock a thread of `board_id`; false if it is not one.
pub fn set_locked(conn: &mut DbConn, board_id: i64, status_id: i64, on: bool) -> QueryResult<bool> {
    Ok(diesel::update(
        board_posts::table
            .filter(board_posts::board_id.eq(board_id))
            .filter(board_posts::status_id.eq(status_id))
            .filter(board_posts::thread_id.is_null()),
    )
    .set(board_posts::locked.eq(on))
    .execute(conn)?
        > 0)
}

/// When each of `ids` last got a direct reply.
pub fn latest_replies(
    conn: &mut DbConn,
    ids: &[i64],
) -> QueryResult<std::collections::HashMap<i64, NaiveDateTime>> {
    let rows: Vec<(Option<i64>, Option<NaiveDateTime>)> = statuses::table
        .filter(statuses::in_reply_to_id.eq_any(ids))
        .group_by(statuses::in_reply_to_id)
        .select((
            statuses::in_reply_to_id,
            diesel::dsl::max(statuses::created_at),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, at)| Some((id?, at?)))
        .collect())
}

/// How many threads each board has.
pub fn thread_count(conn: &mut DbConn, board_id: i64) -> QueryResult<i64> {
    board_posts::table
        .filter(board_posts::board_id.eq(board_id))
        .filter(board_posts::thread_id.is_null())
        .count()
        .get_result(conn)
}

/// Where a status is in a board.
#[derive(Debug, Clone)]
pub struct Place {
    pub status_id: i64,
    /// The board's actor id.
    pub board_ap_id: String,
    /// The board's followers (members) collection.
    pub board_followers: Option<String>,
    /// The thread's title (thread starters only).
    pub title: Option<String>,
    /// Whether the status starts the thread.
    pub starter: bool,
    /// The thread's first post's id (its `context`, FEP-7888).
    pub thread_ap_id: Option<String>,
}

/// For each of `ids` in a board (itself taken in, or replying to a post
/// that was; `parents` pairs statuses with the ones they reply to).
pub fn places(conn: &mut DbConn, ids: &[i64], parents: &[(i64, i64)]) -> QueryResult<Vec<Place>> {
    let mut wanted: Vec<i64> = ids.to_vec();
    wanted.extend(parents.iter().map(|(_, parent)| *parent));
    type Row = (i64, String, Option<String>, Option<String>, Option<i64>);
    let rows: Vec<Row> = board_posts::table
        .inner_join(accounts::table.on(accounts::id.eq(board_posts::board_id)))
        .filter(board_posts::status_id.eq_any(wanted))
        .select((
            board_posts::status_id,
            accounts::ap_id,
            accounts::followers_url,
            board_posts::title,
            board_posts::thread_id,
        ))
        .load(conn)?;
    let mut out = vec![];
    let mut threads: Vec<(usize, i64)> = vec![];
    for id in ids {
        if let Some((_, board, followers, title, thread)) = rows.iter().find(|(s, ..)| s == id) {
            threads.push((out.len(), thread.unwrap_or(*id)));
            out.push(Place {
                status_id: *id,
                board_ap_id: board.clone(),
                board_followers: followers.clone(),
                title: title.clone().filter(|_| thread.is_none()),
                starter: thread.is_none(),
                thread_ap_id: None,
            });
        } else if let Some((_, parent)) = parents.iter().find(|(s, _)| s == id) {
            if let Some((_, board, followers, _, thread)) = rows.iter().find(|(s, ..)| s == parent)
            {
                threads.push((out.len(), thread.unwrap_or(*parent)));
                out.push(Place {
                    status_id: *id,
                    board_ap_id: board.clone(),
                    board_followers: followers.clone(),
                    title: None,
                    starter: false,
                    thread_ap_id: None,
                });
            }
        }
    }
    let thread_ids: Vec<i64> = threads.iter().map(|(_, t)| *t).collect();
    let ap_ids: Vec<(i64, String)> = statuses::table
        .filter(statuses::id.eq_any(thread_ids))
        .select((statuses::id, statuses::ap_id))
        .load(conn)?;
    for (i, thread) in threads {
        out[i].thread_ap_id = ap_ids
            .iter()
            .find(|(id, _)| *id == thread)
            .map(|(_, ap)| ap.clone());
    }
    Ok(out)
}

/// One moderator action.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = board_mod_log)]
pub struct ModAction {
    pub id: i64,
    pub board_id: i64,
    pub moderator_id: i64,
    pub action: String,
    pub target_account_id: Option<i64>,
    pub target_status_id: Option<i64>,
    pub reason: String,
    pub created_at: NaiveDateTime,
}

pub fn log_action(conn: &mut DbConn, a: &ModAction) -> QueryResult<()> {
    diesel::insert_into(board_mod_log::table)
        .values(a)
        .execute(conn)
        .map(drop)
}

/// A board's moderation log, newest first, older than `max_id` if given.
pub fn mod_log(
    conn: &mut DbConn,
    board_id: i64,
    max_id: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<ModAction>> {
    let mut q = board_mod_log::table
        .filter(board_mod_log::board_id.eq(board_id))
        .into_boxed();
    if let Some(max) = max_id {
        q = q.filter(board_mod_log::id.lt(max));
    }
    q.order(board_mod_log::id.desc())
        .limit(limit)
        .select(ModAction::as_select())
        .load(conn)
}
