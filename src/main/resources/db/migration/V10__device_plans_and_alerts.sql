-- Device side of dispatch automation: retained plans per gateway and the operations alert digest.

-- Gateways whose retained plan must be published again (written in the outbox batch transaction,
-- removed only after the broker acknowledged the plan).
CREATE TABLE device_plan_due (
    partner_reference VARCHAR(256) PRIMARY KEY,
    due_since         TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- The last plan published per gateway (as retained on vpp/{partner_reference}/plan).
CREATE TABLE device_plan (
    partner_reference VARCHAR(256) PRIMARY KEY,
    payload           JSONB        NOT NULL,
    published_at      TIMESTAMPTZ  NOT NULL
);

CREATE INDEX device_command_partner_reference ON device_command (partner_reference);

-- One row per mail sent to operations.
CREATE TABLE hub_alert_digest (
    id          BIGSERIAL PRIMARY KEY,
    alert_count INTEGER     NOT NULL,
    sent_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Alerts waiting for (or listed in) a digest mail.
CREATE TABLE hub_alert (
    id         BIGSERIAL PRIMARY KEY,
    kind       VARCHAR(40)  NOT NULL,   -- COMMAND_NO_ACK, COMMAND_REJECTED, COMMAND_FAILED_ON_DEVICE, DELIVERY_REJECTED
    reference  VARCHAR(256),            -- command_id, or the rejected input's source
    detail     TEXT,
    source_id  BIGINT,                  -- hub_rejected_input.id for DELIVERY_REJECTED
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    sent_at    TIMESTAMPTZ,
    digest_id  BIGINT REFERENCES hub_alert_digest (id)
);
CREATE INDEX hub_alert_unsent ON hub_alert (id) WHERE sent_at IS NULL;
CREATE UNIQUE INDEX hub_alert_source ON hub_alert (kind, source_id) WHERE source_id IS NOT NULL;
