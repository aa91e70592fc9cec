package dev.shipgate.tracking;

/**
 * What a verified tracker event changes, in one transaction so a half-applied event never stays behind.
 * A status carries the time of the newest tracking detail that set it ({@code status_at}); an event whose
 * newest detail is older changes neither the shipment's nor the tracker's status. The comparison is in the
 * UPDATE's WHERE: PostgreSQL re-checks it against the row's latest version after waiting for a concurrent
 * update, so two deliveries racing cannot leave the older status behind. An event without any detail time
 * sets a status only where none with a time was set.
 */
final class WebhookSql {

    /** Event ids are kept 30 days to recognise EasyPost's repeated deliveries (it retries for days). */
    static final String EXPIRE_EVENTS = "DELETE FROM webhook_events WHERE received_at < now() - interval '30 days'";

    static final String REMEMBER =
            "INSERT INTO webhook_events (id, description) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING 1";

    /**
     * The shipment an event is about, locked for the rest of the transaction so the status read here is the
     * one the update replaces (what {@code tracking.updated} reports as the previous status).
     */
    static final String FIND_SHIPMENT =
            "SELECT id, status, tracking_code FROM shipments WHERE tracking_code = $1 OR easypost_id = $2 LIMIT 1 FOR UPDATE";

    /**
     * Moves the status unless the event is older than the current one; answers the status the shipment now
     * has. {@code unknown} (EasyPost's status before any tracking information, and what an undocumented status
     * is kept as) never replaces a known status: a parcel the carrier has scanned does not go back to
     * "no information" (and so, among other things, become refundable again); the event's time still counts
     * as movement.
     */
    static final String UPDATE_STATUS = """
            WITH moved AS (
                UPDATE shipments
                SET status = CASE WHEN $2 = 'unknown' AND status IS NOT NULL THEN status ELSE $2 END, status_at = $3,
                    updated_at = CASE WHEN status IS DISTINCT FROM $2 AND $2 <> 'unknown' THEN now() ELSE updated_at END
                WHERE id = $1
                  AND (status_at IS NULL OR $3::timestamptz >= status_at)
                  AND (status IS DISTINCT FROM $2 OR status_at IS DISTINCT FROM $3::timestamptz)
                RETURNING status)
            SELECT coalesce((SELECT status FROM moved), s.status) AS status, EXISTS (SELECT 1 FROM moved) AS moved,
                   s.status_at
            FROM shipments s WHERE s.id = $1""";

    static final String INSERT_EVENT = """
            INSERT INTO shipment_events (shipment_id, status, description, occurred_at, city, state, zip, country)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (shipment_id, occurred_at, status) DO NOTHING""";

    static final String UPDATE_TRACKER = """
            UPDATE trackers SET status = CASE WHEN $2 = 'unknown' AND status IS NOT NULL THEN status ELSE $2 END,
                                status_at = $3, updated_at = now()
            WHERE tracking_code = $1 AND (status_at IS NULL OR $3::timestamptz >= status_at)""";

    /**
     * What carrier performance and the exceptions queue need from an event, merged so that deliveries in
     * any order agree: the earliest carrier scan and delivery, the newest exception event, and the first
     * estimated delivery date EasyPost gave.
     */
    static final String TRACKING_FACTS = """
            UPDATE shipments
            SET first_scan_at = least(first_scan_at, $2),
                delivered_at = least(delivered_at, $3),
                exception_event_at = greatest(exception_event_at, $4),
                tracker_est_delivery_at = coalesce(tracker_est_delivery_at, $5)
            WHERE id = $1
              AND (first_scan_at IS DISTINCT FROM least(first_scan_at, $2)
                   OR delivered_at IS DISTINCT FROM least(delivered_at, $3)
                   OR exception_event_at IS DISTINCT FROM greatest(exception_event_at, $4)
                   OR (tracker_est_delivery_at IS NULL AND $5::timestamptz IS NOT NULL))""";

    private WebhookSql() {
    }
}
