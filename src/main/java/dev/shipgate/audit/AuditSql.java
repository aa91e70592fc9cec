package dev.shipgate.audit;

/** The audit trail's statements: one insert per call, the purchase's outcome filled in, the admin's read. */
final class AuditSql {

    static final String INSERT = """
            INSERT INTO audit_log (id, token_id, token_name, client, operation, shipment_id, job_id, approval_id,
                                   target_token, amount, currency, status, problem_type, request_id, note)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)""";

    /** The outcome of a call whose row was written before it ran (a purchase). */
    static final String FINISH = "UPDATE audit_log SET status = $2, problem_type = $3 WHERE id = $1";

    /**
     * One page, newest first: from $1 (inclusive) to $2 (exclusive), token $3 (id) or $4 (name), operation
     * $5, after the cursor ($6, $7); $8 rows.
     */
    static final String PAGE = """
            SELECT id, at, token_id, token_name, client, operation, shipment_id, job_id, approval_id, target_token,
                   amount, currency, status, problem_type, request_id, note
            FROM audit_log
            WHERE ($1::timestamptz IS NULL OR at >= $1) AND ($2::timestamptz IS NULL OR at < $2)
              AND ($3::uuid IS NULL OR token_id = $3) AND ($4::text IS NULL OR token_name = $4)
              AND ($5::text IS NULL OR operation = $5)
              AND ($6::timestamptz IS NULL OR (at, id) < ($6, $7::uuid))
            ORDER BY at DESC, id DESC
            LIMIT $8""";

    /** Audit rows are kept 400 days: a year of disputes and an audit season after it. */
    static final String EXPIRE = "DELETE FROM audit_log WHERE at < now() - interval '400 days'";

    private AuditSql() {
    }
}
