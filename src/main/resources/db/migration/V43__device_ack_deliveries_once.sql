-- An ack delivered twice (MQTT QoS 1 is at least once: a redelivery after a reconnect, or two subscriptions that both
-- match) is recorded once. Acks carry the device's own time "at"; without it a repeat cannot be told from a new ack
-- and each is kept (NULLs are distinct in a unique index).
DELETE FROM device_ack a
 USING device_ack b
 WHERE a.command_id = b.command_id AND a.status = b.status AND a.at = b.at AND a.id > b.id;

CREATE UNIQUE INDEX device_ack_delivery ON device_ack (command_id, status, at);
