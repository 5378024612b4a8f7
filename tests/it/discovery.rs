//! How other servers and browsers find and read a Staffroom server's people
//! and posts: WebFinger, host-meta, NodeInfo, actor documents with content
//! negotiation, the instance actor, collections, and tombstones.

use crate::common;

use crate::common::Instance;
use reqwest::{header::ACCEPT, StatusCode};
use serde_json::Value;

const AP: &str = "application/activity+json";
const LD: &str = "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"";

async fn get(url: &str, accept: &str) -> (StatusCode, String, String) {
    let res = reqwest::Client::new()
        .get(url)
        .header(ACCEPT, accept)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let ctype = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, ctype, res.text().await.unwrap())
}

async fn get_json(url: &str, accept: &str) -> Value {
    let (status, _, body) = get(url, accept).await;
    assert_eq!(status, StatusCode::OK, "{url}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{url}: {e}: {body}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webfinger_nodeinfo_actors_collections_and_tombstones() {
    let a = Instance::start("district-a").await;
    let alice = a.user("alice").await;
    let base = a.base();
    let actor_id = format!("{}/users/alice", a.url());

    // WebFinger by acct: and by actor URL; unknown names are 404.
    for resource in [format!("acct:alice@{}", a.domain), actor_id.clone()] {
        let wf = get_json(
            &format!(
                "{base}/.well-known/webfinger?resource={}",
                common::client::urlencode(&resource)
            ),
            "application/jrd+json",
        )
        .await;
        assert_eq!(wf["subject"], format!("acct:alice@{}", a.domain));
        let self_link = wf["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["rel"] == "self")
            .unwrap();
        assert_eq!(self_link["href"], actor_id.as_str());
        assert_eq!(self_link["type"], AP);
    }
    let (status, _, _) = get(
        &format!(
            "{base}/.well-known/webfinger?resource=acct:nobody@{}",
            a.domain
        ),
        "*/*",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // host-meta points at WebFinger.
    let (status, ctype, xml) = get(&format!("{base}/.well-known/host-meta"), "*/*").await;
    assert_eq!(status, StatusCode::OK);
    assert!(ctype.contains("xrd+xml"), "{ctype}");
    assert!(xml.contains(&format!(
        "{}/.well-known/webfinger?resource={{uri}}",
        a.url()
    )));

    // NodeInfo 2.0 and 2.1 name the software and count users and posts.
    alice.post_status("Hello from district A", "public").await;
    let index = get_json(&format!("{base}/.well-known/nodeinfo"), "*/*").await;
    for version in ["2.0", "2.1"] {
        let link = index["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["rel"].as_str().unwrap().ends_with(version))
            .unwrap_or_else(|| panic!("no NodeInfo {version} link"));
        let path = link["href"].as_str().unwrap().replace(&a.url(), &base);
        let info = get_json(&path, "*/*").await;
        assert_eq!(info["version"], version);
        assert_eq!(info["software"]["name"], "staffroom");
        assert!(info["protocols"]
            .as_array()
            .unwrap()
            .contains(&"activitypub".into()));
        assert_eq!(info["usage"]["users"]["total"], 1);
        assert_eq!(info["usage"]["localPosts"], 1);
    }

    // The actor: ActivityPub JSON for servers (both media types), HTML for browsers.
    for accept in [AP, LD] {
        let person = get_json(&format!("{base}/users/alice"), accept).await;
        assert_eq!(person["type"], "Person");
        assert_eq!(person["id"], actor_id.as_str());
        assert_eq!(person["preferredUsername"], "alice");
        assert_eq!(person["inbox"], format!("{actor_id}/inbox"));
        assert_eq!(
            person["endpoints"]["sharedInbox"],
            format!("{}/inbox", a.url())
        );
        assert_eq!(person["publicKey"]["owner"], actor_id.as_str());
        assert!(person["publicKey"]["publicKeyPem"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN PUBLIC KEY-----"));
    }
    let (status, ctype, html) = get(&format!("{base}/@alice"), "text/html").await;
    assert_eq!(status, StatusCode::OK);
    assert!(ctype.starts_with("text/html"), "{ctype}");
    assert!(html.contains("Hello from district A"));

    // The instance actor signs fetches.
    let instance = get_json(&format!("{base}/actor"), AP).await;
    assert_eq!(instance["type"], "Application");
    assert!(instance["publicKey"]["publicKeyPem"].is_string());

    // Outbox, followers and following are ordered collections with pages.
    let outbox = get_json(&format!("{base}/users/alice/outbox"), AP).await;
    assert_eq!(outbox["type"], "OrderedCollection");
    assert_eq!(outbox["totalItems"], 1);
    let first = outbox["first"].as_str().unwrap().replace(&a.url(), &base);
    let page = get_json(&first, AP).await;
    assert_eq!(page["orderedItems"][0]["type"], "Create");
    assert_eq!(page["orderedItems"][0]["object"]["type"], "Note");
    for name in ["followers", "following"] {
        let c = get_json(&format!("{base}/users/alice/{name}"), AP).await;
        assert_eq!(c["type"], "OrderedCollection");
        assert_eq!(c["totalItems"], 0);
    }

    // A post is served as a Note, and as a Tombstone (410) once deleted.
    let post = alice.post_status("Soon gone", "public").await;
    let uri = post["uri"].as_str().unwrap().replace(&a.url(), &base);
    let note = get_json(&uri, AP).await;
    assert_eq!(note["type"], "Note");
    assert_eq!(note["attributedTo"], actor_id.as_str());
    alice
        .delete(&format!(
            "/api/v1/statuses/{}",
            post["id"].as_str().unwrap()
        ))
        .await;
    let (status, _, body) = get(&uri, AP).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(body.contains("Tombstone"));

    // Unknown accounts are 404 in every form.
    for path in ["/users/nobody", "/users/nobody/outbox", "/@nobody"] {
        let (status, _, _) = get(&format!("{base}{path}"), AP).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
}

/// SECURITY.md HTML 3: web pages send a strict Content-Security-Policy (no
/// script, no inline style: the style sheet is a file of this server), and
/// a display name or post text with markup is shown as text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_send_a_strict_content_security_policy() {
    let a = Instance::start("district-a").await;
    let alice = a.user("alice").await;
    alice
        .patch(
            "/api/v1/accounts/update_credentials",
            serde_json::json!({"display_name": "<img src=x onerror=1>Al"}),
        )
        .await;
    let post = alice
        .post_status("<script>alert(1)</script> hello", "public")
        .await;
    let http = reqwest::Client::new();
    let base = a.base();
    let status_path = post["url"].as_str().unwrap().replace(&a.url(), "");
    for path in ["/@alice".to_string(), status_path] {
        let page = http
            .get(format!("{base}{path}"))
            .header(ACCEPT, "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK, "{path}");
        let csp = page.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(csp.contains("default-src 'none'"), "{csp}");
        assert!(csp.contains("style-src 'self'"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("script-src"),
            "{csp}"
        );
        assert_eq!(page.headers()["x-content-type-options"], "nosniff");
        let html = page.text().await.unwrap();
        assert!(
            !html.contains("<style") && !html.contains(" style="),
            "{path}"
        );
        assert!(
            !html.contains("<script") && !html.contains("<img src=x"),
            "{path}"
        );
        assert!(html.contains("href=\"/static/site.css\""), "{path}");
    }
    let css = http
        .get(format!("{base}/static/site.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(css.status(), StatusCode::OK);
    assert!(css.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
}

/// WebFinger resources are bounded (SECURITY.md API 7 applies to every
/// parser of outside input): an overlong one is refused, a sound one still
/// answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overlong_webfinger_resources_are_refused() {
    let a = Instance::start("district-a").await;
    a.user("alice").await;
    let base = a.base();
    let long = format!("acct:{}@{}", "a".repeat(5000), a.domain);
    let (status, _, _) = get(
        &format!("{base}/.well-known/webfinger?resource={long}"),
        "application/jrd+json",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, body) = get(
        &format!(
            "{base}/.well-known/webfinger?resource=acct:alice@{}",
            a.domain
        ),
        "application/jrd+json",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// WebFinger by RFC 7033 (the cases FediTest's WebFinger server suite
/// tries): §4.2, 400 for a missing `resource` or one that is not an
/// absolute URI, 404 for a well-formed one this server does not know, a JRD
/// only for a match; §4.3, `rel` narrows the links and unknown rels are
/// accepted; §5, CORS on every answer, errors included.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webfinger_answers_by_rfc_7033() {
    let a = Instance::start("district-a").await;
    a.user("alice").await;
    let base = a.base();
    let host = &a.domain;
    let actor = format!("{}/users/alice", a.url());
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let cases: Vec<(String, StatusCode)> = vec![
        // Known: by handle (any case of the host, with a leading @), by actor URL.
        (format!("resource=acct:alice@{host}"), StatusCode::OK),
        (
            format!("resource={}", enc(&format!("acct:alice@{host}"))),
            StatusCode::OK,
        ),
        (
            format!("resource=acct:@alice@{}", host.to_uppercase()),
            StatusCode::OK,
        ),
        (format!("resource={}", enc(&actor)), StatusCode::OK),
        // Parameter order and extra parameters do not matter (§4.1).
        (
            format!("rel=self&resource=acct:alice@{host}&x=1"),
            StatusCode::OK,
        ),
        // Malformed: missing, empty, no scheme, an extra `=`, no host.
        (String::new(), StatusCode::BAD_REQUEST),
        ("rel=self".into(), StatusCode::BAD_REQUEST),
        ("resource=".into(), StatusCode::BAD_REQUEST),
        (format!("resource=alice@{host}"), StatusCode::BAD_REQUEST),
        (
            format!("resource==acct:alice@{host}"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("resource=={}", enc(&format!("acct:alice@{host}"))),
            StatusCode::BAD_REQUEST,
        ),
        ("resource=acct:alice".into(), StatusCode::BAD_REQUEST),
        ("resource=%2Fusers%2Falice".into(), StatusCode::BAD_REQUEST),
        // Well-formed, unknown: another account, another host, another
        // scheme, a URL that is not an actor's.
        (
            format!("resource=acct:nobody@{host}"),
            StatusCode::NOT_FOUND,
        ),
        (
            "resource=acct:alice@elsewhere.example".into(),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("resource=mailto:alice@{host}"),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("resource={}", enc("https://elsewhere.example/users/alice")),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("resource={}", enc(&format!("{}/about", a.url()))),
            StatusCode::NOT_FOUND,
        ),
    ];
    for (query, want) in cases {
        let res = reqwest::Client::new()
            .get(format!("{base}/.well-known/webfinger?{query}"))
            .send()
            .await
            .unwrap();
        let status = res.status();
        let cors = res.headers().get("access-control-allow-origin").cloned();
        let ctype = res.headers().get("content-type").cloned();
        let body = res.text().await.unwrap();
        assert_eq!(status, want, "?{query}: {body}");
        assert_eq!(
            cors.as_ref().map(|v| v.to_str().unwrap()),
            Some("*"),
            "?{query}: CORS"
        );
        let jrd = ctype.is_some_and(|c| c.to_str().unwrap().starts_with("application/jrd+json"));
        assert_eq!(
            jrd,
            want == StatusCode::OK,
            "?{query}: a JRD only for a match"
        );
    }
    // `rel` narrows the links; an unknown rel is accepted and leaves none.
    let links = |query: String| {
        let url = format!("{base}/.well-known/webfinger?resource=acct:alice@{host}{query}");
        async move {
            let jrd = get_json(&url, "application/jrd+json").await;
            let rels: Vec<String> = jrd["links"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l["rel"].as_str().unwrap().to_string())
                .collect();
            rels
        }
    };
    let all = links(String::new()).await;
    assert!(all.contains(&"self".to_string()), "{all:?}");
    assert!(all.len() >= 2, "{all:?}");
    assert_eq!(links("&rel=self".into()).await, ["self"]);
    let profile = enc("http://webfinger.net/rel/profile-page");
    let mut both = links(format!("&rel=something-else&rel={profile}&rel=self")).await;
    both.sort();
    assert_eq!(both, ["http://webfinger.net/rel/profile-page", "self"]);
    assert!(links("&rel=something-else".into()).await.is_empty());
}
