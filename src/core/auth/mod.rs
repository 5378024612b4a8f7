//! Who is calling: OAuth 2 apps and tokens, and the scopes they carry.
//!
//! - `oauth`: app registration (`register_app`), authorization codes with
//!   PKCE (`issue_code`, `exchange_code`), the password, client-credentials
//!   and refresh grants, revoking, and resolving a bearer token to its
//!   [`Caller`] (`caller`).
//! - `scopes`: Mastodon's scopes and what each allows ([`Scopes`]).

pub mod oauth;
pub mod scopes;

pub use oauth::{AppRegistration, Caller, IssuedToken, RegisteredApp, OOB};
pub use scopes::Scopes;
