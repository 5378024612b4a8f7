DROP TABLE idempotency_keys;
DROP TABLE status_edits;
DROP TABLE pins;
DROP TABLE bookmarks;
DROP TABLE favourites;
DROP INDEX statuses_one_reblog_each;
DROP INDEX statuses_reblog_of;
ALTER TABLE statuses DROP COLUMN reblog_of_id;
