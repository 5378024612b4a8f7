//! OAuth as apps use it: registering, the sign-in page with PKCE, the
//! password, client-credentials and refresh grants, revoking, scopes.

use crate::common::{self, instance::PASSWORD, openapi::validate, Instance};
use reqwest::{redirect::Policy, StatusCode};
use serde_json::{json, Value};

async fn register_app(base: &str, redirect: &str, scopes: &str) -> Value {
    let res = reqwest::Client::new()
        .post(format!("{base}/api/v1/apps"))
        .json(&json!({"client_name": "Ivory", "redirect_uris": [redirect], "scopes": scopes, "website": "https://tapbots.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

fn pkce_pair() -> (String, String) {
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
    let verifier = "a-very-long-random-code-verifier-for-the-pkce-test-0123456789".to_string();
    let challenge = URL_SAFE_NO_PAD.encode(openssl::sha::sha256(verifier.as_bytes()));
    (verifier, challenge)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oauth_flows_apps_use() {
    let a = Instance::start("district-a").await;
    let alice = a.user("alice").await;
    let base = a.base();
    let http = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap();

    // Register an app with a custom-scheme redirect (as Ivory does).
    let redirect = "com.tapbots.Ivory.19300:/request_token";
    let app = register_app(&base, redirect, "read write follow").await;
    validate("CredentialApplication", &app);
    assert_eq!(app["redirect_uris"], json!([redirect]));
    let (id, secret) = (
        app["client_id"].as_str().unwrap(),
        app["client_secret"].as_str().unwrap(),
    );

    // Metadata lists the endpoints and PKCE.
    let meta: Value = http
        .get(format!("{base}/.well-known/oauth-authorization-server"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(meta["code_challenge_methods_supported"], json!(["S256"]));
    assert!(meta["grant_types_supported"]
        .as_array()
        .unwrap()
        .contains(&json!("password")));

    // The sign-in page (with and without a trailing slash, as toot asks for it).
    let (verifier, challenge) = pkce_pair();
    let query = format!(
        "response_type=code&client_id={id}&redirect_uri={}&scope=read+write&state=xyz&code_challenge={challenge}&code_challenge_method=S256",
        common::client::urlencode(redirect)
    );
    for path in ["/oauth/authorize", "/oauth/authorize/"] {
        let page = http
            .get(format!("{base}{path}?{query}"))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK, "{path}");
        let csp = page.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(csp.contains("default-src 'none'"));
        let html = page.text().await.unwrap();
        assert!(html.contains("Ivory") && html.contains("name=\"password\""));
    }
    // A redirect URI that was not registered is refused, not followed.
    let bad = http
        .get(format!("{base}/oauth/authorize?response_type=code&client_id={id}&redirect_uri=https://evil.example/cb"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(bad.headers().get("location").is_none());

    // Wrong password: the page again, no code.
    let form = |password: &str| {
        vec![
            ("client_id", id.to_string()),
            ("redirect_uri", redirect.to_string()),
            ("scope", "read write".to_string()),
            ("state", "xyz".to_string()),
            ("code_challenge", challenge.clone()),
            ("code_challenge_method", "S256".to_string()),
            ("login", "alice@district-a.test".to_string()),
            ("password", password.to_string()),
            ("decision", "approve".to_string()),
        ]
    };
    let wrong = http
        .post(format!("{base}/oauth/authorize"))
        .form(&form("nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(wrong
        .text()
        .await
        .unwrap()
        .contains("Invalid e-mail address or password"));

    // Right password: redirected back to the app with a code and the state.
    let approved = http
        .post(format!("{base}/oauth/authorize"))
        .form(&form(PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(approved.status(), StatusCode::FOUND);
    let raw_location = approved.headers()["location"].to_str().unwrap().to_string();
    assert!(
        raw_location.starts_with(&format!("{redirect}?")),
        "{raw_location}"
    );
    let location = url::Url::parse(&raw_location).unwrap();
    let pairs: std::collections::HashMap<_, _> = location.query_pairs().into_owned().collect();
    assert_eq!(pairs["state"], "xyz");
    let code = pairs["code"].clone();

    // The code needs the PKCE verifier, and works once.
    let exchange = |verifier: &str| {
        http.post(format!("{base}/oauth/token")).form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", redirect),
            ("client_id", id),
            ("client_secret", secret),
            ("code_verifier", verifier),
        ])
    };
    let res = exchange("wrong-verifier").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let err: Value = res.json().await.unwrap();
    validate("Error", &err);
    assert_eq!(err["error"], "invalid_grant");
    // (a failed exchange spends the code, as a code may be tried only once)
    let again = exchange(&verifier).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);

    // A fresh code with the right verifier gives a token.
    let approved = http
        .post(format!("{base}/oauth/authorize"))
        .form(&form(PASSWORD))
        .send()
        .await
        .unwrap();
    let location = url::Url::parse(approved.headers()["location"].to_str().unwrap()).unwrap();
    let code = location
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();
    let res = http
        .post(format!("{base}/oauth/token"))
        .basic_auth(id, Some(secret))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", redirect),
            ("code_verifier", verifier.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let token: Value = res.json().await.unwrap();
    validate("Token", &token);
    assert_eq!(token["scope"], "read write");
    let access = token["access_token"].as_str().unwrap();
    let me: Value = http
        .get(format!("{base}/api/v1/accounts/verify_credentials"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    validate("CredentialAccount", &me);
    assert_eq!(me["username"], "alice");

    // Password grant by username, with Mastodon.py's extra fields ignored.
    let res = http
        .post(format!("{base}/oauth/token"))
        .form(&[
            ("grant_type", "password"),
            ("client_id", id),
            ("client_secret", secret),
            ("username", "alice"),
            ("password", PASSWORD),
            ("scope", "read"),
            ("oauth_info", "x"),
            ("oauth_info", "y"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let read_only: Value = res.json().await.unwrap();
    let read_token = read_only["access_token"].as_str().unwrap().to_string();

    // Scopes are enforced: a read token cannot post.
    let denied = http
        .post(format!("{base}/api/v1/statuses"))
        .bearer_auth(&read_token)
        .json(&json!({"status": "hi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), StatusCode::FORBIDDEN);
    validate("Error", &denied.json::<Value>().await.unwrap());

    // A scope beyond the app's registration is refused.
    let res = http
        .post(format!("{base}/oauth/token"))
        .form(&[
            ("grant_type", "password"),
            ("client_id", id),
            ("client_secret", secret),
            ("username", "alice"),
            ("password", PASSWORD),
            ("scope", "admin:write"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    // Client credentials: an app token that cannot act as a user.
    let res = http
        .post(format!("{base}/oauth/token"))
        .json(
            &json!({"grant_type": "client_credentials", "client_id": id, "client_secret": secret}),
        )
        .send()
        .await
        .unwrap();
    let app_token: Value = res.json().await.unwrap();
    validate("Token", &app_token);
    let app_token = app_token["access_token"].as_str().unwrap();
    let verified: Value = http
        .get(format!("{base}/api/v1/apps/verify_credentials"))
        .bearer_auth(app_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    validate("Application", &verified);
    let home = http
        .get(format!("{base}/api/v1/timelines/home"))
        .bearer_auth(app_token)
        .send()
        .await
        .unwrap();
    assert_eq!(home.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Refresh gives a new token and revokes the old one; revoke ends a token.
    let refresh = token["refresh_token"].as_str().unwrap();
    let res = http
        .post(format!("{base}/oauth/token"))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh),
            ("client_id", id),
            ("client_secret", secret),
        ])
        .send()
        .await
        .unwrap();
    let fresh: Value = res.json().await.unwrap();
    let fresh = fresh["access_token"].as_str().unwrap().to_string();
    let old = http
        .get(format!("{base}/api/v1/accounts/verify_credentials"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    let ok = http
        .get(format!("{base}/api/v1/accounts/verify_credentials"))
        .bearer_auth(&fresh)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    let res = http
        .post(format!("{base}/oauth/revoke"))
        .form(&[
            ("client_id", id),
            ("client_secret", secret),
            ("token", fresh.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let gone = http
        .get(format!("{base}/api/v1/accounts/verify_credentials"))
        .bearer_auth(&fresh)
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::UNAUTHORIZED);

    // The out-of-band redirect shows the code on a page.
    let oob = register_app(&base, "urn:ietf:wg:oauth:2.0:oob", "read").await;
    let res = http
        .post(format!("{base}/oauth/authorize"))
        .form(&[
            ("client_id", oob["client_id"].as_str().unwrap()),
            ("redirect_uri", "urn:ietf:wg:oauth:2.0:oob"),
            ("scope", "read"),
            ("login", "alice"),
            ("password", PASSWORD),
            ("decision", "approve"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("class=\"grant\""));
    drop(alice);
}
