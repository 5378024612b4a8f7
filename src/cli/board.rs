//! `staffroom board create|list|add-moderator|remove-moderator`

use super::BoardCommand;
use crate::{
    config::Settings,
    core::boards::{BoardKind, NewBoard},
    server,
};

pub async fn run(command: BoardCommand, settings: Settings) -> Result<(), String> {
    let domain = settings.domain.clone();
    let core = server::build(settings)?.core;
    core.check_domain().await.map_err(|e| e.to_string())?;
    match command {
        BoardCommand::Create {
            name,
            title,
            kind,
            moderators,
            description,
            subjects,
            grade_bands,
            rules,
        } => {
            let kind = BoardKind::parse(&kind).map_err(|e| e.to_string())?;
            let board = core
                .create_board(NewBoard {
                    name,
                    title,
                    description,
                    kind,
                    rules,
                    subjects,
                    grade_bands,
                    moderators,
                })
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "Created board @{}@{domain} ({}, {}).",
                board.account.username, board.board.kind, board.board.title
            );
        }
        BoardCommand::AddModerator { board, account } => {
            let who = core
                .set_moderator(None, &board, &account, true)
                .await
                .map_err(|e| e.to_string())?;
            println!("@{} now moderates @{board}@{domain}.", acct(&who.account));
        }
        BoardCommand::RemoveModerator { board, account } => {
            let who = core
                .set_moderator(None, &board, &account, false)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "@{} no longer moderates @{board}@{domain}.",
                acct(&who.account)
            );
        }
        BoardCommand::List => {
            let boards = core.local_boards().await.map_err(|e| e.to_string())?;
            if boards.is_empty() {
                println!(
                    "No boards yet. Create one with: staffroom board create NAME --title TITLE"
                );
            }
            for b in boards {
                let moderators: Vec<String> = b.moderators.iter().map(acct).collect();
                println!(
                    "{:<24} {:<10} {:<40} {}",
                    b.account.username,
                    b.board.kind,
                    b.board.title,
                    moderators.join(",")
                );
            }
        }
    }
    Ok(())
}

/// `user` for a teacher here, `user@server` for one elsewhere.
fn acct(a: &crate::db::accounts::Account) -> String {
    match &a.domain {
        Some(d) => format!("{}@{d}", a.username),
        None => a.username.clone(),
    }
}
