-- Bulk jobs: the job and every item live here, so a job survives restarts and several instances can
-- share its items (claimed with SKIP LOCKED under a lease) without doing one twice.
CREATE TABLE bulk_jobs (
    id            uuid PRIMARY KEY,
    state         text NOT NULL CHECK (state IN ('running', 'completed', 'cancelled')),
    buy_strategy  text CHECK (buy_strategy IN ('cheapest', 'fastest')),
    buy_carriers  text[],
    buy_services  text[],
    total         integer NOT NULL CHECK (total BETWEEN 1 AND 10000),
    created_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz
);

CREATE TABLE bulk_job_items (
    job_id       uuid NOT NULL REFERENCES bulk_jobs (id) ON DELETE CASCADE,
    position     integer NOT NULL,
    state        text NOT NULL CHECK (state IN ('pending', 'running', 'succeeded', 'failed', 'cancelled')),
    request      jsonb NOT NULL,
    shipment_id  uuid REFERENCES shipments (id),
    error        jsonb,
    attempts     integer NOT NULL DEFAULT 0,
    lease_until  timestamptz,
    finished_at  timestamptz,
    PRIMARY KEY (job_id, position)
);
CREATE INDEX bulk_job_items_open_idx ON bulk_job_items (job_id, position) WHERE state IN ('pending', 'running');

-- The item a shipment was created for: a resumed item finds its shipment instead of creating another.
ALTER TABLE shipments ADD COLUMN source_key text UNIQUE;
