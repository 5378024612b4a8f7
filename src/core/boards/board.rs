//! Discussion boards (professional learning communities). A board is an
//! account of type `Group` with a row of its own: its kind, title,
//! description, rules, subjects, grade bands and moderators.
//!
//! - **federated**: public; anyone may follow (join) and post.
//! - **private**: joining needs a moderator's approval; its content goes to
//!   members only.
//! - **district**: only this server's teachers; never federated.

use crate::core::{
    accounts::people::{local_account_row, normalize_username},
    crypto,
    error::{CoreError, CoreResult},
    found, text,
    views::{self, StatusView},
    visibility::Visibility,
    Core,
};
use crate::db::{
    self,
    accounts::{self, Account},
    boards::{self as store, Board},
    DbConn,
};

/// Longest board title, in characters.
pub const TITLE_MAX_CHARS: usize = 100;
/// Longest description (Markdown), in characters.
pub const DESCRIPTION_MAX_CHARS: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoardKind {
    Federated,
    Private,
    District,
}

impl BoardKind {
    pub fn parse(s: &str) -> CoreResult<BoardKind> {
        match s {
            "federated" => Ok(BoardKind::Federated),
            "private" => Ok(BoardKind::Private),
            "district" => Ok(BoardKind::District),
            other => Err(CoreError::Invalid(format!(
                "invalid board kind `{other}`: use federated, private or district"
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            BoardKind::Federated => "federated",
            BoardKind::Private => "private",
            BoardKind::District => "district",
        }
    }
}

/// What the creator of a board says about it.
#[derive(Debug, Clone)]
pub struct NewBoard {
    pub name: String,
    pub title: String,
    pub description: String,
    pub kind: BoardKind,
    pub rules: Vec<String>,
    pub subjects: Vec<String>,
    pub grade_bands: Vec<String>,
    /// Usernames of local teachers.
    pub moderators: Vec<String>,
}

/// A board with its account and moderators.
#[derive(Debug, Clone)]
pub struct BoardView {
    pub board: Board,
    pub account: Account,
    pub moderators: Vec<Account>,
}

impl BoardView {
    pub fn kind(&self) -> BoardKind {
        BoardKind::parse(&self.board.kind).unwrap_or(BoardKind::District)
    }
}

fn list(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

impl BoardView {
    pub fn rules(&self) -> Vec<String> {
        list(&self.board.rules)
    }
    pub fn subjects(&self) -> Vec<String> {
        list(&self.board.subjects)
    }
    pub fn grade_bands(&self) -> Vec<String> {
        list(&self.board.grade_bands)
    }
}

pub(super) fn labels(items: &[String], what: &str) -> CoreResult<String> {
    let cleaned: Vec<String> = items
        .iter()
        .map(|s| text::clean_label(s, 500))
        .filter(|s| !s.is_empty())
        .collect();
    if cleaned.len() > 50 {
        return Err(CoreError::Invalid(format!("at most 50 {what}")));
    }
    serde_json::to_string(&cleaned).map_err(|e| CoreError::Internal(e.to_string()))
}

pub(crate) fn board_view(conn: &mut DbConn, account: Account) -> CoreResult<Option<BoardView>> {
    let Some(board) = store::get(conn, account.id)? else {
        return Ok(None);
    };
    let moderators = store::moderators(conn, account.id)?;
    Ok(Some(BoardView {
        board,
        account,
        moderators,
    }))
}

/// A board on another server as this server knows it: its actor (title,
/// description, whether joining needs approval) and the moderators its
/// collection lists.
pub(crate) fn remote_board_view(conn: &mut DbConn, account: Account) -> CoreResult<BoardView> {
    if account.is_local() || account.actor_type != "Group" {
        return Err(CoreError::NotFound);
    }
    let kind = if account.locked {
        BoardKind::Private
    } else {
        BoardKind::Federated
    };
    let board = Board {
        account_id: account.id,
        kind: kind.as_str().into(),
        title: account.display_name.clone(),
        description_source: String::new(),
        rules: "[]".into(),
        subjects: "[]".into(),
        grade_bands: "[]".into(),
        posting_restricted_to_mods: false,
        created_at: account.created_at,
    };
    let moderators = store::moderators(conn, account.id)?;
    Ok(BoardView {
        board,
        account,
        moderators,
    })
}

/// Whether `board` has a member (accepted follower) or a moderator known
/// here on the server `domain`.
fn has_member_on(conn: &mut DbConn, board: &Account, domain: &str) -> CoreResult<bool> {
    Ok(db::follows::has_follower_on_domain(conn, board.id, domain)?
        || store::moderators(conn, board.id)?
            .iter()
            .any(|m| m.domain.as_deref() == Some(domain)))
}

/// Whether `account` is a board that never leaves this server.
pub(crate) fn is_district_board(conn: &mut DbConn, account: &Account) -> CoreResult<bool> {
    if account.actor_type != "Group" || !account.is_local() {
        return Ok(false);
    }
    Ok(store::get(conn, account.id)?.is_some_and(|b| b.kind == BoardKind::District.as_str()))
}

impl Core {
    /// Create a board; its name is unique among teachers and boards.
    pub async fn create_board(&self, new: NewBoard) -> CoreResult<BoardView> {
        let name = normalize_username(&new.name)?;
        let title = text::clean_label(&new.title, TITLE_MAX_CHARS + 1);
        if title.is_empty() || title.chars().count() > TITLE_MAX_CHARS {
            return Err(CoreError::Invalid(format!(
                "a board needs a title of 1 to {TITLE_MAX_CHARS} characters"
            )));
        }
        if new.description.chars().count() > DESCRIPTION_MAX_CHARS {
            return Err(CoreError::TooLarge(format!(
                "a board description has at most {DESCRIPTION_MAX_CHARS} characters"
            )));
        }
        let rules = labels(&new.rules, "rules")?;
        let subjects = labels(&new.subjects, "subjects")?;
        let grade_bands = labels(&new.grade_bands, "grade bands")?;
        let (public_pem, private_pem) = tokio::task::spawn_blocking(crypto::generate_keypair)
            .await
            .map_err(|e| CoreError::Internal(e.to_string()))??;
        self.write(move |conn, core| {
            if accounts::local_by_username(conn, &name)?.is_some() {
                return Err(CoreError::Invalid(format!(
                    "the name `{name}` is already taken by a teacher or a board"
                )));
            }
            let mut moderators = vec![];
            for username in &new.moderators {
                let username = normalize_username(username)?;
                match accounts::local_by_username(conn, &username)? {
                    Some(a) if a.actor_type != "Group" => moderators.push(a),
                    _ => {
                        return Err(CoreError::Invalid(format!(
                            "moderator `{username}`: no such teacher on this server"
                        )))
                    }
                }
            }
            let mut account = local_account_row(core, &name, "Group", public_pem, private_pem);
            account.display_name = title.clone();
            account.note = text::render_markdown(&new.description);
            account.locked = new.kind != BoardKind::Federated;
            account.discoverable = new.kind == BoardKind::Federated;
            accounts::insert(conn, &account)?;
            let board = Board {
                account_id: account.id,
                kind: new.kind.as_str().into(),
                title,
                description_source: new.description.clone(),
                rules,
                subjects,
                grade_bands,
                posting_restricted_to_mods: false,
                created_at: db::now(),
            };
            store::insert(conn, &board)?;
            for m in &moderators {
                store::add_moderator(conn, account.id, m.id)?;
            }
            found(board_view(conn, account)?)
        })
        .await
    }

    /// Every board of this server, by name.
    pub async fn local_boards(&self) -> CoreResult<Vec<BoardView>> {
        self.read(|conn, _| {
            let mut out = vec![];
            for (board, account) in store::all(conn)? {
                let moderators = store::moderators(conn, account.id)?;
                out.push(BoardView {
                    board,
                    account,
                    moderators,
                });
            }
            Ok(out)
        })
        .await
    }

    /// The board of a local account, if it is one.
    pub async fn board_of(&self, account: Account) -> CoreResult<Option<BoardView>> {
        self.read(move |conn, _| board_view(conn, account)).await
    }

    /// Whether `id` is a members-only post of this server.
    pub async fn is_members_post(&self, id: i64) -> CoreResult<bool> {
        self.read(move |conn, _| {
            Ok(crate::db::statuses::by_id(conn, id)?
                .is_some_and(|s| s.local && Visibility::of(&s) == Visibility::Members))
        })
        .await
    }

    /// A members-only post of this server, for the server `domain` (that
    /// signed the request): only if its board has a member or moderator
    /// there. A board here knows its members; a board elsewhere is asked
    /// (its followers collection), unless a moderator known here is there.
    pub async fn members_status_for_server(&self, id: i64, domain: &str) -> CoreResult<StatusView> {
        let domain = domain.to_string();
        let (view, ask) = {
            let domain = domain.clone();
            self.read(move |conn, _| {
                let status = found(
                    crate::db::statuses::by_id(conn, id)?
                        .filter(|s| s.local && Visibility::of(s) == Visibility::Members),
                )?;
                let post = found(store::post(conn, status.id)?)?;
                let board = found(accounts::by_id(conn, post.board_id)?)?;
                if is_district_board(conn, &board)? {
                    return Err(CoreError::NotFound);
                }
                let known_there = board.domain.as_deref() == Some(domain.as_str())
                    || has_member_on(conn, &board, &domain)?;
                let ask = (!known_there).then_some(board);
                if ask.as_ref().is_some_and(Account::is_local) {
                    return Err(CoreError::NotFound);
                }
                Ok((views::status_view(conn, status, None)?, ask))
            })
            .await?
        };
        match ask {
            None => Ok(view),
            Some(board) if self.remote().board_has_member_on(&board, &domain).await? => Ok(view),
            Some(_) => Err(CoreError::NotFound),
        }
    }

    /// Whether `account` is a private board of this server, whose members
    /// only its members' servers may list.
    pub async fn is_private_board(&self, account: Account) -> CoreResult<bool> {
        self.read(move |conn, _| {
            Ok(account.is_local()
                && store::get(conn, account.id)?
                    .is_some_and(|b| b.kind == BoardKind::Private.as_str()))
        })
        .await
    }

    /// Whether the board `board` (here) has a member or moderator on the
    /// server `domain`.
    pub async fn has_member_on_server(&self, board: Account, domain: &str) -> CoreResult<bool> {
        let domain = domain.to_string();
        self.read(move |conn, _| has_member_on(conn, &board, &domain))
            .await
    }

    /// A local account other servers may see: not a district-only board.
    pub async fn federated_account(&self, username: &str) -> CoreResult<Account> {
        let account = self.local_account(username).await?;
        let checked = account.clone();
        let hidden = self
            .read(move |conn, _| is_district_board(conn, &checked))
            .await?;
        if hidden {
            return Err(CoreError::NotFound);
        }
        Ok(account)
    }
}
