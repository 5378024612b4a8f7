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

CREATE FUNCTION account_stats_new_account() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO account_stats (account_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER account_stats_new_account AFTER INSERT ON accounts
FOR EACH ROW EXECUTE FUNCTION account_stats_new_account();

CREATE FUNCTION account_stats_status_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO account_stats (account_id, statuses_count, last_status_at)
    VALUES (NEW.account_id, 1, NEW.created_at)
    ON CONFLICT (account_id) DO UPDATE
    SET statuses_count = account_stats.statuses_count + 1,
        last_status_at = GREATEST(account_stats.last_status_at, EXCLUDED.last_status_at);
    RETURN NULL;
END $$;
CREATE TRIGGER account_stats_status_added AFTER INSERT ON statuses
FOR EACH ROW EXECUTE FUNCTION account_stats_status_added();

CREATE FUNCTION account_stats_status_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE account_stats SET statuses_count = statuses_count - 1
    WHERE account_id = OLD.account_id;
    UPDATE account_stats
    SET last_status_at = (SELECT max(created_at) FROM statuses WHERE account_id = OLD.account_id)
    WHERE account_id = OLD.account_id AND last_status_at = OLD.created_at;
    RETURN NULL;
END $$;
CREATE TRIGGER account_stats_status_removed AFTER DELETE ON statuses
FOR EACH ROW EXECUTE FUNCTION account_stats_status_removed();

CREATE FUNCTION account_stats_follow_counted(follower BIGINT, target BIGINT, delta BIGINT)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO account_stats (account_id, following_count) VALUES (follower, delta)
    ON CONFLICT (account_id) DO UPDATE
    SET following_count = account_stats.following_count + delta;
    INSERT INTO account_stats (account_id, followers_count) VALUES (target, delta)
    ON CONFLICT (account_id) DO UPDATE
    SET followers_count = account_stats.followers_count + delta;
END $$;

CREATE FUNCTION account_stats_follow_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.accepted THEN
        PERFORM account_stats_follow_counted(NEW.account_id, NEW.target_account_id, 1);
    ELSIF TG_OP = 'UPDATE' AND NEW.accepted AND NOT OLD.accepted THEN
        PERFORM account_stats_follow_counted(NEW.account_id, NEW.target_account_id, 1);
    ELSIF TG_OP = 'DELETE' AND OLD.accepted THEN
        UPDATE account_stats SET following_count = following_count - 1 WHERE account_id = OLD.account_id;
        UPDATE account_stats SET followers_count = followers_count - 1 WHERE account_id = OLD.target_account_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER account_stats_follow_changed AFTER INSERT OR UPDATE OF accepted OR DELETE ON follows
FOR EACH ROW EXECUTE FUNCTION account_stats_follow_changed();
