package dev.shipgate.shipments;

/**
 * Shipment creations written down before EasyPost is asked (table {@code shipment_creations}), and the
 * EasyPost shipments no request claims ({@code easypost_orphans}).
 */
final class CreationSql {

    /**
     * Opens (or reopens, on a retry) the creation for source key $1 with request $2. Answers how many
     * attempts it has had, whether the last one was clearly refused by EasyPost, when the first began, and
     * the shipment already stored for the key, if any.
     */
    static final String OPEN = """
            WITH prior AS (SELECT refused FROM shipment_creations WHERE source_key = $1)
            INSERT INTO shipment_creations AS c (source_key, request) VALUES ($1, $2)
            ON CONFLICT (source_key) DO UPDATE
                SET attempts = c.attempts + 1, refused = false, resolved_at = NULL, updated_at = now()
            RETURNING c.attempts, coalesce((SELECT refused FROM prior), false) AS was_refused, c.created_at,
                      (SELECT id FROM shipments WHERE source_key = $1) AS shipment_id""";

    /** Settled creations are kept a day, for a late retry of their request to find its shipment. */
    static final String EXPIRE = "DELETE FROM shipment_creations WHERE resolved_at < now() - interval '24 hours'";

    /** The shipment stored for EasyPost shipment $1 or source key $2 (however its store failed to say so). */
    static final String STORED = "SELECT id FROM shipments WHERE easypost_id = $1 OR source_key = $2 LIMIT 1";

    /** The shipment stored for source key $1. */
    static final String BY_SOURCE_KEY = "SELECT id FROM shipments WHERE source_key = $1";

    /** EasyPost refused the creation: nothing exists there, a later attempt may simply create. */
    static final String REFUSED = "UPDATE shipment_creations SET refused = true, updated_at = now() WHERE source_key = $1";

    /** Closes creations whose shipment is stored. */
    static final String CLOSE_STORED = """
            UPDATE shipment_creations c SET resolved_at = now()
            FROM shipments s
            WHERE c.resolved_at IS NULL AND s.source_key = c.source_key""";

    /**
     * Takes up to $1 open creations untouched for $2 seconds (no request is working on them any more) and
     * holds them for the same time, so instances do not reconcile the same creation at once.
     */
    static final String TAKE_STALE = """
            WITH stale AS (
                SELECT source_key FROM shipment_creations
                WHERE resolved_at IS NULL AND updated_at < now() - make_interval(secs => $2)
                ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED)
            UPDATE shipment_creations c SET updated_at = now()
            FROM stale WHERE c.source_key = stale.source_key
            RETURNING c.source_key, c.request, c.refused, c.created_at""";

    static final String RESOLVE = "UPDATE shipment_creations SET resolved_at = now() WHERE source_key = $1";

    /**
     * Who owns which of the EasyPost ids $1: {@code mine} false when another creation than $2 stored or
     * claimed it (never a candidate for $2), true when $2 claimed it already (taken first on a retry).
     */
    static final String OWNERS = """
            SELECT easypost_id, false AS mine FROM shipments WHERE easypost_id = ANY($1) AND source_key IS DISTINCT FROM $2
            UNION ALL
            SELECT easypost_id, source_key = $2 AS mine FROM easypost_claims WHERE easypost_id = ANY($1)""";

    /**
     * Claims EasyPost shipment $1 for creation $2; a row when it is now (or was already) $2's, none when
     * another creation claimed it first.
     */
    static final String CLAIM = """
            INSERT INTO easypost_claims AS c (easypost_id, source_key) VALUES ($1, $2)
            ON CONFLICT (easypost_id) DO UPDATE SET claimed_at = c.claimed_at WHERE c.source_key = excluded.source_key
            RETURNING c.source_key""";

    /**
     * Whether another creation than $1 with the same reference ($2) is still open: its request may yet
     * claim a matching shipment, so none is an orphan yet.
     */
    static final String OTHERS_OPEN = """
            SELECT 1 FROM shipment_creations
            WHERE resolved_at IS NULL AND source_key <> $1 AND request ->> 'reference' IS NOT DISTINCT FROM $2
              AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.source_key = shipment_creations.source_key)
            LIMIT 1""";

    /** Claims older than a day: their shipments are stored or listed as orphans by then. */
    static final String EXPIRE_CLAIMS = "DELETE FROM easypost_claims WHERE claimed_at < now() - interval '24 hours'";

    /** Lists EasyPost shipment $1 as an orphan, unless a creation has claimed or stored it meanwhile. */
    static final String ORPHAN = """
            INSERT INTO easypost_orphans (easypost_id, source_key, reference, reason, created_at)
            SELECT $1, $2, $3, $4, $5
            WHERE NOT EXISTS (SELECT 1 FROM easypost_claims WHERE easypost_id = $1)
              AND NOT EXISTS (SELECT 1 FROM shipments WHERE easypost_id = $1)
            ON CONFLICT (easypost_id) DO NOTHING""";

    static final String ADOPTED = "DELETE FROM easypost_orphans WHERE easypost_id = $1";

    static final String OPEN_COUNT = """
            SELECT count(*) FILTER (WHERE resolved_at IS NULL AND updated_at < now() - interval '1 minute') AS open
            FROM shipment_creations""";

    /** Creations still open a minute after their last attempt, oldest first. */
    static final String REPORT_CREATIONS = """
            SELECT source_key, attempts, created_at, updated_at FROM shipment_creations
            WHERE resolved_at IS NULL AND updated_at < now() - interval '1 minute' ORDER BY created_at LIMIT 100""";

    /** Purchases under way or with an unknown outcome. */
    static final String REPORT_PURCHASES = """
            SELECT id, easypost_id, purchase_started_at, purchase_unverified FROM shipments
            WHERE label_url IS NULL AND (purchase_unverified OR purchase_started_at IS NOT NULL)
            ORDER BY created_at LIMIT 100""";

    /** EasyPost shipments no request claims, newest first. */
    static final String REPORT_ORPHANS = """
            SELECT easypost_id, source_key, reference, reason, created_at, found_at FROM easypost_orphans
            ORDER BY found_at DESC LIMIT 100""";

    /**
     * Claims the creation of shipment $1's return: sets {@code return_started_at} while it has no return and no
     * claim younger than $2 seconds is held (an older one was left by a crash; the creation's key finds what
     * EasyPost made then). Read under the row's lock, so of identical requests at once one creates the return.
     * Answers whether it was claimed, the return made already (if any) and the claim that decided it.
     */
    static final String CLAIM_RETURN = """
            WITH prior AS (
                SELECT id, return_started_at FROM shipments WHERE id = $1 FOR UPDATE),
            made AS (
                SELECT r.id FROM shipments r WHERE r.return_of = $1 LIMIT 1),
            claimed AS (
                UPDATE shipments s SET return_started_at = now()
                FROM prior
                WHERE s.id = prior.id AND NOT EXISTS (SELECT 1 FROM made)
                  AND (prior.return_started_at IS NULL OR prior.return_started_at < now() - make_interval(secs => $2))
                RETURNING s.id)
            SELECT prior.return_started_at, (SELECT id FROM made) AS return_shipment_id,
                   EXISTS (SELECT 1 FROM claimed) AS claimed
            FROM prior""";

    /** The return's creation ended (made, refused or left to the reconciler): the claim on shipment $1 goes. */
    static final String RELEASE_RETURN = "UPDATE shipments SET return_started_at = NULL WHERE id = $1";

    private CreationSql() {
    }
}
