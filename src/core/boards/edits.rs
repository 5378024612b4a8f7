//! Editing a board: its title, description, rules, subjects, grade bands,
//! whether only moderators start threads, its icon and banner. Its
//! moderators (here or elsewhere) and this server's admins may; members'
//! servers get the new `Group` (`Update`), and the mod log a line.

use crate::core::{
    boards::{
        board::{board_view, labels, BoardView, DESCRIPTION_MAX_CHARS, TITLE_MAX_CHARS},
        moderation::{log, moderated},
    },
    error::{CoreError, CoreResult},
    found,
    ports::Outgoing,
    text, visibility, Core,
};
use crate::db::{self, accounts, boards as store};

pub const EDIT_BOARD: &str = "edit_board";

/// What changes; `None` leaves it as it is.
#[derive(Debug, Clone, Default)]
pub struct BoardEdit {
    pub title: Option<String>,
    /// Markdown.
    pub description: Option<String>,
    pub rules: Option<Vec<String>>,
    pub subjects: Option<Vec<String>>,
    pub grade_bands: Option<Vec<String>>,
    pub posting_restricted_to_mods: Option<bool>,
    /// Image files as uploaded.
    pub icon: Option<Vec<u8>>,
    pub banner: Option<Vec<u8>>,
}

impl Core {
    /// A moderator (or admin) edits board `name`.
    pub async fn edit_board(
        &self,
        me: &accounts::Account,
        name: &str,
        mut edit: BoardEdit,
    ) -> CoreResult<BoardView> {
        let (checker, board_name) = (me.clone(), name.to_string());
        let board = self
            .read(move |conn, _| moderated(conn, &board_name, &checker))
            .await?;
        let title = match &edit.title {
            Some(t) => {
                let t = text::clean_label(t, TITLE_MAX_CHARS + 1);
                if t.is_empty() || t.chars().count() > TITLE_MAX_CHARS {
                    return Err(CoreError::Invalid(format!(
                        "a board needs a title of 1 to {TITLE_MAX_CHARS} characters"
                    )));
                }
                Some(t)
            }
            None => None,
        };
        if edit
            .description
            .as_ref()
            .is_some_and(|d| d.chars().count() > DESCRIPTION_MAX_CHARS)
        {
            return Err(CoreError::TooLarge(format!(
                "a board description has at most {DESCRIPTION_MAX_CHARS} characters"
            )));
        }
        let rules = edit
            .rules
            .as_deref()
            .map(|r| labels(r, "rules"))
            .transpose()?;
        let subjects = edit
            .subjects
            .as_deref()
            .map(|r| labels(r, "subjects"))
            .transpose()?;
        let grade_bands = edit
            .grade_bands
            .as_deref()
            .map(|r| labels(r, "grade bands"))
            .transpose()?;
        let icon = match edit.icon.take() {
            Some(bytes) => Some(self.store_profile_image("avatar", bytes, 400, 400).await?),
            None => None,
        };
        let banner = match edit.banner.take() {
            Some(bytes) => Some(self.store_profile_image("header", bytes, 1500, 500).await?),
            None => None,
        };
        let me = me.clone();
        self.write(move |conn, core| {
            let mut account = found(accounts::by_id(conn, board.id)?)?;
            let mut row = found(store::get(conn, board.id)?)?;
            if let Some(t) = title {
                account.display_name = t.clone();
                row.title = t;
            }
            if let Some(d) = edit.description {
                account.note = text::render_markdown(&d);
                row.description_source = d;
            }
            row.rules = rules.unwrap_or(row.rules);
            row.subjects = subjects.unwrap_or(row.subjects);
            row.grade_bands = grade_bands.unwrap_or(row.grade_bands);
            if let Some(only_mods) = edit.posting_restricted_to_mods {
                row.posting_restricted_to_mods = only_mods;
            }
            crate::core::accounts::profiles::set_images(core, &mut account, icon, banner)?;
            account.updated_at = db::now();
            accounts::update(conn, &account)?;
            store::update(conn, &row)?;
            log(conn, core, &account, &me, EDIT_BOARD, (None, None), "")?;
            if !crate::core::boards::board::is_district_board(conn, &account)? {
                let recipients = visibility::profile_recipients(conn, &account)?;
                core.outbound().enqueue(
                    conn,
                    Outgoing::UpdateProfile { account: &account },
                    &recipients,
                )?;
            }
            found(board_view(conn, account)?)
        })
        .await
    }
}
