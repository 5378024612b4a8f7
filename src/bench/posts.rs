//! Seeding the statuses and what hangs off them: replies, mentions,
//! hashtags, media, boosts, favourites, board threads and the readers'
//! notifications. Statuses are spread over the 90 days before now, in id
//! order, so ids and times look as the server makes them.

use super::{
    ids::{skewed, Ids},
    seed::Person,
    sql::{b, oq, q, ts, Writer, NULL},
};
use rand::{rngs::StdRng, seq::SliceRandom, Rng};
use std::collections::{HashMap, HashSet, VecDeque};

/// Hashtags, the first few far more used than the rest.
const TAGS: [&str; 20] = [
    "stem",
    "scichat",
    "mathchat",
    "ngss",
    "physics",
    "chemistry",
    "biology",
    "engineering",
    "robotics",
    "coding",
    "astronomy",
    "geology",
    "ecology",
    "statistics",
    "algebra",
    "geometry",
    "labsafety",
    "makerspace",
    "edtech",
    "assessment",
];
const WORDS: [&str; 24] = [
    "lab",
    "students",
    "inquiry",
    "pendulum",
    "photosynthesis",
    "circuits",
    "fractions",
    "experiment",
    "worksheet",
    "rubric",
    "density",
    "ecosystem",
    "velocity",
    "molecules",
    "hypothesis",
    "data",
    "graphing",
    "bridges",
    "magnets",
    "volcanoes",
    "cells",
    "energy",
    "forces",
    "probability",
];
const SPAN_MS: i64 = 90 * 86_400_000;
/// Recent statuses replies, boosts and favourites pick from.
const RECENT: usize = 5_000;

pub struct Cast<'a> {
    pub domain: &'a str,
    pub posters: &'a [Person],
    pub readers: &'a [Person],
    pub boards: &'a [Person],
}

pub struct Stats {
    /// The most used hashtag.
    pub tag: String,
}

#[derive(Clone)]
struct Recent {
    id: i64,
    account_id: i64,
    ap_id: String,
}

const STATUS_COLUMNS: &str = "id, ap_id, url, account_id, local, in_reply_to_ap_id, \
    in_reply_to_id, in_reply_to_account_id, content, source_text, spoiler_text, sensitive, \
    language, visibility, created_at, edited_at, updated_at, reblog_of_id";

pub fn seed_posts(
    w: &mut Writer,
    rng: &mut StdRng,
    cast: &Cast,
    n: u64,
    now: i64,
    nids: &mut Ids,
) -> Result<Stats, String> {
    let start = now - SPAN_MS;
    let made = start - 86_400_000;
    let mut tag_ids = vec![];
    let mut ids = Ids::new(60);
    for name in TAGS {
        let id = ids.at(made);
        tag_ids.push(id);
        w.row(
            "tags",
            "id, name, created_at",
            format!("{id}, {}, {}", q(name), ts(made)),
        )?;
    }
    w.flush()?;
    let readers: HashSet<i64> = cast.readers.iter().map(|r| r.id).collect();
    let people: HashMap<i64, &Person> = cast.posters.iter().map(|p| (p.id, p)).collect();
    let mut sids = Ids::new(59);
    let (mut mids, mut fav_ids, mut media_ids) = (Ids::new(58), Ids::new(57), Ids::new(56));
    let mut recent: VecDeque<Recent> = VecDeque::with_capacity(RECENT);
    let mut threads: VecDeque<(i64, Recent)> = VecDeque::new();
    let mut boosted: HashSet<(i64, i64)> = HashSet::new();
    let mut favourited: HashSet<(i64, i64)> = HashSet::new();
    for i in 0..n {
        let ms = start + (i as i128 * SPAN_MS as i128 / n.max(1) as i128) as i64;
        let id = sids.at(ms);
        let author = &cast.posters[skewed(rng, cast.posters.len())];
        let local = author.host.is_none();
        let actor = author.actor(cast.domain);
        let ap_id = format!("{actor}/statuses/{id}");
        let roll: f64 = rng.gen();
        // A boost (reblog) of a recent public status.
        if roll < 0.08 && !recent.is_empty() {
            let target = recent[rng.gen_range(0..recent.len())].clone();
            if target.account_id != author.id && boosted.insert((author.id, target.id)) {
                w.row(
                    "statuses",
                    STATUS_COLUMNS,
                    format!(
                        "{id}, {}, NULL, {}, {}, NULL, NULL, NULL, '', NULL, '', FALSE, NULL, \
                         'public', {t}, NULL, {t}, {}",
                        q(&format!("{ap_id}/activity")),
                        author.id,
                        b(local),
                        target.id,
                        t = ts(ms)
                    ),
                )?;
                if readers.contains(&target.account_id) {
                    notification(
                        w,
                        nids,
                        ms,
                        target.account_id,
                        author.id,
                        "reblog",
                        Some(target.id),
                    )?;
                }
                continue;
            }
        }
        let v: f64 = rng.gen();
        let visibility = match v {
            v if v < 0.90 => "public",
            v if v < 0.94 => "unlisted",
            v if v < 0.98 => "private",
            _ => "direct",
        };
        let reply_to = (rng.gen::<f64>() < 0.2 && !recent.is_empty())
            .then(|| recent[rng.gen_range(0..recent.len())].clone());
        // A new board thread, or a reply in one.
        let board = cast.boards[rng.gen_range(0..cast.boards.len())].id;
        let starts_thread =
            local && visibility == "public" && reply_to.is_none() && rng.gen::<f64>() < 0.01;
        let in_thread = (!starts_thread
            && visibility == "public"
            && !threads.is_empty()
            && rng.gen::<f64>() < 0.03)
            .then(|| threads[rng.gen_range(0..threads.len())].clone());
        let mut text = sentence(rng, i);
        let mut tags = vec![];
        if rng.gen::<f64>() < 0.15 {
            let t = skewed(rng, TAGS.len());
            tags.push(t);
            text.push_str(&format!(" #{}", TAGS[t]));
        }
        let mentioned = (visibility == "direct" || rng.gen::<f64>() < 0.10).then(|| {
            if rng.gen::<f64>() < 0.2 {
                cast.readers[rng.gen_range(0..cast.readers.len())].id
            } else {
                cast.posters[rng.gen_range(0..cast.posters.len())].id
            }
        });
        if let Some(m) = mentioned.and_then(|m| people.get(&m)) {
            text.push_str(&format!(" @{}", m.name));
        }
        let content = format!("<p>{text}</p>");
        let reply_to = in_thread.as_ref().map(|(_, t)| t.clone()).or(reply_to);
        let (parent_ap, parent_id, parent_account) = match &reply_to {
            Some(r) => (q(&r.ap_id), r.id.to_string(), r.account_id.to_string()),
            None => (NULL.into(), NULL.into(), NULL.into()),
        };
        w.row(
            "statuses",
            STATUS_COLUMNS,
            format!(
                "{id}, {}, {}, {}, {}, {parent_ap}, {parent_id}, {parent_account}, {}, {}, '', \
                 FALSE, 'en', {}, {t}, NULL, {t}, NULL",
                q(&ap_id),
                q(&format!("{actor}/{id}").replace("/users/", "/@")),
                author.id,
                b(local),
                q(&content),
                oq(local.then_some(text.as_str())),
                q(visibility),
                t = ts(ms)
            ),
        )?;
        if starts_thread {
            w.row(
                "board_posts",
                "status_id, board_id, title, created_at, locked, thread_id",
                format!(
                    "{id}, {board}, {}, {}, FALSE, NULL",
                    q(&format!("Thread {i}: {}", WORDS[i as usize % WORDS.len()])),
                    ts(ms)
                ),
            )?;
            let me = Recent {
                id,
                account_id: author.id,
                ap_id: ap_id.clone(),
            };
            threads.push_back((board, me));
            if threads.len() > 200 {
                threads.pop_front();
            }
        }
        if let Some((thread_board, thread)) = &in_thread {
            w.row(
                "board_posts",
                "status_id, board_id, title, created_at, locked, thread_id",
                format!(
                    "{id}, {thread_board}, NULL, {}, FALSE, {}",
                    ts(ms),
                    thread.id
                ),
            )?;
        }
        for t in &tags {
            w.row(
                "status_tags",
                "status_id, tag_id",
                format!("{id}, {}", tag_ids[*t]),
            )?;
        }
        if let Some(m) = mentioned {
            w.row(
                "mentions",
                "id, status_id, account_id",
                format!("{}, {id}, {m}", mids.at(ms)),
            )?;
            if readers.contains(&m) && m != author.id {
                notification(w, nids, ms, m, author.id, "mention", Some(id))?;
            }
        }
        if let Some(r) = &reply_to {
            if readers.contains(&r.account_id)
                && r.account_id != author.id
                && mentioned != Some(r.account_id)
            {
                notification(w, nids, ms, r.account_id, author.id, "mention", Some(id))?;
            }
        }
        if rng.gen::<f64>() < 0.04 {
            media(w, &mut media_ids, ms, id, author, cast.domain)?;
        }
        // Favourites of recent statuses, about two per status.
        for _ in 0..2 {
            if recent.is_empty() {
                break;
            }
            let target = &recent[rng.gen_range(0..recent.len())];
            let fan = &cast.posters[rng.gen_range(0..cast.posters.len())];
            if fan.id == target.account_id || !favourited.insert((fan.id, target.id)) {
                continue;
            }
            w.row(
                "favourites",
                "id, account_id, status_id, ap_id, created_at",
                format!(
                    "{}, {}, {}, NULL, {}",
                    fav_ids.at(ms),
                    fan.id,
                    target.id,
                    ts(ms)
                ),
            )?;
            if readers.contains(&target.account_id) {
                notification(
                    w,
                    nids,
                    ms,
                    target.account_id,
                    fan.id,
                    "favourite",
                    Some(target.id),
                )?;
            }
        }
        if visibility == "public" {
            if recent.len() == RECENT {
                recent.pop_front();
            }
            recent.push_back(Recent {
                id,
                account_id: author.id,
                ap_id,
            });
        }
        // Keep memory flat on large seeds: old pairs cannot repeat anyway.
        if boosted.len() > 2_000_000 {
            boosted.clear();
        }
        if favourited.len() > 4_000_000 {
            favourited.clear();
        }
    }
    w.flush()?;
    Ok(Stats {
        tag: TAGS[0].to_string(),
    })
}

/// An image attached to status `status`.
fn media(
    w: &mut Writer,
    ids: &mut Ids,
    ms: i64,
    status: i64,
    author: &Person,
    domain: &str,
) -> Result<(), String> {
    let id = ids.at(ms);
    let (file_key, remote_url) = match &author.host {
        None => (Some(format!("media/bench/{id}.jpg")), None),
        Some(host) => (None, Some(format!("http://{host}/media/{id}.jpg"))),
    };
    let _ = domain;
    w.row(
        "media_attachments",
        "id, account_id, status_id, position, kind, content_type, file_key, preview_key, \
         remote_url, description, focus_x, focus_y, width, height, preview_width, \
         preview_height, blurhash, file_size, created_at",
        format!(
            "{id}, {}, {status}, 0, 'image', 'image/jpeg', {}, NULL, {}, 'A photo of the lab bench', \
             NULL, NULL, 1600, 1200, 400, 300, 'LEHV6nWB2yk8pyo0adR*.7kCMdnj', 204800, {}",
            author.id,
            oq(file_key.as_deref()),
            oq(remote_url.as_deref()),
            ts(ms)
        ),
    )
}

/// A sentence a teacher might write.
fn sentence(rng: &mut StdRng, i: u64) -> String {
    let words: Vec<&str> = WORDS.choose_multiple(rng, 6).copied().collect();
    format!(
        "Day {i}: tried the {} {} activity with my {}; the {} and {} part needs more {} time.",
        words[0], words[1], words[2], words[3], words[4], words[5]
    )
}

/// A notification for `account` (a reader).
pub fn notification(
    w: &mut Writer,
    ids: &mut Ids,
    ms: i64,
    account: i64,
    from: i64,
    kind: &str,
    status: Option<i64>,
) -> Result<(), String> {
    w.row(
        "notifications",
        "id, account_id, from_account_id, kind, status_id, created_at",
        format!(
            "{}, {account}, {from}, {}, {}, {}",
            ids.at(ms),
            q(kind),
            status.map_or_else(|| NULL.to_string(), |s| s.to_string()),
            ts(ms)
        ),
    )
}
