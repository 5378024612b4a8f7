DROP TABLE home_feed_floors;
DROP TABLE home_feeds;
