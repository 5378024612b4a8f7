//! The HTTP clients for everything sent to other servers.
//!
//! Every connection goes through a resolver that applies the egress policy
//! to each address a host name resolves to, at connect time (so DNS cannot
//! change between check and connect); in dev mode, `dev_hosts` names resolve
//! to their fixed addresses first. Redirects are either not followed (the
//! federation crate's client, deliveries) or re-checked hop by hop.

use super::egress::{Egress, EgressPolicy, Refusal, MAX_REDIRECTS};
use crate::config::Settings;
use reqwest::{
    dns::{Addrs, Name, Resolve, Resolving},
    redirect::Policy,
    Client, ClientBuilder,
};
use std::{net::IpAddr, net::SocketAddr, sync::Arc, time::Duration};

pub fn build(settings: &Settings) -> Egress {
    let policy = Arc::new(EgressPolicy::new(settings));
    let direct = builder(settings, &policy).redirect(Policy::none());
    let following = builder(settings, &policy).redirect(redirects(policy.clone()));
    Egress::new(
        policy,
        direct
            .build()
            .expect("the HTTP client builds with a TLS backend"),
        following
            .build()
            .expect("the HTTP client builds with a TLS backend"),
    )
}

fn builder(settings: &Settings, policy: &Arc<EgressPolicy>) -> ClientBuilder {
    let timeout = Duration::from_secs(settings.federation.request_timeout_seconds);
    Client::builder()
        // A total deadline: connecting, headers and the whole body.
        .timeout(timeout)
        .connect_timeout(timeout)
        .user_agent(format!(
            "Staffroom/{} (+{})",
            env!("CARGO_PKG_VERSION"),
            settings.base_url()
        ))
        .dns_resolver(Arc::new(PolicyResolver {
            policy: policy.clone(),
        }))
}

/// Follow at most [`MAX_REDIRECTS`] hops, each allowed by the policy.
pub fn redirects(policy: Arc<EgressPolicy>) -> Policy {
    Policy::custom(move |attempt| {
        if attempt.previous().len() > MAX_REDIRECTS {
            let refusal = Refusal::TooManyRedirects(MAX_REDIRECTS);
            tracing::warn!(
                "egress: refused redirect to {}: {refusal}",
                super::egress::shown(attempt.url())
            );
            return attempt.error(refusal);
        }
        match policy.vet(attempt.url(), "redirect to") {
            Ok(()) => attempt.follow(),
            Err(refusal) => attempt.error(refusal),
        }
    })
}

/// Resolves host names (dev mode: `dev_hosts` first) and keeps only the
/// addresses the policy allows; none left is a logged refusal.
pub struct PolicyResolver {
    pub policy: Arc<EgressPolicy>,
}

impl Resolve for PolicyResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let name = name.as_str().trim_end_matches('.').to_ascii_lowercase();
        let policy = self.policy.clone();
        Box::pin(async move {
            let found: Vec<IpAddr> = match policy.dev_host(&name) {
                Some(ip) => vec![ip],
                None => tokio::net::lookup_host((name.as_str(), 0))
                    .await?
                    .map(|a| a.ip())
                    .collect(),
            };
            let mut refused = None;
            let allowed: Vec<SocketAddr> = found
                .into_iter()
                .filter(|ip| match policy.check_ip(*ip) {
                    Ok(()) => true,
                    Err(r) => {
                        refused.get_or_insert(r);
                        false
                    }
                })
                .map(|ip| SocketAddr::new(ip, 0))
                .collect();
            if allowed.is_empty() {
                let refusal = Refusal::Resolved {
                    host: name,
                    reason: refused.map_or("no address".into(), |r| r.to_string()),
                };
                tracing::warn!("egress: refused to connect: {refusal}");
                return Err(Box::new(refusal) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}
