//! Statuses other servers send: keeping them (created or edited) and
//! deleting them when their author does.

use crate::core::{
    error::{CoreError, CoreResult},
    events::{self, Event},
    notifications,
    posts::{
        conversations,
        interactions::retract_local_reblogs,
        media, polls,
        statuses::{record_edit, set_mentions},
        tags,
    },
    text,
    visibility::Visibility,
    Core,
};
use crate::db::{
    self,
    accounts::Account,
    statuses::{self, Status},
    tombstones, DbConn,
};
use chrono::NaiveDateTime;

/// A status as another server describes it, already parsed from the wire.
#[derive(Debug, Clone)]
pub struct RemoteStatus {
    pub ap_id: String,
    pub url: Option<String>,
    pub author: Account,
    pub in_reply_to: Option<String>,
    /// Unsanitized HTML.
    pub content: String,
    pub summary: Option<String>,
    pub sensitive: bool,
    pub language: Option<String>,
    pub visibility: Visibility,
    /// Accounts known here that the status mentions and addresses.
    pub mentioned: Vec<Account>,
    /// Its hashtags (from its `Hashtag` tags).
    pub tags: Vec<String>,
    /// Its poll, if it is a `Question`.
    pub poll: Option<polls::RemotePoll>,
    pub attachments: Vec<media::RemoteAttachment>,
    pub published: NaiveDateTime,
    pub updated: Option<NaiveDateTime>,
    /// The board it was posted in (its `audience`, a group).
    pub board: Option<Account>,
    /// A thread's title (a `Page`'s `name`).
    pub title: Option<String>,
}

impl Core {
    /// Keep a status another server sent or served (created or edited).
    /// Returns `None` when it was deleted before it arrived.
    pub async fn store_remote_status(&self, note: RemoteStatus) -> CoreResult<Option<Status>> {
        let with_media = !note.attachments.is_empty();
        // Cleaning the HTML is the costly part: done before the write
        // transaction, which then only stores.
        let text = tokio::task::spawn_blocking({
            let (content, summary, tags) = (
                note.content.clone(),
                note.summary.clone(),
                note.tags.clone(),
            );
            move || CleanText::of(&content, summary.as_deref(), tags)
        })
        .await
        .map_err(|e| CoreError::Internal(e.to_string()))?;
        let stored = self
            .write(move |conn, core| store_remote(conn, core, note, text))
            .await?;
        if let (true, Some(status)) = (with_media, &stored) {
            self.cache_remote_previews_later(status.id);
        }
        Ok(stored)
    }

    /// The author of a remote status deleted it.
    pub async fn delete_remote_status(&self, actor: &Account, ap_id: &str) -> CoreResult<()> {
        let (actor, ap_id) = (actor.clone(), ap_id.to_string());
        self.write(move |conn, core| {
            match statuses::by_ap_id(conn, &ap_id)? {
                Some(status) if status.account_id != actor.id => {
                    return Err(CoreError::Forbidden(
                        "only the author can delete a status".into(),
                    ));
                }
                Some(status) => {
                    core.board_hooks()
                        .relay_deletion(conn, core, &status, &actor)?;
                    forget(conn, core, &status)?
                }
                None => {}
            }
            // Also when unknown: a Create arriving after its Delete is then ignored.
            tombstones::insert(conn, &ap_id)?;
            Ok(())
        })
        .await
    }

    /// The server of a remote status says it is gone (410 when fetched).
    pub async fn forget_remote_status(&self, ap_id: &str) -> CoreResult<()> {
        let ap_id = ap_id.to_string();
        if self.uris().is_local(&ap_id) {
            return Ok(());
        }
        self.write(move |conn, core| {
            if let Some(status) = statuses::by_ap_id(conn, &ap_id)? {
                forget(conn, core, &status)?;
            }
            tombstones::insert(conn, &ap_id)?;
            Ok(())
        })
        .await
    }
}

/// Delete a remote status, withdrawing local reblogs of it from the
/// servers they were sent to.
fn forget(conn: &mut DbConn, core: &Core, status: &Status) -> CoreResult<()> {
    retract_local_reblogs(conn, core, status)?;
    super::removal::delete_status(conn, status)
}

/// A remote status's text as stored: its HTML cleaned, its summary as
/// plain text, and its hashtags (those tagged and those in the text).
struct CleanText {
    content: String,
    summary: String,
    tags: Vec<String>,
}

impl CleanText {
    fn of(content: &str, summary: Option<&str>, mut tags: Vec<String>) -> CleanText {
        let content = text::sanitize_html(content);
        tags.extend(text::hashtags(&text::html_to_text(&content)));
        CleanText {
            summary: summary.map(text::html_to_text).unwrap_or_default(),
            content,
            tags,
        }
    }
}

fn store_remote(
    conn: &mut DbConn,
    core: &Core,
    note: RemoteStatus,
    text: CleanText,
) -> CoreResult<Option<Status>> {
    if core.uris().is_local(&note.ap_id) {
        return Err(CoreError::Invalid(
            "a status cannot claim to live on this server".into(),
        ));
    }
    if tombstones::exists(conn, &note.ap_id)? {
        return Ok(None);
    }
    let parent = match &note.in_reply_to {
        Some(uri) => statuses::by_ap_id(conn, uri)?,
        None => None,
    };
    let now = db::now();
    let CleanText {
        content,
        summary,
        tags: names,
    } = text;
    let existing = statuses::by_ap_id(conn, &note.ap_id)?;
    let is_new = existing.is_none();
    // A locked board thread takes no new replies from other servers either.
    if let (true, Some(p)) = (is_new, &parent) {
        core.board_hooks()
            .refuse_if_locked(conn, p)
            .map_err(|_| CoreError::Forbidden("the thread this replies to is locked".into()))?;
    }
    let status = match existing {
        Some(existing) if existing.account_id != note.author.id => {
            return Err(CoreError::Forbidden(
                "only the author can change a status".into(),
            ));
        }
        Some(mut existing) => {
            let retitled = core
                .board_hooks()
                .retitle(conn, &existing, note.title.as_deref())?;
            let changed =
                retitled || existing.content != content || existing.spoiler_text != summary;
            if changed {
                record_edit(conn, core, &existing)?;
                events::emit(Event::StatusUpdated {
                    status_id: existing.id,
                });
            }
            existing.content = content;
            existing.spoiler_text = summary;
            existing.sensitive = note.sensitive;
            existing.language = note.language.clone();
            if changed {
                existing.edited_at = Some(note.updated.unwrap_or(now));
            }
            existing.updated_at = now;
            statuses::update(conn, &existing)?;
            if changed {
                core.board_hooks()
                    .relay_edit(conn, core, &existing, &note.author)?;
            }
            existing
        }
        None => {
            let status = Status {
                id: core.next_id(),
                ap_id: note.ap_id.clone(),
                url: note.url.clone(),
                account_id: note.author.id,
                local: false,
                in_reply_to_ap_id: note.in_reply_to.clone(),
                in_reply_to_id: parent.as_ref().map(|p| p.id),
                in_reply_to_account_id: parent.as_ref().map(|p| p.account_id),
                content,
                source_text: None,
                spoiler_text: summary,
                sensitive: note.sensitive,
                language: note.language.clone(),
                visibility: note.visibility.as_str().into(),
                created_at: note.published.min(now),
                edited_at: None,
                updated_at: now,
                reblog_of_id: None,
            };
            statuses::insert(conn, &status)?;
            statuses::adopt_orphans(conn, &status)?;
            events::emit(Event::StatusCreated {
                status_id: status.id,
            });
            notifications::notify_subscribers(conn, core, &status, &note.author)?;
            status
        }
    };
    set_mentions(conn, core, &status, &note.author, &note.mentioned)?;
    tags::tag_status(conn, core, &status, &names)?;
    if let Some(p) = note.poll.clone() {
        polls::store_remote(conn, core, &status, p)?;
    }
    media::store_remote(conn, core, &status, &note.attachments)?;
    if is_new {
        conversations::record_direct(conn, core, &status, &note.author, &note.mentioned)?;
        core.board_hooks().take_in_remote(
            conn,
            core,
            &status,
            &note.author,
            note.board.as_ref(),
            note.title.as_deref(),
            &note.mentioned,
        )?;
    }
    Ok(Some(status))
}
