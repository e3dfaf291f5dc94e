-- Dispatch intake (issue 3, receivers side): what V2 did not yet say.

-- Known nomination per meter: the group split rule "nomination" divides a group's kW in proportion
-- to it (docs/dispatch.md). Null = unknown (the split falls back to "even").
ALTER TABLE meter_inventory ADD COLUMN nomination_kw NUMERIC(12,3);

-- Meters of an event the hub could not command (group meter_ids unknown to meter_inventory, a meter
-- dispatch without partner_reference), and why an event got no command (voluntary policy, test
-- notification without a test topic, timeslot already over). Both are shown by the read API.
ALTER TABLE dispatch_event ADD COLUMN unresolved_meter_ids JSONB NOT NULL DEFAULT '[]';
ALTER TABLE dispatch_event ADD COLUMN note TEXT;
ALTER TABLE dispatch_event ADD COLUMN meter_ids JSONB NOT NULL DEFAULT '[]';   -- GROUP events: the group's meters

-- The read API lists by meter and time; group events are found through their commands' meter_id.
CREATE INDEX device_command_meter ON device_command (meter_id);
CREATE INDEX dispatch_event_updated_at ON dispatch_event (updated_at);
