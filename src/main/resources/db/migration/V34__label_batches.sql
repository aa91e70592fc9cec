-- Batch printing: one document for many bought labels, made by EasyPost's Batch API (create the batch with
-- its shipments, ask for its label in a format, wait for label_url). The document arrives asynchronously,
-- so the job lives here: any instance's worker advances it, and it survives a restart.
-- next_step_at is when a worker may next take the batch (a claim pushes it forward; it is the poll timer).
CREATE TABLE label_batches (
    id            uuid PRIMARY KEY,
    easypost_id   text UNIQUE,
    state         text NOT NULL CHECK (state IN ('pending', 'generating', 'ready', 'failed')),
    format        text NOT NULL CHECK (format IN ('pdf', 'zpl', 'epl2')),
    bulk_job_id   uuid REFERENCES bulk_jobs (id) ON DELETE SET NULL,
    total         integer NOT NULL CHECK (total BETWEEN 1 AND 10000),
    label_url     text,
    error         text,
    attempts      integer NOT NULL DEFAULT 0,
    next_step_at  timestamptz NOT NULL DEFAULT now(),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz
);
CREATE INDEX label_batches_open_idx ON label_batches (next_step_at) WHERE state IN ('pending', 'generating');

CREATE TABLE label_batch_shipments (
    batch_id     uuid NOT NULL REFERENCES label_batches (id) ON DELETE CASCADE,
    position     integer NOT NULL,
    shipment_id  uuid NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    PRIMARY KEY (batch_id, position)
);
CREATE INDEX label_batch_shipments_shipment_idx ON label_batch_shipments (shipment_id);
