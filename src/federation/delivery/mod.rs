//! Outbound federation: the core's changes become activities in the
//! transactional outbox (`Outbox`), and the worker delivers them.

mod board_relay;
pub mod forms;
pub mod signing;
pub mod software;
pub mod worker;

use super::{
    activities::{
        announce, answer, block, create, delete, featured, follow, like, moderation, undo, update,
    },
    actors::{group::group_json, person::person_json},
    objects::note_json::{note_json, status_addressing},
    with_context, PUBLIC,
};
use crate::{
    config::FederationSettings,
    core::{
        error::{CoreError, CoreResult},
        ids::IdGen,
        ports::{Outbound, Outgoing},
        uris::Uris,
        views,
        visibility::Visibility,
    },
    db::{
        self,
        accounts::{Account, Recipient},
        blocks::Block,
        deliveries::{self, Delivery, OutboxActivity},
        favourites::Favourite,
        statuses::Status,
        DbConn,
    },
};
use serde_json::{json, Value};
use std::sync::Arc;
use tokio::sync::Notify;
use url::Url;

/// Implements the core's `Outbound` port: renders each change as the
/// activity other servers expect and queues one delivery per remote inbox.
pub struct Outbox {
    uris: Uris,
    policy: FederationSettings,
    ids: Arc<IdGen>,
    signal: Arc<Notify>,
}

impl Outbox {
    pub fn new(
        uris: Uris,
        policy: FederationSettings,
        ids: Arc<IdGen>,
        signal: Arc<Notify>,
    ) -> Outbox {
        Outbox {
            uris,
            policy,
            ids,
            signal,
        }
    }

    /// The activity for `event` and the local account that signs it.
    fn render(&self, conn: &mut DbConn, event: &Outgoing<'_>) -> CoreResult<(i64, Value)> {
        let u = &self.uris;
        let new_id = || u.activity(self.ids.next());
        Ok(match event {
            Outgoing::CreateStatus { status, author } => {
                let view = views::status_view(conn, (*status).clone(), None)?;
                let id = format!("{}/activity", status.ap_id);
                (
                    author.id,
                    create::json(&id, &author.ap_id, note_json(&view, u)),
                )
            }
            Outgoing::UpdateStatus { status, author } => {
                let view = views::status_view(conn, (*status).clone(), None)?;
                let note = note_json(&view, u);
                let (to, cc) = (note["to"].clone(), note["cc"].clone());
                (
                    author.id,
                    update::json(&new_id(), &author.ap_id, note, to, cc),
                )
            }
            Outgoing::DeleteStatus { status, author } => {
                let view = views::status_view(conn, (*status).clone(), None)?;
                let (to, cc) = status_addressing(&view, u);
                (
                    author.id,
                    delete::json(
                        &new_id(),
                        &author.ap_id,
                        &status.ap_id,
                        json!(to),
                        json!(cc),
                    ),
                )
            }
            Outgoing::Follow {
                follow,
                follower,
                target,
            } => {
                let id = follow
                    .ap_id
                    .clone()
                    .unwrap_or_else(|| u.activity(follow.id));
                (
                    follower.id,
                    follow::json(&id, &follower.ap_id, &target.ap_id),
                )
            }
            Outgoing::UndoFollow {
                follow,
                follower,
                target,
            } => {
                let inner_id = follow
                    .ap_id
                    .clone()
                    .unwrap_or_else(|| u.activity(follow.id));
                let inner = follow::json(&inner_id, &follower.ap_id, &target.ap_id);
                (follower.id, undo::json(&new_id(), &follower.ap_id, inner))
            }
            Outgoing::AcceptFollow {
                follow,
                follower,
                target,
            }
            | Outgoing::RejectFollow {
                follow,
                follower,
                target,
            } => {
                let kind = if matches!(event, Outgoing::AcceptFollow { .. }) {
                    "Accept"
                } else {
                    "Reject"
                };
                let follow_id = follow
                    .ap_id
                    .clone()
                    .unwrap_or_else(|| u.activity(follow.id));
                let inner = follow::json(&follow_id, &follower.ap_id, &target.ap_id);
                (
                    target.id,
                    answer::json(kind, &new_id(), &target.ap_id, inner),
                )
            }
            Outgoing::UpdateProfile { account } => {
                // A board is updated as the `Group` it is.
                let actor = match crate::core::boards::board::board_view(conn, (*account).clone())?
                {
                    Some(board) => group_json(&board, u),
                    None => person_json(account, u),
                };
                let person =
                    serde_json::to_value(actor).map_err(|e| CoreError::Internal(e.to_string()))?;
                let to = json!([PUBLIC]);
                let cc = json!([u.followers(&account.username)]);
                (
                    account.id,
                    update::json(&new_id(), &account.ap_id, person, to, cc),
                )
            }
            Outgoing::Like {
                favourite,
                account,
                status,
            } => (account.id, like_json(favourite, account, status)),
            Outgoing::UndoLike {
                favourite,
                account,
                status,
            } => {
                let inner = like_json(favourite, account, status);
                (account.id, undo::json(&new_id(), &account.ap_id, inner))
            }
            Outgoing::Announce {
                reblog,
                account,
                original,
                original_author,
            } => (
                account.id,
                announce_json(conn, u, reblog, account, original, original_author)?,
            ),
            // Rendered as text by `board_relay` (see `enqueue`).
            Outgoing::PostInBoard { .. } | Outgoing::VoteInBoard { .. } => {
                return Err(CoreError::Internal(
                    "a board's relay is rendered by board_relay".into(),
                ))
            }
            Outgoing::UndoAnnounce {
                reblog,
                account,
                original,
                original_author,
            } => {
                let inner = announce_json(conn, u, reblog, account, original, original_author)?;
                (account.id, undo::json(&new_id(), &account.ap_id, inner))
            }
            Outgoing::ModAction {
                board,
                moderator,
                action,
                status,
                reason,
                by_board,
            } => {
                let featured = if board.is_local() {
                    u.featured(&board.username)
                } else {
                    format!("{}/collections/featured", board.ap_id)
                };
                let inner = moderation::json(
                    *action,
                    &new_id(),
                    &moderator.ap_id,
                    &status.ap_id,
                    &board.ap_id,
                    &featured,
                    reason,
                    !board.locked,
                );
                relayed_by_board(u, &new_id(), board, moderator, inner, *by_board)
            }
            Outgoing::ModMember {
                board,
                moderator,
                target,
                action,
                reason,
                by_board,
            } => {
                let inner = moderation::ban_json(
                    *action,
                    &new_id(),
                    &moderator.ap_id,
                    &target.ap_id,
                    &board.ap_id,
                    reason,
                    !board.locked,
                );
                relayed_by_board(u, &new_id(), board, moderator, inner, *by_board)
            }
            Outgoing::Vote {
                vote,
                choice,
                voter,
                status,
                author,
            } => {
                let id = vote.ap_id.clone().unwrap_or_else(|| u.activity(vote.id));
                let note = json!({
                    "type": "Note", "id": id, "name": choice, "attributedTo": voter.ap_id,
                    "inReplyTo": status.ap_id, "to": [author.ap_id], "cc": [],
                });
                (
                    voter.id,
                    create::json(&format!("{id}/activity"), &voter.ap_id, note),
                )
            }
            Outgoing::Block {
                block: b,
                account,
                target,
            } => (account.id, block_json(b, account, target)),
            Outgoing::UndoBlock {
                block: b,
                account,
                target,
            } => {
                let inner = block_json(b, account, target);
                (account.id, undo::json(&new_id(), &account.ap_id, inner))
            }
            Outgoing::Pin { account, status } | Outgoing::Unpin { account, status } => {
                let kind = if matches!(event, Outgoing::Pin { .. }) {
                    "Add"
                } else {
                    "Remove"
                };
                (
                    account.id,
                    featured::json(
                        kind,
                        &new_id(),
                        &account.ap_id,
                        &status.ap_id,
                        &u.featured(&account.username),
                    ),
                )
            }
        })
    }

    /// One inbox per server where possible (shared inboxes), without
    /// servers the federation policy excludes.
    fn inboxes(&self, recipients: &[Recipient]) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = vec![];
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        for account in recipients {
            let Ok(url) = Url::parse(account.delivery_inbox()) else {
                continue;
            };
            if !self.policy.allows_host(url.host_str().unwrap_or_default())
                || self.uris.is_local(url.as_str())
            {
                continue;
            }
            if seen.insert(url.to_string()) {
                out.push((url.to_string(), super::host_of(&url)));
            }
        }
        out
    }
}

/// A moderator's activity as sent: announced by the board (`by_board`, a
/// board here), or the moderator's own, to a board elsewhere.
fn relayed_by_board(
    u: &Uris,
    id: &str,
    board: &Account,
    moderator: &Account,
    inner: Value,
    by_board: bool,
) -> (i64, Value) {
    if !by_board {
        return (moderator.id, inner);
    }
    let relayed = board_relay::announce(u, id, board, board.locked, inner);
    (board.id, relayed)
}

fn block_json(b: &Block, account: &Account, target: &Account) -> Value {
    block::json(
        b.ap_id.as_deref().unwrap_or_default(),
        &account.ap_id,
        &target.ap_id,
    )
}

fn like_json(favourite: &Favourite, account: &Account, status: &Status) -> Value {
    let id = favourite.ap_id.clone().unwrap_or_default();
    like::json(&id, &account.ap_id, &status.ap_id)
}

fn announce_json(
    conn: &mut DbConn,
    u: &Uris,
    reblog: &Status,
    account: &Account,
    original: &Status,
    original_author: &Account,
) -> CoreResult<Value> {
    let published = reblog
        .created_at
        .and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    if Visibility::of(reblog) == Visibility::Members {
        // A board relaying a members-only post: to its members only, with
        // the post inside (FEP-1b12), since its author's server cannot
        // know who the members are to let them fetch it.
        let view = views::status_view(conn, original.clone(), None)?;
        return Ok(announce::members_json(
            &reblog.ap_id,
            &account.ap_id,
            note_json(&view, u),
            &u.followers(&account.username),
            &published,
        ));
    }
    Ok(announce::json(
        &reblog.ap_id,
        &account.ap_id,
        &original.ap_id,
        Visibility::of(reblog),
        &u.followers(&account.username),
        &original_author.ap_id,
        &published,
    ))
}

impl Outbound for Outbox {
    fn enqueue(
        &self,
        conn: &mut DbConn,
        event: Outgoing<'_>,
        recipients: &[Recipient],
    ) -> CoreResult<()> {
        let mut inboxes = self.inboxes(recipients);
        // A board's relay never goes back to the server it came from (Lemmy
        // refuses it: "Object is not remote").
        let homes = forms::relayed_posts_homes(&event);
        inboxes.retain(|(_, host)| !homes.iter().any(|h| host.eq_ignore_ascii_case(h)));
        if inboxes.is_empty() {
            return Ok(());
        }
        let (actor_id, ap_id, payload) = match &event {
            Outgoing::PostInBoard {
                board,
                status,
                author,
                change,
            } => {
                let id = self.uris.activity(self.ids.next());
                match board_relay::payload(conn, &self.uris, &id, board, status, author, *change)? {
                    Some(relay) => relay,
                    None => return Ok(()),
                }
            }
            Outgoing::VoteInBoard {
                board,
                status,
                voter,
                vote_id,
                undone,
                undo_id,
            } => {
                let id = self.uris.activity(self.ids.next());
                match board_relay::vote_payload(
                    conn, &self.uris, &id, board, status, voter, vote_id, *undone, *undo_id,
                )? {
                    Some(relay) => relay,
                    None => return Ok(()),
                }
            }
            _ => {
                let (actor_id, activity) = self.render(conn, &event)?;
                let ap_id = activity["id"].as_str().unwrap_or_default().to_string();
                (actor_id, ap_id, with_context(&activity).to_string())
            }
        };
        let now = db::now();
        let row = OutboxActivity {
            id: self.ids.next(),
            ap_id,
            actor_account_id: Some(actor_id),
            payload,
            created_at: now,
        };
        deliveries::insert_activity(conn, &row)?;
        for (inbox_url, host) in inboxes {
            deliveries::insert_delivery(
                conn,
                &Delivery {
                    id: self.ids.next(),
                    activity_id: row.id,
                    inbox_url,
                    host,
                    attempts: 0,
                    next_attempt_at: now,
                    locked_until: None,
                    last_error: None,
                    failed_at: None,
                    created_at: now,
                },
            )?;
        }
        Ok(())
    }

    fn wake(&self) {
        self.signal.notify_one();
    }
}
