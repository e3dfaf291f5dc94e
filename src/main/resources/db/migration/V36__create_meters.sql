-- Create Meters (GUIDE §3.3): the partner's enrolled customers and devices, submitted to Leap as
-- create-meters batch jobs, with Leap's answer for each written back to its row. See docs/onboarding.md.

-- The partner enrollment table. The partner's integration (or the CSV inbox, routes/45) writes the
-- CreateMeter columns; the hub writes the others. One row per partner_reference (Leap's join key).
-- Column names follow Leap's CreateMeter fields (customer.street_1 -> customer_street_1, ...).
CREATE TABLE partner_enrollment (
    id                              BIGSERIAL PRIMARY KEY,
    partner_row_id                  VARCHAR(200) UNIQUE,      -- the partner system's own id for the row (optional)

    -- CreateMeter: identifiers (all required by Leap)
    partner_reference               VARCHAR(256) NOT NULL UNIQUE,
    transmission_region             TEXT,                     -- CAISO, ERCOT, NYISO, ISONE, PJM, SERC, WECC_SW, WECC_PC
    customer_classification         TEXT,                     -- RESIDENTIAL, COMMERCIAL
    load_types                      TEXT,                     -- one or more of Leap's load types, comma-separated
    meter_type                      TEXT,                     -- UTILITY_METER, SUBMETER, DEVICE
    customer_group                  TEXT,
    -- customer (street_1, postal_code, city, state required; country defaults to US)
    customer_street_1               TEXT,
    customer_street_2               TEXT,
    customer_postal_code            TEXT,
    customer_city                   TEXT,
    customer_state                  TEXT,
    customer_country                TEXT,
    end_customer_name               TEXT,
    end_customer_title              TEXT,
    end_customer_email              TEXT,
    end_customer_phone_number       TEXT,
    end_customer_company_name       TEXT,
    partner_offering_name           TEXT,
    partner_offering_date           DATE,
    is_in_wholesale_capacity_market BOOLEAN,
    dispatch_option                 TEXT,
    partner_customer_reference      TEXT,
    billing_street_1                TEXT,
    billing_street_2                TEXT,
    billing_postal_code             TEXT,
    billing_city                    TEXT,
    billing_state                   TEXT,
    billing_country                 TEXT,
    -- device
    device_type                     TEXT,
    device_serial_number            TEXT,
    device_model                    TEXT,
    device_manufacturer             TEXT,
    device_install_date             DATE,
    battery_power_capacity_kw       NUMERIC,
    battery_energy_capacity_kwh     NUMERIC,
    battery_duration_hours          INTEGER,
    permission_to_operate_date      DATE,
    battery_max_discharge_rate_kw   NUMERIC,
    battery_max_charge_rate_kw      NUMERIC,
    battery_max_state_of_charge_percentage NUMERIC,
    battery_min_state_of_charge_percentage NUMERIC,
    device_installer                TEXT,
    device_is_connected_to_solar    BOOLEAN,
    -- site
    site_load_zone                  TEXT,
    site_number_of_devices          INTEGER,
    site_on_site_fossil_generator   BOOLEAN,
    site_renewable_generator        BOOLEAN,
    site_devices                    JSONB,                    -- array of Leap DeviceInfo objects
    -- programs
    caiso_is_receiving_sgip_funding BOOLEAN,
    caiso_nem_type                  TEXT,
    isone_in_connected_solutions    BOOLEAN,
    nyiso_cbl_method                TEXT,
    nyiso_company_type              TEXT,
    nyiso_existing_resource_id      TEXT,
    nyiso_partner_resource_name     TEXT,
    -- utility
    utility_name                    TEXT,
    utility_load_serving_entity     TEXT,
    utility_account_number          TEXT,                     -- electric_service_account_number (SA ID, ESIID, ...)
    utility_tariff                  TEXT,
    utility_voltage                 TEXT,
    utility_meter_serial_number     TEXT,

    -- written by the hub
    source                          VARCHAR(20)  NOT NULL DEFAULT 'table',  -- table | csv
    source_file                     VARCHAR(500),
    source_line                     INTEGER,
    csv_inbox_file_id               BIGINT REFERENCES csv_inbox_file (id),
    -- PENDING (to be sent), INVALID (fails Leap's rules, not sent), SUBMITTING (job POST in flight or its
    -- answer lost), SUBMITTED (Leap is processing the job), COMPLETED (meter_id set), FAILED (Leap refused it)
    status                          VARCHAR(20)  NOT NULL DEFAULT 'PENDING',
    leap_status                     VARCHAR(40),             -- Leap's asset status: COMPLETED, FAILED, DUPLICATE, ...
    status_detail_name              VARCHAR(60),             -- Leap's status_detail.name, or HUB_VALIDATION
    status_detail_description       TEXT,
    status_detail_failed_fields     JSONB,
    meter_id                        UUID,
    job_id                          BIGINT,                  -- create_meters_job.id of the last submission
    leap_job_id                     UUID,
    submitted_hash                  CHAR(64),                -- SHA-256 of the CreateMeter JSON last sent
    submitted_at                    TIMESTAMPTZ,
    submitted_update_existing       BOOLEAN,
    -- content_version grows with every change of a CreateMeter column (trigger below); the hub has looked
    -- at the row up to checked_version, and checked_hash is the content it saw then
    content_version                 BIGINT       NOT NULL DEFAULT 1,
    checked_version                 BIGINT       NOT NULL DEFAULT 0,
    checked_hash                    CHAR(64),
    result_at                       TIMESTAMPTZ,             -- Leap's result (or the hub's verdict) written
    reported_at                     TIMESTAMPTZ,             -- the current failure was in an operations report
    created_at                      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at                      TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX partner_enrollment_to_check ON partner_enrollment (id) WHERE content_version > checked_version;
CREATE INDEX partner_enrollment_status ON partner_enrollment (status);
CREATE INDEX partner_enrollment_unreported ON partner_enrollment (id)
    WHERE reported_at IS NULL AND status IN ('INVALID', 'FAILED');

-- Any change of a CreateMeter column (from the partner's integration or the CSV inbox) bumps the
-- version, so the hub looks at the row again; the hub's own columns do not.
CREATE FUNCTION partner_enrollment_content_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    hub_columns CONSTANT text[] := ARRAY['id', 'partner_row_id', 'source', 'source_file', 'source_line',
        'csv_inbox_file_id', 'status', 'leap_status', 'status_detail_name', 'status_detail_description',
        'status_detail_failed_fields', 'meter_id', 'job_id', 'leap_job_id', 'submitted_hash', 'submitted_at',
        'submitted_update_existing', 'content_version', 'checked_version', 'checked_hash', 'result_at',
        'reported_at', 'created_at', 'updated_at'];
BEGIN
    IF (to_jsonb(NEW) - hub_columns) IS DISTINCT FROM (to_jsonb(OLD) - hub_columns) THEN
        NEW.content_version := OLD.content_version + 1;
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER partner_enrollment_content_changed BEFORE UPDATE ON partner_enrollment
    FOR EACH ROW EXECUTE FUNCTION partner_enrollment_content_changed();

-- One create-meters batch job per chunk of rows. The marker row is committed (status SUBMITTING) before
-- the job is POSTed; file_name is sent as Leap's file_name and is how the hub finds the job in Leap's
-- job list when the POST's answer was lost, so a job is never posted twice blindly.
CREATE TABLE create_meters_job (
    id                 BIGSERIAL PRIMARY KEY,
    file_name          VARCHAR(255) NOT NULL UNIQUE,
    update_existing    BOOLEAN      NOT NULL,
    request_body       JSONB        NOT NULL,             -- exactly what is sent (and sent again)
    asset_count        INTEGER      NOT NULL,
    partner_references TEXT[]       NOT NULL,
    -- SUBMITTING, SUBMITTED (Leap accepted it: leap_job_id), COMPLETED, COMPLETED_WITH_ERRORS, FAILED
    -- (Leap's final job status), REJECTED (Leap answered 400 or another 4xx: no job was created)
    status             VARCHAR(30)  NOT NULL DEFAULT 'SUBMITTING',
    leap_job_id        UUID UNIQUE,
    leap_status        VARCHAR(30),
    post_attempts      INTEGER      NOT NULL DEFAULT 0,
    last_post_at       TIMESTAMPTZ,
    found_by_lookup    BOOLEAN      NOT NULL DEFAULT false, -- the job id came from Leap's job list, not the POST answer
    poll_failures      INTEGER      NOT NULL DEFAULT 0,
    next_poll_at       TIMESTAMPTZ,
    last_polled_at     TIMESTAMPTZ,
    last_error         TEXT,
    assets_created     INTEGER,
    assets_updated     INTEGER,
    assets_failed      INTEGER,
    created_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    accepted_at        TIMESTAMPTZ,
    finished_at        TIMESTAMPTZ
);
CREATE INDEX create_meters_job_open ON create_meters_job (status) WHERE status IN ('SUBMITTING', 'SUBMITTED');

ALTER TABLE partner_enrollment ADD CONSTRAINT partner_enrollment_job FOREIGN KEY (job_id) REFERENCES create_meters_job (id);

-- The rows of a job in the order they were sent (json_index, as Leap's 400 details name them).
CREATE TABLE create_meters_job_item (
    job_id            BIGINT       NOT NULL REFERENCES create_meters_job (id),
    json_index        INTEGER      NOT NULL,
    enrollment_id     BIGINT       NOT NULL REFERENCES partner_enrollment (id),
    partner_reference VARCHAR(256) NOT NULL,
    content_hash      CHAR(64)     NOT NULL,
    PRIMARY KEY (job_id, json_index)
);
CREATE INDEX create_meters_job_item_enrollment ON create_meters_job_item (enrollment_id);
