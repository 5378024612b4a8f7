//! Grouped notifications (`/api/v2/notifications`, as Mastodon 4.3 apps
//! read them): favourites and reblogs of one post and the follows of a day
//! grouped, with counts, sample accounts, paging that skips nothing,
//! `grouped_types[]`, partial accounts, one group, its accounts, dismissal,
//! the unread count, and the (accept-all) notification policy.

use crate::common;

use crate::common::{
    eventually,
    openapi::{validate, validate_all},
    Instance, FEDERATION_DEADLINE as DEADLINE,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeSet;

fn keys(results: &Value) -> Vec<String> {
    results["notification_groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["group_key"].as_str().unwrap().to_string())
        .collect()
}

fn group<'a>(results: &'a Value, kind: &str) -> &'a Value {
    results["notification_groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} group in {results}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grouped_notifications_page_filter_and_dismiss() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let alice = a.user("alice").await;
    let amir = a.user("amir").await;
    let carol = a.user("carol").await;
    let bob = b.user("bob").await;

    // Three follows (one from district B), three favourites and two reblogs
    // of one post, and a mention.
    let post = alice
        .post_status("Our marble-run unit is ready to share", "public")
        .await;
    let post_id = post["id"].as_str().unwrap().to_string();
    let alice_at_b = bob.resolve(&format!("alice@{}", a.domain)).await;
    let alice_at_b = alice_at_b["id"].as_str().unwrap();
    bob.follow(alice_at_b).await;
    let post_at_b = bob
        .get(&format!(
            "/api/v2/search?resolve=true&type=statuses&q={}",
            common::client::urlencode(post["uri"].as_str().unwrap())
        ))
        .await["statuses"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    bob.post(
        &format!("/api/v1/statuses/{post_at_b}/favourite"),
        json!({}),
    )
    .await;
    bob.post(&format!("/api/v1/statuses/{post_at_b}/reblog"), json!({}))
        .await;
    // Bob's arrive first, so that the local teachers' are the latest of each group.
    eventually("Bob's notifications at Alice's", DEADLINE, || async {
        let list = alice.get("/api/v1/notifications").await;
        (list.as_array().unwrap().len() == 3).then_some(())
    })
    .await;
    amir.follow(&alice.id()).await;
    carol.follow(&alice.id()).await;
    for who in [&amir, &carol] {
        who.post(&format!("/api/v1/statuses/{post_id}/favourite"), json!({}))
            .await;
    }
    amir.post(&format!("/api/v1/statuses/{post_id}/reblog"), json!({}))
        .await;
    amir.post_status("@alice can I borrow the marble-run kit?", "public")
        .await;
    let all = eventually("every notification at Alice's", DEADLINE, || async {
        let list = alice.get("/api/v1/notifications").await;
        (list.as_array().unwrap().len() == 9).then_some(list)
    })
    .await;

    // Four groups, newest first: mention, reblog (2), favourite (3), follow (3).
    let grouped = alice.get("/api/v2/notifications").await;
    validate("GroupedNotificationsResults", &grouped);
    assert_eq!(grouped["notification_groups"].as_array().unwrap().len(), 4);
    let fav = group(&grouped, "favourite");
    assert_eq!(fav["group_key"], format!("favourite-{post_id}"));
    assert_eq!(fav["notifications_count"], 3);
    assert_eq!(fav["sample_account_ids"].as_array().unwrap().len(), 3);
    assert_eq!(fav["status_id"], post_id.as_str());
    assert_eq!(group(&grouped, "reblog")["notifications_count"], 2);
    assert_eq!(group(&grouped, "follow")["notifications_count"], 3);
    assert_eq!(group(&grouped, "mention")["notifications_count"], 1);
    assert!(group(&grouped, "mention")["group_key"]
        .as_str()
        .unwrap()
        .starts_with("ungrouped-"));
    // Every account and status the groups name comes along, once.
    let account_ids: BTreeSet<&str> = grouped["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    for g in grouped["notification_groups"].as_array().unwrap() {
        for id in g["sample_account_ids"].as_array().unwrap() {
            assert!(account_ids.contains(id.as_str().unwrap()), "{id} missing");
        }
    }
    assert_eq!(grouped["statuses"].as_array().unwrap().len(), 2);
    // The v1 list names the same groups.
    let v1_fav = all
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["type"] == "favourite")
        .unwrap();
    assert_eq!(v1_fav["group_key"], fav["group_key"]);

    // Two groups a page; following `Link` reaches every group (a group whose
    // notifications straddle pages shows on each).
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut path = "/api/v2/notifications?limit=2".to_string();
    for _ in 0..10 {
        let res = alice.request(Method::GET, &path, None).await;
        let link = res
            .headers()
            .get("link")
            .map(|l| l.to_str().unwrap().to_string());
        let page: Value = res.json().await.unwrap();
        validate("GroupedNotificationsResults", &page);
        let page_keys = keys(&page);
        assert!(page_keys.len() <= 2);
        if page_keys.is_empty() {
            break;
        }
        seen.extend(page_keys);
        let link = link.expect("a Link header on a full page");
        let next = link
            .split(',')
            .find(|l| l.contains("rel=\"next\""))
            .unwrap();
        path = next[next.find("/api/").unwrap()..next.find('>').unwrap()].to_string();
    }
    let expected: BTreeSet<String> = keys(&grouped).into_iter().collect();
    assert_eq!(seen, expected);

    // Grouping only favourites: follows and reblogs come one by one.
    let only_fav = alice
        .get("/api/v2/notifications?grouped_types[]=favourite")
        .await;
    assert_eq!(only_fav["notification_groups"].as_array().unwrap().len(), 7);
    // Types filter.
    let follows = alice.get("/api/v2/notifications?types[]=follow").await;
    assert_eq!(keys(&follows).len(), 1);

    // Partial accounts: only each group's latest account in full.
    let partial = alice
        .get("/api/v2/notifications?expand_accounts=partial_avatars")
        .await;
    validate("GroupedNotificationsResults", &partial);
    validate_all("PartialAccountWithAvatar", &partial["partial_accounts"]);
    let ids = |list: &Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect()
    };
    let bob_at_a = alice.resolve(&format!("bob@{}", b.domain)).await;
    assert_eq!(
        ids(&partial["partial_accounts"]),
        [bob_at_a["id"].as_str().unwrap()]
    );
    assert_eq!(partial["accounts"].as_array().unwrap().len(), 2);

    // One group, its accounts, dismissing it.
    let key = fav["group_key"].as_str().unwrap();
    let one = alice.get(&format!("/api/v2/notifications/{key}")).await;
    validate("GroupedNotificationsResults", &one);
    assert_eq!(keys(&one), [key]);
    let who = alice
        .get(&format!("/api/v2/notifications/{key}/accounts"))
        .await;
    validate_all("Account", &who);
    assert_eq!(who.as_array().unwrap().len(), 3);
    assert_eq!(
        alice.get("/api/v2/notifications/unread_count").await["count"],
        4
    );
    alice
        .post(&format!("/api/v2/notifications/{key}/dismiss"), json!({}))
        .await;
    let after = alice.get("/api/v2/notifications").await;
    assert!(!keys(&after).contains(&key.to_string()));
    assert_eq!(
        alice
            .get("/api/v1/notifications")
            .await
            .as_array()
            .unwrap()
            .len(),
        6
    );
    for missing in [key, "mention-1", "favourite-abc", "nonsense"] {
        let res = alice
            .request(
                Method::GET,
                &format!("/api/v2/notifications/{missing}"),
                None,
            )
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{missing}");
        validate("Error", &res.json().await.unwrap());
    }
    // Someone else's group is not found either.
    assert_eq!(
        amir.status_of(
            Method::POST,
            &format!("/api/v2/notifications/reblog-{post_id}/dismiss")
        )
        .await,
        StatusCode::NOT_FOUND
    );

    // Reading up to the newest clears the unread count.
    let newest = after["notification_groups"][0]["page_max_id"]
        .as_str()
        .unwrap()
        .to_string();
    alice
        .post(
            "/api/v1/markers",
            json!({"notifications": {"last_read_id": newest}}),
        )
        .await;
    assert_eq!(
        alice.get("/api/v2/notifications/unread_count").await["count"],
        0
    );

    // The notification policy: nothing is held back.
    let policy = alice.get("/api/v2/notifications/policy").await;
    validate("NotificationPolicy", &policy);
    assert_eq!(policy["for_not_following"], "accept");
    validate(
        "V1NotificationPolicy",
        &alice.get("/api/v1/notifications/policy").await,
    );
    assert_eq!(alice.get("/api/v1/notifications/requests").await, json!([]));
    let anonymous = reqwest::get(format!("{}/api/v2/notifications", a.base()))
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}
