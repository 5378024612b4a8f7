//! Federation bookkeeping: the outbound queue (activities and their
//! deliveries), the health of other servers, activities already received,
//! tombstones of deleted objects, the instance actor's keys, and what
//! software each remote server runs.

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
        object_id -> Nullable<Text>,
        kind -> Nullable<Text>,
        body -> Nullable<Text>,
    }
}

diesel::table! {
    tombstones (ap_id) {
        ap_id -> Text,
        deleted_at -> Timestamp,
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
    inbound_retries (id) {
        id -> BigInt,
        ap_id -> Text,
        body -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    host_software (host) {
        host -> Text,
        software -> Nullable<Text>,
        checked_at -> Timestamp,
    }
}
