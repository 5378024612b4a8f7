-- Accounts a board's moderators banned: they may not post in the board
-- (kept for boards here and, as their servers announce them, elsewhere).
CREATE TABLE board_bans (
    board_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (board_id, account_id)
);
