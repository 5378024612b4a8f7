//! A Mastodon API client signed in as one local account.

use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

#[derive(Clone)]
pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub token: String,
    /// The app the token was issued to.
    pub client_id: String,
    pub client_secret: String,
    /// The signed-in account.
    pub account: Value,
}

impl Client {
    /// Register an app and sign in with the password grant.
    pub async fn sign_in(base: &str, login: &str, password: &str) -> Client {
        let http = reqwest::Client::new();
        let app: Value = http
            .post(format!("{base}/api/v1/apps"))
            .form(&[
                ("client_name", "staffroom tests"),
                ("redirect_uris", "urn:ietf:wg:oauth:2.0:oob"),
                ("scopes", "read write follow"),
            ])
            .send()
            .await
            .expect("register app")
            .json()
            .await
            .expect("app JSON");
        let token: Value = http
            .post(format!("{base}/oauth/token"))
            .form(&[
                ("grant_type", "password"),
                ("client_id", app["client_id"].as_str().unwrap()),
                ("client_secret", app["client_secret"].as_str().unwrap()),
                ("username", login),
                ("password", password),
                ("scope", "read write follow"),
            ])
            .send()
            .await
            .expect("token")
            .json()
            .await
            .expect("token JSON");
        let token = token["access_token"]
            .as_str()
            .unwrap_or_else(|| panic!("no token: {token}"))
            .to_string();
        let mut client = Client {
            http,
            base: base.to_string(),
            token,
            client_id: app["client_id"].as_str().unwrap_or_default().to_string(),
            client_secret: app["client_secret"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            account: Value::Null,
        };
        client.account = client.get("/api/v1/accounts/verify_credentials").await;
        client
    }

    pub fn id(&self) -> String {
        self.account["id"].as_str().unwrap_or_default().to_string()
    }

    pub fn username(&self) -> String {
        self.account["username"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub async fn request(&self, method: Method, path: &str, body: Option<Value>) -> Response {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        // An empty token means an anonymous caller.
        if !self.token.is_empty() {
            req = req.bearer_auth(&self.token);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        req.send().await.expect("request")
    }

    async fn ok(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let res = self.request(method.clone(), path, body).await;
        let status = res.status();
        let text = res.text().await.unwrap_or_default();
        assert!(status.is_success(), "{method} {path}: {status}: {text}");
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{method} {path}: not JSON ({e}): {text}"))
    }

    pub async fn get(&self, path: &str) -> Value {
        self.ok(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Value {
        self.ok(Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Value {
        self.ok(Method::PUT, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Value {
        self.ok(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Value {
        self.ok(Method::DELETE, path, None).await
    }

    pub async fn status_of(&self, method: Method, path: &str) -> StatusCode {
        self.request(method, path, None).await.status()
    }

    /// Find `user@host` (asking its server) and return the account.
    pub async fn resolve(&self, acct: &str) -> Value {
        let found = self
            .get(&format!(
                "/api/v2/search?resolve=true&type=accounts&q={}",
                urlencode(acct)
            ))
            .await;
        let accounts = found["accounts"].as_array().cloned().unwrap_or_default();
        accounts
            .into_iter()
            .find(|a| {
                a["acct"]
                    .as_str()
                    .is_some_and(|x| x.eq_ignore_ascii_case(acct.trim_start_matches('@')))
            })
            .unwrap_or_else(|| panic!("{acct} not found: {found}"))
    }

    pub async fn follow(&self, account_id: &str) -> Value {
        self.post(&format!("/api/v1/accounts/{account_id}/follow"), json!({}))
            .await
    }

    pub async fn relationship(&self, account_id: &str) -> Value {
        let list = self
            .get(&format!("/api/v1/accounts/relationships?id[]={account_id}"))
            .await;
        list[0].clone()
    }

    pub async fn post_status(&self, text: &str, visibility: &str) -> Value {
        self.post(
            "/api/v1/statuses",
            json!({"status": text, "visibility": visibility}),
        )
        .await
    }

    pub async fn reply(&self, to_id: &str, text: &str, visibility: &str) -> Value {
        self.post(
            "/api/v1/statuses",
            json!({"status": text, "visibility": visibility, "in_reply_to_id": to_id}),
        )
        .await
    }

    pub async fn home(&self) -> Vec<Value> {
        self.get("/api/v1/timelines/home?limit=40")
            .await
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The status with this `uri` in the home timeline, if there.
    pub async fn home_status(&self, uri: &str) -> Option<Value> {
        self.home().await.into_iter().find(|s| s["uri"] == uri)
    }

    pub async fn notifications(&self) -> Vec<Value> {
        self.get("/api/v1/notifications")
            .await
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

pub fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
