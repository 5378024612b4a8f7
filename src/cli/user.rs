//! `staffroom user create|list|approve`

use super::UserCommand;
use crate::{
    config::Settings,
    core::accounts::{NewUser, Role},
    server,
};

pub async fn run(command: UserCommand, settings: Settings) -> Result<(), String> {
    let domain = settings.domain.clone();
    let core = server::build(settings)?.core;
    core.check_domain().await.map_err(|e| e.to_string())?;
    match command {
        UserCommand::Create {
            username,
            email,
            password,
            role,
        } => {
            let role = Role::parse(&role).map_err(|e| e.to_string())?;
            let (account, user) = core
                .create_user(NewUser {
                    username,
                    email,
                    password,
                    role,
                    approved: true,
                    reason: None,
                })
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "Created @{}@{domain} ({}, {}).",
                account.username, user.email, user.role
            );
            Ok(())
        }
        UserCommand::Approve { username } => {
            core.approve_user(&username)
                .await
                .map_err(|e| e.to_string())?;
            println!("@{username} can now sign in.");
            Ok(())
        }
        UserCommand::List => {
            let users = core.users().await.map_err(|e| e.to_string())?;
            if users.is_empty() {
                println!("No accounts yet. Create one with: staffroom user create NAME --email E --password P");
            }
            for (user, account) in users {
                let state = if account.suspended_at.is_some() {
                    " (suspended)"
                } else if !user.approved {
                    " (waiting for approval)"
                } else {
                    ""
                };
                println!(
                    "{:<24} {:<32} {:<9} {}{state}",
                    account.username, user.email, user.role, account.id
                );
            }
            Ok(())
        }
    }
}
