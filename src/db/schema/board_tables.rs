//! Tables of discussion boards (see the `boards` migration).

diesel::table! {
    boards (account_id) {
        account_id -> BigInt,
        kind -> Text,
        title -> Text,
        description_source -> Text,
        rules -> Text,
        subjects -> Text,
        grade_bands -> Text,
        posting_restricted_to_mods -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    board_moderators (board_id, account_id) {
        board_id -> BigInt,
        account_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    board_posts (status_id) {
        status_id -> BigInt,
        board_id -> BigInt,
        title -> Nullable<Text>,
        created_at -> Timestamp,
        locked -> Bool,
        thread_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    board_mod_log (id) {
        id -> BigInt,
        board_id -> BigInt,
        moderator_id -> BigInt,
        action -> Text,
        target_account_id -> Nullable<BigInt>,
        target_status_id -> Nullable<BigInt>,
        reason -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    board_bans (board_id, account_id) {
        board_id -> BigInt,
        account_id -> BigInt,
        reason -> Text,
        created_at -> Timestamp,
    }
}
