-- A locked thread takes no new replies (here or from other servers).
ALTER TABLE board_posts ADD COLUMN locked BOOLEAN NOT NULL DEFAULT FALSE;
