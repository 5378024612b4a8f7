-- A board relays a member's activity as it arrived (FEP-1b12): the inbox
-- keeps the verified JSON of each Create, Update and Delete of a post for a
-- few days, found by the post's id.
ALTER TABLE received_activities ADD COLUMN object_id TEXT;
ALTER TABLE received_activities ADD COLUMN kind TEXT;
ALTER TABLE received_activities ADD COLUMN body TEXT;
CREATE INDEX received_activities_object ON received_activities (object_id, kind);
