//! `Person` (and every other actor type others send): the wire shape of an
//! account and its conversions. The federation crate's traits for it are
//! `ActorRecord`'s (`record`).

use crate::{
    core::{accounts::RemoteActor, uris::Uris},
    db::accounts::{Account, Contact},
    federation::{
        egress::{shown, EgressPolicy},
        host_of,
        objects::values::{self, link_href},
        same_host,
    },
};
use activitypub_federation::protocol::public_key::PublicKey;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use url::Url;

/// Actor types we accept from other servers.
pub const ACTOR_TYPES: &[&str] = &["Person", "Service", "Application", "Group", "Organization"];

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Url,
    pub preferred_username: String,
    #[serde(
        default,
        deserialize_with = "values::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    #[serde(
        default,
        deserialize_with = "values::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Value>,
    pub inbox: Url,
    #[serde(
        default,
        deserialize_with = "values::opt_url",
        skip_serializing_if = "Option::is_none"
    )]
    pub outbox: Option<Url>,
    #[serde(
        default,
        deserialize_with = "values::opt_url",
        skip_serializing_if = "Option::is_none"
    )]
    pub followers: Option<Url>,
    #[serde(
        default,
        deserialize_with = "values::opt_url",
        skip_serializing_if = "Option::is_none"
    )]
    pub following: Option<Url>,
    /// The collection of pinned posts (Mastodon's `toot:featured`).
    #[serde(
        default,
        deserialize_with = "values::opt_url",
        skip_serializing_if = "Option::is_none"
    )]
    pub featured: Option<Url>,
    #[serde(
        default,
        deserialize_with = "values::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub endpoints: Option<Endpoints>,
    pub public_key: PublicKey,
    #[serde(default, deserialize_with = "values::lenient")]
    pub manually_approves_followers: Option<bool>,
    #[serde(
        default,
        deserialize_with = "values::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub discoverable: Option<bool>,
    #[serde(
        default,
        deserialize_with = "values::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub published: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Value>,
    #[serde(default, deserialize_with = "values::values")]
    pub attachment: Vec<Value>,
    /// A board's moderators collection (FEP-1b12, as Lemmy shapes it).
    #[serde(
        default,
        deserialize_with = "values::opt_url",
        skip_serializing_if = "Option::is_none"
    )]
    pub attributed_to: Option<Url>,
    /// Whether only a board's moderators may start threads.
    #[serde(
        default,
        deserialize_with = "values::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub posting_restricted_to_mods: Option<bool>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_inbox: Option<Url>,
}

/// The actor document of a local account.
pub fn person_json(account: &Account, uris: &Uris) -> Person {
    let name = &account.username;
    let fields: Vec<(String, String)> = serde_json::from_str::<Vec<Value>>(&account.fields)
        .unwrap_or_default()
        .iter()
        .filter_map(|f| {
            Some((
                f["name"].as_str()?.to_string(),
                f["value"].as_str()?.to_string(),
            ))
        })
        .collect();
    Person {
        kind: account.actor_type.clone(),
        id: Url::parse(&account.ap_id)
            .unwrap_or_else(|_| Url::parse(&uris.actor(name)).expect("valid base URL")),
        preferred_username: name.clone(),
        name: Some(account.display_name.clone()),
        summary: Some(account.note.clone()),
        url: Some(json!(uris.profile_page(name))),
        inbox: Url::parse(&uris.inbox(name)).expect("valid base URL"),
        outbox: Url::parse(&uris.outbox(name)).ok(),
        followers: Url::parse(&uris.followers(name)).ok(),
        following: Url::parse(&uris.following(name)).ok(),
        featured: Url::parse(&uris.featured(name)).ok(),
        endpoints: Some(Endpoints {
            shared_inbox: Url::parse(&uris.shared_inbox()).ok(),
        }),
        public_key: PublicKey {
            id: format!("{}#main-key", account.ap_id),
            owner: Url::parse(&account.ap_id)
                .unwrap_or_else(|_| Url::parse(uris.base()).expect("valid base URL")),
            public_key_pem: account.public_key_pem.clone(),
        },
        manually_approves_followers: Some(account.locked),
        discoverable: Some(account.discoverable),
        published: Some(account.created_at.and_utc()),
        icon: account
            .avatar_url
            .as_ref()
            .map(|u| json!({"type": "Image", "url": u})),
        image: account
            .header_url
            .as_ref()
            .map(|u| json!({"type": "Image", "url": u})),
        attachment: fields
            .into_iter()
            .map(|(n, v)| json!({"type": "PropertyValue", "name": n, "value": v}))
            .collect(),
        attributed_to: None,
        posting_restricted_to_mods: None,
    }
}

/// What another server says about one of its actors, for the core. URLs we
/// would deliver to or show (shared inbox, avatar, header) are kept only if
/// the egress policy allows them; a shared inbox only on the actor's host.
pub(super) fn remote_actor(p: Person, policy: &EgressPolicy) -> RemoteActor {
    let allowed = |url: &Url, what: &str| policy.vet(url, what).is_ok();
    let image = |v: &Option<Value>, what: &str| {
        v.as_ref()
            .and_then(link_href)
            .filter(|u| Url::parse(u).is_ok_and(|u| allowed(&u, what)))
    };
    let shared_inbox = p.endpoints.as_ref().and_then(|e| e.shared_inbox.clone());
    let shared_inbox = shared_inbox.filter(|u| {
        if !allowed(u, "shared inbox") {
            return false;
        }
        if !same_host(u, &p.id) {
            tracing::warn!(
                "egress: ignoring shared inbox {} of {}: on another host",
                shown(u),
                p.id
            );
            return false;
        }
        true
    });
    let fields = p
        .attachment
        .iter()
        .filter(|a| a["type"] == "PropertyValue")
        .filter_map(|a| {
            Some((
                a["name"].as_str()?.to_string(),
                a["value"].as_str()?.to_string(),
            ))
        })
        .collect();
    let bot = matches!(p.kind.as_str(), "Service" | "Application");
    RemoteActor {
        ap_id: p.id.to_string(),
        actor_type: p.kind,
        username: p.preferred_username,
        domain: host_of(&p.id),
        display_name: p.name.unwrap_or_default(),
        note: p.summary.unwrap_or_default(),
        url: p.url.as_ref().and_then(link_href),
        contact: Contact {
            inbox_url: p.inbox.to_string(),
            shared_inbox_url: shared_inbox.map(|u| u.to_string()),
            outbox_url: p.outbox.map(|u| u.to_string()),
            followers_url: p.followers.map(|u| u.to_string()),
            following_url: p.following.map(|u| u.to_string()),
            public_key_pem: p.public_key.public_key_pem,
        },
        locked: p.manually_approves_followers.unwrap_or(false),
        bot,
        discoverable: p.discoverable.unwrap_or(false),
        avatar_url: image(&p.icon, "avatar"),
        header_url: image(&p.image, "header image"),
        fields,
        published: p.published.map(|t| t.naive_utc()),
    }
}
