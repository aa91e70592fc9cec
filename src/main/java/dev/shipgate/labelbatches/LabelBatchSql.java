package dev.shipgate.labelbatches;

/** Label batches and their shipments (migration V34). */
final class LabelBatchSql {

    /** The shipments $1 (uuid[]) with their EasyPost ids, whether they have a label and its refund status. */
    static final String SHIPMENTS = """
            SELECT id, easypost_id, label_url IS NOT NULL AS bought, refund_status FROM shipments WHERE id = ANY($1)""";

    /** The shipments bulk job $1 made, in item order, with whether they have a label. */
    static final String JOB_SHIPMENTS = """
            SELECT s.id, s.label_url IS NOT NULL AS bought, s.refund_status
            FROM bulk_job_items i JOIN shipments s ON s.id = i.shipment_id
            WHERE i.job_id = $1 ORDER BY i.position""";

    /** Bulk job $1's state, its item count and how many of its items have ended. */
    static final String JOB_STATE = """
            SELECT j.state, j.total,
                   (SELECT count(*) FROM bulk_job_items i WHERE i.job_id = j.id AND i.state NOT IN ('pending', 'running')) AS finished
            FROM bulk_jobs j WHERE j.id = $1""";

    static final String INSERT = """
            INSERT INTO label_batches (id, state, format, bulk_job_id, total) VALUES ($1, 'pending', $2, $3, $4)""";

    static final String INSERT_SHIPMENT = """
            INSERT INTO label_batch_shipments (batch_id, position, shipment_id) VALUES ($1, $2, $3)""";

    /** Batch $1 with its shipment ids in print order. */
    static final String FIND = """
            SELECT b.id, b.easypost_id, b.state, b.format, b.bulk_job_id, b.total, b.label_url, b.error, b.created_at,
                   b.updated_at, b.finished_at,
                   ARRAY(SELECT bs.shipment_id FROM label_batch_shipments bs WHERE bs.batch_id = b.id ORDER BY bs.position)
                       AS shipment_ids
            FROM label_batches b WHERE b.id = $1""";

    private static final String PAGE_SELECT = """
            SELECT id, easypost_id, state, format, bulk_job_id, total, label_url, error, created_at, finished_at
            FROM label_batches""";

    /** The newest $1 batches. */
    static final String FIRST_PAGE = PAGE_SELECT + "\nORDER BY created_at DESC, id DESC LIMIT $1";

    /** The newest $1 batches after cursor ($2, $3). */
    static final String NEXT_PAGE = PAGE_SELECT
            + "\nWHERE (created_at, id) < ($2, $3)\nORDER BY created_at DESC, id DESC LIMIT $1";

    /**
     * Takes the oldest open batch whose next step is due, pushing its next step $1 seconds on (a lease: a
     * worker that dies leaves it to another after that).
     */
    static final String CLAIM = """
            UPDATE label_batches b SET next_step_at = now() + make_interval(secs => $1), attempts = b.attempts + 1
            WHERE b.id = (SELECT id FROM label_batches WHERE state IN ('pending', 'generating') AND next_step_at <= now()
                          ORDER BY next_step_at FOR UPDATE SKIP LOCKED LIMIT 1)
            RETURNING b.id, b.easypost_id, b.state, b.format, b.attempts""";

    /** The EasyPost ids of batch $1's shipments, in order. */
    /** Milliseconds until the next open batch's step is due (negative: overdue); null when none is open. */
    static final String NEXT_DUE = """
            SELECT (EXTRACT(EPOCH FROM min(next_step_at) - now()) * 1000)::bigint AS wait_ms
            FROM label_batches WHERE state IN ('pending', 'generating')""";

    static final String EASYPOST_IDS = """
            SELECT s.easypost_id FROM label_batch_shipments bs JOIN shipments s ON s.id = bs.shipment_id
            WHERE bs.batch_id = $1 ORDER BY bs.position""";

    static final String CREATED = "UPDATE label_batches SET easypost_id = $2, updated_at = now() WHERE id = $1";

    /** The document is being made: look again in $2 seconds. */
    static final String GENERATING = """
            UPDATE label_batches SET state = 'generating', next_step_at = now() + make_interval(secs => $2),
                updated_at = now()
            WHERE id = $1""";

    static final String READY = """
            UPDATE label_batches SET state = 'ready', label_url = $2, updated_at = now(), finished_at = now()
            WHERE id = $1 AND state <> 'ready'""";

    /** A {@code batch.updated} event: EasyPost batch $1's document is at $2; no row when none of ours or ready already. */
    static final String READY_BY_EASYPOST_ID = """
            UPDATE label_batches SET state = 'ready', label_url = $2, updated_at = now(), finished_at = now()
            WHERE easypost_id = $1 AND state IN ('pending', 'generating') RETURNING id""";

    /** A {@code batch.updated} event: EasyPost batch $1 failed ($2 says how); no row when none of ours is open. */
    static final String FAILED_BY_EASYPOST_ID = """
            UPDATE label_batches SET state = 'failed', error = $2, updated_at = now(), finished_at = now()
            WHERE easypost_id = $1 AND state IN ('pending', 'generating') RETURNING id""";

    static final String FAILED = """
            UPDATE label_batches SET state = 'failed', error = $2, updated_at = now(), finished_at = now()
            WHERE id = $1 AND state IN ('pending', 'generating')""";

    /** A step failed for a reason that may pass: try again in $2 seconds. */
    static final String RETRY_LATER = """
            UPDATE label_batches SET next_step_at = now() + make_interval(secs => $2), updated_at = now() WHERE id = $1""";

    private LabelBatchSql() {
    }
}
