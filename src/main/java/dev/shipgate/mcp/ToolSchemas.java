package dev.shipgate.mcp;

import dev.shipgate.exceptions.ExceptionReason;
import dev.shipgate.shipments.ShipmentStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schemas (2020-12) of Shipgate's tools, written for an agent that must act on them: every input
 * property says its unit or format, closed sets are enums (statuses from {@link ShipmentStatus}, the one
 * list), and output schemas describe what the REST API really answers, so a client can validate
 * {@code structuredContent} against them (MCP 2025-06-18 and later, "Tools: Output Schema"). The shapes
 * follow {@code openapi.yaml}; a test validates every tool's real output against them with ajv.
 */
final class ToolSchemas {

    static final String CARRIERS = "Carrier names as EasyPost spells them, matched case-insensitively: this account's carrier "
            + "accounts offer USPS, UPS and FedEx (get_shipment lists the rates, with carrier and service, a shipment was offered).";
    static final String SERVICES = "Service names as EasyPost spells them, e.g. GroundAdvantage, Priority, Express (USPS), "
            + "Ground, 2ndDayAir, NextDayAir (UPS), FEDEX_GROUND, FEDEX_2_DAY (FedEx), matched case-insensitively; a service none "
            + "of the carriers sells is refused before anything is bought, with the valid ones listed.";
    static final List<String> STRATEGIES = List.of("cheapest", "fastest");
    static final List<String> JOB_ITEM_STATES = List.of("pending", "running", "succeeded", "failed", "cancelled");
    static final List<String> JOB_STATES = List.of("running", "completed", "cancelled");
    static final List<String> SCAN_FORM_STATES = List.of("reserving", "created", "unverified");
    static final List<String> PICKUP_STATES = List.of("unknown", "scheduled", "canceled");

    private ToolSchemas() {
    }

    // Inputs

    static JsonObject address(String what) {
        return object(what, props(
                "name", str("Recipient or sender name, at most 100 characters"),
                "company", str("Company, at most 100 characters"),
                "street1", str("First street line, at most 200 characters"),
                "street2", str("Second street line (suite, unit), at most 200 characters"),
                "city", str("City, at most 100 characters"),
                "state", str("State or province code, e.g. CA"),
                "zip", str("Postal code, e.g. 94104"),
                "country", str("ISO 3166-1 alpha-2 country code, e.g. US; US when left out").put("pattern", "^[A-Z]{2}$"),
                "phone", str("Phone number"),
                "email", str("E-mail address").put("format", "email"),
                "residential", bool("Whether the address is a residence (carriers may charge more)")),
                "street1", "city", "zip");
    }

    static JsonObject parcel() {
        return object("The parcel's size and weight", props(
                "length", num("Length in inches (0.1 to 1000)").put("minimum", 0.1).put("maximum", 1000),
                "width", num("Width in inches (0.1 to 1000)").put("minimum", 0.1).put("maximum", 1000),
                "height", num("Height in inches (0.1 to 1000)").put("minimum", 0.1).put("maximum", 1000),
                "weight", num("Weight in ounces (0.1 to 2400; 16 ounces = 1 pound)").put("minimum", 0.1).put("maximum", 2400),
                "predefined_package", str("A carrier's predefined package name instead of dimensions, e.g. FlatRateEnvelope")),
                "weight");
    }

    static JsonObject newShipment() {
        return object("One shipment to create", props(
                "to_address", address("Where the parcel goes"),
                "from_address", address("Where the parcel ships from"),
                "parcel", parcel(),
                "reference", str("Your own reference for the shipment (an order number), at most 100 characters"),
                "customs_info", customsInfo()),
                "to_address", "from_address", "parcel");
    }

    /**
     * EasyPost's CustomsInfo (https://docs.easypost.com/docs/customs-infos): required when the addresses'
     * countries differ. Item values and weights are line totals (unit times quantity).
     */
    static JsonObject customsInfo() {
        JsonObject item = object("One line of goods", props(
                "description", str("What the goods are, e.g. Cotton T-shirt; at most 255 characters"),
                "quantity", integer("How many units this line holds", 1, 100_000),
                "value", num("Total value of the line in USD (unit value times quantity), at least 0.01 per unit, 2 decimals")
                        .put("minimum", 0.01),
                "weight", num("Total weight of the line in ounces (unit weight times quantity); all lines together at most the parcel's weight")
                        .put("minimum", 0.001).put("maximum", 2400),
                "hs_tariff_number", str("Harmonized System code, 6 to 10 digits, dots allowed, e.g. 6109.10 or 6109.10.0012")
                        .put("pattern", "^[0-9]{4}(\\.?[0-9]{2}){1,3}$"),
                "origin_country", str("Where the goods were made, two-letter ISO code, e.g. US").put("pattern", "^[A-Z]{2}$"),
                "code", str("Your SKU or product code, optional")),
                "description", "quantity", "value", "weight", "origin_country");
        return object("Customs declaration, required when to_address and from_address are in different countries", props(
                "contents_type", oneOf("What the parcel holds; other needs contents_explanation", dev.shipgate.shipments.Customs.CONTENTS_TYPES),
                "contents_explanation", str("Describes the contents; required when contents_type is other, at most 255 characters"),
                "non_delivery_option", oneOf("What the carrier does if delivery fails (default return)",
                        dev.shipgate.shipments.Customs.NON_DELIVERY_OPTIONS),
                "restriction_type", oneOf("Import restriction (default none); anything else needs restriction_comments",
                        dev.shipgate.shipments.Customs.RESTRICTION_TYPES),
                "restriction_comments", str("Explains the restriction"),
                "eel_pfc", str("Export exemption or AES ITN: NOEEI 30.37(a) for goods worth at most 2500 USD; above that an AES ITN "
                        + "(e.g. AES X20260101123456) or another exemption"),
                "customs_signer", str("Who signs the declaration; required when customs_certify is true"),
                "customs_certify", bool("true: the signer certifies the declaration electronically"),
                "customs_items", array(item).put("minItems", 1).put("maxItems", dev.shipgate.shipments.Customs.MAX_ITEMS)
                        .put("description", "The goods, 1 to 100 lines")),
                "contents_type", "customs_items");
    }

    /** The carrier accounts connected to the EasyPost account, as {@code GET /carrier-accounts} answers. */
    static JsonObject carrierAccounts() {
        JsonObject account = closed(props("id", type("string"), "carrier", nullableStr(), "type", nullableStr(),
                "description", nullableStr(), "billing_type", nullableStr()), "id");
        return closed(props("accounts", array(account), "carriers", array(type("string")),
                "fetched_at", DATE_TIME), "accounts", "carriers", "fetched_at");
    }

    static JsonObject buyChoice(String what) {
        return object(what, props(
                "strategy", oneOf("How to choose among the rates: cheapest price, or fewest delivery days", STRATEGIES),
                "carriers", strings("Only rates of these carriers. " + CARRIERS),
                "services", strings("Only rates of these services. " + SERVICES),
                "label_format", labelFormat()),
                "strategy");
    }

    /** The label file format to buy in (EasyPost's options.label_format), as the REST API takes it. */
    static JsonObject labelFormat() {
        return oneOf("The label's file format: png, pdf (4x6 page), zpl or epl2 (thermal printers); "
                + "the service's LABEL_FORMAT setting when left out", LABEL_FORMATS);
    }

    static JsonObject statusEnum(String description) {
        return oneOf(description, ShipmentStatus.wireNames());
    }

    // Outputs

    private static final JsonObject MONEY = str("An amount in the currency given (USD unless stated), as a decimal string, e.g. 7.58")
            .put("pattern", "^-?[0-9]+\\.[0-9]{2}$");
    private static final JsonObject MONEY_OR_NULL = nullable(MONEY);
    private static final JsonObject DATE_TIME = str("An instant, ISO 8601 date-time in UTC").put("format", "date-time");

    static JsonObject event() {
        return closed(props("status", statusEnum("Tracking status"), "description", nullableStr(), "datetime", DATE_TIME,
                "city", nullableStr(), "state", nullableStr(), "zip", nullableStr(), "country", nullableStr()),
                "status", "datetime");
    }

    static JsonObject addressOut() {
        return closed(props("id", uuid(), "easypost_id", nullableStr(), "name", nullableStr(), "company", nullableStr(),
                "street1", nullableStr(), "street2", nullableStr(), "city", nullableStr(), "state", nullableStr(),
                "zip", nullableStr(), "country", nullableStr(), "phone", nullableStr(), "email", nullableStr(),
                "residential", nullable(type("boolean")), "verified", type("boolean")), "id", "street1", "city", "zip");
    }

    static JsonObject rate() {
        return closed(props("id", uuid(), "easypost_id", type("string"), "carrier", type("string"), "service", type("string"),
                "rate", MONEY, "currency", type("string"), "delivery_days", nullable(type("integer"))),
                "id", "carrier", "service", "rate", "currency");
    }

    static JsonObject shipment() {
        JsonObject parcel = closed(props("id", uuid(), "length", nullable(MONEY_NUMBER), "width", nullable(MONEY_NUMBER),
                "height", nullable(MONEY_NUMBER), "weight", MONEY_NUMBER, "predefined_package", nullableStr()), "weight");
        return closed(props("id", uuid(), "easypost_id", nullableStr(), "status", statusEnum("Tracking status"),
                "carrier", nullableStr(), "service", nullableStr(), "rate", MONEY_OR_NULL, "currency", nullableStr(),
                "tracking_code", nullableStr(), "label_url", nullableStr(), "reference", nullableStr(),
                "refund_status", nullableStr(), "from_address", addressOut(), "to_address", addressOut(),
                "parcel", nullable(parcel), "rates", array(rate()), "latest_event", nullable(event()),
                "created_at", DATE_TIME, "updated_at", DATE_TIME, "customs_info", nullable(customsOut()),
                "forms", array(closed(props("form_type", type("string"), "form_url", type("string"), "created_at", DATE_TIME),
                        "form_type", "form_url")),
                "insured_amount", MONEY_OR_NULL, "insurance_fee", MONEY_OR_NULL,
                "return_of", nullable(uuid()), "return_shipment_id", nullable(uuid())),
                "id", "status", "from_address", "to_address", "rates", "created_at");
    }

    /** A stored customs declaration: item values are line totals in USD, weights line totals in ounces. */
    static JsonObject customsOut() {
        JsonObject item = closed(props("description", type("string"), "quantity", type("integer"), "value", MONEY,
                "weight", MONEY_NUMBER, "hs_tariff_number", nullableStr(), "origin_country", type("string"), "code", nullableStr()),
                "description", "quantity", "value", "weight", "origin_country");
        return closed(props("contents_type", type("string"), "contents_explanation", nullableStr(),
                "non_delivery_option", type("string"), "restriction_type", type("string"), "restriction_comments", nullableStr(),
                "eel_pfc", nullableStr(), "customs_signer", nullableStr(), "customs_certify", type("boolean"),
                "customs_items", array(item)), "contents_type", "customs_items");
    }

    /** Parcel sizes are returned as sent: decimal strings (inches, ounces). */
    private static final JsonObject MONEY_NUMBER = str("A decimal number as a string (inches or ounces)").put("pattern", "^[0-9]+(\\.[0-9]+)?$");

    static JsonObject shipmentPage() {
        JsonObject summary = closed(props("id", uuid(), "easypost_id", nullableStr(), "status", statusEnum("Tracking status"),
                "carrier", nullableStr(), "service", nullableStr(), "rate", MONEY_OR_NULL, "currency", nullableStr(),
                "tracking_code", nullableStr(), "reference", nullableStr(), "recipient_name", nullableStr(),
                "refund_status", nullableStr(), "created_at", DATE_TIME, "updated_at", DATE_TIME), "id", "status", "created_at");
        return closed(props("shipments", array(summary), "has_more", type("boolean"), "next_cursor", nullableStr(),
                "time_zone", type("string")), "shipments", "has_more", "next_cursor");
    }

    /** {@code GET /exceptions}: shipments that need a person, with their reasons and acknowledgement. */
    static JsonObject exceptionPage() {
        return closed(props("exceptions", array(exceptionEntry(null)), "has_more", type("boolean"), "next_cursor", nullableStr()),
                "exceptions", "has_more", "next_cursor");
    }

    /** {@code POST /exceptions/{id}/acknowledge}: the entry with every acknowledgement it has had, newest first. */
    static JsonObject exceptionDetail() {
        return exceptionEntry(array(exceptionAcknowledgement()));
    }

    private static JsonObject exceptionAcknowledgement() {
        return closed(props("by", type("string"), "at", DATE_TIME, "note", nullableStr(),
                "reasons", array(oneOf(null, ExceptionReason.wireNames()))), "by", "at", "reasons");
    }

    /** A queue entry; with {@code acknowledgements} (an array schema) when the answer lists them, else without. */
    private static JsonObject exceptionEntry(JsonObject acknowledgements) {
        JsonObject acknowledgement = exceptionAcknowledgement();
        JsonObject entry = closed(props("shipment_id", uuid(), "easypost_id", nullableStr(), "carrier", nullableStr(),
                "service", nullableStr(), "tracking_code", nullableStr(), "status", statusEnum("Tracking status"),
                "reference", nullableStr(), "recipient_name", nullableStr(),
                "reasons", array(oneOf(null, ExceptionReason.wireNames())).put("minItems", 1),
                "since", DATE_TIME, "label_bought_at", nullable(DATE_TIME), "first_scan_at", nullable(DATE_TIME),
                "last_event_at", nullable(DATE_TIME), "expected_delivery_date", nullable(str(null).put("format", "date")),
                "acknowledged", type("boolean"), "acknowledgement", nullable(acknowledgement)),
                "shipment_id", "status", "reasons", "since", "acknowledged");
        if (acknowledgements != null) {
            entry.getJsonObject("properties").put("acknowledgements", acknowledgements);
            entry.put("required", entry.getJsonArray("required").copy().add("acknowledgements"));
        }
        return entry;
    }

    static JsonObject verifiedAddress() {
        JsonObject finding = closed(props("code", nullableStr(), "field", nullableStr(), "message", nullableStr(),
                "suggestion", nullableStr()));
        return closed(props("easypost_id", nullableStr(), "name", nullableStr(), "company", nullableStr(), "street1", nullableStr(),
                "street2", nullableStr(), "city", nullableStr(), "state", nullableStr(), "zip", nullableStr(),
                "country", nullableStr(), "residential", nullable(type("boolean")), "deliverable", type("boolean"),
                "errors", array(finding)), "deliverable", "errors");
    }

    static JsonObject tracked() {
        JsonObject result = closed(props("tracking_code", type("string"), "shipment_id", uuid(), "status", statusEnum("Tracking status"),
                "latest_event", nullable(event())), "tracking_code", "shipment_id", "status");
        return closed(props("results", array(result), "not_found", array(type("string"))), "results", "not_found");
    }

    static JsonObject jobAccepted() {
        return closed(props("id", uuid(), "state", oneOf("The job's state", JOB_STATES), "total", type("integer"),
                "links", new JsonObject().put("type", "object").put("additionalProperties", type("string"))),
                "id", "state", "total");
    }

    static JsonObject jobProgress() {
        JsonObject counts = closed(props("pending", type("integer"), "running", type("integer"), "succeeded", type("integer"),
                "failed", type("integer"), "cancelled", type("integer")), "pending", "running", "succeeded", "failed", "cancelled");
        JsonObject waiting = closed(props("retrying", type("integer"), "rate_limited", type("integer"),
                "unavailable", type("integer"), "key_refused", type("integer"), "next_attempt_at", nullable(DATE_TIME),
                "unavailable_since", nullable(DATE_TIME), "key_refused_since", nullable(DATE_TIME),
                "held_until", nullable(DATE_TIME)),
                "retrying", "rate_limited", "unavailable", "key_refused");
        return closed(props("id", uuid(), "state", oneOf("The job's state", JOB_STATES), "total", type("integer"),
                "buy_strategy", nullable(oneOf("The buy strategy", STRATEGIES)), "counts", counts, "waiting", waiting,
                "percent", type("integer").put("minimum", 0).put("maximum", 100), "created_at", DATE_TIME,
                "finished_at", nullable(DATE_TIME)), "id", "state", "total", "counts", "percent", "created_at");
    }

    static JsonObject jobView() {
        JsonObject item = closed(props("position", type("integer"), "line", nullable(type("integer")),
                "state", oneOf("The item's state", JOB_ITEM_STATES), "reference", nullableStr(), "shipment_id", nullable(uuid()),
                "tracking_code", nullableStr(), "carrier", nullableStr(), "service", nullableStr(), "rate", MONEY_OR_NULL,
                "attempts", type("integer"), "waits", type("integer"), "error", nullable(new JsonObject().put("type", "object")),
                "next_attempt_at", nullable(DATE_TIME), "lease_ends_at", nullable(DATE_TIME)),
                "position", "state", "attempts");
        return closed(props("job", jobProgress(), "items", array(item), "next_after", nullable(type("integer"))), "job", "items");
    }

    /** One day's summary ({@code date} given), or a range's: totals and one summary per day. */
    static JsonObject analytics() {
        JsonObject breakdown = closed(props("shipments", type("integer"), "labels", type("integer"), "spend", MONEY),
                "shipments", "labels", "spend");
        JsonObject byKey = new JsonObject().put("type", "object").put("additionalProperties", breakdown);
        JsonObject day = closed(props("date", nullable(str(null).put("format", "date")),
                "shipments", type("integer"), "labels", type("integer"), "spend", MONEY, "average_cost", MONEY,
                "currency", type("string"), "by_carrier", byKey, "by_service", byKey,
                "by_status", new JsonObject().put("type", "object").put("additionalProperties", type("integer")),
                "insurance_spend", MONEY),
                "shipments", "labels", "spend", "by_carrier", "by_service", "by_status");
        JsonObject oneDay = day.copy();
        oneDay.getJsonObject("properties").put("time_zone", type("string"));
        JsonObject previous = closed(props("from", str(null).put("format", "date"), "to", str(null).put("format", "date"),
                "totals", day, "days", array(day)), "from", "to", "totals", "days");
        JsonObject range = closed(props("from", str(null).put("format", "date"), "to", str(null).put("format", "date"),
                "time_zone", type("string"), "group", oneOf("The bucket size", List.of("day", "week", "month")),
                "totals", day, "days", array(day), "previous", nullable(previous)), "from", "to", "totals", "days");
        return new JsonObject().put("type", "object").put("anyOf", new JsonArray().add(oneDay).add(range));
    }

    /** {@code GET /analytics/carriers}: per carrier its overall figures and its services' ({@code CarrierPerformance}). */
    static JsonObject carrierPerformance() {
        JsonObject number = nullable(type("number"));
        JsonObject figures = closed(props("carrier", type("string"), "service", nullableStr(), "delivered", type("integer"),
                "with_estimate", type("integer"), "on_time", type("integer"), "on_time_share", number,
                "with_transit", type("integer"), "transit_days_p50", number, "transit_days_p90", number,
                "days_to_first_scan_p50", number, "days_to_first_scan_avg", number), "carrier", "delivered");
        JsonObject carrier = closed(props("carrier", type("string"), "overall", figures, "services", array(figures)),
                "carrier", "overall", "services");
        return closed(props("from", str(null).put("format", "date"), "to", str(null).put("format", "date"),
                "time_zone", type("string"), "carriers", array(carrier)), "from", "to", "time_zone", "carriers");
    }

    /**
     * What the spend policy answers for a purchase: a pending approval (202), or a dry run's verdict (200).
     * Kept open ({@code additionalProperties} allowed) where the REST side may add fields.
     */
    static JsonObject approval() {
        return new JsonObject().put("type", "object").put("properties", props("id", type("string"),
                        "status", type("string"), "shipment_id", type("string"), "rate", new JsonObject().put("type", "object")))
                .put("required", new JsonArray(List.of("id", "status")));
    }

    static final List<String> LABEL_FORMATS = List.of("png", "pdf", "zpl", "epl2");
    static final List<String> BATCH_FORMATS = List.of("pdf", "zpl", "epl2");
    static final List<String> BATCH_STATES = List.of("pending", "generating", "ready", "failed");

    /** A label file: its format and where to fetch it. */
    static JsonObject labelFile() {
        return closed(props("shipment_id", uuid(), "format", oneOf("The file's format", LABEL_FORMATS),
                "label_url", str("Where to fetch the file (EasyPost's link; with the built-in simulator, under the service's own /sim-files/); a pdf is one 4x6 in page"),
                "media_type", str("The file's media type, e.g. application/pdf")), "shipment_id", "format", "label_url");
    }

    /** A label batch: its progress and, once ready, its document. */
    static JsonObject labelBatch() {
        return closed(props("id", uuid(), "easypost_id", nullableStr(), "state", oneOf("pending or generating: not ready "
                        + "yet, call print_labels with batch_id again; ready: label_url is the document; failed: see error",
                        BATCH_STATES),
                "format", oneOf("The document's format", BATCH_FORMATS), "bulk_job_id", nullable(uuid()),
                "total", type("integer"),
                "shipment_ids", array(uuid()).put("description", "The shipments on the document, in print order"),
                "label_url", nullableStr(), "media_type", str("The document's media type"),
                "error", nullableStr(), "created_at", DATE_TIME, "finished_at", nullable(DATE_TIME)),
                "id", "state", "format", "total");
    }

    static JsonObject buyResult() {
        JsonObject pending = new JsonObject().put("type", "object").put("properties", props("approval", approval()))
                .put("required", new JsonArray(List.of("approval")));
        JsonObject dryRun = new JsonObject().put("type", "object").put("properties", props("dry_run", new JsonObject().put("const", true)))
                .put("required", new JsonArray(List.of("dry_run")));
        return new JsonObject().put("type", "object").put("anyOf", new JsonArray().add(shipment()).add(pending).add(dryRun));
    }

    static JsonObject scanForm() {
        JsonObject member = closed(props("id", uuid(), "easypost_id", nullableStr(), "tracking_code", nullableStr(),
                "reference", nullableStr(), "recipient_name", nullableStr(), "service", nullableStr()), "id");
        return closed(props("id", uuid(), "easypost_id", nullableStr(),
                "status", oneOf("created, or unverified while EasyPost's answer is unknown (its shipments stay held)",
                        SCAN_FORM_STATES),
                "carrier", type("string"), "form_url", nullable(str("The form's document (PDF) to print and hand to the carrier")),
                "form_file_type", nullableStr(), "confirmation", nullableStr(), "message", nullableStr(),
                "created_at", DATE_TIME, "updated_at", DATE_TIME, "shipments", array(member)),
                "id", "status", "carrier", "shipments", "created_at");
    }

    static JsonObject scanFormPage() {
        JsonObject summary = closed(props("id", uuid(), "easypost_id", nullableStr(), "status", oneOf("Form status", SCAN_FORM_STATES),
                "carrier", type("string"), "form_url", nullableStr(), "shipment_count", type("integer"), "created_at", DATE_TIME),
                "id", "status", "carrier", "shipment_count", "created_at");
        return closed(props("scan_forms", array(summary), "has_more", type("boolean"), "next_cursor", nullableStr()),
                "scan_forms", "has_more", "next_cursor");
    }

    static JsonObject pickup() {
        JsonObject rate = closed(props("id", uuid(), "easypost_id", nullableStr(), "carrier", type("string"),
                "service", type("string"), "rate", MONEY, "currency", type("string")), "id", "carrier", "service", "rate");
        return closed(props("id", uuid(), "easypost_id", type("string"),
                "status", oneOf("unknown until bought, scheduled once bought, canceled", PICKUP_STATES),
                "address", new JsonObject().put("type", "object"), "min_datetime", DATE_TIME, "max_datetime", DATE_TIME,
                "instructions", nullableStr(), "reference", nullableStr(), "confirmation", nullableStr(),
                "carrier", nullableStr(), "service", nullableStr(), "rate", MONEY_OR_NULL, "currency", nullableStr(),
                "rates", array(rate), "shipment_ids", array(uuid()), "created_at", DATE_TIME, "updated_at", DATE_TIME),
                "id", "status", "min_datetime", "max_datetime", "rates", "shipment_ids", "created_at");
    }

    // Building blocks

    static Map<String, JsonObject> props(Object... nameThenSchema) {
        Map<String, JsonObject> map = new LinkedHashMap<>();
        for (int i = 0; i < nameThenSchema.length; i += 2) {
            map.put((String) nameThenSchema[i], (JsonObject) nameThenSchema[i + 1]);
        }
        return map;
    }

    /** An input object: described, closed (unknown properties are refused), with its required names. */
    static JsonObject object(String description, Map<String, JsonObject> properties, String... required) {
        JsonObject schema = closed(properties, required);
        return description == null ? schema : schema.put("description", description);
    }

    static JsonObject closed(Map<String, JsonObject> properties, String... required) {
        JsonObject props = new JsonObject();
        properties.forEach(props::put);
        JsonObject schema = new JsonObject().put("type", "object").put("properties", props).put("additionalProperties", false);
        if (required.length > 0) {
            schema.put("required", new JsonArray(List.of((Object[]) required)));
        }
        return schema;
    }

    static JsonObject str(String description) {
        JsonObject s = type("string");
        return description == null ? s : s.put("description", description);
    }

    static JsonObject num(String description) {
        return type("number").put("description", description);
    }

    static JsonObject bool(String description) {
        return type("boolean").put("description", description);
    }

    static JsonObject oneOf(String description, List<String> values) {
        return str(description).put("enum", new JsonArray(List.copyOf(values)));
    }

    static JsonObject strings(String description) {
        return new JsonObject().put("type", "array").put("items", type("string")).put("description", description);
    }

    static JsonObject uuid() {
        return type("string").put("format", "uuid");
    }

    static JsonObject integer(String description, int min, int max) {
        return type("integer").put("minimum", min).put("maximum", max).put("description", description);
    }

    static JsonObject array(JsonObject items) {
        return new JsonObject().put("type", "array").put("items", items);
    }

    private static JsonObject type(String type) {
        return new JsonObject().put("type", type);
    }

    private static JsonObject nullableStr() {
        return new JsonObject().put("type", new JsonArray().add("string").add("null"));
    }

    private static JsonObject nullable(JsonObject schema) {
        return new JsonObject().put("anyOf", new JsonArray().add(schema).add(type("null")));
    }
}
