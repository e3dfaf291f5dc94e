-- Dispatch automation (Leap dispatch webhooks -> MQTT 5 device commands) and the meter inventory
-- table that group dispatches resolve meter_ids through (the inventory use case keeps it in sync).

-- Use case A of the inventory: Leap meter_id <-> partner_reference (the device gateway reference).
CREATE TABLE meter_inventory (
    meter_id                 UUID PRIMARY KEY,
    partner_reference        VARCHAR(256),
    meter_type               VARCHAR(40),
    transmission_region      VARCHAR(40),
    global_enrollment_status VARCHAR(40),
    connection_references    JSONB        NOT NULL DEFAULT '[]',
    is_archived              BOOLEAN      NOT NULL DEFAULT false,
    updated_at               TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX meter_inventory_partner_reference ON meter_inventory (partner_reference);

-- Every dispatch notification as received (webhook or polling backstop), before anything else.
CREATE TABLE dispatch_notification (
    id                  BIGSERIAL PRIMARY KEY,
    kind                VARCHAR(10)  NOT NULL,              -- METER | GROUP
    source              VARCHAR(10)  NOT NULL,              -- WEBHOOK | POLL
    integration_test    BOOLEAN      NOT NULL DEFAULT false,
    communication_test  BOOLEAN      NOT NULL DEFAULT false,
    body                JSONB        NOT NULL,
    received_at         TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX dispatch_notification_received_at ON dispatch_notification (received_at);

-- One row per timeslot, keyed by Leap's event id (meter_event_id or market_group_event_id):
-- the current version of the event and its state.
CREATE TABLE dispatch_event (
    event_id                     UUID PRIMARY KEY,
    kind                         VARCHAR(10)   NOT NULL,    -- METER | GROUP
    meter_id                     UUID,                      -- METER events
    market_group_id              UUID,                      -- GROUP events
    partner_reference            VARCHAR(256),
    start_time                   TIMESTAMPTZ   NOT NULL,
    end_time                     TIMESTAMPTZ   NOT NULL,
    cancelled                    BOOLEAN       NOT NULL,
    energy_kw                    NUMERIC(12,3),             -- null = dispatch the maximum
    nomination_kw                NUMERIC(12,3),
    priority                     INTEGER,
    is_voluntary                 BOOLEAN,
    performance_compensation_cap VARCHAR(40),
    dispatch_event_types         JSONB         NOT NULL DEFAULT '[]',
    programs                     JSONB         NOT NULL DEFAULT '[]',
    test                         BOOLEAN       NOT NULL DEFAULT false, -- integration or communication test
    version                      INTEGER       NOT NULL,
    content_hash                 VARCHAR(64)   NOT NULL,    -- same hash = same values = nothing to do
    state                        VARCHAR(20)   NOT NULL,    -- RECEIVED, COMMANDED, ACCEPTED, REJECTED, STARTED, COMPLETED, CANCELLED, FAILED
    first_received_at            TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at                   TIMESTAMPTZ   NOT NULL DEFAULT now()
);
CREATE INDEX dispatch_event_meter_time ON dispatch_event (meter_id, start_time);
CREATE INDEX dispatch_event_group_time ON dispatch_event (market_group_id, start_time);

-- Every received version of every event (history).
CREATE TABLE dispatch_event_version (
    event_id        UUID        NOT NULL REFERENCES dispatch_event (event_id),
    version         INTEGER     NOT NULL,
    notification_id BIGINT      REFERENCES dispatch_notification (id),
    source          VARCHAR(10) NOT NULL,
    timeslot        JSONB       NOT NULL,
    received_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, version)
);

-- The outbox: device commands written in the same transaction as the event state, published to
-- the broker from here, marked SENT only after the broker's PUBACK.
CREATE TABLE device_command (
    command_id        VARCHAR(100) PRIMARY KEY,           -- stable for one version of one event for one meter
    event_id          UUID         NOT NULL REFERENCES dispatch_event (event_id),
    event_version     INTEGER      NOT NULL,
    meter_id          UUID,
    partner_reference VARCHAR(256) NOT NULL,
    action            VARCHAR(10)  NOT NULL,              -- schedule | cancel
    topic             VARCHAR(512) NOT NULL,
    payload           JSONB        NOT NULL,
    expires_at        TIMESTAMPTZ  NOT NULL,              -- MQTT message expiry = timeslot end
    status            VARCHAR(20)  NOT NULL,              -- PENDING, SENT, ACCEPTED, REJECTED, STARTED, COMPLETED, FAILED, SUPERSEDED, EXPIRED
    publish_count     INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    sent_at           TIMESTAMPTZ,
    acked_at          TIMESTAMPTZ,
    last_error        TEXT,
    created_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX device_command_due ON device_command (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX device_command_awaiting_ack ON device_command (sent_at) WHERE status = 'SENT';
CREATE INDEX device_command_event ON device_command (event_id);

-- Acks from device gateways, as received.
CREATE TABLE device_ack (
    id          BIGSERIAL PRIMARY KEY,
    command_id  VARCHAR(100) NOT NULL,
    status      VARCHAR(20)  NOT NULL,                    -- accepted | rejected | started | completed | failed
    reason      TEXT,
    at          TIMESTAMPTZ,
    raw         JSONB        NOT NULL,
    received_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX device_ack_command ON device_ack (command_id);
