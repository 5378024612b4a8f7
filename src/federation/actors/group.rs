//! `Group`: a discussion board as other servers see it (FEP-1b12, shaped
//! as Lemmy communities are): a `Person`-like actor whose `attributedTo` is
//! its moderators collection, with `postingRestrictedToMods`. The moderators
//! of a board elsewhere are read when its `Group` arrives (`record`).

use super::person::{person_json, Person};
use crate::core::{boards::BoardView, uris::Uris};
use url::Url;

/// The actor document of a local board.
pub fn group_json(view: &BoardView, uris: &Uris) -> Person {
    let mut p = person_json(&view.account, uris);
    p.kind = "Group".into();
    p.name = Some(view.board.title.clone());
    p.attributed_to = Url::parse(&uris.moderators(&view.account.username)).ok();
    p.posting_restricted_to_mods = Some(view.board.posting_restricted_to_mods);
    // Boards follow no one.
    p.following = None;
    p
}
