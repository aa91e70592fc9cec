-- What a delivery promised and what tracking saw, kept on the shipment so the exceptions queue and carrier
-- performance read one row per shipment instead of its rates and events.
--
-- The promise is EasyPost's chosen rate at purchase: its delivery_date (the carrier's date, when it gives
-- one), delivery_days and est_delivery_days (both kept on the rate row since the shipment was created).
ALTER TABLE rates
    ADD COLUMN delivery_date     date,
    ADD COLUMN est_delivery_days integer;

-- (label_bought_at, the purchase time, has been kept since V30.)
ALTER TABLE shipments
    ADD COLUMN promised_delivery_date      date,
    ADD COLUMN promised_delivery_days      integer,
    ADD COLUMN promised_est_delivery_days  integer,
    -- the first est_delivery_date a tracker event carried (EasyPost moves it as the parcel travels)
    ADD COLUMN tracker_est_delivery_at     timestamptz,
    -- the earliest tracking detail that shows the carrier holding the parcel (not pre_transit/unknown)
    ADD COLUMN first_scan_at               timestamptz,
    -- the earliest delivered detail
    ADD COLUMN delivered_at                timestamptz,
    -- the newest tracking detail whose status is an exception (failure, return_to_sender, error, cancelled):
    -- a newer one re-opens an acknowledged queue entry
    ADD COLUMN exception_event_at          timestamptz;

-- A label recorded by any path (direct buy, approval, reconciler, label batch) copies the bought rate's
-- promise onto the shipment, in the same statement as the label is written.
CREATE FUNCTION shipments_promise_on_label() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    chosen record;
BEGIN
    SELECT r.delivery_date, r.delivery_days, r.est_delivery_days INTO chosen
      FROM rates r
     WHERE r.shipment_id = NEW.id AND r.carrier = NEW.carrier AND r.service = NEW.service
     ORDER BY (r.rate = NEW.rate) DESC, r.created_at
     LIMIT 1;
    IF FOUND THEN
        NEW.promised_delivery_date := chosen.delivery_date;
        NEW.promised_delivery_days := chosen.delivery_days;
        NEW.promised_est_delivery_days := chosen.est_delivery_days;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER shipments_promise_on_label
    BEFORE UPDATE OF label_url ON shipments
    FOR EACH ROW WHEN (OLD.label_url IS NULL AND NEW.label_url IS NOT NULL)
    EXECUTE FUNCTION shipments_promise_on_label();

-- Labels bought before this version: scans, deliveries and exception events read from their stored events.
-- The daily rollup does not depend on these columns, so its trigger is left out.
ALTER TABLE shipments DISABLE TRIGGER shipments_stats_update;
UPDATE shipments s
   SET first_scan_at = e.first_scan,
       delivered_at = coalesce(e.delivered, CASE WHEN s.status = 'delivered' THEN s.status_at END),
       exception_event_at = e.exception_event
  FROM (SELECT shipment_id,
               min(occurred_at) FILTER (WHERE status NOT IN ('pre_transit', 'unknown', 'cancelled', 'error')) AS first_scan,
               min(occurred_at) FILTER (WHERE status = 'delivered') AS delivered,
               max(occurred_at) FILTER (WHERE status IN ('failure', 'return_to_sender', 'error', 'cancelled')) AS exception_event
          FROM shipment_events GROUP BY shipment_id) e
 WHERE s.label_url IS NOT NULL AND e.shipment_id = s.id;
ALTER TABLE shipments ENABLE TRIGGER shipments_stats_update;

-- The exceptions queue's candidates: labels bought, not delivered, not refunded. Every reason needs such a
-- shipment, so the queue reads this partial index (days of in-flight parcels plus the stuck ones), never
-- the delivered bulk of the table. The queue's WHERE repeats this predicate word for word.
CREATE INDEX shipments_undelivered_idx ON shipments (label_bought_at)
    WHERE label_url IS NOT NULL AND delivered_at IS NULL AND status <> 'delivered'
      AND (refund_status IS NULL OR refund_status = 'rejected');

-- Carrier performance reads delivered shipments by delivery time; the columns it needs ride along so a
-- range is an index-only scan once the visibility map is set.
CREATE INDEX shipments_delivered_idx ON shipments (delivered_at)
    INCLUDE (carrier, service, first_scan_at, label_bought_at, promised_delivery_date, tracker_est_delivery_at)
    WHERE delivered_at IS NOT NULL;

-- A person's acknowledgement of a queue entry: the reasons it had then and the newest exception event it
-- had seen. A reason not among these, or a newer exception event, puts the entry back in the queue.
CREATE TABLE exception_acknowledgements (
    shipment_id        uuid PRIMARY KEY REFERENCES shipments (id) ON DELETE CASCADE,
    reasons            text[] NOT NULL,
    exception_event_at timestamptz,
    note               text,
    token_id           uuid,
    token_name         text NOT NULL,
    acknowledged_at    timestamptz NOT NULL DEFAULT now()
);
