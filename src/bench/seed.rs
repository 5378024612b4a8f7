//! Seeding: a fresh database of a chosen size, written straight into the
//! tables (after the project's migrations) with multi-row INSERTs. The
//! people, their follows, lists, boards and readers' tokens are here; the
//! statuses and what hangs off them are in `posts.rs`.

use super::{
    ids::Ids,
    posts::{self, notification},
    sql::{b, oq, q, ts, Writer, NULL},
};
use crate::core::crypto;
use crate::db::{migrations, Backend, Db};
use diesel::connection::SimpleConnection;
use rand::{rngs::StdRng, seq::SliceRandom, SeedableRng};
use std::collections::HashSet;

pub const TEACHERS: usize = 1_500;
pub const REMOTE: usize = 500;
pub const REMOTE_HOSTS: usize = 50;
pub const READER_FOLLOWS: usize = 200;
pub const BOARDS: [&str; 5] = [
    "physics_plc",
    "chemistry_plc",
    "biology_plc",
    "math_plc",
    "engineering_plc",
];
/// Password of every seeded account (none signs in: readers get tokens).
const PASSWORD: &str = "bench password, never used to sign in";

/// A remote actor the bench serves itself (an inbox sender).
#[derive(Debug, Clone)]
pub struct RemoteActor {
    /// `host:port`.
    pub host: String,
    pub name: String,
    pub public_key_pem: String,
}

/// What to seed.
pub struct Plan {
    pub statuses: u64,
    /// Our server's domain (`host:port`), which every local id names.
    pub domain: String,
    /// The port of the bench's fake remote servers (the seeded remote hosts).
    pub peer_port: u16,
    pub inbox_actors: Vec<RemoteActor>,
    pub fanout_port: u16,
    pub fanout_followers: usize,
    pub readers: usize,
}

/// A local account with a token the server accepts.
#[derive(Debug, Clone)]
pub struct Reader {
    #[allow(dead_code)]
    pub account_id: i64,
    pub token: String,
}

/// What the measurements need to know about the seeded data.
pub struct Seeded {
    pub readers: Vec<Reader>,
    /// The account whose public post is fanned out.
    pub author: Reader,
    /// A list of the first reader.
    pub list_id: i64,
    /// A popular hashtag.
    pub tag: String,
    /// An active author (for the account timeline).
    pub busy_account_id: i64,
    pub board: String,
    /// The inbox senders' account ids.
    pub senders: Vec<i64>,
    pub statuses: u64,
    pub rows: u64,
}

/// A local or remote account as the seed made it.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: i64,
    pub name: String,
    /// `None` if local.
    pub host: Option<String>,
}

impl Person {
    pub fn actor(&self, domain: &str) -> String {
        format!(
            "http://{}/users/{}",
            self.host.as_deref().unwrap_or(domain),
            self.name
        )
    }
}

/// Migrate the (empty) database at `url` and fill it as `plan` says.
pub fn seed(url: &str, plan: &Plan) -> Result<Seeded, String> {
    let db = Db::connect(url, 1)?;
    migrations::run(&db)?;
    let mut conn = db.get().map_err(|e| e.to_string())?;
    if db.backend() == Backend::Sqlite {
        // Rows go in batches per table; the seed writes parents first, but
        // checking each row costs time. A fresh file needs no crash safety.
        conn.batch_execute("PRAGMA foreign_keys = OFF; PRAGMA synchronous = OFF")
            .map_err(|e| format!("seed: {e}"))?;
    }
    let (public_pem, private_pem) = crypto::generate_keypair().map_err(|e| e.to_string())?;
    let password_hash = crypto::hash_password(PASSWORD).map_err(|e| e.to_string())?;
    let mut rng = StdRng::seed_from_u64(11);
    let now = chrono::Utc::now().timestamp_millis();
    let mut w = Writer::new(&mut conn)?;
    w.declare(&[
        "accounts",
        "users",
        "boards",
        "board_moderators",
        "follows",
        "lists",
        "list_accounts",
        "oauth_apps",
        "oauth_tokens",
        "tags",
        "statuses",
        "board_posts",
        "status_tags",
        "mentions",
        "media_attachments",
        "favourites",
        "notifications",
    ]);
    let mut ids = Ids::new(63);
    // Accounts were made over the year before the posts.
    let made = now - 400 * 86_400_000;
    let account = |w: &mut Writer,
                   ids: &mut Ids,
                   name: String,
                   host: Option<String>,
                   kind: &str,
                   public: &str|
     -> Result<Person, String> {
        let id = ids.at(made);
        let base = format!(
            "http://{}/users/{name}",
            host.as_deref().unwrap_or(&plan.domain)
        );
        let page = format!("http://{}/@{name}", host.as_deref().unwrap_or(&plan.domain));
        let shared = format!("http://{}/inbox", host.as_deref().unwrap_or(&plan.domain));
        let private = host.is_none().then_some(private_pem.as_str());
        let display = format!("{} {}", kind_title(kind), name.replace('_', " "));
        w.row(
            "accounts",
            "id, username, domain, actor_type, display_name, note, ap_id, url, inbox_url, \
             shared_inbox_url, outbox_url, followers_url, following_url, public_key_pem, \
             private_key_pem, locked, bot, discoverable, avatar_url, header_url, fields, \
             suspended_at, deleted_at, created_at, updated_at, last_fetched_at",
            format!(
                "{id}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, NULL, NULL, \
                 '[]', NULL, NULL, {t}, {t}, {fetched}",
                q(&name),
                oq(host.as_deref()),
                q(kind),
                q(&display),
                q("<p>STEM teacher. Labs, lesson plans and questions welcome.</p>"),
                q(&base),
                q(&page),
                q(&format!("{base}/inbox")),
                q(&shared),
                q(&format!("{base}/outbox")),
                q(&format!("{base}/followers")),
                q(&format!("{base}/following")),
                q(public),
                oq(private),
                b(false),
                b(false),
                b(true),
                t = ts(made),
                fetched = if host.is_some() { ts(now) } else { NULL.into() },
            ),
        )?;
        if host.is_none() && kind == "Person" {
            w.row(
                "users",
                "id, account_id, email, password_hash, role, created_at, approved, \
                 sign_up_reason, default_visibility, default_sensitive, default_language",
                format!(
                    "{id}, {id}, {}, {}, 'user', {}, TRUE, NULL, 'public', FALSE, NULL",
                    q(&format!("{name}@bench.invalid")),
                    q(&password_hash),
                    ts(made)
                ),
            )?;
        }
        Ok(Person { id, name, host })
    };
    let mut teachers = vec![];
    for i in 0..TEACHERS {
        teachers.push(account(
            &mut w,
            &mut ids,
            format!("teacher{i}"),
            None,
            "Person",
            &public_pem,
        )?);
    }
    let mut readers = vec![];
    for i in 0..plan.readers {
        readers.push(account(
            &mut w,
            &mut ids,
            format!("reader{i}"),
            None,
            "Person",
            &public_pem,
        )?);
    }
    let author = account(
        &mut w,
        &mut ids,
        "author".into(),
        None,
        "Person",
        &public_pem,
    )?;
    let mut boards = vec![];
    for name in BOARDS {
        boards.push(account(
            &mut w,
            &mut ids,
            name.into(),
            None,
            "Group",
            &public_pem,
        )?);
    }
    let mut remote = vec![];
    for i in 0..REMOTE {
        let host = format!("h{}.remote.bench:{}", i % REMOTE_HOSTS, plan.peer_port);
        remote.push(account(
            &mut w,
            &mut ids,
            format!("r{i}"),
            Some(host),
            "Person",
            &public_pem,
        )?);
    }
    let mut senders = vec![];
    for a in &plan.inbox_actors {
        let p = account(
            &mut w,
            &mut ids,
            a.name.clone(),
            Some(a.host.clone()),
            "Person",
            &a.public_key_pem,
        )?;
        senders.push(p);
    }
    let mut fans = vec![];
    for i in 0..plan.fanout_followers {
        let host = format!("f{i}.fanout.bench:{}", plan.fanout_port);
        fans.push(account(
            &mut w,
            &mut ids,
            "follower".into(),
            Some(host),
            "Person",
            &public_pem,
        )?);
    }
    // Boards and their moderators.
    for board in &boards {
        w.row(
            "boards",
            "account_id, kind, title, description_source, rules, subjects, grade_bands, \
             posting_restricted_to_mods, created_at",
            format!(
                "{}, 'federated', {}, 'Share labs and questions.', '[]', '[\"science\"]', \
                 '[\"6-8\"]', FALSE, {}",
                board.id,
                q(&board.name.replace('_', " ")),
                ts(made)
            ),
        )?;
        w.row(
            "board_moderators",
            "board_id, account_id, created_at",
            format!("{}, {}, {}", board.id, teachers[0].id, ts(made)),
        )?;
    }
    // Who follows whom.
    let mut follows = HashSet::new();
    let mut fids = Ids::new(62);
    let mut follow =
        |w: &mut Writer, from: i64, to: i64| -> Result<(), String> {
            if from == to || !follows.insert((from, to)) {
                return Ok(());
            }
            let id = fids.at(made + 1000);
            w.row(
            "follows",
            "id, account_id, target_account_id, ap_id, accepted, created_at, notify, show_reblogs",
            format!("{id}, {from}, {to}, NULL, TRUE, {}, FALSE, TRUE", ts(made + 1000)),
        )
        };
    let everyone: Vec<&Person> = teachers.iter().chain(remote.iter()).collect();
    let mut nids = Ids::new(61);
    let mut reader_follows = vec![];
    for r in &readers {
        let mut chosen: Vec<&Person> = everyone
            .choose_multiple(&mut rng, READER_FOLLOWS)
            .copied()
            .collect();
        chosen.sort_by_key(|p| p.id);
        for p in &chosen {
            follow(&mut w, r.id, p.id)?;
        }
        for p in senders.iter().chain(boards.iter()) {
            follow(&mut w, r.id, p.id)?;
        }
        // Colleagues follow the reader back (and are notified of as follows).
        for p in everyone.choose_multiple(&mut rng, 50) {
            follow(&mut w, p.id, r.id)?;
            notification(&mut w, &mut nids, made + 2000, r.id, p.id, "follow", None)?;
        }
        reader_follows.push(chosen);
    }
    for t in &teachers {
        for p in everyone.choose_multiple(&mut rng, 30) {
            follow(&mut w, t.id, p.id)?;
        }
    }
    for board in &boards {
        for t in teachers.choose_multiple(&mut rng, 100) {
            follow(&mut w, t.id, board.id)?;
        }
    }
    for fan in &fans {
        follow(&mut w, fan.id, author.id)?;
    }
    // A list per reader: 30 of the accounts it follows.
    let mut list_id = 0;
    for (i, r) in readers.iter().enumerate() {
        let id = ids.at(made + 3000);
        if i == 0 {
            list_id = id;
        }
        w.row(
            "lists",
            "id, account_id, title, replies_policy, exclusive, created_at",
            format!(
                "{id}, {}, 'Physics colleagues', 'list', FALSE, {}",
                r.id,
                ts(made + 3000)
            ),
        )?;
        for p in reader_follows[i].iter().take(30) {
            w.row(
                "list_accounts",
                "list_id, account_id",
                format!("{id}, {}", p.id),
            )?;
        }
    }
    // Tokens: one app, a token per reader and one for the author.
    let app_id = ids.at(made + 4000);
    w.row(
        "oauth_apps",
        "id, name, website, redirect_uris, scopes, client_id, client_secret_hash, created_at",
        format!(
            "{app_id}, 'staffroom bench', NULL, 'urn:ietf:wg:oauth:2.0:oob', 'read write follow push', \
             {}, {}, {}",
            q(&crypto::random_token(32)),
            q(&crypto::sha256_hex(&crypto::random_token(32))),
            ts(made + 4000)
        ),
    )?;
    let token = |w: &mut Writer, ids: &mut Ids, account_id: i64| -> Result<Reader, String> {
        let token = crypto::random_token(32);
        w.row(
            "oauth_tokens",
            "id, app_id, account_id, token_hash, refresh_token_hash, scopes, created_at, revoked_at",
            format!(
                "{}, {app_id}, {account_id}, {}, NULL, 'read write follow push', {}, NULL",
                ids.at(made + 5000),
                q(&crypto::sha256_hex(&token)),
                ts(now)
            ),
        )?;
        Ok(Reader { account_id, token })
    };
    let mut seeded_readers = vec![];
    for r in &readers {
        seeded_readers.push(token(&mut w, &mut ids, r.id)?);
    }
    let author_token = token(&mut w, &mut ids, author.id)?;
    w.flush()?;
    // The posts, by teachers, readers and remote people.
    let mut posters: Vec<Person> = teachers
        .iter()
        .chain(readers.iter())
        .chain(remote.iter())
        .cloned()
        .collect();
    posters.shuffle(&mut rng);
    let stats = posts::seed_posts(
        &mut w,
        &mut rng,
        &posts::Cast {
            domain: &plan.domain,
            posters: &posters,
            readers: &readers,
            boards: &boards,
        },
        plan.statuses,
        now,
        &mut nids,
    )?;
    if w.backend_is_postgres() {
        w.execute("COMMIT; ANALYZE; BEGIN")?;
    }
    let rows = w.finish()?;
    Ok(Seeded {
        readers: seeded_readers,
        author: author_token,
        list_id,
        tag: stats.tag,
        busy_account_id: posters[0].id,
        board: boards[0].name.clone(),
        senders: senders.iter().map(|p| p.id).collect(),
        statuses: plan.statuses,
        rows,
    })
}

fn kind_title(kind: &str) -> &'static str {
    if kind == "Group" {
        "Board"
    } else {
        "Teacher"
    }
}
