package dev.shipgate.shipments;

import dev.shipgate.http.Problem;
import dev.shipgate.shipments.ShipmentRequests.MaxChars;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import dev.shipgate.http.Json;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Customs declarations for international shipments, in EasyPost's CustomsInfo and CustomsItem shapes
 * (https://docs.easypost.com/docs/customs-infos, https://docs.easypost.com/docs/customs-items). Everything
 * EasyPost or the carrier would refuse later, after a shipment exists, is refused here first with a 422
 * naming the field ({@code customs_info.customs_items[0].value}, indexes from 0): the enums, the HS code
 * and country formats, the fields required by another field, the EEL/PFC above the $2,500 export
 * threshold, and values that do not add up ({@link #problems}).
 */
public final class Customs {

    /** EasyPost's {@code contents_type} values. */
    public static final List<String> CONTENTS_TYPES = List.of("documents", "gift", "merchandise", "returned_goods",
            "sample", "dangerous_goods", "humanitarian_donation", "other");
    /** EasyPost's {@code non_delivery_option} values; {@code return} is EasyPost's default. */
    public static final List<String> NON_DELIVERY_OPTIONS = List.of("return", "abandon");
    /** EasyPost's {@code restriction_type} values; {@code none} is the default. */
    public static final List<String> RESTRICTION_TYPES = List.of("none", "other", "quarantine",
            "sanitary_phytosanitary_inspection");
    /**
     * Total declared value (USD) above which US exports need an AES ITN or another exemption as EEL/PFC
     * instead of {@code NOEEI 30.37(a)} (EasyPost's CustomsInfo {@code eel_pfc}, the Customs Guide).
     */
    public static final BigDecimal EEL_THRESHOLD_USD = new BigDecimal("2500");
    /** The exemption EasyPost documents for declarations of at most $2,500. */
    public static final String LOW_VALUE_EXEMPTION = "NOEEI 30.37(a)";
    /** Most items in one declaration (UPS takes at most 100, EasyPost's CustomsInfo note). */
    public static final int MAX_ITEMS = 100;

    private Customs() {
    }

    /**
     * A customs declaration. {@code customs_signer} is required when {@code customs_certify} is true,
     * {@code contents_explanation} when {@code contents_type} is {@code other}, {@code restriction_comments}
     * when {@code restriction_type} is not {@code none}.
     */
    public record CustomsInfoInput(
            @NotNull @Pattern(regexp = "documents|gift|merchandise|returned_goods|sample|dangerous_goods|humanitarian_donation|other",
                    message = "must be one of documents, gift, merchandise, returned_goods, sample, dangerous_goods, "
                            + "humanitarian_donation, other") String contentsType,
            @MaxChars(255) String contentsExplanation,
            @Pattern(regexp = "return|abandon", message = "must be one of return, abandon") String nonDeliveryOption,
            @Pattern(regexp = "none|other|quarantine|sanitary_phytosanitary_inspection",
                    message = "must be one of none, other, quarantine, sanitary_phytosanitary_inspection") String restrictionType,
            @MaxChars(255) String restrictionComments,
            @MaxChars(64) String eelPfc,
            @MaxChars(100) String customsSigner,
            Boolean customsCertify,
            @NotEmpty @Size(max = MAX_ITEMS) List<@NotNull @Valid CustomsItemInput> customsItems) {

        public String nonDeliveryOrDefault() {
            return nonDeliveryOption == null ? "return" : nonDeliveryOption;
        }

        public String restrictionOrDefault() {
            return restrictionType == null ? "none" : restrictionType;
        }

        public boolean certified() {
            return Boolean.TRUE.equals(customsCertify);
        }

        /** Sum of the items' values, USD. */
        public BigDecimal totalValue() {
            return customsItems == null ? BigDecimal.ZERO : customsItems.stream().filter(i -> i != null && i.value() != null)
                    .map(CustomsItemInput::value).reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        Map<String, Object> toEasyPost() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("contents_type", contentsType);
            put(m, "contents_explanation", contentsExplanation);
            m.put("non_delivery_option", nonDeliveryOrDefault());
            m.put("restriction_type", restrictionOrDefault());
            put(m, "restriction_comments", restrictionComments);
            put(m, "eel_pfc", eelPfc);
            put(m, "customs_signer", customsSigner);
            m.put("customs_certify", certified());
            m.put("customs_items", customsItems.stream().map(CustomsItemInput::toEasyPost).toList());
            return m;
        }
    }

    /**
     * One line of a declaration: {@code value} is the line's total in USD (unit value times quantity) and
     * {@code weight} the line's total in ounces, as EasyPost's CustomsItem defines them.
     * {@code hs_tariff_number} is a Harmonized System code of 6 to 10 digits, dots allowed between groups
     * ({@code 6109.10.0012}); {@code origin_country} a two-letter ISO code.
     */
    public record CustomsItemInput(
            @NotBlank @MaxChars(255) String description,
            @NotNull @Min(value = 1, message = "must be at least 1") @Max(value = 100_000, message = "must be at most 100000") Integer quantity,
            @NotNull @DecimalMin(value = "0.01", message = "must be at least 0.01") @DecimalMax(value = "999999999.99", message = "must be at most 999999999.99")
            @JsonDeserialize(using = Json.Money.class)
            @Digits(integer = 10, fraction = 2, message = "must have at most 2 decimal places") BigDecimal value,
            @NotNull @DecimalMin(value = "0.001", message = "must be at least 0.001") @DecimalMax(value = ShipmentRequests.ParcelInput.MAX_OUNCES, message = "must be at most 2400")
            @Digits(integer = 4, fraction = 3, message = "must have at most 3 decimal places") BigDecimal weight,
            @Pattern(regexp = "[0-9]{4}(\\.?[0-9]{2}){1,3}", message = "must be a Harmonized System code of 6 to 10 digits, e.g. 6109.10 or 6109.10.0012")
            String hsTariffNumber,
            @NotNull @IsoCountry String originCountry,
            @MaxChars(64) String code) {

        public CustomsItemInput {
            value = ShipmentRequests.ParcelInput.plain(value);
            weight = ShipmentRequests.ParcelInput.plain(weight);
        }

        Map<String, Object> toEasyPost() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("description", description);
            m.put("quantity", quantity);
            m.put("value", value);
            m.put("weight", weight);
            put(m, "hs_tariff_number", hsTariffNumber);
            m.put("origin_country", originCountry);
            put(m, "code", code);
            return m;
        }
    }

    /**
     * The rules that span fields, for a shipment whose fields are each valid: what EasyPost or the carrier
     * refuses once the shipment exists. Empty when the declaration adds up.
     * <ul>
     * <li>a shipment between two countries needs {@code customs_info} (EasyPost's Customs Guide);
     * <li>{@code customs_signer} with {@code customs_certify}, {@code contents_explanation} for {@code other},
     * {@code restriction_comments} unless {@code none} (CustomsInfo);
     * <li>above {@link #EEL_THRESHOLD_USD}, an {@code eel_pfc} other than {@link #LOW_VALUE_EXEMPTION};
     * <li>each line worth at least a cent per unit ({@code value / quantity >= 0.01});
     * <li>the lines' weights (totals, ounces) at most the parcel's weight: named at the first line that
     * goes over.
     * </ul>
     */
    public static List<Problem.InvalidParam> problems(CustomsInfoInput customs, String fromCountry, String toCountry,
                                                      BigDecimal parcelWeight) {
        List<Problem.InvalidParam> faults = new ArrayList<>();
        if (customs == null) {
            if (!fromCountry.equals(toCountry)) {
                faults.add(new Problem.InvalidParam("customs_info", "is required for a shipment from " + fromCountry
                        + " to " + toCountry + " (customs forms are made from it)"));
            }
            return faults;
        }
        if (customs.certified() && (customs.customsSigner() == null || customs.customsSigner().isBlank())) {
            faults.add(new Problem.InvalidParam("customs_info.customs_signer", "is required when customs_certify is true"));
        }
        if ("other".equals(customs.contentsType()) && blank(customs.contentsExplanation())) {
            faults.add(new Problem.InvalidParam("customs_info.contents_explanation", "is required when contents_type is other"));
        }
        if (!"none".equals(customs.restrictionOrDefault()) && blank(customs.restrictionComments())) {
            faults.add(new Problem.InvalidParam("customs_info.restriction_comments", "is required when restriction_type is not none"));
        }
        BigDecimal total = customs.totalValue();
        if (!fromCountry.equals(toCountry) && total.compareTo(EEL_THRESHOLD_USD) > 0
                && (blank(customs.eelPfc()) || LOW_VALUE_EXEMPTION.equalsIgnoreCase(customs.eelPfc().strip()))) {
            faults.add(new Problem.InvalidParam("customs_info.eel_pfc", "must be an AES ITN or exemption other than "
                    + LOW_VALUE_EXEMPTION + ": the items are declared at " + total.toPlainString() + " USD, above "
                    + EEL_THRESHOLD_USD.toPlainString() + " USD"));
        }
        BigDecimal weight = BigDecimal.ZERO;
        boolean overweight = false;
        for (int i = 0; i < customs.customsItems().size(); i++) {
            CustomsItemInput item = customs.customsItems().get(i);
            String at = "customs_info.customs_items[" + i + "].";
            if (item.value().compareTo(new BigDecimal("0.01").multiply(BigDecimal.valueOf(item.quantity()))) < 0) {
                faults.add(new Problem.InvalidParam(at + "value", "is the line's total value (unit value times quantity): "
                        + item.value().toPlainString() + " USD for " + item.quantity() + " units is less than 0.01 USD each"));
            }
            weight = weight.add(item.weight());
            if (!overweight && parcelWeight != null && weight.compareTo(parcelWeight) > 0) {
                overweight = true;
                faults.add(new Problem.InvalidParam(at + "weight", "brings the items' total weight to " + weight.toPlainString()
                        + " oz, more than the parcel's " + parcelWeight.toPlainString() + " oz (item weights are line totals)"));
            }
        }
        return faults;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
