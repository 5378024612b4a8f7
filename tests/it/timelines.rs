//! Timelines beyond home and public: hashtags (and followed and featured
//! hashtags), lists (with their stream), and direct conversations across
//! districts (with the `conversation` event).

use crate::common::{
    eventually,
    openapi::{validate, validate_all},
    Client, Instance, FEDERATION_DEADLINE as DEADLINE,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn follow(follower: &Client, acct: &str) -> String {
    let id = follower.resolve(acct).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    follower.follow(&id).await;
    eventually("the follow", DEADLINE, || async {
        (follower.relationship(&id).await["following"] == true).then_some(())
    })
    .await;
    id
}

fn has(list: &Value, uri: &str) -> bool {
    list.as_array().unwrap().iter().any(|s| s["uri"] == uri)
}

/// Open a server-sent events stream and return the response to read from.
async fn sse(base: &str, token: &str, path: &str) -> reqwest::Response {
    let res = reqwest::Client::new()
        .get(format!("{base}/api/v1/streaming/{path}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res
}

/// The next event named `event` on a server-sent events stream.
async fn next_event(res: &mut reqwest::Response, buffer: &mut String, event: &str) -> Value {
    let deadline = tokio::time::Instant::now() + DEADLINE;
    loop {
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            if block.starts_with(&format!("event: {event}\n")) {
                let data = block
                    .lines()
                    .find_map(|l| l.strip_prefix("data: "))
                    .unwrap();
                return serde_json::from_str(data).unwrap();
            }
        }
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let chunk = tokio::time::timeout(left, res.chunk())
            .await
            .unwrap_or_else(|_| panic!("timed out waiting for {event}"))
            .unwrap()
            .expect("the stream goes on");
        buffer.push_str(&String::from_utf8_lossy(&chunk));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hashtags_followed_and_featured() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let alice = a.user("alice").await;
    let dev = a.user("dev").await;
    let bob = b.user("bob").await;
    // Dev follows Bob, so Alice's server gets Bob's posts; Alice follows the hashtag.
    follow(&dev, &format!("bob@{}", b.domain)).await;
    let followed = alice.post("/api/v1/tags/Robotics/follow", json!({})).await;
    validate("Tag", &followed);
    assert_eq!(followed["name"], "robotics");
    assert_eq!(followed["following"], true);

    let post = bob
        .post_status("Gear ratios for 4th graders #Robotics #math", "public")
        .await;
    let uri = post["uri"].as_str().unwrap().to_string();
    let seen = eventually("Bob's tagged post in Alice's home", DEADLINE, || async {
        alice.home_status(&uri).await
    })
    .await;
    let names: Vec<&str> = seen["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["math", "robotics"]);

    let timeline = alice.get("/api/v1/timelines/tag/robotics").await;
    validate_all("Status", &timeline);
    assert!(has(&timeline, &uri));
    assert!(!has(
        &alice.get("/api/v1/timelines/tag/robotics?local=true").await,
        &uri
    ));
    assert!(has(
        &alice.get("/api/v1/timelines/tag/nothing?any[]=math").await,
        &uri
    ));
    assert_eq!(
        alice.get("/api/v1/timelines/tag/neverused").await,
        json!([])
    );
    let tag = alice.get("/api/v1/tags/robotics").await;
    validate("Tag", &tag);
    assert_eq!(tag["history"].as_array().unwrap().len(), 7);
    assert_eq!(tag["history"][0]["uses"], "1");
    assert_eq!(tag["history"][0]["accounts"], "1");
    let list = alice.get("/api/v1/followed_tags").await;
    validate_all("Tag", &list);
    assert_eq!(list[0]["name"], "robotics");
    assert_eq!(
        alice.status_of(Method::GET, "/api/v1/tags/neverused").await,
        StatusCode::NOT_FOUND
    );

    // Unfollowed, the hashtag's posts leave her home.
    alice
        .post("/api/v1/tags/robotics/unfollow", json!({}))
        .await;
    assert!(alice.home_status(&uri).await.is_none());
    assert_eq!(alice.get("/api/v1/followed_tags").await, json!([]));

    // Featured hashtags, with how often she used them.
    alice
        .post_status("Our #robotics club met today", "public")
        .await;
    alice.post_status("More #robotics news", "public").await;
    let suggested = alice.get("/api/v1/featured_tags/suggestions").await;
    assert_eq!(suggested[0]["name"], "robotics");
    let featured = alice
        .post("/api/v1/featured_tags", json!({"name": "#Robotics"}))
        .await;
    validate("FeaturedTag", &featured);
    assert_eq!(featured["statuses_count"], "2");
    let of_alice = dev
        .get(&format!("/api/v1/accounts/{}/featured_tags", alice.id()))
        .await;
    validate_all("FeaturedTag", &of_alice);
    assert_eq!(of_alice[0]["name"], "robotics");
    alice
        .delete(&format!(
            "/api/v1/featured_tags/{}",
            featured["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(alice.get("/api/v1/featured_tags").await, json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_and_their_timelines() {
    let a = Instance::start("district-a").await;
    let alice = a.user("alice").await;
    let dev = a.user("dev").await;
    let carol = a.user("carol").await;
    let stranger = a.user("stranger").await;
    alice.follow(&dev.id()).await;
    alice.follow(&carol.id()).await;

    let list = alice
        .post(
            "/api/v1/lists",
            json!({"title": "Robotics PLC", "replies_policy": "list"}),
        )
        .await;
    validate("List", &list);
    let id = list["id"].as_str().unwrap().to_string();
    alice
        .post(
            &format!("/api/v1/lists/{id}/accounts"),
            json!({"account_ids": [dev.id()]}),
        )
        .await;
    // Only followed accounts can be listed.
    let res = alice
        .request(
            Method::POST,
            &format!("/api/v1/lists/{id}/accounts"),
            Some(json!({"account_ids": [stranger.id()]})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let members = alice.get(&format!("/api/v1/lists/{id}/accounts")).await;
    validate_all("Account", &members);
    assert_eq!(members.as_array().unwrap().len(), 1);
    assert_eq!(members[0]["username"], "dev");
    let containing = alice
        .get(&format!("/api/v1/accounts/{}/lists", dev.id()))
        .await;
    assert_eq!(containing[0]["id"], id.as_str());

    // The list's stream and timeline carry Dev, not Carol.
    let mut stream = sse(&a.base(), &alice.token, &format!("list?list={id}")).await;
    let mut buffer = String::new();
    let carols = carol.post_status("Carol's post", "public").await;
    let devs = dev.post_status("Dev's post for the PLC", "public").await;
    let event = next_event(&mut stream, &mut buffer, "update").await;
    assert_eq!(event["id"], devs["id"]);
    let timeline = alice.get(&format!("/api/v1/timelines/list/{id}")).await;
    validate_all("Status", &timeline);
    assert!(has(&timeline, devs["uri"].as_str().unwrap()));
    assert!(!has(&timeline, carols["uri"].as_str().unwrap()));
    // A reply to someone outside the list is left out (replies_policy = list).
    dev.reply(
        carols["id"].as_str().unwrap(),
        "replying to Carol",
        "public",
    )
    .await;
    let timeline = alice.get(&format!("/api/v1/timelines/list/{id}")).await;
    assert_eq!(timeline.as_array().unwrap().len(), 1);

    // Exclusive: Dev's posts leave the home timeline.
    let devs_uri = devs["uri"].as_str().unwrap();
    assert!(alice.home_status(devs_uri).await.is_some());
    let updated = alice
        .put(&format!("/api/v1/lists/{id}"), json!({"exclusive": true}))
        .await;
    assert_eq!(updated["exclusive"], true);
    assert_eq!(updated["title"], "Robotics PLC");
    assert!(alice.home_status(devs_uri).await.is_none());
    // ...and her home stream: Dev posts first, yet Carol's post is the next
    // update there, while the list's stream still carries Dev's.
    let mut home_stream = sse(&a.base(), &alice.token, "user").await;
    let mut home_buffer = String::new();
    let devs_later = dev.post_status("Dev's exclusive-list post", "public").await;
    let carols_later = carol.post_status("Carol again", "public").await;
    let event = next_event(&mut home_stream, &mut home_buffer, "update").await;
    assert_eq!(event["id"], carols_later["id"]);
    let event = next_event(&mut stream, &mut buffer, "update").await;
    assert_eq!(event["id"], devs_later["id"]);

    // Someone else's list does not exist for them; unfollowing removes members.
    assert_eq!(
        dev.status_of(Method::GET, &format!("/api/v1/lists/{id}"))
            .await,
        StatusCode::NOT_FOUND
    );
    alice
        .post(
            &format!("/api/v1/accounts/{}/unfollow", dev.id()),
            json!({}),
        )
        .await;
    assert_eq!(
        alice.get(&format!("/api/v1/lists/{id}/accounts")).await,
        json!([])
    );
    alice.delete(&format!("/api/v1/lists/{id}")).await;
    assert_eq!(alice.get("/api/v1/lists").await, json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn direct_conversations_across_districts() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let mut alice_direct = sse(&a.base(), &alice.token, "direct").await;
    let mut buffer = String::new();

    let dm = alice
        .post_status(
            &format!("@bob@{} can we talk about your mentoring goals?", b.domain),
            "direct",
        )
        .await;
    // Alice's own conversation: read, with Bob in it.
    let event = next_event(&mut alice_direct, &mut buffer, "conversation").await;
    validate("Conversation", &event);
    assert_eq!(event["unread"], false);
    assert_eq!(event["accounts"][0]["acct"], format!("bob@{}", b.domain));

    // Bob's side: one unread conversation with Alice.
    let convo = eventually("the conversation at Bob's server", DEADLINE, || async {
        let list = bob.get("/api/v1/conversations").await;
        (list.as_array()?.len() == 1).then_some(list[0].clone())
    })
    .await;
    validate("Conversation", &convo);
    assert_eq!(convo["unread"], true);
    assert_eq!(convo["accounts"][0]["acct"], format!("alice@{}", a.domain));
    assert_eq!(convo["last_status"]["uri"], dm["uri"]);
    let convo_id = convo["id"].as_str().unwrap().to_string();

    // Bob replies; Alice's conversation is unread, with the reply last, and
    // her direct stream says so.
    let reply = bob
        .reply(
            convo["last_status"]["id"].as_str().unwrap(),
            &format!("@alice@{} yes, Thursday?", a.domain),
            "direct",
        )
        .await;
    let event = next_event(&mut alice_direct, &mut buffer, "conversation").await;
    assert_eq!(event["unread"], true);
    assert_eq!(event["last_status"]["uri"], reply["uri"]);
    let mine = alice.get("/api/v1/conversations").await;
    assert_eq!(mine.as_array().unwrap().len(), 1, "the same thread");

    // Bob reads his, then removes it from his list.
    let read = bob
        .post(&format!("/api/v1/conversations/{convo_id}/read"), json!({}))
        .await;
    assert_eq!(read["unread"], false);
    bob.delete(&format!("/api/v1/conversations/{convo_id}"))
        .await;
    assert_eq!(bob.get("/api/v1/conversations").await, json!([]));
    // Nobody else has it.
    let carol = a.user("carol").await;
    assert_eq!(carol.get("/api/v1/conversations").await, json!([]));
}
