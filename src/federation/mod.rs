//! The ActivityPub edge: other servers fetch our actors and objects, post
//! activities to our inboxes, and receive ours from the delivery queue.
//! Each wire type lives in one file with its conversions and trait impls.

pub mod activities;
pub mod actors;
pub mod collections;
pub mod delivery;
pub mod directory;
pub mod egress;
pub mod error;
pub mod http_client;
pub mod inbox;
pub mod members;
pub mod nodeinfo;
pub mod objects;
pub mod routes;
pub mod serve;
pub mod webfinger;

use crate::core::Core;
use activitypub_federation::config::FederationConfig;
use serde::Serialize;
use serde_json::{json, Value};
use url::Url;

/// Per-request federation context: the core plus the crate's fetch budget.
pub type FedData = activitypub_federation::config::Data<Core>;

/// The ActivityStreams "everyone" address.
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// Media types ActivityPub documents are served and accepted with.
pub const AP_CONTENT_TYPE: &str = "application/activity+json";

/// The JSON-LD context of everything we send.
pub fn context() -> Value {
    json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        {
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
            "sensitive": "as:sensitive",
            "Hashtag": "as:Hashtag",
            "toot": "http://joinmastodon.org/ns#",
            "discoverable": "toot:discoverable",
            "featured": {"@id": "toot:featured", "@type": "@id"},
            "blurhash": "toot:blurhash",
            "focalPoint": {"@container": "@list", "@id": "toot:focalPoint"},
            "lemmy": "https://join-lemmy.org/ns#",
            "postingRestrictedToMods": "lemmy:postingRestrictedToMods",
            "moderators": {"@type": "@id", "@id": "lemmy:moderators"},
            "schema": "http://schema.org#",
            "PropertyValue": "schema:PropertyValue",
            "value": "schema:value"
        }
    ])
}

/// `value` as a JSON object with our `@context` first.
pub fn with_context(value: &impl Serialize) -> Value {
    let mut out = serde_json::Map::new();
    out.insert("@context".into(), context());
    if let Ok(Value::Object(map)) = serde_json::to_value(value) {
        out.extend(map);
    }
    Value::Object(out)
}

/// `host[:port]` of a URL, lowercased: how servers are named here.
pub fn host_of(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    }
}

pub fn same_host(a: &Url, b: &Url) -> bool {
    host_of(a) == host_of(b)
}

/// The federation crate's configuration for this server.
/// The process's egress, for the few requests made beside the federation
/// crate's (see `objects::record::unreadable`); set by [`config`].
static EGRESS: std::sync::OnceLock<egress::Egress> = std::sync::OnceLock::new();

/// The egress [`config`] was built with, if it was.
pub(crate) fn shared_egress() -> Option<&'static egress::Egress> {
    EGRESS.get()
}

pub async fn config(
    core: &Core,
    egress: &egress::Egress,
) -> Result<FederationConfig<Core>, String> {
    let _ = EGRESS.set(egress.clone());
    let settings = core.settings().clone();
    let keys = core.instance_keys().await.map_err(|e| e.to_string())?;
    let instance = actors::instance::InstanceActor::new(core.uris(), keys)?;
    FederationConfig::builder()
        .domain(settings.domain.clone())
        .app_data(core.clone())
        .client(egress.client().clone().into())
        // The crate's `debug` switches off its own port and address checks
        // (and its WebFinger and queue, which we do not use). The egress
        // policy makes those checks itself; the crate's would refuse the
        // ranges of `allow_private_addresses`, so they go when it is set.
        .debug(settings.dev_mode || !settings.federation.allow_private_addresses.is_empty())
        .allow_http_urls(settings.dev_mode)
        .http_fetch_limit(50)
        .request_timeout(std::time::Duration::from_secs(
            settings.federation.request_timeout_seconds,
        ))
        .url_verifier(Box::new(egress.verifier()))
        .signed_fetch_actor(&instance)
        .build()
        .await
        .map_err(|e| format!("federation setup: {e}"))
}
