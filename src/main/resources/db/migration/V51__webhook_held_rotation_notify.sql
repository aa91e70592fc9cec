-- Outbound webhooks, three changes a receiver needs:
-- 1. An endpoint that is disabled (by an admin, or after a whole retry window of failures) still gets a delivery
--    queued for every event it subscribes to. The dispatcher leases only for enabled endpoints, so these wait
--    (held) and go out when the endpoint is enabled again; held ones older than the retry window are marked
--    'expired' then, and stay in the delivery log where an admin can replay them.
-- 2. A secret rotation keeps the previous secret signing next to the new one until previous_secret_expires_at,
--    so a receiver that has not switched yet keeps verifying (Stripe's "expire the old secret in" overlap).
-- 3. webhook_emit notifies 'webhook_outbox' when it queues something; a dispatcher listening there leases at
--    once instead of at its next poll. A notification is delivered at the emitting transaction's commit.

ALTER TABLE webhook_endpoints
    ADD COLUMN previous_secret text,
    ADD COLUMN previous_secret_expires_at timestamptz;

ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_state_check;
ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_state_check
    CHECK (state IN ('pending', 'delivered', 'failed', 'expired'));

CREATE OR REPLACE FUNCTION webhook_emit(p_type text, p_key text, p_data text) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    event uuid;
    queued integer;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM webhook_endpoints WHERE p_type = ANY (events) OR '*' = ANY (events)) THEN
        RETURN 0;
    END IF;
    INSERT INTO webhook_outbox (id, type, dedupe_key, data) VALUES (gen_random_uuid(), p_type, p_key, p_data::jsonb)
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING id INTO event;
    IF event IS NULL THEN
        RETURN 0;
    END IF;
    -- disabled endpoints too: their deliveries are held until the endpoint is enabled again
    INSERT INTO webhook_deliveries (id, event_id, endpoint_id)
    SELECT gen_random_uuid(), event, e.id FROM webhook_endpoints e
    WHERE p_type = ANY (e.events) OR '*' = ANY (e.events);
    GET DIAGNOSTICS queued = ROW_COUNT;
    IF queued > 0 THEN
        PERFORM pg_notify('webhook_outbox', '');
    END IF;
    RETURN queued;
END $$;
