-- Posts a board took in: threads started in it (a post addressed to or
-- mentioning the board) and the board that carries them.
CREATE TABLE board_posts (
    status_id BIGINT PRIMARY KEY REFERENCES statuses (id) ON DELETE CASCADE,
    board_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- A thread's title (a `Page`'s `name`); none for posts from Mastodon.
    title TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX board_posts_board ON board_posts (board_id, status_id);
