//! Turning the merged TOML table into typed, checked [`Settings`].

use super::*;
use toml::{Table, Value};

pub(super) fn validate(t: &Table) -> Result<Settings, String> {
    let domain = string(t, "domain")?.to_ascii_lowercase();
    check_domain(&domain)?;
    let bind: SocketAddr = string(t, "bind")?.parse().map_err(|_| {
        "config: `bind` must be a socket address such as 127.0.0.1:8080".to_string()
    })?;
    let data_dir = PathBuf::from(string(t, "data_dir")?);
    let dev_mode = boolean(t, "dev_mode")?;
    let mut database_url = string(t, "database_url")?;
    if database_url.is_empty() {
        database_url = format!("sqlite://{}", data_dir.join("staffroom.db").display());
    }
    if !(database_url.starts_with("sqlite://")
        || database_url.starts_with("postgres://")
        || database_url.starts_with("postgresql://"))
    {
        return Err("config: `database_url` must start with sqlite:// or postgres://".into());
    }
    if database_url == "sqlite://" {
        return Err("config: `database_url` needs a file path after sqlite://".into());
    }
    let dev_hosts = dev_hosts(t, dev_mode)?;
    let trusted_proxies = networks(t, "trusted_proxies", "trusted_proxies")?;

    let inst = section(t, "instance")?;
    let registrations = match string(inst, "registrations")?.as_str() {
        "open" => RegistrationMode::Open,
        "approval" => RegistrationMode::Approval,
        "closed" => RegistrationMode::Closed,
        _ => {
            return Err("config: `instance.registrations` must be open, approval or closed".into())
        }
    };
    let instance = InstanceSettings {
        title: string(inst, "title")?,
        description: string(inst, "description")?,
        contact_email: string(inst, "contact_email")?,
        source_url: string(inst, "source_url")?,
        registrations,
        rules: rules(inst)?,
    };

    let fed = section(t, "federation")?;
    let mode = match string(fed, "mode")?.as_str() {
        "open" => FederationMode::Open,
        "blocklist" => FederationMode::Blocklist,
        "allowlist" => FederationMode::Allowlist,
        _ => return Err("config: `federation.mode` must be open, blocklist or allowlist".into()),
    };
    let federation = FederationSettings {
        mode,
        blocked_domains: domains(fed, "blocked_domains")?,
        allowed_domains: domains(fed, "allowed_domains")?,
        inbox_max_bytes: positive(fed, "federation.inbox_max_bytes", "inbox_max_bytes")? as usize,
        max_in_flight_per_host: positive(
            fed,
            "federation.max_in_flight_per_host",
            "max_in_flight_per_host",
        )? as usize,
        max_in_flight: positive(fed, "federation.max_in_flight", "max_in_flight")? as usize,
        park_after_hours: positive(fed, "federation.park_after_hours", "park_after_hours")?,
        give_up_after_hours: positive(
            fed,
            "federation.give_up_after_hours",
            "give_up_after_hours",
        )?,
        request_timeout_seconds: positive(
            fed,
            "federation.request_timeout_seconds",
            "request_timeout_seconds",
        )? as u64,
        allow_private_addresses: networks(
            fed,
            "allow_private_addresses",
            "federation.allow_private_addresses",
        )?,
    };

    let lim = section(t, "limits")?;
    let limits = LimitSettings {
        status_max_chars: positive(lim, "limits.status_max_chars", "status_max_chars")? as usize,
        api_body_max_bytes: positive(lim, "limits.api_body_max_bytes", "api_body_max_bytes")?
            as usize,
        account_requests_per_window: positive(
            lim,
            "limits.account_requests_per_window",
            "account_requests_per_window",
        )? as u32,
        anonymous_requests_per_window: positive(
            lim,
            "limits.anonymous_requests_per_window",
            "anonymous_requests_per_window",
        )? as u32,
        address_requests_per_window: positive(
            lim,
            "limits.address_requests_per_window",
            "address_requests_per_window",
        )? as u32,
        auth_requests_per_window: positive(
            lim,
            "limits.auth_requests_per_window",
            "auth_requests_per_window",
        )? as u32,
        inbox_requests_per_window: positive(
            lim,
            "limits.inbox_requests_per_window",
            "inbox_requests_per_window",
        )? as u32,
    };
    let media = section(t, "media")?;
    let media = MediaSettings {
        upload_max_bytes: positive(media, "media.upload_max_bytes", "upload_max_bytes")? as usize,
        max_pixels: positive(media, "media.max_pixels", "max_pixels")? as u64,
        remote_cache_max_bytes: positive(
            media,
            "media.remote_cache_max_bytes",
            "remote_cache_max_bytes",
        )? as u64,
    };
    let boards = BoardSettings {
        teachers_may_create: boolean(section(t, "boards")?, "teachers_may_create").map_err(
            |_| "config: `boards.teachers_may_create` must be true or false".to_string(),
        )?,
    };
    let db = section(t, "database")?;
    let database = DatabaseSettings {
        pool_size: positive(db, "database.pool_size", "pool_size")? as u32,
    };

    Ok(Settings {
        domain,
        bind,
        data_dir,
        database_url,
        dev_mode,
        dev_hosts,
        trusted_proxies,
        instance,
        federation,
        limits,
        media,
        boards,
        database,
    })
}

fn check_domain(domain: &str) -> Result<(), String> {
    let (host, port) = match domain.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (domain, None),
    };
    let host_ok = !host.is_empty()
        && host.len() <= 253
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && !host.starts_with(['.', '-'])
        && host.parse::<std::net::IpAddr>().is_err();
    let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|p| p > 0));
    if host_ok && port_ok {
        Ok(())
    } else {
        Err(format!(
            "config: `domain` must be a host name with an optional port (e.g. district-a.example), got `{domain}`"
        ))
    }
}

fn dev_hosts(t: &Table, dev_mode: bool) -> Result<Vec<(String, IpAddr)>, String> {
    let Some(Value::Table(map)) = t.get("dev_hosts") else {
        return Err("config: `dev_hosts` must be a table".into());
    };
    if !map.is_empty() && !dev_mode {
        return Err("config: `dev_hosts` is only allowed with dev_mode = true".into());
    }
    map.iter()
        .map(|(host, ip)| {
            let ip = ip
                .as_str()
                .and_then(|s| s.parse::<IpAddr>().ok())
                .ok_or_else(|| format!("config: `dev_hosts.{host}` must be an IP address"))?;
            Ok((host.to_ascii_lowercase(), ip))
        })
        .collect()
}

fn section<'a>(t: &'a Table, name: &str) -> Result<&'a Table, String> {
    t.get(name)
        .and_then(Value::as_table)
        .ok_or_else(|| format!("config: `{name}` must be a table"))
}

fn string(t: &Table, key: &str) -> Result<String, String> {
    t.get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| format!("config: `{key}` must be a string"))
}

fn boolean(t: &Table, key: &str) -> Result<bool, String> {
    t.get(key)
        .and_then(Value::as_bool)
        .ok_or_else(|| format!("config: `{key}` must be true or false"))
}

fn positive(t: &Table, path: &str, key: &str) -> Result<i64, String> {
    match t.get(key).and_then(Value::as_integer) {
        Some(n) if n > 0 => Ok(n),
        _ => Err(format!("config: `{path}` must be a positive whole number")),
    }
}

fn rules(t: &Table) -> Result<Vec<String>, String> {
    let list = t
        .get("rules")
        .and_then(Value::as_array)
        .ok_or("config: `instance.rules` must be a list")?;
    list.iter()
        .map(|v| {
            v.as_str()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty() && s.chars().count() <= 1000)
                .ok_or_else(|| {
                    "config: `instance.rules` must list texts of 1 to 1000 characters".to_string()
                })
        })
        .collect()
}

fn domains(t: &Table, key: &str) -> Result<Vec<String>, String> {
    let list = t
        .get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| format!("config: `federation.{key}` must be a list"))?;
    list.iter()
        .map(|v| {
            v.as_str()
                .map(|s| s.trim().trim_end_matches('.').to_ascii_lowercase())
                .filter(|s| !s.is_empty())
                .ok_or_else(|| format!("config: `federation.{key}` must list domain names"))
        })
        .collect()
}

/// A list of CIDRs (a bare address means just that address); `name` is the
/// key's full name, for errors.
fn networks(t: &Table, key: &str, name: &str) -> Result<Vec<ipnet::IpNet>, String> {
    let list = t
        .get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| format!("config: `{name}` must be a list"))?;
    list.iter()
        .map(|v| {
            let text = v.as_str().map(str::trim).unwrap_or_default();
            let net = text
                .parse::<ipnet::IpNet>()
                .or_else(|_| text.parse::<IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| {
                    format!(
                        "config: `{name}` must list address ranges such as 10.20.0.0/16, got `{text}`"
                    )
                })?;
            if net.prefix_len() == 0 {
                return Err(format!(
                    "config: `{name}`: `{text}` would cover every address; list the ranges you need"
                ));
            }
            Ok(net.trunc())
        })
        .collect()
}
