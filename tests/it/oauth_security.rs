//! OAuth as an attacker would try it: redirect URIs that are almost the
//! registered one, PKCE methods other than S256, codes used by another
//! client or with another redirect; and sign-in errors that must not tell
//! who has an account, with passwords hashed by Argon2id and sign-in
//! attempts limited.

use crate::common::{client::urlencode, instance::PASSWORD, Instance};
use reqwest::{redirect::Policy, StatusCode};
use serde_json::{json, Value};

const REDIRECT: &str = "https://app.example/callback";

/// Register an app; returns (client_id, client_secret).
async fn register_app(base: &str, redirect: &str) -> (String, String) {
    let app: Value = reqwest::Client::new()
        .post(format!("{base}/api/v1/apps"))
        .json(&json!({"client_name": "Phanpy", "redirect_uris": redirect, "scopes": "read write"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let field = |k: &str| app[k].as_str().unwrap().to_string();
    (field("client_id"), field("client_secret"))
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

fn pkce() -> (String, String) {
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
    let verifier = "another-long-random-code-verifier-for-pkce-0123456789abcdef".to_string();
    let challenge = URL_SAFE_NO_PAD.encode(openssl::sha::sha256(verifier.as_bytes()));
    (verifier, challenge)
}

/// The sign-in form, approved with `password`, for `redirect`.
fn approval(
    client_id: &str,
    redirect: &str,
    password: &str,
    challenge: &str,
) -> Vec<(&'static str, String)> {
    vec![
        ("client_id", client_id.to_string()),
        ("redirect_uri", redirect.to_string()),
        ("scope", "read".to_string()),
        ("state", "s1".to_string()),
        ("code_challenge", challenge.to_string()),
        ("code_challenge_method", "S256".to_string()),
        ("login", "alice".to_string()),
        ("password", password.to_string()),
        ("decision", "approve".to_string()),
    ]
}

/// SECURITY.md API 1: a `redirect_uri` must equal a registered one exactly
/// (no prefix, suffix, case, query or fragment variant, before or after
/// signing in, approving or denying): otherwise 400 and no redirect; PKCE
/// takes S256 only and its verifier is checked; a code works only with its
/// own client and redirect URI.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirect_uris_match_exactly_and_pkce_is_s256() {
    let a = Instance::start("district-a").await;
    a.create_user("alice", "user");
    let base = a.base();
    let http = no_redirects();
    let (id, secret) = register_app(&base, REDIRECT).await;
    let (other_id, other_secret) = register_app(&base, REDIRECT).await;
    let (verifier, challenge) = pkce();

    let variants = [
        "https://app.example/callback/",
        "https://app.example/callback/../evil",
        "https://app.example/callbackx",
        "https://app.example/callback?next=https://evil.example",
        "https://APP.example/callback",
        "https://app.example.evil.example/callback",
        "http://app.example/callback",
        "https://evil.example/callback",
        "//evil.example/callback",
        "javascript:alert(1)",
    ];
    for bad in variants {
        let page = http
            .get(format!(
                "{base}/oauth/authorize?response_type=code&client_id={id}&scope=read&redirect_uri={}",
                urlencode(bad)
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::BAD_REQUEST, "GET {bad}");
        assert!(page.headers().get("location").is_none(), "GET {bad}");
        for decision in ["approve", "deny"] {
            let mut form = approval(&id, bad, PASSWORD, &challenge);
            form.retain(|(k, _)| *k != "decision");
            form.push(("decision", decision.to_string()));
            let res = http
                .post(format!("{base}/oauth/authorize"))
                .form(&form)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{decision} {bad}");
            assert!(res.headers().get("location").is_none(), "{decision} {bad}");
        }
    }
    assert_eq!(
        a.count("oauth_codes", "").await,
        0,
        "no code for a bad redirect"
    );

    // Only S256: `plain` (or an unknown method) is refused.
    for method in ["plain", "S512"] {
        let res = http
            .get(format!(
                "{base}/oauth/authorize?response_type=code&client_id={id}&scope=read&redirect_uri={}&code_challenge={verifier}&code_challenge_method={method}",
                urlencode(REDIRECT)
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{method}");
    }

    // The registered URI, exactly: redirected there with a code.
    let code = || async {
        let res = http
            .post(format!("{base}/oauth/authorize"))
            .form(&approval(&id, REDIRECT, PASSWORD, &challenge))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FOUND);
        let location = res.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with(&format!("{REDIRECT}?")), "{location}");
        url::Url::parse(&location)
            .unwrap()
            .query_pairs()
            .find(|(k, _)| k == "code")
            .unwrap()
            .1
            .into_owned()
    };
    let exchange = |code: String, client: (String, String), redirect: &str, verifier: &str| {
        http.post(format!("{base}/oauth/token"))
            .form(&[
                ("grant_type", "authorization_code".to_string()),
                ("code", code),
                ("redirect_uri", redirect.to_string()),
                ("client_id", client.0),
                ("client_secret", client.1),
                ("code_verifier", verifier.to_string()),
            ])
            .send()
    };
    let mine = (id.clone(), secret.clone());
    let refused = [
        (
            (other_id, other_secret),
            REDIRECT,
            verifier.as_str(),
            "another client",
        ),
        (
            mine.clone(),
            "https://app.example/callback/",
            verifier.as_str(),
            "another redirect",
        ),
        (
            mine.clone(),
            REDIRECT,
            "not-the-verifier",
            "a wrong verifier",
        ),
        (mine.clone(), REDIRECT, "", "no verifier"),
    ];
    for (client, redirect, verifier, what) in refused {
        let res = exchange(code().await, client, redirect, verifier)
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{what}");
        assert_eq!(res.json::<Value>().await.unwrap()["error"], "invalid_grant");
    }
    let res = exchange(code().await, mine, REDIRECT, &verifier)
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

/// What a failed sign-in answers: the status and the body.
async fn refused_grant(base: &str, app: &(String, String), login: &str) -> (StatusCode, String) {
    let res = reqwest::Client::new()
        .post(format!("{base}/oauth/token"))
        .form(&[
            ("grant_type", "password"),
            ("client_id", &app.0),
            ("client_secret", &app.1),
            ("username", login),
            ("password", "not the password"),
        ])
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

/// SECURITY.md API 6: passwords are stored as Argon2id hashes; a wrong
/// password and an unknown account get the same answer (token endpoint and
/// sign-in page), so errors tell nobody who has an account; sign-in
/// attempts from one address are limited.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_errors_do_not_tell_who_has_an_account() {
    let a = Instance::start_with(
        "district-a",
        &[("STAFFROOM_LIMITS_AUTH_REQUESTS_PER_WINDOW", "12")],
    )
    .await;
    a.create_user("alice", "user");
    let base = a.base();
    assert_eq!(a.count("users", "").await, 1);
    assert_eq!(
        a.count("users", "password_hash LIKE '$argon2id$%'").await,
        1,
        "Argon2id"
    );
    let app = register_app(&base, "urn:ietf:wg:oauth:2.0:oob").await;

    // Token endpoint: the same answer for a wrong password and nobody.
    let wrong = refused_grant(&base, &app, "alice").await;
    assert_eq!(wrong.0, StatusCode::BAD_REQUEST);
    for login in ["alice@district-a.test", "nobody", "nobody@district-a.test"] {
        let other = refused_grant(&base, &app, login).await;
        assert_eq!(other, wrong, "{login}");
    }

    // Sign-in page: likewise (the page repeats the login typed, so compare
    // with that taken out).
    let http = no_redirects();
    let page = |login: &'static str| {
        let mut form = approval(&app.0, "urn:ietf:wg:oauth:2.0:oob", "wrong", "");
        form.retain(|(k, _)| !k.starts_with("code_challenge") && *k != "login");
        form.push(("login", login.to_string()));
        let req = http.post(format!("{base}/oauth/authorize")).form(&form);
        async move {
            let res = req.send().await.unwrap();
            let status = res.status();
            (status, res.text().await.unwrap().replace(login, "LOGIN"))
        }
    };
    let known = page("alice").await;
    assert_eq!(known.0, StatusCode::UNAUTHORIZED);
    assert_eq!(page("nobody").await, known);

    // Sign-in attempts are limited per address (12 per window here).
    let mut statuses = vec![];
    while statuses.len() < 13 && statuses.last() != Some(&StatusCode::TOO_MANY_REQUESTS) {
        statuses.push(refused_grant(&base, &app, "alice").await.0);
    }
    assert_eq!(
        statuses.last(),
        Some(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    // Even the right password is turned away until the window ends.
    let res = reqwest::Client::new()
        .post(format!("{base}/oauth/token"))
        .form(&[
            ("grant_type", "password"),
            ("client_id", app.0.as_str()),
            ("client_secret", app.1.as_str()),
            ("username", "alice"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
}
