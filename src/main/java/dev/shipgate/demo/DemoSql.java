package dev.shipgate.demo;

/**
 * The demo loader's statements: COPY in the server's text format (one tab-separated row per line, null as
 * {@code \N}), columns in the order {@link DemoSeeder} writes them.
 */
final class DemoSql {

    static final String COPY_ADDRESSES = "COPY addresses (id, name, street1, city, state, zip, verified) FROM STDIN";

    static final String COPY_PARCELS = "COPY parcels (id, length, width, height, weight) FROM STDIN";

    static final String COPY_SHIPMENTS = """
            COPY shipments (id, easypost_id, status, carrier, service, rate, tracking_code, label_url, reference,
                            recipient_name, refund_status, from_address_id, to_address_id, parcel_id, created_at,
                            updated_at, label_bought_at, status_at, promised_delivery_date, promised_delivery_days,
                            promised_est_delivery_days, tracker_est_delivery_at, first_scan_at, delivered_at,
                            exception_event_at) FROM STDIN""";

    static final String COPY_RATES =
            "COPY rates (id, easypost_id, shipment_id, carrier, service, rate, delivery_days, delivery_date, est_delivery_days, created_at) FROM STDIN";

    static final String COPY_EVENTS =
            "COPY shipment_events (shipment_id, status, description, occurred_at, city, state, country) FROM STDIN";

    /**
     * Exceptions older than 30 days are shown as handled: acknowledged by "demo" a day after they arose (for
     * every reason, so none re-opens), as a shop that works its queue would have them; the last month stays open.
     */
    static final String ACKNOWLEDGE_OLD_EXCEPTIONS = """
            INSERT INTO exception_acknowledgements (shipment_id, reasons, exception_event_at, note, token_name, acknowledged_at)
            SELECT id, ARRAY['failure', 'return_to_sender', 'error', 'cancelled_after_pickup', 'no_movement',
                             'past_estimated_delivery', 'never_scanned'],
                   exception_event_at, 'Handled (demo data)', 'demo', coalesce(status_at, label_bought_at) + interval '1 day'
            FROM shipments
            WHERE label_url IS NOT NULL AND delivered_at IS NULL AND status <> 'delivered'
              AND (refund_status IS NULL OR refund_status = 'rejected')
              AND coalesce(status_at, label_bought_at) < now() - interval '30 days'
            ON CONFLICT (shipment_id) DO NOTHING""";

    /** Fresh planner statistics after a bulk load, so the first queries do not plan for empty tables. */
    static final String ANALYZE_SHIPMENTS = "ANALYZE shipments";

    static final String ANALYZE_EVENTS = "ANALYZE shipment_events";

    /**
     * For this session only: page images in the WAL uncompressed. PostgreSQL allows it to superusers only
     * ({@code wal_compression} is a superuser setting); the server's own setting stays for every other session.
     */
    static final String WAL_UNCOMPRESSED = "SET wal_compression = off";

    static final String COUNT_SHIPMENTS = "SELECT count(*) FROM shipments";

    private DemoSql() {
    }
}
