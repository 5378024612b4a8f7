//! How this server names its own objects. Federation routes serve these paths.

#[derive(Debug, Clone)]
pub struct Uris {
    base: String,
}

impl Uris {
    pub fn new(base_url: &str) -> Uris {
        Uris {
            base: base_url.trim_end_matches('/').to_string(),
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// `host[:port]` of this server, as in handles (`user@host`).
    pub fn authority(&self) -> &str {
        self.base.split_once("://").map_or(&self.base, |(_, a)| a)
    }

    pub fn actor(&self, username: &str) -> String {
        format!("{}/users/{username}", self.base)
    }
    pub fn inbox(&self, username: &str) -> String {
        format!("{}/users/{username}/inbox", self.base)
    }
    pub fn outbox(&self, username: &str) -> String {
        format!("{}/users/{username}/outbox", self.base)
    }
    pub fn followers(&self, username: &str) -> String {
        format!("{}/users/{username}/followers", self.base)
    }
    pub fn following(&self, username: &str) -> String {
        format!("{}/users/{username}/following", self.base)
    }
    /// The collection of a board's moderators (its `attributedTo`).
    pub fn moderators(&self, username: &str) -> String {
        format!("{}/users/{username}/moderators", self.base)
    }
    /// The collection of statuses an account features (pins).
    pub fn featured(&self, username: &str) -> String {
        format!("{}/users/{username}/collections/featured", self.base)
    }
    /// The id of the `Like` for favourite `id`.
    pub fn like(&self, username: &str, id: i64) -> String {
        format!("{}/users/{username}#likes/{id}", self.base)
    }
    pub fn shared_inbox(&self) -> String {
        format!("{}/inbox", self.base)
    }
    pub fn profile_page(&self, username: &str) -> String {
        format!("{}/@{username}", self.base)
    }
    pub fn status(&self, username: &str, id: i64) -> String {
        format!("{}/users/{username}/statuses/{id}", self.base)
    }
    pub fn status_page(&self, username: &str, id: i64) -> String {
        format!("{}/@{username}/{id}", self.base)
    }
    /// The id of an activity this server sends.
    pub fn activity(&self, id: i64) -> String {
        format!("{}/activities/{id}", self.base)
    }
    pub fn instance_actor(&self) -> String {
        format!("{}/actor", self.base)
    }
    pub fn tag(&self, name: &str) -> String {
        format!("{}/tags/{name}", self.base)
    }
    /// Where a file of the file store is served.
    pub fn file(&self, key: &str) -> String {
        format!("{}/system/{key}", self.base)
    }
    pub fn default_avatar(&self) -> String {
        format!("{}/static/avatar.png", self.base)
    }
    pub fn default_header(&self) -> String {
        format!("{}/static/header.png", self.base)
    }

    /// Whether `url` names something on this server.
    pub fn is_local(&self, url: &str) -> bool {
        url == self.base || url.starts_with(&format!("{}/", self.base))
    }
}
