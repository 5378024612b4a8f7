//! Hashtags: which statuses carry them, tag timelines, following tags (their
//! public posts come home) and featuring them on one's profile.

use crate::core::{
    error::{CoreError, CoreResult},
    found, hidden, text,
    views::{self, StatusView},
    Core,
};
use crate::db::{
    self,
    statuses::Status,
    tags::{self, Tag},
    DbConn, Page,
};
use chrono::{NaiveDate, NaiveDateTime};

/// At most this many hashtags of one status are kept.
const MAX_TAGS: usize = 50;

/// A hashtag with its use over the last week.
#[derive(Debug, Clone)]
pub struct TagView {
    pub tag: Tag,
    /// (day, posts, authors), newest first, seven days.
    pub history: Vec<(NaiveDate, i64, i64)>,
    /// Whether the viewer follows it (`None` without a viewer).
    pub following: Option<bool>,
}

/// A hashtag an account features on its profile.
#[derive(Debug, Clone)]
pub struct FeaturedTag {
    pub id: i64,
    pub tag: Tag,
    pub statuses_count: i64,
    pub last_status_at: Option<NaiveDateTime>,
}

/// Record the hashtags `names` of `status` (replacing earlier ones).
pub(crate) fn tag_status(
    conn: &mut DbConn,
    core: &Core,
    status: &Status,
    names: &[String],
) -> CoreResult<()> {
    let mut ids = vec![];
    for name in names
        .iter()
        .filter_map(|n| text::tag_name(n))
        .take(MAX_TAGS)
    {
        ids.push(tags::find_or_create(conn, &name, core.next_id())?.id);
    }
    Ok(tags::set_for_status(conn, status.id, &ids)?)
}

pub(crate) fn tag_view(conn: &mut DbConn, tag: Tag, viewer: Option<i64>) -> CoreResult<TagView> {
    let today = db::now().date();
    let since = (today - chrono::Duration::days(6))
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default();
    let used = tags::daily_use(conn, tag.id, since)?;
    let history = (0..7)
        .map(|i| {
            let day = today - chrono::Duration::days(i);
            used.iter()
                .find(|(d, _, _)| *d == day)
                .copied()
                .unwrap_or((day, 0, 0))
        })
        .collect();
    let following = match viewer {
        Some(me) => Some(tags::followed_ids(conn, me)?.contains(&tag.id)),
        None => None,
    };
    Ok(TagView {
        tag,
        history,
        following,
    })
}

fn valid(name: &str) -> CoreResult<String> {
    text::tag_name(name).ok_or_else(|| CoreError::Invalid(format!("`{name}` is not a hashtag")))
}

impl Core {
    /// A hashtag by name (404 if nobody used or followed it yet).
    pub async fn tag(&self, viewer: Option<i64>, name: &str) -> CoreResult<TagView> {
        let name = text::tag_name(name).ok_or(CoreError::NotFound)?;
        self.read(move |conn, _| {
            let tag = found(tags::by_name(conn, &name)?)?;
            tag_view(conn, tag, viewer)
        })
        .await
    }

    /// Follow (`on`) or unfollow a hashtag.
    pub async fn follow_tag(&self, me: i64, name: &str, on: bool) -> CoreResult<TagView> {
        let name = valid(name)?;
        self.write(move |conn, core| {
            let tag = tags::find_or_create(conn, &name, core.next_id())?;
            if on {
                tags::follow(conn, core.next_id(), me, tag.id)?;
            } else {
                tags::unfollow(conn, me, tag.id)?;
            }
            tag_view(conn, tag, Some(me))
        })
        .await
    }

    /// The hashtags `me` follows: (cursor, tag), newest first.
    pub async fn followed_tags(&self, me: i64, page: Page) -> CoreResult<Vec<(i64, TagView)>> {
        self.read(move |conn, _| {
            let rows = tags::followed(conn, me, &page)?;
            rows.into_iter()
                .map(|(cursor, tag)| Ok((cursor, tag_view(conn, tag, Some(me))?)))
                .collect()
        })
        .await
    }

    /// Public statuses with hashtag `name` or any of `any`.
    pub async fn tag_timeline(
        &self,
        viewer: Option<i64>,
        name: &str,
        any: Vec<String>,
        local: Option<bool>,
        page: Page,
    ) -> CoreResult<Vec<StatusView>> {
        let mut names: Vec<String> = vec![text::tag_name(name).ok_or(CoreError::NotFound)?];
        names.extend(any.iter().filter_map(|n| text::tag_name(n)));
        self.read(move |conn, _| {
            let mut ids = vec![];
            for n in &names {
                ids.extend(tags::by_name(conn, n)?.map(|t| t.id));
            }
            if ids.is_empty() {
                return Ok(vec![]);
            }
            let hidden = hidden::hidden_for_viewer(conn, viewer)?;
            let list = db::timelines::tagged(conn, &ids, local, &hidden, &page)?;
            let views = views::status_views(conn, list, viewer)?;
            crate::core::hidden::apply_for(conn, viewer, "public", views)
        })
        .await
    }

    /// The hashtags an account features, with how much it used them.
    pub async fn featured_tags(&self, account_id: i64) -> CoreResult<Vec<FeaturedTag>> {
        self.read(move |conn, _| featured(conn, account_id)).await
    }

    /// Feature a hashtag on one's profile.
    pub async fn feature_tag(&self, me: i64, name: &str) -> CoreResult<FeaturedTag> {
        let name = valid(name)?;
        self.write(move |conn, core| {
            if tags::featured(conn, me)?.len() >= 10 {
                return Err(CoreError::Invalid(
                    "Validation failed: you can feature at most 10 hashtags".into(),
                ));
            }
            let tag = tags::find_or_create(conn, &name, core.next_id())?;
            let id = tags::feature(conn, core.next_id(), me, tag.id)?;
            found(featured(conn, me)?.into_iter().find(|f| f.id == id))
        })
        .await
    }

    pub async fn unfeature_tag(&self, me: i64, id: i64) -> CoreResult<()> {
        self.write(move |conn, _| match tags::unfeature(conn, me, id)? {
            true => Ok(()),
            false => Err(CoreError::NotFound),
        })
        .await
    }

    /// The hashtags `me` used most, to suggest featuring them.
    pub async fn featured_tag_suggestions(&self, me: i64) -> CoreResult<Vec<TagView>> {
        self.read(move |conn, _| {
            let list = tags::most_used_by(conn, me, 10)?;
            list.into_iter()
                .map(|t| tag_view(conn, t, Some(me)))
                .collect()
        })
        .await
    }
}

fn featured(conn: &mut DbConn, account_id: i64) -> CoreResult<Vec<FeaturedTag>> {
    tags::featured(conn, account_id)?
        .into_iter()
        .map(|(id, tag)| {
            let (statuses_count, last_status_at) = tags::account_use(conn, account_id, tag.id)?;
            Ok(FeaturedTag {
                id,
                tag,
                statuses_count,
                last_status_at,
            })
        })
        .collect()
}
