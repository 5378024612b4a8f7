//! Which form of a board's relay each server understands. A board sends
//! its members' servers a post in two forms: the FEP-1b12 relay (an
//! `Announce` of the member's activity), which group-aware servers (Lemmy,
//! Mbin, PieFed, Staffroom) read, and a Mastodon-style boost (an `Announce`
//! of the post's URL, and later its `Undo`), which microblogs read and
//! Lemmy refuses with 400 (`AnnouncableActivities` in its
//! `crates/apub/activities/src/activity_lists.rs` has no variant for a
//! bare URL). Each server gets the form it understands, known from the
//! software its NodeInfo names; a server whose software is unknown gets
//! both, as it always did.

use crate::core::{ports::Outgoing, visibility::Visibility};
use serde_json::Value;
use url::Url;

/// NodeInfo `software.name`s (lowercased) of servers that read a group's
/// relay of an activity (FEP-1b12).
pub const GROUP_AWARE: [&str; 5] = ["lemmy", "mbin", "kbin", "piefed", "staffroom"];

/// ActivityStreams activity types: an `Announce` of an object of one of
/// these types relays an activity.
const ACTIVITY_TYPES: [&str; 20] = [
    "Create", "Update", "Delete", "Undo", "Like", "Dislike", "Announce", "Add", "Remove", "Lock",
    "Block", "Flag", "Follow", "Accept", "Reject", "Move", "Join", "Leave", "Invite", "Offer",
];

/// The form of an activity a server sends, as far as this rule cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// A board's `Announce` of a post's URL (a Mastodon-style boost), or
    /// the `Undo` of one.
    Boost,
    /// A board's `Announce` of an activity (FEP-1b12).
    Relay,
    /// Anything else: sent to every server it is addressed to.
    Other,
}

/// The form of `activity`, sent by a board (`by_board`) or anyone else.
pub fn form_of(activity: &Value, by_board: bool) -> Form {
    if !by_board {
        return Form::Other;
    }
    let object = &activity["object"];
    match activity["type"].as_str() {
        Some("Announce") if object.is_string() => Form::Boost,
        Some("Announce")
            if object["type"]
                .as_str()
                .is_some_and(|t| ACTIVITY_TYPES.contains(&t)) =>
        {
            Form::Relay
        }
        Some("Undo") if object["type"] == "Announce" && object["object"].is_string() => Form::Boost,
        _ => Form::Other,
    }
}

/// Whether a server running `software` (NodeInfo's name) reads FEP-1b12.
pub fn group_aware(software: &str) -> bool {
    GROUP_AWARE
        .iter()
        .any(|s| s.eq_ignore_ascii_case(software.trim()))
}

/// Whether a server running `software` (`None`: unknown) wants `form`: the
/// boost only servers that are not group-aware, the relay only those that
/// are; a server of unknown software gets both.
pub fn wanted(form: Form, software: Option<&str>) -> bool {
    match (form, software) {
        (Form::Other, _) | (_, None) => true,
        (Form::Boost, Some(s)) => !group_aware(s),
        (Form::Relay, Some(s)) => group_aware(s),
    }
}

/// The servers a board's relay of a public post (either form: the
/// FEP-1b12 `Announce`, the boost and its `Undo`) never goes back to: the
/// post's own, which has it already (Lemmy refuses it: "Object is not
/// remote"). A members-only post, relayed embedded, still goes to every
/// member's server, as before.
pub(super) fn relayed_posts_homes(event: &Outgoing<'_>) -> Vec<String> {
    let (status, author) = match event {
        Outgoing::PostInBoard { status, author, .. } => (*status, *author),
        Outgoing::Announce {
            reblog,
            account,
            original,
            original_author,
        }
        | Outgoing::UndoAnnounce {
            reblog,
            account,
            original,
            original_author,
        } if account.is_local()
            && account.actor_type == "Group"
            && Visibility::of(reblog) != Visibility::Members =>
        {
            (*original, *original_author)
        }
        Outgoing::VoteInBoard { voter, .. } => return voter.domain.iter().cloned().collect(),
        _ => return vec![],
    };
    let mut homes: Vec<String> = author.domain.iter().cloned().collect();
    if let Ok(id) = Url::parse(&status.ap_id) {
        homes.push(crate::federation::host_of(&id));
    }
    homes
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_form_of_an_activity() {
        let post = "https://a.example/users/maria/statuses/1";
        let boost = json!({"type": "Announce", "object": post});
        let relay = json!({"type": "Announce",
                           "object": {"type": "Create", "object": {"type": "Note", "id": post}}});
        let moderation = json!({"type": "Announce", "object": {"type": "Delete", "object": post}});
        let undo_boost = json!({"type": "Undo", "object": boost});
        let members_only = json!({"type": "Announce", "object": {"type": "Note", "id": post}});
        let undo_follow = json!({"type": "Undo", "object": {"type": "Follow", "object": post}});
        let table = [
            (&boost, true, Form::Boost),
            (&undo_boost, true, Form::Boost),
            (&relay, true, Form::Relay),
            (&moderation, true, Form::Relay),
            // A members-only post goes embedded, to every member's server.
            (&members_only, true, Form::Other),
            (&undo_follow, true, Form::Other),
            (
                &json!({"type": "Create", "object": {"type": "Note"}}),
                true,
                Form::Other,
            ),
            // A teacher's boost is no board's relay.
            (&boost, false, Form::Other),
            (&undo_boost, false, Form::Other),
            (&relay, false, Form::Other),
            (&json!("Announce"), true, Form::Other),
            (
                &json!({"type": ["Announce"], "object": post}),
                true,
                Form::Other,
            ),
        ];
        for (activity, by_board, form) in table {
            assert_eq!(form_of(activity, by_board), form, "{activity}");
        }
    }

    #[test]
    fn each_server_gets_the_form_it_understands() {
        use Form::*;
        let table = [
            (Boost, Some("mastodon"), true),
            (Relay, Some("mastodon"), false),
            (Boost, Some("gotosocial"), true),
            (Relay, Some("pleroma"), false),
            (Boost, Some("lemmy"), false),
            (Relay, Some("lemmy"), true),
            (Boost, Some("Lemmy"), false),
            (Relay, Some("mbin"), true),
            (Relay, Some("kbin"), true),
            (Relay, Some("piefed"), true),
            (Boost, Some("staffroom"), false),
            (Relay, Some("staffroom"), true),
            (Boost, None, true),
            (Relay, None, true),
            (Other, Some("lemmy"), true),
            (Other, Some("mastodon"), true),
            (Other, None, true),
        ];
        for (form, software, want) in table {
            assert_eq!(wanted(form, software), want, "{form:?} to {software:?}");
        }
    }
}
