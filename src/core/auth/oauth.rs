//! OAuth 2 as Mastodon apps use it: app registration, authorization codes
//! (with PKCE), tokens by code, password, client credentials and refresh.

use crate::core::{
    auth::scopes::Scopes,
    crypto,
    error::{CoreError, CoreResult},
    found, Core,
};
use crate::db::{
    self, accounts,
    accounts::Account,
    oauth::{self as store, App, Code, Token},
    users::{self, User},
};
use chrono::{Duration, NaiveDateTime};

/// The redirect URI that shows the code on a page instead of redirecting.
pub const OOB: &str = "urn:ietf:wg:oauth:2.0:oob";

#[derive(Debug, Clone)]
pub struct AppRegistration {
    pub name: String,
    pub redirect_uris: Vec<String>,
    pub scopes: Scopes,
    pub website: Option<String>,
}

/// An app just registered, with its client secret: the only time the
/// secret exists in clear (only its hash is stored).
#[derive(Debug, Clone)]
pub struct RegisteredApp {
    pub app: App,
    pub client_secret: String,
}

/// A token just issued: the only time its secrets exist in clear.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub scopes: Scopes,
    pub created_at: NaiveDateTime,
}

/// Who is calling the API, and what they may do.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token_id: i64,
    pub app: App,
    /// `None` for an app token (client credentials).
    pub account: Option<Account>,
    pub user: Option<User>,
    pub scopes: Scopes,
}

impl App {
    pub fn redirect_uri_list(&self) -> Vec<&str> {
        self.redirect_uris
            .lines()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    }

    pub fn scope_set(&self) -> Scopes {
        Scopes::parse(&self.scopes).unwrap_or_default()
    }
}

fn check_redirect_uri(uri: &str) -> CoreResult<()> {
    if uri == OOB {
        return Ok(());
    }
    let parsed = url::Url::parse(uri)
        .map_err(|_| CoreError::Invalid(format!("invalid redirect URI `{uri}`")))?;
    if parsed.fragment().is_some() || matches!(parsed.scheme(), "javascript" | "data" | "file") {
        return Err(CoreError::Invalid(format!("invalid redirect URI `{uri}`")));
    }
    Ok(())
}

impl Core {
    pub async fn register_app(&self, reg: AppRegistration) -> CoreResult<RegisteredApp> {
        let name = crate::core::text::clean_label(&reg.name, 100);
        if name.is_empty() {
            return Err(CoreError::Invalid(
                "Validation failed: Application name can't be blank".into(),
            ));
        }
        if reg.redirect_uris.is_empty() {
            return Err(CoreError::Invalid(
                "Validation failed: Redirect URI can't be blank".into(),
            ));
        }
        for uri in &reg.redirect_uris {
            check_redirect_uri(uri)?;
        }
        let client_secret = crypto::random_token(32);
        let client_secret_hash = crypto::sha256_hex(&client_secret);
        let app = self
            .write(move |conn, core| {
                let app = App {
                    id: core.next_id(),
                    name,
                    website: reg.website.filter(|w| !w.trim().is_empty()),
                    redirect_uris: reg.redirect_uris.join("\n"),
                    scopes: reg.scopes.to_string(),
                    client_id: crypto::random_token(32),
                    client_secret_hash,
                    created_at: db::now(),
                };
                store::insert_app(conn, &app)?;
                Ok(app)
            })
            .await?;
        Ok(RegisteredApp { app, client_secret })
    }

    pub async fn app(&self, client_id: &str) -> CoreResult<App> {
        let client_id = client_id.to_string();
        self.read(move |conn, _| found(store::app_by_client_id(conn, &client_id)?))
            .await
    }

    /// The app whose id and secret these are.
    pub async fn authenticate_client(
        &self,
        client_id: &str,
        client_secret: &str,
    ) -> CoreResult<App> {
        let hash = crypto::sha256_hex(client_secret);
        match self.app(client_id).await {
            Ok(app) if app.client_secret_hash.len() == hash.len()
                && openssl::memcmp::eq(app.client_secret_hash.as_bytes(), hash.as_bytes()) =>
            {
                Ok(app)
            }
            Ok(_) | Err(CoreError::NotFound) => {
                Err(CoreError::Unauthorized("Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.".into()))
            }
            Err(e) => Err(e),
        }
    }

    /// Check an authorization request before showing the consent page.
    pub fn check_authorization(
        &self,
        app: &App,
        redirect_uri: &str,
        scopes: &Scopes,
    ) -> CoreResult<()> {
        if !app.redirect_uri_list().contains(&redirect_uri) {
            return Err(CoreError::Invalid(
                "The redirect uri included is not valid.".into(),
            ));
        }
        if !app.scope_set().contains_all(scopes) {
            return Err(CoreError::Invalid(
                "The requested scope is invalid, unknown, or malformed.".into(),
            ));
        }
        Ok(())
    }

    /// The user approved: a one-time code for the app, valid ten minutes.
    pub async fn issue_code(
        &self,
        app: &App,
        account_id: i64,
        redirect_uri: &str,
        scopes: &Scopes,
        code_challenge: Option<String>,
    ) -> CoreResult<String> {
        self.check_authorization(app, redirect_uri, scopes)?;
        let code = crypto::random_token(32);
        let row = Code {
            id: self.next_id(),
            code_hash: crypto::sha256_hex(&code),
            app_id: app.id,
            account_id,
            redirect_uri: redirect_uri.to_string(),
            scopes: scopes.to_string(),
            code_challenge,
            expires_at: db::now() + Duration::minutes(10),
        };
        self.write(move |conn, _| Ok(store::insert_code(conn, &row)?))
            .await?;
        Ok(code)
    }

    pub async fn exchange_code(
        &self,
        app: &App,
        code: &str,
        redirect_uri: &str,
        code_verifier: Option<&str>,
    ) -> CoreResult<IssuedToken> {
        let hash = crypto::sha256_hex(code);
        let row = self
            .write(move |conn, _| Ok(store::take_code(conn, &hash)?))
            .await?;
        let invalid = || {
            CoreError::Invalid("The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.".into())
        };
        let row = row.ok_or_else(invalid)?;
        if row.app_id != app.id || row.redirect_uri != redirect_uri || row.expires_at < db::now() {
            return Err(invalid());
        }
        if let Some(challenge) = &row.code_challenge {
            let ok = code_verifier.is_some_and(|v| crypto::pkce_s256(v) == *challenge);
            if !ok {
                return Err(invalid());
            }
        }
        let scopes = Scopes::parse(&row.scopes)?;
        self.issue_token(app, Some(row.account_id), scopes).await
    }

    pub async fn password_grant(
        &self,
        app: &App,
        login: &str,
        password: &str,
        scopes: Scopes,
    ) -> CoreResult<IssuedToken> {
        if !app.scope_set().contains_all(&scopes) {
            return Err(CoreError::Invalid(
                "The requested scope is invalid, unknown, or malformed.".into(),
            ));
        }
        let (_, account) = self.authenticate(login, password).await?;
        self.issue_token(app, Some(account.id), scopes).await
    }

    /// A token for an account that has just signed up through `app`.
    pub async fn sign_in_new_account(
        &self,
        app: &App,
        account_id: i64,
        scopes: Scopes,
    ) -> CoreResult<IssuedToken> {
        let scopes = if app.scope_set().contains_all(&scopes) {
            scopes
        } else {
            app.scope_set()
        };
        self.issue_token(app, Some(account_id), scopes).await
    }

    pub async fn client_credentials(&self, app: &App, scopes: Scopes) -> CoreResult<IssuedToken> {
        if !app.scope_set().contains_all(&scopes) {
            return Err(CoreError::Invalid(
                "The requested scope is invalid, unknown, or malformed.".into(),
            ));
        }
        self.issue_token(app, None, scopes).await
    }

    /// A new token for a refresh token; the old token is revoked in the
    /// same transaction, by a conditional update: a refresh token used
    /// twice at once yields one new token, the other use is refused.
    pub async fn refresh(&self, app: &App, refresh_token: &str) -> CoreResult<IssuedToken> {
        let hash = crypto::sha256_hex(refresh_token);
        let app = app.clone();
        self.write(move |conn, core| {
            let old = store::take_refresh(conn, app.id, &hash)?
                .ok_or_else(|| CoreError::Invalid("The refresh token is invalid.".into()))?;
            crate::core::events::emit(crate::core::events::Event::TokenRevoked {
                token_id: old.id,
            });
            let (row, issued) = new_token(core, &app, old.account_id, Scopes::parse(&old.scopes)?);
            store::insert_token(conn, &row)?;
            Ok(issued)
        })
        .await
    }

    /// Revoke an access or refresh token of `app` (unknown tokens are ignored).
    pub async fn revoke(&self, app: &App, token: &str) -> CoreResult<()> {
        let hash = crypto::sha256_hex(token);
        let app_id = app.id;
        self.write(move |conn, _| {
            let t = match store::token_by_hash(conn, &hash)? {
                Some(t) => Some(t),
                None => store::token_by_refresh_hash(conn, &hash)?,
            };
            if let Some(t) = t.filter(|t| t.app_id == app_id) {
                revoke_token(conn, t.id)?;
            }
            Ok(())
        })
        .await
    }

    async fn issue_token(
        &self,
        app: &App,
        account_id: Option<i64>,
        scopes: Scopes,
    ) -> CoreResult<IssuedToken> {
        let (row, issued) = new_token(self, app, account_id, scopes);
        self.write(move |conn, _| Ok(store::insert_token(conn, &row)?))
            .await?;
        Ok(issued)
    }

    /// Who a bearer token belongs to; `None` for unknown, revoked or
    /// suspended tokens.
    pub async fn caller(&self, bearer: &str) -> CoreResult<Option<Caller>> {
        let hash = crypto::sha256_hex(bearer);
        self.read(move |conn, _| {
            let Some(token) = store::token_by_hash(conn, &hash)? else {
                return Ok(None);
            };
            let app = found(store::app_by_id(conn, token.app_id)?)?;
            let (account, user) = match token.account_id {
                Some(id) => {
                    let Some(account) = accounts::by_id(conn, id)? else {
                        return Ok(None);
                    };
                    if account.suspended_at.is_some() || account.deleted_at.is_some() {
                        return Ok(None);
                    }
                    let user = users::by_account(conn, id)?;
                    if user.as_ref().is_some_and(|u| !u.approved) {
                        return Err(CoreError::Forbidden(
                            "Your login is currently pending approval".into(),
                        ));
                    }
                    (Some(account), user)
                }
                None => (None, None),
            };
            Ok(Some(Caller {
                token_id: token.id,
                scopes: Scopes::parse(&token.scopes)?,
                app,
                account,
                user,
            }))
        })
        .await
    }
}

/// A new token for `app` (and `account_id`, with a refresh token): the row
/// to store (hashes only) and what the app is given.
fn new_token(
    core: &Core,
    app: &App,
    account_id: Option<i64>,
    scopes: Scopes,
) -> (Token, IssuedToken) {
    let access = crypto::random_token(32);
    let refresh = account_id.map(|_| crypto::random_token(32));
    let now = db::now();
    let row = Token {
        id: core.next_id(),
        app_id: app.id,
        account_id,
        token_hash: crypto::sha256_hex(&access),
        refresh_token_hash: refresh.as_deref().map(crypto::sha256_hex),
        scopes: scopes.to_string(),
        created_at: now,
        revoked_at: None,
    };
    let issued = IssuedToken {
        access_token: access,
        refresh_token: refresh,
        scopes,
        created_at: now,
    };
    (row, issued)
}

/// Revoke a token; streams opened with it close.
fn revoke_token(conn: &mut crate::db::DbConn, id: i64) -> CoreResult<()> {
    store::revoke_token(conn, id)?;
    crate::core::events::emit(crate::core::events::Event::TokenRevoked { token_id: id });
    Ok(())
}
