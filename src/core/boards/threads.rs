//! Boards as teachers browse them: the directory (filtered by subject and
//! grade band), the boards one follows, a board's threads sorted newest,
//! active or top, and starting a thread with a title.

use crate::core::{
    board_hooks::NewThread,
    boards::board::{board_view, BoardKind, BoardView, NewBoard},
    error::{CoreError, CoreResult},
    found,
    posts::statuses::NewStatus,
    views::{self, AccountView, StatusView},
    visibility::Visibility,
    Core,
};
use crate::db::{
    self,
    accounts::{self, Account},
    boards as store, follows, users,
};
use chrono::NaiveDateTime;

/// Longest thread title, in characters.
pub const TITLE_MAX_CHARS: usize = 200;

/// How a board's threads are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadSort {
    /// Newest first.
    Newest,
    /// Latest reply (or start) first.
    Active,
    /// Most replies and favourites first, among threads of the last `days`.
    Top { days: i64 },
}

/// A thread as a list shows it.
#[derive(Debug, Clone)]
pub struct ThreadView {
    pub title: Option<String>,
    /// A locked thread takes no new replies.
    pub locked: bool,
    /// Pinned by the board's moderators (its `featured` collection).
    pub pinned: bool,
    pub status: StatusView,
    pub last_activity_at: NaiveDateTime,
}

/// A board in the directory, with its member and thread counts.
#[derive(Debug, Clone)]
pub struct BoardSummary {
    pub board: BoardView,
    pub members: i64,
    pub threads: i64,
    /// Whether the viewer is a member (follows it).
    pub member: bool,
}

fn summary(
    conn: &mut db::DbConn,
    board: BoardView,
    viewer: Option<i64>,
) -> CoreResult<BoardSummary> {
    let members = follows::counts(conn, &[board.account.id])?
        .first()
        .map_or(0, |(_, followers, _)| *followers);
    let threads = store::thread_count(conn, board.account.id)?;
    let member = match viewer {
        Some(me) => follows::followed_ids(conn, me)?.contains(&board.account.id),
        None => false,
    };
    Ok(BoardSummary {
        board,
        members,
        threads,
        member,
    })
}

impl Core {
    /// Create a board as `creator` (who becomes its moderator): admins and
    /// moderators may, and every teacher when `boards.teachers_may_create`.
    pub async fn create_board_as(
        &self,
        creator: &Account,
        mut new: NewBoard,
    ) -> CoreResult<BoardSummary> {
        let creator_id = creator.id;
        let role = self
            .read(move |conn, _| Ok(users::by_account(conn, creator_id)?.map(|u| u.role)))
            .await?
            .unwrap_or_default();
        if role != "admin" && role != "moderator" && !self.settings().boards.teachers_may_create {
            return Err(CoreError::Forbidden(
                "only admins and moderators may create boards on this server".into(),
            ));
        }
        if !new.moderators.contains(&creator.username) {
            new.moderators.insert(0, creator.username.clone());
        }
        let board = self.create_board(new).await?;
        self.read(move |conn, _| summary(conn, board, Some(creator_id)))
            .await
    }

    /// This server's boards a viewer may know of (district-only ones only
    /// for signed-in teachers), optionally of one subject and grade band.
    pub async fn board_directory(
        &self,
        viewer: Option<i64>,
        subject: Option<String>,
        grade_band: Option<String>,
    ) -> CoreResult<Vec<BoardSummary>> {
        let list = self.local_boards().await?;
        let matches = |wanted: &Option<String>, have: Vec<String>| {
            wanted
                .as_ref()
                .is_none_or(|w| have.iter().any(|h| h.eq_ignore_ascii_case(w.trim())))
        };
        let picked: Vec<BoardView> = list
            .into_iter()
            .filter(|b| viewer.is_some() || b.kind() != BoardKind::District)
            .filter(|b| matches(&subject, b.subjects()) && matches(&grade_band, b.grade_bands()))
            .collect();
        self.read(move |conn, _| {
            picked
                .into_iter()
                .map(|b| summary(conn, b, viewer))
                .collect()
        })
        .await
    }

    /// A board by name, as `viewer` may see it: here, or `name@server`
    /// (fetched from its server if need be; for signed-in viewers only).
    pub async fn board(&self, viewer: Option<i64>, name: &str) -> CoreResult<BoardSummary> {
        if name.contains('@') {
            let (_, domain) =
                crate::core::accounts::people::parse_acct(name, &self.settings().domain)?;
            if domain.is_some() && viewer.is_none() {
                // A lookup may fetch from the other server: never for anonymous callers.
                return Err(CoreError::Unauthorized(
                    "This method requires an authenticated user".into(),
                ));
            }
            let account = self.resolve(name).await?;
            if !account.is_local() {
                return self
                    .read(move |conn, _| {
                        let board = crate::core::boards::board::remote_board_view(conn, account)?;
                        summary(conn, board, viewer)
                    })
                    .await;
            }
            return Box::pin(self.board(viewer, &account.username)).await;
        }
        let account = self.local_account(name).await?;
        self.read(move |conn, _| {
            let board = found(board_view(conn, account)?)?;
            if viewer.is_none() && board.kind() == BoardKind::District {
                return Err(CoreError::NotFound);
            }
            summary(conn, board, viewer)
        })
        .await
    }

    /// The boards (here or on other servers) `me` is a member of.
    pub async fn followed_boards(&self, me: i64) -> CoreResult<Vec<AccountView>> {
        self.read(move |conn, _| {
            let ids = follows::followed_ids(conn, me)?;
            let groups: Vec<Account> = accounts::by_ids(conn, &ids)?
                .into_iter()
                .filter(|a| a.actor_type == "Group")
                .collect();
            views::account_views(conn, groups)
        })
        .await
    }

    /// The account of board `name` as `viewer` may see it: a board of this
    /// server, or `name@server`, a board elsewhere (as far as this server
    /// knows its threads).
    async fn board_id(&self, viewer: Option<i64>, name: &str) -> CoreResult<i64> {
        Ok(self.board(viewer, name).await?.board.account.id)
    }

    /// A board's threads, sorted, `limit` from `offset`.
    pub async fn board_threads(
        &self,
        viewer: Option<i64>,
        name: &str,
        sort: ThreadSort,
        offset: usize,
        limit: usize,
    ) -> CoreResult<Vec<ThreadView>> {
        let board_id = self.board_id(viewer, name).await?;
        self.read(move |conn, _| {
            let order = match sort {
                ThreadSort::Newest => store::ThreadOrder::Newest,
                ThreadSort::Active => store::ThreadOrder::Active,
                ThreadSort::Top { days } => {
                    store::ThreadOrder::Top(db::now() - chrono::Duration::days(days))
                }
            };
            let mut rows =
                store::thread_page(conn, board_id, viewer, order, offset as i64, limit as i64)?;
            let ids: Vec<i64> = rows.iter().map(|(s, _, _)| s.id).collect();
            let latest = store::latest_replies(conn, &ids)?;
            let pinned = db::pins::marked(conn, board_id, &ids)?;
            let views = views::status_views(
                conn,
                rows.iter().map(|(s, _, _)| s.clone()).collect(),
                viewer,
            )?;
            let out: Vec<ThreadView> = rows
                .drain(..)
                .filter_map(|(s, title, locked)| {
                    let status = views.iter().find(|v| v.status.id == s.id)?.clone();
                    Some(ThreadView {
                        title,
                        locked,
                        pinned: pinned.contains(&s.id),
                        last_activity_at: latest
                            .get(&s.id)
                            .copied()
                            .unwrap_or(s.created_at)
                            .max(s.created_at),
                        status,
                    })
                })
                .collect();
            Ok(out)
        })
        .await
    }

    /// Start a thread titled `title` with a Markdown `body` (and the
    /// uploads `media_ids` attached) in board `name`
    /// (of this server, or `name@server` for a board elsewhere).
    pub async fn create_thread(
        &self,
        author: &Account,
        name: &str,
        title: &str,
        body: &str,
        media_ids: Vec<i64>,
    ) -> CoreResult<ThreadView> {
        let title = crate::core::text::clean_label(title, TITLE_MAX_CHARS + 1);
        if title.is_empty() || title.chars().count() > TITLE_MAX_CHARS {
            return Err(CoreError::Invalid(format!(
                "Validation failed: a thread needs a title of 1 to {TITLE_MAX_CHARS} characters"
            )));
        }
        let board_id = self.board_id(Some(author.id), name).await?;
        let status = self
            .post_status(
                author,
                NewStatus {
                    text: body.to_string(),
                    visibility: Some(Visibility::Public),
                    in_reply_to_id: None,
                    spoiler_text: String::new(),
                    sensitive: false,
                    language: None,
                    idempotency_key: None,
                    poll: None,
                    media_ids,
                    thread: Some(NewThread {
                        board_id,
                        title: title.clone(),
                    }),
                },
            )
            .await?;
        Ok(ThreadView {
            title: Some(title),
            locked: false,
            pinned: false,
            last_activity_at: status.status.created_at,
            status,
        })
    }
}
