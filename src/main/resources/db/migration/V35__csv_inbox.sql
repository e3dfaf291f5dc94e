-- The shared CSV inbox (routes/05-csv-inbox.camel.yaml): every file taken from an inbox folder or
-- SFTP directory, and every row that was refused, with the line it starts on and why.

CREATE TABLE csv_inbox_file (
    id            BIGSERIAL PRIMARY KEY,
    inbox         VARCHAR(100) NOT NULL,  -- the use case's inbox name, e.g. create-meters
    source        VARCHAR(500) NOT NULL,  -- the consumer endpoint without credentials (file:..., sftp://host:port/dir)
    file_name     VARCHAR(500) NOT NULL,
    file_bytes    BIGINT,
    sha256        CHAR(64),
    -- RECEIVING (being read), DONE, DONE_WITH_REJECTIONS (some rows refused), INCOMPLETE (a row could
    -- not be stored: see hub_dead_letter), REJECTED (the whole file: not CSV, no header, wrong columns)
    status        VARCHAR(30)  NOT NULL DEFAULT 'RECEIVING',
    rows_total    INTEGER      NOT NULL DEFAULT 0,
    rows_accepted INTEGER      NOT NULL DEFAULT 0,
    rows_rejected INTEGER      NOT NULL DEFAULT 0,
    reason        VARCHAR(100),           -- REJECTED only: not-csv, no-header, wrong-columns, too-large, too-many-rows
    detail        TEXT,
    kept_as       VARCHAR(1000),          -- where the file was moved: done/... or error/... below the inbox
    received_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    finished_at   TIMESTAMPTZ,
    reported_at   TIMESTAMPTZ             -- set by a use case's report mail that listed this file's problems
);
CREATE INDEX csv_inbox_file_inbox ON csv_inbox_file (inbox, received_at);
CREATE INDEX csv_inbox_file_unreported ON csv_inbox_file (inbox) WHERE reported_at IS NULL;

CREATE TABLE csv_inbox_rejection (
    id          BIGSERIAL PRIMARY KEY,
    file_id     BIGINT       NOT NULL REFERENCES csv_inbox_file (id),
    line_number INTEGER      NOT NULL,    -- line of the file the row starts on; the header is line 1
    reason      VARCHAR(100) NOT NULL,    -- e.g. wrong-field-count, missing-value, not-a-number
    detail      TEXT         NOT NULL,
    row_text    TEXT,                     -- the row as it was in the file (capped)
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX csv_inbox_rejection_file ON csv_inbox_rejection (file_id, line_number);
