-- Shipments, their addresses, parcels, offered rates and tracking events.
-- Money is numeric (never floating point); times are timestamptz; ids are UUIDs Shipgate assigns,
-- with EasyPost's own ids kept beside them.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE addresses (
    id           uuid PRIMARY KEY,
    easypost_id  text UNIQUE,
    name         text,
    company      text,
    street1      text NOT NULL,
    street2      text,
    city         text NOT NULL,
    state        text,
    zip          text NOT NULL,
    country      text NOT NULL DEFAULT 'US' CHECK (country ~ '^[A-Z]{2}$'),
    phone        text,
    email        text,
    residential  boolean,
    verified     boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE parcels (
    id                 uuid PRIMARY KEY,
    easypost_id        text UNIQUE,
    length             numeric(8, 2) CHECK (length > 0),
    width              numeric(8, 2) CHECK (width > 0),
    height             numeric(8, 2) CHECK (height > 0),
    weight             numeric(10, 2) NOT NULL CHECK (weight > 0),
    predefined_package text
);

CREATE TABLE shipments (
    id              uuid PRIMARY KEY,
    easypost_id     text UNIQUE,
    status          text NOT NULL DEFAULT 'unknown',
    carrier         text,
    service         text,
    rate            numeric(12, 2) CHECK (rate >= 0),
    currency        text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    tracking_code   text UNIQUE,
    label_url       text,
    tracker_id      text,
    reference       text,
    recipient_name  text,
    refund_status   text,
    from_address_id uuid NOT NULL REFERENCES addresses (id),
    to_address_id   uuid NOT NULL REFERENCES addresses (id),
    parcel_id       uuid REFERENCES parcels (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    -- One lower-cased text for the list's search box: tracking code, reference, recipient name.
    search_text     text GENERATED ALWAYS AS (
        lower(coalesce(tracking_code, '') || ' ' || coalesce(reference, '') || ' ' || coalesce(recipient_name, ''))
    ) STORED
);

-- Keyset pagination: newest first, id breaks ties; per-filter variants keep filtered pages index-only.
CREATE INDEX shipments_created_idx ON shipments (created_at DESC, id DESC);
CREATE INDEX shipments_status_created_idx ON shipments (status, created_at DESC, id DESC);
CREATE INDEX shipments_carrier_created_idx ON shipments (carrier, created_at DESC, id DESC);
CREATE INDEX shipments_search_idx ON shipments USING gin (search_text gin_trgm_ops);
CREATE INDEX shipments_from_address_idx ON shipments (from_address_id);
CREATE INDEX shipments_to_address_idx ON shipments (to_address_id);

CREATE TABLE rates (
    id            uuid PRIMARY KEY,
    easypost_id   text UNIQUE,
    shipment_id   uuid NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    carrier       text NOT NULL,
    service       text NOT NULL,
    rate          numeric(12, 2) NOT NULL CHECK (rate >= 0),
    currency      text NOT NULL DEFAULT 'USD',
    delivery_days integer,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rates_shipment_idx ON rates (shipment_id);

CREATE TABLE shipment_events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shipment_id  uuid NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    status       text NOT NULL,
    description  text,
    occurred_at  timestamptz NOT NULL,
    city         text,
    state        text,
    zip          text,
    country      text,
    created_at   timestamptz NOT NULL DEFAULT now()
);
-- "Latest event per shipment" is one index probe.
CREATE INDEX shipment_events_latest_idx ON shipment_events (shipment_id, occurred_at DESC, id DESC);

-- Tracking events arrive all day and are never updated: vacuum and analyze them early and often.
ALTER TABLE shipment_events SET (
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_analyze_scale_factor = 0.01,
    autovacuum_vacuum_insert_scale_factor = 0.05
);
