//! OAuth endpoints: the sign-in and consent page, tokens, revocation and
//! the server metadata apps discover them from.

use crate::{
    api::{
        error::{ApiError, ApiResult},
        params::{flex, Params},
    },
    core::{
        auth::{scopes, IssuedToken, Scopes, OOB},
        error::CoreError,
        Core,
    },
    db::oauth::App,
    web::html,
};
use actix_web::{http::StatusCode, web, HttpRequest, HttpResponse};
use askama::Template;
use base64::{engine::general_purpose::STANDARD, Engine};
use serde::Deserialize;
use serde_json::json;
use url::Url;

#[derive(Debug, Default, Deserialize)]
pub struct AuthorizeParams {
    #[serde(default, deserialize_with = "flex::opt_string")]
    response_type: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    client_id: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    redirect_uri: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    scope: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    state: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    code_challenge: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    code_challenge_method: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    login: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    password: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    decision: Option<String>,
}

#[derive(Template)]
#[template(path = "authorize.html")]
struct AuthorizePage<'a> {
    site_title: &'a str,
    action: &'a str,
    app_name: &'a str,
    client_id: &'a str,
    redirect_uri: &'a str,
    scopes: String,
    state: &'a str,
    code_challenge: &'a str,
    code_challenge_method: &'a str,
    login: &'a str,
    error: &'a str,
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage<'a> {
    site_title: &'a str,
    heading: &'a str,
    message: &'a str,
    code: &'a str,
}

fn message(core: &Core, status: StatusCode, heading: &str, text: &str, code: &str) -> HttpResponse {
    let page = MessagePage {
        site_title: &core.settings().instance.title,
        heading,
        message: text,
        code,
    };
    html(
        HttpResponse::build(status),
        page.render().unwrap_or_default(),
        None,
    )
}

/// A checked authorization request.
struct Request {
    app: App,
    redirect_uri: String,
    scopes: Scopes,
    challenge: Option<String>,
}

async fn check(core: &Core, p: &AuthorizeParams) -> Result<Request, String> {
    let app = core
        .app(p.client_id.as_deref().unwrap_or_default())
        .await
        .map_err(|_| "This application is not known to this server.".to_string())?;
    let redirect_uri = match p.redirect_uri.clone().filter(|r| !r.is_empty()) {
        Some(r) => r,
        None => match app.redirect_uri_list().as_slice() {
            [only] => only.to_string(),
            _ => return Err("The application did not say where to return to.".into()),
        },
    };
    if p.response_type.as_deref().unwrap_or("code") != "code" {
        return Err("Only the authorization code flow is supported.".into());
    }
    let scopes = Scopes::parse(p.scope.as_deref().unwrap_or("")).map_err(|e| e.to_string())?;
    core.check_authorization(&app, &redirect_uri, &scopes)
        .map_err(|e| e.to_string())?;
    let challenge = p.code_challenge.clone().filter(|c| !c.is_empty());
    if challenge.is_some() && p.code_challenge_method.as_deref().unwrap_or("plain") != "S256" {
        return Err("Only the S256 code challenge method is supported.".into());
    }
    Ok(Request {
        app,
        redirect_uri,
        scopes,
        challenge,
    })
}

/// Where a form may send the browser: this server and the app's redirect target.
fn form_target(redirect_uri: &str) -> Option<String> {
    let url = Url::parse(redirect_uri).ok()?;
    match url.scheme() {
        "http" | "https" => Some(url.origin().ascii_serialization()),
        other => Some(format!("{other}:")),
    }
}

fn page(
    core: &Core,
    req: &HttpRequest,
    p: &AuthorizeParams,
    r: &Request,
    status: StatusCode,
    error: &str,
) -> HttpResponse {
    let body = AuthorizePage {
        site_title: &core.settings().instance.title,
        action: req.path(),
        app_name: &r.app.name,
        client_id: &r.app.client_id,
        redirect_uri: &r.redirect_uri,
        scopes: r.scopes.to_string(),
        state: p.state.as_deref().unwrap_or_default(),
        code_challenge: r.challenge.as_deref().unwrap_or_default(),
        code_challenge_method: if r.challenge.is_some() { "S256" } else { "" },
        login: p.login.as_deref().unwrap_or_default(),
        error,
    }
    .render()
    .unwrap_or_default();
    html(
        HttpResponse::build(status),
        body,
        form_target(&r.redirect_uri).as_deref(),
    )
}

/// The registered redirect URI, exactly as registered (URL parsers would
/// lowercase an app's custom scheme), with `pairs` added to its query.
fn redirect_with(redirect_uri: &str, pairs: &[(&str, &str)]) -> HttpResponse {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
        query.append_pair(k, v);
    }
    let separator = if redirect_uri.contains('?') { '&' } else { '?' };
    let location = format!("{redirect_uri}{separator}{}", query.finish());
    HttpResponse::Found()
        .insert_header(("Location", location))
        .finish()
}

/// `GET /oauth/authorize`: the sign-in and consent page.
pub async fn authorize_page(
    req: HttpRequest,
    core: web::Data<Core>,
    Params(p): Params<AuthorizeParams>,
) -> HttpResponse {
    match check(&core, &p).await {
        Ok(r) => page(&core, &req, &p, &r, StatusCode::OK, ""),
        Err(e) => message(&core, StatusCode::BAD_REQUEST, "Cannot authorize", &e, ""),
    }
}

/// `POST /oauth/authorize`: sign in and approve (or deny).
pub async fn authorize(
    req: HttpRequest,
    core: web::Data<Core>,
    Params(p): Params<AuthorizeParams>,
) -> HttpResponse {
    let r = match check(&core, &p).await {
        Ok(r) => r,
        Err(e) => return message(&core, StatusCode::BAD_REQUEST, "Cannot authorize", &e, ""),
    };
    let state = p.state.clone().unwrap_or_default();
    if p.decision.as_deref() == Some("deny") {
        if r.redirect_uri == OOB {
            return message(
                &core,
                StatusCode::OK,
                "Authorization denied",
                "You can close this page.",
                "",
            );
        }
        return redirect_with(
            &r.redirect_uri,
            &[("error", "access_denied"), ("state", &state)],
        );
    }
    let login = p.login.clone().unwrap_or_default();
    let password = p.password.clone().unwrap_or_default();
    let account = match core.authenticate(&login, &password).await {
        Ok((_, account)) => account,
        Err(CoreError::Unauthorized(m)) => {
            return page(&core, &req, &p, &r, StatusCode::UNAUTHORIZED, &m)
        }
        Err(e) => {
            return message(
                &core,
                StatusCode::SERVICE_UNAVAILABLE,
                "Please try again",
                &e.to_string(),
                "",
            )
        }
    };
    let code = match core
        .issue_code(
            &r.app,
            account.id,
            &r.redirect_uri,
            &r.scopes,
            r.challenge.clone(),
        )
        .await
    {
        Ok(c) => c,
        Err(e) => {
            return message(
                &core,
                StatusCode::BAD_REQUEST,
                "Cannot authorize",
                &e.to_string(),
                "",
            )
        }
    };
    if r.redirect_uri == OOB {
        return message(
            &core,
            StatusCode::OK,
            "Authorization code",
            "Copy this code into the application:",
            &code,
        );
    }
    redirect_with(&r.redirect_uri, &[("code", &code), ("state", &state)])
}

#[derive(Debug, Default, Deserialize)]
pub struct TokenParams {
    #[serde(default, deserialize_with = "flex::opt_string")]
    grant_type: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    code: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    redirect_uri: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    client_id: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    client_secret: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    scope: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    username: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    password: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    refresh_token: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    code_verifier: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    token: Option<String>,
}

/// Client credentials from HTTP Basic or the body.
fn client_credentials(req: &HttpRequest, p: &TokenParams) -> (String, String) {
    let basic = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|h| h.strip_prefix("Basic "))
        .and_then(|b| STANDARD.decode(b.trim()).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| {
            let (id, secret) = s.split_once(':')?;
            let dec = |x: &str| {
                url::form_urlencoded::parse(format!("x={x}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
            };
            Some((dec(id)?, dec(secret)?))
        });
    basic.unwrap_or_else(|| {
        (
            p.client_id.clone().unwrap_or_default(),
            p.client_secret.clone().unwrap_or_default(),
        )
    })
}

fn grant_error(e: CoreError) -> ApiError {
    match e {
        CoreError::Unauthorized(m) if m.starts_with("Client") => ApiError::oauth(StatusCode::UNAUTHORIZED, "invalid_client", m),
        CoreError::Unauthorized(_) => ApiError::oauth(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
        ),
        CoreError::Invalid(m) if m.contains("scope") => ApiError::oauth(StatusCode::BAD_REQUEST, "invalid_scope", m),
        CoreError::Invalid(m) => ApiError::oauth(StatusCode::BAD_REQUEST, "invalid_grant", m),
        other => other.into(),
    }
}

/// `POST /oauth/token`
pub async fn token(
    req: HttpRequest,
    core: web::Data<Core>,
    Params(p): Params<TokenParams>,
) -> ApiResult<HttpResponse> {
    let (id, secret) = client_credentials(&req, &p);
    let app = core
        .authenticate_client(&id, &secret)
        .await
        .map_err(grant_error)?;
    let scopes = |default: &str| {
        Scopes::parse(
            p.scope
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .unwrap_or(default),
        )
    };
    let issued = match p.grant_type.as_deref().unwrap_or_default() {
        "authorization_code" => {
            let code = p.code.as_deref().unwrap_or_default();
            let redirect = p.redirect_uri.as_deref().unwrap_or_default();
            core.exchange_code(&app, code, redirect, p.code_verifier.as_deref()).await
        }
        "password" => {
            let scopes = scopes(&app.scopes).map_err(grant_error)?;
            let login = p.username.as_deref().unwrap_or_default();
            core.password_grant(&app, login, p.password.as_deref().unwrap_or_default(), scopes).await
        }
        "client_credentials" => core.client_credentials(&app, scopes("read").map_err(grant_error)?).await,
        "refresh_token" => core.refresh(&app, p.refresh_token.as_deref().unwrap_or_default()).await,
        other => {
            return Err(ApiError::oauth(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                format!("The authorization grant type `{other}` is not supported by the authorization server."),
            ))
        }
    }
    .map_err(grant_error)?;
    Ok(token_response(issued))
}

/// The `Token` entity for a newly issued token.
pub fn token_response(issued: IssuedToken) -> HttpResponse {
    let mut body = json!({
        "access_token": issued.access_token,
        "token_type": "Bearer",
        "scope": issued.scopes.to_string(),
        "created_at": issued.created_at.and_utc().timestamp(),
    });
    if let Some(r) = issued.refresh_token {
        body["refresh_token"] = json!(r);
    }
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(body)
}

/// `POST /oauth/revoke`
pub async fn revoke(
    req: HttpRequest,
    core: web::Data<Core>,
    Params(p): Params<TokenParams>,
) -> ApiResult<HttpResponse> {
    let (id, secret) = client_credentials(&req, &p);
    let app = core
        .authenticate_client(&id, &secret)
        .await
        .map_err(grant_error)?;
    core.revoke(&app, p.token.as_deref().unwrap_or_default())
        .await?;
    Ok(HttpResponse::Ok().json(json!({})))
}

/// `GET /.well-known/oauth-authorization-server`
pub async fn metadata(core: web::Data<Core>) -> HttpResponse {
    let base = core.uris().base();
    HttpResponse::Ok().json(json!({
        "issuer": format!("{base}/"),
        "service_documentation": "https://docs.joinmastodon.org/",
        "authorization_endpoint": format!("{base}/oauth/authorize"),
        "token_endpoint": format!("{base}/oauth/token"),
        "revocation_endpoint": format!("{base}/oauth/revoke"),
        "app_registration_endpoint": format!("{base}/api/v1/apps"),
        "scopes_supported": scopes::all(),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "password", "client_credentials", "refresh_token"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
    }))
}
