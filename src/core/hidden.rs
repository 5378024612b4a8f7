//! What a viewer does not want to see: the accounts they blocked, that
//! blocked them or that they muted, the servers they hid, and what their
//! filters match. Timelines, threads, notifications and streams all leave
//! these out; blocking and muting are `accounts::blocks`, making filters
//! `timelines::filters`.

use crate::core::{
    error::CoreResult,
    text,
    views::{FilterMatch, StatusView},
};
use crate::db::{
    self, account_domain_blocks, blocks,
    filters::{self, Filter},
    mutes, DbConn, Hidden,
};
use regex::Regex;

/// What `me` does not want to see in timelines, threads and streams.
pub fn hidden_for(conn: &mut DbConn, me: i64) -> CoreResult<Hidden> {
    let mut accounts = blocks::blocked_by(conn, me)?;
    accounts.extend(blocks::blocking(conn, me)?);
    accounts.extend(mutes::muted(conn, me, false)?);
    accounts.sort_unstable();
    accounts.dedup();
    Ok(Hidden {
        accounts,
        domains: account_domain_blocks::domains(conn, me)?,
    })
}

/// [`hidden_for`] a viewer, if any.
pub fn hidden_for_viewer(conn: &mut DbConn, viewer: Option<i64>) -> CoreResult<Hidden> {
    match viewer {
        Some(me) => hidden_for(conn, me),
        None => Ok(Hidden::default()),
    }
}

/// Leave out reblogs of statuses by hidden accounts.
pub fn drop_hidden_reblogs(list: &mut Vec<StatusView>, hidden: &Hidden) {
    if !hidden.is_empty() {
        list.retain(|v| {
            v.reblog
                .as_ref()
                .is_none_or(|r| !hidden.hides(&r.account.account))
        });
    }
}

/// Whose notifications `me` does not want: blocked (either way), muted with
/// notifications, and hidden servers.
pub fn silenced_for(conn: &mut DbConn, me: i64) -> CoreResult<Hidden> {
    let mut accounts = blocks::blocked_by(conn, me)?;
    accounts.extend(blocks::blocking(conn, me)?);
    accounts.extend(mutes::muted(conn, me, true)?);
    Ok(Hidden {
        accounts,
        domains: account_domain_blocks::domains(conn, me)?,
    })
}

/// One active filter: its keywords (as typed, and as a pattern) and statuses.
type ActiveFilter = (Filter, Vec<(String, Regex)>, Vec<i64>);

/// The active filters of one viewer in one context, ready to match.
pub struct Matcher {
    filters: Vec<ActiveFilter>,
}

fn keyword_regex(keyword: &str, whole_word: bool) -> Option<Regex> {
    let escaped = regex::escape(keyword.trim());
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let pattern = if whole_word {
        let start = if word(keyword.trim().chars().next()) {
            r"\b"
        } else {
            ""
        };
        let end = if word(keyword.trim().chars().last()) {
            r"\b"
        } else {
            ""
        };
        format!("(?i){start}{escaped}{end}")
    } else {
        format!("(?i){escaped}")
    };
    Regex::new(&pattern).ok()
}

/// The filters of `me` that apply in `context` now.
pub(crate) fn matcher(conn: &mut DbConn, me: i64, context: &str) -> CoreResult<Matcher> {
    let now = db::now();
    let active: Vec<Filter> = filters::of_owner(conn, me)?
        .into_iter()
        .filter(|f| f.expires_at.is_none_or(|e| e > now))
        .filter(|f| f.contexts().iter().any(|c| c == context))
        .collect();
    let ids: Vec<i64> = active.iter().map(|f| f.id).collect();
    let keywords = filters::keywords(conn, &ids)?;
    let statuses = filters::statuses(conn, &ids)?;
    Ok(Matcher {
        filters: active
            .into_iter()
            .map(|f| {
                let words = keywords
                    .iter()
                    .filter(|k| k.filter_id == f.id)
                    .filter_map(|k| {
                        Some((k.keyword.clone(), keyword_regex(&k.keyword, k.whole_word)?))
                    })
                    .collect();
                let ids = statuses
                    .iter()
                    .filter(|s| s.filter_id == f.id)
                    .map(|s| s.status_id)
                    .collect();
                (f, words, ids)
            })
            .collect(),
    })
}

/// Apply `viewer`'s filters for `context` to `views`.
pub(crate) fn apply_for(
    conn: &mut DbConn,
    viewer: Option<i64>,
    context: &str,
    views: Vec<StatusView>,
) -> CoreResult<Vec<StatusView>> {
    match viewer {
        Some(me) => Ok(matcher(conn, me, context)?.apply(views)),
        None => Ok(views),
    }
}

impl Matcher {
    pub fn is_empty(&self) -> bool {
        self.filters.is_empty()
    }

    /// Mark matched statuses and leave out those a `hide` filter matched.
    pub fn apply(&self, views: Vec<StatusView>) -> Vec<StatusView> {
        if self.is_empty() {
            return views;
        }
        views
            .into_iter()
            .filter_map(|mut v| {
                v.filtered = self.matches(&v);
                let hidden = v.filtered.iter().any(|m| m.filter.action == "hide");
                (!hidden).then_some(v)
            })
            .collect()
    }

    fn matches(&self, v: &StatusView) -> Vec<FilterMatch> {
        let shown = v.reblog.as_deref().unwrap_or(v);
        let haystack = format!(
            "{}\n{}",
            shown.status.spoiler_text,
            text::html_to_text(&shown.status.content)
        );
        self.filters
            .iter()
            .filter_map(|(filter, words, ids)| {
                let keyword_matches: Vec<String> = words
                    .iter()
                    .filter(|(_, re)| re.is_match(&haystack))
                    .map(|(k, _)| k.clone())
                    .collect();
                let status_matches: Vec<i64> = ids
                    .iter()
                    .copied()
                    .filter(|id| *id == v.status.id || *id == shown.status.id)
                    .collect();
                (!keyword_matches.is_empty() || !status_matches.is_empty()).then(|| FilterMatch {
                    filter: filter.clone(),
                    keyword_matches,
                    status_matches,
                })
            })
            .collect()
    }
}
