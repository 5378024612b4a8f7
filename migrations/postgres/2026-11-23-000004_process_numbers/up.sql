-- Each app process takes a number from here for its id generator, so that
-- processes sharing this database never make the same id.
CREATE SEQUENCE staffroom_process_numbers;
