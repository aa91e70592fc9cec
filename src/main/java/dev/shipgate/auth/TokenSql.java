package dev.shipgate.auth;

/** The statements behind tokens: the per-request lookup, and the admin operations. */
final class TokenSql {

    /** The live token with digest $1; no row once it is revoked. */
    static final String LOOKUP = """
            SELECT id, name, scopes, max_label_cost, daily_spend, approval_above
            FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL""";

    static final String INSERT = """
            INSERT INTO api_tokens (id, name, token_hash, scopes, max_label_cost, daily_spend, approval_above)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            RETURNING created_at""";

    /** Every token, newest first, with what it spent on day $1 (the business's today); never the digest. */
    static final String LIST = """
            SELECT t.id, t.name, t.scopes, t.max_label_cost, t.daily_spend, t.approval_above, t.created_at,
                   t.revoked_at, coalesce(s.spent, 0) AS spent_today
            FROM api_tokens t
            LEFT JOIN token_spend s ON s.token_id = t.id AND s.day = $1
            ORDER BY t.created_at DESC, t.id DESC""";

    /** Revokes token $1; answers its name, or no row when there is no live token $1. */
    static final String REVOKE = """
            UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING name, revoked_at""";

    /**
     * Changes token $1's scopes and limits: each given flag ($2, $4, $6, $8) replaces that column with the
     * value after it (null removes a limit); answers the token as LIST does with $10 the business's today, no
     * row when none is live.
     */
    static final String UPDATE = """
            WITH u AS (
              UPDATE api_tokens SET
                scopes = CASE WHEN $2 THEN $3 ELSE scopes END,
                max_label_cost = CASE WHEN $4 THEN $5 ELSE max_label_cost END,
                daily_spend = CASE WHEN $6 THEN $7 ELSE daily_spend END,
                approval_above = CASE WHEN $8 THEN $9 ELSE approval_above END
              WHERE id = $1 AND revoked_at IS NULL
              RETURNING id, name, scopes, max_label_cost, daily_spend, approval_above, created_at, revoked_at)
            SELECT u.*, coalesce(s.spent, 0) AS spent_today
            FROM u LEFT JOIN token_spend s ON s.token_id = u.id AND s.day = $10""";

    static final String EXISTS = "SELECT revoked_at FROM api_tokens WHERE id = $1";

    private TokenSql() {
    }
}
