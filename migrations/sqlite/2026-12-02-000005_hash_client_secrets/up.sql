-- OAuth client secrets are kept as SHA-256 hashes (hex), as tokens are.
-- SQLite cannot compute SHA-256 in SQL: secrets stored before this
-- migration are hashed by `db::oauth::hash_plain_client_secrets`, which
-- runs right after the migrations at every start (`db::migrations::run`)
-- and rewrites every value that is not a 64-character hash.
ALTER TABLE oauth_apps RENAME COLUMN client_secret TO client_secret_hash;
