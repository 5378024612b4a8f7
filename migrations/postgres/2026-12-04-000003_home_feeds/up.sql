-- Home feeds (fan-out on write): for each local reader, the statuses that may
-- reach their home timeline, written as statuses, mentions, hashtags and
-- follows arrive. A feed holds every such status newer than the reader's
-- floor (home_feed_floors); a reader without a floor has their feed built
-- on their next read. Trimmed to the newest few hundred per reader.
CREATE TABLE home_feeds (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, status_id)
);
CREATE INDEX home_feeds_status ON home_feeds (status_id);

CREATE TABLE home_feed_floors (
    account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    floor_id BIGINT NOT NULL
);
