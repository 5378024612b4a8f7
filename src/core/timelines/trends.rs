//! Trends (hashtags and posts many people use or boost this week) and the
//! instance's public facts apps show: peers, weekly activity, rules.
//!
//! Only public posts by discoverable accounts count, as on Mastodon: a
//! teacher who opts out of discovery never trends.

use crate::core::{
    error::CoreResult,
    hidden,
    posts::tags::{tag_view, TagView},
    views::{self, StatusView},
    Core,
};
use crate::db::{self, trends};
use chrono::{Datelike, Duration, NaiveDateTime};

/// The first id made at `at`: what was stored since then has a greater one.
fn first_id_at(at: NaiveDateTime) -> i64 {
    crate::core::ids::first_at(at.and_utc().timestamp_millis())
}

/// How far back trends look.
const TREND_WINDOW_DAYS: i64 = 7;
/// A post's score halves every this many hours.
const HALF_LIFE_HOURS: f64 = 24.0;

/// One week of activity on this server (weeks start on Monday, UTC).
#[derive(Debug, Clone, Copy)]
pub struct WeekActivity {
    pub week: NaiveDateTime,
    pub statuses: i64,
    pub logins: i64,
    pub registrations: i64,
}

/// A post's trend score: boosts weigh most, then replies and favourites,
/// fading with age.
fn score(reblogs: i64, favourites: i64, replies: i64, age: Duration) -> f64 {
    let raw = (2 * reblogs + favourites + replies) as f64;
    let hours = age.num_minutes().max(0) as f64 / 60.0;
    raw * 0.5f64.powf(hours / HALF_LIFE_HOURS)
}

impl Core {
    /// Hashtags used by the most people this week, then most often.
    pub async fn trending_tags(
        &self,
        viewer: Option<i64>,
        offset: usize,
        limit: usize,
    ) -> CoreResult<Vec<TagView>> {
        self.read(move |conn, _| {
            let since = db::now() - Duration::days(TREND_WINDOW_DAYS);
            let ids =
                trends::ranked_tags(conn, since, first_id_at(since), offset as i64, limit as i64)?;
            let mut found = db::tags::by_ids(conn, &ids)?;
            found.sort_by_key(|t| ids.iter().position(|id| *id == t.id));
            found
                .into_iter()
                .map(|t| tag_view(conn, t, viewer))
                .collect()
        })
        .await
    }

    /// Public posts with the most boosts, favourites and replies this week,
    /// recent ones first among equals; posts nobody reacted to never trend.
    pub async fn trending_statuses(
        &self,
        viewer: Option<i64>,
        offset: usize,
        limit: usize,
    ) -> CoreResult<Vec<StatusView>> {
        self.read(move |conn, _| {
            let now = db::now();
            let since = now - Duration::days(TREND_WINDOW_DAYS);
            let candidates = trends::reacted_public_statuses(conn, since, first_id_at(since))?;
            let mut ranked: Vec<(f64, db::statuses::Status)> = candidates
                .into_iter()
                .map(|(s, (reblogs, favourites, replies))| {
                    (score(reblogs, favourites, replies, now - s.created_at), s)
                })
                .filter(|(score, _)| *score > 0.0)
                .collect();
            ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.id.cmp(&a.1.id)));
            let hidden = hidden::hidden_for_viewer(conn, viewer)?;
            let list: Vec<_> = ranked.into_iter().map(|(_, s)| s).collect();
            let mut visible = vec![];
            let authors =
                db::accounts::by_ids(conn, &list.iter().map(|s| s.account_id).collect::<Vec<_>>())?;
            for s in list {
                let hides = authors
                    .iter()
                    .find(|a| a.id == s.account_id)
                    .is_none_or(|a| hidden.hides(a));
                if !hides {
                    visible.push(s);
                }
            }
            let page: Vec<_> = visible.into_iter().skip(offset).take(limit).collect();
            let views = views::status_views(conn, page, viewer)?;
            hidden::apply_for(conn, viewer, "public", views)
        })
        .await
    }

    /// Domains of the servers this one knows accounts on, sorted.
    pub async fn peers(&self) -> CoreResult<Vec<String>> {
        let mut domains = self
            .read(|conn, _| Ok(db::accounts::remote_domains(conn)?))
            .await?;
        let federation = &self.settings().federation;
        domains.retain(|d| federation.allows_host(d.split(':').next().unwrap_or(d)));
        domains.sort();
        Ok(domains)
    }

    /// The last twelve weeks, this week first.
    pub async fn weekly_activity(&self) -> CoreResult<Vec<WeekActivity>> {
        self.read(|conn, _| {
            let today = db::now().date();
            let monday = today - Duration::days(today.weekday().num_days_from_monday() as i64);
            let mut weeks = vec![];
            for back in 0..12 {
                let start = (monday - Duration::weeks(back))
                    .and_hms_opt(0, 0, 0)
                    .unwrap_or_default();
                let end = start + Duration::weeks(1);
                weeks.push(WeekActivity {
                    week: start,
                    statuses: trends::local_posts_between(conn, start, end)?,
                    logins: trends::sign_ins_between(conn, start, end)?,
                    registrations: trends::registrations_between(conn, start, end)?,
                });
            }
            Ok(weeks)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boosts_weigh_most_and_scores_fade_with_age() {
        let fresh = Duration::minutes(5);
        assert!(score(1, 0, 0, fresh) > score(0, 1, 0, fresh));
        assert_eq!(score(0, 0, 0, fresh), 0.0);
        let day_old = score(1, 1, 1, Duration::hours(24));
        assert!((day_old - score(1, 1, 1, Duration::zero()) / 2.0).abs() < 1e-9);
    }
}
