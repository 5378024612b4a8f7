//! auth

pub mod oauth;
pub mod scopes;
