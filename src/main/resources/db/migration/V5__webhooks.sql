-- EasyPost delivers each event at least once: its id is remembered so a repeat changes nothing.
CREATE TABLE webhook_events (
    id          text PRIMARY KEY,
    description text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);

-- A tracker update repeats every earlier detail: an event is stored once per shipment, time and status.
CREATE UNIQUE INDEX shipment_events_unique_idx ON shipment_events (shipment_id, occurred_at, status);
