//! The integration tests: one crate, so the rig (`common/`) and the server
//! library are compiled and linked once. Each module is one feature; tests
//! run in parallel, each with its own servers, ports and databases.

mod common;

mod accounts;
mod api_errors;
mod api_security;
mod bench;
mod blocks;
mod board_federation;
mod board_interop;
mod board_privacy;
mod board_relay_forms;
mod board_trust;
mod board_votes;
mod boards;
mod cli;
mod delivery_reliability;
mod discovery;
mod egress;
mod federation_spine;
mod fetching;
mod filters;
mod home_feeds;
mod inbox_retries;
mod inbox_security;
mod interactions;
mod lemmy_interop;
mod mastodon_api;
mod mastodon_clients;
mod media;
mod migrations;
mod notification_groups;
mod notifications;
mod oauth_security;
mod parsers;
mod polls;
mod rate_limits;
mod repository;
mod staffroom_api;
mod startup_endpoints;
mod streaming;
mod timelines;
mod token_scopes;
mod upkeep;
mod visibility;
