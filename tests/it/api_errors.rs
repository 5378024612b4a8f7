//! Malformed API input gets Mastodon's error shape (`{"error": ...}`, which
//! the OpenAPI `Error` entity describes) with the status code Mastodon uses,
//! and a status the caller may not see answers exactly like one that does
//! not exist, on every endpoint that takes a status id.

use crate::common::{openapi::validate, Client, Instance};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Send `body` (JSON) and return the status and the parsed error.
async fn call(
    client: &Client,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let res = client.request(method.clone(), path, body).await;
    let status = res.status();
    let text = res.text().await.unwrap();
    let v: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{method} {path}: {status}, not JSON ({e}): {text}"));
    (status, v)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_input_gets_the_mastodon_error_shape() {
    let a = Instance::start("district-a").await;
    let alice = a.user("alice").await;
    let long = "x".repeat(6000);
    let huge_name = "n".repeat(200);
    let cases: Vec<(Method, &str, Option<Value>, StatusCode)> = vec![
        // Wrong types.
        (
            Method::POST,
            "/api/v1/statuses",
            Some(json!({"status": ["a", "b"]})),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Method::POST,
            "/api/v1/statuses",
            Some(json!({"status": {"text": "x"}})),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Method::POST,
            "/api/v1/statuses",
            Some(json!({"status": "x", "visibility": "everyone"})),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Method::POST,
            "/api/v1/statuses",
            Some(json!({"status": "x", "poll": {"options": "yes", "expires_in": 600}})),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Method::POST,
            "/api/v1/markers",
            Some(json!({"home": {"last_read_id": {"x": 1}}})),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Method::POST,
            "/api/v2/filters",
            Some(json!({"title": "x", "context": ["nowhere"]})),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Method::POST,
            "/api/v1/lists",
            Some(json!({"title": ""})),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        // Oversized text.
        (
            Method::POST,
            "/api/v1/statuses",
            Some(json!({"status": long})),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Method::PATCH,
            "/api/v1/accounts/update_credentials",
            Some(json!({"display_name": huge_name})),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        // Unknown ids.
        (
            Method::POST,
            "/api/v1/statuses",
            Some(json!({"status": "x", "in_reply_to_id": "999999"})),
            StatusCode::NOT_FOUND,
        ),
        (
            Method::POST,
            "/api/v1/statuses",
            Some(json!({"status": "x", "media_ids": ["999999"]})),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Method::GET,
            "/api/v1/statuses/not-a-number",
            None,
            StatusCode::NOT_FOUND,
        ),
        (
            Method::GET,
            "/api/v1/accounts/999999",
            None,
            StatusCode::NOT_FOUND,
        ),
        (
            Method::GET,
            "/api/v1/accounts/lookup?acct=nobody",
            None,
            StatusCode::NOT_FOUND,
        ),
        (
            Method::POST,
            "/api/v1/accounts/999999/follow",
            None,
            StatusCode::NOT_FOUND,
        ),
        (
            Method::PUT,
            "/api/v1/media/999999",
            Some(json!({"description": "x"})),
            StatusCode::NOT_FOUND,
        ),
        (
            Method::POST,
            "/api/v1/polls/999999/votes",
            Some(json!({"choices": [0]})),
            StatusCode::NOT_FOUND,
        ),
        (
            Method::GET,
            "/api/v1/lists/999999",
            None,
            StatusCode::NOT_FOUND,
        ),
        (
            Method::GET,
            "/api/v1/notifications/999999",
            None,
            StatusCode::NOT_FOUND,
        ),
        (
            Method::POST,
            "/api/v1/follow_requests/999999/authorize",
            None,
            StatusCode::NOT_FOUND,
        ),
        (
            Method::GET,
            "/api/v2/filters/999999",
            None,
            StatusCode::NOT_FOUND,
        ),
        (
            Method::GET,
            "/api/v1/no_such_endpoint",
            None,
            StatusCode::NOT_FOUND,
        ),
    ];
    for (method, path, body, expected) in cases {
        let (status, error) = call(&alice, method.clone(), path, body.clone()).await;
        assert_eq!(status, expected, "{method} {path} {body:?}: {error}");
        validate("Error", &error);
        assert!(!error["error"].as_str().unwrap().is_empty());
    }

    // NUL characters are dropped from text (PostgreSQL cannot store them).
    let with_nul = alice
        .post(
            "/api/v1/statuses",
            json!({"status": "before\0after", "spoiler_text": "c\0w"}),
        )
        .await;
    assert_eq!(with_nul["content"], "<p>beforeafter</p>");
    assert_eq!(with_nul["spoiler_text"], "cw");

    // A body that is not JSON at all, and one above the API's size limit.
    let http = reqwest::Client::new();
    let broken = http
        .post(format!("{}/api/v1/statuses", a.base()))
        .bearer_auth(&alice.token)
        .header("content-type", "application/json")
        .body("{\"status\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(broken.status(), StatusCode::BAD_REQUEST);
    validate("Error", &broken.json().await.unwrap());
    let oversized = http
        .post(format!("{}/api/v1/statuses", a.base()))
        .bearer_auth(&alice.token)
        .json(&json!({"status": "y".repeat(2 * 1024 * 1024)}))
        .send()
        .await
        .unwrap();
    assert_eq!(oversized.status(), StatusCode::PAYLOAD_TOO_LARGE);
    validate("Error", &oversized.json().await.unwrap());
    // A file above the upload limit.
    let big = vec![0u8; 17 * 1024 * 1024];
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(big)
            .file_name("huge.png")
            .mime_str("image/png")
            .unwrap(),
    );
    let upload = http
        .post(format!("{}/api/v2/media", a.base()))
        .bearer_auth(&alice.token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(upload.status(), StatusCode::PAYLOAD_TOO_LARGE);
    validate("Error", &upload.json().await.unwrap());
    // No token, a bad token, a token without the scope.
    for (token, expected) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some("nonsense"), StatusCode::UNAUTHORIZED),
    ] {
        let mut req = http.get(format!("{}/api/v1/timelines/home", a.base()));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), expected);
        validate("Error", &res.json().await.unwrap());
    }
}

/// SECURITY.md API 5: a private status (and its poll) one may not see
/// gets the same answer as a missing one, on every status endpoint, signed
/// in or not, and nothing is changed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_status_one_may_not_see_is_indistinguishable_from_a_missing_one() {
    let a = Instance::start("district-a").await;
    let alice = a.user("alice").await;
    let carol = a.user("carol").await;
    let follower = a.user("fern").await;
    follower.follow(&alice.id()).await;

    let private = alice
        .post(
            "/api/v1/statuses",
            json!({"status": "Followers only: grading rubric draft", "visibility": "private",
                   "poll": {"options": ["keep", "change"], "expires_in": 3600}}),
        )
        .await;
    let direct = alice
        .post(
            "/api/v1/statuses",
            json!({"status": "@fern just between us", "visibility": "direct"}),
        )
        .await;
    // Fern may see both; Carol (no follower, not addressed) neither.
    for s in [&private, &direct] {
        follower
            .get(&format!("/api/v1/statuses/{}", s["id"].as_str().unwrap()))
            .await;
    }
    let poll_id = private["poll"]["id"].as_str().unwrap().to_string();
    let missing = "424242424242";
    let templates: Vec<(Method, &str, Option<Value>)> = vec![
        (Method::GET, "/api/v1/statuses/{}", None),
        (Method::GET, "/api/v1/statuses/{}/context", None),
        (Method::GET, "/api/v1/statuses/{}/history", None),
        (Method::GET, "/api/v1/statuses/{}/source", None),
        (Method::GET, "/api/v1/statuses/{}/favourited_by", None),
        (Method::GET, "/api/v1/statuses/{}/reblogged_by", None),
        (Method::POST, "/api/v1/statuses/{}/favourite", None),
        (Method::POST, "/api/v1/statuses/{}/unfavourite", None),
        (Method::POST, "/api/v1/statuses/{}/reblog", None),
        (Method::POST, "/api/v1/statuses/{}/bookmark", None),
        (Method::POST, "/api/v1/statuses/{}/pin", None),
        (
            Method::PUT,
            "/api/v1/statuses/{}",
            Some(json!({"status": "hijacked"})),
        ),
        (Method::DELETE, "/api/v1/statuses/{}", None),
        (
            Method::POST,
            "/api/v1/statuses",
            Some(json!({"status": "reply", "in_reply_to_id": "{}"})),
        ),
    ];
    let anonymous = Client {
        token: String::new(),
        ..carol.clone()
    };
    for viewer in [&carol, &anonymous] {
        for (method, template, body) in &templates {
            let fill = |id: &str| {
                let path = template.replace("{}", id);
                let body = body
                    .as_ref()
                    .map(|b| serde_json::from_str(&b.to_string().replace("{}", id)).unwrap());
                (path, body)
            };
            let (path, body) = fill(missing);
            let gone = call(viewer, method.clone(), &path, body).await;
            for hidden in [&private, &direct] {
                let (path, body) = fill(hidden["id"].as_str().unwrap());
                let seen = call(viewer, method.clone(), &path, body).await;
                assert_eq!(seen, gone, "{method} {template} as {}", viewer.token.len());
            }
            // Anonymous callers are asked to sign in where a token is needed.
            if viewer.token.is_empty() {
                assert!(
                    [StatusCode::UNAUTHORIZED, StatusCode::NOT_FOUND].contains(&gone.0),
                    "{method} {template}: {}",
                    gone.0
                );
            } else {
                assert_eq!(gone.0, StatusCode::NOT_FOUND, "{method} {template}");
            }
            validate("Error", &gone.1);
        }
        // The poll of a private status, likewise.
        let gone = call(
            viewer,
            Method::GET,
            &format!("/api/v1/polls/{missing}"),
            None,
        )
        .await;
        let seen = call(
            viewer,
            Method::GET,
            &format!("/api/v1/polls/{poll_id}"),
            None,
        )
        .await;
        assert_eq!(seen, gone);
        let vote = json!({"choices": [0]});
        let gone = call(
            viewer,
            Method::POST,
            &format!("/api/v1/polls/{missing}/votes"),
            Some(vote.clone()),
        )
        .await;
        let seen = call(
            viewer,
            Method::POST,
            &format!("/api/v1/polls/{poll_id}/votes"),
            Some(vote),
        )
        .await;
        assert_eq!(seen, gone);
    }
    // Nothing was changed by those attempts.
    let after = follower
        .get(&format!(
            "/api/v1/statuses/{}",
            private["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(after["content"], private["content"]);
    assert_eq!(after["favourites_count"], 0);
    assert_eq!(after["reblogs_count"], 0);
    assert_eq!(after["poll"]["votes_count"], 0);
}

/// SECURITY.md API 7: parameters nested past the limit (the Rails-style
/// `client_name[[[[...` key that used to overflow the parser's stack), in a
/// form body, a query string, a multipart body and JSON, are refused with
/// 400 before any app is registered, and the server keeps answering.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deeply_nested_parameters_are_refused_and_the_server_keeps_answering() {
    let a = Instance::start("district-a").await;
    let http = reqwest::Client::new();
    let apps = format!("{}/api/v1/apps", a.base());
    let before = a.count("oauth_apps", "").await;
    let deep = format!("client_name{}", "[".repeat(300_000));
    let expect_refused = |what: &str, res: reqwest::Response| {
        let status = res.status();
        assert!(
            status == StatusCode::BAD_REQUEST || status == StatusCode::URI_TOO_LONG,
            "{what}: {status}"
        );
    };

    let form = http
        .post(&apps)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("{deep}=x&redirect_uris=urn:ietf:wg:oauth:2.0:oob"))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::BAD_REQUEST);
    let body: Value = form.json().await.unwrap();
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .starts_with("Invalid parameters"),
        "{body}"
    );

    let no_type = http
        .post(&apps)
        .body(format!("{deep}=x"))
        .send()
        .await
        .unwrap();
    expect_refused("no content type", no_type);

    let query = http
        .post(format!(
            "{apps}?{}=x&redirect_uris=urn:ietf:wg:oauth:2.0:oob",
            "client_name".to_string() + &"[".repeat(6_000)
        ))
        .send()
        .await
        .unwrap();
    expect_refused("query", query);

    let multipart = reqwest::multipart::Form::new()
        .text(deep.clone(), "x")
        .text("redirect_uris", "urn:ietf:wg:oauth:2.0:oob");
    let res = http.post(&apps).multipart(multipart).send().await.unwrap();
    expect_refused("multipart", res);

    let json = format!(
        r#"{{"client_name":{}"x"{},"redirect_uris":"urn:ietf:wg:oauth:2.0:oob"}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let res = http
        .post(&apps)
        .header("content-type", "application/json")
        .body(json)
        .send()
        .await
        .unwrap();
    expect_refused("JSON", res);

    let many = (0..2000)
        .map(|i| format!("k{i}=v"))
        .collect::<Vec<_>>()
        .join("&");
    let res = http
        .post(&apps)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "{many}&client_name=x&redirect_uris=urn:ietf:wg:oauth:2.0:oob"
        ))
        .send()
        .await
        .unwrap();
    expect_refused("too many parameters", res);

    // Still answering, nothing registered; a sound request still works.
    let res = http
        .get(format!("{}/api/v1/instance", a.base()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(a.count("oauth_apps", "").await, before);
    let res = http
        .post(&apps)
        .form(&[
            ("client_name", "Tusky"),
            ("redirect_uris", "urn:ietf:wg:oauth:2.0:oob"),
            ("scopes", "read"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(a.count("oauth_apps", "").await, before + 1);
}
