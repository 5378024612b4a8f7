//! Discussion boards, first part: created with the CLI (federated, private,
//! district-only), named uniquely among teachers and boards, served as
//! FEP-1b12 `Group` actors with a moderators collection, followed from
//! another district (accepted at once, or held on a private board), shown
//! to Mastodon apps as `group: true` accounts; a district-only board is
//! invisible to other servers and causes no federation traffic.

use crate::common;

use crate::common::{eventually, openapi::validate, Instance, FEDERATION_DEADLINE as DEADLINE};
use reqwest::{header::ACCEPT, StatusCode};
use serde_json::{json, Value};

const AP: &str = "application/activity+json";

async fn get(url: &str) -> (StatusCode, Value) {
    let res = reqwest::Client::new()
        .get(url)
        .header(ACCEPT, AP)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn ok(out: std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn refused(out: std::process::Output) -> String {
    assert!(
        !out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boards_are_group_actors_that_districts_can_join() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let maria = a.user("maria").await;
    let bob = b.user("bob").await;

    // The CLI: three kinds, names shared with teachers, clear errors.
    let created = ok(a.cli(&[
        "board",
        "create",
        "robotics",
        "--title",
        "Elementary Robotics",
        "--moderator",
        "maria",
        "--description",
        "Gear trains, **sensors** and code.",
        "--subject",
        "engineering",
        "--grade-band",
        "3-5",
        "--rule",
        "Be kind",
    ]));
    assert!(created.contains("@robotics@"), "{created}");
    ok(a.cli(&[
        "board",
        "create",
        "coaches",
        "--title",
        "Instructional coaches",
        "--kind",
        "private",
        "--moderator",
        "maria",
    ]));
    ok(a.cli(&[
        "board",
        "create",
        "staff",
        "--title",
        "Staff logistics",
        "--kind",
        "district",
    ]));
    assert!(
        refused(a.cli(&["board", "create", "maria", "--title", "Taken"])).contains("already taken")
    );
    assert!(
        refused(a.cli(&["board", "create", "physics", "--title", "x", "--kind", "secret"]))
            .contains("federated, private or district")
    );
    assert!(refused(a.cli(&[
        "board",
        "create",
        "physics",
        "--title",
        "x",
        "--moderator",
        "nobody"
    ]))
    .contains("nobody"));
    assert!(refused(a.cli(&["board", "create", "Bad Name!", "--title", "x"])).contains("invalid"));
    let out = refused(a.cli(&[
        "user",
        "create",
        "robotics",
        "--email",
        "r@a.test",
        "--password",
        "long enough password",
    ]));
    assert!(out.contains("already taken"), "{out}");
    let listed = ok(a.cli(&["board", "list"]));
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 3, "{listed}");
    assert!(
        lines[1].starts_with("robotics")
            && lines[1].contains("federated")
            && lines[1].contains("maria")
    );
    assert!(lines[2].starts_with("staff") && lines[2].contains("district"));

    // WebFinger and the Group actor, as Lemmy expects it.
    let (status, wf) = get(&format!(
        "{}/.well-known/webfinger?resource=acct:robotics@{}",
        a.base(),
        a.domain
    ))
    .await;
    assert_eq!(status, StatusCode::OK);
    let actor_id = format!("{}/users/robotics", a.url());
    assert!(wf["links"].to_string().contains(&actor_id));
    let (status, group) = get(&format!("{}/users/robotics", a.base())).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(group["type"], "Group", "one type string, never a list");
    assert_eq!(group["id"], actor_id.as_str());
    assert_eq!(group["preferredUsername"], "robotics");
    assert_eq!(group["name"], "Elementary Robotics");
    assert!(group["summary"]
        .as_str()
        .unwrap()
        .contains("<strong>sensors</strong>"));
    assert_eq!(group["manuallyApprovesFollowers"], false);
    assert_eq!(group["discoverable"], true);
    assert_eq!(group["postingRestrictedToMods"], false);
    assert_eq!(group["attributedTo"], format!("{actor_id}/moderators"));
    for key in ["inbox", "outbox", "followers", "featured"] {
        assert!(group[key].as_str().unwrap().starts_with(&actor_id), "{key}");
    }
    assert!(group["publicKey"]["publicKeyPem"]
        .as_str()
        .unwrap()
        .contains("PUBLIC KEY"));
    let (_, mods) = get(&format!("{}/users/robotics/moderators", a.base())).await;
    assert_eq!(mods["type"], "OrderedCollection");
    assert_eq!(
        mods["orderedItems"],
        json!([format!("{}/users/maria", a.url())])
    );
    let (_, private) = get(&format!("{}/users/coaches", a.base())).await;
    assert_eq!(private["manuallyApprovesFollowers"], true);
    assert_eq!(private["discoverable"], false);

    // A teacher in district B finds the board and joins: accepted at once.
    let board_at_b = bob.resolve(&format!("robotics@{}", a.domain)).await;
    validate("Account", &board_at_b);
    assert_eq!(board_at_b["group"], true);
    assert_eq!(board_at_b["display_name"], "Elementary Robotics");
    let board_id = board_at_b["id"].as_str().unwrap();
    bob.follow(board_id).await;
    eventually("the board's Accept", DEADLINE, || async {
        (bob.relationship(board_id).await["following"] == true).then_some(())
    })
    .await;
    let (_, followers) = get(&format!("{}/users/robotics/followers", a.base())).await;
    assert_eq!(followers["totalItems"], 1);

    // The private board holds the request.
    let coaches_at_b = bob.resolve(&format!("coaches@{}", a.domain)).await;
    let coaches_id = coaches_at_b["id"].as_str().unwrap();
    let rel = bob.follow(coaches_id).await;
    assert_eq!(rel["requested"], true);
    eventually("the join request stored at A", DEADLINE, || async {
        (a.count(
            "follows",
            &format!(
                "accepted = {} AND target_account_id = (SELECT id FROM accounts WHERE username = 'coaches' AND domain IS NULL)",
                if common::instance::postgres().is_some() { "false" } else { "0" }
            ),
        )
        .await
            == 1)
            .then_some(())
    })
    .await;
    assert_eq!(bob.relationship(coaches_id).await["following"], false);

    // A local teacher sees the boards as group accounts.
    let local = maria.get("/api/v1/accounts/lookup?acct=staff").await;
    assert_eq!(local["group"], true);

    // The district-only board does not exist for other servers.
    for path in [
        format!("/.well-known/webfinger?resource=acct:staff@{}", a.domain),
        "/users/staff".to_string(),
        "/users/staff/outbox".to_string(),
        "/users/staff/followers".to_string(),
        "/users/staff/moderators".to_string(),
    ] {
        let (status, _) = get(&format!("{}{path}", a.base())).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let search = bob
        .get(&format!(
            "/api/v2/search?resolve=true&type=accounts&q={}",
            common::client::urlencode(&format!("staff@{}", a.domain))
        ))
        .await;
    assert_eq!(search["accounts"], json!([]));
    // Creating boards queued nothing for other servers: the Accept to Bob
    // is the only activity district A has sent.
    let sent = a.count("outbox_activities", "").await;
    assert_eq!(sent, 1);
    assert_eq!(
        a.count("outbox_activities", "payload LIKE '%staff%'").await,
        0
    );
}

/// Whether `list` (a timeline) holds a reblog by `booster_acct` of the post `uri`.
fn reblogged_by(list: &[Value], booster_acct: &str, uri: &str) -> bool {
    list.iter()
        .any(|s| s["account"]["acct"] == booster_acct && s["reblog"]["uri"] == uri)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn posts_mentioning_a_board_become_threads_its_members_see_as_reblogs() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let c = Instance::start("district-c").await;
    let maria = a.user("maria").await;
    let bob = b.user("bob").await;
    let carol = c.user("carol").await;
    ok(a.cli(&[
        "board",
        "create",
        "robotics",
        "--title",
        "Elementary Robotics",
        "--moderator",
        "maria",
    ]));
    let handle = format!("robotics@{}", a.domain);

    // Members on three servers (Maria locally, Bob and Carol remotely).
    let board_here = maria.get("/api/v1/accounts/lookup?acct=robotics").await;
    maria.follow(board_here["id"].as_str().unwrap()).await;
    for member in [&bob, &carol] {
        let board = member.resolve(&handle).await;
        let id = board["id"].as_str().unwrap().to_string();
        member.follow(&id).await;
        eventually("the board's Accept", DEADLINE, || async {
            (member.relationship(&id).await["following"] == true).then_some(())
        })
        .await;
    }

    // Bob starts a thread by mentioning the board in a public post; every
    // member sees it boosted by the board, Carol without following Bob.
    let thread = bob
        .post_status(
            &format!("@{handle} My gear trains keep slipping. What worked for you?"),
            "public",
        )
        .await;
    let uri = thread["uri"].as_str().unwrap();
    let board_acct_remote = handle.as_str();
    eventually(
        "the thread at Carol's, boosted by the board",
        DEADLINE,
        || async { reblogged_by(&carol.home().await, board_acct_remote, uri).then_some(()) },
    )
    .await;
    eventually(
        "the thread at Maria's, boosted by the board",
        DEADLINE,
        || async { reblogged_by(&maria.home().await, "robotics", uri).then_some(()) },
    )
    .await;
    // The board's profile shows the thread among its boosts.
    let shared = maria
        .get(&format!(
            "/api/v1/accounts/{}/statuses",
            board_here["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(shared[0]["reblog"]["uri"], uri);
    assert_eq!(a.count("board_posts", "").await, 1);

    // Maria (local) starts one too; Bob and Carol get it from the board.
    let local = maria
        .post_status("@robotics Sharing our sensor-maze lesson", "public")
        .await;
    let local_uri = local["uri"].as_str().unwrap();
    for member in [&bob, &carol] {
        eventually(
            "Maria's thread boosted to remote members",
            DEADLINE,
            || async {
                reblogged_by(&member.home().await, board_acct_remote, local_uri).then_some(())
            },
        )
        .await;
    }

    // A followers-only post that mentions the board is not relayed.
    let private = bob
        .post_status(&format!("@{handle} only for my followers"), "private")
        .await;
    let private_uri = private["uri"].as_str().unwrap().to_string();
    // Wait until A has the post (the mention delivered it), then check.
    eventually("the followers-only post at A", DEADLINE, || async {
        (a.count("statuses", &format!("ap_id = '{private_uri}'"))
            .await
            == 1)
            .then_some(())
    })
    .await;
    assert_eq!(a.count("board_posts", "").await, 2);
    assert!(!carol
        .home()
        .await
        .iter()
        .any(|s| s["reblog"]["uri"] == private_uri.as_str()));
}
