-- Follow options: be notified of each new post; show the account's reblogs at home.
ALTER TABLE follows ADD COLUMN notify BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE follows ADD COLUMN show_reblogs BOOLEAN NOT NULL DEFAULT TRUE;

-- Where a person stopped reading a timeline (home, notifications), shared by their apps.
CREATE TABLE markers (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    timeline TEXT NOT NULL,
    last_read_id BIGINT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, timeline)
);
