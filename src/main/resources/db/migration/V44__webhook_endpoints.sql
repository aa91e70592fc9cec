-- Outbound webhooks: endpoints an admin registers, the events the service emits (the outbox, written in the
-- transaction of the change that causes them) and one delivery per event and endpoint with its attempts.

CREATE TABLE webhook_endpoints (
    id                   uuid PRIMARY KEY,
    url                  text NOT NULL,
    description          text,
    events               text[] NOT NULL,
    secret               text NOT NULL,
    enabled              boolean NOT NULL DEFAULT true,
    disabled_reason      text,
    disabled_at          timestamptz,
    consecutive_failures integer NOT NULL DEFAULT 0,
    failing_since        timestamptz,
    last_success_at      timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_outbox (
    id          uuid PRIMARY KEY,
    type        text NOT NULL,
    -- what caused the event, so a repeated write (a retry, a second delivery of the same tracker event) emits it once
    dedupe_key  text NOT NULL UNIQUE,
    data        jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
    id               uuid PRIMARY KEY,
    event_id         uuid NOT NULL REFERENCES webhook_outbox (id) ON DELETE CASCADE,
    endpoint_id      uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    -- pending (to be tried at next_attempt_at), delivered (a 2xx), failed (gave up after the retry window)
    state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    -- retries stop once an attempt would fall beyond retry_from + the retry window; set at the first attempt, and a
    -- replay starts a new window
    retry_from       timestamptz NOT NULL DEFAULT now(),
    created_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    UNIQUE (event_id, endpoint_id)
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at DESC);
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (finished_at) WHERE state <> 'pending';

CREATE TABLE webhook_attempts (
    delivery_id  uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt      integer NOT NULL,
    started_at   timestamptz NOT NULL,
    duration_ms  integer NOT NULL,
    status_code  integer,
    error        text,
    PRIMARY KEY (delivery_id, attempt)
);

-- Emits one event: stores it once per dedupe key and queues a delivery to every enabled endpoint that
-- subscribes to its type (or to '*'). Called inside the writer's own statement or transaction, so the event
-- exists exactly when the change does. With no endpoint subscribed nothing is stored: the cost on the request
-- path is one scan of a table of a handful of rows. p_data is JSON as text: a text parameter, because a client
-- binding a string to a jsonb parameter would store a JSON string. Answers the number of deliveries queued.
CREATE FUNCTION webhook_emit(p_type text, p_key text, p_data text) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    event uuid;
    queued integer;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM webhook_endpoints WHERE enabled AND (p_type = ANY (events) OR '*' = ANY (events))) THEN
        RETURN 0;
    END IF;
    INSERT INTO webhook_outbox (id, type, dedupe_key, data) VALUES (gen_random_uuid(), p_type, p_key, p_data::jsonb)
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING id INTO event;
    IF event IS NULL THEN
        RETURN 0;
    END IF;
    INSERT INTO webhook_deliveries (id, event_id, endpoint_id)
    SELECT gen_random_uuid(), event, e.id FROM webhook_endpoints e
    WHERE e.enabled AND (p_type = ANY (e.events) OR '*' = ANY (e.events));
    GET DIAGNOSTICS queued = ROW_COUNT;
    RETURN queued;
END $$;
