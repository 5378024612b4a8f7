DROP TABLE board_posts;
