//! A fake remote server in the test process: it serves actors (with keys we
//! hold) and arbitrary documents, records what is posted to its inbox, and
//! sends activities signed exactly as a test asks, bad ways included.

use base64::{engine::general_purpose::STANDARD, Engine};
use openssl::{
    hash::MessageDigest,
    pkey::{PKey, Private},
    rsa::Rsa,
    sign::Signer,
};
use serde_json::{json, Value};
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, SystemTime},
};

/// Actor name -> (private key, public key PEM).
type Keys = HashMap<String, (PKey<Private>, String)>;

#[derive(Clone)]
struct State {
    domain: String,
    keys: Arc<Mutex<Keys>>,
    documents: Arc<Mutex<HashMap<String, Value>>>,
    received: Arc<Mutex<Vec<Value>>>,
    /// The bodies of every POST, as they came.
    received_raw: Arc<Mutex<Vec<String>>>,
    /// (path, body) of every POST.
    posted: Arc<Mutex<Vec<(String, Value)>>>,
    fetched: Arc<Mutex<Vec<String>>>,
    raw: Arc<Mutex<HashMap<String, Raw>>>,
    /// Actor name -> fields added to (or replacing those of) its document.
    actor_fields: Arc<Mutex<HashMap<String, serde_json::Map<String, Value>>>>,
}

/// A response served exactly as given, for tests of what fetching refuses.
#[derive(Clone)]
pub enum Raw {
    /// A 200 with this content type and body.
    Body { content_type: String, body: Vec<u8> },
    /// A 302 to this location.
    Redirect(String),
    /// An empty answer with this status (a 503: the server is down).
    Status(u16),
    /// A 200 whose body arrives in `chunks` pieces, one every `every`.
    Trickle {
        content_type: String,
        body: Vec<u8>,
        chunks: usize,
        every: Duration,
    },
}

impl Raw {
    fn respond(self) -> actix_web::HttpResponse {
        use futures::StreamExt;
        match self {
            Raw::Body { content_type, body } => actix_web::HttpResponse::Ok()
                .content_type(content_type)
                .body(body),
            Raw::Redirect(location) => actix_web::HttpResponse::Found()
                .insert_header(("location", location))
                .finish(),
            Raw::Status(code) => actix_web::HttpResponse::build(
                actix_web::http::StatusCode::from_u16(code).expect("a status code"),
            )
            .finish(),
            Raw::Trickle {
                content_type,
                body,
                chunks,
                every,
            } => {
                let size = body.len().div_ceil(chunks.max(1)).max(1);
                let pieces: Vec<actix_web::web::Bytes> = body
                    .chunks(size)
                    .map(actix_web::web::Bytes::copy_from_slice)
                    .collect();
                let stream = futures::stream::iter(pieces).then(move |piece| async move {
                    tokio::time::sleep(every).await;
                    Ok::<_, std::io::Error>(piece)
                });
                actix_web::HttpResponse::Ok()
                    .content_type(content_type)
                    .streaming(stream)
            }
        }
    }
}

pub struct FakePeer {
    pub domain: String,
    state: State,
    handle: actix_web::dev::ServerHandle,
}

/// How to sign a request (defaults: correct).
#[derive(Clone)]
pub struct Signing {
    /// Sign with this actor's key (default: the activity's actor).
    pub key_of: Option<String>,
    pub headers: Vec<&'static str>,
    pub date: SystemTime,
    pub digest: Digest,
    pub host: Option<String>,
    pub extra_params: String,
    pub signed: bool,
}

#[derive(Clone, PartialEq, Eq)]
pub enum Digest {
    Correct,
    Missing,
    Wrong,
    Sha512,
}

impl Default for Signing {
    fn default() -> Self {
        Signing {
            key_of: None,
            headers: vec!["(request-target)", "host", "date", "digest", "content-type"],
            date: SystemTime::now(),
            digest: Digest::Correct,
            host: None,
            extra_params: String::new(),
            signed: true,
        }
    }
}

async fn serve_get(
    req: actix_web::HttpRequest,
    state: actix_web::web::Data<State>,
) -> actix_web::HttpResponse {
    let path = req.path().to_string();
    state.fetched.lock().unwrap().push(path.clone());
    let raw = state.raw.lock().unwrap().get(&path).cloned();
    if let Some(raw) = raw {
        return raw.respond();
    }
    if path == "/.well-known/webfinger" {
        let q = req.query_string().to_string();
        let user = q
            .split("acct%3A")
            .nth(1)
            .or_else(|| q.split("acct:").nth(1))
            .unwrap_or_default();
        let name = user
            .split(['@', '%'])
            .next()
            .unwrap_or_default()
            .to_string();
        return actix_web::HttpResponse::Ok().content_type("application/jrd+json").json(json!({
            "subject": format!("acct:{name}@{}", state.domain),
            "links": [{"rel": "self", "type": "application/activity+json", "href": format!("http://{}/users/{name}", state.domain)}]
        }));
    }
    if let Some(doc) = state.documents.lock().unwrap().get(&path) {
        return actix_web::HttpResponse::Ok()
            .content_type("application/activity+json")
            .body(doc.to_string());
    }
    if let Some(name) = path.strip_prefix("/users/") {
        if let Some((_, public)) = state.keys.lock().unwrap().get(name) {
            let id = format!("http://{}/users/{name}", state.domain);
            let mut doc = json!({
                "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
                "type": "Person", "id": id, "preferredUsername": name, "name": name,
                "inbox": format!("{id}/inbox"), "outbox": format!("{id}/outbox"),
                "followers": format!("{id}/followers"),
                "endpoints": {"sharedInbox": format!("http://{}/inbox", state.domain)},
                "publicKey": {"id": format!("{id}#main-key"), "owner": id, "publicKeyPem": public}
            });
            if let Some(fields) = state.actor_fields.lock().unwrap().get(name) {
                for (k, v) in fields {
                    doc[k] = v.clone();
                }
            }
            return actix_web::HttpResponse::Ok()
                .content_type("application/activity+json")
                .body(doc.to_string());
        }
    }
    actix_web::HttpResponse::NotFound().finish()
}

async fn serve_post(
    path: String,
    body: actix_web::web::Bytes,
    state: actix_web::web::Data<State>,
) -> actix_web::HttpResponse {
    state
        .received_raw
        .lock()
        .unwrap()
        .push(String::from_utf8_lossy(&body).into_owned());
    if let Ok(v) = serde_json::from_slice::<Value>(&body) {
        state.received.lock().unwrap().push(v.clone());
        state.posted.lock().unwrap().push((path, v));
    }
    actix_web::HttpResponse::Accepted().finish()
}

impl FakePeer {
    /// Start serving on a free port as `<name>.test:<port>`.
    pub async fn start(name: &str) -> FakePeer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().unwrap().port();
        let domain = format!("{name}.test:{port}");
        let state = State {
            domain: domain.clone(),
            keys: Default::default(),
            documents: Default::default(),
            received: Default::default(),
            received_raw: Default::default(),
            posted: Default::default(),
            fetched: Default::default(),
            raw: Default::default(),
            actor_fields: Default::default(),
        };
        let data = actix_web::web::Data::new(state.clone());
        let server = actix_web::HttpServer::new(move || {
            actix_web::App::new()
                .app_data(data.clone())
                .default_service(actix_web::web::route().to(
                    |req: actix_web::HttpRequest,
                     body: actix_web::web::Bytes,
                     state: actix_web::web::Data<State>| async move {
                        if req.method() == actix_web::http::Method::POST {
                            serve_post(req.path().to_string(), body, state).await
                        } else {
                            serve_get(req, state).await
                        }
                    },
                ))
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .expect("listen")
        .run();
        let handle = server.handle();
        tokio::spawn(server);
        FakePeer {
            domain,
            state,
            handle,
        }
    }

    /// Add an actor with a fresh key pair; returns its id.
    pub fn add_actor(&self, name: &str) -> String {
        let key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
        let public = String::from_utf8(key.public_key_to_pem().unwrap()).unwrap();
        self.state
            .keys
            .lock()
            .unwrap()
            .insert(name.to_string(), (key, public));
        self.actor(name)
    }

    /// The public key (PEM) of an actor made with [`FakePeer::add_actor`].
    pub fn public_key(&self, name: &str) -> String {
        self.state.keys.lock().unwrap()[name].1.clone()
    }

    pub fn actor(&self, name: &str) -> String {
        format!("http://{}/users/{name}", self.domain)
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.domain)
    }

    /// Serve `doc` at `path` as ActivityPub JSON.
    pub fn serve(&self, path: &str, doc: Value) {
        self.state
            .documents
            .lock()
            .unwrap()
            .insert(path.to_string(), doc);
    }

    /// Serve a NodeInfo naming `software` (`/.well-known/nodeinfo` and the
    /// 2.1 document it links to), as servers tell what they run.
    pub fn serve_nodeinfo(&self, software: &str) {
        let document = self.url("/nodeinfo/2.1");
        self.serve(
            "/.well-known/nodeinfo",
            json!({"links": [{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
                              "href": document}]}),
        );
        self.serve(
            "/nodeinfo/2.1",
            json!({"version": "2.1", "software": {"name": software, "version": "1.0.0"},
                   "protocols": ["activitypub"], "openRegistrations": false,
                   "usage": {"users": {"total": 2}}, "metadata": {}}),
        );
    }

    /// Serve `raw` at `path` (before anything else served there, WebFinger
    /// included); `None` serves the usual answer again.
    pub fn serve_raw(&self, path: &str, raw: Option<Raw>) {
        let mut map = self.state.raw.lock().unwrap();
        match raw {
            Some(raw) => map.insert(path.to_string(), raw),
            None => map.remove(path),
        };
    }

    /// Add `value` as field `key` of actor `name`'s document (replacing it).
    pub fn set_actor_field(&self, name: &str, key: &str, value: Value) {
        self.state
            .actor_fields
            .lock()
            .unwrap()
            .entry(name.to_string())
            .or_default()
            .insert(key.to_string(), value);
    }

    /// Give actor `name` this `sharedInbox` (default: this peer's `/inbox`).
    pub fn set_shared_inbox(&self, name: &str, url: &str) {
        self.set_actor_field(name, "endpoints", json!({ "sharedInbox": url }));
    }

    /// What was POSTed to `path`.
    pub fn received_at(&self, path: &str) -> Vec<Value> {
        self.state
            .posted
            .lock()
            .unwrap()
            .iter()
            .filter(|(p, _)| p == path)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// Paths the instance fetched from this peer.
    pub fn fetched(&self) -> Vec<String> {
        self.state.fetched.lock().unwrap().clone()
    }

    /// Every body POSTed to this peer, byte for byte.
    pub fn received_raw(&self) -> Vec<String> {
        self.state.received_raw.lock().unwrap().clone()
    }

    pub fn received(&self) -> Vec<Value> {
        self.state.received.lock().unwrap().clone()
    }

    /// POST `body` to `inbox` (a loopback URL of the instance), claiming to
    /// be sent to `host` (the instance's domain), signed as `signing` says.
    pub async fn send_raw(
        &self,
        inbox: &str,
        host: &str,
        body: &[u8],
        signing: &Signing,
        actor_name: &str,
    ) -> reqwest::Response {
        let url = url::Url::parse(inbox).unwrap();
        let date = httpdate::fmt_http_date(signing.date);
        let digest = match signing.digest {
            Digest::Correct => Some(format!(
                "SHA-256={}",
                STANDARD.encode(openssl::sha::sha256(body))
            )),
            Digest::Wrong => Some(format!(
                "SHA-256={}",
                STANDARD.encode(openssl::sha::sha256(b"something else"))
            )),
            Digest::Sha512 => Some(format!(
                "SHA-512={}",
                STANDARD.encode(openssl::sha::sha512(body))
            )),
            Digest::Missing => None,
        };
        let host = signing.host.clone().unwrap_or_else(|| host.to_string());
        let key_owner = signing
            .key_of
            .clone()
            .unwrap_or_else(|| actor_name.to_string());
        let mut lines = vec![];
        for h in &signing.headers {
            let value = match *h {
                "(request-target)" => format!("post {}", url.path()),
                "host" => host.clone(),
                "date" => date.clone(),
                "digest" => digest.clone().unwrap_or_default(),
                "content-type" => "application/activity+json".into(),
                other => panic!("unknown header {other}"),
            };
            lines.push(format!("{h}: {value}"));
        }
        let sig = {
            let keys = self.state.keys.lock().unwrap();
            let (key, _) = keys.get(&key_owner).expect("signing actor exists");
            let mut signer = Signer::new(MessageDigest::sha256(), key).unwrap();
            signer.update(lines.join("\n").as_bytes()).unwrap();
            STANDARD.encode(signer.sign_to_vec().unwrap())
        };
        let header = format!(
            r#"keyId="{}#main-key",algorithm="rsa-sha256",headers="{}",signature="{sig}"{}"#,
            self.actor(&key_owner),
            signing.headers.join(" "),
            signing.extra_params
        );
        let mut req = reqwest::Client::new()
            .post(inbox)
            .header("host", host)
            .header("date", date)
            .header("content-type", "application/activity+json")
            .body(body.to_vec())
            .timeout(Duration::from_secs(30));
        if let Some(d) = digest {
            req = req.header("digest", d);
        }
        if signing.signed {
            req = req.header("signature", header);
        }
        req.send().await.expect("send to inbox")
    }

    /// GET `url` (a loopback URL of an instance) for ActivityPub JSON,
    /// claiming to be sent to `host` (the instance's domain), signed by
    /// `actor_name` as servers sign fetches.
    pub async fn fetch_signed(&self, url: &str, host: &str, actor_name: &str) -> reqwest::Response {
        let parsed = url::Url::parse(url).unwrap();
        let target = match parsed.query() {
            Some(q) => format!("get {}?{q}", parsed.path()),
            None => format!("get {}", parsed.path()),
        };
        let date = httpdate::fmt_http_date(SystemTime::now());
        let digest = format!("SHA-256={}", STANDARD.encode(openssl::sha::sha256(b"")));
        let lines = [
            format!("(request-target): {target}"),
            format!("host: {host}"),
            format!("date: {date}"),
            format!("digest: {digest}"),
        ];
        let sig = {
            let keys = self.state.keys.lock().unwrap();
            let (key, _) = keys.get(actor_name).expect("signing actor exists");
            let mut signer = Signer::new(MessageDigest::sha256(), key).unwrap();
            signer.update(lines.join("\n").as_bytes()).unwrap();
            STANDARD.encode(signer.sign_to_vec().unwrap())
        };
        let header = format!(
            r#"keyId="{}#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="{sig}""#,
            self.actor(actor_name)
        );
        reqwest::Client::new()
            .get(url)
            .header("host", host)
            .header("date", date)
            .header("digest", digest)
            .header("accept", "application/activity+json")
            .header("signature", header)
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .expect("signed fetch")
    }

    /// Send an activity as `actor_name`, correctly signed unless `signing` says otherwise.
    pub async fn send(
        &self,
        inbox: &str,
        host: &str,
        activity: &Value,
        actor_name: &str,
        signing: &Signing,
    ) -> reqwest::Response {
        self.send_raw(
            inbox,
            host,
            activity.to_string().as_bytes(),
            signing,
            actor_name,
        )
        .await
    }
}

impl Drop for FakePeer {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        tokio::spawn(async move { handle.stop(false).await });
    }
}
