package dev.shipgate.exceptions;

import dev.shipgate.http.Problem;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Why a shipment needs a person. Four come from the tracker's own status (EasyPost tracker statuses
 * {@code failure}, {@code return_to_sender}, {@code error}, and {@code cancelled} once the carrier has
 * scanned the parcel); three from time passing: no tracking movement for {@code EXCEPTION_STALL_DAYS},
 * past the carrier's estimated delivery date once that day has ended in the business's time zone
 * ({@code BUSINESS_TIMEZONE}) and not delivered, and a label bought but never
 * scanned after {@code EXCEPTION_UNSCANNED_DAYS}. Sent and filtered by their wire names
 * ({@code no_movement}).
 */
public enum ExceptionReason {
    FAILURE, RETURN_TO_SENDER, ERROR, CANCELLED_AFTER_PICKUP, NO_MOVEMENT, PAST_ESTIMATED_DELIVERY, NEVER_SCANNED;

    /** Tracker statuses that are exceptions by themselves (cancelled only after a carrier scan). */
    private static final Set<String> EXCEPTION_STATUSES = Set.of("failure", "return_to_sender", "error", "cancelled");
    /** Tracker statuses that say the carrier does not hold the parcel yet (or never will). */
    private static final Set<String> NOT_SCANNED = Set.of("unknown", "pre_transit", "cancelled", "error");

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(ExceptionReason::wire).toList();
    }

    /**
     * The reason a tracker status gives by itself, if any: {@code failure}, {@code return_to_sender} and
     * {@code error} always, {@code cancelled} only when the parcel had been scanned by the carrier
     * ({@code scanned}), because a label cancelled before pickup is a voided label, not a lost parcel.
     * For anything that reacts to tracker events (the {@code shipment.exception} webhook, the queue).
     */
    public static Optional<ExceptionReason> ofTrackingStatus(String status, boolean scanned) {
        if (status == null) {
            return Optional.empty();
        }
        return switch (status) {
            case "failure" -> Optional.of(FAILURE);
            case "return_to_sender" -> Optional.of(RETURN_TO_SENDER);
            case "error" -> Optional.of(ERROR);
            case "cancelled" -> scanned ? Optional.of(CANCELLED_AFTER_PICKUP) : Optional.empty();
            default -> Optional.empty();
        };
    }

    /** Whether a tracking detail with this status is an exception event (its time re-opens an acknowledged entry). */
    public static boolean isExceptionEvent(String status) {
        return status != null && EXCEPTION_STATUSES.contains(status);
    }

    /** Whether a tracking detail with this status is a carrier scan: the carrier has the parcel. */
    public static boolean isCarrierScan(String status) {
        return status != null && !NOT_SCANNED.contains(status);
    }

    /** The reason named {@code value}; a 400 naming {@code param} with the accepted names otherwise. */
    static ExceptionReason parse(String param, String value) {
        return Arrays.stream(values()).filter(r -> r.wire().equals(value)).findFirst()
                .orElseThrow(() -> Problem.invalidParam(param, "must be one of " + String.join(", ", wireNames())).exception());
    }
}
