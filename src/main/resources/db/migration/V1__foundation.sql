-- Foundation tables shared by every use case.

-- The one idempotency mechanism: Camel's JDBC idempotent repository (camel-sql), one row per
-- (processor, message id). The primary key is what makes it safe when several hubs race.
CREATE TABLE camel_messageprocessed (
    processorname VARCHAR(255) NOT NULL,
    messageid     VARCHAR(100) NOT NULL,
    createdat     TIMESTAMP    NOT NULL DEFAULT now(),
    PRIMARY KEY (processorname, messageid)
);
CREATE INDEX camel_messageprocessed_createdat ON camel_messageprocessed (createdat);

-- Exchanges that failed after every redelivery (the one error-handling policy ends here).
CREATE TABLE hub_dead_letter (
    id            BIGSERIAL PRIMARY KEY,
    route_id      VARCHAR(200),
    exchange_id   VARCHAR(200),
    leap_event_id VARCHAR(200),
    error_type    VARCHAR(500),
    error_message TEXT,
    body          TEXT,
    headers       JSONB,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX hub_dead_letter_created_at ON hub_dead_letter (created_at);

-- Input the hub refused (malformed webhooks, bad CSV rows, invalid messages), kept for audit.
CREATE TABLE hub_rejected_input (
    id            BIGSERIAL PRIMARY KEY,
    source        VARCHAR(100) NOT NULL,
    reason        VARCHAR(100) NOT NULL,
    detail        TEXT,
    body          TEXT,
    body_bytes    INTEGER,
    body_truncated BOOLEAN     NOT NULL DEFAULT false,
    remote_address VARCHAR(100),
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX hub_rejected_input_created_at ON hub_rejected_input (created_at);
