-- The exceptions queue, one index per kind of reason, so a page of the queue and its summary are range scans
-- over the shipments that have that reason, not a pass over every undelivered label (shipments_undelivered_idx,
-- V42). Each index is keyed by the time its reason began, newest first, with the id to break ties, in the
-- queue's own order; the reason's setting (days of EXCEPTION_STALL_DAYS, EXCEPTION_UNSCANNED_DAYS) is added
-- in the query, since it is configuration. Every predicate starts with the queue's (ExceptionSql.OPEN), which
-- the queries repeat word for word.

-- failure, return_to_sender, error, cancelled after pickup: since the newest exception event.
CREATE INDEX shipments_exception_status_idx
    ON shipments ((coalesce(exception_event_at, status_at, label_bought_at)) DESC, id DESC)
    WHERE label_url IS NOT NULL AND delivered_at IS NULL AND status <> 'delivered'
      AND (refund_status IS NULL OR refund_status = 'rejected')
      AND status IN ('failure', 'return_to_sender', 'error', 'cancelled');

-- no_movement: scanned parcels by their last tracking event; a stalled one is older than now minus the days.
CREATE INDEX shipments_exception_stalled_idx
    ON shipments ((coalesce(status_at, first_scan_at)) DESC, id DESC)
    WHERE label_url IS NOT NULL AND delivered_at IS NULL AND status <> 'delivered'
      AND (refund_status IS NULL OR refund_status = 'rejected')
      AND first_scan_at IS NOT NULL;

-- past_estimated_delivery: by the carrier's estimated day (the bought rate's, else the tracker's, UTC).
CREATE INDEX shipments_exception_late_idx
    ON shipments ((coalesce(promised_delivery_date, (tracker_est_delivery_at AT TIME ZONE 'UTC')::date)) DESC, id DESC)
    WHERE label_url IS NOT NULL AND delivered_at IS NULL AND status <> 'delivered'
      AND (refund_status IS NULL OR refund_status = 'rejected');

-- never_scanned: labels without a first scan, by purchase time.
CREATE INDEX shipments_exception_unscanned_idx
    ON shipments (label_bought_at DESC, id DESC)
    WHERE label_url IS NOT NULL AND delivered_at IS NULL AND status <> 'delivered'
      AND (refund_status IS NULL OR refund_status = 'rejected')
      AND first_scan_at IS NULL;
