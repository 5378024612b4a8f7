//! What people do with statuses: favourite, reblog, bookmark and pin them
//! (and take it back), by a local account or arriving from another server.
//! Either way the same rules apply: only statuses the account may read,
//! reblogs only of public and unlisted ones, pins only of one's own.

use crate::core::{
    error::{CoreError, CoreResult},
    events::{self, Event},
    found, notifications,
    ports::Outgoing,
    views::{self, AccountView, StatusView},
    visibility::{self, Visibility},
    Core,
};
use crate::db::{
    self, accounts,
    accounts::{Account, Recipient},
    bookmarks,
    favourites::{self, Favourite},
    pins,
    statuses::{self, Status},
    DbConn, Page,
};

/// At most this many pinned statuses per account, as on Mastodon.
pub const MAX_PINS: i64 = 5;

/// The status an interaction is about: for a reblog, what it shares.
pub(super) fn target(conn: &mut DbConn, id: i64, viewer: i64) -> CoreResult<Status> {
    let status = found(statuses::visible(conn, id, Some(viewer))?)?;
    match status.reblog_of_id {
        Some(original) => found(statuses::visible(conn, original, Some(viewer))?),
        None => Ok(status),
    }
}

fn author_of(conn: &mut DbConn, status: &Status) -> CoreResult<Account> {
    found(accounts::by_id(conn, status.account_id)?)
}

/// Refuse a reblog that would show a status to more people than its author
/// chose. A board relays the members-only posts it keeps to its members.
fn check_reblogable(conn: &mut DbConn, account: &Account, status: &Status) -> CoreResult<()> {
    let relayed_by_its_board = Visibility::of(status) == Visibility::Members
        && db::boards::post(conn, status.id)?.is_some_and(|p| p.board_id == account.id);
    if Visibility::of(status).is_public() || relayed_by_its_board {
        Ok(())
    } else {
        Err(CoreError::Invalid(
            "Validation failed: only public and unlisted statuses can be reblogged".into(),
        ))
    }
}

/// Store a favourite (if new), notifying a local author.
pub(super) fn add_favourite(
    conn: &mut DbConn,
    core: &Core,
    account: &Account,
    status: &Status,
    ap_id: Option<String>,
) -> CoreResult<Option<Favourite>> {
    if favourites::get(conn, account.id, status.id)?.is_some() {
        return Ok(None);
    }
    let id = core.next_id();
    let favourite = Favourite {
        id,
        account_id: account.id,
        status_id: status.id,
        ap_id: Some(ap_id.unwrap_or_else(|| core.uris().like(&account.username, id))),
        created_at: db::now(),
    };
    favourites::insert(conn, &favourite)?;
    let author = author_of(conn, status)?;
    notifications::notify(conn, core, &author, account, "favourite", Some(status.id))?;
    let like_id = favourite.ap_id.as_deref().unwrap_or_default();
    core.board_hooks()
        .relay_vote(conn, core, status, account, like_id, false, None)?;
    Ok(Some(favourite))
}

/// `account` reblogs `original` (if it has not yet) and, when the reblog is
/// new, tells other servers with an `Announce`; returns the reblog.
pub(in crate::core) fn reblog_and_announce(
    conn: &mut DbConn,
    core: &Core,
    account: &Account,
    original: &Status,
    original_author: &Account,
) -> CoreResult<Status> {
    let (reblog, new) = add_reblog(conn, core, account, original, None)?;
    if new {
        let recipients = visibility::announce_recipients(conn, account, original, original_author)?;
        core.outbound().enqueue(
            conn,
            Outgoing::Announce {
                reblog: &reblog,
                account,
                original,
                original_author,
            },
            &recipients,
        )?;
    }
    Ok(reblog)
}

/// Feature (`on`) or stop featuring `status` in `account`'s pinned posts,
/// telling other servers (`Add`/`Remove`) when that changed anything.
pub(in crate::core) fn set_pin(
    conn: &mut DbConn,
    core: &Core,
    account: &Account,
    status: &Status,
    on: bool,
) -> CoreResult<bool> {
    let changed = if on {
        pins::insert(conn, core.next_id(), account.id, status.id)?
    } else {
        pins::delete(conn, account.id, status.id)?
    };
    if changed {
        let recipients = visibility::profile_recipients(conn, account)?;
        let event = if on {
            Outgoing::Pin { account, status }
        } else {
            Outgoing::Unpin { account, status }
        };
        core.outbound().enqueue(conn, event, &recipients)?;
    }
    Ok(changed)
}

/// Store a reblog (if new), notifying a local author; returns it and whether it is new.
pub(super) fn add_reblog(
    conn: &mut DbConn,
    core: &Core,
    account: &Account,
    original: &Status,
    remote: Option<(String, Visibility, chrono::NaiveDateTime)>,
) -> CoreResult<(Status, bool)> {
    check_reblogable(conn, account, original)?;
    if let Some(existing) = statuses::reblog_by(conn, account.id, original.id)? {
        return Ok((existing, false));
    }
    let id = core.next_id();
    let now = db::now();
    let (ap_id, url, visibility, created_at) = match remote {
        Some((ap_id, visibility, published)) => {
            // A board relaying a members-only post keeps it among members.
            let visibility = match Visibility::of(original) {
                Visibility::Members => Visibility::Members,
                _ => visibility,
            };
            (ap_id, None, visibility, published.min(now))
        }
        None => (
            format!("{}/activity", core.uris().status(&account.username, id)),
            Some(core.uris().status_page(&account.username, id)),
            Visibility::of(original),
            now,
        ),
    };
    let reblog = Status {
        id,
        ap_id,
        url,
        account_id: account.id,
        local: account.is_local(),
        in_reply_to_ap_id: None,
        in_reply_to_id: None,
        in_reply_to_account_id: None,
        content: String::new(),
        source_text: None,
        spoiler_text: String::new(),
        sensitive: false,
        language: None,
        visibility: visibility.as_str().into(),
        created_at,
        edited_at: None,
        updated_at: now,
        reblog_of_id: Some(original.id),
    };
    statuses::insert(conn, &reblog)?;
    events::emit(Event::StatusCreated {
        status_id: reblog.id,
    });
    let author = author_of(conn, original)?;
    notifications::notify(conn, core, &author, account, "reblog", Some(original.id))?;
    Ok((reblog, true))
}

/// Before `original` is deleted: its local reblogs go with it, so tell the
/// servers that got them (`Undo` of each `Announce`); they then re-check
/// the original with its own server.
pub(in crate::core) fn retract_local_reblogs(
    conn: &mut DbConn,
    core: &Core,
    original: &Status,
) -> CoreResult<()> {
    let boosters: Vec<Account> = statuses::rebloggers(conn, original.id)?
        .into_iter()
        .filter(Account::is_local)
        .collect();
    if boosters.is_empty() {
        return Ok(());
    }
    let original_author = author_of(conn, original)?;
    for booster in boosters {
        let Some(reblog) = statuses::reblog_by(conn, booster.id, original.id)? else {
            continue;
        };
        let recipients =
            visibility::announce_recipients(conn, &booster, original, &original_author)?;
        core.outbound().enqueue(
            conn,
            Outgoing::UndoAnnounce {
                reblog: &reblog,
                account: &booster,
                original,
                original_author: &original_author,
            },
            &recipients,
        )?;
    }
    Ok(())
}

impl Core {
    pub async fn favourite(&self, me: &Account, id: i64) -> CoreResult<StatusView> {
        let me = me.clone();
        self.write(move |conn, core| {
            let status = target(conn, id, me.id)?;
            if let Some(favourite) = add_favourite(conn, core, &me, &status, None)? {
                let author = author_of(conn, &status)?;
                core.outbound().enqueue(
                    conn,
                    Outgoing::Like {
                        favourite: &favourite,
                        account: &me,
                        status: &status,
                    },
                    &[Recipient::from(&author)],
                )?;
            }
            views::status_view(conn, status, Some(me.id))
        })
        .await
    }

    pub async fn unfavourite(&self, me: &Account, id: i64) -> CoreResult<StatusView> {
        let me = me.clone();
        self.write(move |conn, core| {
            let status = target(conn, id, me.id)?;
            if let Some(favourite) = favourites::get(conn, me.id, status.id)? {
                favourites::delete(conn, favourite.id)?;
                let author = author_of(conn, &status)?;
                core.outbound().enqueue(
                    conn,
                    Outgoing::UndoLike {
                        favourite: &favourite,
                        account: &me,
                        status: &status,
                    },
                    &[Recipient::from(&author)],
                )?;
                let like_id = favourite.ap_id.as_deref().unwrap_or_default();
                core.board_hooks()
                    .relay_vote(conn, core, &status, &me, like_id, true, None)?;
            }
            views::status_view(conn, status, Some(me.id))
        })
        .await
    }

    /// Share a status with one's followers; returns the reblog (which
    /// carries the original).
    pub async fn reblog(&self, me: &Account, id: i64) -> CoreResult<StatusView> {
        let me = me.clone();
        self.write(move |conn, core| {
            let original = target(conn, id, me.id)?;
            let original_author = author_of(conn, &original)?;
            let reblog = reblog_and_announce(conn, core, &me, &original, &original_author)?;
            views::status_view(conn, reblog, Some(me.id))
        })
        .await
    }

    /// Take a reblog back; `id` is the original's (or the reblog's); returns the original.
    pub async fn unreblog(&self, me: &Account, id: i64) -> CoreResult<StatusView> {
        let me = me.clone();
        self.write(move |conn, core| {
            let original = target(conn, id, me.id)?;
            if let Some(reblog) = statuses::reblog_by(conn, me.id, original.id)? {
                super::removal::delete_status(conn, &reblog)?;
                let original_author = author_of(conn, &original)?;
                let recipients =
                    visibility::announce_recipients(conn, &me, &original, &original_author)?;
                core.outbound().enqueue(
                    conn,
                    Outgoing::UndoAnnounce {
                        reblog: &reblog,
                        account: &me,
                        original: &original,
                        original_author: &original_author,
                    },
                    &recipients,
                )?;
            }
            views::status_view(conn, original, Some(me.id))
        })
        .await
    }

    /// Bookmark (`on`) or un-bookmark a status; bookmarks stay on this server.
    pub async fn bookmark(&self, me: &Account, id: i64, on: bool) -> CoreResult<StatusView> {
        let me = me.clone();
        self.write(move |conn, core| {
            let status = target(conn, id, me.id)?;
            if on {
                bookmarks::insert(conn, core.next_id(), me.id, status.id)?;
            } else {
                bookmarks::delete(conn, me.id, status.id)?;
            }
            views::status_view(conn, status, Some(me.id))
        })
        .await
    }

    /// Feature (`on`) or stop featuring one's own status on one's profile.
    pub async fn pin(&self, me: &Account, id: i64, on: bool) -> CoreResult<StatusView> {
        let me = me.clone();
        self.write(move |conn, core| {
            let status = found(
                statuses::by_id(conn, id)?.filter(|s| s.account_id == me.id && !s.is_reblog()),
            )?;
            if Visibility::of(&status) == Visibility::Direct {
                return Err(CoreError::Invalid(
                    "Validation failed: direct messages cannot be pinned".into(),
                ));
            }
            if on && !pins::exists(conn, me.id, status.id)? && pins::count(conn, me.id)? >= MAX_PINS
            {
                return Err(CoreError::Invalid(format!(
                    "Validation failed: you can pin at most {MAX_PINS} statuses"
                )));
            }
            set_pin(conn, core, &me, &status, on)?;
            views::status_view(conn, status, Some(me.id))
        })
        .await
    }

    /// Who favourited a status `viewer` may read: (cursor, account), newest first.
    pub async fn favourited_by(
        &self,
        viewer: Option<i64>,
        id: i64,
        page: Page,
    ) -> CoreResult<Vec<(i64, AccountView)>> {
        self.read(move |conn, _| {
            found(statuses::visible(conn, id, viewer)?)?;
            let rows = favourites::accounts_of(conn, id, &page)?;
            with_account_views(conn, rows)
        })
        .await
    }

    /// Who reblogged a status `viewer` may read: (cursor, account), newest first.
    pub async fn reblogged_by(
        &self,
        viewer: Option<i64>,
        id: i64,
        page: Page,
    ) -> CoreResult<Vec<(i64, AccountView)>> {
        self.read(move |conn, _| {
            found(statuses::visible(conn, id, viewer)?)?;
            let rows = statuses::reblogs_of(conn, id, &page)?;
            let ids: Vec<i64> = rows.iter().map(|(_, a)| *a).collect();
            let accounts = accounts::by_ids(conn, &ids)?;
            let rows = rows
                .into_iter()
                .filter_map(|(cursor, aid)| {
                    Some((cursor, accounts.iter().find(|a| a.id == aid)?.clone()))
                })
                .collect();
            with_account_views(conn, rows)
        })
        .await
    }

    /// The statuses `me` favourited, newest favourite first: (cursor, status).
    pub async fn favourites(&self, me: i64, page: Page) -> CoreResult<Vec<(i64, StatusView)>> {
        self.read(move |conn, _| {
            let rows = favourites::of_account(conn, me, &page)?;
            marked_statuses(conn, me, rows)
        })
        .await
    }

    /// The statuses `me` bookmarked, newest bookmark first: (cursor, status).
    pub async fn bookmarks(&self, me: i64, page: Page) -> CoreResult<Vec<(i64, StatusView)>> {
        self.read(move |conn, _| {
            let rows = bookmarks::list(conn, me, &page)?;
            marked_statuses(conn, me, rows)
        })
        .await
    }

    /// The statuses an account features, as `viewer` may read them.
    pub async fn pinned_statuses(
        &self,
        viewer: Option<i64>,
        account_id: i64,
    ) -> CoreResult<Vec<StatusView>> {
        self.read(move |conn, _| {
            let rows = pins::list(conn, account_id, &Page::default())?;
            let ids: Vec<i64> = rows.iter().map(|(_, s)| *s).collect();
            let visible = statuses::visible_many(conn, &ids, viewer)?;
            let ordered: Vec<Status> = ids
                .iter()
                .filter_map(|id| visible.iter().find(|s| s.id == *id).cloned())
                .collect();
            views::status_views(conn, ordered, viewer)
        })
        .await
    }
}

fn with_account_views(
    conn: &mut DbConn,
    rows: Vec<(i64, Account)>,
) -> CoreResult<Vec<(i64, AccountView)>> {
    let cursors: Vec<i64> = rows.iter().map(|(c, _)| *c).collect();
    let accounts = rows.into_iter().map(|(_, a)| a).collect();
    Ok(cursors
        .into_iter()
        .zip(views::account_views(conn, accounts)?)
        .collect())
}

/// Statuses named by (cursor, status id) rows, as `me` may read them, in row order.
fn marked_statuses(
    conn: &mut DbConn,
    me: i64,
    rows: Vec<(i64, i64)>,
) -> CoreResult<Vec<(i64, StatusView)>> {
    let ids: Vec<i64> = rows.iter().map(|(_, s)| *s).collect();
    let visible = statuses::visible_many(conn, &ids, Some(me))?;
    let list = views::status_views(conn, visible, Some(me))?;
    Ok(rows
        .into_iter()
        .filter_map(|(cursor, id)| Some((cursor, list.iter().find(|v| v.status.id == id)?.clone())))
        .collect())
}
