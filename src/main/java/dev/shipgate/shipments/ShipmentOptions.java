package dev.shipgate.shipments;

import dev.shipgate.http.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code options} a shipment creation takes: the members of EasyPost's Options object (API reference,
 * "Options"; the same list as EasyPost's own client models), each with its JSON type. An unknown name or a
 * value of the wrong type is refused before EasyPost is asked (422 naming {@code options.<name>}), so a
 * misspelt option is never silently dropped, and {@code label_format} takes only the formats EasyPost makes.
 */
final class ShipmentOptions {

    private enum Kind { BOOLEAN, TEXT, NUMBER_OR_TEXT, OBJECT }

    private static final Map<String, Kind> KNOWN = Map.ofEntries(
            Map.entry("additional_handling", Kind.BOOLEAN), Map.entry("address_validation_level", Kind.TEXT),
            Map.entry("alcohol", Kind.BOOLEAN), Map.entry("billing_ref", Kind.TEXT),
            Map.entry("bill_receiver_account", Kind.TEXT), Map.entry("bill_receiver_postal_code", Kind.TEXT),
            Map.entry("bill_third_party_account", Kind.TEXT), Map.entry("bill_third_party_country", Kind.TEXT),
            Map.entry("bill_third_party_postal_code", Kind.TEXT), Map.entry("by_drone", Kind.BOOLEAN),
            Map.entry("carbon_neutral", Kind.BOOLEAN), Map.entry("certified_mail", Kind.BOOLEAN),
            Map.entry("cod_amount", Kind.NUMBER_OR_TEXT), Map.entry("cod_method", Kind.TEXT),
            Map.entry("cod_address_id", Kind.TEXT), Map.entry("currency", Kind.TEXT),
            Map.entry("delivery_confirmation", Kind.TEXT), Map.entry("dropoff_type", Kind.TEXT),
            Map.entry("dry_ice", Kind.BOOLEAN), Map.entry("dry_ice_medical", Kind.TEXT),
            Map.entry("dry_ice_weight", Kind.NUMBER_OR_TEXT), Map.entry("endorsement", Kind.TEXT),
            Map.entry("freight_charge", Kind.NUMBER_OR_TEXT), Map.entry("handling_instructions", Kind.TEXT),
            Map.entry("hazmat", Kind.TEXT), Map.entry("hold_for_pickup", Kind.BOOLEAN),
            Map.entry("incoterm", Kind.TEXT), Map.entry("invoice_number", Kind.TEXT),
            Map.entry("label_date", Kind.TEXT), Map.entry("label_format", Kind.TEXT),
            Map.entry("machinable", Kind.BOOLEAN), Map.entry("payment", Kind.OBJECT),
            Map.entry("print_custom_1", Kind.TEXT), Map.entry("print_custom_2", Kind.TEXT),
            Map.entry("print_custom_3", Kind.TEXT), Map.entry("print_custom_1_barcode", Kind.BOOLEAN),
            Map.entry("print_custom_2_barcode", Kind.BOOLEAN), Map.entry("print_custom_3_barcode", Kind.BOOLEAN),
            Map.entry("print_custom_1_code", Kind.TEXT), Map.entry("print_custom_2_code", Kind.TEXT),
            Map.entry("print_custom_3_code", Kind.TEXT), Map.entry("registered_mail", Kind.BOOLEAN),
            Map.entry("registered_mail_amount", Kind.NUMBER_OR_TEXT), Map.entry("return_receipt", Kind.BOOLEAN),
            Map.entry("saturday_delivery", Kind.BOOLEAN), Map.entry("special_rates_eligibility", Kind.TEXT),
            Map.entry("smartpost_hub", Kind.TEXT), Map.entry("smartpost_manifest", Kind.TEXT),
            Map.entry("suppress_etd", Kind.BOOLEAN), Map.entry("importer_account_number", Kind.TEXT),
            Map.entry("commercial_invoice_format", Kind.TEXT), Map.entry("commercial_invoice_size", Kind.TEXT),
            Map.entry("label_size", Kind.TEXT));

    private ShipmentOptions() {
    }

    /** Every option at fault in {@code options} (null: none given), each named {@code options.<name>}. */
    static List<Problem.InvalidParam> problems(Map<String, Object> options) {
        List<Problem.InvalidParam> out = new ArrayList<>();
        if (options == null) {
            return out;
        }
        options.forEach((name, value) -> {
            // a name no option could have (control characters, punctuation) is named as options itself
            String field = name.matches("[A-Za-z0-9_]{1,64}") ? "options." + name : "options";
            Kind kind = KNOWN.get(name);
            if (kind == null) {
                out.add(new Problem.InvalidParam(field, "unknown option; EasyPost's Options object has no such member"));
                return;
            }
            if (value == null) {
                return;
            }
            String wrong = switch (kind) {
                case BOOLEAN -> value instanceof Boolean ? null : "must be true or false";
                case TEXT -> value instanceof String ? null : "must be a JSON string";
                case NUMBER_OR_TEXT -> value instanceof Number || value instanceof String ? null : "must be a number";
                case OBJECT -> value instanceof Map ? null : "must be a JSON object";
            };
            if (wrong == null && "label_format".equals(name) && !((String) value).matches("(?i)png|pdf|zpl|epl2")) {
                wrong = "must be one of png, pdf, zpl, epl2";
            }
            if (wrong != null) {
                out.add(new Problem.InvalidParam(field, wrong));
            }
        });
        return out;
    }
}
