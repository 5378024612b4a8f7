//! Entities with everything a client shows next to them (counts, authors,
//! mentions), loaded in batches.

use super::error::CoreResult;
use crate::db::{
    self, account_domain_blocks,
    accounts::{self, Account},
    blocks, bookmarks, favourites, follows, mentions, mutes,
    notifications::Notification,
    pins,
    polls::{self, Poll},
    statuses::{self, Status},
    tags, DbConn,
};
use chrono::NaiveDateTime;
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct AccountView {
    pub account: Account,
    pub followers_count: i64,
    pub following_count: i64,
    pub statuses_count: i64,
    pub last_status_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone)]
pub struct StatusView {
    pub status: Status,
    pub account: AccountView,
    pub mentions: Vec<Account>,
    /// Hashtag names, lowercased.
    pub tags: Vec<String>,
    pub replies_count: i64,
    pub favourites_count: i64,
    pub reblogs_count: i64,
    /// For a reblog: the status it shares.
    pub reblog: Option<Box<StatusView>>,
    /// What the viewer did with it (all false without a viewer).
    pub mine: ViewerMarks,
    /// The viewer's filters it matched (see `filters::Matcher`).
    pub filtered: Vec<FilterMatch>,
    pub poll: Option<PollView>,
    /// Attachments, in order.
    pub media: Vec<crate::db::media::Media>,
    /// The board it was posted in (a thread, or a reply to one).
    pub board: Option<BoardPlace>,
}

/// Where in a board a status is.
#[derive(Debug, Clone)]
pub struct BoardPlace {
    /// The board's actor id (the `audience`).
    pub board_ap_id: String,
    /// The board's members (followers) collection.
    pub board_followers: Option<String>,
    /// The thread's title, for a thread's first post that has one.
    pub title: Option<String>,
    /// Whether it starts the thread.
    pub starter: bool,
    /// The thread's first post's id (its `context`).
    pub thread_ap_id: Option<String>,
}

/// The viewer's own marks on a status.
#[derive(Debug, Clone, Copy, Default)]
pub struct ViewerMarks {
    pub favourited: bool,
    pub reblogged: bool,
    pub bookmarked: bool,
    /// Only for the author's own statuses.
    pub pinned: bool,
}

#[derive(Debug, Clone)]
pub struct NotificationView {
    pub notification: Notification,
    pub from: AccountView,
    pub status: Option<StatusView>,
}

/// The relation between the viewer and another account.
#[derive(Debug, Clone, Default)]
pub struct Relationship {
    pub id: i64,
    pub following: bool,
    pub followed_by: bool,
    pub requested: bool,
    pub requested_by: bool,
    pub notifying: bool,
    pub showing_reblogs: bool,
    pub blocking: bool,
    pub blocked_by: bool,
    pub muting: bool,
    pub muting_notifications: bool,
    pub domain_blocking: bool,
}

pub fn account_views(conn: &mut DbConn, list: Vec<Account>) -> CoreResult<Vec<AccountView>> {
    let ids: Vec<i64> = list.iter().map(|a| a.id).collect();
    let counts = follows::counts(conn, &ids)?;
    let stats = statuses::account_stats(conn, &ids)?;
    Ok(list
        .into_iter()
        .map(|account| {
            let (_, followers, following) = counts
                .iter()
                .find(|(id, _, _)| *id == account.id)
                .copied()
                .unwrap_or((account.id, 0, 0));
            let (statuses_count, last) = stats.get(&account.id).copied().unwrap_or((0, None));
            AccountView {
                account,
                followers_count: followers,
                following_count: following,
                statuses_count,
                last_status_at: last,
            }
        })
        .collect())
}

pub fn account_view(conn: &mut DbConn, account: Account) -> CoreResult<AccountView> {
    Ok(account_views(conn, vec![account])?.remove(0))
}

/// Views of `list` as `viewer` sees them, in the same order. A reblog whose
/// original the viewer may not read is left out.
pub fn status_views(
    conn: &mut DbConn,
    list: Vec<Status>,
    viewer: Option<i64>,
) -> CoreResult<Vec<StatusView>> {
    let original_ids: Vec<i64> = list.iter().filter_map(|s| s.reblog_of_id).collect();
    let originals: HashMap<i64, StatusView> = if original_ids.is_empty() {
        HashMap::new()
    } else {
        let found = statuses::visible_many(conn, &original_ids, viewer)?;
        plain_views(
            conn,
            found.into_iter().filter(|s| !s.is_reblog()).collect(),
            viewer,
        )?
        .into_iter()
        .map(|v| (v.status.id, v))
        .collect()
    };
    let mut views = plain_views(conn, list, viewer)?;
    views.retain_mut(|v| match v.status.reblog_of_id {
        None => true,
        Some(id) => match originals.get(&id) {
            Some(original) => {
                v.reblog = Some(Box::new(original.clone()));
                true
            }
            None => false,
        },
    });
    Ok(views)
}

/// Views without their reblogged originals.
fn plain_views(
    conn: &mut DbConn,
    list: Vec<Status>,
    viewer: Option<i64>,
) -> CoreResult<Vec<StatusView>> {
    let ids: Vec<i64> = list.iter().map(|s| s.id).collect();
    let mut author_ids: Vec<i64> = list.iter().map(|s| s.account_id).collect();
    author_ids.sort_unstable();
    author_ids.dedup();
    let authors = accounts::by_ids(conn, &author_ids)?;
    let authors: HashMap<i64, AccountView> = account_views(conn, authors)?
        .into_iter()
        .map(|v| (v.account.id, v))
        .collect();
    let mut mentioned: HashMap<i64, Vec<Account>> = HashMap::new();
    for (status_id, account) in mentions::for_statuses(conn, &ids)? {
        mentioned.entry(status_id).or_default().push(account);
    }
    let replies = statuses::replies_counts(conn, &ids)?;
    let mut tag_names = tags::names_for(conn, &ids)?;
    let mut polls = poll_views(conn, &ids, viewer)?;
    let mut attachments: HashMap<i64, Vec<crate::db::media::Media>> = HashMap::new();
    for m in crate::db::media::of_statuses(conn, &ids)? {
        if let Some(s) = m.status_id {
            attachments.entry(s).or_default().push(m);
        }
    }
    let favourites = favourites::counts(conn, &ids)?;
    let reblogs = statuses::reblog_counts(conn, &ids)?;
    let parents: Vec<(i64, i64)> = list
        .iter()
        .filter_map(|s| Some((s.id, s.in_reply_to_id?)))
        .collect();
    let mut places: HashMap<i64, BoardPlace> = crate::db::boards::places(conn, &ids, &parents)?
        .into_iter()
        .map(|p| {
            (
                p.status_id,
                BoardPlace {
                    board_ap_id: p.board_ap_id,
                    board_followers: p.board_followers,
                    title: p.title,
                    starter: p.starter,
                    thread_ap_id: p.thread_ap_id,
                },
            )
        })
        .collect();
    let (mut faved, mut boosted, mut saved, mut pinned) = (vec![], vec![], vec![], vec![]);
    if let Some(me) = viewer {
        faved = favourites::favourited(conn, me, &ids)?;
        boosted = statuses::reblogged(conn, me, &ids)?;
        saved = bookmarks::marked(conn, me, &ids)?;
        pinned = pins::marked(conn, me, &ids)?;
    }
    Ok(list
        .into_iter()
        .filter_map(|status| {
            let account = authors.get(&status.account_id)?.clone();
            let id = status.id;
            Some(StatusView {
                mentions: mentioned.remove(&id).unwrap_or_default(),
                tags: tag_names.remove(&id).unwrap_or_default(),
                replies_count: replies.get(&id).copied().unwrap_or(0),
                favourites_count: favourites.get(&id).copied().unwrap_or(0),
                reblogs_count: reblogs.get(&id).copied().unwrap_or(0),
                reblog: None,
                filtered: vec![],
                poll: polls.remove(&id),
                media: attachments.remove(&id).unwrap_or_default(),
                board: places.remove(&id),
                mine: ViewerMarks {
                    favourited: faved.contains(&id),
                    reblogged: boosted.contains(&id),
                    bookmarked: saved.contains(&id),
                    pinned: pinned.contains(&id),
                },
                account,
                status,
            })
        })
        .collect())
}

pub fn status_view(
    conn: &mut DbConn,
    status: Status,
    viewer: Option<i64>,
) -> CoreResult<StatusView> {
    status_views(conn, vec![status], viewer)?
        .pop()
        .ok_or(super::error::CoreError::NotFound)
}

pub fn relationships(conn: &mut DbConn, me: i64, others: &[i64]) -> CoreResult<Vec<Relationship>> {
    let outgoing = follows::from_to_many(conn, me, others)?;
    let mutes = mutes::of(conn, me, others)?;
    let hidden_domains = account_domain_blocks::domains(conn, me)?;
    let domains: HashMap<i64, Option<String>> = accounts::by_ids(conn, others)?
        .into_iter()
        .map(|a| (a.id, a.domain))
        .collect();
    let mut out = vec![];
    for &other in others {
        let incoming = follows::get(conn, other, me)?;
        let mine = outgoing.iter().find(|f| f.target_account_id == other);
        let mute = mutes.iter().find(|m| m.target_account_id == other);
        out.push(Relationship {
            id: other,
            following: mine.is_some_and(|f| f.accepted),
            requested: mine.is_some_and(|f| !f.accepted),
            followed_by: incoming.as_ref().is_some_and(|f| f.accepted),
            requested_by: incoming.as_ref().is_some_and(|f| !f.accepted),
            notifying: mine.is_some_and(|f| f.notify),
            showing_reblogs: mine.is_some_and(|f| f.show_reblogs),
            blocking: blocks::get(conn, me, other)?.is_some(),
            blocked_by: blocks::get(conn, other, me)?.is_some(),
            muting: mute.is_some(),
            muting_notifications: mute.is_some_and(|m| m.hide_notifications),
            domain_blocking: domains
                .get(&other)
                .and_then(|d| d.as_ref())
                .is_some_and(|d| hidden_domains.contains(d)),
        });
    }
    Ok(out)
}

pub fn relationship(conn: &mut DbConn, me: i64, other: i64) -> CoreResult<Relationship> {
    Ok(relationships(conn, me, &[other])?.remove(0))
}

/// How a status matched one filter.
#[derive(Debug, Clone)]
pub struct FilterMatch {
    pub filter: crate::db::filters::Filter,
    pub keyword_matches: Vec<String>,
    pub status_matches: Vec<i64>,
}

/// A poll as a viewer sees it.
#[derive(Debug, Clone)]
pub struct PollView {
    pub poll: Poll,
    /// Each option with its votes (`None` while totals are hidden).
    pub options: Vec<(String, Option<i64>)>,
    pub votes_count: i64,
    pub voters_count: Option<i64>,
    pub expired: bool,
    /// Whether the viewer voted (`None` without a viewer).
    pub voted: Option<bool>,
    pub own_votes: Option<Vec<i32>>,
}

/// The polls of `status_ids` as `viewer` sees them, by status id.
pub(crate) fn poll_views(
    conn: &mut DbConn,
    status_ids: &[i64],
    viewer: Option<i64>,
) -> CoreResult<HashMap<i64, PollView>> {
    let list = polls::of_statuses(conn, status_ids)?;
    if list.is_empty() {
        return Ok(HashMap::new());
    }
    let ids: Vec<i64> = list.iter().map(|p| p.id).collect();
    let mine = match viewer {
        Some(me) => Some(polls::choices_of(conn, me, &ids)?),
        None => None,
    };
    let authors: HashMap<i64, i64> = statuses::visible_many(conn, status_ids, viewer)?
        .into_iter()
        .map(|s| (s.id, s.account_id))
        .collect();
    let now = db::now();
    let mut out = HashMap::new();
    for poll in list {
        let (counted, voters) = polls::tally(conn, poll.id)?;
        let local = poll.voters_count.is_none();
        let expired = poll.closed_at.is_some() || poll.expires_at.is_some_and(|e| e <= now);
        let own = mine
            .as_ref()
            .map(|m| m.get(&poll.id).cloned().unwrap_or_default());
        let is_author = viewer.is_some() && authors.get(&poll.status_id).copied() == viewer;
        let show_totals = !poll.hide_totals || expired || is_author;
        let options: Vec<(String, i64)> = poll
            .option_list()
            .into_iter()
            .enumerate()
            .map(|(i, o)| {
                // Remote counts come from their server; our own voters' votes are
                // counted here until it reports them back.
                let here = counted.get(&(i as i32)).copied().unwrap_or(0);
                (o.title, if local { here } else { o.votes.max(here) })
            })
            .collect();
        let votes_count = options.iter().map(|(_, n)| n).sum();
        out.insert(
            poll.status_id,
            PollView {
                options: options
                    .into_iter()
                    .map(|(t, n)| (t, show_totals.then_some(n)))
                    .collect(),
                votes_count,
                voters_count: if local {
                    Some(voters)
                } else {
                    poll.voters_count
                },
                expired,
                voted: own.as_ref().map(|o| !o.is_empty()),
                own_votes: own,
                poll,
            },
        );
    }
    Ok(out)
}
