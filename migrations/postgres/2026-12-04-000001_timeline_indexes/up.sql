-- Indexes that yield timelines in id order, so that a page is an index walk:
-- the public timeline (public, not a reblog, newest first) and the people
-- who follow a hashtag (a public post with it reaches their home feeds).
CREATE INDEX statuses_public ON statuses (visibility, reblog_of_id, id);
CREATE INDEX tag_follows_tag ON tag_follows (tag_id);
