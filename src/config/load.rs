//! Reading the layers: built-in defaults, `--config FILE`, `STAFFROOM_*` variables.
//!
//! Every value is type-checked against the default of the same key, so an
//! error names the key and says what was expected.

use super::{validate::validate, Settings};
use std::path::Path;
use toml::{Table, Value};

const DEFAULTS: &str = include_str!("../../config/default.toml");

/// `STAFFROOM_TEST_*` variables belong to the test tooling, not to the server.
const TEST_PREFIX: &str = "TEST_";

/// The built-in defaults as a TOML table.
pub(super) fn defaults() -> Table {
    DEFAULTS.parse().expect("config/default.toml is valid TOML")
}

/// Load settings from the defaults, an optional file and the process environment.
pub fn load(file: Option<&Path>) -> Result<Settings, String> {
    load_from(file, std::env::vars())
}

pub(super) fn load_from(
    file: Option<&Path>,
    env: impl IntoIterator<Item = (String, String)>,
) -> Result<Settings, String> {
    let mut table = defaults();
    if let Some(path) = file {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("config file {}: {e}", path.display()))?;
        let overlay: Table = text.parse().map_err(|e: toml::de::Error| {
            format!("config file {}: {}", path.display(), e.message())
        })?;
        merge(&mut table, overlay, "")?;
    }
    let mut env: Vec<(String, String)> = env
        .into_iter()
        .filter(|(k, _)| k.starts_with("STAFFROOM_"))
        .collect();
    env.sort();
    for (name, value) in env {
        apply_env(&mut table, &name, &value)?;
    }
    validate(&table)
}

fn merge(base: &mut Table, overlay: Table, prefix: &str) -> Result<(), String> {
    for (key, value) in overlay {
        let path = format!("{prefix}{key}");
        let Some(existing) = base.get_mut(&key) else {
            return Err(format!("config: unknown key `{path}`"));
        };
        match (existing, value) {
            // dev_hosts is a free-form table: replace it whole.
            (Value::Table(e), Value::Table(v)) if path == "dev_hosts" => *e = v,
            (Value::Table(e), Value::Table(v)) => merge(e, v, &format!("{path}."))?,
            (e, v) if same_type(e, &v) => *e = v,
            (e, _) => {
                return Err(format!("config: `{path}` must be {}", type_name(e)));
            }
        }
    }
    Ok(())
}

fn same_type(a: &Value, b: &Value) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "a string",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a number",
        Value::Boolean(_) => "true or false",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "a list",
        Value::Table(_) => "a table",
    }
}

fn apply_env(table: &mut Table, name: &str, raw: &str) -> Result<(), String> {
    let rest = &name["STAFFROOM_".len()..];
    if rest.starts_with(TEST_PREFIX) {
        return Ok(());
    }
    let key = rest.to_ascii_lowercase();
    if let Some(slot) = table.get_mut(&key) {
        if !matches!(slot, Value::Table(_)) || key == "dev_hosts" {
            *slot = parse_env(slot, name, raw)?;
            return Ok(());
        }
    }
    for (section, inner) in table.iter_mut() {
        let Value::Table(inner) = inner else { continue };
        if let Some(field) = key.strip_prefix(&format!("{section}_")) {
            if let Some(slot) = inner.get_mut(field) {
                *slot = parse_env(slot, name, raw)?;
                return Ok(());
            }
        }
    }
    Err(format!("{name}: not a Staffroom setting"))
}

fn parse_env(current: &Value, name: &str, raw: &str) -> Result<Value, String> {
    let raw = raw.trim();
    Ok(match current {
        Value::String(_) => Value::String(raw.to_string()),
        Value::Boolean(_) => match raw.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Value::Boolean(true),
            "false" | "0" | "no" | "off" | "" => Value::Boolean(false),
            _ => return Err(format!("{name}: expected true or false, got `{raw}`")),
        },
        Value::Integer(_) => Value::Integer(
            raw.parse()
                .map_err(|_| format!("{name}: expected a whole number, got `{raw}`"))?,
        ),
        Value::Array(_) => Value::Array(
            raw.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_string()))
                .collect(),
        ),
        Value::Table(_) => {
            let mut t = Table::new();
            for pair in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let (k, v) = pair
                    .split_once('=')
                    .ok_or_else(|| format!("{name}: expected key=value pairs, got `{pair}`"))?;
                t.insert(k.trim().to_string(), Value::String(v.trim().to_string()));
            }
            Value::Table(t)
        }
        other => {
            return Err(format!(
                "{name}: cannot be set from the environment ({})",
                type_name(other)
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_are_valid_and_sqlite_by_default() {
        let s = load_from(None, env(&[])).unwrap();
        assert_eq!(s.domain, "localhost:8080");
        assert!(s.database_url.starts_with("sqlite://"));
        assert!(s.database_url.ends_with("staffroom.db"));
        assert!(!s.dev_mode);
    }

    #[test]
    fn environment_overrides_top_level_and_section_keys() {
        let s = load_from(
            None,
            env(&[
                ("STAFFROOM_DOMAIN", "district-a.test:8001"),
                ("STAFFROOM_DEV_MODE", "true"),
                (
                    "STAFFROOM_DEV_HOSTS",
                    "*.test=127.0.0.1, b.example=127.0.0.1",
                ),
                ("STAFFROOM_FEDERATION_MODE", "allowlist"),
                (
                    "STAFFROOM_FEDERATION_ALLOWED_DOMAINS",
                    "b.example, c.example",
                ),
                ("STAFFROOM_TEST_POSTGRES", "ignored"),
            ]),
        )
        .unwrap();
        assert_eq!(s.domain, "district-a.test:8001");
        assert!(s.dev_mode);
        assert_eq!(s.dev_hosts.len(), 2);
        assert_eq!(s.federation.allowed_domains, vec!["b.example", "c.example"]);
    }

    #[test]
    fn private_address_ranges_are_cidrs_from_the_environment() {
        let s = load_from(None, env(&[])).unwrap();
        assert!(s.federation.allow_private_addresses.is_empty());
        let s = load_from(
            None,
            env(&[(
                "STAFFROOM_FEDERATION_ALLOW_PRIVATE_ADDRESSES",
                "10.20.0.0/16, fd00:1::/64,192.168.1.7",
            )]),
        )
        .unwrap();
        let nets: Vec<String> = s
            .federation
            .allow_private_addresses
            .iter()
            .map(|n| n.to_string())
            .collect();
        assert_eq!(nets, ["10.20.0.0/16", "fd00:1::/64", "192.168.1.7/32"]);
        for bad in ["10.0.0.0/33", "intranet", "0.0.0.0/0", "::/0"] {
            let e = load_from(
                None,
                env(&[("STAFFROOM_FEDERATION_ALLOW_PRIVATE_ADDRESSES", bad)]),
            )
            .unwrap_err();
            assert!(e.contains("federation.allow_private_addresses"), "{e}");
        }
    }

    #[test]
    fn bad_values_name_the_key() {
        let e = load_from(None, env(&[("STAFFROOM_DEV_MODE", "maybe")])).unwrap_err();
        assert!(e.contains("STAFFROOM_DEV_MODE"), "{e}");
        let e = load_from(None, env(&[("STAFFROOM_BIND", "nowhere")])).unwrap_err();
        assert!(e.contains("bind"), "{e}");
        let e = load_from(None, env(&[("STAFFROOM_DATABASE_URL", "mysql://x")])).unwrap_err();
        assert!(e.contains("database_url"), "{e}");
        let e = load_from(None, env(&[("STAFFROOM_DEV_HOSTS", "*.test=127.0.0.1")])).unwrap_err();
        assert!(e.contains("dev_hosts"), "{e}");
        let e = load_from(None, env(&[("STAFFROOM_NOPE", "1")])).unwrap_err();
        assert!(e.contains("STAFFROOM_NOPE"), "{e}");
    }

    #[test]
    fn file_layer_checks_keys_and_types() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(
            &path,
            "domain = \"x.example\"\n[federation]\nmode = \"allowlist\"\n",
        )
        .unwrap();
        let s = load_from(Some(&path), env(&[])).unwrap();
        assert_eq!(s.domain, "x.example");
        std::fs::write(&path, "[federation]\nmodee = \"open\"\n").unwrap();
        let e = load_from(Some(&path), env(&[])).unwrap_err();
        assert!(e.contains("federation.modee"), "{e}");
        std::fs::write(&path, "dev_mode = \"yes\"\n").unwrap();
        let e = load_from(Some(&path), env(&[])).unwrap_err();
        assert!(e.contains("dev_mode"), "{e}");
    }
}
