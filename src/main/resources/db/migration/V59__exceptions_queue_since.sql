-- The exceptions queue's order, kept on the shipment so a page reads 50 rows of an index instead of working out
-- every open shipment's reasons and sorting them (that was linear in the queue, which grows with the history).
--
-- An entry's `since` is the earliest start among its active reasons, or the start of its stay (exception_since,
-- V55) when earlier. Each time-based reason becomes active at its own start: no_movement once the last movement
-- plus EXCEPTION_STALL_DAYS has passed, never_scanned once the purchase plus EXCEPTION_UNSCANNED_DAYS has,
-- past_estimated_delivery from the first local midnight (BUSINESS_TIMEZONE) after the expected day. A candidate
-- not active yet starts at or after now, so once the least of exception_since, the status reason's start and
-- every time-based candidate, active or not, has passed, it is the entry's `since`, and the entry stays in the
-- queue while no write changes the row. It depends on the row and on three settings only, so it is stored:
-- shipments.queue_since, null for a shipment that cannot be an entry (no label, delivered, refunded, cancelled
-- before the carrier scanned it). The service reads its pages backwards from now in shipments_queue_idx.
--
-- A stored start may also not have passed for an entry: a status reason (failure, return to sender, error,
-- cancelled after pickup) is active from the update that writes the status, and its start is the exception
-- event's time as the carrier dated it, which can be ahead of the service's clock (a carrier's local time written
-- as UTC). Those few are found by a second, smaller index of the open shipments in those statuses.
--
-- Days are 24 hours here (an absolute interval), so the stored value does not depend on the writer's session
-- time zone; only past_estimated_delivery speaks of the business's days.

-- The settings live in the service's configuration; the service writes them here at startup so that every writer
-- (the service, seed-demo's COPY, psql, a restore) computes the same order. time_zone (V43) is BUSINESS_TIMEZONE.
ALTER TABLE business_settings
    ADD COLUMN exception_stall_days     integer NOT NULL DEFAULT 3 CHECK (exception_stall_days BETWEEN 1 AND 365),
    ADD COLUMN exception_unscanned_days integer NOT NULL DEFAULT 3 CHECK (exception_unscanned_days BETWEEN 1 AND 365);

ALTER TABLE shipments ADD COLUMN queue_since timestamptz;

-- The least start of shipment s's candidates under the settings given (UTC), or null when s cannot be in the
-- queue. ExceptionSql.ENTRIES works out the reasons by the same rules; ExceptionsOrderIT holds the pages to the
-- computation they replaced.
CREATE FUNCTION shipments_queue_since(s shipments, stall_days integer, unscanned_days integer, zone text)
RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN s.label_url IS NOT NULL AND s.delivered_at IS NULL AND s.status <> 'delivered'
             AND (s.refund_status IS NULL OR s.refund_status = 'rejected')
             AND NOT (s.status = 'cancelled' AND s.first_scan_at IS NULL)
        THEN least(
            s.exception_since,
            CASE WHEN s.status IN ('failure', 'return_to_sender', 'error', 'cancelled')
                 THEN coalesce(s.exception_event_at, s.status_at, s.label_bought_at) END,
            CASE WHEN s.first_scan_at IS NOT NULL
                 THEN coalesce(s.status_at, s.first_scan_at) + make_interval(hours => 24 * stall_days) END,
            (coalesce(s.promised_delivery_date, (s.tracker_est_delivery_at AT TIME ZONE 'UTC')::date) + 1)::timestamp
                AT TIME ZONE zone,
            CASE WHEN s.first_scan_at IS NULL
                 THEN s.label_bought_at + make_interval(hours => 24 * unscanned_days) END)
    END
$$;

-- Labels bought before this version. The daily rollup does not read queue_since, so its trigger is left out
-- as in V42 and V55: on an UPDATE it would copy every touched row twice into transition tables to add and
-- subtract the same counts.
ALTER TABLE shipments DISABLE TRIGGER shipments_stats_update;
UPDATE shipments s
   SET queue_since = shipments_queue_since(s, b.exception_stall_days, b.exception_unscanned_days, b.time_zone)
  FROM business_settings b
 WHERE s.label_url IS NOT NULL AND s.delivered_at IS NULL AND s.status <> 'delivered'
   AND (s.refund_status IS NULL OR s.refund_status = 'rejected');
ALTER TABLE shipments ENABLE TRIGGER shipments_stats_update;

-- Every writer keeps it: a row trigger on the columns the value is made of (and on queue_since itself, so a
-- hand-written value is replaced). It runs after shipments_label_bought_at and shipments_promise_on_label
-- (triggers fire in name order), which fill label_bought_at and the promised day in the same statement. A row
-- that cannot be in the queue costs a comparison; an open one a read of the one settings row.
CREATE FUNCTION shipments_queue_since_keep() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    computed timestamptz;
BEGIN
    IF NEW.label_url IS NOT NULL AND NEW.delivered_at IS NULL AND NEW.status <> 'delivered'
       AND (NEW.refund_status IS NULL OR NEW.refund_status = 'rejected') THEN
        -- no settings row (deleted by hand): the defaults, and the next start writes the row again
        SELECT shipments_queue_since(NEW, coalesce(max(b.exception_stall_days), 3),
                                     coalesce(max(b.exception_unscanned_days), 3), coalesce(max(b.time_zone), 'UTC'))
          INTO computed
          FROM business_settings b;
        NEW.queue_since := computed;
    ELSE
        NEW.queue_since := NULL;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER shipments_queue_since
    BEFORE INSERT OR UPDATE OF label_url, delivered_at, status, refund_status, first_scan_at, status_at,
        exception_event_at, label_bought_at, promised_delivery_date, tracker_est_delivery_at, exception_since,
        queue_since
    ON shipments
    FOR EACH ROW EXECUTE FUNCTION shipments_queue_since_keep();

-- When a setting changes (the service's start with other values, rebuild-rollups moving the zone, psql), the
-- open shipments are put in the new order in the same transaction; only rows whose value changes are written.
-- The rollup trigger fires on that UPDATE and finds nothing to change (its columns are untouched).
CREATE FUNCTION business_settings_queue_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE shipments s
       SET queue_since = shipments_queue_since(s, z.stall_days, z.unscanned_days, z.zone)
      FROM (SELECT coalesce(max(exception_stall_days), 3) AS stall_days,
                   coalesce(max(exception_unscanned_days), 3) AS unscanned_days,
                   coalesce(max(time_zone), 'UTC') AS zone
              FROM business_settings) z
     WHERE s.label_url IS NOT NULL AND s.delivered_at IS NULL AND s.status <> 'delivered'
       AND (s.refund_status IS NULL OR s.refund_status = 'rejected')
       AND s.queue_since IS DISTINCT FROM shipments_queue_since(s, z.stall_days, z.unscanned_days, z.zone);
    RETURN NULL;
END $$;

CREATE TRIGGER business_settings_queue_order_changed
    AFTER UPDATE OF time_zone, exception_stall_days, exception_unscanned_days ON business_settings
    FOR EACH ROW
    WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone
          OR OLD.exception_stall_days IS DISTINCT FROM NEW.exception_stall_days
          OR OLD.exception_unscanned_days IS DISTINCT FROM NEW.exception_unscanned_days)
    EXECUTE FUNCTION business_settings_queue_order();

CREATE TRIGGER business_settings_queue_order_written
    AFTER INSERT OR DELETE ON business_settings
    FOR EACH ROW EXECUTE FUNCTION business_settings_queue_order();

-- The queue's first page: newest `since` first, id breaking ties, read backwards from now. Only shipments that
-- can be entries have a queue_since, so that is the predicate; the page's WHERE says the same rather than
-- repeat the open-label clauses, whose selectivities the planner would multiply as if they were independent of
-- queue_since (it then estimated a range's entries at a hundredth and sorted the whole queue).
CREATE INDEX shipments_queue_idx ON shipments (queue_since, id) WHERE queue_since IS NOT NULL;

-- The entries of a status reason dated ahead of the clock: the range after now of the shipments in an exception
-- status (normally empty), without reading the parcels in flight whose time-based reasons lie ahead.
CREATE INDEX shipments_queue_status_idx ON shipments (queue_since, id)
    WHERE queue_since IS NOT NULL AND status IN ('failure', 'return_to_sender', 'error', 'cancelled');
