//! `POST /api/v1/accounts`: signing up from an app.

use super::oauth::token_response;
use crate::{
    api::{
        auth::AppAuth,
        error::{ApiError, ApiResult},
        params::{flex, Params},
    },
    core::{accounts::Registration, Core},
};
use actix_web::{web, HttpResponse};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct RegistrationParams {
    #[serde(default, deserialize_with = "flex::opt_string")]
    username: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    email: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    password: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_bool")]
    agreement: Option<bool>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    reason: Option<String>,
}

pub async fn register(
    auth: AppAuth,
    Params(p): Params<RegistrationParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let caller = auth.0;
    if !caller.scopes.allows("write:accounts") {
        return Err(ApiError::new(
            actix_web::http::StatusCode::FORBIDDEN,
            "This action is outside the authorized scopes",
        ));
    }
    let required = |v: Option<String>, name: &str| {
        v.filter(|s| !s.trim().is_empty()).ok_or_else(|| {
            ApiError::unprocessable(format!("Validation failed: {name} can't be blank"))
        })
    };
    let registration = Registration {
        username: required(p.username, "username")?,
        email: required(p.email, "email")?,
        password: required(p.password, "password")?,
        agreement: p.agreement.unwrap_or(false),
        reason: p.reason,
    };
    let issued = core
        .register(&caller.app, caller.scopes.clone(), registration)
        .await?;
    Ok(token_response(issued))
}
