package dev.shipgate.webhooks;

/**
 * The SQL of outbound webhooks: endpoints, and deliveries leased under {@code FOR UPDATE SKIP LOCKED} so
 * several service instances on one database never send the same attempt twice at once. A lease is a
 * {@code next_attempt_at} moved past the attempt's longest duration: an instance that dies mid-attempt
 * leaves the delivery to be picked up again when that time comes (at least once).
 */
final class WebhookSql {

    private static final String ENDPOINT_COLUMNS = """
            id, url, description, events, enabled, disabled_reason, disabled_at, consecutive_failures, failing_since,
            last_success_at, created_at, updated_at,
            CASE WHEN previous_secret_expires_at > now() THEN previous_secret_expires_at END AS previous_secret_expires_at""";

    static final String INSERT_ENDPOINT = "INSERT INTO webhook_endpoints (id, url, description, events, secret) "
            + "VALUES ($1, $2, $3, $4, $5) RETURNING " + ENDPOINT_COLUMNS;

    static final String LIST_ENDPOINTS = "SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoints ORDER BY created_at DESC, id";

    static final String GET_ENDPOINT = "SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoints WHERE id = $1";

    /**
     * Changes what is given ($2..$5 flags say which of url, description, events, enabled). Enabling clears
     * the failure record; disabling by hand records who did. Answers also whether it was enabled before:
     * read under the row's lock, so of two concurrent re-enables only the first sees it disabled and releases
     * the held deliveries (without the lock both read the old row and both counted the same deliveries).
     */
    static final String UPDATE_ENDPOINT = """
            UPDATE webhook_endpoints SET
                url = CASE WHEN $2 THEN $6 ELSE url END,
                description = CASE WHEN $3 THEN $7 ELSE description END,
                events = CASE WHEN $4 THEN $8 ELSE events END,
                enabled = CASE WHEN $5 THEN $9 ELSE enabled END,
                disabled_reason = CASE WHEN NOT $5 THEN disabled_reason WHEN $9 THEN NULL
                                       WHEN enabled THEN 'disabled by an admin' ELSE disabled_reason END,
                disabled_at = CASE WHEN NOT $5 THEN disabled_at WHEN $9 THEN NULL
                                   WHEN enabled THEN now() ELSE disabled_at END,
                consecutive_failures = CASE WHEN $5 AND $9 AND NOT enabled THEN 0 ELSE consecutive_failures END,
                failing_since = CASE WHEN $5 AND $9 AND NOT enabled THEN NULL ELSE failing_since END,
                updated_at = now()
            FROM (SELECT enabled AS was_enabled FROM webhook_endpoints WHERE id = $1 FOR UPDATE) before
            WHERE id = $1
            RETURNING before.was_enabled,\s""" + ENDPOINT_COLUMNS;

    /**
     * What an endpoint ($1) that was just enabled again does with the deliveries held while it was disabled:
     * those of events older than the retry window ($2 seconds) are marked expired (the log keeps them for a
     * replay); the others are due now, with a fresh retry window. Answers how many of each.
     */
    static final String RELEASE_HELD = """
            WITH expired AS (
                UPDATE webhook_deliveries SET state = 'expired', finished_at = now()
                WHERE endpoint_id = $1 AND state = 'pending' AND created_at < now() - make_interval(secs => $2)
                RETURNING 1),
            released AS (
                UPDATE webhook_deliveries SET next_attempt_at = now(), retry_from = now()
                WHERE endpoint_id = $1 AND state = 'pending' AND created_at >= now() - make_interval(secs => $2)
                RETURNING 1)
            SELECT (SELECT count(*) FROM expired) AS expired, (SELECT count(*) FROM released) AS released""";

    /** Wakes every listening dispatcher (migration V51's channel); sent after a write that queues deliveries. */
    static final String WAKE = "NOTIFY webhook_outbox";

    /**
     * A new secret ($2); the one it replaces keeps signing beside it for $3 seconds (none when 0). A second
     * rotation inside an overlap drops the oldest secret: only the current and the one before sign.
     */
    static final String ROTATE_SECRET = """
            UPDATE webhook_endpoints SET secret = $2,
                previous_secret = CASE WHEN $3 > 0 THEN secret END,
                previous_secret_expires_at = CASE WHEN $3 > 0 THEN now() + make_interval(secs => $3) END,
                updated_at = now()
            WHERE id = $1 RETURNING\s""" + ENDPOINT_COLUMNS;

    static final String DELETE_ENDPOINT = "DELETE FROM webhook_endpoints WHERE id = $1 RETURNING id";

    /**
     * The newest $2 deliveries of endpoint $1, each with its attempts in order; {@code held} when it waits
     * for the endpoint to be enabled again. Times inside the JSON text are written as the rest of the API
     * writes them (UTC, {@code Z}), not as PostgreSQL's {@code +00:00}.
     */
    static final String DELIVERIES = """
            SELECT d.id, d.event_id, o.type, d.state, d.attempts, d.next_attempt_at, d.created_at, d.finished_at,
                   (d.state = 'pending' AND NOT e.enabled) AS held,
                   coalesce((SELECT json_agg(json_build_object('attempt', a.attempt,
                                 'started_at', to_char(a.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                                 'duration_ms', a.duration_ms, 'status_code', a.status_code, 'error', a.error)
                                 ORDER BY a.attempt)
                             FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]'::json)::text AS attempt_log
            FROM webhook_deliveries d JOIN webhook_outbox o ON o.id = d.event_id
            JOIN webhook_endpoints e ON e.id = d.endpoint_id
            WHERE d.endpoint_id = $1
            ORDER BY d.created_at DESC, d.id
            LIMIT $2""";

    /**
     * Sends delivery $2 of endpoint $1 again now, with a fresh retry window: a delivered, failed or expired one,
     * and a pending one waiting for its next retry (not leased, due later). A pending one already due, or leased
     * by a dispatcher that is sending it ({@code leased_at}, V58), is left alone: queueing it again would send it
     * twice. Read under the row's lock, so of concurrent replays exactly one queues it (the next sees it due).
     * Answers, for a delivery that exists, whether this replay queued it and its state and next attempt before.
     */
    static final String REPLAY = """
            WITH prior AS (
                SELECT id, event_id, state, next_attempt_at, leased_at FROM webhook_deliveries
                WHERE id = $2 AND endpoint_id = $1 FOR UPDATE),
            queued AS (
                UPDATE webhook_deliveries d SET state = 'pending', next_attempt_at = now(), retry_from = now(), finished_at = NULL
                FROM prior WHERE d.id = prior.id
                  AND (prior.state <> 'pending' OR (prior.leased_at IS NULL AND prior.next_attempt_at > now()))
                RETURNING d.id)
            SELECT prior.event_id, prior.state, prior.next_attempt_at, EXISTS (SELECT 1 FROM queued) AS queued FROM prior""";

    /** A ping event ($2) for endpoint $1 alone, whatever it subscribes to. */
    static final String PING = """
            WITH event AS (INSERT INTO webhook_outbox (id, type, dedupe_key, data) VALUES ($2, 'ping', 'ping:' || $2, $3::text::jsonb))
            INSERT INTO webhook_deliveries (id, event_id, endpoint_id) VALUES ($4, $2, $1)""";

    /**
     * Leases up to $1 due deliveries of enabled endpoints for $2 seconds, oldest due first, answering what an
     * attempt needs. A delivery's retry window starts at its first attempt (not at the emitting
     * transaction's start, which may be long before its commit).
     */
    static final String LEASE = """
            WITH due AS (
                SELECT d.id FROM webhook_deliveries d
                JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.enabled
                WHERE d.state = 'pending' AND d.next_attempt_at <= now()
                ORDER BY d.next_attempt_at
                LIMIT $1
                FOR UPDATE OF d SKIP LOCKED)
            UPDATE webhook_deliveries d SET next_attempt_at = now() + make_interval(secs => $2), leased_at = now(),
                retry_from = CASE WHEN d.attempts = 0 THEN now() ELSE d.retry_from END
            FROM due, webhook_outbox o, webhook_endpoints e
            WHERE d.id = due.id AND o.id = d.event_id AND e.id = d.endpoint_id
            RETURNING d.id, d.attempts, o.id AS event_id, o.type, o.data::text AS data, o.created_at, e.id AS endpoint_id,
                      e.url, e.secret,
                      CASE WHEN e.previous_secret_expires_at > now() THEN e.previous_secret END AS previous_secret""";

    /**
     * Records attempt $2 of delivery $1 (started $3, $4 ms, status $5 or error $6, success $7) and what it
     * means: delivered; or retried in $8 seconds unless that falls beyond the retry window of $9 seconds,
     * then failed ($10 describes the window for the endpoint's disabled reason). The endpoint keeps its
     * failure streak; it is disabled when a delivery gives up and no delivery to it has succeeded since
     * that delivery's window began (so it failed for the whole window). Answers the delivery's state and whether the endpoint is now disabled.
     */
    static final String RECORD = """
            WITH attempt AS (
                INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, status_code, error)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (delivery_id, attempt) DO NOTHING),
            delivery AS (
                UPDATE webhook_deliveries SET attempts = greatest(attempts, $2), leased_at = NULL,
                    state = CASE WHEN $7 THEN 'delivered'
                                 WHEN now() + make_interval(secs => $8) > retry_from + make_interval(secs => $9) THEN 'failed'
                                 ELSE 'pending' END,
                    next_attempt_at = CASE WHEN $7 THEN next_attempt_at ELSE now() + make_interval(secs => $8) END,
                    finished_at = CASE WHEN $7 OR now() + make_interval(secs => $8) > retry_from + make_interval(secs => $9)
                                       THEN now() END
                WHERE id = $1 AND state = 'pending'
                RETURNING endpoint_id, state, retry_from)
            UPDATE webhook_endpoints e SET
                consecutive_failures = CASE WHEN $7 THEN 0 ELSE e.consecutive_failures + 1 END,
                failing_since = CASE WHEN $7 THEN NULL ELSE coalesce(e.failing_since, $3) END,
                last_success_at = CASE WHEN $7 THEN now() ELSE e.last_success_at END,
                enabled = e.enabled AND NOT (d.state = 'failed' AND (e.last_success_at IS NULL OR e.last_success_at < d.retry_from)),
                disabled_at = CASE WHEN e.enabled AND d.state = 'failed' AND (e.last_success_at IS NULL OR e.last_success_at < d.retry_from)
                                   THEN now() ELSE e.disabled_at END,
                disabled_reason = CASE WHEN e.enabled AND d.state = 'failed' AND (e.last_success_at IS NULL OR e.last_success_at < d.retry_from)
                                       THEN 'no delivery succeeded since '
                                            || to_char(coalesce(e.failing_since, $3) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                                            || ', a whole retry window (' || $10 || ')'
                                       ELSE e.disabled_reason END
            FROM delivery d
            WHERE e.id = d.endpoint_id
            RETURNING d.state, NOT e.enabled AS disabled""";

    /**
     * Delivered rows are kept 7 days, failed and expired ones 30 (an admin may still replay them), and so are
     * deliveries held for an endpoint that stays disabled; then they are forgotten.
     */
    static final String EXPIRE_DELIVERIES = """
            DELETE FROM webhook_deliveries
            WHERE (state = 'delivered' AND finished_at < now() - interval '7 days')
               OR (state IN ('failed', 'expired') AND finished_at < now() - interval '30 days')
               OR (state = 'pending' AND created_at < now() - interval '30 days'
                   AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE NOT enabled))""";

    /** Events no delivery refers to any more, a day after they were emitted. */
    static final String EXPIRE_EVENTS = """
            DELETE FROM webhook_outbox o WHERE o.created_at < now() - interval '1 day'
              AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = o.id)""";

    private WebhookSql() {
    }
}
