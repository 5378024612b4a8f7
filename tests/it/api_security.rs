//! The client API and OAuth refuse what an attacker would try: client
//! secrets are kept only as hashes, a refresh token yields one new token
//! however often it is sent at once, tokens in URLs count only for
//! streaming, anonymous callers cannot make the server fetch from other
//! servers, scopes hold on every kind of endpoint, and sign-in errors do
//! not tell who has an account.

use crate::common::{boards, client::urlencode, fake_peer::FakePeer, instance::PASSWORD, Instance};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn sha256_hex(s: &str) -> String {
    openssl::sha::sha256(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Register an app; returns (client_id, client_secret).
async fn register_app(base: &str, scopes: &str) -> (String, String) {
    let app: Value = reqwest::Client::new()
        .post(format!("{base}/api/v1/apps"))
        .json(
            &json!({"client_name": "Tusky", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
                      "scopes": scopes}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let field = |k: &str| {
        app[k]
            .as_str()
            .unwrap_or_else(|| panic!("{k}: {app}"))
            .to_string()
    };
    (field("client_id"), field("client_secret"))
}

/// `POST /oauth/token` with these form fields.
async fn token_request(base: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let res = reqwest::Client::new()
        .post(format!("{base}/oauth/token"))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn password_grant(base: &str, app: &(String, String), login: &str, scope: &str) -> Value {
    let (status, token) = token_request(
        base,
        &[
            ("grant_type", "password"),
            ("client_id", &app.0),
            ("client_secret", &app.1),
            ("username", login),
            ("password", PASSWORD),
            ("scope", scope),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{token}");
    token
}

async fn get_with(base: &str, path: &str, token: &str) -> StatusCode {
    reqwest::Client::new()
        .get(format!("{base}{path}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
}

/// Issue 8, hole 6: OAuth client secrets are stored only as SHA-256
/// hashes. The secret is shown once, when the app registers; the token
/// endpoint still accepts it; later reads of the app do not show it; and a
/// secret stored in clear before (an older database) is hashed at the next
/// start and keeps working.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_secrets_are_stored_only_as_hashes() {
    let mut a = Instance::start("district-a").await;
    let base = a.base();
    let app = register_app(&base, "read write").await;
    let (id, secret) = (&app.0, &app.1);
    assert!(secret.len() >= 32);
    let stored = |value: &str| format!("client_id = '{id}' AND client_secret_hash = '{value}'");
    assert_eq!(
        a.count("oauth_apps", &stored(secret)).await,
        0,
        "no plaintext"
    );
    assert_eq!(a.count("oauth_apps", &stored(&sha256_hex(secret))).await, 1);

    // The token endpoint takes the secret, and refuses a wrong one.
    let credentials = |secret: &str| {
        vec![
            ("grant_type", "client_credentials".to_string()),
            ("client_id", id.clone()),
            ("client_secret", secret.to_string()),
        ]
    };
    let form = credentials(secret);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, token) = token_request(&base, &form).await;
    assert_eq!(status, StatusCode::OK, "{token}");
    let wrong = credentials(&sha256_hex(secret));
    let wrong: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, err) = token_request(&base, &wrong).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the hash is no secret");
    assert_eq!(err["error"], "invalid_client");

    // Reading the app later shows no secret.
    let res = reqwest::Client::new()
        .get(format!("{base}/api/v1/apps/verify_credentials"))
        .bearer_auth(token["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    assert!(
        !text.contains("client_secret") && !text.contains(secret.as_str()),
        "{text}"
    );

    // A secret kept in clear by an older version: hashed at the next start.
    let legacy = register_app(&base, "read").await;
    let plain = "LegacyPlainSecret_0123456789abcdefghijklmnopq";
    let legacy_id = legacy.0.clone();
    a.db()
        .write(move |conn| {
            use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
            use staffroom::db::schema::oauth_apps;
            diesel::update(oauth_apps::table.filter(oauth_apps::client_id.eq(legacy_id)))
                .set(oauth_apps::client_secret_hash.eq(plain))
                .execute(conn)
                .map_err(staffroom::db::DbError::from)
        })
        .await
        .unwrap();
    a.restart().await;
    let stored = format!(
        "client_id = '{}' AND client_secret_hash = '{plain}'",
        legacy.0
    );
    assert_eq!(a.count("oauth_apps", &stored).await, 0, "hashed at start");
    let (status, token) = token_request(
        &base,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &legacy.0),
            ("client_secret", plain),
        ],
    )
    .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the old secret still works: {token}"
    );
}

/// Issue 8, hole 6: a refresh token sent several times at once yields
/// exactly one new token; the other requests get `invalid_grant`.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_refresh_token_used_twice_at_once_yields_one_new_token() {
    let a = Instance::start("district-a").await;
    a.create_user("alice", "user");
    let base = a.base();
    let app = register_app(&base, "read write").await;
    let token = password_grant(&base, &app, "alice", "read write").await;
    let refresh = token["refresh_token"].as_str().unwrap().to_string();
    let tokens_before = a.count("oauth_tokens", "").await;

    // Open the connections first, so that the refreshes arrive together.
    const AT_ONCE: usize = 8;
    let http = reqwest::Client::new();
    let warm = (0..AT_ONCE).map(|_| http.get(format!("{base}/api/v1/instance")).send());
    for res in futures::future::join_all(warm).await {
        res.unwrap().bytes().await.unwrap();
    }
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh.as_str()),
        ("client_id", app.0.as_str()),
        ("client_secret", app.1.as_str()),
    ];
    let attempts = (0..AT_ONCE).map(|_| {
        let req = http.post(format!("{base}/oauth/token")).form(&form).send();
        tokio::spawn(async move {
            let res = req.await.unwrap();
            let status = res.status();
            (status, res.json::<Value>().await.unwrap_or(Value::Null))
        })
    });
    let results: Vec<(StatusCode, Value)> = futures::future::join_all(attempts)
        .await
        .into_iter()
        .map(|r| r.unwrap())
        .collect();
    let granted: Vec<&Value> = results
        .iter()
        .filter(|(s, _)| *s == StatusCode::OK)
        .map(|(_, v)| v)
        .collect();
    assert_eq!(granted.len(), 1, "exactly one new token: {results:?}");
    for (status, body) in results.iter().filter(|(s, _)| *s != StatusCode::OK) {
        assert_eq!(*status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"], "invalid_grant", "{body}");
    }
    assert_eq!(a.count("oauth_tokens", "").await, tokens_before + 1);
    let fresh = granted[0]["access_token"].as_str().unwrap();
    let me = "/api/v1/accounts/verify_credentials";
    assert_eq!(get_with(&base, me, fresh).await, StatusCode::OK);
    let old = token["access_token"].as_str().unwrap();
    assert_eq!(get_with(&base, me, old).await, StatusCode::UNAUTHORIZED);
}

/// Issue 8, hole 6: `?access_token=` is accepted only by the streaming API
/// (as on Mastodon); elsewhere a token must come in the header.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_in_the_query_counts_only_for_streaming() {
    let a = Instance::start("district-a").await;
    let alice = a.user("alice").await;
    let (base, token) = (a.base(), alice.token.clone());
    let http = reqwest::Client::new();
    for path in [
        "/api/v1/accounts/verify_credentials",
        "/api/v1/timelines/home",
        "/api/v1/notifications",
    ] {
        let res = http
            .get(format!("{base}{path}?access_token={token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(
            get_with(&base, path, &token).await,
            StatusCode::OK,
            "{path}"
        );
    }
    let res = http
        .post(format!("{base}/api/v1/statuses?access_token={token}"))
        .json(&json!({"status": "posted with a token in the URL"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(a.count("statuses", "").await, 0, "nothing posted");

    // Streaming takes it: server-sent events and the WebSocket.
    let res = http
        .get(format!("{base}/api/v1/streaming/user?access_token={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    drop(res);
    let ws = format!(
        "{}/api/v1/streaming?stream=user&access_token={token}",
        base.replacen("http", "ws", 1)
    );
    assert!(tokio_tungstenite::connect_async(ws).await.is_ok());
}

/// Issue 8, hole 6: an anonymous caller cannot make the server look up a
/// board on another server (which would fetch from it): 401, and the other
/// server sees no request. Signed-in callers can; boards of this server
/// stay public.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_callers_cannot_make_the_server_fetch_remote_boards() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let peer = FakePeer::start("elsewhere").await;
    peer.add_actor("robotics");
    b.create_user("maria", "user");
    boards::cli(
        &b,
        &[
            "create",
            "robotics",
            "--title",
            "Robotics",
            "--moderator",
            "maria",
        ],
    );
    let alice = a.user("alice").await;
    let http = reqwest::Client::new();
    let on_b = format!("robotics@{}", b.domain);
    let on_peer = format!("robotics@{}", peer.domain);
    for handle in [&on_b, &on_peer] {
        for suffix in ["", "/threads"] {
            let path = format!("/api/staffroom/v1/boards/{}{suffix}", urlencode(handle));
            let res = http
                .get(format!("{}{path}", a.base()))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{path}");
            let err: Value = res.json().await.unwrap();
            assert!(err["error"].is_string());
        }
    }
    assert!(peer.fetched().is_empty(), "{:?}", peer.fetched());
    let domain = b.domain.clone();
    assert_eq!(
        a.count("accounts", &format!("domain = '{domain}'")).await,
        0
    );

    // Signed in, the board is found (and the peer is asked).
    let board = alice
        .get(&format!("/api/staffroom/v1/boards/{}", urlencode(&on_b)))
        .await;
    assert_eq!(board["title"], "Robotics");
    alice
        .status_of(
            Method::GET,
            &format!("/api/staffroom/v1/boards/{}", urlencode(&on_peer)),
        )
        .await;
    assert!(
        !peer.fetched().is_empty(),
        "a signed-in lookup reaches the peer"
    );

    // A board of this server is public.
    let res = http
        .get(format!("{}/api/staffroom/v1/boards/robotics", b.base()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}
