DROP INDEX board_posts_thread;
ALTER TABLE board_posts DROP COLUMN thread_id;
