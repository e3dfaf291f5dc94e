-- When the earliest timeslot a gateway's retained plan lists ends, the plan is published again without it. Keeping
-- that moment on the plan lets the refresh find due plans through an index instead of joining every command and
-- event ever written (which grows without bound).
ALTER TABLE device_plan ADD COLUMN next_end TIMESTAMPTZ;

UPDATE device_plan p
   SET next_end = (SELECT min((e ->> 'end_time')::timestamptz)
                     FROM jsonb_array_elements(p.payload -> 'meters') m,
                          jsonb_array_elements(m -> 'events') e);

CREATE INDEX device_plan_next_end ON device_plan (next_end) WHERE next_end IS NOT NULL;
