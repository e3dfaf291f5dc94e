-- Leap's general platform events (issue 4 item 1): POST /leap/webhooks/events stores every event here
-- before answering 2xx, de-duplicated on webhook_event_id (a redelivery changes nothing). The processor
-- (routes/10-platform-events.camel.yaml) claims unprocessed rows with FOR UPDATE SKIP LOCKED.
CREATE TABLE platform_event (
    webhook_event_id UUID         PRIMARY KEY,
    event_type       VARCHAR(100) NOT NULL,
    payload          JSONB        NOT NULL,      -- the whole envelope as received
    received_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    processed_at     TIMESTAMPTZ,
    outcome          VARCHAR(40),                -- APPLIED, STALE, NOT_FOUND, IGNORED, stored, UNKNOWN_TYPE, FAILED ...
    attempts         INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ,                -- lease / retry time of a claimed or failed row
    last_error       TEXT
);
CREATE INDEX platform_event_unprocessed ON platform_event (received_at) WHERE processed_at IS NULL;
