//! Live streams: who gets a copy of a status as it happens (the home
//! timelines it reaches, the public and tag streams, the lists its author is
//! in), and what a viewer does not want to see. The streaming edge asks
//! these when it delivers a committed [`Event`](crate::core::events::Event).

use crate::core::{error::CoreResult, hidden::hidden_for, timelines::lists::lists_for, Core};
use crate::db::{
    accounts::{self, Account},
    follows, mentions, statuses,
    statuses::Status,
    Hidden,
};

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
    /// What `viewer` does not want to see (see `hidden::hidden_for`).
    pub async fn hidden(&self, viewer: i64) -> CoreResult<Hidden> {
        self.read(move |conn, _| hidden_for(conn, viewer)).await
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
                lists: lists_for(conn, &status)?,
                home,
                authors,
                status,
            }))
        })
        .await
    }
}
