//! Polls: asked with a status, answered by local and remote voters, counted,
//! and closed when they end (voters and the author are notified).

use crate::core::views::poll_views;
pub use crate::core::views::PollView;
use crate::core::{
    error::{CoreError, CoreResult},
    found, notifications,
    ports::Outgoing,
    visibility, Core,
};
use crate::db::{
    self, accounts,
    accounts::{Account, Recipient},
    polls::{self, Poll, PollOption, Vote},
    statuses::{self, Status},
    DbConn,
};
use chrono::NaiveDateTime;

pub const MAX_OPTIONS: usize = 4;
pub const OPTION_MAX_CHARS: usize = 50;
pub const MIN_EXPIRY_SECS: i64 = 300;
pub const MAX_EXPIRY_SECS: i64 = 2_629_746;

/// A poll asked with a new status.
#[derive(Debug, Clone)]
pub struct NewPoll {
    pub options: Vec<String>,
    pub expires_in: i64,
    pub multiple: bool,
    pub hide_totals: bool,
}

/// A poll as another server describes it.
#[derive(Debug, Clone)]
pub struct RemotePoll {
    pub options: Vec<PollOption>,
    pub multiple: bool,
    pub expires_at: Option<NaiveDateTime>,
    pub voters_count: Option<i64>,
    pub closed: bool,
}

pub fn check_new_poll(p: &NewPoll) -> CoreResult<()> {
    let n = p.options.len();
    if !(2..=MAX_OPTIONS).contains(&n) {
        return Err(CoreError::Invalid(format!(
            "Validation failed: a poll has 2 to {MAX_OPTIONS} options"
        )));
    }
    if p.options
        .iter()
        .any(|o| o.trim().is_empty() || o.chars().count() > OPTION_MAX_CHARS)
    {
        return Err(CoreError::Invalid(format!(
            "Validation failed: poll options have 1 to {OPTION_MAX_CHARS} characters"
        )));
    }
    let mut seen: Vec<String> = p.options.iter().map(|o| o.trim().to_lowercase()).collect();
    seen.sort();
    seen.dedup();
    if seen.len() != n {
        return Err(CoreError::Invalid(
            "Validation failed: poll options must differ".into(),
        ));
    }
    if !(MIN_EXPIRY_SECS..=MAX_EXPIRY_SECS).contains(&p.expires_in) {
        return Err(CoreError::Invalid(format!(
            "Validation failed: a poll lasts {MIN_EXPIRY_SECS} to {MAX_EXPIRY_SECS} seconds"
        )));
    }
    Ok(())
}

/// Attach a new poll to a local status.
pub(crate) fn create(
    conn: &mut DbConn,
    core: &Core,
    status: &Status,
    p: NewPoll,
) -> CoreResult<Poll> {
    let options: Vec<PollOption> = p
        .options
        .iter()
        .map(|t| PollOption {
            title: t.trim().to_string(),
            votes: 0,
        })
        .collect();
    let poll = Poll {
        id: core.next_id(),
        status_id: status.id,
        options: serde_json::to_string(&options).unwrap_or_else(|_| "[]".into()),
        multiple: p.multiple,
        hide_totals: p.hide_totals,
        expires_at: Some(db::now() + chrono::Duration::seconds(p.expires_in)),
        voters_count: None,
        closed_at: None,
        created_at: db::now(),
    };
    polls::insert(conn, &poll)?;
    Ok(poll)
}

/// Replace the poll of an edited local status (its votes start over).
pub(crate) fn replace(
    conn: &mut DbConn,
    core: &Core,
    status: &Status,
    p: NewPoll,
) -> CoreResult<()> {
    if let Some(old) = polls::of_status(conn, status.id)? {
        let same = old
            .option_list()
            .iter()
            .map(|o| o.title.as_str())
            .eq(p.options.iter().map(|o| o.trim()));
        if same && old.multiple == p.multiple {
            return Ok(());
        }
        polls::delete(conn, old.id)?;
    }
    create(conn, core, status, p).map(|_| ())
}

/// Store (or refresh) the poll of a remote status.
pub(crate) fn store_remote(
    conn: &mut DbConn,
    core: &Core,
    status: &Status,
    p: RemotePoll,
) -> CoreResult<()> {
    let options = serde_json::to_string(&p.options).unwrap_or_else(|_| "[]".into());
    match polls::of_status(conn, status.id)? {
        Some(mut existing) => {
            existing.options = options;
            existing.multiple = p.multiple;
            existing.expires_at = p.expires_at;
            existing.voters_count = p.voters_count;
            polls::update(conn, &existing)?;
            if p.closed && existing.closed_at.is_none() {
                close(conn, core, existing)?;
            }
        }
        None => polls::insert(
            conn,
            &Poll {
                id: core.next_id(),
                status_id: status.id,
                options,
                multiple: p.multiple,
                hide_totals: false,
                expires_at: p.expires_at,
                voters_count: p.voters_count,
                closed_at: p.closed.then(db::now),
                created_at: db::now(),
            },
        )?,
    }
    Ok(())
}

/// Mark a poll closed and tell its local author and voters.
fn close(conn: &mut DbConn, core: &Core, mut poll: Poll) -> CoreResult<()> {
    poll.closed_at = Some(db::now());
    polls::update(conn, &poll)?;
    let status = found(statuses::by_id(conn, poll.status_id)?)?;
    let author = found(accounts::by_id(conn, status.account_id)?)?;
    // The author is told too (by themselves, as Mastodon does).
    notifications::notify_own(conn, core, &author, "poll", Some(status.id))?;
    for voter in polls::local_voters(conn, poll.id)? {
        notifications::notify(conn, core, &voter, &author, "poll", Some(status.id))?;
    }
    if author.is_local() {
        announce_update(conn, core, &status, &author)?;
    }
    Ok(())
}

/// Send the new counts of a local poll (an `Update` of its `Question`) to
/// those who got the status and to remote voters.
fn announce_update(
    conn: &mut DbConn,
    core: &Core,
    status: &Status,
    author: &Account,
) -> CoreResult<()> {
    let mentioned: Vec<Account> = db::mentions::for_statuses(conn, &[status.id])?
        .into_iter()
        .map(|(_, a)| a)
        .collect();
    let mut recipients = visibility::status_recipients(conn, status, author, &mentioned, None)?;
    if let Some(poll) = polls::of_status(conn, status.id)? {
        recipients.extend(
            polls::voters(conn, poll.id)?
                .into_iter()
                .filter(|a| !a.is_local())
                .map(Recipient::from),
        );
    }
    core.outbound()
        .enqueue(conn, Outgoing::UpdateStatus { status, author }, &recipients)
}

/// Record `voter`'s choices (indexes) in `poll`, with the rules of polls.
fn record_votes(
    conn: &mut DbConn,
    core: &Core,
    poll: &Poll,
    voter: &Account,
    choices: &[i32],
    ap_id: Option<String>,
) -> CoreResult<Vec<Vote>> {
    let now = db::now();
    if poll.closed_at.is_some() || poll.expires_at.is_some_and(|e| e <= now) {
        return Err(CoreError::Invalid(
            "Validation failed: The poll has already ended".into(),
        ));
    }
    let n = poll.option_list().len() as i32;
    let mut choices = choices.to_vec();
    choices.sort_unstable();
    choices.dedup();
    if choices.is_empty() || choices.iter().any(|c| *c < 0 || *c >= n) {
        return Err(CoreError::Invalid(
            "Validation failed: that choice is not an option".into(),
        ));
    }
    let already = polls::choices_of(conn, voter.id, &[poll.id])?
        .remove(&poll.id)
        .unwrap_or_default();
    if !poll.multiple && (choices.len() > 1 || !already.is_empty()) {
        return Err(CoreError::Invalid(
            "Validation failed: You have already voted on this poll".into(),
        ));
    }
    if choices.iter().any(|c| already.contains(c)) {
        return Err(CoreError::Invalid(
            "Validation failed: You have already voted on this poll".into(),
        ));
    }
    let mut out = vec![];
    for choice in choices {
        let id = core.next_id();
        let vote = Vote {
            id,
            poll_id: poll.id,
            account_id: voter.id,
            choice,
            ap_id: ap_id
                .clone()
                .or_else(|| voter.is_local().then(|| core.uris().activity(id))),
            created_at: now,
        };
        polls::insert_vote(conn, &vote)?;
        out.push(vote);
    }
    Ok(out)
}

impl Core {
    /// A poll on a status `viewer` may read.
    pub async fn poll(&self, viewer: Option<i64>, id: i64) -> CoreResult<PollView> {
        self.read(move |conn, _| {
            let poll = found(polls::get(conn, id)?)?;
            found(statuses::visible(conn, poll.status_id, viewer)?)?;
            found(poll_views(conn, &[poll.status_id], viewer)?.remove(&poll.status_id))
        })
        .await
    }

    /// `me` votes; a remote poll's server gets one vote per choice.
    pub async fn vote(&self, me: &Account, id: i64, choices: Vec<i32>) -> CoreResult<PollView> {
        let me = me.clone();
        self.write(move |conn, core| {
            let poll = found(polls::get(conn, id)?)?;
            let status = found(statuses::visible(conn, poll.status_id, Some(me.id))?)?;
            if status.account_id == me.id {
                return Err(CoreError::Invalid(
                    "Validation failed: You cannot vote in your own poll".into(),
                ));
            }
            let votes = record_votes(conn, core, &poll, &me, &choices, None)?;
            let author = found(accounts::by_id(conn, status.account_id)?)?;
            if author.is_local() {
                announce_update(conn, core, &status, &author)?;
            } else {
                let options = poll.option_list();
                for vote in &votes {
                    let title = options
                        .get(vote.choice as usize)
                        .map(|o| o.title.clone())
                        .unwrap_or_default();
                    core.outbound().enqueue(
                        conn,
                        Outgoing::Vote {
                            vote,
                            choice: &title,
                            voter: &me,
                            status: &status,
                            author: &author,
                        },
                        &[Recipient::from(&author)],
                    )?;
                }
            }
            found(poll_views(conn, &[status.id], Some(me.id))?.remove(&status.id))
        })
        .await
    }

    /// A remote account voted `choice` (an option's title) in a local poll.
    pub async fn receive_vote(
        &self,
        voter: &Account,
        status: Status,
        choice: &str,
        vote_id: &str,
    ) -> CoreResult<()> {
        let (voter, choice, vote_id) = (voter.clone(), choice.to_string(), vote_id.to_string());
        self.write(move |conn, core| {
            let poll = found(polls::of_status(conn, status.id)?)?;
            found(statuses::visible(conn, status.id, Some(voter.id))?)?;
            let index = poll
                .option_list()
                .iter()
                .position(|o| o.title == choice)
                .ok_or_else(|| {
                    CoreError::Invalid(format!("`{choice}` is not an option of this poll"))
                })?;
            record_votes(conn, core, &poll, &voter, &[index as i32], Some(vote_id))?;
            let author = found(accounts::by_id(conn, status.account_id)?)?;
            announce_update(conn, core, &status, &author)
        })
        .await
    }

    /// Close the polls that ended (run every little while).
    pub async fn close_ended_polls(&self) -> CoreResult<usize> {
        self.write(|conn, core| {
            let ended = polls::ended_unclosed(conn, db::now())?;
            let n = ended.len();
            for poll in ended {
                close(conn, core, poll)?;
            }
            Ok(n)
        })
        .await
    }
}
