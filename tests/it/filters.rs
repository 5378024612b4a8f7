//! Filters: keywords (whole word or not) and statuses, `warn` marking
//! statuses and `hide` leaving them out, per context; the v2 API with its
//! keyword and status endpoints, and the v1 view.

use crate::common::{
    openapi::{validate, validate_all},
    Client, Instance,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn find<'a>(list: &'a Value, id: &Value) -> Option<&'a Value> {
    list.as_array().unwrap().iter().find(|s| s["id"] == *id)
}

async fn home(c: &Client) -> Value {
    c.get("/api/v1/timelines/home").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyword_and_status_filters_by_context() {
    let a = Instance::start("district-a").await;
    let alice = a.user("alice").await;
    let dev = a.user("dev").await;
    alice.follow(&dev.id()).await;

    // A warning filter on a whole word, at home and in public.
    let warn = alice
        .post(
            "/api/v2/filters",
            json!({"title": "TV spoilers", "context": ["home", "public"], "filter_action": "warn",
                   "keywords_attributes": [{"keyword": "finale", "whole_word": true}]}),
        )
        .await;
    validate("Filter", &warn);
    assert_eq!(warn["keywords"][0]["keyword"], "finale");
    let spoiler = dev.post_status("The Finale was amazing", "public").await;
    let plural = dev.post_status("All the finales this year", "public").await;
    let timeline = home(&alice).await;
    let marked = find(&timeline, &spoiler["id"]).expect("a warned status stays");
    validate("Status", marked);
    assert_eq!(marked["filtered"][0]["filter"]["title"], "TV spoilers");
    assert_eq!(marked["filtered"][0]["keyword_matches"], json!(["finale"]));
    assert_eq!(
        find(&timeline, &plural["id"]).unwrap()["filtered"],
        json!([])
    );
    // Dev's own view is not filtered.
    assert_eq!(
        find(&home(&dev).await, &spoiler["id"]).unwrap()["filtered"],
        json!([])
    );

    // A hide filter, at home only: gone from home, still in public.
    let hide = alice
        .post(
            "/api/v2/filters",
            json!({"title": "Work", "context": ["home"], "filter_action": "hide"}),
        )
        .await;
    let hide_id = hide["id"].as_str().unwrap().to_string();
    let kw = alice
        .post(
            &format!("/api/v2/filters/{hide_id}/keywords"),
            json!({"keyword": "grading", "whole_word": false}),
        )
        .await;
    validate("FilterKeyword", &kw);
    let grading = dev.post_status("Grading tips for rubrics", "public").await;
    assert!(find(&home(&alice).await, &grading["id"]).is_none());
    let public = alice.get("/api/v1/timelines/public").await;
    assert!(find(&public, &grading["id"]).is_some());
    let keywords = alice
        .get(&format!("/api/v2/filters/{hide_id}/keywords"))
        .await;
    validate_all("FilterKeyword", &keywords);
    assert_eq!(keywords.as_array().unwrap().len(), 1);
    // Changing the keyword brings the post back.
    let kw_id = kw["id"].as_str().unwrap();
    let changed = alice
        .put(
            &format!("/api/v2/filters/keywords/{kw_id}"),
            json!({"keyword": "homework"}),
        )
        .await;
    assert_eq!(changed["keyword"], "homework");
    assert!(find(&home(&alice).await, &grading["id"]).is_some());

    // A status filter matches that one status.
    let fs = alice
        .post(
            &format!("/api/v2/filters/{hide_id}/statuses"),
            json!({"status_id": grading["id"]}),
        )
        .await;
    validate("FilterStatus", &fs);
    assert!(find(&home(&alice).await, &grading["id"]).is_none());
    alice
        .delete(&format!(
            "/api/v2/filters/statuses/{}",
            fs["id"].as_str().unwrap()
        ))
        .await;
    assert!(find(&home(&alice).await, &grading["id"]).is_some());

    // Updating the filter (context, title) and listing them.
    let updated = alice
        .put(
            &format!("/api/v2/filters/{hide_id}"),
            json!({"title": "Work stuff", "context": ["home", "thread"], "expires_in": ""}),
        )
        .await;
    assert_eq!(updated["title"], "Work stuff");
    assert_eq!(updated["context"], json!(["home", "thread"]));
    let all = alice.get("/api/v2/filters").await;
    validate_all("Filter", &all);
    assert_eq!(all.as_array().unwrap().len(), 2);

    // Bad input and other people's filters.
    let bad = alice
        .request(
            Method::POST,
            "/api/v2/filters",
            Some(json!({"title": "x", "context": ["everywhere"]})),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        dev.status_of(Method::GET, &format!("/api/v2/filters/{hide_id}"))
            .await,
        StatusCode::NOT_FOUND
    );
    alice.delete(&format!("/api/v2/filters/{hide_id}")).await;
    assert_eq!(
        alice.get("/api/v2/filters").await.as_array().unwrap().len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v1_filters_and_notifications() {
    let a = Instance::start("district-a").await;
    let alice = a.user("alice").await;
    let dev = a.user("dev").await;
    alice.follow(&dev.id()).await;

    // v1: an irreversible (hide) filter for home and notifications.
    let f = alice
        .post(
            "/api/v1/filters",
            json!({"phrase": "fundraiser", "context": ["home", "notifications"], "irreversible": true, "whole_word": false}),
        )
        .await;
    validate("V1Filter", &f);
    assert_eq!(f["phrase"], "fundraiser");
    assert_eq!(f["irreversible"], true);
    let list = alice.get("/api/v1/filters").await;
    validate_all("V1Filter", &list);
    assert_eq!(list[0]["id"], f["id"]);

    dev.post_status("@alice join the Fundraiser!", "public")
        .await;
    let other = dev
        .post_status("@alice lab supplies arrived", "public")
        .await;
    let kinds: Vec<Value> = alice
        .notifications()
        .await
        .iter()
        .map(|n| n["status"]["id"].clone())
        .collect();
    assert_eq!(
        kinds,
        vec![other["id"].clone()],
        "the filtered mention is hidden"
    );
    assert_eq!(home(&alice).await.as_array().unwrap().len(), 1);

    // v1 update and delete (the filter goes with its last keyword).
    let id = f["id"].as_str().unwrap();
    let updated = alice
        .put(
            &format!("/api/v1/filters/{id}"),
            json!({"phrase": "raffle", "context": ["home"], "irreversible": false}),
        )
        .await;
    assert_eq!(updated["phrase"], "raffle");
    assert_eq!(updated["irreversible"], false);
    alice.delete(&format!("/api/v1/filters/{id}")).await;
    assert_eq!(alice.get("/api/v1/filters").await, json!([]));
    assert_eq!(alice.get("/api/v2/filters").await, json!([]));
}
