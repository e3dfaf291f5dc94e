-- The outbox claims the oldest due commands: ORDER BY next_attempt_at, command_id LIMIT n FOR UPDATE SKIP LOCKED.
-- With both columns in the index the claim reads the due commands in that order and stops after n; with
-- next_attempt_at alone PostgreSQL read every due command and sorted them, for every batch (10,000 rows, twenty
-- times, for a 10,000-meter group).
DROP INDEX device_command_due;
CREATE INDEX device_command_due ON device_command (next_attempt_at, command_id) WHERE status = 'PENDING';
