DROP TABLE board_mod_log;
