//! The database schema, written by hand for both backends (ids are BigInt,
//! times are UTC `Timestamp`s). Keep the column order equal to the migrations.

diesel::table! {
    accounts (id) {
        id -> BigInt,
        username -> Text,
        domain -> Nullable<Text>,
        actor_type -> Text,
        display_name -> Text,
        note -> Text,
        ap_id -> Text,
        url -> Nullable<Text>,
        inbox_url -> Text,
        shared_inbox_url -> Nullable<Text>,
        outbox_url -> Nullable<Text>,
        followers_url -> Nullable<Text>,
        following_url -> Nullable<Text>,
        public_key_pem -> Text,
        private_key_pem -> Nullable<Text>,
        locked -> Bool,
        bot -> Bool,
        discoverable -> Bool,
        avatar_url -> Nullable<Text>,
        header_url -> Nullable<Text>,
        fields -> Text,
        suspended_at -> Nullable<Timestamp>,
        deleted_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        last_fetched_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        account_id -> BigInt,
        email -> Text,
        password_hash -> Text,
        role -> Text,
        created_at -> Timestamp,
        approved -> Bool,
        sign_up_reason -> Nullable<Text>,
        default_visibility -> Text,
        default_sensitive -> Bool,
        default_language -> Nullable<Text>,
    }
}

diesel::table! {
    follows (id) {
        id -> BigInt,
        account_id -> BigInt,
        target_account_id -> BigInt,
        ap_id -> Nullable<Text>,
        accepted -> Bool,
        created_at -> Timestamp,
        notify -> Bool,
        show_reblogs -> Bool,
    }
}

diesel::table! {
    statuses (id) {
        id -> BigInt,
        ap_id -> Text,
        url -> Nullable<Text>,
        account_id -> BigInt,
        local -> Bool,
        in_reply_to_ap_id -> Nullable<Text>,
        in_reply_to_id -> Nullable<BigInt>,
        in_reply_to_account_id -> Nullable<BigInt>,
        content -> Text,
        source_text -> Nullable<Text>,
        spoiler_text -> Text,
        sensitive -> Bool,
        language -> Nullable<Text>,
        visibility -> Text,
        created_at -> Timestamp,
        edited_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
        reblog_of_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    mentions (id) {
        id -> BigInt,
        status_id -> BigInt,
        account_id -> BigInt,
    }
}

diesel::table! {
    notifications (id) {
        id -> BigInt,
        account_id -> BigInt,
        from_account_id -> BigInt,
        kind -> Text,
        status_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    tombstones (ap_id) {
        ap_id -> Text,
        deleted_at -> Timestamp,
    }
}

diesel::table! {
    oauth_apps (id) {
        id -> BigInt,
        name -> Text,
        website -> Nullable<Text>,
        redirect_uris -> Text,
        scopes -> Text,
        client_id -> Text,
        client_secret_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    oauth_codes (id) {
        id -> BigInt,
        code_hash -> Text,
        app_id -> BigInt,
        account_id -> BigInt,
        redirect_uri -> Text,
        scopes -> Text,
        code_challenge -> Nullable<Text>,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    oauth_tokens (id) {
        id -> BigInt,
        app_id -> BigInt,
        account_id -> Nullable<BigInt>,
        token_hash -> Text,
        refresh_token_hash -> Nullable<Text>,
        scopes -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    outbox_activities (id) {
        id -> BigInt,
        ap_id -> Text,
        actor_account_id -> Nullable<BigInt>,
        payload -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    deliveries (id) {
        id -> BigInt,
        activity_id -> BigInt,
        inbox_url -> Text,
        host -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        failed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    federation_hosts (host) {
        host -> Text,
        failing_since -> Nullable<Timestamp>,
        last_success_at -> Nullable<Timestamp>,
        last_failure_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    received_activities (ap_id) {
        ap_id -> Text,
        received_at -> Timestamp,
    }
}

diesel::table! {
    site_keys (id) {
        id -> Integer,
        public_key_pem -> Text,
        private_key_pem -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    favourites (id) {
        id -> BigInt,
        account_id -> BigInt,
        status_id -> BigInt,
        ap_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    bookmarks (id) {
        id -> BigInt,
        account_id -> BigInt,
        status_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    pins (id) {
        id -> BigInt,
        account_id -> BigInt,
        status_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    status_edits (id) {
        id -> BigInt,
        status_id -> BigInt,
        content -> Text,
        spoiler_text -> Text,
        sensitive -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (account_id, idempotency_key) {
        account_id -> BigInt,
        idempotency_key -> Text,
        status_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    markers (account_id, timeline) {
        account_id -> BigInt,
        timeline -> Text,
        last_read_id -> BigInt,
        version -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    blocks (id) {
        id -> BigInt,
        account_id -> BigInt,
        target_account_id -> BigInt,
        ap_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    mutes (id) {
        id -> BigInt,
        account_id -> BigInt,
        target_account_id -> BigInt,
        hide_notifications -> Bool,
        expires_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    account_domain_blocks (id) {
        id -> BigInt,
        account_id -> BigInt,
        domain -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    tags (id) {
        id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    status_tags (status_id, tag_id) {
        status_id -> BigInt,
        tag_id -> BigInt,
    }
}

diesel::table! {
    tag_follows (id) {
        id -> BigInt,
        account_id -> BigInt,
        tag_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    featured_tags (id) {
        id -> BigInt,
        account_id -> BigInt,
        tag_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    lists (id) {
        id -> BigInt,
        account_id -> BigInt,
        title -> Text,
        replies_policy -> Text,
        exclusive -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    list_accounts (list_id, account_id) {
        list_id -> BigInt,
        account_id -> BigInt,
    }
}

diesel::table! {
    conversations (id) {
        id -> BigInt,
        account_id -> BigInt,
        root_status_id -> BigInt,
        last_status_id -> BigInt,
        participant_ids -> Text,
        unread -> Bool,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    filters (id) {
        id -> BigInt,
        account_id -> BigInt,
        title -> Text,
        context -> Text,
        action -> Text,
        expires_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    filter_keywords (id) {
        id -> BigInt,
        filter_id -> BigInt,
        keyword -> Text,
        whole_word -> Bool,
    }
}

diesel::table! {
    filter_statuses (id) {
        id -> BigInt,
        filter_id -> BigInt,
        status_id -> BigInt,
    }
}

diesel::table! {
    polls (id) {
        id -> BigInt,
        status_id -> BigInt,
        options -> Text,
        multiple -> Bool,
        hide_totals -> Bool,
        expires_at -> Nullable<Timestamp>,
        voters_count -> Nullable<BigInt>,
        closed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    poll_votes (id) {
        id -> BigInt,
        poll_id -> BigInt,
        account_id -> BigInt,
        choice -> Integer,
        ap_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    media_attachments (id) {
        id -> BigInt,
        account_id -> BigInt,
        status_id -> Nullable<BigInt>,
        position -> Integer,
        kind -> Text,
        content_type -> Text,
        file_key -> Nullable<Text>,
        preview_key -> Nullable<Text>,
        remote_url -> Nullable<Text>,
        description -> Text,
        focus_x -> Nullable<Double>,
        focus_y -> Nullable<Double>,
        width -> Nullable<Integer>,
        height -> Nullable<Integer>,
        preview_width -> Nullable<Integer>,
        preview_height -> Nullable<Integer>,
        blurhash -> Nullable<Text>,
        file_size -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(users -> accounts (account_id));
diesel::joinable!(statuses -> accounts (account_id));
diesel::joinable!(mentions -> statuses (status_id));
diesel::joinable!(deliveries -> outbox_activities (activity_id));
diesel::joinable!(oauth_tokens -> oauth_apps (app_id));

diesel::allow_tables_to_appear_in_same_query!(
    accounts,
    users,
    follows,
    statuses,
    mentions,
    notifications,
    tombstones,
    oauth_apps,
    oauth_codes,
    oauth_tokens,
    outbox_activities,
    deliveries,
    federation_hosts,
    received_activities,
    site_keys,
    favourites,
    bookmarks,
    pins,
    status_edits,
    idempotency_keys,
    markers,
    blocks,
    mutes,
    account_domain_blocks,
    tags,
    status_tags,
    tag_follows,
    featured_tags,
    lists,
    list_accounts,
    conversations,
    filters,
    filter_keywords,
    filter_statuses,
    polls,
    poll_votes,
    media_attachments,
);

mod notices;
pub use notices::*;
mod board_tables;
pub use board_tables::*;
