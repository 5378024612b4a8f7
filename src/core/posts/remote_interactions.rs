//! Favourites, reblogs and pins that arrive from other servers. The same
//! rules as for local accounts apply (see `interactions`); only the
//! account's own activities can be taken back.

use crate::core::{
    error::{CoreError, CoreResult},
    posts::interactions::{add_favourite, add_reblog, target},
    visibility::Visibility,
    Core,
};
use crate::db::{
    accounts::Account,
    favourites, pins,
    statuses::{self, Status},
};

impl Core {
    /// A remote account liked a status; `like_id` is its `Like` activity.
    pub async fn receive_favourite(
        &self,
        actor: &Account,
        status: Status,
        like_id: &str,
    ) -> CoreResult<()> {
        let (actor, like_id) = (actor.clone(), like_id.to_string());
        self.write(move |conn, core| {
            let status = target(conn, status.id, actor.id)?;
            add_favourite(conn, core, &actor, &status, Some(like_id))?;
            Ok(())
        })
        .await
    }

    /// A remote account took back a like (by its `Undo` `undo_id`), named
    /// by the `Like` id or by its object.
    pub async fn receive_unfavourite(
        &self,
        actor: &Account,
        like_id: Option<String>,
        status: Option<Status>,
        undo_id: &str,
    ) -> CoreResult<()> {
        let (actor, undo_id) = (actor.clone(), undo_id.to_string());
        self.write(move |conn, core| {
            let by_id = match &like_id {
                Some(id) => favourites::by_ap_id(conn, id)?,
                None => None,
            };
            let favourite = match (by_id, &status) {
                (Some(f), _) => Some(f),
                (None, Some(s)) => favourites::get(conn, actor.id, s.id)?,
                (None, None) => None,
            };
            match favourite {
                Some(f) if f.account_id != actor.id => Err(CoreError::Forbidden(
                    "cannot undo another account's like".into(),
                )),
                Some(f) => {
                    favourites::delete(conn, f.id)?;
                    if let Some(liked) = statuses::by_id(conn, f.status_id)? {
                        let like_id = f.ap_id.as_deref().unwrap_or_default();
                        core.board_hooks().relay_vote(
                            conn,
                            core,
                            &liked,
                            &actor,
                            like_id,
                            true,
                            Some(&undo_id),
                        )?;
                    }
                    Ok(())
                }
                None => Ok(()),
            }
        })
        .await
    }

    /// A remote account downvoted `status` (`dislike_id`), or took the
    /// downvote back (`undo_id`). Downvotes are not counted here; a board
    /// that keeps the post relays them to its members.
    pub async fn receive_downvote(
        &self,
        actor: &Account,
        status: Status,
        dislike_id: &str,
        undo_id: Option<&str>,
    ) -> CoreResult<()> {
        let (actor, dislike_id) = (actor.clone(), dislike_id.to_string());
        let undo_id = undo_id.map(str::to_string);
        self.write(move |conn, core| {
            let status = target(conn, status.id, actor.id)?;
            core.board_hooks().relay_vote(
                conn,
                core,
                &status,
                &actor,
                &dislike_id,
                undo_id.is_some(),
                undo_id.as_deref(),
            )
        })
        .await
    }

    /// A remote account shared a status; `announce_id` is its `Announce`.
    pub async fn receive_reblog(
        &self,
        actor: &Account,
        original: Status,
        title: Option<String>,
        announce_id: &str,
        visibility: Visibility,
        published: chrono::NaiveDateTime,
    ) -> CoreResult<()> {
        let (actor, announce_id) = (actor.clone(), announce_id.to_string());
        self.write(move |conn, core| {
            core.board_hooks()
                .keep_announced(conn, &actor, &original, title.as_deref())?;
            let original = target(conn, original.id, actor.id)?;
            add_reblog(
                conn,
                core,
                &actor,
                &original,
                Some((announce_id, visibility, published)),
            )?;
            Ok(())
        })
        .await
    }

    /// A remote account took back a reblog, named by the `Announce` id or by its object.
    pub async fn receive_unreblog(
        &self,
        actor: &Account,
        announce_id: Option<String>,
        original: Option<Status>,
    ) -> CoreResult<()> {
        let actor = actor.clone();
        self.write(move |conn, _| {
            let by_id = match &announce_id {
                Some(id) => statuses::by_ap_id(conn, id)?.filter(|s| s.is_reblog()),
                None => None,
            };
            let reblog = match (by_id, &original) {
                (Some(r), _) => Some(r),
                (None, Some(o)) => statuses::reblog_by(conn, actor.id, o.id)?,
                (None, None) => None,
            };
            match reblog {
                Some(r) if r.account_id != actor.id => Err(CoreError::Forbidden(
                    "cannot undo another account's reblog".into(),
                )),
                Some(r) => super::removal::delete_status(conn, &r),
                None => Ok(()),
            }
        })
        .await
    }

    /// A remote author featured (`on`) or stopped featuring one of its statuses.
    pub async fn receive_pin(&self, actor: &Account, status: Status, on: bool) -> CoreResult<()> {
        let actor = actor.clone();
        self.write(move |conn, core| {
            // A board features the threads it relayed or keeps (a post of
            // this server in a board elsewhere is not relayed back here);
            // anyone else only their own posts.
            let relayed_by_board = actor.actor_type == "Group"
                && (crate::db::statuses::reblog_by(conn, actor.id, status.id)?.is_some()
                    || crate::db::boards::post(conn, status.id)?
                        .is_some_and(|p| p.board_id == actor.id));
            if (status.account_id != actor.id && !relayed_by_board) || status.is_reblog() {
                return Err(CoreError::Forbidden(
                    "only the author (or a board that relayed it) can pin a status".into(),
                ));
            }
            if on {
                pins::insert(conn, core.next_id(), actor.id, status.id)?;
            } else {
                pins::delete(conn, actor.id, status.id)?;
            }
            Ok(())
        })
        .await
    }
}
