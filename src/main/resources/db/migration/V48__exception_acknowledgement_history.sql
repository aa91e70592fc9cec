-- Every acknowledgement of an exceptions queue entry is kept: exception_acknowledgements holds the latest
-- one per shipment (what the queue compares against), this table every one of them, oldest to newest, so a
-- re-opened entry acknowledged again keeps the earlier person's note.
CREATE TABLE exception_acknowledgement_history (
    id                 bigserial PRIMARY KEY,
    shipment_id        uuid NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    reasons            text[] NOT NULL,
    exception_event_at timestamptz,
    note               text,
    token_id           uuid,
    token_name         text NOT NULL,
    acknowledged_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX exception_acknowledgement_history_by_shipment
    ON exception_acknowledgement_history (shipment_id, acknowledged_at DESC, id DESC);

-- Acknowledgements made before this version: the one each shipment kept.
INSERT INTO exception_acknowledgement_history (shipment_id, reasons, exception_event_at, note, token_id, token_name, acknowledged_at)
SELECT shipment_id, reasons, exception_event_at, note, token_id, token_name, acknowledged_at
  FROM exception_acknowledgements;

-- The note a person gave with an audited call (an exception's acknowledgement), so the trail says what was said.
ALTER TABLE audit_log ADD COLUMN note text;
