package dev.shipgate.spend;

/**
 * The spend ledger's statements. The check against {@code daily_spend} and the spend are one conditional
 * upsert on the token's row for the business's day (passed in, see {@link SpendLedger}): PostgreSQL locks that row and re-evaluates the condition on
 * its latest version, so concurrent purchases can never together pass the limit.
 */
final class SpendSql {

    /**
     * Reserves $3 USD for token $1's purchase of shipment $2 as reservation $4, if the token is live and
     * its spend on day $5 (the business's today) plus $3 stays within its daily limit (no limit: always).
     * No row when refused.
     */
    static final String RESERVE = """
            WITH spend AS (
                INSERT INTO token_spend AS s (token_id, day, spent)
                SELECT t.id, $5::date, $3 FROM api_tokens t
                WHERE t.id = $1 AND t.revoked_at IS NULL AND (t.daily_spend IS NULL OR $3 <= t.daily_spend)
                ON CONFLICT (token_id, day) DO UPDATE SET spent = s.spent + excluded.spent
                WHERE s.spent + excluded.spent <= coalesce(
                    (SELECT t.daily_spend FROM api_tokens t WHERE t.id = s.token_id), s.spent + excluded.spent)
                RETURNING s.token_id, s.day)
            INSERT INTO spend_reservations (id, token_id, day, shipment_id, amount, state)
            SELECT $4, token_id, day, $2, $3, 'held' FROM spend
            RETURNING id""";

    /** Why a reservation was refused: the token's limit and state, and what it spent on day $2. */
    static final String STANDING = """
            SELECT t.daily_spend, t.revoked_at IS NOT NULL AS revoked, coalesce(s.spent, 0) AS spent_today
            FROM api_tokens t
            LEFT JOIN token_spend s ON s.token_id = t.id AND s.day = $2
            WHERE t.id = $1""";

    /** What token $1 spent on day $2, held reservations included. */
    static final String SPENT_TODAY = """
            SELECT coalesce((SELECT spent FROM token_spend WHERE token_id = $1 AND day = $2), 0)
                   AS spent_today""";

    private static final String GIVE_BACK = """
            , back AS (SELECT token_id, day, sum(amount) AS amount FROM r GROUP BY token_id, day)
            UPDATE token_spend s SET spent = s.spent - back.amount FROM back
            WHERE s.token_id = back.token_id AND s.day = back.day""";

    /** EasyPost sold no label for shipment $1: its held reservations go back to their tokens' day. */
    static final String RELEASE_SHIPMENT = """
            WITH r AS (
                UPDATE spend_reservations SET state = 'released', settled_at = now()
                WHERE shipment_id = $1 AND state = 'held'
                  AND NOT EXISTS (SELECT 1 FROM shipments WHERE id = $1 AND label_url IS NOT NULL)
                RETURNING token_id, day, amount)""" + GIVE_BACK;

    static final String HELD = "SELECT 1 FROM spend_reservations WHERE shipment_id = $1 AND state = 'held' LIMIT 1";

    /**
     * The label of shipment $1 is recorded: its held reservation stays spent for good, trued up to what the
     * label cost as recorded (postage plus EasyPost's insurance fee), since an insured purchase reserved the
     * documented fee bound ({@link SpendPolicy#insuranceFee}). The difference goes back to (or, never
     * expected, onto) the token's day. Reservations not under a shipment's id (pickups, insurance bought
     * later) keep their amount.
     */
    static final String SETTLE_SHIPMENT = """
            WITH held AS (
                SELECT id, amount FROM spend_reservations WHERE shipment_id = $1 AND state = 'held' FOR UPDATE),
            actual AS (
                SELECT s.rate + coalesce(s.insurance_fee, 0) AS amount FROM shipments s
                WHERE s.id = $1 AND s.rate IS NOT NULL AND s.label_url IS NOT NULL),
            r AS (
                UPDATE spend_reservations sr SET state = 'settled', settled_at = now(),
                       amount = coalesce((SELECT amount FROM actual), sr.amount)
                FROM held WHERE sr.id = held.id
                RETURNING sr.token_id, sr.day, held.amount - sr.amount AS amount)""" + GIVE_BACK;

    /**
     * Reservation $1 bought what it was for (insurance of a bought shipment): spent for good, trued up to
     * what EasyPost charged, $2 USD (null: as reserved); the difference goes back to the token's day.
     */
    static final String SETTLE_ONE = """
            WITH held AS (SELECT id, amount FROM spend_reservations WHERE id = $1 AND state = 'held' FOR UPDATE),
            r AS (
                UPDATE spend_reservations sr SET state = 'settled', settled_at = now(), amount = coalesce($2::numeric, sr.amount)
                FROM held WHERE sr.id = held.id
                RETURNING sr.token_id, sr.day, held.amount - sr.amount AS amount)""" + GIVE_BACK;

    /** EasyPost clearly refused what reservation $1 was for: it goes back to its token's day. */
    static final String RELEASE_ONE = """
            WITH r AS (
                UPDATE spend_reservations SET state = 'released', settled_at = now()
                WHERE id = $1 AND state = 'held'
                RETURNING token_id, day, amount)""" + GIVE_BACK;

    private SpendSql() {
    }
}
