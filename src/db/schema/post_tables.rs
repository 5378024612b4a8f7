//! Tables of the posts domain (`core/posts`): statuses with their mentions,
//! edits and idempotency keys, favourites, bookmarks and pins, polls, media,
//! tags, and conversations.

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
