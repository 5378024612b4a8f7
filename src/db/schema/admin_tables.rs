//! Tables of the admin domain (`core/admin`): the server's announcements,
//! with who read them and their reactions.

diesel::table! {
    announcements (id) {
        id -> BigInt,
        text -> Text,
        content -> Text,
        starts_at -> Nullable<Timestamp>,
        ends_at -> Nullable<Timestamp>,
        all_day -> Bool,
        published_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    announcement_reads (announcement_id, account_id) {
        announcement_id -> BigInt,
        account_id -> BigInt,
    }
}

diesel::table! {
    announcement_reactions (announcement_id, account_id, name) {
        announcement_id -> BigInt,
        account_id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
    }
}
