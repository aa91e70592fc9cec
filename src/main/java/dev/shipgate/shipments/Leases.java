package dev.shipgate.shipments;

import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemType;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * What a client is told when a purchase lease (a label's, a pickup's) keeps its attempt from buying. A
 * lease taken before this process started was left by an attempt a crash or restart interrupted: no one
 * is buying, and nothing can until the lease times out ({@code PURCHASE_LEASE_SECONDS}), after which the
 * next attempt (or the reconciler) reads the outcome back from EasyPost before buying. Saying "being
 * bought right now, retry in 2 s" for the whole lease would send a client into a loop of useless retries.
 * (With several instances, a lease another instance took before this one started is taken for an
 * interrupted one too; the seconds until it ends are right either way.)
 */
public final class Leases {

    /** Seconds to wait for a purchase another request is making right now. */
    static final int LIVE_RETRY_SECONDS = 2;
    private static final Instant STARTED = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());

    private Leases() {
    }

    /**
     * The 409 {@code purchase-in-progress} for {@code what} ("a label for shipment ...", "pickup ...") whose
     * lease was taken at {@code startedAt} (null: unknown) and lasts {@code leaseSeconds}: for a lease left by
     * an interrupted attempt, {@code interrupted: true}, {@code lease_ends_at} and {@code retry_after} the
     * seconds until it ends (sent as {@code Retry-After}); otherwise a short {@code retry_after}.
     */
    public static Problem inProgress(String what, OffsetDateTime startedAt, int leaseSeconds) {
        return held(ProblemType.PURCHASE_IN_PROGRESS, "purchase", "bought", what, startedAt, leaseSeconds);
    }

    /**
     * The 409 {@code refund-in-progress} for shipment {@code id} whose refund was claimed at {@code startedAt}
     * (migration V57): the same members as {@link #inProgress}, plus {@code shipment_id}. A claim left by an
     * interrupted refund is taken over once {@code leaseSeconds} have passed; EasyPost is then asked again,
     * which is safe (it answers a refund already asked for with the status it has).
     */
    public static Problem refundInProgress(java.util.UUID id, OffsetDateTime startedAt, int leaseSeconds) {
        return held(ProblemType.REFUND_IN_PROGRESS, "refund", "refunded", "the label of shipment " + id, startedAt, leaseSeconds)
                .with("shipment_id", id.toString());
    }

    /** The 409 {@code insurance-in-progress} for shipment {@code id}, as {@link #refundInProgress} for a refund. */
    public static Problem insuranceInProgress(java.util.UUID id, OffsetDateTime startedAt, int leaseSeconds) {
        return held(ProblemType.INSURANCE_IN_PROGRESS, "insurance", "insured", "shipment " + id, startedAt, leaseSeconds)
                .with("shipment_id", id.toString());
    }

    /** The 409 {@code cancel-in-progress} for pickup {@code id}, as {@link #refundInProgress} for a refund. */
    public static Problem cancelInProgress(java.util.UUID id, OffsetDateTime startedAt, int leaseSeconds) {
        return held(ProblemType.CANCEL_IN_PROGRESS, "cancellation", "cancelled", "pickup " + id, startedAt, leaseSeconds)
                .with("pickup_id", id.toString());
    }

    /** The 409 {@code return-in-progress} for shipment {@code id}'s return, as {@link #refundInProgress} for a refund. */
    public static Problem returnInProgress(java.util.UUID id, OffsetDateTime startedAt, int leaseSeconds) {
        return held(ProblemType.RETURN_IN_PROGRESS, "return", "created", "the return of shipment " + id, startedAt, leaseSeconds)
                .with("shipment_id", id.toString());
    }

    private static Problem held(ProblemType type, String noun, String participle, String what, OffsetDateTime startedAt,
                                int leaseSeconds) {
        if (startedAt == null || !startedAt.toInstant().isBefore(STARTED)) {
            return Problem.of(type, what + " is being " + participle + " right now")
                    .retryAfter(LIVE_RETRY_SECONDS);
        }
        Instant ends = startedAt.toInstant().plusSeconds(leaseSeconds);
        long wait = Math.max(1, (long) Math.ceil(Duration.between(Instant.now(), ends).toMillis() / 1000.0));
        String next = switch (noun) {
            case "purchase" -> "reads the outcome back from EasyPost before buying, so nothing is bought twice";
            case "refund" -> "asks EasyPost again, which answers the refund it already has, so nothing is refunded twice";
            case "cancellation" -> "asks EasyPost again, which answers a cancelled pickup unchanged";
            case "return" -> "looks for the return EasyPost made first, so no second one is created";
            default -> "asks EasyPost again, which refuses to insure a shipment twice";
        };
        return Problem.of(type, "the " + noun + " of " + what + " started at "
                        + dev.shipgate.http.Times.wire(startedAt) + " was interrupted (the service restarted since) "
                        + "and its lease holds until " + dev.shipgate.http.Times.wire(ends) + "; then the next attempt " + next
                        + ". Retry in " + wait + " s")
                .with("interrupted", true)
                .with("lease_started_at", dev.shipgate.http.Times.wire(startedAt))
                .with("lease_ends_at", dev.shipgate.http.Times.wire(ends))
                .retryAfter((int) Math.min(Integer.MAX_VALUE, wait));
    }
}
