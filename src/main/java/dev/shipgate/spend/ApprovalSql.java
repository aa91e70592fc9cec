package dev.shipgate.spend;

/** Approvals: purchases above a token's {@code approval_above} waiting for an admin. */
final class ApprovalSql {

    private static final String COLUMNS = """
            a.id, a.shipment_id, a.token_id, a.token_name, a.rate_id, a.carrier, a.service, a.rate, a.currency,
            a.status, a.decided_by, a.decided_at, a.problem, a.created_at, a.label_format, a.insurance, s.label_url, s.tracking_code""";

    /**
     * A new pending approval with the request's label format and insurance; no row when the shipment already
     * has one pending (answer that one).
     */
    static final String CREATE = """
            INSERT INTO approvals (id, shipment_id, token_id, token_name, rate_id, carrier, service, rate, currency, status,
                                   label_format, insurance)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, $11)
            ON CONFLICT (shipment_id) WHERE status = 'pending' DO NOTHING
            RETURNING id""";

    static final String PENDING_FOR_SHIPMENT = "SELECT id FROM approvals WHERE shipment_id = $1 AND status = 'pending'";

    static final String GET = "SELECT " + COLUMNS + " FROM approvals a JOIN shipments s ON s.id = a.shipment_id WHERE a.id = $1";

    /** Up to $3, newest first, of status $1 (any: null) requested by token $2 (anyone: null, for an admin). */
    static final String LIST = "SELECT " + COLUMNS + """
             FROM approvals a JOIN shipments s ON s.id = a.shipment_id
            WHERE ($1::text IS NULL OR a.status = $1) AND ($2::boolean OR a.token_id IS NOT DISTINCT FROM $3)
            ORDER BY a.created_at DESC, a.id DESC LIMIT $4""";

    /** Decides pending approval $1 as $2 by $3; no row when it is not pending (someone decided first). */
    static final String DECIDE = """
            UPDATE approvals SET status = $2, decided_by = $3, decided_at = now()
            WHERE id = $1 AND status = 'pending' RETURNING id""";

    /** The approved purchase failed for good; $2 is the problem. */
    static final String FAILED = "UPDATE approvals SET status = 'failed', problem = $2 WHERE id = $1 AND status = 'approved'";

    /** The approved purchase was not attempted (EasyPost or the database busy): it waits again. */
    static final String REOPEN = """
            UPDATE approvals SET status = 'pending', decided_by = NULL, decided_at = NULL
            WHERE id = $1 AND status = 'approved'""";

    /** The requesting token's current limits and state, read when an approval is decided. */
    static final String REQUESTER = """
            SELECT max_label_cost, daily_spend, approval_above, revoked_at IS NOT NULL AS revoked
            FROM api_tokens WHERE id = $1""";

    private ApprovalSql() {
    }
}
