//! Settings: `config/default.toml`, then an optional file, then `STAFFROOM_*`
//! environment variables; validated once into [`Settings`].

mod load;
mod validate;

use std::{net::IpAddr, net::SocketAddr, path::PathBuf};

pub use load::load;

/// The validated configuration of one Staffroom process.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Host (and optional port) people and peers see, e.g. `district-a.test:8001`.
    pub domain: String,
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub dev_mode: bool,
    /// Dev mode only: host name or `*.suffix` pattern, and the address it resolves to.
    pub dev_hosts: Vec<(String, IpAddr)>,
    /// Reverse proxies whose `Forwarded` / `X-Forwarded-For` headers are
    /// believed (addresses or CIDR ranges); empty: none.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub instance: InstanceSettings,
    pub federation: FederationSettings,
    pub limits: LimitSettings,
    pub media: MediaSettings,
    pub boards: BoardSettings,
    pub database: DatabaseSettings,
}

#[derive(Debug, Clone)]
pub struct BoardSettings {
    /// Whether every teacher may create boards (admins and moderators always may).
    pub teachers_may_create: bool,
}

#[derive(Debug, Clone)]
pub struct InstanceSettings {
    pub title: String,
    pub description: String,
    pub contact_email: String,
    pub source_url: String,
    pub registrations: RegistrationMode,
    /// The server's rules, in order.
    pub rules: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationMode {
    Open,
    Approval,
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FederationMode {
    Open,
    Blocklist,
    Allowlist,
}

#[derive(Debug, Clone)]
pub struct FederationSettings {
    pub mode: FederationMode,
    pub blocked_domains: Vec<String>,
    pub allowed_domains: Vec<String>,
    pub inbox_max_bytes: usize,
    pub max_in_flight_per_host: usize,
    pub max_in_flight: usize,
    pub park_after_hours: i64,
    pub give_up_after_hours: i64,
    pub request_timeout_seconds: u64,
    /// Non-public address ranges outgoing requests may reach anyway.
    pub allow_private_addresses: Vec<ipnet::IpNet>,
}

#[derive(Debug, Clone)]
pub struct LimitSettings {
    pub status_max_chars: usize,
    pub api_body_max_bytes: usize,
    /// Signed-in API requests per account per 5 minutes.
    pub account_requests_per_window: u32,
    /// Anonymous API requests per client address per 5 minutes.
    pub anonymous_requests_per_window: u32,
    /// All requests per client address per 5 minutes.
    pub address_requests_per_window: u32,
    /// Sign-in, token and sign-up requests per client address per 5 minutes.
    pub auth_requests_per_window: u32,
    /// Inbox deliveries per remote server per 5 minutes.
    pub inbox_requests_per_window: u32,
}

#[derive(Debug, Clone)]
pub struct MediaSettings {
    /// Largest file one upload may be.
    pub upload_max_bytes: usize,
    /// Largest image (width × height) accepted.
    pub max_pixels: u64,
    /// Room for the local copies of remote previews.
    pub remote_cache_max_bytes: u64,
}

#[derive(Debug, Clone)]
pub struct DatabaseSettings {
    pub pool_size: u32,
}

impl Settings {
    /// `http` in dev mode, `https` otherwise.
    pub fn scheme(&self) -> &'static str {
        if self.dev_mode {
            "http"
        } else {
            "https"
        }
    }

    /// The base URL of this server, e.g. `https://district-a.example`.
    pub fn base_url(&self) -> String {
        format!("{}://{}", self.scheme(), self.domain)
    }

    /// The domain without its port.
    pub fn host(&self) -> &str {
        self.domain.split(':').next().unwrap_or(&self.domain)
    }

    /// Settings for unit tests: dev mode, a given domain, an in-tree database URL.
    pub fn for_tests(domain: &str, database_url: &str) -> Settings {
        let mut table = load::defaults();
        table.insert("domain".into(), toml::Value::String(domain.into()));
        table.insert(
            "database_url".into(),
            toml::Value::String(database_url.into()),
        );
        table.insert("dev_mode".into(), toml::Value::Boolean(true));
        validate::validate(&table).expect("test settings are valid")
    }
}

impl FederationSettings {
    /// Whether this server may exchange anything with `host` (a host name without port).
    pub fn allows_host(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let matches = |list: &[String]| {
            list.iter()
                .any(|d| host == *d || host.ends_with(&format!(".{d}")))
        };
        if matches(&self.blocked_domains) {
            return false;
        }
        match self.mode {
            FederationMode::Open | FederationMode::Blocklist => true,
            FederationMode::Allowlist => matches(&self.allowed_domains),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fed(mode: FederationMode, blocked: &[&str], allowed: &[&str]) -> FederationSettings {
        let mut s = Settings::for_tests("a.test", "sqlite://x.db").federation;
        s.mode = mode;
        s.blocked_domains = blocked.iter().map(|s| s.to_string()).collect();
        s.allowed_domains = allowed.iter().map(|s| s.to_string()).collect();
        s
    }

    #[test]
    fn blocklist_covers_subdomains_and_trailing_dots() {
        let f = fed(FederationMode::Open, &["spam.example"], &[]);
        assert!(!f.allows_host("spam.example"));
        assert!(!f.allows_host("a.spam.example."));
        assert!(!f.allows_host("SPAM.example"));
        assert!(f.allows_host("notspam.example"));
    }

    #[test]
    fn allowlist_admits_only_listed_servers() {
        let f = fed(FederationMode::Allowlist, &[], &["district-b.example"]);
        assert!(f.allows_host("district-b.example"));
        assert!(f.allows_host("social.district-b.example"));
        assert!(!f.allows_host("elsewhere.example"));
    }
}
