-- OAuth client secrets are kept as SHA-256 hashes (hex), as tokens are.
-- Existing secrets are hashed here; a secret is a 43-character random
-- string, a hash 64 hex digits, so running this again (after a revert)
-- hashes nothing twice. (`db::oauth::hash_plain_client_secrets`
-- does the same at every start, for SQLite, which has no SHA-256.)
ALTER TABLE oauth_apps RENAME COLUMN client_secret TO client_secret_hash;
UPDATE oauth_apps
SET client_secret_hash = encode(sha256(convert_to(client_secret_hash, 'UTF8')), 'hex')
WHERE client_secret_hash !~ '^[0-9a-f]{64}$';
