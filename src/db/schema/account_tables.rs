//! Tables of the accounts domain (`core/accounts`): people, local users,
//! follows, blocks, mutes, domain blocks and dismissed follow suggestions.

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
    suggestion_dismissals (account_id, target_account_id) {
        account_id -> BigInt,
        target_account_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Counts shown beside an account, kept by triggers (see the migration).
    account_stats (account_id) {
        account_id -> BigInt,
        statuses_count -> BigInt,
        last_status_at -> Nullable<Timestamp>,
        followers_count -> BigInt,
        following_count -> BigInt,
    }
}
