-- What a board's moderators did, for the board's moderators to read.
CREATE TABLE board_mod_log (
    id BIGINT PRIMARY KEY,
    board_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- Who acted (a moderator of the board, or an admin of this server).
    moderator_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- approve_member, reject_member, ...
    action TEXT NOT NULL,
    target_account_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    target_status_id BIGINT,
    reason TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX board_mod_log_board ON board_mod_log (board_id, id);
