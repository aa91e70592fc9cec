package dev.shipgate.pickups;

import dev.shipgate.http.Json;
import dev.shipgate.http.Problem;
import dev.shipgate.shipments.ShipmentRequests.AddressInput;
import dev.shipgate.shipments.ShipmentRequests.MaxChars;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the pickup routes take and answer: plain records, named as EasyPost names them. */
public final class PickupViews {

    /** At most this many shipments handed over at one pickup. */
    public static final int MAX_SHIPMENTS = 100;

    private PickupViews() {
    }

    /**
     * {@code POST /pickups}: where ({@code address}), when (a window from {@code min_datetime} to
     * {@code max_datetime}, ISO-8601 with an offset, stored in UTC), notes for the driver, and what is
     * handed over: one {@code shipment_id} or several {@code shipment_ids}, each bought already.
     */
    public record CreatePickup(
            @NotNull @Valid AddressInput address,
            @NotNull OffsetDateTime minDatetime,
            @NotNull OffsetDateTime maxDatetime,
            @MaxChars(500) String instructions,
            @MaxChars(100) String reference,
            UUID shipmentId,
            @Size(min = 1, max = MAX_SHIPMENTS) List<@NotNull UUID> shipmentIds) implements Json.Checked {

        @Override
        public List<Problem.InvalidParam> problems() {
            return Json.noRepeats("shipment_ids", shipmentIds);
        }
    }

    /** {@code POST /pickups/{id}/buy}: one of the pickup's rates, by carrier and service. */
    public record BuyPickup(@NotBlank @MaxChars(64) String carrier, @NotBlank @MaxChars(64) String service) {
    }

    public record PickupRateView(UUID id, String easypostId, String carrier, String service, BigDecimal rate,
                                 String currency) {
    }

    /**
     * A pickup: {@code status} is EasyPost's ({@code unknown} until bought, {@code scheduled} with a
     * {@code confirmation}, {@code canceled}); times are UTC; {@code rates} are what buying may choose from.
     */
    public record PickupView(UUID id, String easypostId, String status, Map<String, Object> address,
                             OffsetDateTime minDatetime, OffsetDateTime maxDatetime, String instructions,
                             String reference, String confirmation, String carrier, String service, BigDecimal rate,
                             String currency, List<PickupRateView> rates, List<UUID> shipmentIds,
                             OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }

    public record PickupSummary(UUID id, String easypostId, String status, OffsetDateTime minDatetime,
                                OffsetDateTime maxDatetime, String confirmation, String carrier, String service,
                                BigDecimal rate, OffsetDateTime createdAt) {
    }

    public record PickupPage(List<PickupSummary> pickups, boolean hasMore, String nextCursor) {
    }
}
