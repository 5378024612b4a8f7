-- What software each remote server runs, from its NodeInfo (`software.name`,
-- lowercased), so a board sends each member's server the relay form it
-- understands. `software` is NULL when the server's NodeInfo could not be
-- read (or names nothing); `checked_at` is when it was last asked.
CREATE TABLE host_software (
    host TEXT PRIMARY KEY,
    software TEXT,
    checked_at TIMESTAMP NOT NULL
);
