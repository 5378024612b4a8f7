DROP TABLE conversations;
DROP TABLE list_accounts;
DROP TABLE lists;
DROP TABLE featured_tags;
DROP TABLE tag_follows;
DROP TABLE status_tags;
DROP TABLE tags;
