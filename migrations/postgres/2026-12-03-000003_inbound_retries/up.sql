-- Activities whose signature was verified but whose work needs a third
-- server that could not be reached (the post an Announce embeds, its
-- author): answered 202 and retried from here, like the outbound queue.
CREATE TABLE inbound_retries (
    id BIGINT PRIMARY KEY NOT NULL,
    ap_id TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX inbound_retries_due ON inbound_retries (next_attempt_at);
