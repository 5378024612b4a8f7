//! The Mastodon client API as apps use it: OAuth (authorization code with
//! PKCE through the sign-in page, password, client credentials, refresh,
//! revoke), scopes, request formats, errors, pagination, and the JSON of
//! every entity validated against the Mastodon OpenAPI description.
//!
//! `oauth`: the flows apps sign in with, and scopes; `entities_errors_pagination`:
//! the instance, request formats, errors, follows, paging, timelines, search.

mod entities_errors_pagination;
mod oauth;
