-- What a client shows beside every author (posts, followers, following, last
-- post), kept up to date by triggers instead of counted per request over all
-- of an account's statuses and follows. The counts are those the queries
-- gave: every status (reblogs too); accepted follows only.
CREATE TABLE account_stats (
    account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    statuses_count BIGINT NOT NULL DEFAULT 0,
    last_status_at TIMESTAMP,
    followers_count BIGINT NOT NULL DEFAULT 0,
    following_count BIGINT NOT NULL DEFAULT 0
);

INSERT INTO account_stats (account_id, statuses_count, last_status_at, followers_count, following_count)
SELECT a.id,
       (SELECT count(*) FROM statuses s WHERE s.account_id = a.id),
       (SELECT max(s.created_at) FROM statuses s WHERE s.account_id = a.id),
       (SELECT count(*) FROM follows f WHERE f.target_account_id = a.id AND f.accepted),
       (SELECT count(*) FROM follows f WHERE f.account_id = a.id AND f.accepted)
FROM accounts a;

CREATE TRIGGER account_stats_new_account AFTER INSERT ON accounts BEGIN
    INSERT OR IGNORE INTO account_stats (account_id) VALUES (NEW.id);
END;

CREATE TRIGGER account_stats_status_added AFTER INSERT ON statuses BEGIN
    INSERT OR IGNORE INTO account_stats (account_id) VALUES (NEW.account_id);
    UPDATE account_stats
    SET statuses_count = statuses_count + 1,
        last_status_at = CASE
            WHEN last_status_at IS NULL OR last_status_at < NEW.created_at THEN NEW.created_at
            ELSE last_status_at END
    WHERE account_id = NEW.account_id;
END;

CREATE TRIGGER account_stats_status_removed AFTER DELETE ON statuses BEGIN
    UPDATE account_stats SET statuses_count = statuses_count - 1
    WHERE account_id = OLD.account_id;
    UPDATE account_stats
    SET last_status_at = (SELECT max(created_at) FROM statuses WHERE account_id = OLD.account_id)
    WHERE account_id = OLD.account_id AND last_status_at = OLD.created_at;
END;

CREATE TRIGGER account_stats_follow_added AFTER INSERT ON follows WHEN NEW.accepted BEGIN
    INSERT OR IGNORE INTO account_stats (account_id) VALUES (NEW.account_id);
    INSERT OR IGNORE INTO account_stats (account_id) VALUES (NEW.target_account_id);
    UPDATE account_stats SET following_count = following_count + 1 WHERE account_id = NEW.account_id;
    UPDATE account_stats SET followers_count = followers_count + 1 WHERE account_id = NEW.target_account_id;
END;

CREATE TRIGGER account_stats_follow_accepted AFTER UPDATE OF accepted ON follows
WHEN NEW.accepted AND NOT OLD.accepted BEGIN
    INSERT OR IGNORE INTO account_stats (account_id) VALUES (NEW.account_id);
    INSERT OR IGNORE INTO account_stats (account_id) VALUES (NEW.target_account_id);
    UPDATE account_stats SET following_count = following_count + 1 WHERE account_id = NEW.account_id;
    UPDATE account_stats SET followers_count = followers_count + 1 WHERE account_id = NEW.target_account_id;
END;

CREATE TRIGGER account_stats_follow_removed AFTER DELETE ON follows WHEN OLD.accepted BEGIN
    UPDATE account_stats SET following_count = following_count - 1 WHERE account_id = OLD.account_id;
    UPDATE account_stats SET followers_count = followers_count - 1 WHERE account_id = OLD.target_account_id;
END;
