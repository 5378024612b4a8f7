//! `POST /api/v1/apps`, `GET /api/v1/apps/verify_credentials`.

use super::entities::application::application;
use crate::{
    api::{
        auth::AppAuth,
        error::ApiResult,
        params::{flex, Params},
    },
    core::{
        auth::{AppRegistration, Scopes},
        Core,
    },
};
use actix_web::{web, HttpResponse};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct AppParams {
    #[serde(default, deserialize_with = "flex::opt_string")]
    client_name: Option<String>,
    #[serde(default, deserialize_with = "flex::strings")]
    redirect_uris: Vec<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    scopes: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    website: Option<String>,
}

pub async fn create(
    core: web::Data<Core>,
    Params(p): Params<AppParams>,
) -> ApiResult<HttpResponse> {
    let redirect_uris = p
        .redirect_uris
        .iter()
        .flat_map(|s| s.split_whitespace())
        .map(str::to_string)
        .collect();
    let registered = core
        .register_app(AppRegistration {
            name: p.client_name.unwrap_or_default(),
            redirect_uris,
            scopes: Scopes::parse(p.scopes.as_deref().unwrap_or("read"))?,
            website: p.website,
        })
        .await?;
    Ok(HttpResponse::Ok().json(application(
        &registered.app,
        Some(&registered.client_secret),
    )))
}

pub async fn verify_credentials(auth: AppAuth) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(application(&auth.0.app, None)))
}
