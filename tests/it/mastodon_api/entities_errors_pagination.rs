//! The API's entities (validated against the Mastodon OpenAPI description),
//! request formats, CORS and rate-limit headers, errors, local follows,
//! pagination with Link headers, public timelines and search.

use crate::common::{
    openapi::{validate, validate_all},
    Instance,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

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
