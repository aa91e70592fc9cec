-- The start of a shipment's current continuous stay in the exceptions queue, kept by tracking updates: a newer
-- failure, or a status that leaves and re-enters an exception while the parcel stays in the queue for another
-- reason (past its estimated delivery), no longer restarts the entry's `since`. Null when the last tracking
-- update left the shipment out of the queue; the queue reads the earlier of this and its reasons' starts.
ALTER TABLE shipments ADD COLUMN exception_since timestamptz;

-- Entries in an exception status now: the first exception detail of the current run of exception details
-- (after the newest other detail not newer than the current status), else what the queue read before.
-- Stays that began with a time-based reason are read from their reasons as before until their next update.
ALTER TABLE shipments DISABLE TRIGGER shipments_stats_update;
UPDATE shipments s
   SET exception_since = coalesce(run.started, s.exception_event_at, s.status_at, s.label_bought_at)
  FROM shipments t
  LEFT JOIN LATERAL (
      SELECT min(e.occurred_at) AS started
        FROM shipment_events e
       WHERE e.shipment_id = t.id
         AND e.status IN ('failure', 'return_to_sender', 'error', 'cancelled')
         AND e.occurred_at > coalesce((SELECT max(o.occurred_at) FROM shipment_events o
                                        WHERE o.shipment_id = t.id
                                          AND o.status NOT IN ('failure', 'return_to_sender', 'error', 'cancelled')
                                          AND o.occurred_at <= coalesce(t.status_at, 'infinity')), '-infinity')) run ON true
 WHERE t.id = s.id
   AND s.label_url IS NOT NULL AND s.delivered_at IS NULL AND s.status <> 'delivered'
   AND (s.refund_status IS NULL OR s.refund_status = 'rejected')
   AND (s.status IN ('failure', 'return_to_sender', 'error') OR (s.status = 'cancelled' AND s.first_scan_at IS NOT NULL));
ALTER TABLE shipments ENABLE TRIGGER shipments_stats_update;
