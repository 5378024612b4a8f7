//! Tables of the notifications domain (`core/notifications`).

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
