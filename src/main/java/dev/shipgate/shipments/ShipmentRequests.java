package dev.shipgate.shipments;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigDecimal;
import dev.shipgate.http.Json;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
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
            @MaxChars(100) String name,
            @MaxChars(100) String company,
            @NotBlank @MaxChars(200) String street1,
            @MaxChars(200) String street2,
            @NotBlank @MaxChars(100) String city,
            @MaxChars(50) String state,
            @NotBlank @MaxChars(20) String zip,
            @IsoCountry String country,
            @MaxChars(40) String phone,
            @Email @MaxChars(200) String email,
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
            @DecimalMin(value = "0.1", message = AT_LEAST) @DecimalMax(value = MAX_INCHES, message = AT_MOST)
            @Digits(integer = 4, fraction = 3, message = DIGITS) BigDecimal length,
            @DecimalMin(value = "0.1", message = AT_LEAST) @DecimalMax(value = MAX_INCHES, message = AT_MOST)
            @Digits(integer = 4, fraction = 3, message = DIGITS) BigDecimal width,
            @DecimalMin(value = "0.1", message = AT_LEAST) @DecimalMax(value = MAX_INCHES, message = AT_MOST)
            @Digits(integer = 4, fraction = 3, message = DIGITS) BigDecimal height,
            @NotNull @DecimalMin(value = "0.1", message = AT_LEAST) @DecimalMax(value = MAX_OUNCES, message = AT_MOST)
            @Digits(integer = 4, fraction = 3, message = DIGITS) BigDecimal weight,
            @MaxChars(64) String predefinedPackage) {

        /** Largest length, width or height, in inches. */
        public static final String MAX_INCHES = "1000";
        /** Largest weight, in ounces (150 lb). */
        public static final String MAX_OUNCES = "2400";
        /*
         * Explicit messages: the defaults of @DecimalMin and @DecimalMax are EL templates
         * (${inclusive == true ? ...}) that Json's ParameterMessageInterpolator leaves unevaluated.
         */
        static final String AT_LEAST = "must be at least {value}";
        static final String AT_MOST = "must be at most {value}";
        static final String DIGITS = "must have at most {integer} digits before the decimal point and {fraction} after it";

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

    /**
     * A shipment to create at EasyPost and store; {@code reference} is searchable, at most 100 characters.
     * {@code customs_info} is required between two countries and must add up ({@link Customs#problems}).
     */
    @CustomsAddUp
    public record CreateShipment(
            @NotNull @Valid AddressInput toAddress,
            @NotNull @Valid AddressInput fromAddress,
            @NotNull @Valid ParcelInput parcel,
            @MaxChars(100) String reference,
            @Size(max = 50) Map<String, Object> options,
            @Valid Customs.CustomsInfoInput customsInfo) implements Declared, Json.Checked {

        /** Unknown {@code options} and options of the wrong type ({@link ShipmentOptions}). */
        @Override
        public List<dev.shipgate.http.Problem.InvalidParam> problems() {
            return ShipmentOptions.problems(options);
        }

        public Map<String, Object> toEasyPost() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("to_address", toAddress.toEasyPost());
            m.put("from_address", fromAddress.toEasyPost());
            m.put("parcel", parcel.toEasyPost());
            put(m, "reference", reference);
            put(m, "options", options);
            put(m, "customs_info", customsInfo == null ? null : customsInfo.toEasyPost());
            return m;
        }
    }

    /**
     * What {@link CustomsAddUp} reads of a shipment request: its addresses, parcel and customs declaration
     * (a {@link CreateShipment}, or a bulk item that also carries its insurance).
     */
    public interface Declared {

        AddressInput toAddress();

        AddressInput fromAddress();

        ParcelInput parcel();

        Customs.CustomsInfoInput customsInfo();
    }

    /**
     * The declaration of a {@link CreateShipment} adds up ({@link Customs#problems}); each fault is reported
     * at its own field. Checked only once the fields it reads are each valid, so a fault is named once.
     */
    @Documented
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Constraint(validatedBy = CustomsAddUp.Check.class)
    public @interface CustomsAddUp {

        String message() default "customs declaration does not add up";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        final class Check implements ConstraintValidator<CustomsAddUp, Declared> {

            @Override
            public boolean isValid(Declared s, ConstraintValidatorContext context) {
                if (s.toAddress() == null || s.fromAddress() == null || s.parcel() == null || !readable(s.customsInfo())
                        || !country(s.toAddress()) || !country(s.fromAddress())) {
                    return true;
                }
                List<dev.shipgate.http.Problem.InvalidParam> faults = Customs.problems(s.customsInfo(),
                        s.fromAddress().countryOrDefault(), s.toAddress().countryOrDefault(),
                        s.parcel().weight() != null && s.parcel().weight().compareTo(new java.math.BigDecimal("0.1")) >= 0
                                ? s.parcel().weight() : null);
                if (faults.isEmpty()) {
                    return true;
                }
                context.disableDefaultConstraintViolation();
                for (var f : faults) {
                    context.buildConstraintViolationWithTemplate(f.reason().replace("{", "\\{").replace("$", "\\$"))
                            .addPropertyNode(f.name()).addConstraintViolation();
                }
                return false;
            }

            /** Countries are compared only once each is a valid code: a bad one is reported at its own field. */
            private static boolean country(AddressInput a) {
                return a.countryOrDefault().matches("[A-Z]{2}");
            }

            private static boolean readable(Customs.CustomsInfoInput c) {
                return c == null || c.customsItems() != null && c.customsItems().stream().allMatch(i -> i != null
                        && i.quantity() != null && i.quantity() > 0 && i.value() != null && i.weight() != null);
            }
        }
    }

    /** Insurance for a bought shipment: {@code amount} in USD (EasyPost {@code shipment.insure}). */
    public record Insure(
            @JsonDeserialize(using = Json.Money.class)
            @NotNull @DecimalMin(value = "0.01", message = "must be at least 0.01") @DecimalMax(value = Buy.MAX_INSURANCE, message = "must be at most 100000")
            @Digits(integer = 6, fraction = 2, message = "must have at most 2 decimal places") BigDecimal amount) {
    }

    public enum Strategy { CHEAPEST, FASTEST }

    /**
     * Either a rate id (ours or EasyPost's), or a strategy with optional carrier and service filters;
     * {@code insurance} is the amount to insure, USD (EasyPost buy's {@code insurance} parameter); and the
     * label's file format ({@link LabelFormat}: png, pdf, zpl, epl2, any case), else the configured default
     * ({@code LABEL_FORMAT}). EasyPost takes it as {@code options.label_format}.
     */
    public record Buy(
            @MaxChars(64) String rateId,
            Strategy strategy,
            @Size(max = 20) List<@NotBlank @MaxChars(64) String> carriers,
            @Size(max = 50) List<@NotBlank @MaxChars(64) String> services,
            @DecimalMin(value = "0.01", message = "must be at least 0.01") @DecimalMax(value = MAX_INSURANCE, message = "must be at most 100000")
            @JsonDeserialize(using = Json.Money.class)
            @Digits(integer = 6, fraction = 2, message = "must have at most 2 decimal places") BigDecimal insurance,
            Boolean dryRun,
            @Pattern(regexp = "(?i)png|pdf|zpl|epl2", message = "must be one of png, pdf, zpl, epl2") String labelFormat) implements Json.Checked {

        /** Largest insured amount taken, USD: a sanity bound well inside the insured_amount column. */
        public static final String MAX_INSURANCE = "100000";

        /** A purchase chosen by strategy among carriers and services, bought for real without insurance, in the default format. */
        public Buy(String rateId, Strategy strategy, List<String> carriers, List<String> services) {
            this(rateId, strategy, carriers, services, null, null, null);
        }

        /** A purchase chosen by strategy, insured for {@code insurance} USD (null: none), in the default format (bulk items). */
        public Buy(Strategy strategy, List<String> carriers, List<String> services, BigDecimal insurance) {
            this(null, strategy, carriers, services, insurance, null, null);
        }

        /** {@code dry_run: true}: answer the rate and the policy's verdict, buy and reserve nothing. */
        public boolean isDryRunRequested() {
            return Boolean.TRUE.equals(dryRun);
        }

        @Override
        public List<dev.shipgate.http.Problem.InvalidParam> problems() {
            return Json.exactlyOne("rate_id", rateId != null, "strategy", strategy != null,
                    " (cheapest or fastest)");
        }
    }

    /**
     * At most {@code value} characters, counted as people count them (Unicode code points), none of them
     * disguising what the text shows ({@link dev.shipgate.http.DisplayText}): {@code @Size}
     * counts UTF-16 units, so a name of 100 emoji would be refused as 200 long. JSON Schema's
     * {@code maxLength} in openapi.yaml counts the same way.
     */
    @Documented
    @Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE_USE, ElementType.ANNOTATION_TYPE})
    @Retention(RetentionPolicy.RUNTIME)
    @Constraint(validatedBy = MaxChars.Check.class)
    public @interface MaxChars {

        int value();

        String message() default "must be at most {value} characters";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        final class Check implements ConstraintValidator<MaxChars, CharSequence> {

            private int max;

            @Override
            public void initialize(MaxChars annotation) {
                max = annotation.value();
            }

            @Override
            public boolean isValid(CharSequence text, ConstraintValidatorContext context) {
                if (dev.shipgate.http.DisplayText.disguised(text)) {
                    context.disableDefaultConstraintViolation();
                    context.buildConstraintViolationWithTemplate(dev.shipgate.http.DisplayText.REASON).addConstraintViolation();
                    return false;
                }
                return text == null || text.length() <= max || Character.codePointCount(text, 0, text.length()) <= max;
            }
        }
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
