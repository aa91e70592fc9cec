package dev.shipgate.shipments;

/**
 * The purchase lease on a shipment row, so two requests (or two service instances) never buy the same
 * label. The lease is held only while a purchase talks to EasyPost; an outcome EasyPost left unknown
 * releases it and marks the shipment unverified, so the next attempt reads it back at once. A refund and an
 * insurance added later claim the row the same way (migration V57), so identical requests arriving at once
 * make one call at EasyPost.
 */
final class PurchaseSql {

    /**
     * Takes the lease on shipment $1 when it has no label and no live lease (a lease older than $2 seconds
     * was left by a crash). Answers whether the attempt must read the shipment back from EasyPost first.
     */
    static final String CLAIM = """
            WITH prior AS (
                SELECT id, purchase_started_at, purchase_unverified FROM shipments WHERE id = $1 FOR UPDATE)
            UPDATE shipments s SET purchase_started_at = now()
            FROM prior
            WHERE s.id = prior.id AND s.label_url IS NULL
              AND (prior.purchase_started_at IS NULL OR prior.purchase_started_at < now() - make_interval(secs => $2))
            RETURNING prior.purchase_started_at IS NOT NULL OR prior.purchase_unverified AS reconcile""";

    /** Why a claim failed: the label is there, or a purchase is under way. */
    static final String STATE = "SELECT label_url, tracking_code, purchase_started_at FROM shipments WHERE id = $1";

    /**
     * Claims the refund of shipment $1: sets {@code refund_started_at} when no refund status is stored, the
     * carrier has not scanned the label and no claim younger than $2 seconds is held (an older one was left by
     * a crash and is taken over). Read under the row's lock, so of two concurrent claims the second sees the
     * first's and fails. Always answers one row for an existing shipment: whether it was claimed, and the
     * state that decided it.
     */
    static final String CLAIM_REFUND = """
            WITH prior AS (
                SELECT id, refund_status, refund_started_at, first_scan_at FROM shipments WHERE id = $1 FOR UPDATE),
            claimed AS (
                UPDATE shipments s SET refund_started_at = now()
                FROM prior
                WHERE s.id = prior.id AND prior.refund_status IS NULL AND prior.first_scan_at IS NULL
                  AND (prior.refund_started_at IS NULL OR prior.refund_started_at < now() - make_interval(secs => $2))
                RETURNING s.id)
            SELECT prior.refund_status, prior.refund_started_at, prior.first_scan_at,
                   EXISTS (SELECT 1 FROM claimed) AS claimed
            FROM prior""";

    /**
     * Claims the insurance of bought shipment $1 as {@link #CLAIM_REFUND} claims a refund: sets
     * {@code insure_started_at} while no insured amount is stored and no claim younger than $2 seconds is held.
     * Answers whether it was claimed, the insured amount and the claim that decided it.
     */
    static final String CLAIM_INSURANCE = """
            WITH prior AS (
                SELECT id, insured_amount, insure_started_at FROM shipments WHERE id = $1 FOR UPDATE),
            claimed AS (
                UPDATE shipments s SET insure_started_at = now()
                FROM prior
                WHERE s.id = prior.id AND prior.insured_amount IS NULL
                  AND (prior.insure_started_at IS NULL OR prior.insure_started_at < now() - make_interval(secs => $2))
                RETURNING s.id)
            SELECT prior.insured_amount, prior.insure_started_at, EXISTS (SELECT 1 FROM claimed) AS claimed
            FROM prior""";

    /** EasyPost surely did not insure shipment $1: its claim goes, so a retry may ask again at once. */
    static final String RELEASE_INSURANCE = "UPDATE shipments SET insure_started_at = NULL WHERE id = $1 AND insured_amount IS NULL";

    /** The refund of shipment $1 failed at EasyPost: its claim goes, so the next request may ask again. */
    static final String RELEASE_REFUND = "UPDATE shipments SET refund_started_at = NULL WHERE id = $1 AND refund_status IS NULL";

    /**
     * EasyPost clearly did not sell the label: the lease goes; $2 says the shipment was just read back
     * without postage, which clears an earlier unverified mark.
     */
    static final String RELEASE = """
            UPDATE shipments SET purchase_started_at = NULL, purchase_unverified = purchase_unverified AND NOT $2
            WHERE id = $1 AND label_url IS NULL""";

    /** EasyPost's outcome is unknown: the lease goes and the next attempt reads the shipment back first. */
    static final String UNVERIFIED = """
            UPDATE shipments SET purchase_started_at = NULL, purchase_unverified = true
            WHERE id = $1 AND label_url IS NULL""";

    /**
     * Up to $2 purchases nobody is settling: marked unverified with no live lease, or holding a lease older
     * than $1 seconds (left by a crash).
     */
    static final String UNSETTLED = """
            SELECT id FROM shipments
            WHERE label_url IS NULL AND (purchase_unverified OR purchase_started_at IS NOT NULL)
              AND (purchase_started_at IS NULL OR purchase_started_at < now() - make_interval(secs => $1))
            ORDER BY created_at LIMIT $2""";

    private PurchaseSql() {
    }
}
