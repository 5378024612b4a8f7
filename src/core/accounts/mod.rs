//! accounts

pub mod blocks;
pub mod follows;
pub mod people;
pub mod profiles;
pub mod registrations;
pub mod remote_accounts;
pub mod suggestions;
