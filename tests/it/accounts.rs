//! Accounts: sign-up in each registration mode, profile fields and posting
//! preferences (federated to other districts), suggestions and familiar
//! followers.

use crate::common::{
    eventually,
    instance::PASSWORD,
    openapi::{validate, validate_all},
    Client, Instance, FEDERATION_DEADLINE as DEADLINE,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// An app and its client-credentials token, as apps get before a sign-up.
async fn app_token(base: &str) -> (Value, String) {
    let http = reqwest::Client::new();
    let app: Value = http
        .post(format!("{base}/api/v1/apps"))
        .json(&json!({"client_name": "Sign-up test", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read write follow"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token: Value = http
        .post(format!("{base}/oauth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", app["client_id"].as_str().unwrap()),
            ("client_secret", app["client_secret"].as_str().unwrap()),
            ("scope", "read write"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (app, token["access_token"].as_str().unwrap().to_string())
}

async fn sign_up(base: &str, token: &str, body: Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{base}/api/v1/accounts"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

fn maria(username: &str) -> Value {
    json!({"username": username, "email": format!("{username}@school.example"),
           "password": PASSWORD, "agreement": true, "locale": "en", "reason": "I teach 3rd grade robotics"})
}

async fn get_as(base: &str, token: &str, path: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{base}{path}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_follows_the_registration_mode() {
    // Open: the new account can use its token at once.
    let open = Instance::start_with(
        "district-a",
        &[("STAFFROOM_INSTANCE_REGISTRATIONS", "open")],
    )
    .await;
    let (_, token) = app_token(&open.base()).await;
    let res = sign_up(&open.base(), &token, maria("maria")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let issued: Value = res.json().await.unwrap();
    validate("Token", &issued);
    let user_token = issued["access_token"].as_str().unwrap();
    let me: Value = get_as(
        &open.base(),
        user_token,
        "/api/v1/accounts/verify_credentials",
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(me["username"], "maria");
    // Refusals: taken name, no agreement, no app token.
    let res = sign_up(&open.base(), &token, maria("maria")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    validate("Error", &res.json().await.unwrap());
    let mut no_agreement = maria("dev");
    no_agreement["agreement"] = json!(false);
    assert_eq!(
        sign_up(&open.base(), &token, no_agreement).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let anonymous = reqwest::Client::new()
        .post(format!("{}/api/v1/accounts", open.base()))
        .json(&maria("dev"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    // Closed (the default): refused.
    let closed = Instance::start("district-b").await;
    let (_, token) = app_token(&closed.base()).await;
    assert_eq!(
        sign_up(&closed.base(), &token, maria("maria"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    // Approval: the account waits; moderators are told; the CLI lets it in.
    let approval = Instance::start_with(
        "district-c",
        &[("STAFFROOM_INSTANCE_REGISTRATIONS", "approval")],
    )
    .await;
    let admin = approval.user_with_role("sam", "admin").await;
    let (_, token) = app_token(&approval.base()).await;
    let res = sign_up(&approval.base(), &token, maria("maria")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let issued: Value = res.json().await.unwrap();
    let waiting = issued["access_token"].as_str().unwrap().to_string();
    let res = get_as(
        &approval.base(),
        &waiting,
        "/api/v1/accounts/verify_credentials",
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let body: Value = res.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("pending approval"));
    let n = eventually("the sign-up notification", DEADLINE, || async {
        admin
            .notifications()
            .await
            .into_iter()
            .find(|n| n["type"] == "admin.sign_up")
    })
    .await;
    assert_eq!(n["account"]["username"], "maria");
    let list = String::from_utf8_lossy(&approval.cli(&["user", "list"]).stdout).into_owned();
    assert!(list.contains("waiting for approval"), "{list}");
    let out = approval.cli(&["user", "approve", "maria"]);
    assert!(out.status.success());
    let res = get_as(
        &approval.base(),
        &waiting,
        "/api/v1/accounts/verify_credentials",
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    Client::sign_in(&approval.base(), "maria", PASSWORD).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profile_fields_and_preferences_reach_other_districts() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let alice_at_b = bob.resolve(&format!("alice@{}", a.domain)).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    bob.follow(&alice_at_b).await;
    eventually("the follow", DEADLINE, || async {
        (bob.relationship(&alice_at_b).await["following"] == true).then_some(())
    })
    .await;

    // Form-encoded, Rails style, as Tusky and Ivory send it.
    let res = alice
        .http
        .patch(format!("{}/api/v1/accounts/update_credentials", alice.base))
        .bearer_auth(&alice.token)
        .form(&[
            ("display_name", "Alice Okafor"),
            ("fields_attributes[0][name]", "School"),
            ("fields_attributes[0][value]", "Lincoln Elementary"),
            ("fields_attributes[1][name]", "Resources"),
            (
                "fields_attributes[1][value]",
                "https://lincoln.example/stem",
            ),
            ("source[privacy]", "unlisted"),
            ("source[language]", "en"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let me: Value = res.json().await.unwrap();
    validate("CredentialAccount", &me);
    assert_eq!(me["fields"][0]["name"], "School");
    assert!(me["fields"][1]["value"]
        .as_str()
        .unwrap()
        .contains("<a href=\"https://lincoln.example/stem\""));
    assert_eq!(
        me["source"]["fields"][1]["value"],
        "https://lincoln.example/stem"
    );
    assert_eq!(me["source"]["privacy"], "unlisted");
    let prefs = alice.get("/api/v1/preferences").await;
    validate("Preferences", &prefs);
    assert_eq!(prefs["posting:default:visibility"], "unlisted");
    assert_eq!(prefs["posting:default:language"], "en");
    // A post without a visibility takes the default.
    let post = alice
        .post("/api/v1/statuses", json!({"status": "defaults"}))
        .await;
    assert_eq!(post["visibility"], "unlisted");
    assert_eq!(post["language"], "en");

    // Too many fields are refused.
    let five: Vec<Value> = (0..5)
        .map(|i| json!({"name": format!("f{i}"), "value": "v"}))
        .collect();
    let res = alice
        .request(
            reqwest::Method::PATCH,
            "/api/v1/accounts/update_credentials",
            Some(json!({"fields_attributes": five})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // The fields reach Bob's server with the profile update.
    eventually("the fields at Bob's server", DEADLINE, || async {
        let a = bob.get(&format!("/api/v1/accounts/{alice_at_b}")).await;
        (a["fields"][0]["value"].as_str()?.contains("Lincoln")
            && a["display_name"] == "Alice Okafor")
            .then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suggestions_and_familiar_followers() {
    let a = Instance::start("district-a").await;
    let alice = a.user("alice").await;
    let dev = a.user("dev").await;
    let carol = a.user("carol").await;
    let sam = a.user("sam").await;
    alice.follow(&dev.id()).await;
    dev.follow(&carol.id()).await;
    sam.follow(&carol.id()).await;
    sam.follow(&dev.id()).await;

    // Carol is followed by Dev, whom Alice follows: a friend of a friend.
    let v2 = alice.get("/api/v2/suggestions").await;
    validate_all("Suggestion", &v2);
    assert_eq!(v2[0]["account"]["username"], "carol");
    assert_eq!(v2[0]["sources"], json!(["friends_of_friends"]));
    assert!(!v2
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["account"]["username"] == "dev" || s["account"]["username"] == "alice"));
    let v1 = alice.get("/api/v1/suggestions").await;
    validate_all("Account", &v1);
    assert_eq!(v1[0]["username"], "carol");

    let familiar = alice
        .get(&format!(
            "/api/v1/accounts/familiar_followers?id[]={}",
            carol.id()
        ))
        .await;
    validate_all("FamiliarFollowers", &familiar);
    assert_eq!(familiar[0]["id"], carol.id().as_str());
    assert_eq!(familiar[0]["accounts"][0]["username"], "dev");
    assert_eq!(familiar[0]["accounts"].as_array().unwrap().len(), 1);
}
