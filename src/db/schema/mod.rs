//! The database schema, written by hand for both backends (ids are BigInt,
//! times are UTC `Timestamp`s). Keep the column order equal to the migrations.
//!
//! The tables live in one file per domain, as `core/` is split; every table is
//! re-exported here, so `crate::db::schema::<table>` names any of them. How
//! tables relate (`joinable!`, and which may appear in the same query) is
//! declared here, in one place.

mod account_tables;
mod admin_tables;
mod auth_tables;
mod board_tables;
mod federation_tables;
mod notification_tables;
mod post_tables;
mod timeline_tables;

pub use account_tables::*;
pub use admin_tables::*;
pub use auth_tables::*;
pub use board_tables::*;
pub use federation_tables::*;
pub use notification_tables::*;
pub use post_tables::*;
pub use timeline_tables::*;

diesel::joinable!(users -> accounts (account_id));
diesel::joinable!(statuses -> accounts (account_id));
diesel::joinable!(mentions -> statuses (status_id));
diesel::joinable!(deliveries -> outbox_activities (activity_id));
diesel::joinable!(oauth_tokens -> oauth_apps (app_id));
diesel::joinable!(boards -> accounts (account_id));

// Which tables may appear in one query (joins, subqueries). Each pair costs
// compile time (the impls grow with the square of the list), so a table is
// named only when queries join it: the tables below, and the boards' pairs
// after them. A table added in a domain file and joined goes here too.
diesel::allow_tables_to_appear_in_same_query!(
    // accounts
    accounts,
    users,
    follows,
    account_stats,
    blocks,
    mutes,
    account_domain_blocks,
    // posts
    statuses,
    mentions,
    status_edits,
    idempotency_keys,
    favourites,
    bookmarks,
    pins,
    polls,
    poll_votes,
    media_attachments,
    tags,
    status_tags,
    tag_follows,
    featured_tags,
    conversations,
    // timelines
    markers,
    home_feeds,
    lists,
    list_accounts,
    filters,
    filter_keywords,
    filter_statuses,
    // notifications
    notifications,
    // auth
    oauth_apps,
    oauth_codes,
    oauth_tokens,
    // federation bookkeeping
    outbox_activities,
    deliveries,
    federation_hosts,
    received_activities,
    tombstones,
    site_keys,
);

diesel::allow_tables_to_appear_in_same_query!(boards, accounts);
diesel::allow_tables_to_appear_in_same_query!(board_moderators, accounts);
diesel::allow_tables_to_appear_in_same_query!(board_posts, statuses);
diesel::allow_tables_to_appear_in_same_query!(board_posts, accounts);
// Who may read a board's members-only posts (`statuses::visible_to`).
diesel::allow_tables_to_appear_in_same_query!(board_posts, follows);
diesel::allow_tables_to_appear_in_same_query!(board_posts, board_moderators);
diesel::allow_tables_to_appear_in_same_query!(board_posts, boards);
diesel::allow_tables_to_appear_in_same_query!(statuses, board_moderators);
diesel::allow_tables_to_appear_in_same_query!(statuses, boards);
diesel::allow_tables_to_appear_in_same_query!(board_posts, users);
diesel::allow_tables_to_appear_in_same_query!(boards, users);
