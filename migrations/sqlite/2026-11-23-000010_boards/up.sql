-- Discussion boards (PLCs). A board is an account of type Group (so its
-- name is unique among teachers and boards, and it follows, is followed
-- and federates like one); this table holds what only boards have.
CREATE TABLE boards (
    account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    -- federated (public), private (members approved) or district (never federated).
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    -- The description as written (Markdown); its HTML is the account's note.
    description_source TEXT NOT NULL,
    -- JSON lists of strings.
    rules TEXT NOT NULL,
    subjects TEXT NOT NULL,
    grade_bands TEXT NOT NULL,
    posting_restricted_to_mods BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
-- Moderators of a board: local teachers or teachers on other servers.
CREATE TABLE board_moderators (
    board_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (board_id, account_id)
);
CREATE INDEX board_moderators_account ON board_moderators (account_id);
