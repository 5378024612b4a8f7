//! `Account` and `CredentialAccount`.

use super::{datetime, id};
use crate::{
    core::{text, views::AccountView, Core},
    db::users::User,
};
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub name: String,
    pub value: String,
    pub verified_at: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Account {
    pub id: String,
    pub username: String,
    pub acct: String,
    pub display_name: String,
    pub locked: bool,
    pub bot: bool,
    pub discoverable: bool,
    pub indexable: bool,
    pub group: bool,
    pub noindex: bool,
    pub hide_collections: bool,
    pub created_at: String,
    pub note: String,
    pub url: String,
    pub uri: String,
    pub avatar: String,
    pub avatar_static: String,
    pub header: String,
    pub header_static: String,
    pub followers_count: i64,
    pub following_count: i64,
    pub statuses_count: i64,
    pub last_status_at: Option<String>,
    pub emojis: Vec<Value>,
    pub fields: Vec<Field>,
    pub roles: Vec<Value>,
}

pub fn account(v: &AccountView, core: &Core) -> Account {
    let a = &v.account;
    let uris = core.uris();
    let avatar = a
        .avatar_url
        .clone()
        .unwrap_or_else(|| uris.default_avatar());
    let header = a
        .header_url
        .clone()
        .unwrap_or_else(|| uris.default_header());
    let fields = serde_json::from_str::<Vec<Value>>(&a.fields)
        .unwrap_or_default()
        .iter()
        .filter_map(|f| {
            Some(Field {
                name: f["name"].as_str()?.to_string(),
                value: f["value"].as_str()?.to_string(),
                verified_at: None,
            })
        })
        .collect();
    Account {
        id: id(a.id),
        username: a.username.clone(),
        acct: a.acct(),
        display_name: a.display_name.clone(),
        locked: a.locked,
        bot: a.bot,
        discoverable: a.discoverable,
        indexable: a.discoverable,
        group: a.actor_type == "Group",
        noindex: !a.discoverable,
        hide_collections: false,
        created_at: datetime(a.created_at),
        note: a.note.clone(),
        url: a.url.clone().unwrap_or_else(|| a.ap_id.clone()),
        uri: a.ap_id.clone(),
        avatar_static: avatar.clone(),
        avatar,
        header_static: header.clone(),
        header,
        followers_count: v.followers_count,
        following_count: v.following_count,
        statuses_count: v.statuses_count,
        last_status_at: v.last_status_at.map(|t| t.format("%Y-%m-%d").to_string()),
        emojis: vec![],
        fields,
        roles: vec![],
    }
}

#[derive(Debug, Serialize)]
pub struct Source {
    pub privacy: String,
    pub sensitive: bool,
    pub language: Option<String>,
    pub note: String,
    pub fields: Vec<Field>,
    pub follow_requests_count: i64,
    pub indexable: bool,
    pub discoverable: bool,
    pub hide_collections: bool,
}

#[derive(Debug, Serialize)]
pub struct CredentialAccount {
    #[serde(flatten)]
    pub account: Account,
    pub source: Source,
    pub role: Value,
}

pub fn credential_account(
    v: &AccountView,
    user: &User,
    follow_requests: i64,
    core: &Core,
) -> CredentialAccount {
    let account = account(v, core);
    let role = user.role.as_str();
    CredentialAccount {
        source: Source {
            privacy: user.default_visibility.clone(),
            sensitive: user.default_sensitive,
            language: user.default_language.clone(),
            note: text::html_to_text(&v.account.note),
            fields: account
                .fields
                .iter()
                .map(|f| Field {
                    name: f.name.clone(),
                    value: text::html_to_text(&f.value),
                    verified_at: None,
                })
                .collect(),
            follow_requests_count: follow_requests,
            indexable: v.account.discoverable,
            discoverable: v.account.discoverable,
            hide_collections: false,
        },
        role: serde_json::json!({
            "id": match role { "admin" => "3", "moderator" => "2", _ => "-99" },
            "name": match role { "admin" => "Admin", "moderator" => "Moderator", _ => "" },
            "color": "", "permissions": "0", "highlighted": role != "user"
        }),
        account,
    }
}
