-- Leap Connect onboarding (issue 4 items 2 and 3; docs/onboarding.md): the Connect links the hub issues, the
-- customers' Connect sessions as Leap's connect_session.* platform events describe them, and the mails to customers
-- (link mails and reminders) as scheduled work that hub instances claim with FOR UPDATE SKIP LOCKED.

-- One row per partner_reference (Leap's refId) the hub knows, from a link it issued or a Connect event.
CREATE TABLE connect_session (
    partner_reference    VARCHAR(256) PRIMARY KEY,
    status               VARCHAR(20),                 -- connect_session.updated status of the current session; null before the first
    status_event_id      UUID,                        -- the event that set it
    status_event_at      TIMESTAMPTZ,                 -- and its event time
    session_number       INTEGER      NOT NULL DEFAULT 0, -- Connect sessions seen: every CREATED starts one
    last_interaction_at  TIMESTAMPTZ,                 -- event time of the customer's latest applied event
    completed_at         TIMESTAMPTZ,                 -- first COMPLETED session: connected, reminders stop for good
    meter_id             UUID,                        -- the meter Leap created for the reference (meter.created or inventory)
    meter_created_at     TIMESTAMPTZ,
    dropped_off_at       TIMESTAMPTZ,                 -- the abandonment the current reminder series is measured from
    drop_off_reason      VARCHAR(40),                 -- SESSION_CLOSED, AUTHORIZATION_FAILED, INACTIVE
    created_at           TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ  NOT NULL DEFAULT now()
);
-- what the inactivity check looks at: sessions in progress
CREATE INDEX connect_session_in_progress ON connect_session (last_interaction_at)
    WHERE completed_at IS NULL AND meter_created_at IS NULL AND dropped_off_at IS NULL;

-- Per utility: the latest applied connect_session.authorization_updated.
CREATE TABLE connect_authorization (
    partner_reference  VARCHAR(256) NOT NULL REFERENCES connect_session (partner_reference),
    utility_name       VARCHAR(40)  NOT NULL,
    status             VARCHAR(20)  NOT NULL,         -- INITIATED, COMPLETED, FAILED
    status_event_id    UUID         NOT NULL,
    status_event_at    TIMESTAMPTZ  NOT NULL,
    updated_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (partner_reference, utility_name)
);

-- Every connect_session.* event, once, with what it did (the history; state above is derived from it).
CREATE TABLE connect_session_event (
    webhook_event_id   UUID         PRIMARY KEY,
    partner_reference  VARCHAR(256) NOT NULL,
    webhook_event_type VARCHAR(100) NOT NULL,
    status             VARCHAR(20),
    utility_name       VARCHAR(40),
    event_at           TIMESTAMPTZ  NOT NULL,         -- when the event first reached the hub (Leap's payloads carry no time)
    session_number     INTEGER,
    outcome            VARCHAR(20)  NOT NULL,         -- APPLIED, STALE
    detail             TEXT,
    applied_at         TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX connect_session_event_reference ON connect_session_event (partner_reference, event_at);

-- Every Connect link issued (history), by the API or a CSV batch.
CREATE TABLE connect_link (
    id                  BIGSERIAL    PRIMARY KEY,
    partner_reference   VARCHAR(256) NOT NULL REFERENCES connect_session (partner_reference),
    url                 TEXT         NOT NULL,
    url_format          VARCHAR(20)  NOT NULL,        -- onboarding | connect
    requested_utilities JSONB        NOT NULL DEFAULT '[]',
    customer_email      VARCHAR(320),
    source              VARCHAR(20)  NOT NULL,        -- API | CSV
    source_file         VARCHAR(300),                 -- CSV: the file and its line
    source_line         INTEGER,
    created_at          TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX connect_link_reference ON connect_link (partner_reference, created_at);

-- Mails to customers as scheduled work: a LINK mail is due at once, REMINDERs at Leap's cadence after a drop-off.
-- Senders claim due rows with FOR UPDATE SKIP LOCKED and hold the row lock until the SMTP server took the mail.
CREATE TABLE connect_mail (
    id                 BIGSERIAL    PRIMARY KEY,
    kind               VARCHAR(20)  NOT NULL,         -- LINK | REMINDER
    partner_reference  VARCHAR(256) NOT NULL REFERENCES connect_session (partner_reference),
    link_id            BIGINT       REFERENCES connect_link (id),
    reminder_number    INTEGER,                       -- REMINDER: 1..n within its drop-off
    dropped_off_at     TIMESTAMPTZ,                   -- REMINDER: the drop-off it follows up
    drop_off_reason    VARCHAR(40),
    recipient          VARCHAR(320),                  -- LINK: as given; REMINDER: resolved when sent
    due_at             TIMESTAMPTZ  NOT NULL,
    status             VARCHAR(20)  NOT NULL DEFAULT 'PENDING', -- PENDING, SENT, CANCELLED, FAILED
    attempts           INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at    TIMESTAMPTZ,                   -- after a failed attempt
    last_error         TEXT,
    sent_at            TIMESTAMPTZ,
    cancelled_at       TIMESTAMPTZ,
    cancelled_reason   VARCHAR(300),
    created_at         TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX connect_mail_due ON connect_mail ((COALESCE(next_attempt_at, due_at))) WHERE status = 'PENDING';
CREATE INDEX connect_mail_reference ON connect_mail (partner_reference, id);
