//! Home feeds written on arrival (fan-out on write): the home and list
//! timelines read each reader's feed, and must show exactly what the
//! statuses themselves say, whatever changed since the feed was written:
//! follows and unfollows, follow requests accepted, reblogs turned off,
//! mentions, followed hashtags, edits, deletions, mutes, blocks, exclusive
//! lists, joining and leaving a board, and a restart.
//!
//! Each check compares the timeline served from the feed with the same
//! timeline read without it (the reader's floor raised above every id, so
//! the page comes from the statuses, as before feeds existed), page by page,
//! and with what the change should show.

use crate::common::{boards, Client, Instance};
use serde_json::{json, Value};

/// The reader's timeline at `path` (`?` query included), paged by
/// `limit` up to 200 statuses: (id, uri, content | reblogged uri) of each,
/// newest first.
async fn pages(c: &Client, path: &str, limit: usize) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut max_id: Option<String> = None;
    loop {
        let mut url = format!("{path}limit={limit}");
        if let Some(max) = &max_id {
            url.push_str(&format!("&max_id={max}"));
        }
        let page = c.get(&url).await;
        let list = page.as_array().cloned().unwrap_or_default();
        for s in &list {
            // A reblog is known by the post it shares, too.
            out.push((
                s["id"].as_str().unwrap().to_string(),
                s["uri"].as_str().unwrap().to_string(),
                format!(
                    "{} | {}",
                    s["content"].as_str().unwrap_or(""),
                    s["reblog"]["uri"].as_str().unwrap_or("")
                ),
            ));
        }
        if list.len() < limit || out.len() >= 200 {
            return out;
        }
        max_id = list.last().map(|s| s["id"].as_str().unwrap().to_string());
    }
}

/// The reader's timeline at `path`, after checking that the feed gives the
/// same pages as the statuses alone (by 40 and by 2).
async fn timeline(a: &Instance, c: &Client, path: &str) -> Vec<(String, String, String)> {
    let reader = c.id();
    let from_feed = pages(c, path, 40).await;
    assert_eq!(pages(c, path, 2).await, from_feed, "{path} by 2");
    assert!(
        a.count("home_feed_floors", &format!("account_id = {reader}"))
            .await
            == 1,
        "the reader's feed is built"
    );
    a.execute(&format!(
        "CREATE TABLE saved_floor AS SELECT floor_id FROM home_feed_floors WHERE account_id = {reader}"
    ))
    .await;
    a.execute(&format!(
        "UPDATE home_feed_floors SET floor_id = {} WHERE account_id = {reader}",
        i64::MAX - 1
    ))
    .await;
    let direct = pages(c, path, 40).await;
    a.execute(&format!(
        "UPDATE home_feed_floors SET floor_id = (SELECT floor_id FROM saved_floor) WHERE account_id = {reader}"
    ))
    .await;
    a.execute("DROP TABLE saved_floor").await;
    assert_eq!(from_feed, direct, "{path}: the feed and the statuses agree");
    from_feed
}

async fn home(a: &Instance, c: &Client) -> Vec<(String, String, String)> {
    timeline(a, c, "/api/v1/timelines/home?").await
}

fn shows(list: &[(String, String, String)], status: &Value) -> bool {
    list.iter().any(|(_, uri, _)| *uri == status["uri"])
}

/// Whether `list` has a reblog of `uri` (a board's relay of a thread).
fn shows_reblog_of(list: &[(String, String, String)], uri: &Value) -> bool {
    let uri = uri.as_str().unwrap();
    list.iter()
        .any(|(_, _, text)| text.ends_with(&format!(" | {uri}")))
}

async fn account_id(c: &Client, acct: &str) -> String {
    c.resolve(acct).await["id"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_feeds_stay_right_through_every_change() {
    let mut a = Instance::start("district-a").await;
    let rita = a.user("rita").await;
    let alan = a.user("alan").await;
    let sam = a.user("sam").await;
    let lena = a.user("lena").await;
    let maria = a.user("maria").await;
    boards::robotics(&a);

    // Rita's first read builds her feed; her own posts are in it.
    let own = rita.post_status("Rita's first post", "public").await;
    assert!(shows(&home(&a, &rita).await, &own));

    // Following Alan brings his earlier posts (of every visibility a
    // follower reads); his posts after that arrive one by one.
    let a1 = alan.post_status("Alan before the follow", "public").await;
    let a2 = alan.post_status("Alan, unlisted", "unlisted").await;
    let a3 = alan.post_status("Alan, followers only", "private").await;
    let alan_id = account_id(&rita, "alan").await;
    rita.follow(&alan_id).await;
    let a4 = alan.post_status("Alan after the follow", "public").await;
    let list = home(&a, &rita).await;
    for s in [&a1, &a2, &a3, &a4] {
        assert!(shows(&list, s), "{}", s["content"]);
    }

    // Alan boosts Sam's post: it shows, until Rita turns his boosts off.
    let s1 = sam.post_status("Sam's post about gears", "public").await;
    assert!(!shows(&home(&a, &rita).await, &s1));
    let boost = alan
        .post(
            &format!("/api/v1/statuses/{}/reblog", s1["id"].as_str().unwrap()),
            json!({}),
        )
        .await;
    assert!(shows(&home(&a, &rita).await, &boost));
    rita.post(
        &format!("/api/v1/accounts/{alan_id}/follow"),
        json!({"reblogs": false}),
    )
    .await;
    assert!(!shows(&home(&a, &rita).await, &boost));

    // A stranger's mention and a followed hashtag (posts from before the
    // hashtag was followed too).
    let tagged_before = sam.post_status("Bridges week #engineering", "public").await;
    let mention = sam.post_status("@rita what do you think?", "direct").await;
    assert!(shows(&home(&a, &rita).await, &mention));
    assert!(!shows(&home(&a, &rita).await, &tagged_before));
    rita.post("/api/v1/tags/engineering/follow", json!({}))
        .await;
    let tagged_after = sam.post_status("Towers week #engineering", "public").await;
    let tagged_unlisted = sam.post_status("Quiet #engineering", "unlisted").await;
    let list = home(&a, &rita).await;
    assert!(shows(&list, &tagged_before) && shows(&list, &tagged_after));
    assert!(!shows(&list, &tagged_unlisted));

    // An edit shows its new text; a deleted post leaves.
    alan.put(
        &format!("/api/v1/statuses/{}", a1["id"].as_str().unwrap()),
        json!({"status": "Alan before the follow (edited)"}),
    )
    .await;
    alan.delete(&format!("/api/v1/statuses/{}", a2["id"].as_str().unwrap()))
        .await;
    let list = home(&a, &rita).await;
    assert!(list
        .iter()
        .any(|(_, uri, content)| *uri == a1["uri"] && content.contains("(edited)")));
    assert!(!shows(&list, &a2));

    // Muting and blocking hide; lifting them shows again.
    rita.post(&format!("/api/v1/accounts/{alan_id}/mute"), json!({}))
        .await;
    assert!(!shows(&home(&a, &rita).await, &a4));
    rita.post(&format!("/api/v1/accounts/{alan_id}/unmute"), json!({}))
        .await;
    assert!(shows(&home(&a, &rita).await, &a4));
    let sam_id = account_id(&rita, "sam").await;
    rita.post(&format!("/api/v1/accounts/{sam_id}/block"), json!({}))
        .await;
    assert!(!shows(&home(&a, &rita).await, &mention));
    rita.post(&format!("/api/v1/accounts/{sam_id}/unblock"), json!({}))
        .await;
    assert!(shows(&home(&a, &rita).await, &mention));

    // A locked account's followers-only post shows once the request is accepted.
    lena.patch(
        "/api/v1/accounts/update_credentials",
        json!({"locked": true}),
    )
    .await;
    let lena_id = account_id(&rita, "lena").await;
    rita.follow(&lena_id).await;
    let l1 = lena.post_status("Lena, followers only", "private").await;
    assert!(!shows(&home(&a, &rita).await, &l1));
    lena.post(
        &format!("/api/v1/follow_requests/{}/authorize", rita.id()),
        json!({}),
    )
    .await;
    assert!(shows(&home(&a, &rita).await, &l1));

    // An exclusive list keeps Lena out of home, and shows her in the list.
    let list_id = rita
        .post("/api/v1/lists", json!({"title": "Lena", "exclusive": true}))
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    rita.post(
        &format!("/api/v1/lists/{list_id}/accounts"),
        json!({"account_ids": [lena_id]}),
    )
    .await;
    let l2 = lena.post_status("Lena, in the list", "public").await;
    assert!(!shows(&home(&a, &rita).await, &l2));
    let in_list = timeline(&a, &rita, &format!("/api/v1/timelines/list/{list_id}?")).await;
    assert!(shows(&in_list, &l1) && shows(&in_list, &l2));

    // Joining a board brings its threads; leaving takes them away.
    let thread = maria
        .post(
            "/api/staffroom/v1/boards/robotics/threads",
            json!({"title": "Motors", "body": "Which motors for grade 5?"}),
        )
        .await;
    let thread_uri = thread["status"]["uri"].clone();
    assert!(!shows_reblog_of(&home(&a, &rita).await, &thread_uri));
    let board_id = boards::join(&rita, "robotics").await;
    let later = maria
        .post(
            "/api/staffroom/v1/boards/robotics/threads",
            json!({"title": "Sensors", "body": "Ultrasonic or infrared?"}),
        )
        .await;
    let list = home(&a, &rita).await;
    assert!(
        shows_reblog_of(&list, &thread_uri) && shows_reblog_of(&list, &later["status"]["uri"]),
        "a member gets the board's threads, from before joining too: {list:?}"
    );
    rita.post(&format!("/api/v1/accounts/{board_id}/unfollow"), json!({}))
        .await;
    let list = home(&a, &rita).await;
    assert!(
        !shows_reblog_of(&list, &thread_uri) && !shows_reblog_of(&list, &later["status"]["uri"])
    );

    // Unfollowing Alan takes his posts away.
    rita.post(&format!("/api/v1/accounts/{alan_id}/unfollow"), json!({}))
        .await;
    let list = home(&a, &rita).await;
    assert!(!shows(&list, &a1) && !shows(&list, &a4));

    // A feed cut to its newest entries (as trimming does, raising the
    // floor): older pages come from the statuses, seamlessly.
    let reader = rita.id();
    for i in 0..6 {
        rita.post_status(&format!("Rita's note {i}"), "public")
            .await;
    }
    let before = home(&a, &rita).await;
    assert!(before.len() > 6, "{before:?}");
    let cut = &before[4].0;
    a.execute(&format!(
        "DELETE FROM home_feeds WHERE account_id = {reader} AND status_id <= {cut}"
    ))
    .await;
    a.execute(&format!(
        "UPDATE home_feed_floors SET floor_id = {cut} WHERE account_id = {reader}"
    ))
    .await;
    assert_eq!(home(&a, &rita).await, before);
    let since = &before[6].0;
    let newer = rita
        .get(&format!("/api/v1/timelines/home?limit=40&since_id={since}"))
        .await;
    assert_eq!(newer.as_array().unwrap().len(), 6);
    let oldest_first = rita
        .get(&format!("/api/v1/timelines/home?limit=3&min_id={since}"))
        .await;
    let got: Vec<&str> = oldest_first
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(got, [&before[3].0, &before[4].0, &before[5].0]);

    // After a restart the feed is the same, and new posts still reach it.
    let before = home(&a, &rita).await;
    a.restart().await;
    assert_eq!(home(&a, &rita).await, before);
    let after = sam.post_status("@rita after the restart", "public").await;
    assert!(shows(&home(&a, &rita).await, &after));
}
