//! Accounts: creating teachers, logging in, finding people here and elsewhere,
//! and keeping what we know of remote actors.

use crate::core::{
    crypto,
    error::{CoreError, CoreResult},
    found, views, Core,
};
use crate::db::{self, accounts, accounts::Account, users, users::User};
use regex::Regex;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    User,
    Moderator,
    Admin,
}

impl Role {
    pub fn parse(s: &str) -> CoreResult<Role> {
        match s {
            "user" => Ok(Role::User),
            "moderator" => Ok(Role::Moderator),
            "admin" => Ok(Role::Admin),
            other => Err(CoreError::Invalid(format!(
                "unknown role `{other}` (expected user, moderator or admin)"
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Moderator => "moderator",
            Role::Admin => "admin",
        }
    }
}

/// Counts for NodeInfo and the instance endpoints.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub email: String,
    pub password: String,
    pub role: Role,
    /// False for a sign-up that waits for a moderator.
    pub approved: bool,
    /// Why they want to join (sign-ups in approval mode).
    pub reason: Option<String>,
}

/// An actor as another server describes it, already parsed from the wire.
static USERNAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z0-9_]{1,30}$").expect("regex"));

/// Names that would be confusing as handles on a district server.
const RESERVED: &[&str] = &[
    "admin",
    "administrator",
    "root",
    "staffroom",
    "support",
    "actor",
    "instance",
    "moderator",
];

/// Check and normalize a username (lowercase letters, digits, underscore).
pub fn normalize_username(raw: &str) -> CoreResult<String> {
    let name = raw.trim().trim_start_matches('@').to_lowercase();
    if !USERNAME.is_match(&name) {
        return Err(CoreError::Invalid(format!(
            "invalid username `{raw}`: use 1 to 30 letters, digits or underscores"
        )));
    }
    if RESERVED.contains(&name.as_str()) {
        return Err(CoreError::Invalid(format!(
            "the username `{name}` is reserved"
        )));
    }
    Ok(name)
}

fn check_email(email: &str) -> CoreResult<String> {
    let email = email.trim().to_string();
    let ok = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && email.split_once('@').is_some_and(|(l, d)| {
            !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.')
        });
    if ok {
        Ok(email)
    } else {
        Err(CoreError::Invalid(format!(
            "invalid e-mail address `{email}`"
        )))
    }
}

fn check_password(password: &str) -> CoreResult<()> {
    let n = password.chars().count();
    if !(8..=256).contains(&n) {
        return Err(CoreError::Invalid(
            "the password must have 8 to 256 characters".into(),
        ));
    }
    Ok(())
}

/// `user`, `@user`, `user@host` or `@user@host` as (username, host if remote).
pub fn parse_acct(acct: &str, local_domain: &str) -> CoreResult<(String, Option<String>)> {
    /// A username (at most 128 bytes elsewhere), `@` and a host name (253) with a port.
    const MAX_ACCT: usize = 400;
    let acct = acct.trim().trim_start_matches('@');
    if acct.len() > MAX_ACCT {
        return Err(CoreError::Invalid(format!(
            "an account handle has at most {MAX_ACCT} characters"
        )));
    }
    let (user, domain) = match acct.split_once('@') {
        Some((u, d)) => (u, Some(d.to_ascii_lowercase())),
        None => (acct, None),
    };
    if user.is_empty() || user.chars().any(|c| c.is_whitespace() || c == '/') {
        return Err(CoreError::Invalid(format!(
            "invalid account handle `{acct}`"
        )));
    }
    let domain = domain.filter(|d| !d.eq_ignore_ascii_case(local_domain));
    if domain
        .as_ref()
        .is_some_and(|d| d.is_empty() || d.contains(['/', '@', ' ']))
    {
        return Err(CoreError::Invalid(format!(
            "invalid account handle `{acct}`"
        )));
    }
    Ok((user.to_string(), domain))
}

/// The row of a new local account (a teacher's `Person` or a board's `Group`).
pub(crate) fn local_account_row(
    core: &Core,
    username: &str,
    actor_type: &str,
    public_key_pem: String,
    private_key_pem: String,
) -> Account {
    let now = db::now();
    let uris = core.uris();
    Account {
        id: core.next_id(),
        username: username.to_string(),
        domain: None,
        actor_type: actor_type.into(),
        display_name: String::new(),
        note: String::new(),
        ap_id: uris.actor(username),
        url: Some(uris.profile_page(username)),
        inbox_url: uris.inbox(username),
        shared_inbox_url: Some(uris.shared_inbox()),
        outbox_url: Some(uris.outbox(username)),
        followers_url: Some(uris.followers(username)),
        following_url: Some(uris.following(username)),
        public_key_pem,
        private_key_pem: Some(private_key_pem),
        locked: false,
        bot: false,
        discoverable: true,
        avatar_url: None,
        header_url: None,
        fields: "[]".into(),
        suspended_at: None,
        deleted_at: None,
        created_at: now,
        updated_at: now,
        last_fetched_at: None,
    }
}

/// A valid Argon2id hash (of nothing anyone knows), checked against when a
/// sign-in names no account, so that it takes as long as a wrong password.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0Jd0Pw4u9k4TNLf6bDvfkcJ8c6PD0G3VhnTNFRhRExg";

impl Core {
    /// A new local teacher account with its login.
    pub async fn create_user(&self, input: NewUser) -> CoreResult<(Account, User)> {
        let username = normalize_username(&input.username)?;
        let email = check_email(&input.email)?;
        check_password(&input.password)?;
        let password = input.password.clone();
        let (hash, (public_pem, private_pem)) = tokio::task::spawn_blocking(move || {
            Ok::<_, CoreError>((
                crypto::hash_password(&password)?,
                crypto::generate_keypair()?,
            ))
        })
        .await
        .map_err(|e| CoreError::Internal(e.to_string()))??;
        let role = input.role;
        self.write(move |conn, core| {
            if accounts::local_by_username(conn, &username)?.is_some() {
                return Err(CoreError::Invalid(format!(
                    "the username `{username}` is already taken"
                )));
            }
            if users::email_taken(conn, &email)? {
                return Err(CoreError::Invalid(format!(
                    "the e-mail address `{email}` is already in use"
                )));
            }
            let now = db::now();
            let account = local_account_row(core, &username, "Person", public_pem, private_pem);
            accounts::insert(conn, &account)?;
            let user = User {
                id: core.next_id(),
                account_id: account.id,
                email,
                password_hash: hash,
                role: role.as_str().into(),
                created_at: now,
                approved: input.approved,
                sign_up_reason: input.reason.clone(),
                default_visibility: "public".into(),
                default_sensitive: false,
                default_language: None,
            };
            users::insert(conn, &user)?;
            Ok((account, user))
        })
        .await
    }

    pub async fn users(&self) -> CoreResult<Vec<(User, Account)>> {
        self.read(|conn, _| Ok(users::list(conn)?)).await
    }

    /// Check a login (e-mail address or username) and password. The error
    /// does not say which of the two was wrong.
    pub async fn authenticate(&self, login: &str, password: &str) -> CoreResult<(User, Account)> {
        let login = login.to_string();
        let found = self
            .read(move |conn, _| Ok(users::by_login(conn, &login)?))
            .await?;
        let password = password.to_string();
        let (ok, found) = tokio::task::spawn_blocking(move || {
            // Hash even when there is no such user, so timing tells nothing.
            let hash = found
                .as_ref()
                .map_or(DUMMY_HASH, |(u, _)| u.password_hash.as_str());
            (crypto::verify_password(&password, hash), found)
        })
        .await
        .map_err(|e| CoreError::Internal(e.to_string()))?;
        match found {
            Some((user, _)) if ok && !user.approved => Err(CoreError::Forbidden(
                "Your login is currently pending approval".into(),
            )),
            Some((user, account))
                if ok && account.suspended_at.is_none() && account.deleted_at.is_none() =>
            {
                Ok((user, account))
            }
            other => {
                let why = match other {
                    None => "no such account",
                    Some(_) if !ok => "wrong password",
                    Some(_) => "account suspended or deleted",
                };
                tracing::info!("sign-in refused: {why}");
                Err(CoreError::Unauthorized(
                    "Invalid e-mail address or password".into(),
                ))
            }
        }
    }

    /// An account that exists and is not deleted.
    pub async fn account(&self, id: i64) -> CoreResult<Account> {
        self.read(move |conn, _| {
            let a = found(accounts::by_id(conn, id)?)?;
            if a.deleted_at.is_some() {
                return Err(CoreError::NotFound);
            }
            Ok(a)
        })
        .await
    }

    /// Any stored account (local or remote, even deleted) by its ActivityPub id.
    pub async fn account_by_ap_id(&self, ap_id: &str) -> CoreResult<Option<Account>> {
        let ap_id = ap_id.to_string();
        self.read(move |conn, _| Ok(accounts::by_ap_id(conn, &ap_id)?))
            .await
    }

    pub async fn account_view(&self, id: i64) -> CoreResult<views::AccountView> {
        let account = self.account(id).await?;
        self.read(move |conn, _| views::account_view(conn, account))
            .await
    }

    pub async fn local_account(&self, username: &str) -> CoreResult<Account> {
        let username = username.to_string();
        self.read(move |conn, _| {
            let a = found(accounts::local_by_username(conn, &username)?)?;
            if a.deleted_at.is_some() || a.suspended_at.is_some() {
                return Err(CoreError::NotFound);
            }
            Ok(a)
        })
        .await
    }

    /// An account by handle among those this server knows; no network.
    pub async fn lookup(&self, acct: &str) -> CoreResult<Account> {
        let (user, domain) = parse_acct(acct, &self.settings().domain)?;
        self.read(move |conn, _| {
            let a = match &domain {
                None => accounts::local_by_username(conn, &user)?,
                Some(d) => accounts::remote_by_username(conn, &user, d)?,
            };
            found(a.filter(|a| a.deleted_at.is_none()))
        })
        .await
    }

    /// Accounts whose handle starts with `q`.
    pub async fn search_accounts(
        &self,
        q: &str,
        limit: i64,
    ) -> CoreResult<Vec<views::AccountView>> {
        let q = q.trim().trim_start_matches('@').to_string();
        let (user, domain) = match q.split_once('@') {
            Some((u, d)) => (u.to_string(), Some(d.to_ascii_lowercase())),
            None => (q.clone(), None),
        };
        self.read(move |conn, _| {
            let mut found = accounts::search(conn, &user, limit * 4)?;
            if let Some(d) = domain {
                found.retain(|a| a.domain.as_deref().unwrap_or("").starts_with(&d));
            }
            found.truncate(limit as usize);
            views::account_views(conn, found)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SECURITY.md API 6 (no user enumeration by timing): the hash checked
    /// for unknown accounts is a real Argon2id hash with the cost of the
    /// stored ones, not one refused at once.
    #[test]
    fn unknown_accounts_cost_a_full_password_check() {
        let parsed = argon2::PasswordHash::new(DUMMY_HASH).expect("a valid hash");
        let real = crypto::hash_password("x").unwrap();
        let real = argon2::PasswordHash::new(&real).unwrap();
        assert_eq!(parsed.algorithm, real.algorithm);
        assert_eq!(parsed.params, real.params);
        assert_eq!(parsed.hash.map(|h| h.len()), real.hash.map(|h| h.len()));
    }

    #[test]
    fn usernames_are_checked_and_lowercased() {
        assert_eq!(normalize_username("Maria_3").unwrap(), "maria_3");
        assert!(normalize_username("ma ria").is_err());
        assert!(normalize_username("").is_err());
        assert!(normalize_username("a-b").is_err());
        assert!(normalize_username(&"x".repeat(31)).is_err());
        assert!(normalize_username("admin").is_err());
    }

    #[test]
    fn handles_parse_with_ports_and_local_domain() {
        assert_eq!(
            parse_acct("@bob@B.test:8002", "a.test:8001").unwrap(),
            ("bob".into(), Some("b.test:8002".into()))
        );
        assert_eq!(
            parse_acct("alice@a.test:8001", "a.test:8001").unwrap(),
            ("alice".into(), None)
        );
        assert_eq!(
            parse_acct("alice", "a.test").unwrap(),
            ("alice".into(), None)
        );
        assert!(parse_acct("@", "a.test").is_err());
        assert!(parse_acct("bob@", "a.test").is_err());
    }
}
