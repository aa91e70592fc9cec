package dev.shipgate.bulk;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.shipgate.http.Json;
import dev.shipgate.http.Problem;
import dev.shipgate.shipments.Customs;
import dev.shipgate.shipments.ShipmentRequests.AddressInput;
import dev.shipgate.shipments.ShipmentRequests.CreateShipment;
import dev.shipgate.shipments.ShipmentRequests.CustomsAddUp;
import dev.shipgate.shipments.ShipmentRequests.Buy;
import dev.shipgate.shipments.ShipmentRequests.Declared;
import dev.shipgate.shipments.ShipmentRequests.MaxChars;
import dev.shipgate.shipments.ShipmentRequests.ParcelInput;
import dev.shipgate.shipments.ShipmentRequests.Strategy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    /**
     * One shipment of a bulk upload: the fields of {@link CreateShipment}, and {@code insurance}, the amount
     * to insure its label for when the job buys it (USD, as {@link Buy#insurance()}; null: not insured).
     * Stored as the item's request; items stored before insurance existed read back with none.
     */
    @CustomsAddUp
    record BulkShipment(
            @NotNull @Valid AddressInput toAddress,
            @NotNull @Valid AddressInput fromAddress,
            @NotNull @Valid ParcelInput parcel,
            @MaxChars(100) String reference,
            @Size(max = 50) Map<String, Object> options,
            @Valid Customs.CustomsInfoInput customsInfo,
            @DecimalMin(value = "0.01", message = "must be at least 0.01") @DecimalMax(value = Buy.MAX_INSURANCE, message = "must be at most 100000")
            @JsonDeserialize(using = Json.Money.class)
            @Digits(integer = 6, fraction = 2, message = "must have at most 2 decimal places") BigDecimal insurance) implements Declared {

        static BulkShipment of(CreateShipment s, BigDecimal insurance) {
            return new BulkShipment(s.toAddress(), s.fromAddress(), s.parcel(), s.reference(), s.options(), s.customsInfo(),
                    insurance);
        }

        CreateShipment shipment() {
            return new CreateShipment(toAddress, fromAddress, parcel, reference, options, customsInfo);
        }

        /**
         * Why the insurance cannot be bought as asked, or null: it needs the job to buy labels (insurance is
         * bought with the label), and, as for a single purchase, at most the customs value declared (a
         * carrier pays out at most that).
         */
        String insuranceProblem(boolean buying) {
            if (insurance == null) {
                return null;
            }
            if (!buying) {
                return "is bought with the label: give buy options (JSON \"buy\", CSV ?buy=) or leave insurance out";
            }
            if (customsInfo != null && customsInfo.customsItems() != null
                    && customsInfo.customsItems().stream().allMatch(i -> i != null && i.value() != null)) {
                BigDecimal declared = customsInfo.customsItems().stream().map(Customs.CustomsItemInput::value)
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
                if (insurance.compareTo(declared) > 0) {
                    return "must be at most the customs value declared, " + declared.toPlainString() + " USD";
                }
            }
            return null;
        }
    }

    record BulkCreate(
            @NotNull @Size(min = 1, max = MAX_ITEMS) List<@NotNull @Valid BulkShipment> shipments,
            @Valid BuyOptions buy) {

        /** 422 naming {@code shipments[i].insurance} for each item whose insurance cannot be bought as asked. */
        BulkCreate checked() {
            List<Problem.InvalidParam> faults = new ArrayList<>();
            for (int i = 0; i < shipments.size(); i++) {
                String reason = shipments.get(i).insuranceProblem(buy != null);
                if (reason != null) {
                    faults.add(new Problem.InvalidParam("shipments[" + i + "].insurance", reason));
                }
            }
            if (!faults.isEmpty()) {
                throw Problem.invalid(422, faults.get(0).name() + " " + faults.get(0).reason()
                        + (faults.size() > 1 ? "; and " + (faults.size() - 1) + " more" : ""), faults).exception();
            }
            return this;
        }
    }
}
