-- Every statement that writes device commands wakes the device-side publishers of all hubs on this database
-- (channel device_command_due, see OutboxWakeups). As a trigger it costs the writer no extra round trip, and no
-- writer can forget it. Notifications with the same payload in one transaction are delivered once, at commit.
CREATE FUNCTION notify_device_command_due() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('device_command_due', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER device_command_due
    AFTER INSERT ON device_command
    FOR EACH STATEMENT EXECUTE FUNCTION notify_device_command_due();
