package dev.shipgate.http;

/**
 * The statements behind {@link Idempotency}: one row per (token scope, key) in {@code idempotency_keys},
 * claimed with a lock time, completed with the answer to replay, or released so a retry runs again.
 */
final class IdempotencySql {

    /**
     * Claims a key, or takes over a claim whose lock ran out (a crash) when it was made by the same request:
     * fingerprint $3, or $5 as versions before the canonical fingerprint stored it. Answers one row when claimed.
     */
    static final String CLAIM = """
            INSERT INTO idempotency_keys (scope, key, request_hash, locked_until)
            VALUES ($1, $2, $3, now() + make_interval(secs => $4))
            ON CONFLICT (scope, key) DO UPDATE SET locked_until = excluded.locked_until
                WHERE idempotency_keys.status_code IS NULL AND idempotency_keys.locked_until < now()
                  AND idempotency_keys.request_hash IN (excluded.request_hash, $5)
            RETURNING 1""";

    static final String LOOKUP =
            "SELECT request_hash, status_code, content_type, response_body, locked_until FROM idempotency_keys WHERE scope = $1 AND key = $2";

    static final String STORE = """
            UPDATE idempotency_keys SET status_code = $3, content_type = $4, response_body = $5, locked_until = NULL
            WHERE scope = $1 AND key = $2""";

    static final String RELEASE = "DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status_code IS NULL";

    static final String RENEW = """
            UPDATE idempotency_keys SET locked_until = now() + make_interval(secs => $3)
            WHERE scope = $1 AND key = $2 AND status_code IS NULL""";

    /** Completed answers are replayed for a day; claims still running are left alone. */
    static final String EXPIRE =
            "DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours' AND status_code IS NOT NULL";

    private IdempotencySql() {
    }
}
