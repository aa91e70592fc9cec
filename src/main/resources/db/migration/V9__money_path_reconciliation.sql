-- A purchase whose outcome at EasyPost is unknown (a timeout, a lost or unreadable answer, a 5xx after the
-- request was sent) releases its lease at once but leaves this mark: the next attempt reads the shipment
-- back from EasyPost before buying, instead of waiting out a lease nobody holds any more.
ALTER TABLE shipments ADD COLUMN purchase_unverified boolean NOT NULL DEFAULT false;
-- The few purchases under way or unsettled, found without scanning every shipment.
CREATE INDEX shipments_purchase_open_idx ON shipments (created_at)
    WHERE label_url IS NULL AND (purchase_unverified OR purchase_started_at IS NOT NULL);

-- Every shipment creation is written down before EasyPost is asked, under the key of the request that
-- asked (an Idempotency-Key, a bulk item, or a key of its own). When EasyPost's answer is lost, or storing
-- it fails, the creation stays open here and is reconciled: the shipment EasyPost made is found and
-- recorded, so it is never created twice and never left unrecorded. A creation is closed when a shipment
-- with its source_key exists, or when EasyPost is known not to have created one.
CREATE TABLE shipment_creations (
    source_key   text PRIMARY KEY,
    request      jsonb NOT NULL,
    refused      boolean NOT NULL DEFAULT false,
    attempts     integer NOT NULL DEFAULT 1,
    resolved_at  timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX shipment_creations_open_idx ON shipment_creations (created_at) WHERE resolved_at IS NULL;

-- Shipments that exist at EasyPost but that no request of ours claims (duplicates made by retries whose
-- answers were lost): listed for an operator at GET /reconciliation, never silently kept.
CREATE TABLE easypost_orphans (
    easypost_id  text PRIMARY KEY,
    source_key   text,
    reference    text,
    reason       text NOT NULL,
    created_at   timestamptz NOT NULL,
    found_at     timestamptz NOT NULL DEFAULT now()
);
