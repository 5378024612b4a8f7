DROP INDEX received_activities_object;
ALTER TABLE received_activities DROP COLUMN body;
ALTER TABLE received_activities DROP COLUMN kind;
ALTER TABLE received_activities DROP COLUMN object_id;
