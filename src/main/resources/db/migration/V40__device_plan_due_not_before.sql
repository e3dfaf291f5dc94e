-- A queued gateway carries the moment its plan may next be published (its last publication + hub.devices.plan.min-interval),
-- worked out once when it is queued. The drain then takes the first due rows through an index; it used to look up the
-- last publication of every queued gateway on each drain (8-9 ms per drain with 1,500 queued, at 1,000 notifications/s).
ALTER TABLE device_plan_due ADD COLUMN not_before TIMESTAMPTZ NOT NULL DEFAULT now();

CREATE INDEX device_plan_due_not_before ON device_plan_due (not_before);
