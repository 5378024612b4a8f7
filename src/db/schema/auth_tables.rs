//! Tables of the auth domain (`core/auth`): OAuth apps, codes and tokens.

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
