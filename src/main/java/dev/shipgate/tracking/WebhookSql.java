package dev.shipgate.tracking;

/** What a verified tracker event changes, in one transaction so a half-applied event never stays behind. */
final class WebhookSql {

    static final String REMEMBER =
            "INSERT INTO webhook_events (id, description) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING 1";

    static final String FIND_SHIPMENT = "SELECT id FROM shipments WHERE tracking_code = $1 OR easypost_id = $2 LIMIT 1";

    static final String UPDATE_STATUS = """
            UPDATE shipments SET status = $2, updated_at = now()
            WHERE id = $1 AND status IS DISTINCT FROM $2""";

    static final String INSERT_EVENT = """
            INSERT INTO shipment_events (shipment_id, status, description, occurred_at, city, state, zip, country)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (shipment_id, occurred_at, status) DO NOTHING""";

    static final String UPDATE_TRACKER = "UPDATE trackers SET status = $2, updated_at = now() WHERE tracking_code = $1";

    private WebhookSql() {
    }
}
