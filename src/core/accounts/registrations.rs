//! Signing up from an app (`POST /api/v1/accounts`), as the server's
//! registration mode allows: open, approval by a moderator, or closed.

use crate::core::{
    accounts::people::{NewUser, Role},
    auth::{oauth::IssuedToken, scopes::Scopes},
    error::{CoreError, CoreResult},
    found, notifications, Core,
};
use crate::{
    config::RegistrationMode,
    db::{accounts, oauth::App, users},
};

/// What a person fills in to sign up.
#[derive(Debug, Clone)]
pub struct Registration {
    pub username: String,
    pub email: String,
    pub password: String,
    /// They accepted the server's rules.
    pub agreement: bool,
    /// Why they want to join (shown to moderators in approval mode).
    pub reason: Option<String>,
}

impl Core {
    /// Create an account for a sign-up through `app` and sign it in. In
    /// approval mode the account waits (its token works once approved) and
    /// the moderators are notified.
    pub async fn register(
        &self,
        app: &App,
        scopes: Scopes,
        input: Registration,
    ) -> CoreResult<IssuedToken> {
        let mode = self.settings().instance.registrations;
        if mode == RegistrationMode::Closed {
            return Err(CoreError::Forbidden(
                "Registrations are closed on this server".into(),
            ));
        }
        if !input.agreement {
            return Err(CoreError::Invalid(
                "Validation failed: Agreement must be accepted".into(),
            ));
        }
        let reason = input
            .reason
            .map(|r| r.chars().take(1000).collect::<String>())
            .filter(|r| !r.trim().is_empty());
        let (account, _) = self
            .create_user(NewUser {
                username: input.username,
                email: input.email,
                password: input.password,
                role: Role::User,
                approved: mode == RegistrationMode::Open,
                reason,
            })
            .await?;
        if mode == RegistrationMode::Approval {
            let id = account.id;
            self.write(move |conn, core| {
                let newcomer = found(accounts::by_id(conn, id)?)?;
                for staff in users::staff(conn)? {
                    notifications::notify(conn, core, &staff, &newcomer, "admin.sign_up", None)?;
                }
                Ok(())
            })
            .await?;
        }
        self.sign_in_new_account(app, account.id, scopes).await
    }

    /// A moderator lets a waiting sign-up in (`staffroom user approve`).
    pub async fn approve_user(&self, username: &str) -> CoreResult<()> {
        let account = self.local_account(username).await?;
        self.write(move |conn, _| {
            let user = found(users::by_account(conn, account.id)?)?;
            Ok(users::set_approved(conn, user.id)?)
        })
        .await
    }
}
