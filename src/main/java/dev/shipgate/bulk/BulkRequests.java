package dev.shipgate.bulk;

import dev.shipgate.shipments.ShipmentRequests.CreateShipment;
import dev.shipgate.shipments.ShipmentRequests.MaxChars;
import dev.shipgate.shipments.ShipmentRequests.Strategy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** A bulk upload: up to 10,000 shipments, and optionally how to buy their labels (and in which file format). */
final class BulkRequests {

    static final int MAX_ITEMS = 10_000;

    private BulkRequests() {
    }

    record BuyOptions(
            @NotNull Strategy strategy,
            @Size(max = 20) List<@NotBlank @MaxChars(64) String> carriers,
            @Size(max = 50) List<@NotBlank @MaxChars(64) String> services,
            @Pattern(regexp = "(?i)png|pdf|zpl|epl2", message = "must be one of png, pdf, zpl, epl2") String labelFormat) {
    }

    record BulkCreate(
            @NotNull @Size(min = 1, max = MAX_ITEMS) List<@NotNull @Valid CreateShipment> shipments,
            @Valid BuyOptions buy) {
    }
}
