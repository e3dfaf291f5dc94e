-- Hubs sharing the database take turns at the scheduled dispatch poll: a hub polls only when no hub began a poll
-- within hub.dispatch.polling.min-gap. One row; a claim is one conditional UPDATE.
CREATE TABLE dispatch_poll_turn (
    id         SMALLINT PRIMARY KEY CHECK (id = 1),
    claimed_at TIMESTAMPTZ NOT NULL,
    claimed_by TEXT NOT NULL
);

INSERT INTO dispatch_poll_turn (id, claimed_at, claimed_by) VALUES (1, '-infinity', 'nobody');
