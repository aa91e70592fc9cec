package dev.shipgate.shipments;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Request bodies for creating and buying shipments, in EasyPost's shape, with their limits. */
public final class ShipmentRequests {

    private ShipmentRequests() {
    }

    public record AddressInput(
            @Size(max = 100) String name,
            @Size(max = 100) String company,
            @NotBlank @Size(max = 200) String street1,
            @Size(max = 200) String street2,
            @NotBlank @Size(max = 100) String city,
            @Size(max = 50) String state,
            @NotBlank @Size(max = 20) String zip,
            @Pattern(regexp = "[A-Z]{2}", message = "must be a two-letter ISO country code") String country,
            @Size(max = 40) String phone,
            @Email @Size(max = 200) String email,
            Boolean residential) {

        public String countryOrDefault() {
            return country == null ? "US" : country;
        }

        public Map<String, Object> toEasyPost() {
            Map<String, Object> m = new LinkedHashMap<>();
            put(m, "name", name);
            put(m, "company", company);
            put(m, "street1", street1);
            put(m, "street2", street2);
            put(m, "city", city);
            put(m, "state", state);
            put(m, "zip", zip);
            put(m, "country", countryOrDefault());
            put(m, "phone", phone);
            put(m, "email", email);
            put(m, "residential", residential);
            return m;
        }
    }

    public record ParcelInput(
            @Positive @DecimalMax("1000") BigDecimal length,
            @Positive @DecimalMax("1000") BigDecimal width,
            @Positive @DecimalMax("1000") BigDecimal height,
            @NotNull @Positive @DecimalMax("2400") BigDecimal weight,
            @Size(max = 64) String predefinedPackage) {

        Map<String, Object> toEasyPost() {
            Map<String, Object> m = new LinkedHashMap<>();
            put(m, "length", length);
            put(m, "width", width);
            put(m, "height", height);
            put(m, "weight", weight);
            put(m, "predefined_package", predefinedPackage);
            return m;
        }
    }

    public record CreateShipment(
            @NotNull @Valid AddressInput toAddress,
            @NotNull @Valid AddressInput fromAddress,
            @NotNull @Valid ParcelInput parcel,
            @Size(max = 100) String reference,
            @Size(max = 50) Map<String, Object> options,
            @Size(max = 50) Map<String, Object> customsInfo) {

        public Map<String, Object> toEasyPost() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("to_address", toAddress.toEasyPost());
            m.put("from_address", fromAddress.toEasyPost());
            m.put("parcel", parcel.toEasyPost());
            put(m, "reference", reference);
            put(m, "options", options);
            put(m, "customs_info", customsInfo);
            return m;
        }
    }

    public enum Strategy { CHEAPEST, FASTEST }

    /** Either a rate id (ours or EasyPost's), or a strategy with optional carrier and service filters. */
    public record Buy(
            @Size(max = 64) String rateId,
            Strategy strategy,
            @Size(max = 20) List<@NotBlank @Size(max = 64) String> carriers,
            @Size(max = 50) List<@NotBlank @Size(max = 64) String> services) {

        @AssertTrue(message = "give either rate_id or strategy (cheapest or fastest), not both")
        public boolean isRateIdOrStrategy() {
            return (rateId == null) != (strategy == null);
        }
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
