//! The Mastodon client API as apps use it: OAuth (authorization code with
//! PKCE through the sign-in page, password, client credentials, refresh,
//! revoke), scopes, request formats, errors, pagination, and the JSON of
//! every entity validated against the Mastodon OpenAPI description.

use crate::common;

use crate::common::{
    instance::PASSWORD,
    openapi::{validate, validate_all},
    Instance,
};
use reqwest::{redirect::Policy, Method, StatusCode};
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entities_errors_formats_and_pagination() {
    let a = Instance::start("district-a").await;
    let alice = a.user("alice").await;
    let dev = a.user("dev").await;
    let base = a.base();
    let http = reqwest::Client::new();

    // Instance, with and without the trailing slash Mastodon.py uses.
    for path in ["/api/v2/instance", "/api/v2/instance/"] {
        let v: Value = http
            .get(format!("{base}{path}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        validate("Instance", &v);
        assert!(v["version"]
            .as_str()
            .unwrap()
            .starts_with("4.3.0 (compatible; Staffroom"));
    }
    let v1: Value = http
        .get(format!("{base}/api/v1/instance/"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    validate("V1Instance", &v1);

    // CORS and rate-limit headers on API responses.
    let res = http
        .get(format!("{base}/api/v1/instance"))
        .header("origin", "https://elk.zone")
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        "https://elk.zone"
    );
    assert!(res.headers().contains_key("x-ratelimit-limit"));
    assert!(res.headers().contains_key("x-ratelimit-remaining"));
    assert!(res.headers()["x-ratelimit-reset"]
        .to_str()
        .unwrap()
        .ends_with('Z'));

    // Posting with JSON, form and multipart bodies, and no Content-Type at all.
    let json_post = alice.post("/api/v1/statuses", json!({"status": "json body", "visibility": "unlisted", "sensitive": null, "language": "en"})).await;
    validate("Status", &json_post);
    assert_eq!(json_post["visibility"], "unlisted");
    let form_post: Value = http
        .post(format!("{base}/api/v1/statuses"))
        .bearer_auth(&alice.token)
        .form(&[
            ("status", "form body"),
            ("spoiler_text", "cw"),
            ("in_reply_to_id", json_post["id"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    validate("Status", &form_post);
    assert_eq!(form_post["in_reply_to_id"], json_post["id"]);
    assert_eq!(form_post["sensitive"], true);
    let multipart = reqwest::multipart::Form::new()
        .text("status", "multipart body")
        .text("visibility", "private");
    let mp_post: Value = http
        .post(format!("{base}/api/v1/statuses"))
        .bearer_auth(&alice.token)
        .multipart(multipart)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(mp_post["visibility"], "private");
    let bare = http
        .post(format!("{base}/api/v1/statuses"))
        .bearer_auth(&alice.token)
        .body("status=no+content+type")
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), StatusCode::OK);

    // Errors have Mastodon's shape and the right codes; a hidden status is a missing one.
    let blank = alice
        .request(
            Method::POST,
            "/api/v1/statuses",
            Some(json!({"status": ""})),
        )
        .await;
    assert_eq!(blank.status(), StatusCode::UNPROCESSABLE_ENTITY);
    validate("Error", &blank.json::<Value>().await.unwrap());
    let huge = alice
        .request(
            Method::POST,
            "/api/v1/statuses",
            Some(json!({"status": "x".repeat(6000)})),
        )
        .await;
    assert_eq!(huge.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let wrong_vis = alice
        .request(
            Method::POST,
            "/api/v1/statuses",
            Some(json!({"status": "x", "visibility": "everyone"})),
        )
        .await;
    assert_eq!(wrong_vis.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad_json = http
        .post(format!("{base}/api/v1/statuses"))
        .bearer_auth(&alice.token)
        .header("content-type", "application/json")
        .body("{nope")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_json.status(), StatusCode::BAD_REQUEST);
    for path in [
        "/api/v1/statuses/12345",
        "/api/v1/statuses/not-an-id",
        "/api/v1/accounts/999",
    ] {
        let res = alice.request(Method::GET, path, None).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        validate("Error", &res.json::<Value>().await.unwrap());
    }
    let private_id = mp_post["id"].as_str().unwrap();
    let hidden = dev
        .request(Method::GET, &format!("/api/v1/statuses/{private_id}"), None)
        .await;
    let missing = dev
        .request(Method::GET, "/api/v1/statuses/12345", None)
        .await;
    assert_eq!(hidden.status(), missing.status());
    assert_eq!(hidden.text().await.unwrap(), missing.text().await.unwrap());
    assert_eq!(
        dev.status_of(Method::DELETE, &format!("/api/v1/statuses/{private_id}"))
            .await,
        StatusCode::NOT_FOUND
    );
    let no_token = http
        .get(format!("{base}/api/v1/timelines/home"))
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status(), StatusCode::UNAUTHORIZED);
    let bad_token = http
        .get(format!("{base}/api/v1/timelines/home"))
        .bearer_auth("nope")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_token.status(), StatusCode::UNAUTHORIZED);
    let unknown = http
        .get(format!("{base}/api/v1/not_a_thing"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    validate("Error", &unknown.json::<Value>().await.unwrap());

    // Local follows, relationships, lookup and account lists.
    let rel = dev.follow(&alice.id()).await;
    validate("Relationship", &rel);
    assert_eq!(rel["following"], true);
    let rels = dev
        .get(&format!(
            "/api/v1/accounts/relationships?id[]={}&id[]={}",
            alice.id(),
            dev.id()
        ))
        .await;
    validate_all("Relationship", &rels);
    assert_eq!(rels.as_array().unwrap().len(), 2);
    let looked_up = dev.get("/api/v1/accounts/lookup?acct=alice").await;
    validate("Account", &looked_up);
    assert_eq!(looked_up["followers_count"], 1);
    assert_eq!(alice.notifications().await[0]["type"], "follow");
    let following = dev
        .get(&format!("/api/v1/accounts/{}/following", dev.id()))
        .await;
    validate_all("Account", &following);

    // Pagination: Link headers that walk the whole timeline, never repeating a page.
    for i in 0..5 {
        alice.post_status(&format!("page test {i}"), "public").await;
    }
    let mut seen: Vec<String> = vec![];
    let mut next = Some(format!(
        "{base}/api/v1/accounts/{}/statuses?limit=2",
        alice.id()
    ));
    while let Some(url) = next.take() {
        let res = http.get(&url).send().await.unwrap();
        let link = res
            .headers()
            .get("link")
            .map(|l| l.to_str().unwrap().to_string());
        let page: Value = res.json().await.unwrap();
        validate_all("Status", &page);
        let ids: Vec<String> = page
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect();
        if ids.is_empty() {
            assert!(link.is_none(), "an empty page has no Link header");
            break;
        }
        assert!(
            ids.iter().all(|i| !seen.contains(i)),
            "a page repeated items"
        );
        seen.extend(ids);
        let link = link.expect("a non-empty page has a Link header");
        assert!(link.contains("rel=\"prev\""));
        next = link
            .split(", ")
            .find(|p| p.ends_with("rel=\"next\""))
            .map(|p| {
                let url = p.trim_start_matches('<').split('>').next().unwrap();
                url.replace(&format!("http://{}", a.domain), &base)
            });
    }
    // The public ones, newest first (the private one is not shown to the anonymous).
    assert_eq!(seen.len(), 8);
    let mut sorted = seen.clone();
    sorted.sort_by(|x, y| y.len().cmp(&x.len()).then(y.cmp(x)));
    assert_eq!(seen, sorted);
    // min_id gives the items just above the cursor, oldest-adjacent first.
    let newer = alice
        .get(&format!(
            "/api/v1/accounts/{}/statuses?min_id={}&limit=2",
            alice.id(),
            seen[5]
        ))
        .await;
    let got: Vec<&str> = newer
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(got, vec![seen[3].as_str(), seen[4].as_str()]);

    // Public timelines, local and remote.
    let public = http
        .get(format!("{base}/api/v1/timelines/public?local=true"))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    validate_all("Status", &public);
    assert!(public
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["visibility"] == "public"));
    let remote = http
        .get(format!("{base}/api/v1/timelines/public?remote=true"))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert!(remote.as_array().unwrap().is_empty());

    // Search finds local accounts by prefix.
    let found = alice.get("/api/v2/search?q=de&type=accounts").await;
    validate("Search", &found);
    assert_eq!(found["accounts"][0]["username"], "dev");
    validate_all("Account", &found["accounts"]);
}
