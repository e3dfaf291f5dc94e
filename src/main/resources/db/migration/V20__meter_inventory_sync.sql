-- Meter inventory (Leap use cases A-C), kept in step with Leap by events and scheduled reconciliation.
-- Extends meter_inventory from V2 (the table dispatch resolves group meter_ids through); see docs/inventory.md.

-- A: identity and mapping, with Leap's audit timestamps and the hub's sync bookkeeping.
ALTER TABLE meter_inventory
    ADD COLUMN customer_classification VARCHAR(40),
    ADD COLUMN load_types              JSONB        NOT NULL DEFAULT '[]',
    ADD COLUMN customer_group          VARCHAR(256),
    ADD COLUMN tags                    JSONB        NOT NULL DEFAULT '[]',
    ADD COLUMN created_by              VARCHAR(20),               -- Leap audit.created_by: PARTNER | LEAP | UTILITY
    ADD COLUMN created_at              TIMESTAMPTZ,               -- Leap audit.created_at
    ADD COLUMN leap_updated_at         TIMESTAMPTZ,               -- Leap audit.updated_at: older data never overwrites newer
    ADD COLUMN last_synced_at          TIMESTAMPTZ,               -- when the hub last wrote this meter from Leap
    ADD COLUMN last_seen_run_id        BIGINT,                    -- the last sync run whose walk returned this meter
    ADD COLUMN missing_since           TIMESTAMPTZ;               -- a completed full sync did not return it (flagged, never deleted)
CREATE INDEX meter_inventory_global_status ON meter_inventory (global_enrollment_status);

-- The device gateway(s) each meter maps to. Source of truth for routing device commands: a DEVICE maps to one
-- gateway, a UTILITY_METER may map to several devices at the site. The sync fills the DEFAULT mapping
-- (gateway = partner_reference) when a meter has none and follows partner_reference changes for DEFAULT rows;
-- MANUAL rows (added by operations) are never touched by the sync.
CREATE TABLE meter_gateway (
    meter_id          UUID         NOT NULL REFERENCES meter_inventory (meter_id) ON DELETE CASCADE,
    gateway_reference VARCHAR(256) NOT NULL,
    source            VARCHAR(10)  NOT NULL DEFAULT 'DEFAULT',    -- DEFAULT | MANUAL
    created_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (meter_id, gateway_reference)
);
CREATE INDEX meter_gateway_reference ON meter_gateway (gateway_reference);

-- B: per-program enrollment as Leap returns it (program_enrollment[]), replaced as a whole per meter.
CREATE TABLE meter_program_enrollment (
    meter_id                        UUID         NOT NULL REFERENCES meter_inventory (meter_id) ON DELETE CASCADE,
    position                        INTEGER      NOT NULL,
    program_identifier              VARCHAR(60)  NOT NULL,       -- a string, not a closed enum (Leap adds programs)
    delivery_period                 VARCHAR(100),
    delivery_period_start_date_time TIMESTAMPTZ,
    delivery_period_end_date_time   TIMESTAMPTZ,
    enrollment_status               VARCHAR(40),
    enrollment_deadlines            JSONB        NOT NULL DEFAULT '[]',  -- [{enrollment_deadline_date_time, activation_date_time}]
    next_enrollment_deadline        TIMESTAMPTZ,                 -- earliest enrollment_deadline_date_time
    market_group_id                 UUID,
    market_group_name               VARCHAR(256),
    PRIMARY KEY (meter_id, position)
);
CREATE INDEX meter_program_enrollment_group ON meter_program_enrollment (market_group_id);

-- B: required actions (required_actions.partner[] and .leap[]), replaced as a whole per meter.
CREATE TABLE meter_required_action (
    meter_id                      UUID         NOT NULL REFERENCES meter_inventory (meter_id) ON DELETE CASCADE,
    party                         VARCHAR(10)  NOT NULL,         -- partner | leap
    position                      INTEGER      NOT NULL,
    program_identifier            VARCHAR(60),
    delivery_period               VARCHAR(100),
    action_type                   VARCHAR(60),
    action_code                   VARCHAR(60),
    action_description            TEXT,
    enrollment_deadline_date_time TIMESTAMPTZ,
    PRIMARY KEY (meter_id, party, position)
);
CREATE INDEX meter_required_action_deadline ON meter_required_action (enrollment_deadline_date_time) WHERE party = 'partner';

-- B/E: participation preferences (participation_preferences[]), replaced as a whole per meter.
CREATE TABLE meter_participation_preference (
    meter_id                 UUID        NOT NULL REFERENCES meter_inventory (meter_id) ON DELETE CASCADE,
    position                 INTEGER     NOT NULL,
    participation_preference VARCHAR(20) NOT NULL,               -- PARTICIPATE | IDLE | DISENROLL
    start_time               TIMESTAMPTZ,
    end_time                 TIMESTAMPTZ,
    reason                   TEXT,
    PRIMARY KEY (meter_id, position)
);

-- C: market groups and their members over time. A membership row is opened when the hub first sees the meter in the
-- group and closed (left_at) when it is no longer a member; rows are never deleted, so the history stays.
-- valid_from / valid_to are Leap's validity (event start/end_date_time or the delivery period).
CREATE TABLE market_group (
    market_group_id    UUID PRIMARY KEY,
    market_group_name  VARCHAR(256),
    program_identifier VARCHAR(60),
    start_date_time    TIMESTAMPTZ,
    end_date_time      TIMESTAMPTZ,
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE market_group_member (
    id              BIGSERIAL PRIMARY KEY,
    market_group_id UUID        NOT NULL REFERENCES market_group (market_group_id),
    meter_id        UUID        NOT NULL,
    valid_from      TIMESTAMPTZ,
    valid_to        TIMESTAMPTZ,
    joined_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    left_at         TIMESTAMPTZ                                  -- null = current member
);
CREATE UNIQUE INDEX market_group_member_current ON market_group_member (market_group_id, meter_id) WHERE left_at IS NULL;
CREATE INDEX market_group_member_meter ON market_group_member (meter_id);

-- Changes that matter to operations: BECAME_INELIGIBLE, GLOBAL_STATUS_CHANGED, LEFT_GROUP, JOINED_GROUP, ARCHIVED,
-- UNARCHIVED, REQUIRED_ACTION_ADDED, REQUIRED_ACTION_RESOLVED, MISSING_FROM_FULL_SYNC, NOT_FOUND_AT_LEAP.
-- Only changes of meters the hub already knew are recorded (the first sight of a meter is not an event).
CREATE TABLE inventory_event (
    id               BIGSERIAL PRIMARY KEY,
    event_type       VARCHAR(40)  NOT NULL,
    meter_id         UUID,
    market_group_id  UUID,
    detail           JSONB        NOT NULL DEFAULT '{}',
    source           VARCHAR(20)  NOT NULL,                      -- FULL | DELTA | INITIAL | EVENT
    sync_run_id      BIGINT,
    webhook_event_id VARCHAR(100),
    created_at       TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX inventory_event_meter ON inventory_event (meter_id, created_at);
CREATE INDEX inventory_event_created_at ON inventory_event (created_at);

-- Reconciliation runs. The cursor is written in the same transaction as the page it follows, so a run that Leap
-- interrupts resumes from the next unprocessed page (status INTERRUPTED -> RUNNING again, resume_count + 1).
CREATE TABLE inventory_sync_run (
    id              BIGSERIAL PRIMARY KEY,
    kind            VARCHAR(10)  NOT NULL,                       -- FULL | DELTA | INITIAL
    status          VARCHAR(15)  NOT NULL,                       -- RUNNING | INTERRUPTED | COMPLETED | FAILED | SUPERSEDED
    filter          JSONB        NOT NULL,                       -- the searchMeterEnrollments body without page_token
    cursor          TEXT,                                        -- page_token of the next page to fetch (null = first/none)
    pages           INTEGER      NOT NULL DEFAULT 0,
    meters_received INTEGER      NOT NULL DEFAULT 0,             -- items received in committed pages
    meters_written  INTEGER      NOT NULL DEFAULT 0,             -- of those, written (not older than what the hub had)
    meters_missing  INTEGER,                                     -- FULL: known meters the completed walk did not return
    resume_count    INTEGER      NOT NULL DEFAULT 0,
    started_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    heartbeat_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    finished_at     TIMESTAMPTZ,
    last_error      TEXT
);
CREATE INDEX inventory_sync_run_status ON inventory_sync_run (status, started_at);
