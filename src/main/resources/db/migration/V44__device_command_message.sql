-- A command's message (topic and payload, ~600 bytes) is written once and never changes; its state (status,
-- publish_count, sent_at, acked_at, …) is updated at least once, to SENT, and again for each ack. In one row every
-- such update copied the payload too (the SENT update cannot be HOT: status is in the partial indexes' predicates), so
-- device_command held two copies of every message, and its VACUUM (500,000 dead rows over five indexes in the dispatch
-- bench) took the two cores from the intake for 7–8 s (docs/benchmarks.md). The message moves to a table of its own
-- that is only ever inserted into; device_command keeps the narrow state (decision 0015).
--
-- The message is keyed by a sequential number, not by the 76-character command_id: a B-tree on random keys is
-- written all over, and after every checkpoint the first change to each of its pages writes the whole page to the WAL
-- again; a key by command_id cost 850 bytes of WAL per command, a sequential key appends (bench/wal-per-notification.sh).
-- Both rows are written by the intake's one statement, so a command never lacks its message. device_command.id needs
-- no index: every reader goes from a command to its message.
ALTER TABLE device_command ADD COLUMN id BIGINT GENERATED ALWAYS AS IDENTITY;
CREATE TABLE device_command_message (
    id      BIGINT       PRIMARY KEY,                     -- device_command.id
    topic   VARCHAR(512) NOT NULL,
    payload JSONB        NOT NULL
);
INSERT INTO device_command_message (id, topic, payload) SELECT id, topic, payload FROM device_command;
ALTER TABLE device_command DROP COLUMN topic, DROP COLUMN payload;
