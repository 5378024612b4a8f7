ALTER TABLE users DROP COLUMN default_language;
ALTER TABLE users DROP COLUMN default_sensitive;
ALTER TABLE users DROP COLUMN default_visibility;
ALTER TABLE users DROP COLUMN sign_up_reason;
ALTER TABLE users DROP COLUMN approved;
DROP TABLE account_domain_blocks;
DROP TABLE mutes;
DROP TABLE blocks;
