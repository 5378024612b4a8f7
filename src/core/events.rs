//! Live events for streaming clients: what changed, named by ids. The core
//! emits them while it writes; they are published only once the
//! transaction has committed (and dropped if it rolled back). Who gets to
//! see what is decided when they are delivered, by [`Core::stream_audience`].

use super::{error::CoreResult, Core};
use crate::db::{
    accounts::{self, Account},
    follows, mentions, statuses,
    statuses::Status,
    DbConn, Hidden,
};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// A status (or reblog) appeared.
    StatusCreated { status_id: i64 },
    /// A status was edited.
    StatusUpdated { status_id: i64 },
    /// A status (or reblog) was deleted.
    StatusDeleted { status_id: i64 },
    /// A local account got a notification.
    Notified {
        account_id: i64,
        notification_id: i64,
    },
    /// An access token stopped being valid.
    TokenRevoked { token_id: i64 },
    /// A direct conversation of a local account changed.
    ConversationUpdated {
        account_id: i64,
        conversation_id: i64,
    },
}

thread_local! {
    /// Events of the transaction running on this thread.
    static PENDING: RefCell<Option<Vec<Event>>> = const { RefCell::new(None) };
}

/// Record `event` for the transaction running on this thread (see [`Core::write`]).
pub fn emit(event: Event) {
    PENDING.with(|p| {
        if let Some(list) = p.borrow_mut().as_mut() {
            list.push(event);
        }
    });
}

/// Start collecting events on this thread.
pub(super) fn begin() {
    PENDING.with(|p| *p.borrow_mut() = Some(vec![]));
}

/// Stop collecting and return what was emitted.
pub(super) fn take() -> Vec<Event> {
    PENDING.with(|p| p.borrow_mut().take().unwrap_or_default())
}

/// Delete a status, emitting the deletes of it and of its reblogs.
pub(crate) fn delete_status(conn: &mut DbConn, status: &Status) -> CoreResult<()> {
    super::posts::conversations::forget_direct(conn, status)?;
    for reblog_id in statuses::reblog_ids(conn, status.id)? {
        emit(Event::StatusDeleted {
            status_id: reblog_id,
        });
    }
    statuses::delete(conn, status.id)?;
    emit(Event::StatusDeleted {
        status_id: status.id,
    });
    Ok(())
}

/// Who may get a live copy of a status.
#[derive(Debug, Clone)]
pub struct StreamAudience {
    pub status: Status,
    /// Its author and, for a reblog, the original's author: a viewer who
    /// hides either does not get it.
    pub authors: Vec<Account>,
    /// Local accounts whose home timeline includes it.
    pub home: Vec<i64>,
    /// Shown in the public timelines (public, not a reblog).
    pub public: bool,
    /// Posted on this server.
    pub local: bool,
    /// Its hashtags, lowercased.
    pub tags: Vec<String>,
    /// (list, owner) of the lists its author is in.
    pub lists: Vec<(i64, i64)>,
}

impl Core {
    /// What `viewer` does not want to see (see `blocks::hidden_for`).
    pub async fn hidden(&self, viewer: i64) -> CoreResult<Hidden> {
        self.read(move |conn, _| super::accounts::blocks::hidden_for(conn, viewer))
            .await
    }

    /// The audience of a status for live streams; `None` if it is gone.
    pub async fn stream_audience(&self, status_id: i64) -> CoreResult<Option<StreamAudience>> {
        self.read(move |conn, _| {
            let Some(status) = statuses::by_id(conn, status_id)? else {
                return Ok(None);
            };
            let mut home = vec![status.account_id];
            home.extend(follows::local_followers_for_home(
                conn,
                status.account_id,
                status.is_reblog(),
            )?);
            let mentioned: Vec<i64> = mentions::for_statuses(conn, &[status.id])?
                .into_iter()
                .filter(|(_, a)| a.is_local())
                .map(|(_, a)| a.id)
                .collect();
            home.extend(mentioned.iter().copied());
            home.sort_unstable();
            home.dedup();
            let mut author_ids = vec![status.account_id];
            if let Some(original) = status
                .reblog_of_id
                .and_then(|id| statuses::by_id(conn, id).ok().flatten())
            {
                author_ids.push(original.account_id);
            }
            let authors = accounts::by_ids(conn, &author_ids)?;
            let tags = crate::db::tags::names_for(conn, &[status.id])?
                .remove(&status.id)
                .unwrap_or_default();
            let public = status.visibility == "public" && !status.is_reblog();
            if public && !tags.is_empty() {
                home.extend(crate::db::tags::followers_of(conn, &tags)?);
                home.sort_unstable();
                home.dedup();
            }
            // Members of an exclusive list stay out of its owner's home
            // (unless they mention the owner), as in the home timeline.
            let exclusive = crate::db::lists::exclusive_owners_of(conn, status.account_id)?;
            home.retain(|id| {
                *id == status.account_id || !exclusive.contains(id) || mentioned.contains(id)
            });
            Ok(Some(StreamAudience {
                public,
                local: status.local,
                tags,
                lists: super::timelines::lists::lists_for(conn, &status)?,
                home,
                authors,
                status,
            }))
        })
        .await
    }
}
