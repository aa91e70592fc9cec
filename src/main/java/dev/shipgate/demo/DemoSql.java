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
                            updated_at) FROM STDIN""";

    static final String COPY_RATES =
            "COPY rates (id, easypost_id, shipment_id, carrier, service, rate, delivery_days, created_at) FROM STDIN";

    static final String COPY_EVENTS =
            "COPY shipment_events (shipment_id, status, description, occurred_at, city, state, country) FROM STDIN";

    /** Fresh planner statistics after a bulk load, so the first queries do not plan for empty tables. */
    static final String ANALYZE_SHIPMENTS = "ANALYZE shipments";

    static final String ANALYZE_EVENTS = "ANALYZE shipment_events";

    static final String COUNT_SHIPMENTS = "SELECT count(*) FROM shipments";

    private DemoSql() {
    }
}
