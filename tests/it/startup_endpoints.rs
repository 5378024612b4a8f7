//! What apps call at start-up besides the instance: announcements (posted
//! with the CLI, dismissed, reacted to), trends (tags and posts, across
//! districts), rules, peers, weekly activity, the extended description,
//! suggestions that can be dismissed, and CORS and rate-limit headers on
//! every API answer, errors included.

use crate::common::{
    eventually,
    openapi::{validate, validate_all},
    Instance, FEDERATION_DEADLINE as DEADLINE,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn names(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v[key].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn announcements_rules_peers_and_activity() {
    let a = Instance::start_with(
        "district-a",
        &[(
            "STAFFROOM_INSTANCE_RULES",
            "Be kind to colleagues.,No student names or photos.",
        )],
    )
    .await;
    let b = Instance::start("district-b").await;
    let alice = a.user("alice").await;
    let amir = a.user("amir").await;
    let bob = b.user("bob").await;
    let http = reqwest::Client::new();

    // Rules, in the instance documents and on their own.
    let rules: Value = http
        .get(format!("{}/api/v1/instance/rules", a.base()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    validate_all("Rule", &rules);
    assert_eq!(
        names(&rules, "text"),
        ["Be kind to colleagues.", "No student names or photos."]
    );
    assert_eq!(names(&rules, "id"), ["1", "2"]);
    let v2 = alice.get("/api/v2/instance").await;
    validate("Instance", &v2);
    assert_eq!(v2["rules"], rules);
    let extended = alice.get("/api/v1/instance/extended_description").await;
    validate("ExtendedDescription", &extended);
    assert!(extended["content"].as_str().unwrap().starts_with("<p>"));

    // No announcements yet; an admin posts three from the command line: one
    // current, one that starts tomorrow, one that ended yesterday.
    assert_eq!(alice.get("/api/v1/announcements").await, json!([]));
    let out = a.cli(&[
        "announcement",
        "create",
        "--text",
        "Robotics PLC meets Thursday, see https://district-a.example/plc",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    let yesterday = (chrono::Utc::now() - chrono::Duration::days(1)).to_rfc3339();
    let last_week = (chrono::Utc::now() - chrono::Duration::days(7)).to_rfc3339();
    for args in [
        vec!["--text", "Winter break schedule", "--starts-at", &tomorrow],
        vec![
            "--text",
            "Old news",
            "--starts-at",
            &last_week,
            "--ends-at",
            &yesterday,
            "--all-day",
        ],
    ] {
        let mut cmd = vec!["announcement", "create"];
        cmd.extend(args);
        let out = a.cli(&cmd);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let bad = a.cli(&[
        "announcement",
        "create",
        "--text",
        "x",
        "--ends-at",
        "next tuesday",
    ]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--ends-at"));
    let listed = a.cli(&["announcement", "list"]);
    assert_eq!(String::from_utf8_lossy(&listed.stdout).lines().count(), 3);

    let list = alice.get("/api/v1/announcements").await;
    validate_all("Announcement", &list);
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "only the current one: {list}"
    );
    let ann = &list[0];
    assert!(ann["content"]
        .as_str()
        .unwrap()
        .contains("Robotics PLC meets Thursday"));
    assert!(ann["content"]
        .as_str()
        .unwrap()
        .contains("<a href=\"https://district-a.example/plc\""));
    assert_eq!(ann["read"], false);
    let id = ann["id"].as_str().unwrap().to_string();

    // Reactions: one emoji from two teachers, counted, with `me` per viewer.
    alice
        .put(
            &format!("/api/v1/announcements/{id}/reactions/%F0%9F%A4%96"),
            json!({}),
        )
        .await;
    amir.put(
        &format!("/api/v1/announcements/{id}/reactions/%F0%9F%A4%96"),
        json!({}),
    )
    .await;
    alice
        .put(
            &format!("/api/v1/announcements/{id}/reactions/%F0%9F%8E%89"),
            json!({}),
        )
        .await;
    // Adding the same reaction twice counts once.
    alice
        .put(
            &format!("/api/v1/announcements/{id}/reactions/%F0%9F%A4%96"),
            json!({}),
        )
        .await;
    let seen = amir.get("/api/v1/announcements").await;
    validate_all("Announcement", &seen);
    let reactions = &seen[0]["reactions"];
    assert_eq!(reactions[0], json!({"name": "🤖", "count": 2, "me": true}));
    assert_eq!(reactions[1], json!({"name": "🎉", "count": 1, "me": false}));
    amir.delete(&format!(
        "/api/v1/announcements/{id}/reactions/%F0%9F%A4%96"
    ))
    .await;
    let seen = amir.get("/api/v1/announcements").await;
    assert_eq!(
        seen[0]["reactions"][0],
        json!({"name": "🤖", "count": 1, "me": false})
    );
    // Not an emoji: 422 with Mastodon's error shape. Unknown announcement: 404.
    let res = alice
        .request(
            Method::PUT,
            &format!("/api/v1/announcements/{id}/reactions/blobcat"),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    validate("Error", &res.json().await.unwrap());
    assert_eq!(
        alice
            .status_of(Method::POST, "/api/v1/announcements/12345/dismiss")
            .await,
        StatusCode::NOT_FOUND
    );

    // Dismissing marks it read for that teacher only.
    alice
        .post(&format!("/api/v1/announcements/{id}/dismiss"), json!({}))
        .await;
    assert_eq!(alice.get("/api/v1/announcements").await, json!([]));
    let with = alice.get("/api/v1/announcements?with_dismissed=true").await;
    assert_eq!(with[0]["read"], true);
    assert_eq!(amir.get("/api/v1/announcements").await[0]["read"], false);
    // Announcements need a signed-in user.
    let anonymous = http
        .get(format!("{}/api/v1/announcements", a.base()))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    // Deleting from the command line takes it away.
    let deleted = a.cli(&["announcement", "delete", &id]);
    assert!(deleted.status.success());
    assert_eq!(amir.get("/api/v1/announcements").await, json!([]));
    assert!(!a.cli(&["announcement", "delete", &id]).status.success());

    // Peers: none until Alice follows someone on district B.
    let peers: Value = http
        .get(format!("{}/api/v1/instance/peers", a.base()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(peers, json!([]));
    let bob_at_a = alice.resolve(&format!("bob@{}", b.domain)).await;
    alice.follow(bob_at_a["id"].as_str().unwrap()).await;
    let peers: Value = http
        .get(format!("{}/api/v1/instance/peers", a.base()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(peers, json!([b.domain]));

    // Activity: twelve weeks, this one first, counting this week's posts,
    // sign-ins and sign-ups.
    alice.post_status("first post of the week", "public").await;
    alice.post_status("second post, unlisted", "unlisted").await;
    let _ = bob;
    let weeks: Value = http
        .get(format!("{}/api/v1/instance/activity", a.base()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let weeks = weeks.as_array().unwrap();
    assert_eq!(weeks.len(), 12);
    let this_week = &weeks[0];
    let monday: i64 = this_week["week"].as_str().unwrap().parse().unwrap();
    let start = chrono::DateTime::from_timestamp(monday, 0).unwrap();
    assert_eq!(start.format("%a %H:%M").to_string(), "Mon 00:00");
    assert!(chrono::Utc::now() - start < chrono::Duration::days(7));
    assert_eq!(this_week["statuses"], "2");
    assert_eq!(this_week["registrations"], "2");
    assert_eq!(this_week["logins"], "2");
    let earlier: i64 = weeks[1]["week"].as_str().unwrap().parse().unwrap();
    assert_eq!(monday - earlier, 7 * 24 * 3600);
    assert_eq!(weeks[1]["statuses"], "0");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trends_suggestions_and_headers_on_every_answer() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let alice = a.user("alice").await;
    let amir = a.user("amir").await;
    let quiet = a.user("quiet").await;
    let bob = b.user("bob").await;
    quiet
        .patch(
            "/api/v1/accounts/update_credentials",
            json!({"discoverable": false}),
        )
        .await;

    // Alice follows Bob; Bob's posts come to district A.
    let bob_at_a = alice.resolve(&format!("bob@{}", b.domain)).await;
    alice.follow(bob_at_a["id"].as_str().unwrap()).await;
    eventually("Bob's follow accepted", DEADLINE, || async {
        (alice.relationship(bob_at_a["id"].as_str().unwrap()).await["following"] == true)
            .then_some(())
    })
    .await;
    let bobs = bob
        .post_status("Rube Goldberg machines for #Robotics week", "public")
        .await;
    let bobs_here = eventually("Bob's post at A", DEADLINE, || async {
        alice.home_status(bobs["uri"].as_str().unwrap()).await
    })
    .await;
    let plain = alice
        .post_status("Three of us use #robotics kits", "public")
        .await;
    amir.post_status("Me too: #robotics and #calculus", "public")
        .await;
    quiet
        .post_status("Nobody should see me trend #secretclub", "public")
        .await;
    quiet.post_status("#secretclub again", "public").await;
    alice.post_status("Private #hidden note", "private").await;

    // Trending tags: by how many people use them, then how often.
    let tags = alice.get("/api/v1/trends/tags").await;
    validate_all("Tag", &tags);
    assert_eq!(names(&tags, "name"), ["robotics", "calculus"]);
    assert_eq!(tags[0]["history"].as_array().unwrap().len(), 7);
    assert_eq!(tags[0]["history"][0]["accounts"], "3");
    assert_eq!(tags[0]["history"][0]["uses"], "3");
    // `/api/v1/trends` is the older name; no token needed; paging by offset.
    let http = reqwest::Client::new();
    let res = http
        .get(format!("{}/api/v1/trends?limit=1", a.base()))
        .send()
        .await
        .unwrap();
    assert!(res.headers()["link"].to_str().unwrap().contains("offset=1"));
    let first: Value = res.json().await.unwrap();
    assert_eq!(names(&first, "name"), ["robotics"]);
    let second: Value = http
        .get(format!("{}/api/v1/trends/tags?limit=1&offset=1", a.base()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(names(&second, "name"), ["calculus"]);

    // Trending posts: only those people reacted to; boosts weigh most.
    assert_eq!(alice.get("/api/v1/trends/statuses").await, json!([]));
    let bobs_id = bobs_here["id"].as_str().unwrap();
    amir.post(&format!("/api/v1/statuses/{bobs_id}/favourite"), json!({}))
        .await;
    amir.post(
        &format!("/api/v1/statuses/{}/reblog", plain["id"].as_str().unwrap()),
        json!({}),
    )
    .await;
    let quiet_post = quiet
        .get(&format!("/api/v1/accounts/{}/statuses", quiet.id()))
        .await;
    amir.post(
        &format!(
            "/api/v1/statuses/{}/reblog",
            quiet_post[0]["id"].as_str().unwrap()
        ),
        json!({}),
    )
    .await;
    let trending = alice.get("/api/v1/trends/statuses").await;
    validate_all("Status", &trending);
    assert_eq!(
        names(&trending, "uri"),
        [
            plain["uri"].as_str().unwrap(),
            bobs["uri"].as_str().unwrap()
        ]
    );
    assert_eq!(trending[0]["reblogged"], false);
    assert_eq!(
        amir.get("/api/v1/trends/statuses").await[0]["reblogged"],
        true
    );
    // A teacher who blocked Bob does not see his post trend.
    quiet
        .post(
            &format!(
                "/api/v1/accounts/{}/block",
                bobs_here["account"]["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await;
    let for_quiet = quiet.get("/api/v1/trends/statuses").await;
    assert_eq!(names(&for_quiet, "uri"), [plain["uri"].as_str().unwrap()]);
    assert_eq!(alice.get("/api/v1/trends/links").await, json!([]));

    // Suggestions: Amir (followed on this server) is suggested to Alice
    // until she dismisses him.
    quiet.follow(&amir.id()).await;
    let suggested = alice.get("/api/v2/suggestions").await;
    validate_all("Suggestion", &suggested);
    let ids: Vec<String> = suggested
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["account"]["id"].as_str().unwrap().to_string())
        .collect();
    assert!(ids.contains(&amir.id()), "{suggested}");
    alice
        .delete(&format!("/api/v1/suggestions/{}", amir.id()))
        .await;
    let after = alice.get("/api/v2/suggestions").await;
    assert!(!after
        .to_string()
        .contains(&format!("\"id\":\"{}\"", amir.id())));
    assert_eq!(
        alice
            .status_of(Method::DELETE, "/api/v1/suggestions/999999")
            .await,
        StatusCode::NOT_FOUND
    );

    // CORS and rate-limit headers on every answer, errors included.
    for (method, path, token, expected) in [
        (Method::GET, "/api/v1/instance/peers", false, StatusCode::OK),
        (
            Method::GET,
            "/api/v1/statuses/424242",
            true,
            StatusCode::NOT_FOUND,
        ),
        (
            Method::GET,
            "/api/v1/no/such/endpoint",
            true,
            StatusCode::NOT_FOUND,
        ),
        (
            Method::GET,
            "/api/v1/notifications",
            false,
            StatusCode::UNAUTHORIZED,
        ),
        (
            Method::POST,
            "/api/v1/statuses",
            true,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let mut req = http
            .request(method.clone(), format!("{}{path}", a.base()))
            .header("origin", "https://phanpy.social");
        if token {
            req = req.bearer_auth(&alice.token);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), expected, "{method} {path}");
        let h = res.headers();
        assert_eq!(
            h["access-control-allow-origin"], "https://phanpy.social",
            "{path}"
        );
        for name in [
            "x-ratelimit-limit",
            "x-ratelimit-remaining",
            "x-ratelimit-reset",
        ] {
            assert!(h.contains_key(name), "{method} {path} lacks {name}");
        }
        if !expected.is_success() {
            validate("Error", &res.json().await.unwrap());
        }
    }
    // The preflight a browser app sends before an authorised request.
    let preflight = http
        .request(
            Method::OPTIONS,
            format!("{}/api/v1/timelines/home", a.base()),
        )
        .header("origin", "https://elk.zone")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success());
    let allowed = preflight.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(allowed.contains("authorization"));
}
