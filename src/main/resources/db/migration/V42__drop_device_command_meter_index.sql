-- No statement looks device commands up by meter (the read API finds a meter's events in dispatch_event, and their
-- commands by event_id), yet every command written, marked SENT or acked added an entry to this index: one of the
-- five index insertions of each such row version, at the intake and in the outbox's batch alike.
DROP INDEX IF EXISTS device_command_meter;
