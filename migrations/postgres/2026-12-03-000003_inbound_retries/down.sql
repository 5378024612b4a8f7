DROP TABLE inbound_retries;
