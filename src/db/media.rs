//! Media attachments.

use super::{schema::media_attachments as media, DbConn};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = media, treat_none_as_null = true)]
pub struct Media {
    pub id: i64,
    pub account_id: i64,
    pub status_id: Option<i64>,
    pub position: i32,
    /// `image` or `unknown`.
    pub kind: String,
    pub content_type: String,
    pub file_key: Option<String>,
    pub preview_key: Option<String>,
    pub remote_url: Option<String>,
    pub description: String,
    pub focus_x: Option<f64>,
    pub focus_y: Option<f64>,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub preview_width: Option<i32>,
    pub preview_height: Option<i32>,
    pub blurhash: Option<String>,
    pub file_size: Option<i64>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, m: &Media) -> QueryResult<()> {
    diesel::insert_into(media::table)
        .values(m)
        .execute(conn)
        .map(|_| ())
}

pub fn update(conn: &mut DbConn, m: &Media) -> QueryResult<()> {
    diesel::update(media::table.find(m.id))
        .set(m)
        .execute(conn)
        .map(|_| ())
}

pub fn get(conn: &mut DbConn, id: i64) -> QueryResult<Option<Media>> {
    media::table
        .find(id)
        .select(Media::as_select())
        .first(conn)
        .optional()
}

pub fn many(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Media>> {
    media::table
        .filter(media::id.eq_any(ids))
        .select(Media::as_select())
        .load(conn)
}

/// The attachments of each of `status_ids`, in order.
pub fn of_statuses(conn: &mut DbConn, status_ids: &[i64]) -> QueryResult<Vec<Media>> {
    media::table
        .filter(media::status_id.eq_any(status_ids))
        .order((media::status_id, media::position))
        .select(Media::as_select())
        .load(conn)
}

/// Detach every attachment of a status (before attaching the new list).
pub fn detach_all(conn: &mut DbConn, status_id: i64) -> QueryResult<()> {
    diesel::update(media::table.filter(media::status_id.eq(status_id)))
        .set(media::status_id.eq(None::<i64>))
        .execute(conn)
        .map(|_| ())
}

pub fn delete(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::delete(media::table.find(id))
        .execute(conn)
        .map(|_| ())
}

/// Uploads never attached to a status, older than `before`.
pub fn unattached_before(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<Vec<Media>> {
    media::table
        .filter(media::status_id.is_null())
        .filter(media::created_at.lt(before))
        .select(Media::as_select())
        .limit(1000)
        .load(conn)
}

/// Remote attachments whose preview has not been cached yet.
pub fn uncached_of_status(conn: &mut DbConn, status_id: i64) -> QueryResult<Vec<Media>> {
    media::table
        .filter(media::status_id.eq(status_id))
        .filter(media::remote_url.is_not_null())
        .filter(media::preview_key.is_null())
        .select(Media::as_select())
        .load(conn)
}

/// Forget a cached preview (it was evicted from the cache).
pub fn clear_preview(conn: &mut DbConn, preview_key: &str) -> QueryResult<()> {
    diesel::update(media::table.filter(media::preview_key.eq(preview_key)))
        .set(media::preview_key.eq(None::<String>))
        .execute(conn)
        .map(|_| ())
}

/// The attachment whose file or preview is stored under `key`.
pub fn by_key(conn: &mut DbConn, key: &str) -> QueryResult<Option<Media>> {
    media::table
        .filter(media::file_key.eq(key).or(media::preview_key.eq(key)))
        .select(Media::as_select())
        .first(conn)
        .optional()
}

/// Those of `keys` that an attachment names as its file or preview.
pub fn known_keys(conn: &mut DbConn, keys: &[String]) -> QueryResult<Vec<String>> {
    let mut known = vec![];
    for chunk in keys.chunks(500) {
        let rows: Vec<(Option<String>, Option<String>)> = media::table
            .filter(
                media::file_key
                    .eq_any(chunk)
                    .or(media::preview_key.eq_any(chunk)),
            )
            .select((media::file_key, media::preview_key))
            .load(conn)?;
        known.extend(rows.into_iter().flat_map(|(f, p)| [f, p]).flatten());
    }
    Ok(known)
}
