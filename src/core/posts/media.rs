//! Media: uploads (images, processed; PDFs kept as they are), their
//! descriptions and focal points, attaching them to statuses, other
//! servers' attachments (shown by URL, with a cached preview), and
//! tidying the file store.

use crate::core::{
    error::{CoreError, CoreResult},
    found,
    images::{self, Kind},
    stored_files, Core,
};
use crate::db::{
    self,
    accounts::Account,
    media::{self, Media},
    statuses::Status,
    DbConn,
};

/// At most this many attachments per status.
pub const MAX_ATTACHMENTS: usize = 4;
/// Longest description (alt text).
pub const DESCRIPTION_MAX_CHARS: usize = 1500;
/// Where cached previews of remote attachments live in the file store.
const CACHE_PREFIX: &str = "cache";
/// Largest remote image fetched for a preview.
const REMOTE_FETCH_MAX_BYTES: usize = 8 << 20;

/// What a person uploads.
#[derive(Debug, Clone, Default)]
pub struct Upload {
    pub bytes: Vec<u8>,
    pub description: Option<String>,
    /// Focal point, each coordinate from -1.0 to 1.0.
    pub focus: Option<(f64, f64)>,
}

/// An attachment as another server describes it.
#[derive(Debug, Clone)]
pub struct RemoteAttachment {
    pub url: String,
    pub media_type: Option<String>,
    pub description: Option<String>,
    pub blurhash: Option<String>,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub focus: Option<(f64, f64)>,
}

fn check_description(d: &Option<String>) -> CoreResult<()> {
    if d.as_ref()
        .is_some_and(|d| d.chars().count() > DESCRIPTION_MAX_CHARS)
    {
        return Err(CoreError::Invalid(format!(
            "Validation failed: descriptions have at most {DESCRIPTION_MAX_CHARS} characters"
        )));
    }
    Ok(())
}

fn check_focus(f: Option<(f64, f64)>) -> CoreResult<Option<(f64, f64)>> {
    match f {
        Some((x, y)) if !(-1.0..=1.0).contains(&x) || !(-1.0..=1.0).contains(&y) => Err(
            CoreError::Invalid("Validation failed: focus is two numbers from -1.0 to 1.0".into()),
        ),
        other => Ok(other),
    }
}

/// Attach `ids` (uploads of `owner` not attached elsewhere) to `status`, in order.
pub(crate) fn attach(
    conn: &mut DbConn,
    owner: i64,
    status: &Status,
    ids: &[i64],
) -> CoreResult<()> {
    if ids.len() > MAX_ATTACHMENTS {
        return Err(CoreError::Invalid(format!(
            "Validation failed: at most {MAX_ATTACHMENTS} attachments"
        )));
    }
    let found = media::many(conn, ids)?;
    media::detach_all(conn, status.id)?;
    for (position, id) in ids.iter().enumerate() {
        let mut m = found
            .iter()
            .find(|m| m.id == *id && m.account_id == owner)
            .filter(|m| m.status_id.is_none_or(|s| s == status.id))
            .cloned()
            .ok_or_else(|| {
                CoreError::Invalid(format!("Validation failed: no upload {id} to attach"))
            })?;
        m.status_id = Some(status.id);
        m.position = position as i32;
        media::update(conn, &m)?;
    }
    Ok(())
}

/// Replace the attachments of a remote status with what its server says.
pub(crate) fn store_remote(
    conn: &mut DbConn,
    core: &Core,
    status: &Status,
    attachments: &[RemoteAttachment],
) -> CoreResult<()> {
    let existing = media::of_statuses(conn, &[status.id])?;
    for (position, a) in attachments.iter().take(MAX_ATTACHMENTS * 2).enumerate() {
        let kind = match a.media_type.as_deref() {
            Some(t) if t.starts_with("image/") => "image",
            None => "image",
            _ => "unknown",
        };
        let mut m = existing
            .iter()
            .find(|m| m.remote_url.as_deref() == Some(a.url.as_str()))
            .cloned()
            .unwrap_or(Media {
                id: core.next_id(),
                account_id: status.account_id,
                status_id: Some(status.id),
                position: 0,
                kind: kind.into(),
                content_type: a.media_type.clone().unwrap_or_else(|| "image/jpeg".into()),
                file_key: None,
                preview_key: None,
                remote_url: Some(a.url.clone()),
                description: String::new(),
                focus_x: None,
                focus_y: None,
                width: None,
                height: None,
                preview_width: None,
                preview_height: None,
                blurhash: None,
                file_size: None,
                created_at: db::now(),
            });
        m.position = position as i32;
        m.description = crate::core::text::clean_label(
            a.description.as_deref().unwrap_or_default(),
            DESCRIPTION_MAX_CHARS,
        );
        m.blurhash = a.blurhash.clone().filter(|b| b.len() <= 100);
        m.width = a.width.filter(|w| *w > 0);
        m.height = a.height.filter(|h| *h > 0);
        (m.focus_x, m.focus_y) = check_focus(a.focus).ok().flatten().unzip();
        if existing.iter().any(|e| e.id == m.id) {
            media::update(conn, &m)?;
        } else {
            media::insert(conn, &m)?;
        }
    }
    for gone in existing.iter().filter(|e| {
        !attachments
            .iter()
            .any(|a| Some(a.url.as_str()) == e.remote_url.as_deref())
    }) {
        media::delete(conn, gone.id)?;
    }
    Ok(())
}

impl Core {
    /// Upload a file: an image (checked, scaled down, re-encoded, with a
    /// preview and blurhash) or a PDF (kept as it is).
    pub async fn upload_media(&self, me: &Account, upload: Upload) -> CoreResult<Media> {
        let limits = self.settings().media.clone();
        if upload.bytes.is_empty() {
            return Err(CoreError::Invalid(
                "Validation failed: File can't be blank".into(),
            ));
        }
        if upload.bytes.len() > limits.upload_max_bytes {
            return Err(CoreError::TooLarge(format!(
                "the file is larger than {} bytes",
                limits.upload_max_bytes
            )));
        }
        check_description(&upload.description)?;
        let focus = check_focus(upload.focus)?;
        let kind = Kind::sniff(&upload.bytes).ok_or_else(|| {
            CoreError::Invalid(
                "Validation failed: File content type is not supported (images and PDF files are)"
                    .into(),
            )
        })?;
        let id = self.next_id();
        let mut row = Media {
            id,
            account_id: me.id,
            status_id: None,
            position: 0,
            kind: if kind.is_image() { "image" } else { "unknown" }.into(),
            content_type: String::new(),
            file_key: None,
            preview_key: None,
            remote_url: None,
            description: upload.description.clone().unwrap_or_default(),
            focus_x: focus.map(|f| f.0),
            focus_y: focus.map(|f| f.1),
            width: None,
            height: None,
            preview_width: None,
            preview_height: None,
            blurhash: None,
            file_size: Some(upload.bytes.len() as i64),
            created_at: db::now(),
        };
        let files = self.files();
        if kind.is_image() {
            let bytes = upload.bytes;
            let processed = tokio::task::spawn_blocking(move || {
                images::process(&bytes, kind, limits.max_pixels)
            })
            .await
            .map_err(|e| CoreError::Internal(e.to_string()))??;
            let folder = stored_files::new_folder("media");
            let file_key = format!("{folder}/original.{}", processed.original.extension);
            let preview_key = format!("{folder}/small.{}", processed.preview.extension);
            files.put(&file_key, &processed.original.bytes)?;
            files.put(&preview_key, &processed.preview.bytes)?;
            row.content_type = processed.original.content_type.into();
            row.file_size = Some(processed.original.bytes.len() as i64);
            row.width = Some(processed.original.width as i32);
            row.height = Some(processed.original.height as i32);
            row.preview_width = Some(processed.preview.width as i32);
            row.preview_height = Some(processed.preview.height as i32);
            row.blurhash = Some(processed.blurhash);
            row.file_key = Some(file_key);
            row.preview_key = Some(preview_key);
        } else {
            let file_key = format!("{}/original.pdf", stored_files::new_folder("media"));
            files.put(&file_key, &upload.bytes)?;
            row.content_type = "application/pdf".into();
            row.file_key = Some(file_key);
        }
        let saved = row.clone();
        self.write(move |conn, _| Ok(media::insert(conn, &saved)?))
            .await?;
        Ok(row)
    }

    /// One of `me`'s uploads.
    pub async fn media(&self, me: i64, id: i64) -> CoreResult<Media> {
        self.read(move |conn, _| {
            found(media::get(conn, id)?.filter(|m| m.account_id == me && m.remote_url.is_none()))
        })
        .await
    }

    /// Change the description (alt text) or focal point of one's upload.
    pub async fn update_media(
        &self,
        me: i64,
        id: i64,
        description: Option<String>,
        focus: Option<(f64, f64)>,
    ) -> CoreResult<Media> {
        check_description(&description)?;
        let focus = check_focus(focus)?;
        self.write(move |conn, _| {
            let mut m = found(
                media::get(conn, id)?.filter(|m| m.account_id == me && m.remote_url.is_none()),
            )?;
            if let Some(d) = description {
                m.description = d;
            }
            if let Some((x, y)) = focus {
                (m.focus_x, m.focus_y) = (Some(x), Some(y));
            }
            media::update(conn, &m)?;
            Ok(m)
        })
        .await
    }

    /// Fetch and keep small previews of a remote status's images (off the
    /// request; failures leave the remote URL in use).
    pub fn cache_remote_previews_later(&self, status_id: i64) {
        let core = self.clone();
        tokio::spawn(async move {
            if let Err(e) = core.cache_remote_previews(status_id).await {
                tracing::debug!("previews of status {status_id}: {e}");
            }
        });
    }

    async fn cache_remote_previews(&self, status_id: i64) -> CoreResult<()> {
        let pending = self
            .read(move |conn, _| Ok(media::uncached_of_status(conn, status_id)?))
            .await?;
        if pending.is_empty() {
            return Ok(());
        }
        let max_pixels = self.settings().media.max_pixels;
        for mut m in pending.into_iter().filter(|m| m.kind == "image") {
            let Some(url) = m.remote_url.clone() else {
                continue;
            };
            let bytes = self
                .remote()
                .fetch_media(&url, REMOTE_FETCH_MAX_BYTES)
                .await?;
            let preview = tokio::task::spawn_blocking(move || images::preview(&bytes, max_pixels))
                .await
                .map_err(|e| CoreError::Internal(e.to_string()))??;
            let key = format!(
                "{}/small.{}",
                stored_files::new_folder(CACHE_PREFIX),
                preview.extension
            );
            self.files().put(&key, &preview.bytes)?;
            m.preview_key = Some(key);
            m.preview_width = Some(preview.width as i32);
            m.preview_height = Some(preview.height as i32);
            if m.width.is_none() {
                (m.width, m.height) = (Some(preview.width as i32), Some(preview.height as i32));
            }
            self.write(move |conn, _| Ok(media::update(conn, &m)?))
                .await?;
        }
        self.evict_previews().await
    }

    /// Keep the preview cache under its size limit, dropping the oldest.
    async fn evict_previews(&self) -> CoreResult<()> {
        let limit = self.settings().media.remote_cache_max_bytes;
        let cached = self.files().list(CACHE_PREFIX)?;
        let mut total: u64 = cached.iter().map(|(_, n)| n).sum();
        for (key, size) in cached {
            if total <= limit {
                break;
            }
            self.files().delete(&key)?;
            total -= size;
            let k = key.clone();
            self.write(move |conn, _| Ok(media::clear_preview(conn, &k)?))
                .await?;
        }
        Ok(())
    }

    /// Hourly: uploads never attached for a day go, and so do files whose
    /// attachment is gone (its status was deleted).
    pub async fn tidy_media(&self) -> CoreResult<()> {
        let stale = self
            .read(|conn, _| {
                Ok(media::unattached_before(
                    conn,
                    db::now() - chrono::Duration::days(1),
                )?)
            })
            .await?;
        for m in stale {
            let id = m.id;
            self.write(move |conn, _| Ok(media::delete(conn, id)?))
                .await?;
        }
        let files = self.files();
        for prefix in ["media", CACHE_PREFIX] {
            let listed: Vec<String> = files.list(prefix)?.into_iter().map(|(k, _)| k).collect();
            let keys = listed.clone();
            let known: std::collections::HashSet<String> = self
                .read(move |conn, _| Ok(media::known_keys(conn, &keys)?))
                .await?
                .into_iter()
                .collect();
            for key in listed.iter().filter(|k| !known.contains(*k)) {
                files.delete(key)?;
            }
        }
        self.evict_previews().await
    }
}
