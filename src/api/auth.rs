//! Who is calling: bearer tokens (the `Authorization` header; the
//! `access_token` query parameter only for streaming, as on Mastodon, since
//! URLs end up in logs and histories), and the scope each endpoint needs.

use super::error::ApiError;
use crate::{
    core::{auth::Caller, Core},
    db::accounts::Account,
};
use actix_web::{dev::Payload, http::StatusCode, web, FromRequest, HttpMessage, HttpRequest};
use std::{future::Future, pin::Pin};

/// A caller acting as a local account (user token).
pub struct Auth(pub Caller);

/// A caller that may be anonymous.
pub struct MaybeAuth(pub Option<Caller>);

/// Any valid token, with or without an account (app tokens too).
pub struct AppAuth(pub Caller);

/// The bearer token of the `Authorization` header.
pub fn bearer(req: &HttpRequest) -> Option<String> {
    let h = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())?;
    let (scheme, token) = h.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// The bearer token of the header or, failing that, of the `access_token`
/// query parameter: for the streaming API only (browsers cannot set headers
/// on a WebSocket or an `EventSource`).
pub fn bearer_or_query(req: &HttpRequest) -> Option<String> {
    if req.headers().contains_key("authorization") {
        return bearer(req);
    }
    web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.get("access_token").cloned())
}

/// A bearer token already looked up for this request (by the rate limiter,
/// which counts signed-in requests per account), and what it named.
#[derive(Clone)]
pub struct Resolved {
    pub token: String,
    pub caller: Option<Caller>,
}

async fn caller(req: HttpRequest) -> Result<Option<Caller>, ApiError> {
    let Some(token) = bearer(&req) else {
        return Ok(None);
    };
    let resolved = req.extensions().get::<Resolved>().cloned();
    if let Some(resolved) = resolved.filter(|r| r.token == token) {
        return resolved.caller.map(Some).ok_or_else(ApiError::unauthorized);
    }
    let core = req
        .app_data::<web::Data<Core>>()
        .ok_or_else(|| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "core missing"))?;
    match core.caller(&token).await? {
        Some(c) => Ok(Some(c)),
        None => Err(ApiError::unauthorized()),
    }
}

fn outside_scopes() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "This action is outside the authorized scopes",
    )
}

impl Auth {
    pub fn account(&self) -> &Account {
        self.0.account.as_ref().expect("Auth always has an account")
    }

    /// Refuse unless the token grants `scope` (e.g. `write:statuses`).
    pub fn require(&self, scope: &str) -> Result<&Account, ApiError> {
        if self.0.scopes.allows(scope) {
            Ok(self.account())
        } else {
            Err(outside_scopes())
        }
    }
}

impl MaybeAuth {
    /// The viewer's account id, if the token may read with `scope`.
    pub fn viewer(&self, scope: &str) -> Result<Option<i64>, ApiError> {
        match &self.0 {
            Some(c) if c.account.is_some() => {
                if c.scopes.allows(scope) {
                    Ok(c.account.as_ref().map(|a| a.id))
                } else {
                    Err(outside_scopes())
                }
            }
            _ => Ok(None),
        }
    }
}

type Fut<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

impl FromRequest for Auth {
    type Error = ApiError;
    type Future = Fut<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match caller(req).await? {
                Some(c) if c.account.is_some() => Ok(Auth(c)),
                Some(_) => Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "This method requires an authenticated user",
                )),
                None => Err(ApiError::unauthorized()),
            }
        })
    }
}

impl FromRequest for MaybeAuth {
    type Error = ApiError;
    type Future = Fut<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Ok(MaybeAuth(caller(req).await?)) })
    }
}

impl FromRequest for AppAuth {
    type Error = ApiError;
    type Future = Fut<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            caller(req)
                .await?
                .map(AppAuth)
                .ok_or_else(ApiError::unauthorized)
        })
    }
}
