package dev.shipgate.pickups;

/**
 * Pickups on the raw path, and the purchase lease that keeps a pickup from being bought twice: held only
 * while a purchase talks to EasyPost, as for labels ({@code shipments.PurchaseSql}).
 */
final class PickupSql {

    static final String SHIPMENTS = "SELECT id, easypost_id, label_url, refund_status FROM shipments WHERE id = ANY($1)";

    static final String INSERT = """
            INSERT INTO pickups (id, easypost_id, status, address, min_datetime, max_datetime, instructions, reference)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""";

    static final String INSERT_RATE = """
            INSERT INTO pickup_rates (id, pickup_id, easypost_id, carrier, service, rate, currency)
            VALUES ($1, $2, $3, $4, $5, $6, $7)""";

    static final String INSERT_SHIPMENT = "INSERT INTO pickup_shipments (pickup_id, shipment_id) VALUES ($1, $2)";

    static final String PICKUP = """
            SELECT id, easypost_id, status, address, min_datetime, max_datetime, instructions, reference, confirmation,
                   carrier, service, rate, currency, created_at, updated_at
            FROM pickups WHERE id = $1""";

    static final String RATES = """
            SELECT id, easypost_id, carrier, service, rate, currency FROM pickup_rates WHERE pickup_id = $1
            ORDER BY rate, carrier, service""";

    /** When pickup $1's purchase lease was taken (null: none held). */
    static final String LEASE = "SELECT purchase_started_at FROM pickups WHERE id = $1";

    static final String PICKUP_SHIPMENTS = "SELECT shipment_id FROM pickup_shipments WHERE pickup_id = $1 ORDER BY shipment_id";

    /**
     * Takes the lease on pickup $1 while it is not bought and has no live lease (one older than $2 seconds
     * was left by a crash). Answers whether the attempt must read the pickup back from EasyPost first.
     */
    static final String CLAIM = """
            WITH prior AS (
                SELECT id, purchase_started_at, purchase_unverified FROM pickups WHERE id = $1 FOR UPDATE)
            UPDATE pickups p SET purchase_started_at = now()
            FROM prior
            WHERE p.id = prior.id AND p.status = 'unknown'
              AND (prior.purchase_started_at IS NULL OR prior.purchase_started_at < now() - make_interval(secs => $2))
            RETURNING prior.purchase_started_at IS NOT NULL OR prior.purchase_unverified AS reconcile""";

    /** EasyPost scheduled the pickup: its status, confirmation and the rate bought; the lease goes. */
    static final String BOUGHT = """
            UPDATE pickups SET status = $2, confirmation = $3, carrier = $4, service = $5, rate = $6, currency = $7,
                   purchase_started_at = NULL, purchase_unverified = false, updated_at = now()
            WHERE id = $1""";

    /** EasyPost clearly did not schedule it: the lease goes; $2 clears an earlier unverified mark. */
    static final String RELEASE = """
            UPDATE pickups SET purchase_started_at = NULL, purchase_unverified = purchase_unverified AND NOT $2
            WHERE id = $1 AND status = 'unknown'""";

    /** EasyPost's outcome is unknown: the lease goes and the next attempt reads the pickup back first. */
    static final String UNVERIFIED = """
            UPDATE pickups SET purchase_started_at = NULL, purchase_unverified = true WHERE id = $1 AND status = 'unknown'""";

    /**
     * EasyPost has no such pickup (it answered 404): nothing can be bought or cancelled on it any more; the
     * lease and the unverified mark go.
     */
    static final String GONE = """
            UPDATE pickups SET status = 'gone', purchase_started_at = NULL, purchase_unverified = false, updated_at = now()
            WHERE id = $1""";

    static final String CANCELED = "UPDATE pickups SET status = $2, cancel_started_at = NULL, updated_at = now() WHERE id = $1";

    /**
     * Claims the cancellation of pickup $1 while it is neither canceled nor gone and no claim younger than $2
     * seconds is held (an older one was left by a crash; cancelling again is safe, EasyPost answers a cancelled
     * pickup unchanged). Read under the row's lock, so of identical cancels at once exactly one asks EasyPost.
     */
    static final String CLAIM_CANCEL = """
            WITH prior AS (
                SELECT id, status, cancel_started_at FROM pickups WHERE id = $1 FOR UPDATE),
            claimed AS (
                UPDATE pickups p SET cancel_started_at = now()
                FROM prior
                WHERE p.id = prior.id AND prior.status NOT IN ('canceled', 'gone')
                  AND (prior.cancel_started_at IS NULL OR prior.cancel_started_at < now() - make_interval(secs => $2))
                RETURNING p.id)
            SELECT prior.status, prior.cancel_started_at, EXISTS (SELECT 1 FROM claimed) AS claimed FROM prior""";

    /** The cancel call failed: the claim goes, so a retry may ask again at once. */
    static final String RELEASE_CANCEL = "UPDATE pickups SET cancel_started_at = NULL WHERE id = $1";

    private static final String PAGE_SELECT = """
            SELECT id, easypost_id, status, min_datetime, max_datetime, confirmation, carrier, service, rate, created_at
            FROM pickups""";

    static final String FIRST_PAGE = PAGE_SELECT + "\nORDER BY created_at DESC, id DESC LIMIT $1";

    static final String NEXT_PAGE = PAGE_SELECT + "\nWHERE (created_at, id) < ($2, $3)\nORDER BY created_at DESC, id DESC LIMIT $1";

    private PickupSql() {
    }
}
