package dev.shipgate.shipments;

import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemType;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The rules every operation on a bought label follows (insuring it, printing it in a batch, putting it on
 * a scan form or a pickup, making its return), in one place so no path forgets one.
 * <ul>
 * <li>A label whose refund EasyPost accepted or is considering ({@code refund_status} {@code submitted} or
 * {@code refunded}, https://docs.easypost.com/docs/shipments/refunds) is void: it will not ship, so it is
 * refused with a 409 {@code label-refunded} naming the shipment. A {@code rejected} refund leaves the label
 * valid.
 * <li>An international shipment is insured for at most the customs value it declares: a carrier pays
 * out at most what was declared, on buy and on a later insure alike.
 * </ul>
 */
public final class BoughtLabels {

    /** EasyPost's refund statuses after which the label is void (or about to be). */
    private static final Set<String> VOID = Set.of("submitted", "refunded");

    private BoughtLabels() {
    }

    /** One shipment named in a request: the field that named it, its id and its {@code refund_status}. */
    public record Named(String field, UUID id, String refundStatus) {
    }

    /** Whether a label with this {@code refund_status} (null: no refund asked) is void. */
    public static boolean isVoid(String refundStatus) {
        return refundStatus != null && VOID.contains(refundStatus);
    }

    /**
     * The 409 {@code label-refunded} for the void labels among {@code named} (each named in
     * {@code invalid_params} under the field that named it, all ids in {@code shipment_ids}), or null
     * when none is void. {@code doing} says what was asked ("insured", "printed", ...).
     */
    public static Problem refused(List<Named> named, String doing) {
        List<Problem.InvalidParam> params = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Named n : named) {
            if (isVoid(n.refundStatus())) {
                params.add(new Problem.InvalidParam(n.field(), reason(n.id(), n.refundStatus(), doing)));
                ids.add(n.id().toString());
            }
        }
        if (params.isEmpty()) {
            return null;
        }
        String detail = params.size() == 1 ? params.get(0).reason()
                : ids.size() + " labels were refunded and cannot be " + doing + ": shipment " + String.join(", ", ids);
        return new Problem(ProblemType.LABEL_REFUNDED, ProblemType.LABEL_REFUNDED.status(), detail, params, new JsonObject())
                .with("shipment_ids", ids);
    }

    /** {@link #refused(List, String)} for one shipment named by {@code field}. */
    public static Problem refused(String field, UUID id, String refundStatus, String doing) {
        return refused(List.of(new Named(field, id, refundStatus)), doing);
    }

    /** The reason given for one void label. */
    public static String reason(UUID id, String refundStatus, String doing) {
        return "shipment " + id + "'s label was refunded (refund " + refundStatus + ") and cannot be " + doing;
    }

    /**
     * The 422 naming {@code field} when {@code amount} (USD) exceeds the customs value {@code customs}
     * declares (the sum of its items' values), or null when it does not or there is no declaration.
     */
    public static Problem aboveCustomsValue(String field, BigDecimal amount, ShipmentViews.CustomsView customs) {
        if (amount == null || customs == null || customs.customsItems() == null) {
            return null;
        }
        BigDecimal declared = customs.customsItems().stream().map(ShipmentViews.CustomsItemView::value)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        if (amount.compareTo(declared) <= 0) {
            return null;
        }
        return Problem.invalid(422, field + " exceeds the customs value declared", List.of(new Problem.InvalidParam(field,
                "must be at most the customs value declared, " + declared.toPlainString() + " USD")));
    }
}
