-- Announcements an admin posts to everyone on this server (shown by apps
-- at the top of the home timeline), who has read them and their reactions.
CREATE TABLE announcements (
    id BIGINT PRIMARY KEY,
    -- What the admin wrote (plain text) and the HTML apps show.
    text TEXT NOT NULL,
    content TEXT NOT NULL,
    starts_at TIMESTAMP,
    ends_at TIMESTAMP,
    all_day BOOLEAN NOT NULL,
    published_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE TABLE announcement_reads (
    announcement_id BIGINT NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (announcement_id, account_id)
);
CREATE TABLE announcement_reactions (
    announcement_id BIGINT NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- A Unicode emoji.
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (announcement_id, account_id, name)
);
-- Accounts a teacher asked not to be suggested again.
CREATE TABLE suggestion_dismissals (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, target_account_id)
);
