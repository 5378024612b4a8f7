-- The hashes stay hashes: apps registered before the revert must register again.
ALTER TABLE oauth_apps RENAME COLUMN client_secret_hash TO client_secret;
