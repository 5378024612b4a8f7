//! Polls and their votes.

use super::{
    accounts::Account,
    schema::{accounts, poll_votes, polls},
    DbConn,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = polls, treat_none_as_null = true)]
pub struct Poll {
    pub id: i64,
    pub status_id: i64,
    /// JSON list of [`PollOption`].
    pub options: String,
    pub multiple: bool,
    pub hide_totals: bool,
    pub expires_at: Option<NaiveDateTime>,
    /// Remote polls: the voter count their server reports.
    pub voters_count: Option<i64>,
    pub closed_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

/// One choice of a poll; `votes` is what a remote server reports.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PollOption {
    pub title: String,
    #[serde(default)]
    pub votes: i64,
}

impl Poll {
    pub fn option_list(&self) -> Vec<PollOption> {
        serde_json::from_str(&self.options).unwrap_or_default()
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = poll_votes)]
pub struct Vote {
    pub id: i64,
    pub poll_id: i64,
    pub account_id: i64,
    pub choice: i32,
    pub ap_id: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, p: &Poll) -> QueryResult<()> {
    diesel::insert_into(polls::table)
        .values(p)
        .execute(conn)
        .map(|_| ())
}

pub fn update(conn: &mut DbConn, p: &Poll) -> QueryResult<()> {
    diesel::update(polls::table.find(p.id))
        .set(p)
        .execute(conn)
        .map(|_| ())
}

/// Delete a poll and its votes.
pub fn delete(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::delete(polls::table.find(id))
        .execute(conn)
        .map(|_| ())
}

pub fn get(conn: &mut DbConn, id: i64) -> QueryResult<Option<Poll>> {
    polls::table
        .find(id)
        .select(Poll::as_select())
        .first(conn)
        .optional()
}

pub fn of_status(conn: &mut DbConn, status_id: i64) -> QueryResult<Option<Poll>> {
    polls::table
        .filter(polls::status_id.eq(status_id))
        .select(Poll::as_select())
        .first(conn)
        .optional()
}

/// The polls of each of `status_ids`.
pub fn of_statuses(conn: &mut DbConn, status_ids: &[i64]) -> QueryResult<Vec<Poll>> {
    polls::table
        .filter(polls::status_id.eq_any(status_ids))
        .select(Poll::as_select())
        .load(conn)
}

/// Polls that ended but were not closed yet.
pub fn ended_unclosed(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<Vec<Poll>> {
    polls::table
        .filter(polls::expires_at.le(now))
        .filter(polls::closed_at.is_null())
        .select(Poll::as_select())
        .limit(500)
        .load(conn)
}

pub fn insert_vote(conn: &mut DbConn, v: &Vote) -> QueryResult<()> {
    diesel::insert_into(poll_votes::table)
        .values(v)
        .execute(conn)
        .map(|_| ())
}

pub fn delete_votes(conn: &mut DbConn, poll_id: i64) -> QueryResult<()> {
    diesel::delete(poll_votes::table.filter(poll_votes::poll_id.eq(poll_id)))
        .execute(conn)
        .map(|_| ())
}

/// The choices `account_id` made in each of `poll_ids`.
pub fn choices_of(
    conn: &mut DbConn,
    account_id: i64,
    poll_ids: &[i64],
) -> QueryResult<HashMap<i64, Vec<i32>>> {
    let rows: Vec<(i64, i32)> = poll_votes::table
        .filter(poll_votes::account_id.eq(account_id))
        .filter(poll_votes::poll_id.eq_any(poll_ids))
        .order(poll_votes::choice)
        .select((poll_votes::poll_id, poll_votes::choice))
        .load(conn)?;
    let mut out: HashMap<i64, Vec<i32>> = HashMap::new();
    for (poll, choice) in rows {
        out.entry(poll).or_default().push(choice);
    }
    Ok(out)
}

/// Votes per choice and distinct voters, counted from the votes stored here.
pub fn tally(conn: &mut DbConn, poll_id: i64) -> QueryResult<(HashMap<i32, i64>, i64)> {
    let rows: Vec<(i32, i64)> = poll_votes::table
        .filter(poll_votes::poll_id.eq(poll_id))
        .select((poll_votes::choice, poll_votes::account_id))
        .load(conn)?;
    let mut counts: HashMap<i32, i64> = HashMap::new();
    let mut voters: Vec<i64> = vec![];
    for (choice, account) in rows {
        *counts.entry(choice).or_default() += 1;
        voters.push(account);
    }
    voters.sort_unstable();
    voters.dedup();
    Ok((counts, voters.len() as i64))
}

/// Everyone who voted in a poll.
pub fn voters(conn: &mut DbConn, poll_id: i64) -> QueryResult<Vec<Account>> {
    poll_votes::table
        .inner_join(accounts::table.on(accounts::id.eq(poll_votes::account_id)))
        .filter(poll_votes::poll_id.eq(poll_id))
        .select(Account::as_select())
        .distinct()
        .load(conn)
}

/// Local accounts that voted in a poll.
pub fn local_voters(conn: &mut DbConn, poll_id: i64) -> QueryResult<Vec<Account>> {
    poll_votes::table
        .inner_join(accounts::table.on(accounts::id.eq(poll_votes::account_id)))
        .filter(poll_votes::poll_id.eq(poll_id))
        .filter(accounts::domain.is_null())
        .select(Account::as_select())
        .distinct()
        .load(conn)
}
