-- A queued gateway carries the moment its plan may go out: now when queued, pushed to its last publication +
-- hub.devices.plan.min-interval when the drain finds it published too recently. The drain takes the first due rows
-- through an index; it used to look up the last publication of every queued gateway on each drain (8-9 ms per drain
-- with 1,500 queued, at 1,000 notifications/s).
ALTER TABLE device_plan_due ADD COLUMN not_before TIMESTAMPTZ NOT NULL DEFAULT now();

CREATE INDEX device_plan_due_not_before ON device_plan_due (not_before);
