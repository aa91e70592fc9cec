package dev.shipgate.shipments;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request bodies for creating and buying shipments, in EasyPost's shape, with their limits. The limits
 * are those of the columns the request ends up in (migrations V1 and V8): whatever PostgreSQL would
 * refuse or round is refused here, before EasyPost is called, so a shipment never exists at EasyPost
 * without its row, and the row holds exactly what EasyPost was sent.
 */
public final class ShipmentRequests {

    private ShipmentRequests() {
    }

    /**
     * An address as EasyPost takes it. {@code street1}, {@code city} and {@code zip} are required (NOT NULL
     * columns), {@code country} is two capital letters (the {@code addresses.country} CHECK) and defaults
     * to US; every text is JSON text (a ZIP code sent as a number is a 400, not silently turned into text).
     */
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

    /**
     * A parcel: weight in ounces, length, width and height in inches, as EasyPost takes them. EasyPost
     * documents one decimal place; up to three are kept. Each value is from 0.1 to its maximum with at
     * most three decimal places (the {@code parcels} CHECKs of V8), else 422 naming the field. Values are
     * held in plain form without trailing zeros ({@code 15.8750} and {@code 1.5875E+1} become
     * {@code 15.875}), which is what EasyPost is sent, what is stored and what is read back.
     */
    public record ParcelInput(
            @DecimalMin("0.1") @DecimalMax(MAX_INCHES) @Digits(integer = 4, fraction = 3) BigDecimal length,
            @DecimalMin("0.1") @DecimalMax(MAX_INCHES) @Digits(integer = 4, fraction = 3) BigDecimal width,
            @DecimalMin("0.1") @DecimalMax(MAX_INCHES) @Digits(integer = 4, fraction = 3) BigDecimal height,
            @NotNull @DecimalMin("0.1") @DecimalMax(MAX_OUNCES) @Digits(integer = 4, fraction = 3) BigDecimal weight,
            @Size(max = 64) String predefinedPackage) {

        /** Largest length, width or height, in inches. */
        public static final String MAX_INCHES = "1000";
        /** Largest weight, in ounces (150 lb). */
        public static final String MAX_OUNCES = "2400";

        public ParcelInput {
            length = plain(length);
            width = plain(width);
            height = plain(height);
            weight = plain(weight);
        }

        /**
         * The same value without trailing zeros and without an exponent. Values far outside the limits are
         * left as they are (validation refuses them), so {@code 1e999999999} is never expanded.
         */
        static BigDecimal plain(BigDecimal value) {
            if (value == null) {
                return null;
            }
            BigDecimal stripped = value.stripTrailingZeros();
            boolean exponent = stripped.scale() < 0 && stripped.precision() - stripped.scale() <= 12;
            return exponent ? stripped.setScale(0) : stripped;
        }

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

    /** A shipment to create at EasyPost and store; {@code reference} is searchable, at most 100 characters. */
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
