//! Every Mastodon API route, grouped as the documentation groups them.

use super::{
    accounts, announcements, apps, blocks, conversations, filters, follow_requests, instance,
    interactions::{self, act, Action},
    lists, markers, media, notification_groups as groups, notifications, polls, preferences,
    registrations, search, statuses, streaming, suggestions, tags, timelines, trends,
};
use actix_web::{
    web::{delete, get, patch, post, put},
    Scope,
};

/// Add the routes under `/api` to `scope`.
pub fn api(scope: Scope) -> Scope {
    let scope = instance_and_apps(scope);
    let scope = accounts(scope);
    let scope = statuses(scope);
    let scope = timelines(scope);
    let scope = filters(scope);
    notifications_and_streaming(scope)
}

fn filters(scope: Scope) -> Scope {
    scope
        .route("/v2/filters", get().to(filters::index))
        .route("/v2/filters", post().to(filters::create))
        .route("/v2/filters/keywords/{id}", get().to(filters::get_keyword))
        .route(
            "/v2/filters/keywords/{id}",
            put().to(filters::update_keyword),
        )
        .route(
            "/v2/filters/keywords/{id}",
            delete().to(filters::delete_keyword),
        )
        .route("/v2/filters/statuses/{id}", get().to(filters::get_status))
        .route(
            "/v2/filters/statuses/{id}",
            delete().to(filters::delete_status),
        )
        .route("/v2/filters/{id}", get().to(filters::get))
        .route("/v2/filters/{id}", put().to(filters::update))
        .route("/v2/filters/{id}", delete().to(filters::delete))
        .route("/v2/filters/{id}/keywords", get().to(filters::keywords))
        .route("/v2/filters/{id}/keywords", post().to(filters::add_keyword))
        .route("/v2/filters/{id}/statuses", get().to(filters::statuses))
        .route("/v2/filters/{id}/statuses", post().to(filters::add_status))
        .route("/v1/filters", get().to(filters::v1_index))
        .route("/v1/filters", post().to(filters::v1_create))
        .route("/v1/filters/{id}", get().to(filters::v1_get))
        .route("/v1/filters/{id}", put().to(filters::v1_update))
        .route("/v1/filters/{id}", delete().to(filters::v1_delete))
}

fn instance_and_apps(scope: Scope) -> Scope {
    scope
        .route("/v1/apps", post().to(apps::create))
        .route(
            "/v1/apps/verify_credentials",
            get().to(apps::verify_credentials),
        )
        .route("/v1/instance", get().to(instance::v1))
        .route("/v2/instance", get().to(instance::v2))
        .route("/v1/custom_emojis", get().to(instance::empty_list))
        .route("/v1/instance/rules", get().to(instance::rules))
        .route("/v1/instance/peers", get().to(instance::peers))
        .route("/v1/instance/activity", get().to(instance::activity))
        .route(
            "/v1/instance/extended_description",
            get().to(instance::extended_description),
        )
        .route("/v1/announcements", get().to(announcements::index))
        .route(
            "/v1/announcements/{id}/dismiss",
            post().to(announcements::dismiss),
        )
        .route(
            "/v1/announcements/{id}/reactions/{name}",
            put().to(announcements::add_reaction),
        )
        .route(
            "/v1/announcements/{id}/reactions/{name}",
            delete().to(announcements::remove_reaction),
        )
        .route("/v1/trends", get().to(trends::tags))
        .route("/v1/trends/tags", get().to(trends::tags))
        .route("/v1/trends/statuses", get().to(trends::statuses_trending))
        .route("/v1/trends/links", get().to(instance::empty_list))
        .route("/v1/preferences", get().to(preferences::get))
        .route("/v1/markers", get().to(markers::get))
        .route("/v1/markers", post().to(markers::save))
        .route("/v2/search", get().to(search::search))
}

fn accounts(scope: Scope) -> Scope {
    scope
        .route("/v1/accounts", post().to(registrations::register))
        .route(
            "/v1/accounts/verify_credentials",
            get().to(accounts::verify_credentials),
        )
        .route(
            "/v1/accounts/update_credentials",
            patch().to(accounts::update_credentials),
        )
        .route("/v1/accounts/lookup", get().to(accounts::lookup))
        .route(
            "/v1/accounts/relationships",
            get().to(accounts::relationships),
        )
        .route(
            "/v1/accounts/familiar_followers",
            get().to(suggestions::familiar_followers),
        )
        .route("/v1/accounts/{id}", get().to(accounts::get))
        .route("/v1/accounts/{id}/statuses", get().to(accounts::statuses))
        .route("/v1/accounts/{id}/followers", get().to(accounts::followers))
        .route("/v1/accounts/{id}/following", get().to(accounts::following))
        .route(
            "/v1/accounts/{id}/featured_tags",
            get().to(tags::of_account),
        )
        .route("/v1/accounts/{id}/lists", get().to(lists::containing))
        .route("/v1/accounts/{id}/follow", post().to(accounts::follow))
        .route("/v1/accounts/{id}/unfollow", post().to(accounts::unfollow))
        .route("/v1/accounts/{id}/block", post().to(blocks::block))
        .route("/v1/accounts/{id}/unblock", post().to(blocks::unblock))
        .route("/v1/accounts/{id}/mute", post().to(blocks::mute))
        .route("/v1/accounts/{id}/unmute", post().to(blocks::unmute))
        .route("/v1/blocks", get().to(blocks::blocks))
        .route("/v1/mutes", get().to(blocks::mutes))
        .route("/v1/domain_blocks", get().to(blocks::domain_blocks))
        .route("/v1/domain_blocks", post().to(blocks::block_domain))
        .route("/v1/domain_blocks", delete().to(blocks::unblock_domain))
        .route("/v1/follow_requests", get().to(follow_requests::list))
        .route(
            "/v1/follow_requests/{id}/authorize",
            post().to(follow_requests::authorize),
        )
        .route(
            "/v1/follow_requests/{id}/reject",
            post().to(follow_requests::reject),
        )
        .route("/v1/suggestions", get().to(suggestions::v1))
        .route("/v1/suggestions/{id}", delete().to(suggestions::dismiss))
        .route("/v2/suggestions", get().to(suggestions::v2))
        .route("/v1/follow_suggestions", get().to(suggestions::v2))
        .route("/v1/featured_tags", get().to(tags::featured))
        .route("/v1/featured_tags", post().to(tags::feature))
        .route("/v1/featured_tags/suggestions", get().to(tags::suggestions))
        .route("/v1/featured_tags/{id}", delete().to(tags::unfeature))
        .route("/v1/tags/{name}", get().to(tags::get))
        .route("/v1/tags/{name}/follow", post().to(tags::follow))
        .route("/v1/tags/{name}/unfollow", post().to(tags::unfollow))
        .route("/v1/followed_tags", get().to(tags::followed))
        .route("/v1/lists", get().to(lists::index))
        .route("/v1/lists", post().to(lists::create))
        .route("/v1/lists/{id}", get().to(lists::get))
        .route("/v1/lists/{id}", put().to(lists::update))
        .route("/v1/lists/{id}", delete().to(lists::delete))
        .route("/v1/lists/{id}/accounts", get().to(lists::members))
        .route("/v1/lists/{id}/accounts", post().to(lists::add_members))
        .route(
            "/v1/lists/{id}/accounts",
            delete().to(lists::remove_members),
        )
}

fn statuses(scope: Scope) -> Scope {
    scope
        .route("/v1/statuses", post().to(statuses::create))
        .route("/v1/statuses/{id}", get().to(statuses::get))
        .route("/v1/statuses/{id}", delete().to(statuses::delete))
        .route("/v1/statuses/{id}", put().to(statuses::edit))
        .route("/v1/statuses/{id}/context", get().to(statuses::context))
        .route("/v1/statuses/{id}/history", get().to(statuses::history))
        .route("/v1/statuses/{id}/source", get().to(statuses::source))
        .route(
            "/v1/statuses/{id}/favourited_by",
            get().to(interactions::favourited_by),
        )
        .route(
            "/v1/statuses/{id}/reblogged_by",
            get().to(interactions::reblogged_by),
        )
        .route(
            "/v1/statuses/{id}/favourite",
            post().to(act(Action::Favourite)),
        )
        .route(
            "/v1/statuses/{id}/unfavourite",
            post().to(act(Action::Unfavourite)),
        )
        .route("/v1/statuses/{id}/reblog", post().to(act(Action::Reblog)))
        .route(
            "/v1/statuses/{id}/unreblog",
            post().to(act(Action::Unreblog)),
        )
        .route(
            "/v1/statuses/{id}/bookmark",
            post().to(act(Action::Bookmark)),
        )
        .route(
            "/v1/statuses/{id}/unbookmark",
            post().to(act(Action::Unbookmark)),
        )
        .route("/v1/statuses/{id}/pin", post().to(act(Action::Pin)))
        .route("/v1/statuses/{id}/unpin", post().to(act(Action::Unpin)))
        .route("/v1/media", post().to(media::upload))
        .route("/v2/media", post().to(media::upload))
        .route("/v1/media/{id}", get().to(media::get))
        .route("/v1/media/{id}", put().to(media::update))
        .route("/v1/polls/{id}", get().to(polls::get))
        .route("/v1/polls/{id}/votes", post().to(polls::vote))
        .route("/v1/favourites", get().to(interactions::favourites))
        .route("/v1/bookmarks", get().to(interactions::bookmarks))
}

fn timelines(scope: Scope) -> Scope {
    scope
        .route("/v1/timelines/home", get().to(timelines::home))
        .route("/v1/timelines/public", get().to(timelines::public))
        .route("/v1/timelines/tag/{hashtag}", get().to(tags::timeline))
        .route("/v1/timelines/list/{id}", get().to(lists::timeline))
        .route("/v1/conversations", get().to(conversations::index))
        .route("/v1/conversations/{id}", delete().to(conversations::remove))
        .route(
            "/v1/conversations/{id}/read",
            post().to(conversations::read),
        )
}

fn notifications_and_streaming(scope: Scope) -> Scope {
    scope
        .route("/v1/notifications", get().to(notifications::list))
        .route("/v1/notifications/clear", post().to(notifications::clear))
        .route(
            "/v1/notifications/unread_count",
            get().to(notifications::unread_count),
        )
        .route("/v1/notifications/policy", get().to(groups::policy_v1))
        .route("/v1/notifications/requests", get().to(groups::requests))
        .route("/v1/notifications/{id}", get().to(notifications::get))
        .route(
            "/v1/notifications/{id}/dismiss",
            post().to(notifications::dismiss),
        )
        .route("/v2/notifications", get().to(groups::list))
        .route(
            "/v2/notifications/unread_count",
            get().to(groups::unread_count),
        )
        .route("/v2/notifications/policy", get().to(groups::policy_v2))
        .route("/v2/notifications/{key}", get().to(groups::get))
        .route(
            "/v2/notifications/{key}/accounts",
            get().to(groups::accounts),
        )
        .route(
            "/v2/notifications/{key}/dismiss",
            post().to(groups::dismiss),
        )
        .route("/v1/streaming", get().to(streaming::websocket))
        .route("/v1/streaming/health", get().to(streaming::health))
        .route(
            "/v1/streaming/{stream:.+}",
            get().to(streaming::server_sent_events),
        )
}
