-- A purchase holds a lease on its shipment while it talks to EasyPost. A lease left behind by a crash or
-- an ambiguous failure makes the next attempt re-read the shipment at EasyPost before buying, so a label
-- is never bought twice.
ALTER TABLE shipments ADD COLUMN purchase_started_at timestamptz;

-- Trackers for codes bought elsewhere (POST /trackers).
CREATE TABLE trackers (
    id            uuid PRIMARY KEY,
    easypost_id   text UNIQUE,
    tracking_code text NOT NULL,
    carrier       text NOT NULL,
    status        text NOT NULL,
    public_url    text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tracking_code, carrier)
);

-- Idempotency-Key: the first request with a key runs and its answer is kept; repeats get that answer.
-- Keys are scoped to the token that sent them.
CREATE TABLE idempotency_keys (
    scope          bytea NOT NULL,
    key            text NOT NULL,
    request_hash   bytea NOT NULL,
    status_code    integer,
    content_type   text,
    response_body  bytea,
    locked_until   timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
