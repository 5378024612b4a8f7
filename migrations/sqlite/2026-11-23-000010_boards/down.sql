DROP TABLE board_moderators;
DROP TABLE boards;
