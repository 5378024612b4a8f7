-- A poll attached to a status (local, or a remote Question).
CREATE TABLE polls (
    id BIGINT PRIMARY KEY,
    status_id BIGINT NOT NULL UNIQUE REFERENCES statuses (id) ON DELETE CASCADE,
    -- JSON list of {"title": ..., "votes": n}; for local polls the votes are counted from poll_votes.
    options TEXT NOT NULL,
    multiple BOOLEAN NOT NULL,
    hide_totals BOOLEAN NOT NULL,
    expires_at TIMESTAMP,
    -- For remote polls, as their server reports it.
    voters_count BIGINT,
    -- Set once its end was handled (notifications sent, final Update).
    closed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX polls_expiry ON polls (expires_at);

-- Votes: of local accounts (in any poll), and of remote accounts in local polls.
CREATE TABLE poll_votes (
    id BIGINT PRIMARY KEY,
    poll_id BIGINT NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    choice INTEGER NOT NULL,
    -- The vote's Note id (remote votes, and ours once sent).
    ap_id TEXT UNIQUE,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX poll_votes_choice ON poll_votes (poll_id, account_id, choice);
