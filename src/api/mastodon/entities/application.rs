//! `Application` (with credentials when just registered: the client
//! secret is shown once, only its hash is kept).

use super::id;
use crate::db::oauth::App;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Application {
    pub id: String,
    pub name: String,
    pub website: Option<String>,
    pub scopes: Vec<String>,
    pub redirect_uri: String,
    pub redirect_uris: Vec<String>,
    /// Web Push is not offered; clients read an empty key as "no push".
    pub vapid_key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret_expires_at: Option<i64>,
}

/// `client_secret`: the secret of an app just registered (then the
/// credentials are shown), `None` afterwards.
pub fn application(app: &App, client_secret: Option<&str>) -> Application {
    let with_secrets = client_secret.is_some();
    Application {
        id: id(app.id),
        name: app.name.clone(),
        website: app.website.clone(),
        scopes: app.scope_set().iter().map(str::to_string).collect(),
        redirect_uri: app.redirect_uris.clone(),
        redirect_uris: app
            .redirect_uri_list()
            .iter()
            .map(|s| s.to_string())
            .collect(),
        vapid_key: String::new(),
        client_id: with_secrets.then(|| app.client_id.clone()),
        client_secret: client_secret.map(str::to_string),
        client_secret_expires_at: with_secrets.then_some(0),
    }
}
