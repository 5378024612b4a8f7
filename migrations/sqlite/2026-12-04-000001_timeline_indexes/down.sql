DROP INDEX tag_follows_tag;
DROP INDEX statuses_public;
