//! The bench's fake remote servers: one HTTP listener on loopback that
//! answers for every made-up host (`*.bench`, mapped to 127.0.0.1 by the
//! server's dev hosts), told apart by the `Host` header. It serves the
//! inbox senders' actor documents (with their public keys) and answers
//! every POST with 202, counting the `Create`s that reach the fan-out hosts.

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use openssl::{
    pkey::{PKey, Private},
    rsa::Rsa,
};
use serde_json::json;
use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
    time::Instant,
};

/// An actor this server speaks for, with its key.
pub struct Actor {
    pub host: String,
    pub name: String,
    pub key: PKey<Private>,
    pub public_key_pem: String,
}

impl Actor {
    pub fn id(&self) -> String {
        format!("http://{}/users/{}", self.host, self.name)
    }
}

/// Fan-out hosts that received a `Create`, and when the last expected one did.
#[derive(Default)]
pub struct FanoutCount {
    pub hosts: HashSet<String>,
    pub expected: usize,
    pub done_at: Option<Instant>,
}

#[derive(Clone)]
struct State {
    /// host -> (actor name, actor document).
    actors: Arc<HashMap<String, (String, String)>>,
    fanout: Arc<Mutex<FanoutCount>>,
}

pub struct Peers {
    pub port: u16,
    pub actors: Vec<Actor>,
    pub fanout: Arc<Mutex<FanoutCount>>,
    handle: actix_web::dev::ServerHandle,
}

/// A fresh RSA key and its public PEM.
fn key() -> Result<(PKey<Private>, String), String> {
    let key = Rsa::generate(2048)
        .and_then(PKey::from_rsa)
        .map_err(|e| format!("generating a key: {e}"))?;
    let pem = key
        .public_key_to_pem()
        .map_err(|e| format!("generating a key: {e}"))?;
    Ok((key, String::from_utf8_lossy(&pem).into_owned()))
}

impl Peers {
    /// Listen on a free loopback port, with `senders` inbox senders
    /// (`p<N>.inbox.bench`, one actor each).
    pub fn start(senders: usize) -> Result<Peers, String> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")
            .map_err(|e| format!("the fake remote servers cannot listen: {e}"))?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let mut actors = vec![];
        let mut docs = HashMap::new();
        for i in 0..senders {
            let (key, public_key_pem) = key()?;
            let actor = Actor {
                host: format!("p{i}.inbox.bench:{port}"),
                name: "teacher".into(),
                key,
                public_key_pem,
            };
            let id = actor.id();
            let doc = json!({
                "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
                "type": "Person", "id": id, "preferredUsername": actor.name, "name": "Remote teacher",
                "inbox": format!("{id}/inbox"), "outbox": format!("{id}/outbox"),
                "followers": format!("{id}/followers"),
                "endpoints": {"sharedInbox": format!("http://{}/inbox", actor.host)},
                "publicKey": {"id": format!("{id}#main-key"), "owner": id,
                              "publicKeyPem": actor.public_key_pem}
            });
            docs.insert(actor.host.clone(), (actor.name.clone(), doc.to_string()));
            actors.push(actor);
        }
        let fanout = Arc::new(Mutex::new(FanoutCount::default()));
        let state = State {
            actors: Arc::new(docs),
            fanout: fanout.clone(),
        };
        let data = web::Data::new(state);
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .app_data(web::PayloadConfig::new(1 << 20))
                .default_service(web::route().to(answer))
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .map_err(|e| format!("the fake remote servers cannot listen: {e}"))?
        .run();
        let handle = server.handle();
        tokio::spawn(server);
        Ok(Peers {
            port,
            actors,
            fanout,
            handle,
        })
    }

    /// Expect `n` fan-out hosts from now on (and forget earlier ones).
    pub fn expect_fanout(&self, n: usize) {
        let mut f = self.fanout.lock().unwrap_or_else(|p| p.into_inner());
        *f = FanoutCount {
            expected: n,
            ..FanoutCount::default()
        };
    }

    pub async fn stop(&self) {
        self.handle.stop(false).await;
    }
}

async fn answer(req: HttpRequest, body: web::Bytes, state: web::Data<State>) -> HttpResponse {
    let host = req
        .headers()
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if req.method() == actix_web::http::Method::POST {
        if host.contains(".fanout.bench") && is_create(&body) {
            let mut f = state.fanout.lock().unwrap_or_else(|p| p.into_inner());
            if f.hosts.insert(host) && f.hosts.len() == f.expected {
                f.done_at = Some(Instant::now());
            }
        }
        return HttpResponse::Accepted().finish();
    }
    match state.actors.get(&host) {
        Some((name, doc)) if req.path() == format!("/users/{name}") => HttpResponse::Ok()
            .content_type("application/activity+json")
            .body(doc.clone()),
        _ => HttpResponse::NotFound().finish(),
    }
}

fn is_create(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body)
        .map(|v| v["type"] == "Create")
        .unwrap_or(false)
}
