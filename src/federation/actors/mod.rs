//! Actors: people (and any actor another server sends) and this server itself.

pub mod group;
pub mod instance;
pub mod person;
pub mod record;
