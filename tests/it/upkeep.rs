//! Upkeep a server does by itself, at start and then hourly: what it sent
//! is forgotten once no delivery of it can still be pending (the give-up
//! window, `federation.give_up_after_hours`), and on SQLite the query
//! planner's statistics are refreshed.

use crate::common::{eventually, instance::postgres, Instance};
use std::time::Duration;

fn days_ago(days: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::days(days))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sent_activities_are_pruned_after_the_give_up_window_and_statistics_refreshed() {
    let mut a = Instance::start("district-a").await;
    let (old, older, now) = (days_ago(8), days_ago(10), days_ago(0));
    let activity = |id: i64, at: &str| {
        format!(
            "INSERT INTO outbox_activities (id, ap_id, actor_account_id, payload, created_at) \
             VALUES ({id}, 'https://x.test/a/{id}', NULL, '{{}}', '{at}')"
        )
    };
    // Sent long ago, every delivery done: forgotten.
    a.execute(&activity(91, &older)).await;
    // Sent long ago, its one delivery given up long ago: both forgotten.
    a.execute(&activity(92, &older)).await;
    a.execute(&format!(
        "INSERT INTO deliveries (id, activity_id, inbox_url, host, attempts, next_attempt_at, \
         failed_at, created_at) VALUES (921, 92, 'https://x.test/inbox', 'x.test', 30, '{old}', \
         '{old}', '{older}')"
    ))
    .await;
    // Sent long ago with a delivery still waiting: kept.
    a.execute(&activity(93, &older)).await;
    a.execute(&format!(
        "INSERT INTO deliveries (id, activity_id, inbox_url, host, attempts, next_attempt_at, \
         created_at) VALUES (931, 93, 'https://x.test/inbox', 'x.test', 3, '2099-01-01 00:00:00', \
         '{older}')"
    ))
    .await;
    // Sent just now: kept.
    a.execute(&activity(94, &now)).await;

    a.restart().await;
    eventually("the upkeep at start", Duration::from_secs(30), || async {
        (a.count("outbox_activities", "id IN (91, 92)").await == 0).then_some(())
    })
    .await;
    assert_eq!(a.count("deliveries", "id = 921").await, 0);
    assert_eq!(a.count("outbox_activities", "id IN (93, 94)").await, 2);
    assert_eq!(a.count("deliveries", "id = 931").await, 1);

    if postgres().is_none() {
        // The planner's statistics exist (the first upkeep analyzed every table).
        eventually("SQLite statistics", Duration::from_secs(30), || async {
            (a.count("sqlite_master", "name = 'sqlite_stat1'").await == 1).then_some(())
        })
        .await;
    }
}
