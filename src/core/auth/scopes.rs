//! OAuth scopes as Mastodon defines them, and what each one allows.

use crate::core::error::{CoreError, CoreResult};
use std::collections::BTreeSet;

const TOP: &[&str] = &[
    "read",
    "write",
    "follow",
    "push",
    "profile",
    "admin:read",
    "admin:write",
];
const READ: &[&str] = &[
    "accounts",
    "blocks",
    "bookmarks",
    "favourites",
    "filters",
    "follows",
    "lists",
    "mutes",
    "notifications",
    "search",
    "statuses",
];
const WRITE: &[&str] = &[
    "accounts",
    "blocks",
    "bookmarks",
    "conversations",
    "favourites",
    "filters",
    "follows",
    "lists",
    "media",
    "mutes",
    "notifications",
    "reports",
    "statuses",
];
/// What the legacy `follow` scope grants.
const FOLLOW: &[&str] = &[
    "read:blocks",
    "write:blocks",
    "read:follows",
    "write:follows",
    "read:mutes",
    "write:mutes",
];

/// A set of granted scopes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scopes(BTreeSet<String>);

impl Scopes {
    /// Parse a space- (or `+`/comma-) separated list; unknown scopes are an error.
    /// An empty list means `read`, as in Mastodon.
    pub fn parse(s: &str) -> CoreResult<Scopes> {
        let mut set = BTreeSet::new();
        for scope in s
            .split([' ', '+', ','])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            if !known(scope) {
                return Err(CoreError::Invalid(format!("unknown scope `{scope}`")));
            }
            set.insert(scope.to_string());
        }
        if set.is_empty() {
            set.insert("read".to_string());
        }
        Ok(Scopes(set))
    }

    /// Whether these scopes allow an action that needs `required` (e.g. `read:statuses`).
    pub fn allows(&self, required: &str) -> bool {
        if self.0.contains(required) {
            return true;
        }
        let parent = match required.rsplit_once(':') {
            Some((p, _)) => p,
            None => return false,
        };
        if self.0.contains(parent) {
            return true;
        }
        if self.0.contains("follow") && FOLLOW.contains(&required) {
            return true;
        }
        required == "read:accounts" && self.0.contains("profile")
    }

    /// Whether every scope in `other` is also in these (a request stays within a grant).
    pub fn contains_all(&self, other: &Scopes) -> bool {
        other.0.iter().all(|s| self.0.contains(s) || self.allows(s))
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }
}

impl std::fmt::Display for Scopes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}",
            self.0.iter().cloned().collect::<Vec<_>>().join(" ")
        )
    }
}

fn known(scope: &str) -> bool {
    if TOP.contains(&scope) {
        return true;
    }
    match scope.split_once(':') {
        Some(("read", rest)) => READ.contains(&rest),
        Some(("write", rest)) => WRITE.contains(&rest),
        Some(("admin", rest)) => rest.starts_with("read:") || rest.starts_with("write:"),
        _ => false,
    }
}

/// Every scope this server knows (for the OAuth metadata).
pub fn all() -> Vec<String> {
    TOP.iter()
        .map(|s| s.to_string())
        .chain(READ.iter().map(|s| format!("read:{s}")))
        .chain(WRITE.iter().map(|s| format!("write:{s}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_grant_children_and_follow_grants_follows() {
        let s = Scopes::parse("read write:statuses follow").unwrap();
        assert!(s.allows("read:statuses"));
        assert!(s.allows("write:statuses"));
        assert!(!s.allows("write:media"));
        assert!(s.allows("write:follows"));
        assert!(!s.allows("admin:read"));
        assert!(Scopes::parse("profile").unwrap().allows("read:accounts"));
        assert!(!Scopes::parse("read").unwrap().allows("write:statuses"));
    }

    #[test]
    fn unknown_scopes_are_refused_and_empty_means_read() {
        assert!(Scopes::parse("read everything").is_err());
        assert_eq!(Scopes::parse("").unwrap().to_string(), "read");
        assert!(Scopes::parse("read write")
            .unwrap()
            .contains_all(&Scopes::parse("read:statuses write").unwrap()));
        assert!(!Scopes::parse("read")
            .unwrap()
            .contains_all(&Scopes::parse("write").unwrap()));
    }
}
