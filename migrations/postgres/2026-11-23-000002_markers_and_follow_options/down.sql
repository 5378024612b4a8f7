DROP TABLE markers;
ALTER TABLE follows DROP COLUMN show_reblogs;
ALTER TABLE follows DROP COLUMN notify;
