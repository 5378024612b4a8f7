//! Members-only boards. A private board's threads and replies reach only
//! its members' servers (never the authors' other followers), never carry
//! `Public`, and may be fetched only with a signature from a member's
//! server; a join request approved by a moderator opens both. A
//! district-only board's posts never leave the server at all.

use crate::common::{
    boards::{self, lookup, relayed},
    eventually,
    instance::postgres,
    Instance, FEDERATION_DEADLINE as DEADLINE,
};
use reqwest::{header::ACCEPT, Method, StatusCode};
use serde_json::json;

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

fn sql_bool(b: bool) -> &'static str {
    match (postgres().is_some(), b) {
        (true, true) => "true",
        (true, false) => "false",
        (false, true) => "1",
        (false, false) => "0",
    }
}

/// Wait until `instance` has delivered everything it queued.
async fn drained(instance: &Instance) {
    eventually("the delivery queue drained", DEADLINE, || async {
        (instance.count("deliveries", "").await == 0).then_some(())
    })
    .await;
}

/// Every activity `instance` queued that names `uri`: none is public.
async fn never_public(instance: &Instance, uri: &str) {
    let named = instance
        .count("outbox_activities", &format!("payload LIKE '%{uri}%'"))
        .await;
    assert!(named > 0, "no activity names {uri}");
    let public = instance
        .count(
            "outbox_activities",
            &format!("payload LIKE '%{uri}%' AND payload LIKE '%{PUBLIC}%'"),
        )
        .await;
    assert_eq!(
        public, 0,
        "an activity about {uri} is addressed to the public"
    );
}

/// An unsigned request for the ActivityPub JSON of `uri`, on `instance`.
async fn anonymous_fetch(instance: &Instance, uri: &str) -> StatusCode {
    let path = uri
        .strip_prefix(&instance.url())
        .expect("an id of this instance");
    reqwest::Client::new()
        .get(format!("{}{path}", instance.base()))
        .header(ACCEPT, "application/activity+json")
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_board_reaches_members_only() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let c = Instance::start("district-c").await;
    let maria = a.user("maria").await;
    let amir = a.user("amir").await;
    let bob = b.user("bob").await;
    let carol = c.user("carol").await;
    boards::cli(
        &a,
        &[
            "create",
            "coaches",
            "--title",
            "Instructional coaches",
            "--kind",
            "private",
            "--moderator",
            "maria",
        ],
    );
    let handle = format!("coaches@{}", a.domain);

    // Carol follows Maria (so Maria's followers include district C), and
    // Bob and Carol ask to join the board.
    let maria_at_c = carol.resolve(&format!("maria@{}", a.domain)).await;
    let maria_at_c = maria_at_c["id"].as_str().unwrap().to_string();
    carol.follow(&maria_at_c).await;
    eventually("Carol follows Maria", DEADLINE, || async {
        (carol.relationship(&maria_at_c).await["following"] == true).then_some(())
    })
    .await;
    let mut board_ids = vec![];
    for who in [&bob, &carol] {
        let board = who.resolve(&handle).await;
        assert_eq!(board["locked"], true);
        let id = board["id"].as_str().unwrap().to_string();
        assert_eq!(who.follow(&id).await["requested"], true);
        board_ids.push(id);
    }
    let (board_at_b, board_at_c) = (board_ids[0].clone(), board_ids[1].clone());
    let requests = eventually("both join requests at A", DEADLINE, || async {
        let list = maria
            .get("/api/staffroom/v1/boards/coaches/join_requests")
            .await;
        (list.as_array().unwrap().len() == 2).then_some(list)
    })
    .await;
    let requester = |name: &str, domain: &str| {
        let acct = format!("{name}@{domain}");
        requests
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["acct"] == acct.as_str())
            .unwrap_or_else(|| panic!("no request from {acct}: {requests}"))["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (bob_at_a, carol_at_a) = (requester("bob", &b.domain), requester("carol", &c.domain));
    maria
        .post(
            &format!("/api/staffroom/v1/boards/coaches/join_requests/{bob_at_a}/authorize"),
            json!({}),
        )
        .await;
    eventually("Bob is a member", DEADLINE, || async {
        (bob.relationship(&board_at_b).await["following"] == true).then_some(())
    })
    .await;

    // Maria starts a thread: members only, so followers-only to apps.
    let thread = maria
        .post(
            "/api/staffroom/v1/boards/coaches/threads",
            json!({"title": "Observation cycles", "body": "How do you schedule **coaching** cycles?"}),
        )
        .await;
    assert_eq!(thread["status"]["visibility"], "private");
    let uri = thread["status"]["uri"].as_str().unwrap().to_string();
    let thread_id = thread["id"].as_str().unwrap().to_string();

    // Bob, a member, gets it from the board.
    let at_bob = eventually("the thread relayed to Bob", DEADLINE, || async {
        relayed(&bob, &handle, &uri).await
    })
    .await;
    assert_eq!(at_bob["visibility"], "private");
    assert!(at_bob["reblog"]["content"]
        .as_str()
        .unwrap()
        .contains("<strong>coaching</strong>"));
    let thread_at_b = at_bob["reblog"]["id"].as_str().unwrap().to_string();

    // At A, the moderator sees it; a teacher who is not a member does not.
    let listed = maria.get("/api/staffroom/v1/boards/coaches/threads").await;
    assert_eq!(listed[0]["title"], "Observation cycles");
    let hidden = amir.get("/api/staffroom/v1/boards/coaches/threads").await;
    assert_eq!(hidden, json!([]));
    assert_eq!(
        amir.status_of(Method::GET, &format!("/api/v1/statuses/{thread_id}"))
            .await,
        StatusCode::NOT_FOUND
    );

    // Bob replies, "public" as his app asks: the reply stays in the board.
    let reply = bob
        .reply(&thread_at_b, "We use two-week cycles.", "public")
        .await;
    assert_eq!(reply["visibility"], "private");
    let reply_uri = reply["uri"].as_str().unwrap().to_string();
    eventually("Bob's reply in the thread at A", DEADLINE, || async {
        let context = maria
            .get(&format!("/api/v1/statuses/{thread_id}/context"))
            .await;
        (context["descendants"][0]["uri"] == reply_uri.as_str()).then_some(())
    })
    .await;
    let context = amir
        .request(
            Method::GET,
            &format!("/api/v1/statuses/{thread_id}/context"),
            None,
        )
        .await;
    assert_eq!(context.status(), StatusCode::NOT_FOUND);

    // Nothing reached district C, though Carol follows Maria and asked to
    // join; nothing named either post as public.
    drained(&a).await;
    drained(&b).await;
    for u in [&uri, &reply_uri] {
        assert_eq!(c.count("statuses", &format!("ap_id = '{u}'")).await, 0);
    }
    never_public(&a, &uri).await;
    never_public(&b, &reply_uri).await;
    // Nor can C fetch them: not unsigned, not signed by a non-member server.
    assert_eq!(anonymous_fetch(&a, &uri).await, StatusCode::NOT_FOUND);
    assert!(lookup(&carol, &uri).await.is_empty());
    assert_eq!(c.count("statuses", &format!("ap_id = '{uri}'")).await, 0);

    // Maria lets Carol in: Carol's server may now fetch the thread, and
    // new posts reach her.
    maria
        .post(
            &format!("/api/staffroom/v1/boards/coaches/join_requests/{carol_at_a}/authorize"),
            json!({}),
        )
        .await;
    eventually("Carol is a member", DEADLINE, || async {
        (carol.relationship(&board_at_c).await["following"] == true).then_some(())
    })
    .await;
    let fetched = lookup(&carol, &uri).await;
    assert_eq!(fetched.len(), 1, "{fetched:?}");
    assert_eq!(fetched[0]["visibility"], "private");
    let second = maria
        .post(
            "/api/staffroom/v1/boards/coaches/threads",
            json!({"title": "Feedback stems", "body": "Sentence starters for post-observation talks."}),
        )
        .await;
    let second_uri = second["status"]["uri"].as_str().unwrap().to_string();
    let at_carol = eventually("the second thread relayed to Carol", DEADLINE, || async {
        relayed(&carol, &handle, &second_uri).await
    })
    .await;

    // Carol's reply goes to the board, which passes it on to Bob's server.
    let carols = carol
        .reply(
            at_carol["reblog"]["id"].as_str().unwrap(),
            "I glue the stems inside my notebook.",
            "private",
        )
        .await;
    let carols_uri = carols["uri"].as_str().unwrap().to_string();
    eventually("Carol's reply relayed to Bob", DEADLINE, || async {
        relayed(&bob, &handle, &carols_uri).await
    })
    .await;
    drained(&a).await;
    drained(&c).await;
    never_public(&c, &carols_uri).await;
    never_public(&a, &second_uri).await;
    // Bob sees the reply in its thread, which he reads from his own server.
    // (A's queue being drained means B accepted; B may still be applying
    // what waited on a concurrent copy: the inbox retries it.)
    let second_at_b = eventually("the second thread at Bob's", DEADLINE, || async {
        relayed(&bob, &handle, &second_uri).await
    })
    .await;
    let second_id_at_b = second_at_b["reblog"]["id"].as_str().unwrap().to_string();
    eventually("Carol's reply in the thread at Bob's", DEADLINE, || async {
        let context = bob
            .get(&format!("/api/v1/statuses/{second_id_at_b}/context"))
            .await;
        (context["descendants"][0]["uri"] == carols_uri.as_str()).then_some(())
    })
    .await;
    // A non-member still sees none of it.
    let hidden = amir.get("/api/staffroom/v1/boards/coaches/threads").await;
    assert_eq!(hidden, json!([]));
    assert_eq!(
        a.count(
            "follows",
            &format!(
                "accepted = {} AND target_account_id = (SELECT id FROM accounts WHERE username = 'coaches' AND domain IS NULL)",
                sql_bool(true)
            )
        )
        .await,
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_district_board_never_leaves_its_server() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let maria = a.user("maria").await;
    let amir = a.user("amir").await;
    let bob = b.user("bob").await;
    boards::cli(
        &a,
        &[
            "create",
            "staff",
            "--title",
            "Staff logistics",
            "--kind",
            "district",
        ],
    );
    // Bob follows Maria: her followers reach district B.
    let maria_at_b = bob.resolve(&format!("maria@{}", a.domain)).await;
    let maria_at_b = maria_at_b["id"].as_str().unwrap().to_string();
    bob.follow(&maria_at_b).await;
    eventually("Bob follows Maria", DEADLINE, || async {
        (bob.relationship(&maria_at_b).await["following"] == true).then_some(())
    })
    .await;
    drained(&a).await;
    let activities_before = a.count("outbox_activities", "").await;

    // Maria starts a thread and Amir replies; every teacher here reads them.
    let thread = maria
        .post(
            "/api/staffroom/v1/boards/staff/threads",
            json!({"title": "Bus duty swap", "body": "Who can take Thursday?"}),
        )
        .await;
    let thread_id = thread["id"].as_str().unwrap().to_string();
    let uri = thread["status"]["uri"].as_str().unwrap().to_string();
    let reply = amir.reply(&thread_id, "I can.", "public").await;
    assert_eq!(reply["visibility"], "private");
    let listed = amir.get("/api/staffroom/v1/boards/staff/threads").await;
    assert_eq!(listed[0]["title"], "Bus duty swap");
    let context = amir
        .get(&format!("/api/v1/statuses/{thread_id}/context"))
        .await;
    assert_eq!(context["descendants"][0]["id"], reply["id"]);

    // No federation traffic at all: nothing queued, nothing at B, nothing
    // served to anyone outside.
    assert_eq!(a.count("outbox_activities", "").await, activities_before);
    assert_eq!(a.count("deliveries", "").await, 0);
    assert_eq!(anonymous_fetch(&a, &uri).await, StatusCode::NOT_FOUND);
    assert!(lookup(&bob, &uri).await.is_empty());
    assert_eq!(b.count("statuses", &format!("ap_id = '{uri}'")).await, 0);
    assert_eq!(
        b.count(
            "statuses",
            "content LIKE '%Thursday%' OR content LIKE '%I can.%'"
        )
        .await,
        0
    );
}
