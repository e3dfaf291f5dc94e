-- A command's message (topic and payload, ~600 bytes) is written once and never changes; its state (status,
-- publish_count, sent_at, acked_at, …) is updated at least once, to SENT, and again for each ack. In one row every
-- such update copied the payload too (the SENT update cannot be HOT: status is in the partial indexes' predicates), so
-- device_command held two copies of every message, and its VACUUM (500,000 dead rows over five indexes in the dispatch
-- bench) took the two cores from the intake for 7–8 s (docs/benchmarks.md). The message moves to a table of its own
-- that is only ever inserted into; device_command keeps the narrow state. Both are written by the intake's one
-- statement, so a command never lacks its message (no foreign key: its check would cost a lookup per command).
CREATE TABLE device_command_message (
    command_id VARCHAR(100) PRIMARY KEY,
    topic      VARCHAR(512) NOT NULL,
    payload    JSONB        NOT NULL
);
INSERT INTO device_command_message (command_id, topic, payload) SELECT command_id, topic, payload FROM device_command;
ALTER TABLE device_command DROP COLUMN topic, DROP COLUMN payload;
