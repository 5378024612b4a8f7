//! The egress policy: the one rule every request to another server obeys
//! (fetches of actors and objects, WebFinger, media, deliveries).
//!
//! A URL is checked before the request (scheme, user info, IP literals,
//! ports, blocked domains); host names are checked when connecting, by the
//! resolver of [`super::http_client`], with the same range test, so DNS that
//! changes between check and connect is still caught; every redirect hop is
//! checked again. Each refusal is logged with the URL and the reason.
//!
//! Production: https only, no explicit ports, public addresses only.
//! Dev mode: http too, any port, but only this machine (loopback) and the
//! `dev_hosts` addresses. Either way `federation.allow_private_addresses`
//! opens listed ranges.

mod ranges;
#[cfg(test)]
mod tests;

pub use ranges::non_global;

use crate::config::{FederationSettings, Settings};
use activitypub_federation::{config::UrlVerifier, error::Error as ApError};
use async_trait::async_trait;
use reqwest::{header::ACCEPT, Client, RequestBuilder, Response};
use std::{error::Error as StdError, net::IpAddr, sync::Arc};
use url::{Host, Url};

/// Redirect hops followed (each one checked) before giving up.
pub const MAX_REDIRECTS: usize = 3;

/// Why an outgoing request was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("scheme `{0}` is not allowed (https only; http in dev mode)")]
    Scheme(String),
    #[error("URLs with user info are not fetched")]
    UserInfo,
    #[error("the URL has no host")]
    NoHost,
    #[error("explicit port {0} is not allowed outside dev mode")]
    Port(u16),
    #[error("{ip} is not a public address ({kind})")]
    Address { ip: IpAddr, kind: &'static str },
    #[error("dev mode reaches only this machine and dev_hosts, not {0}")]
    NotThisMachine(IpAddr),
    #[error("{host} resolves only to refused addresses ({reason})")]
    Resolved { host: String, reason: String },
    #[error("{0} is blocked by this server's federation policy")]
    BlockedDomain(String),
    #[error("more than {0} redirects")]
    TooManyRedirects(usize),
}

impl Refusal {
    /// A fixed text for the federation crate's error type; it starts with
    /// [`Refusal::CRATE_PREFIX`] (a blocked domain keeps the crate's wording).
    pub fn summary(&self) -> &'static str {
        match self {
            Refusal::Scheme(_) => "egress policy: scheme not allowed",
            Refusal::UserInfo => "egress policy: user info in URL",
            Refusal::NoHost => "egress policy: URL without host",
            Refusal::Port(_) => "egress policy: explicit port",
            Refusal::Address { .. } | Refusal::NotThisMachine(_) | Refusal::Resolved { .. } => {
                "egress policy: address not allowed"
            }
            Refusal::BlockedDomain(_) => "Domain is blocked by this server's federation policy",
            Refusal::TooManyRedirects(_) => "egress policy: too many redirects",
        }
    }

    pub const CRATE_PREFIX: &'static str = "egress policy:";
}

/// The policy, built once from the settings.
#[derive(Debug, Clone)]
pub struct EgressPolicy {
    dev_mode: bool,
    dev_hosts: Vec<(String, IpAddr)>,
    federation: FederationSettings,
}

impl EgressPolicy {
    pub fn new(settings: &Settings) -> EgressPolicy {
        EgressPolicy {
            dev_mode: settings.dev_mode,
            dev_hosts: settings.dev_hosts.clone(),
            federation: settings.federation.clone(),
        }
    }

    /// Whether an address may be connected to.
    pub fn check_ip(&self, ip: IpAddr) -> Result<(), Refusal> {
        let canonical = ip.to_canonical();
        let listed = |ip: &IpAddr| {
            self.federation
                .allow_private_addresses
                .iter()
                .any(|net| net.contains(ip))
        };
        if listed(&ip) || listed(&canonical) {
            return Ok(());
        }
        if self.dev_mode
            && (canonical.is_loopback() || self.dev_hosts.iter().any(|(_, a)| *a == canonical))
        {
            return Ok(());
        }
        match non_global(ip) {
            Some(kind) => Err(Refusal::Address { ip, kind }),
            None if self.dev_mode => Err(Refusal::NotThisMachine(ip)),
            None => Ok(()),
        }
    }

    /// Whether `url` may be requested (host names are checked again when
    /// connecting, see [`EgressPolicy::check_ip`]).
    pub fn check_url(&self, url: &Url) -> Result<(), Refusal> {
        match url.scheme() {
            "https" => {}
            "http" if self.dev_mode => {}
            other => return Err(Refusal::Scheme(other.to_string())),
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Refusal::UserInfo);
        }
        // `url` has already turned decimal, octal and hex IPv4 forms into
        // addresses (`http://2130706433/` is `Host::Ipv4(127.0.0.1)`).
        match url.host() {
            None => return Err(Refusal::NoHost),
            Some(Host::Ipv4(ip)) => self.check_ip(ip.into())?,
            Some(Host::Ipv6(ip)) => self.check_ip(ip.into())?,
            Some(Host::Domain(_)) => {}
        }
        let host = url.host_str().unwrap_or_default();
        if !self.federation.allows_host(host) {
            return Err(Refusal::BlockedDomain(host.to_string()));
        }
        match url.port() {
            Some(port) if !self.dev_mode => Err(Refusal::Port(port)),
            _ => Ok(()),
        }
    }

    /// [`EgressPolicy::check_url`], logging a refusal with the URL and the
    /// reason (`what`: what the request was for).
    pub fn vet(&self, url: &Url, what: &str) -> Result<(), Refusal> {
        self.check_url(url).inspect_err(|refusal| {
            tracing::warn!("egress: refused {what} {}: {refusal}", shown(url));
        })
    }

    /// The fixed address of a `dev_hosts` name (dev mode only).
    pub fn dev_host(&self, name: &str) -> Option<IpAddr> {
        self.dev_hosts.iter().find_map(|(pattern, ip)| {
            let hit = match pattern.strip_prefix("*.") {
                Some(suffix) => name.ends_with(&format!(".{suffix}")) || name == suffix,
                None => name == pattern,
            };
            hit.then_some(*ip)
        })
    }
}

/// A URL as logged: without user info.
pub fn shown(url: &Url) -> String {
    let mut url = url.clone();
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.to_string()
}

/// The refusal somewhere in an error's chain of causes (the resolver's and
/// the redirect policy's refusals come back inside reqwest's errors).
pub fn refusal_in(error: &(dyn StdError + 'static)) -> Option<Refusal> {
    let mut next = Some(error);
    while let Some(e) = next {
        if let Some(r) = e.downcast_ref::<Refusal>() {
            return Some(r.clone());
        }
        next = e.source();
    }
    None
}

/// A request that was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum EgressError {
    #[error("refused: {0}")]
    Refused(Refusal),
    #[error("{0}")]
    Failed(reqwest::Error),
}

impl From<reqwest::Error> for EgressError {
    fn from(e: reqwest::Error) -> Self {
        match refusal_in(&e) {
            Some(r) => EgressError::Refused(r),
            None => EgressError::Failed(e),
        }
    }
}

impl From<Refusal> for EgressError {
    fn from(r: Refusal) -> Self {
        EgressError::Refused(r)
    }
}

/// The HTTP clients for everything sent to other servers, with their policy.
#[derive(Clone)]
pub struct Egress {
    policy: Arc<EgressPolicy>,
    /// Follows no redirects: the federation crate's client (it follows one
    /// itself, checked by [`Verifier`]) and deliveries.
    direct: Client,
    /// Follows up to [`MAX_REDIRECTS`] redirects, each hop checked.
    following: Client,
}

impl Egress {
    pub fn new(policy: Arc<EgressPolicy>, direct: Client, following: Client) -> Egress {
        Egress {
            policy,
            direct,
            following,
        }
    }

    pub fn policy(&self) -> &EgressPolicy {
        &self.policy
    }

    /// The client for the federation crate (no redirects).
    pub fn client(&self) -> &Client {
        &self.direct
    }

    /// The crate's URL check, backed by this policy.
    pub fn verifier(&self) -> Verifier {
        Verifier(self.policy.clone())
    }

    /// GET `url` once the policy allows it, following checked redirects.
    pub async fn get(&self, url: &Url, accept: &str, what: &str) -> Result<Response, EgressError> {
        self.policy.vet(url, what)?;
        Ok(self
            .following
            .get(url.clone())
            .header(ACCEPT, accept)
            .send()
            .await?)
    }

    /// A POST to `url` (no redirects) once the policy allows it.
    pub fn post(&self, url: &Url, what: &str) -> Result<RequestBuilder, Refusal> {
        self.policy.vet(url, what)?;
        Ok(self.direct.post(url.clone()))
    }
}

/// Runs the policy for every URL the federation crate fetches or accepts,
/// after its own checks (redirect hops included).
#[derive(Clone)]
pub struct Verifier(Arc<EgressPolicy>);

#[async_trait]
impl UrlVerifier for Verifier {
    async fn verify(&self, url: &Url) -> Result<(), ApError> {
        self.0
            .vet(url, "remote URL")
            .map_err(|r| ApError::UrlVerificationError(r.summary()))
    }
}
