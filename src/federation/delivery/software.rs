//! What software another server runs, from its NodeInfo
//! (`/.well-known/nodeinfo`, then the 2.x document it links to, then
//! `software.name`), asked through the egress policy and remembered per
//! host: a name for a day, a failure (unreachable, no NodeInfo, no name)
//! for an hour. The delivery worker asks, outside any transaction, before
//! it sends a board's relay (see `forms.rs`).

use super::super::{
    egress::{Egress, EgressError},
    host_of,
    webfinger::read_limited,
};
use crate::{core::Core, db};
use chrono::Duration;
use serde_json::Value;
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};
use url::Url;

/// How long a server's software name is believed.
pub fn known_for() -> Duration {
    Duration::days(1)
}

/// How long a failure to learn it stands before asking again.
pub fn unknown_for() -> Duration {
    Duration::hours(1)
}

/// NodeInfo documents are small; anything larger is not read.
const MAX_BODY: usize = 64 * 1024;
/// A longer `software.name` is not a name.
const MAX_NAME: usize = 64;
const NODEINFO_REL: &str = "nodeinfo.diaspora.software/ns/schema/2.";

/// Remote servers' software, cached in the database.
#[derive(Clone)]
pub struct Software {
    core: Core,
    egress: Egress,
    /// One NodeInfo request per host at a time; the others wait for it.
    asking: Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
}

impl Software {
    pub fn new(core: Core, egress: Egress) -> Software {
        Software {
            core,
            egress,
            asking: Default::default(),
        }
    }

    /// The software `host` runs (lowercased), asked with `scheme` when what
    /// is remembered is stale; `None` when it cannot be told.
    pub async fn of(&self, host: &str, scheme: &str) -> Option<String> {
        if let Some(known) = self.remembered(host).await {
            return known;
        }
        let lock = self
            .asking
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(host.to_string())
            .or_default()
            .clone();
        let _asking = lock.lock().await;
        if let Some(known) = self.remembered(host).await {
            return known;
        }
        let found = match software_of(&self.egress, scheme, host).await {
            Ok(name) => Some(name),
            Err(why) => {
                tracing::debug!("NodeInfo of {host}: {why}");
                None
            }
        };
        if let Err(e) = self.core.remember_host_software(host, found.clone()).await {
            tracing::warn!("cannot remember the software of {host}: {e}");
        }
        found
    }

    /// What is remembered of `host` while it is fresh.
    async fn remembered(&self, host: &str) -> Option<Option<String>> {
        let (software, at) = match self.core.host_software(host).await {
            Ok(found) => found?,
            Err(e) => {
                tracing::warn!("cannot read the software of {host}: {e}");
                return None;
            }
        };
        let fresh_for = if software.is_some() {
            known_for()
        } else {
            unknown_for()
        };
        (db::now() - at < fresh_for).then_some(software)
    }
}

/// Ask `host`'s NodeInfo what software it runs.
async fn software_of(egress: &Egress, scheme: &str, host: &str) -> Result<String, String> {
    let well_known = Url::parse(&format!("{scheme}://{host}/.well-known/nodeinfo"))
        .map_err(|e| format!("no URL: {e}"))?;
    if host_of(&well_known) != host.to_ascii_lowercase() {
        return Err("not a host name".into());
    }
    let links = get_json(egress, &well_known).await?;
    let document = document_link(&links, host)?;
    let info = get_json(egress, &document).await?;
    software_name(&info)
}

async fn get_json(egress: &Egress, url: &Url) -> Result<Value, String> {
    let response = egress
        .get(url, "application/json", "NodeInfo")
        .await
        .map_err(|e| match e {
            EgressError::Refused(r) => format!("refused: {r}"),
            EgressError::Failed(e) => e.to_string(),
        })?;
    if !response.status().is_success() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let body = read_limited(response, MAX_BODY)
        .await
        .map_err(|e| e.to_string())?;
    serde_json::from_slice(&body).map_err(|e| format!("{url}: {e}"))
}

/// The newest NodeInfo 2.x document the well-known links name, on `host`
/// itself (a server speaks for itself only).
pub fn document_link(links: &Value, host: &str) -> Result<Url, String> {
    let mut found: Vec<(&str, Url)> = links["links"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| {
            let rel = l["rel"].as_str()?;
            let rel = rel
                .strip_prefix("http://")
                .or_else(|| rel.strip_prefix("https://"))?;
            let version = rel.strip_prefix(NODEINFO_REL)?;
            let href = Url::parse(l["href"].as_str()?).ok()?;
            (host_of(&href) == host.to_ascii_lowercase()).then_some((version, href))
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(b.0));
    found
        .pop()
        .map(|(_, href)| href)
        .ok_or_else(|| "no NodeInfo 2.x document on the server itself".into())
}

/// `software.name`, lowercased.
pub fn software_name(info: &Value) -> Result<String, String> {
    let name = info["software"]["name"]
        .as_str()
        .map(str::trim)
        .filter(|n| !n.is_empty() && n.len() <= MAX_NAME)
        .ok_or("no software name")?;
    Ok(name.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_newest_document_on_the_server_itself() {
        let links = json!({"links": [
            {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": "https://l.example/nodeinfo/2.0"},
            {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": "https://l.example/nodeinfo/2.1"},
            {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.2", "href": "https://elsewhere.example/2.2"},
            {"rel": "http://nodeinfo.diaspora.software/ns/schema/1.0", "href": "https://l.example/nodeinfo/1.0"},
            {"rel": "something else", "href": "https://l.example/x"},
        ]});
        assert_eq!(
            document_link(&links, "l.example").unwrap().as_str(),
            "https://l.example/nodeinfo/2.1"
        );
        assert!(document_link(&links, "m.example").is_err());
        assert!(document_link(&json!({"links": "nope"}), "l.example").is_err());
        assert!(document_link(&json!([]), "l.example").is_err());
    }

    #[test]
    fn the_software_name_lowercased() {
        let info = |name: Value| json!({"version": "2.1", "software": {"name": name}});
        assert_eq!(software_name(&info(json!("Lemmy"))).unwrap(), "lemmy");
        assert_eq!(
            software_name(&info(json!(" mastodon "))).unwrap(),
            "mastodon"
        );
        assert!(software_name(&info(json!(""))).is_err());
        assert!(software_name(&info(json!(3))).is_err());
        assert!(software_name(&info(json!("x".repeat(65)))).is_err());
        assert!(software_name(&json!({})).is_err());
    }
}
