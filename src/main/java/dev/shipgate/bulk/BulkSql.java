package dev.shipgate.bulk;

/** The SQL of bulk jobs: creation in one statement per table, claims under SKIP LOCKED and a lease. */
final class BulkSql {

    static final String INSERT_JOB = """
            INSERT INTO bulk_jobs (id, state, buy_strategy, buy_carriers, buy_services, total, token_id, token_name,
                                   buy_label_format)
            VALUES ($1, 'running', $2, $3, $4, $5, $6, $7, $8)""";

    static final String INSERT_ITEMS = """
            INSERT INTO bulk_job_items (job_id, position, state, request, line)
            SELECT $1, item.position, 'pending', item.request, item.line
            FROM unnest($2::int[], $3::jsonb[], $4::int[]) AS item(position, request, line)""";

    /** Takes up to $1 open items of running jobs, oldest positions first, for $2 seconds. */
    static final String CLAIM = """
            WITH candidate AS (
                SELECT i.job_id, i.position
                FROM bulk_job_items i
                JOIN bulk_jobs j ON j.id = i.job_id AND j.state = 'running'
                WHERE i.state IN ('pending', 'running')
                  AND (i.lease_until IS NULL OR i.lease_until < now())
                ORDER BY i.job_id, i.position
                LIMIT $1
                FOR UPDATE OF i SKIP LOCKED)
            UPDATE bulk_job_items i
            SET state = 'running', attempts = i.attempts + 1, lease_until = now() + make_interval(secs => $2)
            FROM candidate c, bulk_jobs j LEFT JOIN api_tokens t ON t.id = j.token_id
            WHERE i.job_id = c.job_id AND i.position = c.position AND j.id = i.job_id
            RETURNING i.job_id, i.position, i.request, i.attempts, i.waits, j.buy_strategy, j.buy_carriers, j.buy_services,
                      j.buy_label_format, j.token_id, j.token_name, t.max_label_cost, t.daily_spend, t.approval_above,
                      t.scopes AS token_scopes""";

    static final String SUCCEEDED = """
            UPDATE bulk_job_items SET state = 'succeeded', shipment_id = $3, error = NULL, lease_until = NULL,
                   finished_at = now()
            WHERE job_id = $1 AND position = $2 AND state = 'running'""";

    static final String FAILED = """
            UPDATE bulk_job_items SET state = 'failed', shipment_id = coalesce($3, shipment_id), error = $4,
                   lease_until = NULL, finished_at = now()
            WHERE job_id = $1 AND position = $2 AND state = 'running'""";

    /** Puts the item back for a later attempt, not before $3 seconds. */
    static final String RETRY_LATER = """
            UPDATE bulk_job_items SET state = 'pending', error = $4, shipment_id = coalesce($5, shipment_id),
                   lease_until = now() + make_interval(secs => $3)
            WHERE job_id = $1 AND position = $2 AND state = 'running'""";

    /**
     * Puts the item back, not before $3 seconds, gives its attempt back and counts a wait: EasyPost did not act
     * on the call (a rate limit, a refused API key, or it never left this service: an open breaker, a full
     * queue of calls), so it does not bring the item closer to failing. The error $4 gets {@code waiting_since}
     * (UTC): when the item began waiting for this reason (the same problem type as its last wait keeps it), so
     * a wait of minutes shows as such.
     */
    static final String WAIT = """
            UPDATE bulk_job_items SET state = 'pending', shipment_id = coalesce($5, shipment_id),
                   error = $4::jsonb || jsonb_build_object('waiting_since',
                       CASE WHEN error->>'type' = $4::jsonb->>'type' AND error->'waiting_since' IS NOT NULL
                            THEN error->'waiting_since'
                            ELSE to_jsonb(to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')) END),
                   attempts = greatest(attempts - 1, 0), waits = waits + 1,
                   lease_until = now() + make_interval(secs => $3)
            WHERE job_id = $1 AND position = $2 AND state = 'running'""";

    /**
     * What the item's money path left, by its source key $1 (or shipment $2): the shipment stored for it,
     * whether its label is bought, and whether anything is unsettled (a purchase under way or unverified,
     * or a creation whose outcome is not known yet).
     */
    static final String ITEM_STATE = """
            WITH s AS (SELECT id, label_url, purchase_unverified, purchase_started_at FROM shipments
                       WHERE source_key = $1 OR id = $2 LIMIT 1)
            SELECT (SELECT id FROM s) AS shipment_id,
                   coalesce((SELECT label_url IS NOT NULL FROM s), false) AS bought,
                   coalesce((SELECT label_url IS NULL AND (purchase_unverified OR purchase_started_at IS NOT NULL) FROM s), false)
                   OR (NOT EXISTS (SELECT 1 FROM s) AND EXISTS (SELECT 1 FROM shipment_creations c
                       WHERE c.source_key = $1 AND c.resolved_at IS NULL AND NOT c.refused)) AS unsettled""";

    /**
     * Completes job $1 once no item is open, and emits {@code job.completed} in the same statement (see
     * {@code webhooks.Outbox}), so the event exists exactly when the job is completed. Its times are UTC with
     * {@code Z}, as the API writes them (json_build_object alone would write {@code +00:00}).
     */
    static final String COMPLETE_JOB = """
            WITH done AS (
                UPDATE bulk_jobs SET state = 'completed', finished_at = now()
                WHERE id = $1 AND state = 'running'
                  AND NOT EXISTS (SELECT 1 FROM bulk_job_items WHERE job_id = $1 AND state IN ('pending', 'running'))
                RETURNING id, total, retries, created_at, finished_at)
            SELECT webhook_emit('job.completed',
                       'job.completed:' || done.id || CASE WHEN done.retries > 0 THEN ':' || done.retries ELSE '' END,
                       json_build_object(
                       'job_id', done.id, 'state', 'completed', 'total', done.total,
                       'succeeded', (SELECT count(*) FROM bulk_job_items WHERE job_id = done.id AND state = 'succeeded'),
                       'failed', (SELECT count(*) FROM bulk_job_items WHERE job_id = done.id AND state = 'failed'),
                       'cancelled', (SELECT count(*) FROM bulk_job_items WHERE job_id = done.id AND state = 'cancelled'),
                       'created_at', to_char(done.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                       'finished_at', to_char(done.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text)
            FROM done""";

    static final String CANCEL = """
            WITH job AS (
                UPDATE bulk_jobs SET state = 'cancelled', finished_at = now()
                WHERE id = $1 AND state = 'running' RETURNING id)
            UPDATE bulk_job_items SET state = 'cancelled', finished_at = now(), lease_until = NULL, error = NULL
            WHERE job_id IN (SELECT id FROM job) AND state = 'pending'
            RETURNING 1""";

    /**
     * Puts the failed items of job $1 back to be tried afresh (attempts and waits from zero; each keeps its
     * shipment, found again by its creation key, so nothing is created twice) and the job back to running.
     * Nothing for a cancelled job or one without failed items. Returns the items put back.
     */
    static final String RETRY_FAILED = """
            WITH job AS (
                UPDATE bulk_jobs SET state = 'running', finished_at = NULL, retries = retries + 1
                WHERE id = $1 AND state IN ('running', 'completed')
                  AND EXISTS (SELECT 1 FROM bulk_job_items WHERE job_id = $1 AND state = 'failed')
                RETURNING id)
            UPDATE bulk_job_items SET state = 'pending', attempts = 0, waits = 0, lease_until = NULL, finished_at = NULL
            WHERE job_id IN (SELECT id FROM job) AND state = 'failed'
            RETURNING 1""";

    /**
     * A job's counts by item state, and of its pending items: those tried before (retrying), those waiting
     * because EasyPost asked for fewer calls (rate limited), could not be called (unavailable: an open breaker,
     * a full queue; since when the first began waiting) or refused the API key (key refused, since when), and
     * when the first of them is tried again; of its running items, when the last lease ends (held until).
     */
    static final String PROGRESS = """
            SELECT j.id, j.state, j.total, j.buy_strategy, j.created_at, j.finished_at, j.token_id,
                   count(*) FILTER (WHERE i.state = 'pending' AND (i.attempts > 0 OR i.waits > 0)) AS retrying,
                   count(*) FILTER (WHERE i.state = 'pending' AND i.error->>'type' LIKE '%/easypost-rate-limit') AS rate_limited,
                   count(*) FILTER (WHERE i.state = 'pending' AND i.error->>'type' ~ '/(easypost-unavailable|easypost-busy)$') AS unavailable,
                   min((i.error->>'waiting_since')::timestamptz) FILTER (WHERE i.state = 'pending'
                       AND i.error->>'type' ~ '/(easypost-unavailable|easypost-busy)$') AS unavailable_since,
                   count(*) FILTER (WHERE i.state = 'pending' AND i.error->'easypost'->>'status' IN ('401', '403')) AS key_refused,
                   min((i.error->>'waiting_since')::timestamptz) FILTER (WHERE i.state = 'pending'
                       AND i.error->'easypost'->>'status' IN ('401', '403')) AS key_refused_since,
                   min(i.lease_until) FILTER (WHERE i.state = 'pending' AND i.lease_until > now()) AS next_attempt_at,
                   max(i.lease_until) FILTER (WHERE i.state = 'running') AS held_until,
                   count(*) FILTER (WHERE i.state = 'pending') AS pending,
                   count(*) FILTER (WHERE i.state = 'running') AS running,
                   count(*) FILTER (WHERE i.state = 'succeeded') AS succeeded,
                   count(*) FILTER (WHERE i.state = 'failed') AS failed,
                   count(*) FILTER (WHERE i.state = 'cancelled') AS cancelled
            FROM bulk_jobs j JOIN bulk_job_items i ON i.job_id = j.id
            WHERE j.id = $1
            GROUP BY j.id""";

    /**
     * A page of jobs, newest first: state $1 (all when null), after position ($2, $3) (the first page passes
     * {@code infinity}), $4 rows. Counts per job come from its items, as {@link #PROGRESS} counts them.
     */
    static final String LIST = """
            SELECT j.id, j.state, j.total, j.buy_strategy, j.created_at, j.finished_at, j.token_name,
                   c.pending, c.running, c.succeeded, c.failed, c.cancelled
            FROM bulk_jobs j
            CROSS JOIN LATERAL (
                SELECT count(*) FILTER (WHERE i.state = 'pending') AS pending,
                       count(*) FILTER (WHERE i.state = 'running') AS running,
                       count(*) FILTER (WHERE i.state = 'succeeded') AS succeeded,
                       count(*) FILTER (WHERE i.state = 'failed') AS failed,
                       count(*) FILTER (WHERE i.state = 'cancelled') AS cancelled
                FROM bulk_job_items i WHERE i.job_id = j.id) c
            WHERE ($1::text IS NULL OR j.state = $1) AND (j.created_at, j.id) < ($2::timestamptz, $3::uuid)
            ORDER BY j.created_at DESC, j.id DESC
            LIMIT $4""";

    static final String ITEMS = """
            SELECT i.position, i.line, i.state, i.shipment_id, i.attempts, i.waits, i.error, s.tracking_code, s.carrier, s.service, s.rate,
                   CASE WHEN i.state = 'pending' AND i.lease_until > now() THEN i.lease_until END AS next_attempt_at,
                   CASE WHEN i.state = 'running' THEN i.lease_until END AS lease_ends_at,
                   i.request->>'reference' AS reference
            FROM bulk_job_items i LEFT JOIN shipments s ON s.id = i.shipment_id
            WHERE i.job_id = $1 AND i.position > $2 AND ($3::text IS NULL OR i.state = $3)
            ORDER BY i.position
            LIMIT $4""";

    /**
     * Every item of a job for its CSV export, in upload order: the CSV line the row came from (null for
     * JSON uploads), its 0-based index, then the outcome. $2 filters by item state when not null. A currency
     * only with an amount: a shipment that never got a rate has none to name.
     */
    static final String EXPORT = """
            SELECT i.line, i.position, i.request->>'reference', i.state, i.error, i.attempts, i.shipment_id,
                   s.carrier, s.service, s.tracking_code, s.rate, CASE WHEN s.rate IS NULL THEN NULL ELSE s.currency END,
                   i.finished_at
            FROM bulk_job_items i LEFT JOIN shipments s ON s.id = i.shipment_id
            WHERE i.job_id = $1 AND ($2::text IS NULL OR i.state = $2)
            ORDER BY i.position""";

    private BulkSql() {
    }
}
