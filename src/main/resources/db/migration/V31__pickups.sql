-- Carrier pickups (EasyPost Pickup): asked for with an address and a window, offered as rates, bought
-- (scheduled) once and perhaps cancelled. Buying spends money, so it holds a lease on the row while it
-- talks to EasyPost, like a label purchase (purchase_started_at, purchase_unverified of V4/V9).
CREATE TABLE pickups (
    id                  uuid PRIMARY KEY,
    easypost_id         text NOT NULL UNIQUE,
    status              text NOT NULL,
    address             jsonb NOT NULL,
    min_datetime        timestamptz NOT NULL,
    max_datetime        timestamptz NOT NULL CHECK (max_datetime >= min_datetime),
    instructions        text,
    reference           text,
    confirmation        text,
    carrier             text,
    service             text,
    rate                numeric(12, 2) CHECK (rate >= 0),
    currency            text,
    purchase_started_at timestamptz,
    purchase_unverified boolean NOT NULL DEFAULT false,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pickups_created_idx ON pickups (created_at DESC, id DESC);

CREATE TABLE pickup_rates (
    id          uuid PRIMARY KEY,
    pickup_id   uuid NOT NULL REFERENCES pickups (id) ON DELETE CASCADE,
    easypost_id text,
    carrier     text NOT NULL,
    service     text NOT NULL,
    rate        numeric(12, 2) NOT NULL CHECK (rate >= 0),
    currency    text NOT NULL DEFAULT 'USD'
);
CREATE INDEX pickup_rates_pickup_idx ON pickup_rates (pickup_id);

CREATE TABLE pickup_shipments (
    pickup_id   uuid NOT NULL REFERENCES pickups (id) ON DELETE CASCADE,
    shipment_id uuid NOT NULL REFERENCES shipments (id),
    PRIMARY KEY (pickup_id, shipment_id)
);
CREATE INDEX pickup_shipments_shipment_idx ON pickup_shipments (shipment_id);
