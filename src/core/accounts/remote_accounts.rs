//! Accounts and posts of other servers: finding them by handle or URL
//! (through the federation edge) and storing what their servers say.

use crate::core::{
    accounts::people::parse_acct,
    error::{CoreError, CoreResult},
    ports::Resolved,
    text, Core,
};
use crate::db::{
    self, accounts,
    accounts::{Account, Contact},
    DbConn,
};
use chrono::NaiveDateTime;

/// What another server says about one of its actors, already parsed.
#[derive(Debug, Clone)]
pub struct RemoteActor {
    pub ap_id: String,
    pub actor_type: String,
    pub username: String,
    /// `host[:port]` of `ap_id`.
    pub domain: String,
    pub display_name: String,
    /// Unsanitized HTML.
    pub note: String,
    pub url: Option<String>,
    /// Inboxes, collections and key: for the federation edge, stored unread.
    pub contact: Contact,
    pub locked: bool,
    pub bot: bool,
    pub discoverable: bool,
    pub avatar_url: Option<String>,
    pub header_url: Option<String>,
    /// (name, value as HTML)
    pub fields: Vec<(String, String)>,
    pub published: Option<NaiveDateTime>,
}

impl Core {
    /// An account by handle, asking its server when we do not know it yet.
    pub async fn resolve(&self, acct: &str) -> CoreResult<Account> {
        match self.lookup(acct).await {
            Err(CoreError::NotFound) => {
                let (user, domain) = parse_acct(acct, &self.settings().domain)?;
                match domain {
                    Some(d) => self.remote().resolve_account(&user, &d).await,
                    None => Err(CoreError::NotFound),
                }
            }
            other => other,
        }
    }

    /// Find an account or status by URL, fetching it from its server if allowed.
    pub async fn resolve_url(&self, url: &str, fetch: bool) -> CoreResult<Resolved> {
        let u = url.to_string();
        let known = self
            .read(move |conn, _| {
                if let Some(a) = accounts::by_ap_id_or_url(conn, &u)? {
                    return Ok(Some(Resolved::Account(a)));
                }
                Ok(db::statuses::by_ap_id_or_url(conn, &u)?.map(Resolved::Status))
            })
            .await?;
        match known {
            Some(r) => Ok(r),
            None if fetch && !self.uris().is_local(url) => self.remote().resolve_url(url).await,
            None => Err(CoreError::NotFound),
        }
    }

    /// Store what another server says about one of its actors.
    pub async fn upsert_remote_actor(&self, actor: RemoteActor) -> CoreResult<Account> {
        self.write(move |conn, core| upsert_remote_actor(conn, core, actor))
            .await
    }

    /// A remote actor was deleted on its server.
    pub async fn remote_actor_deleted(&self, ap_id: &str) -> CoreResult<()> {
        let ap_id = ap_id.to_string();
        self.write(move |conn, _| {
            if let Some(mut a) = accounts::by_ap_id(conn, &ap_id)? {
                if !a.is_local() {
                    a.deleted_at = Some(db::now());
                    accounts::update(conn, &a)?;
                    db::tombstones::insert(conn, &ap_id)?;
                }
            }
            Ok(())
        })
        .await
    }
}

fn upsert_remote_actor(conn: &mut DbConn, core: &Core, actor: RemoteActor) -> CoreResult<Account> {
    if core.uris().is_local(&actor.ap_id) {
        return Err(CoreError::Invalid(
            "an actor cannot claim to live on this server".into(),
        ));
    }
    let now = db::now();
    let fields: Vec<serde_json::Value> = actor
        .fields
        .iter()
        .take(16)
        .map(|(n, v)| serde_json::json!({"name": text::clean_label(n, 255), "value": text::sanitize_html(v)}))
        .collect();
    let existing = accounts::by_ap_id(conn, &actor.ap_id)?;
    let mut account = existing.clone().unwrap_or_else(|| Account {
        id: core.next_id(),
        username: String::new(),
        domain: Some(actor.domain.clone()),
        actor_type: String::new(),
        display_name: String::new(),
        note: String::new(),
        ap_id: actor.ap_id.clone(),
        url: None,
        inbox_url: String::new(),
        shared_inbox_url: None,
        outbox_url: None,
        followers_url: None,
        following_url: None,
        public_key_pem: String::new(),
        private_key_pem: None,
        locked: false,
        bot: false,
        discoverable: false,
        avatar_url: None,
        header_url: None,
        fields: "[]".into(),
        suspended_at: None,
        deleted_at: None,
        created_at: actor.published.unwrap_or(now),
        updated_at: now,
        last_fetched_at: None,
    });
    account.username = text::clean_label(&actor.username, 100);
    account.actor_type = actor.actor_type;
    account.display_name = text::clean_label(&actor.display_name, 100);
    account.note = text::sanitize_html(&actor.note);
    account.url = actor.url;
    account.set_contact(actor.contact);
    account.locked = actor.locked;
    account.bot = actor.bot;
    account.discoverable = actor.discoverable;
    account.avatar_url = actor.avatar_url;
    account.header_url = actor.header_url;
    account.fields = serde_json::Value::Array(fields).to_string();
    account.updated_at = now;
    account.last_fetched_at = Some(now);
    if existing.is_some() {
        accounts::update(conn, &account)?;
    } else {
        accounts::insert(conn, &account)?;
    }
    Ok(account)
}
