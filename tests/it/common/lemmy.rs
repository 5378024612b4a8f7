//! A Lemmy community on a fake peer, as Lemmy 1.0 serves it, and a
//! teacher of a Staffroom instance following it. Shapes from Lemmy's own
//! source: `crates/apub/assets/lemmy/objects/group.json` and
//! `crates/apub/assets/lemmy/activities/` of LemmyNet/lemmy.

use super::{
    eventually,
    fake_peer::{FakePeer, Signing},
    Client, Instance, FEDERATION_DEADLINE as DEADLINE,
};
use serde_json::{json, Value};

pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// The `@context` Lemmy sends.
pub fn context() -> Value {
    json!([
        "https://join-lemmy.org/context.json",
        "https://www.w3.org/ns/activitystreams",
        {"lemmy": "https://join-lemmy.org/ns#",
         "postingRestrictedToMods": "lemmy:postingRestrictedToMods",
         "moderators": {"@type": "@id", "@id": "lemmy:moderators"}}
    ])
}

/// The community `robots` of `lemmy`, moderated by `lena`: its `Group` and
/// moderators collection are served. Returns (community id, lena's id).
pub fn community(lemmy: &FakePeer) -> (String, String) {
    let group = lemmy.add_actor("robots");
    let lena = lemmy.add_actor("lena");
    lemmy.serve(
        "/users/robots",
        json!({
            "@context": context(),
            "type": "Group", "id": group, "preferredUsername": "robots",
            "name": "Robotics teachers",
            "summary": "<p>Classroom robotics, K-12.</p>",
            "source": {"content": "Classroom robotics, K-12.", "mediaType": "text/markdown"},
            "sensitive": false,
            "inbox": format!("{group}/inbox"), "outbox": format!("{group}/outbox"),
            "followers": format!("{group}/followers"), "featured": format!("{group}/featured"),
            "attributedTo": format!("{group}/moderators"),
            "postingRestrictedToMods": false,
            "endpoints": {"sharedInbox": lemmy.url("/inbox")},
            "publicKey": {"id": format!("{group}#main-key"), "owner": group,
                          "publicKeyPem": lemmy.public_key("robots")},
            "language": [{"identifier": "en", "name": "English"}],
            "published": "2026-01-10T12:00:00Z"
        }),
    );
    lemmy.serve(
        "/users/robots/moderators",
        json!({"@context": context(), "type": "OrderedCollection",
               "id": format!("{group}/moderators"), "orderedItems": [lena]}),
    );
    (group, lena)
}

/// POST `activity` to `a`'s shared inbox, signed by `actor` of `lemmy`.
pub async fn deliver(lemmy: &FakePeer, a: &Instance, activity: &Value, actor: &str) {
    let res = lemmy
        .send(
            &format!("{}/inbox", a.base()),
            &a.domain,
            activity,
            actor,
            &Signing::default(),
        )
        .await;
    assert!(
        res.status().is_success(),
        "{}: {}",
        activity["type"],
        res.status()
    );
}

/// POST `activity` pretty-printed (so a copy re-serialized would differ)
/// to `a`'s shared inbox, signed by `actor` of `peer`; returns the text sent.
pub async fn deliver_pretty(
    peer: &FakePeer,
    a: &Instance,
    activity: &Value,
    actor: &str,
) -> String {
    let sent = serde_json::to_string_pretty(activity).expect("JSON");
    let res = peer
        .send_raw(
            &format!("{}/inbox", a.base()),
            &a.domain,
            sent.as_bytes(),
            &Signing::default(),
            actor,
        )
        .await;
    assert!(
        res.status().is_success(),
        "{}: {}",
        activity["type"],
        res.status()
    );
    sent
}

/// `actor` (named `name`) of the Lemmy-shaped `peer` joins the board
/// `group` of `a` (one that accepts at once) and waits for the `Accept`.
pub async fn join_board(peer: &FakePeer, a: &Instance, actor: &str, name: &str, group: &str) {
    let follow = json!({"@context": context(), "type": "Follow",
                        "id": peer.url(&format!("/activities/follow/{name}")),
                        "actor": actor, "object": group});
    deliver(peer, a, &follow, name).await;
    eventually("the board's Accept", DEADLINE, || async {
        peer.received().into_iter().find(|v| v["type"] == "Accept")
    })
    .await;
}

/// `teacher` of `a` finds `group` (the community `robots` of `lemmy`) by
/// handle and follows it; the community accepts. Returns its account id
/// on `a`.
pub async fn follow(lemmy: &FakePeer, a: &Instance, teacher: &Client, group: &str) -> String {
    let community = teacher.resolve(&format!("robots@{}", lemmy.domain)).await;
    assert_eq!(community["group"], true, "{community}");
    let community_id = community["id"].as_str().unwrap().to_string();
    teacher.follow(&community_id).await;
    let follow = eventually("the Follow at Lemmy", DEADLINE, || async {
        lemmy
            .received()
            .into_iter()
            .find(|v| v["type"] == "Follow" && v["object"] == group)
    })
    .await;
    let accept = json!({
        "@context": context(), "type": "Accept",
        "id": lemmy.url(&format!(
            "/activities/accept/{}",
            teacher.account["username"].as_str().unwrap()
        )),
        "actor": group, "object": follow
    });
    deliver(lemmy, a, &accept, "robots").await;
    eventually("following the community", DEADLINE, || async {
        (teacher.relationship(&community_id).await["following"] == true).then_some(())
    })
    .await;
    community_id
}

/// The host (and port) of a URL.
fn host(url: &Value) -> Option<String> {
    let url = url::Url::parse(url.as_str()?).ok()?;
    Some(format!(
        "{}:{}",
        url.host_str()?,
        url.port_or_known_default()?
    ))
}

/// Whether `to` or `cc` of `activity` names `Public`.
fn names_public(activity: &Value) -> bool {
    ["to", "cc"].iter().any(|k| match &activity[*k] {
        Value::Array(list) => list.iter().any(|v| v == PUBLIC),
        v => v == PUBLIC,
    })
}

/// Why Lemmy 1.0 would refuse `activity`, a community's `Announce` sent to
/// its shared inbox, from the community `community` (public, or one that
/// approves its followers); `None` when it accepts it. The rules, each
/// from LemmyNet/lemmy (or the activitypub_federation crate it runs on):
pub fn refusal(activity: &Value, community: &str, public: bool) -> Option<String> {
    let inner = &activity["object"];
    // Both are parsed into enums whose variants have one `kind` each
    // (`crates/apub/activities/src/activity_lists.rs`): one type string.
    for a in [activity, inner] {
        if !a["type"].is_string() {
            return Some(format!("`type` is not one string: {}", a["type"]));
        }
    }
    if activity["type"] != "Announce" {
        return Some(format!("not an Announce: {}", activity["type"]));
    }
    // activitypub_federation `config.rs`, `verify_url_and_domain`: the
    // activity's id is on its actor's host.
    if host(&activity["id"]).is_none() || host(&activity["id"]) != host(&activity["actor"]) {
        return Some(format!(
            "id {} is not on the host of {}",
            activity["id"], activity["actor"]
        ));
    }
    // `community/announce.rs`, `AnnounceActivity::receive`:
    // `verify_urls_match(community.ap_id, self.actor)`.
    if activity["actor"] != community {
        return Some(format!(
            "announced by {}, not the community",
            activity["actor"]
        ));
    }
    // `activity_lists.rs`, `AnnouncableActivities`: the object is an
    // activity (an untagged enum of objects, so a bare URL matches no
    // variant: "did not match any variant"), and a `Page` is only ever
    // sent (`CannotReceivePage`).
    let known = [
        "Create", "Update", "Like", "Dislike", "Undo", "Delete", "Block", "Add", "Remove", "Lock",
        "Flag",
    ];
    if !inner.is_object() || !known.iter().any(|k| inner["type"] == *k) {
        return Some(format!(
            "the object is not an activity Lemmy announces: {inner}"
        ));
    }
    // The announced activity's id is on its actor's host, as for any
    // activity (stricter servers check it of announced ones too).
    if host(&inner["id"]).is_none() || host(&inner["id"]) != host(&inner["actor"]) {
        return Some(format!(
            "inner id {} is not on the host of {}",
            inner["id"], inner["actor"]
        ));
    }
    // `crates/apub/objects/src/utils/functions.rs`, `verify_visibility`,
    // called on the Announce (`announce.rs`) and on the announced Lock,
    // Undo of a Lock (`community/lock.rs`), Delete and its Undo
    // (`deletion/mod.rs`), Block and its Undo (`block/`), Add and Remove
    // (`community/collection_*.rs`), Create and Update: `Public` in `to` or
    // `cc` for a public community (`ObjectIsNotPublic`), never for a
    // private one (`ObjectIsNotPrivate`). Votes carry no addressing.
    let vote = |a: &Value| matches!(a["type"].as_str(), Some("Like" | "Dislike"));
    let unaddressed = vote(inner)
        || inner["type"] == "Flag"
        || (inner["type"] == "Undo" && vote(&inner["object"]));
    let mut addressed = vec![activity];
    if !unaddressed {
        addressed.push(inner);
    }
    for a in addressed {
        match (public, names_public(a)) {
            (true, false) => return Some(format!("object_is_not_public: {} {a}", a["type"])),
            (false, true) => return Some(format!("object_is_not_private: {} {a}", a["type"])),
            _ => {}
        }
    }
    None
}
