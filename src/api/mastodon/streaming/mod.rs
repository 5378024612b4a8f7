//! `/api/v1/streaming`: live events over a WebSocket (subscribe and
//! unsubscribe by message) or as server-sent events (one stream per URL).
//! The token may come in the `Authorization` header, the `access_token`
//! query parameter or, for WebSockets, `Sec-WebSocket-Protocol` (echoed
//! back). A connection closes when its token stops being valid.

pub mod hub;
pub mod streams;

use crate::{
    api::{
        auth::bearer_or_query,
        error::{ApiError, ApiResult},
    },
    core::{auth::Caller, Core},
};
use actix_web::{
    http::{header, StatusCode},
    web, HttpRequest, HttpResponse,
};
use hub::{Hub, Message};
use serde::Deserialize;
use serde_json::json;
use std::{collections::HashMap, sync::Arc, time::Duration};
use streams::Stream;

/// How often a connection checks that its token is still valid.
const RECHECK: Duration = Duration::from_secs(30);
/// Keep-alive interval (WebSocket ping, SSE comment).
const HEARTBEAT: Duration = Duration::from_secs(15);

fn query(req: &HttpRequest) -> HashMap<String, String> {
    web::Query::<HashMap<String, String>>::from_query(req.query_string())
        .map(|q| q.into_inner())
        .unwrap_or_default()
}

/// The token from the header, the query, or the WebSocket protocol header.
fn token(req: &HttpRequest) -> Option<String> {
    bearer_or_query(req).or_else(|| {
        req.headers()
            .get(header::SEC_WEBSOCKET_PROTOCOL)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(',').next().unwrap_or_default().trim().to_string())
            .filter(|v| !v.is_empty())
    })
}

async fn caller(core: &Core, req: &HttpRequest) -> ApiResult<Option<Caller>> {
    match token(req) {
        None => Ok(None),
        Some(t) => match core.caller(&t).await? {
            Some(c) => Ok(Some(c)),
            None => Err(ApiError::unauthorized()),
        },
    }
}

/// Whether `caller` may read `stream`; anonymous callers only public ones.
fn check(caller: &Option<Caller>, stream: &Stream) -> Result<(), ApiError> {
    match caller {
        Some(c) if c.account.is_some() => {
            if c.scopes.allows(stream.scope()) {
                Ok(())
            } else {
                Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "This action is outside the authorized scopes",
                ))
            }
        }
        _ if stream.is_private() => Err(ApiError::unauthorized()),
        _ => Ok(()),
    }
}

/// Whether the connection's token still works (revoked, password changed, suspended ...).
async fn still_valid(core: &Core, caller: &Option<Caller>, token: &Option<String>) -> bool {
    match (caller, token) {
        (Some(_), Some(t)) => matches!(core.caller(t).await, Ok(Some(_))),
        _ => true,
    }
}

/// `GET /api/v1/streaming/health`
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("OK")
}

#[derive(Deserialize)]
struct Command {
    #[serde(rename = "type")]
    kind: String,
    stream: String,
    #[serde(default)]
    tag: Option<String>,
    #[serde(default)]
    list: Option<serde_json::Value>,
}

fn ws_message(m: &Message) -> String {
    json!({"stream": m.stream, "event": m.event, "payload": m.payload}).to_string()
}

/// `GET /api/v1/streaming` with a WebSocket upgrade.
pub async fn websocket(
    req: HttpRequest,
    body: web::Payload,
    core: web::Data<Core>,
    hub: web::Data<Arc<Hub>>,
) -> ApiResult<HttpResponse> {
    let core = core.get_ref().clone();
    let caller = caller(&core, &req).await?;
    let q = query(&req);
    let first = match q.get("stream") {
        Some(name) => {
            let s = Stream::parse(
                name,
                q.get("tag").map(String::as_str),
                q.get("list").map(String::as_str),
            )
            .map_err(ApiError::unprocessable)?;
            check(&caller, &s)?;
            Some(s)
        }
        None => None,
    };
    if caller.is_none() && first.is_none() {
        return Err(ApiError::unauthorized());
    }
    let (mut response, mut session, mut incoming) = actix_ws::handle(&req, body)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.to_string()))?;
    if let Some(protocol) = req.headers().get(header::SEC_WEBSOCKET_PROTOCOL) {
        response
            .headers_mut()
            .insert(header::SEC_WEBSOCKET_PROTOCOL, protocol.clone());
    }
    let hub = hub.get_ref().clone();
    let token = token(&req);
    let account_id = caller
        .as_ref()
        .and_then(|c| c.account.as_ref().map(|a| a.id));
    let (id, mut rx) = hub.connect(account_id, caller.as_ref().map(|c| c.token_id));
    if let Some(s) = first {
        hub.subscribe(id, s);
    }
    actix_web::rt::spawn(async move {
        let mut beat = tokio::time::interval(HEARTBEAT);
        let mut recheck = tokio::time::interval(RECHECK);
        recheck.tick().await;
        loop {
            tokio::select! {
                msg = rx.recv() => {
                    let Some(m) = msg else { break };
                    if session.text(ws_message(&m)).await.is_err() {
                        break;
                    }
                }
                frame = incoming.recv() => {
                    match frame {
                        Some(Ok(actix_ws::Message::Text(text))) => {
                            if let Err(e) = command(&hub, id, &caller, &text) {
                                let reply = json!({"error": e}).to_string();
                                if session.text(reply).await.is_err() {
                                    break;
                                }
                            }
                        }
                        Some(Ok(actix_ws::Message::Ping(p))) => {
                            if session.pong(&p).await.is_err() {
                                break;
                            }
                        }
                        Some(Ok(actix_ws::Message::Close(_))) | None | Some(Err(_)) => break,
                        Some(Ok(_)) => {}
                    }
                }
                _ = beat.tick() => {
                    if session.ping(b"").await.is_err() {
                        break;
                    }
                }
                _ = recheck.tick() => {
                    if !still_valid(&core, &caller, &token).await {
                        break;
                    }
                }
            }
        }
        hub.disconnect(id);
        let _ = session.close(None).await;
    });
    Ok(response)
}

/// Apply a `subscribe`/`unsubscribe` message.
fn command(hub: &Hub, id: u64, caller: &Option<Caller>, text: &str) -> Result<(), String> {
    let cmd: Command = serde_json::from_str(text).map_err(|e| format!("bad message: {e}"))?;
    let list = cmd.list.as_ref().map(|l| match l {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    let stream = Stream::parse(&cmd.stream, cmd.tag.as_deref(), list.as_deref())?;
    match cmd.kind.as_str() {
        "subscribe" => {
            check(caller, &stream).map_err(|e| e.to_string())?;
            hub.subscribe(id, stream);
            Ok(())
        }
        "unsubscribe" => {
            hub.unsubscribe(id, &stream);
            Ok(())
        }
        other => Err(format!("unknown message type `{other}`")),
    }
}

/// `GET /api/v1/streaming/{stream}` as server-sent events.
pub async fn server_sent_events(
    req: HttpRequest,
    path: web::Path<String>,
    core: web::Data<Core>,
    hub: web::Data<Arc<Hub>>,
) -> ApiResult<HttpResponse> {
    let core = core.get_ref().clone();
    let q = query(&req);
    let stream = Stream::from_path(
        &path,
        q.get("tag").map(String::as_str),
        q.get("list").map(String::as_str),
    )
    .map_err(|_| ApiError::not_found())?;
    let caller = caller(&core, &req).await?;
    check(&caller, &stream)?;
    let hub = hub.get_ref().clone();
    let token = token(&req);
    let account_id = caller
        .as_ref()
        .and_then(|c| c.account.as_ref().map(|a| a.id));
    let (id, rx) = hub.connect(account_id, caller.as_ref().map(|c| c.token_id));
    hub.subscribe(id, stream);
    let state = SseState {
        rx,
        beat: tokio::time::interval(HEARTBEAT),
        checked: tokio::time::Instant::now(),
        _closing: Closing { hub, id },
        core,
        caller,
        token,
    };
    let body = futures::stream::unfold(state, |mut s| async move {
        let chunk = tokio::select! {
            msg = s.rx.recv() => {
                let m = msg?;
                web::Bytes::from(format!("event: {}\ndata: {}\n\n", m.event, m.payload))
            }
            _ = s.beat.tick() => {
                if s.checked.elapsed() >= RECHECK {
                    if !still_valid(&s.core, &s.caller, &s.token).await {
                        return None;
                    }
                    s.checked = tokio::time::Instant::now();
                }
                web::Bytes::from_static(b":thump\n\n")
            }
        };
        Some((Ok::<_, actix_web::Error>(chunk), s))
    });
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(body))
}

struct SseState {
    rx: tokio::sync::mpsc::Receiver<Message>,
    beat: tokio::time::Interval,
    checked: tokio::time::Instant,
    _closing: Closing,
    core: Core,
    caller: Option<Caller>,
    token: Option<String>,
}

/// Leaves the hub when the response stream is dropped (the client went away).
struct Closing {
    hub: Arc<Hub>,
    id: u64,
}

impl Drop for Closing {
    fn drop(&mut self) {
        self.hub.disconnect(self.id);
    }
}
