//! The HTTP client for everything sent to other servers.
//!
//! Production: every connection goes through a resolver that refuses
//! non-global addresses at connect time (so DNS cannot change between check
//! and connect). Dev mode: made-up test host names resolve to fixed addresses.

use crate::config::Settings;
use activitypub_federation::resolver::ValidatingDnsResolver;
use reqwest::{
    dns::{Addrs, Name, Resolve, Resolving},
    redirect::Policy,
    Client,
};
use std::{net::IpAddr, net::SocketAddr, sync::Arc, time::Duration};

pub fn build(settings: &Settings) -> Client {
    let timeout = Duration::from_secs(settings.federation.request_timeout_seconds);
    let builder = Client::builder()
        .redirect(Policy::none())
        .timeout(timeout)
        .connect_timeout(timeout)
        .user_agent(format!(
            "Staffroom/{} (+{})",
            env!("CARGO_PKG_VERSION"),
            settings.base_url()
        ));
    let builder = if settings.dev_mode {
        builder.dns_resolver(Arc::new(DevResolver {
            hosts: settings.dev_hosts.clone(),
        }))
    } else {
        builder.dns_resolver(Arc::new(ValidatingDnsResolver::new(vec![], true)))
    };
    builder
        .build()
        .expect("the HTTP client builds with a TLS backend")
}

/// Dev mode: `dev_hosts` patterns first, then the system resolver, whose
/// answers are kept only if they are on this machine (loopback): a server
/// in dev mode never reaches another machine.
struct DevResolver {
    hosts: Vec<(String, IpAddr)>,
}

impl DevResolver {
    fn lookup(&self, name: &str) -> Option<IpAddr> {
        self.hosts.iter().find_map(|(pattern, ip)| {
            let hit = match pattern.strip_prefix("*.") {
                Some(suffix) => name.ends_with(&format!(".{suffix}")) || name == suffix,
                None => name == pattern,
            };
            hit.then_some(*ip)
        })
    }
}

impl Resolve for DevResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let name = name.as_str().to_ascii_lowercase();
        let fixed = self.lookup(&name);
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = match fixed {
                Some(ip) => vec![SocketAddr::new(ip, 0)],
                None => {
                    let found: Vec<SocketAddr> = tokio::net::lookup_host((name.as_str(), 0))
                        .await?
                        .filter(|a| a.ip().is_loopback())
                        .collect();
                    if found.is_empty() {
                        return Err(format!(
                            "dev mode talks only to this machine: {name} is not a dev host"
                        )
                        .into());
                    }
                    found
                }
            };
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_patterns_match_exact_and_wildcard_names() {
        let r = DevResolver {
            hosts: vec![
                ("*.test".into(), "127.0.0.1".parse().unwrap()),
                ("peer.example".into(), "127.0.0.2".parse().unwrap()),
            ],
        };
        assert_eq!(
            r.lookup("district-a.test"),
            Some("127.0.0.1".parse().unwrap())
        );
        assert_eq!(r.lookup("peer.example"), Some("127.0.0.2".parse().unwrap()));
        assert_eq!(r.lookup("nottest"), None);
        assert_eq!(r.lookup("x.peer.example"), None);
    }
}
