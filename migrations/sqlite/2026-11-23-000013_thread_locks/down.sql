ALTER TABLE board_posts DROP COLUMN locked;
