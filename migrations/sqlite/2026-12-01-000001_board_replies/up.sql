-- Replies kept in a board (members-only and district-only boards): the
-- thread each belongs to. Thread starters have none.
ALTER TABLE board_posts ADD COLUMN thread_id BIGINT;
CREATE INDEX board_posts_thread ON board_posts (thread_id);
