//! Statuses: posting, editing and deleting them, reading threads, and
//! keeping the statuses other servers send.

use crate::core::{
    board_hooks::NewThread,
    error::{CoreError, CoreResult},
    events::{self, Event},
    found, notifications,
    ports::Outgoing,
    posts::{conversations, interactions, media, polls, tags},
    text::{self, Handle, MentionLink},
    views::{self, StatusView},
    visibility::{self, Visibility},
    Core,
};
use crate::db::{
    self, accounts,
    accounts::Account,
    idempotency,
    mentions::{self, Mention},
    status_edits,
    statuses::{self, Status},
    tombstones, DbConn,
};
use chrono::NaiveDateTime;

/// At most this many mentions are resolved and linked in one status.
const MAX_MENTIONS: usize = 50;

#[derive(Debug, Clone, Default)]
pub struct NewStatus {
    pub text: String,
    pub visibility: Option<Visibility>,
    pub in_reply_to_id: Option<i64>,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub language: Option<String>,
    /// The client's `Idempotency-Key`: posting again with the same key gives
    /// back the first status instead of a second one.
    pub idempotency_key: Option<String>,
    pub poll: Option<polls::NewPoll>,
    /// Uploads to attach, in order (the text may then be empty).
    pub media_ids: Vec<i64>,
    /// A new thread in a board: the text is its Markdown body.
    pub thread: Option<NewThread>,
}

#[derive(Debug, Clone, Default)]
pub struct StatusEdit {
    pub text: String,
    pub spoiler_text: Option<String>,
    pub sensitive: Option<bool>,
    pub language: Option<String>,
    /// A changed poll replaces the old one (its votes start over).
    pub poll: Option<polls::NewPoll>,
    /// The attachments afterwards, in order (`None` keeps them).
    pub media_ids: Option<Vec<i64>>,
}

fn blank_text() -> CoreError {
    CoreError::Invalid("Validation failed: Text can't be blank".into())
}

fn check_text(core: &Core, text: &str, spoiler: &str, language: Option<&str>) -> CoreResult<()> {
    let max = core.settings().limits.status_max_chars;
    if text.chars().count() + spoiler.chars().count() > max {
        return Err(CoreError::Invalid(format!(
            "Validation failed: Text character limit of {max} exceeded"
        )));
    }
    if let Some(lang) = language {
        text::check_language(lang)?;
    }
    Ok(())
}

/// A language code like `en` or `pt-BR`.
fn mention_links(resolved: &[(Handle, Account)]) -> Vec<MentionLink> {
    resolved
        .iter()
        .map(|(handle, account)| MentionLink {
            handle: handle.clone(),
            href: account.url.clone().unwrap_or_else(|| account.ap_id.clone()),
        })
        .collect()
}

fn unique_accounts(resolved: &[(Handle, Account)]) -> Vec<Account> {
    let mut out: Vec<Account> = resolved.iter().map(|(_, a)| a.clone()).collect();
    out.sort_by_key(|a| a.id);
    out.dedup_by_key(|a| a.id);
    out
}

/// Replace the mentions of a status, notifying the newly mentioned local accounts.
pub(crate) fn set_mentions(
    conn: &mut DbConn,
    core: &Core,
    status: &Status,
    author: &Account,
    mentioned: &[Account],
) -> CoreResult<()> {
    let before: Vec<i64> = mentions::for_statuses(conn, &[status.id])?
        .into_iter()
        .map(|(_, a)| a.id)
        .collect();
    mentions::delete_for_status(conn, status.id)?;
    for account in mentioned {
        mentions::insert(
            conn,
            &Mention {
                id: core.next_id(),
                status_id: status.id,
                account_id: account.id,
            },
        )?;
        if !before.contains(&account.id) {
            notifications::notify(conn, core, account, author, "mention", Some(status.id))?;
        }
    }
    Ok(())
}

/// Keep the version of `before` that an edit is about to replace, and tell
/// the local accounts that reblogged it (Mastodon's `update` notification).
pub(crate) fn record_edit(conn: &mut DbConn, core: &Core, before: &Status) -> CoreResult<()> {
    status_edits::insert(
        conn,
        &status_edits::StatusEdit {
            id: core.next_id(),
            status_id: before.id,
            content: before.content.clone(),
            spoiler_text: before.spoiler_text.clone(),
            sensitive: before.sensitive,
            created_at: before.edited_at.unwrap_or(before.created_at),
        },
    )?;
    let author = found(accounts::by_id(conn, before.account_id)?)?;
    for booster in statuses::rebloggers(conn, before.id)? {
        notifications::notify(conn, core, &booster, &author, "update", Some(before.id))?;
    }
    Ok(())
}

/// One version of a status, for its edit history.
#[derive(Debug, Clone)]
pub struct StatusVersion {
    pub content: String,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub created_at: NaiveDateTime,
}

fn parent_author(conn: &mut DbConn, status: &Status) -> CoreResult<Option<Account>> {
    match status.in_reply_to_account_id {
        Some(id) => Ok(accounts::by_id(conn, id)?),
        None => Ok(None),
    }
}

fn mentioned_accounts(conn: &mut DbConn, status_id: i64) -> CoreResult<Vec<Account>> {
    Ok(mentions::for_statuses(conn, &[status_id])?
        .into_iter()
        .map(|(_, a)| a)
        .collect())
}

impl Core {
    /// Resolve the `@handles` typed in `text` (asking other servers when needed);
    /// handles that cannot be resolved stay plain text.
    async fn resolve_mentions(&self, text: &str) -> Vec<(Handle, Account)> {
        let mut out = vec![];
        for handle in text::handles(text).into_iter().take(MAX_MENTIONS) {
            let acct = match &handle.domain {
                Some(d) => format!("{}@{}", handle.username, d),
                None => handle.username.clone(),
            };
            match self.resolve(&acct).await {
                Ok(account) => out.push((handle, account)),
                Err(e) => tracing::debug!("mention @{acct} not resolved: {e}"),
            }
        }
        out
    }

    /// A local account posts a status; it is stored, its mentions notified and
    /// its delivery queued in one transaction.
    pub async fn post_status(&self, author: &Account, input: NewStatus) -> CoreResult<StatusView> {
        check_text(
            self,
            &input.text,
            &input.spoiler_text,
            input.language.as_deref(),
        )?;
        if let Some(p) = &input.poll {
            polls::check_new_poll(p)?;
        }
        if input.text.trim().is_empty() && input.media_ids.is_empty() {
            return Err(blank_text());
        }
        let key = input.idempotency_key.clone().filter(|k| !k.is_empty());
        if let Some(key) = &key {
            if key.len() > 256 {
                return Err(CoreError::Invalid("the Idempotency-Key is too long".into()));
            }
        }
        let resolved = self.resolve_mentions(&input.text).await;
        let author = author.clone();
        self.write(move |conn, core| {
            if let Some(key) = &key {
                if let Some(done) = idempotency::status_for(conn, author.id, key)? {
                    if let Some(status) = statuses::by_id(conn, done)? {
                        return views::status_view(conn, status, Some(author.id));
                    }
                }
            }
            let parent = match input.in_reply_to_id {
                Some(pid) => Some(found(statuses::visible(conn, pid, Some(author.id))?)?),
                None => None,
            };
            if let Some(p) = &parent {
                core.board_hooks().refuse_if_locked(conn, p)?;
            }
            // In a members-only or district-only board, a post stays among members.
            let board_visibility = core.board_hooks().visibility_in_board(
                conn,
                input.thread.as_ref(),
                parent.as_ref(),
            )?;
            let id = core.next_id();
            let now = db::now();
            let mentioned = unique_accounts(&resolved);
            let prefs = found(db::users::by_account(conn, author.id)?)?;
            let status = Status {
                id,
                ap_id: core.uris().status(&author.username, id),
                url: Some(core.uris().status_page(&author.username, id)),
                account_id: author.id,
                local: true,
                in_reply_to_ap_id: parent.as_ref().map(|p| p.ap_id.clone()),
                in_reply_to_id: parent.as_ref().map(|p| p.id),
                in_reply_to_account_id: parent.as_ref().map(|p| p.account_id),
                content: match &input.thread {
                    Some(_) => text::render_markdown(&input.text),
                    None => text::render_plain(
                        &input.text,
                        &mention_links(&resolved),
                        core.uris().base(),
                    ),
                },
                source_text: Some(input.text.clone()),
                sensitive: input.sensitive || !input.spoiler_text.is_empty(),
                spoiler_text: input.spoiler_text.clone(),
                language: input.language.clone().or(prefs.default_language),
                visibility: board_visibility
                    .or(input.visibility)
                    .or_else(|| Visibility::parse(&prefs.default_visibility).ok())
                    .unwrap_or(Visibility::Public)
                    .as_str()
                    .into(),
                created_at: now,
                edited_at: None,
                updated_at: now,
                reblog_of_id: None,
            };
            statuses::insert(conn, &status)?;
            if let Some(key) = &key {
                idempotency::insert(conn, author.id, key, status.id)?;
            }
            notifications::notify_subscribers(conn, core, &status, &author)?;
            events::emit(Event::StatusCreated {
                status_id: status.id,
            });
            set_mentions(conn, core, &status, &author, &mentioned)?;
            tags::tag_status(conn, core, &status, &text::hashtags(&input.text))?;
            if let Some(p) = input.poll.clone() {
                polls::create(conn, core, &status, p)?;
            }
            if !input.media_ids.is_empty() {
                media::attach(conn, author.id, &status, &input.media_ids)?;
            }
            conversations::record_direct(conn, core, &status, &author, &mentioned)?;
            // Boards first: where a members-only post goes depends on its board.
            core.board_hooks().take_in_local(
                conn,
                core,
                &status,
                &author,
                input.thread.as_ref(),
                parent.as_ref(),
                &mentioned,
            )?;
            let parent_author = parent_author(conn, &status)?;
            let recipients = visibility::status_recipients(
                conn,
                &status,
                &author,
                &mentioned,
                parent_author.as_ref(),
            )?;
            core.outbound().enqueue(
                conn,
                Outgoing::CreateStatus {
                    status: &status,
                    author: &author,
                },
                &recipients,
            )?;
            views::status_view(conn, status, Some(author.id))
        })
        .await
    }

    /// The author changes the text of a status; everyone who got it before or
    /// is mentioned now gets the new version.
    pub async fn edit_status(
        &self,
        author: &Account,
        id: i64,
        edit: StatusEdit,
    ) -> CoreResult<StatusView> {
        let spoiler = edit.spoiler_text.clone().unwrap_or_default();
        check_text(self, &edit.text, &spoiler, edit.language.as_deref())?;
        if let Some(p) = &edit.poll {
            polls::check_new_poll(p)?;
        }
        let resolved = self.resolve_mentions(&edit.text).await;
        let author = author.clone();
        self.write(move |conn, core| {
            let mut status = found(
                statuses::by_id(conn, id)?.filter(|s| s.account_id == author.id && !s.is_reblog()),
            )?;
            record_edit(conn, core, &status)?;
            let before = mentioned_accounts(conn, id)?;
            let mentioned = unique_accounts(&resolved);
            let now = db::now();
            // A thread started with a title has a Markdown body.
            let titled = db::boards::post(conn, id)?.is_some_and(|p| p.title.is_some());
            status.content = if titled {
                text::render_markdown(&edit.text)
            } else {
                text::render_plain(&edit.text, &mention_links(&resolved), core.uris().base())
            };
            status.source_text = Some(edit.text.clone());
            if let Some(s) = edit.spoiler_text {
                status.spoiler_text = s;
            }
            if let Some(s) = edit.sensitive {
                status.sensitive = s;
            }
            status.sensitive |= !status.spoiler_text.is_empty();
            if edit.language.is_some() {
                status.language = edit.language;
            }
            status.edited_at = Some(now);
            status.updated_at = now;
            statuses::update(conn, &status)?;
            events::emit(Event::StatusUpdated {
                status_id: status.id,
            });
            set_mentions(conn, core, &status, &author, &mentioned)?;
            tags::tag_status(conn, core, &status, &text::hashtags(&edit.text))?;
            if let Some(p) = edit.poll {
                polls::replace(conn, core, &status, p)?;
            }
            if let Some(ids) = &edit.media_ids {
                media::attach(conn, author.id, &status, ids)?;
            }
            if edit.text.trim().is_empty() && db::media::of_statuses(conn, &[status.id])?.is_empty()
            {
                return Err(blank_text());
            }
            let everyone: Vec<Account> = before.into_iter().chain(mentioned).collect();
            let parent_author = parent_author(conn, &status)?;
            let mut recipients = visibility::status_recipients(
                conn,
                &status,
                &author,
                &everyone,
                parent_author.as_ref(),
            )?;
            recipients.extend(visibility::board_members_of(conn, &status)?);
            core.outbound().enqueue(
                conn,
                Outgoing::UpdateStatus {
                    status: &status,
                    author: &author,
                },
                &recipients,
            )?;
            views::status_view(conn, status, Some(author.id))
        })
        .await
    }

    /// The author deletes a status; returns it as it was (apps offer "delete
    /// and redraft" from it).
    pub async fn delete_status(&self, author: &Account, id: i64) -> CoreResult<StatusView> {
        let author = author.clone();
        self.write(move |conn, core| {
            let status = found(
                statuses::by_id(conn, id)?.filter(|s| s.account_id == author.id && !s.is_reblog()),
            )?;
            let view = views::status_view(conn, status.clone(), Some(author.id))?;
            let mentioned = mentioned_accounts(conn, id)?;
            let parent_author = parent_author(conn, &status)?;
            let mut recipients = visibility::status_recipients(
                conn,
                &status,
                &author,
                &mentioned,
                parent_author.as_ref(),
            )?;
            recipients.extend(visibility::board_members_of(conn, &status)?);
            core.outbound().enqueue(
                conn,
                Outgoing::DeleteStatus {
                    status: &status,
                    author: &author,
                },
                &recipients,
            )?;
            interactions::retract_local_reblogs(conn, core, &status)?;
            tombstones::insert(conn, &status.ap_id)?;
            super::removal::delete_status(conn, &status)?;
            Ok(view)
        })
        .await
    }

    /// A status `viewer` may read; a hidden one is indistinguishable from a missing one.
    pub async fn status(&self, viewer: Option<i64>, id: i64) -> CoreResult<StatusView> {
        self.read(move |conn, _| {
            let status = found(statuses::visible(conn, id, viewer)?)?;
            views::status_view(conn, status, viewer)
        })
        .await
    }

    /// Every version of a status `viewer` may read, oldest first (the last is
    /// the current one).
    pub async fn status_history(
        &self,
        viewer: Option<i64>,
        id: i64,
    ) -> CoreResult<(StatusView, Vec<StatusVersion>)> {
        self.read(move |conn, _| {
            let status = found(statuses::visible(conn, id, viewer)?.filter(|s| !s.is_reblog()))?;
            let mut versions: Vec<StatusVersion> = status_edits::of_status(conn, id)?
                .into_iter()
                .map(|e| StatusVersion {
                    content: e.content,
                    spoiler_text: e.spoiler_text,
                    sensitive: e.sensitive,
                    created_at: e.created_at,
                })
                .collect();
            versions.push(StatusVersion {
                content: status.content.clone(),
                spoiler_text: status.spoiler_text.clone(),
                sensitive: status.sensitive,
                created_at: status.edited_at.unwrap_or(status.created_at),
            });
            Ok((views::status_view(conn, status, viewer)?, versions))
        })
        .await
    }

    /// The source of one's own status, for editing it.
    pub async fn status_source(&self, me: i64, id: i64) -> CoreResult<StatusView> {
        self.read(move |conn, _| {
            let status =
                found(statuses::by_id(conn, id)?.filter(|s| s.account_id == me && !s.is_reblog()))?;
            views::status_view(conn, status, Some(me))
        })
        .await
    }

    /// Whether an object id was deleted.
    pub async fn is_tombstoned(&self, ap_id: &str) -> CoreResult<bool> {
        let ap_id = ap_id.to_string();
        self.read(move |conn, _| Ok(tombstones::exists(conn, &ap_id)?))
            .await
    }

    /// A stored status by its ActivityPub id (no visibility check: for federation).
    pub async fn status_by_ap_id(&self, ap_id: &str) -> CoreResult<Option<Status>> {
        let ap_id = ap_id.to_string();
        self.read(move |conn, _| Ok(statuses::by_ap_id(conn, &ap_id)?))
            .await
    }
}
