-- PostgreSQL only (numbers for app processes sharing the database): one
-- process owns a SQLite database. Kept so both sets have the same versions.
SELECT 1;
