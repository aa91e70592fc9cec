package dev.shipgate.shipments;

/**
 * The purchase lease on a shipment row, so two requests (or two service instances) never buy the same
 * label. The lease is held only while a purchase talks to EasyPost; an outcome EasyPost left unknown
 * releases it and marks the shipment unverified, so the next attempt reads it back at once.
 */
final class PurchaseSql {

    /**
     * Takes the lease on shipment $1 when it has no label and no live lease (a lease older than $2 seconds
     * was left by a crash). Answers whether the attempt must read the shipment back from EasyPost first.
     */
    static final String CLAIM = """
            WITH prior AS (
                SELECT id, purchase_started_at, purchase_unverified FROM shipments WHERE id = $1 FOR UPDATE)
            UPDATE shipments s SET purchase_started_at = now()
            FROM prior
            WHERE s.id = prior.id AND s.label_url IS NULL
              AND (prior.purchase_started_at IS NULL OR prior.purchase_started_at < now() - make_interval(secs => $2))
            RETURNING prior.purchase_started_at IS NOT NULL OR prior.purchase_unverified AS reconcile""";

    /** Why a claim failed: the label is there, or a purchase is under way. */
    static final String STATE = "SELECT label_url, tracking_code, purchase_started_at FROM shipments WHERE id = $1";

    /** When the carrier first scanned shipment $1's label (null: never); a refund is refused after it. */
    static final String FIRST_SCAN = "SELECT first_scan_at FROM shipments WHERE id = $1";

    /**
     * EasyPost clearly did not sell the label: the lease goes; $2 says the shipment was just read back
     * without postage, which clears an earlier unverified mark.
     */
    static final String RELEASE = """
            UPDATE shipments SET purchase_started_at = NULL, purchase_unverified = purchase_unverified AND NOT $2
            WHERE id = $1 AND label_url IS NULL""";

    /** EasyPost's outcome is unknown: the lease goes and the next attempt reads the shipment back first. */
    static final String UNVERIFIED = """
            UPDATE shipments SET purchase_started_at = NULL, purchase_unverified = true
            WHERE id = $1 AND label_url IS NULL""";

    /**
     * Up to $2 purchases nobody is settling: marked unverified with no live lease, or holding a lease older
     * than $1 seconds (left by a crash).
     */
    static final String UNSETTLED = """
            SELECT id FROM shipments
            WHERE label_url IS NULL AND (purchase_unverified OR purchase_started_at IS NOT NULL)
              AND (purchase_started_at IS NULL OR purchase_started_at < now() - make_interval(secs => $1))
            ORDER BY created_at LIMIT $2""";

    private PurchaseSql() {
    }
}
