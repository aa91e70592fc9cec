package dev.shipgate.mcp;

import dev.shipgate.exceptions.ExceptionReason;
import dev.shipgate.exceptions.ExceptionRoutes;
import static dev.shipgate.mcp.ToolSchemas.integer;
import static dev.shipgate.mcp.ToolSchemas.object;
import static dev.shipgate.mcp.ToolSchemas.props;
import static dev.shipgate.mcp.ToolSchemas.str;
import static dev.shipgate.mcp.ToolSchemas.strings;
import static dev.shipgate.mcp.ToolSchemas.uuid;

import dev.shipgate.bulk.BulkRoutes;
import dev.shipgate.pickups.PickupViews;
import dev.shipgate.scanforms.ScanFormViews;
import io.modelcontextprotocol.spec.McpSchema;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * The tools an agent gets: each with an input schema, an output schema and honest annotations, and each
 * carried out by one call of the REST API. Buying a label is marked destructive: it spends money.
 * Arguments the input schema does not allow are refused before any call ({@link ToolArguments}).
 */
final class ShippingTools {

    record Tool(McpSchema.Tool definition, JsonObject input, BiFunction<JsonObject, ApiCall.Caller, Future<ApiCall.Answer>> call) {
    }

    private final Map<String, Tool> tools = new LinkedHashMap<>();

    ShippingTools(ApiCall api) {
        add("list_shipments", "List shipments", "Newest first, with filters and keyset paging (pass next_cursor as cursor).",
                object(null, props(
                        "limit", integer("How many shipments to return, 1 to 200 (default 50)", 1, 200),
                        "cursor", str("The next_cursor of the previous page, to read the next one"),
                        "status", ToolSchemas.statusEnum("Only shipments with this tracking status"),
                        "carrier", str("Only shipments bought with this carrier. " + ToolSchemas.CARRIERS),
                        "created_from", str("Only shipments created on or after this day of the business's time zone (the answer's time_zone), ISO 8601 date, e.g. 2026-11-30").put("format", "date"),
                        "created_to", str("Only shipments created on or before this day of the business's time zone, ISO 8601 date").put("format", "date"),
                        "q", str("Text search in reference, recipient name, tracking code and addresses; at least 3 characters").put("minLength", 3))),
                ToolSchemas.shipmentPage(), annotations("List shipments", true, false, true),
                (args, who) -> api.send(HttpMethod.GET, "/shipments" + query(args), who, null, null));
        add("get_shipment", "Get a shipment", "One shipment with addresses, parcel, every offered rate and its latest tracking event.",
                object(null, props("id", uuid().put("description", "Shipgate's shipment id (a UUID), as create_shipment or list_shipments return it")), "id"),
                ToolSchemas.shipment(), annotations("Get a shipment", true, false, true),
                (args, who) -> api.send(HttpMethod.GET, "/shipments/" + path(args, "id"), who, null, null));
        JsonObject create = ToolSchemas.newShipment();
        create.getJsonObject("properties").put("idempotency_key", idempotencyKey());
        add("create_shipment", "Create a shipment with rates", "Creates the shipment at EasyPost and returns every rate offered "
                        + "(amounts in USD). Buys nothing.", create, ToolSchemas.shipment(), annotations("Create a shipment", false, false, false),
                (args, who) -> api.send(HttpMethod.POST, "/shipments", who, bodyWithout(args, "idempotency_key"), args.getString("idempotency_key")));
        add("buy_label", "Buy a label", "Buys the shipment's label by rate_id, or by strategy (cheapest or fastest) among carriers and "
                        + "services. Spends money; never buys twice. A purchase above the token's approval threshold is not made: "
                        + "it waits for a person's approval (check it with get_approval). dry_run shows what would be bought.",
                object(null, props(
                        "id", uuid().put("description", "The shipment whose label to buy"),
                        "rate_id", str("The id of one of the shipment's rates (from get_shipment); give this or strategy"),
                        "strategy", ToolSchemas.oneOf("Choose the rate by price (cheapest) or delivery days (fastest); give this or rate_id",
                                ToolSchemas.STRATEGIES),
                        "carriers", strings("With strategy: only rates of these carriers. " + ToolSchemas.CARRIERS),
                        "services", strings("With strategy: only rates of these services. " + ToolSchemas.SERVICES),
                        "dry_run", ToolSchemas.bool("true: buy nothing, answer the rate that would be bought (USD) and whether the spend policy allows it"),
                        "insurance", ToolSchemas.num("Insure the parcel for this amount, USD (0.01 to 100000, 2 decimals); "
                                + "EasyPost charges a fee for it. For customs shipments at most the declared value")
                                .put("minimum", 0.01).put("maximum", 100000),
                        "label_format", ToolSchemas.labelFormat(),
                        "idempotency_key", idempotencyKey()), "id"),
                ToolSchemas.buyResult(), annotations("Buy a label", false, true, false),
                (args, who) -> api.send(HttpMethod.POST, "/shipments/" + path(args, "id") + "/buy", who,
                        bodyWithout(args, "id", "idempotency_key"), args.getString("idempotency_key")));
        add("create_return", "Create a return shipment", "Creates the return of a bought shipment at EasyPost (is_return): from its "
                        + "recipient back to its sender, same parcel, linked to it, with rates in USD. Buys nothing: buy its label "
                        + "with buy_label. Asking again answers the same return.",
                object(null, props("id", uuid().put("description", "The bought shipment to return"),
                        "idempotency_key", idempotencyKey()), "id"),
                ToolSchemas.shipment(), annotations("Create a return", false, false, true),
                (args, who) -> api.send(HttpMethod.POST, "/shipments/" + path(args, "id") + "/return", who, Buffer.buffer("{}"),
                        args.getString("idempotency_key")));
        add("list_carrier_accounts", "List carrier accounts", "The carriers connected to this EasyPost account: only these "
                        + "can be named in carriers filters. Cached for 10 minutes; refresh asks EasyPost again.",
                object(null, props("refresh", ToolSchemas.bool("true: ask EasyPost again instead of using the cached list"))),
                ToolSchemas.carrierAccounts(), annotations("List carrier accounts", true, false, true),
                (args, who) -> api.send(HttpMethod.GET, "/carrier-accounts" + (Boolean.TRUE.equals(args.getValue("refresh"))
                        ? "?refresh=true" : ""), who, null, null));
        add("get_approval", "Check a purchase approval", "The state of a purchase that waits for a person's approval: pending, "
                        + "approved (then the label is bought) or rejected.",
                object(null, props("approval_id", str("The approval's id, as buy_label returned it")), "approval_id"),
                ToolSchemas.approval(), annotations("Check an approval", true, false, true),
                (args, who) -> api.send(HttpMethod.GET, "/approvals/" + path(args, "approval_id"), who, null, null));
        add("refund_label", "Refund a label", "Asks EasyPost to refund the shipment's label. Only an unused label: once the carrier has "
                        + "scanned it (status past pre_transit) the refund is refused (label-scanned) and EasyPost is not asked.",
                object(null, props("id", uuid().put("description", "The shipment whose label to refund")), "id"),
                ToolSchemas.shipment(), annotations("Refund a label", false, true, true),
                (args, who) -> api.send(HttpMethod.POST, "/shipments/" + path(args, "id") + "/refund", who, Buffer.buffer("{}"), null));
        add("get_label", "Get a label file", "The bought label of a shipment as a file in png, pdf (one 4x6 in page), zpl or "
                        + "epl2 (for thermal printers). Converted by EasyPost once, then answered from storage. Spends nothing; a "
                        + "shipment without a label is refused.",
                object(null, props("id", uuid().put("description", "The shipment whose label to get"),
                        "format", ToolSchemas.oneOf("The file format (default png)", ToolSchemas.LABEL_FORMATS)), "id"),
                ToolSchemas.labelFile(), annotations("Get a label file", false, false, true),
                (args, who) -> api.send(HttpMethod.POST, "/shipments/" + path(args, "id") + "/label", who,
                        new JsonObject().put("format", args.getString("format", "png")).toBuffer(), null));
        add("print_labels", "Print labels together", "One printable document for many bought labels: give shipment_ids (1 to "
                        + "1000, in print order) or bulk_job_id to start one; it is made in the background, so call again "
                        + "with batch_id until state is ready, then label_url is the document. Spends nothing.",
                object(null, props(
                        "shipment_ids", strings("Shipgate shipment ids (UUIDs) of bought shipments, 1 to 1000").put("minItems", 1)
                                .put("maxItems", 1000),
                        "bulk_job_id", uuid().put("description", "A bulk job whose bought labels to print"),
                        "format", ToolSchemas.oneOf("The document's format (default pdf)", ToolSchemas.BATCH_FORMATS),
                        "batch_id", uuid().put("description", "A batch print_labels started: answers its progress"),
                        "idempotency_key", idempotencyKey())),
                ToolSchemas.labelBatch(), annotations("Print labels together", false, false, false),
                (args, who) -> args.containsKey("batch_id")
                        ? api.send(HttpMethod.GET, "/label-batches/" + path(args, "batch_id"), who, null, null)
                        : api.send(HttpMethod.POST, "/label-batches", who, bodyWithout(args, "idempotency_key", "batch_id"),
                                args.getString("idempotency_key")));
        add("verify_address", "Verify an address", "Checks deliverability with EasyPost and lists its findings.",
                ToolSchemas.address("The address to check"), ToolSchemas.verifiedAddress(), annotations("Verify an address", true, false, true),
                (args, who) -> api.send(HttpMethod.POST, "/addresses/verify", who, args.toBuffer(), null));
        add("track_shipments", "Track parcels", "Status and latest event for 1 to 1000 tracking codes; unknown codes are listed as not found.",
                object(null, props("tracking_codes", strings("Carrier tracking codes, 1 to 1000").put("minItems", 1).put("maxItems", 1000)),
                        "tracking_codes"),
                ToolSchemas.tracked(), annotations("Track parcels", true, false, true),
                (args, who) -> api.send(HttpMethod.POST, "/shipments/batch-track", who, args.toBuffer(), null));
        add("start_bulk_job", "Start a bulk job", "Creates up to " + BulkRoutes.MAX_ITEMS + " shipments in the background, and buys their "
                        + "labels when buy is given (spends money). Returns the job id; follow it with get_job. Split a longer list "
                        + "into several jobs.",
                object(null, props(
                        "shipments", ToolSchemas.array(ToolSchemas.newShipment()).put("minItems", 1).put("maxItems", BulkRoutes.MAX_ITEMS)
                                .put("description", "The shipments, 1 to " + BulkRoutes.MAX_ITEMS),
                        "buy", ToolSchemas.buyChoice("Buy each shipment's label by this choice; leave out to create shipments only"),
                        "idempotency_key", idempotencyKey()), "shipments"),
                ToolSchemas.jobAccepted(), annotations("Start a bulk job", false, true, false),
                (args, who) -> api.send(HttpMethod.POST, "/shipments/bulk-create", who, bodyWithout(args, "idempotency_key"), args.getString("idempotency_key")));
        add("get_job", "Read a bulk job", "A bulk job's progress and per-item results, in pages (pass next_after as after).",
                object(null, props(
                        "id", uuid().put("description", "The job id start_bulk_job returned"),
                        "state", ToolSchemas.oneOf("Only items in this state", ToolSchemas.JOB_ITEM_STATES),
                        "limit", integer("How many items to return, 1 to " + BulkRoutes.MAX_ITEMS + " (default 1000)", 1, BulkRoutes.MAX_ITEMS),
                        "after", integer("Only items after this position (the next_after of the previous page)", -1, Integer.MAX_VALUE)), "id"),
                ToolSchemas.jobView(), annotations("Read a bulk job", true, false, true),
                (args, who) -> api.send(HttpMethod.GET, "/jobs/" + path(args, "id") + query(argsWithout(args, "id")), who, null, null));
        add("shipping_analytics", "Shipping analytics", "Shipments, labels, spend (USD) and average cost by carrier, service and "
                        + "status, for one day (date) or a range (from and to, or the last days days; at most 1096 days) beside the period of equal "
                        + "length before it. Days are the business's own (the answer's time_zone).",
                object(null, props(
                        "date", str("One day in the business's time zone, ISO 8601 date, e.g. 2026-11-30").put("format", "date"),
                        "from", str("First day of a range, ISO 8601 date").put("format", "date"),
                        "to", str("Last day of a range, ISO 8601 date").put("format", "date"),
                        "days", integer("The last this many days up to today (the business's), instead of from and to", 1, 1096),
                        "group", ToolSchemas.oneOf("Bucket size of a range (default: day up to 92 days, week up to 400, then month)",
                                List.of("day", "week", "month")))),
                ToolSchemas.analytics(), annotations("Shipping analytics", true, false, true),
                (args, who) -> args.containsKey("date")
                        ? api.send(HttpMethod.GET, "/analytics/" + path(args, "date"), who, null, null)
                        : api.send(HttpMethod.GET, "/analytics" + query(args), who, null, null));
        add("carrier_performance", "Carrier performance", "How each carrier and service delivered for this account: parcels "
                        + "delivered on the range's days (from and to, or the last days days; at most 1096; days of the business's "
                        + "time zone, the answer's time_zone), delivered count, on-time share (delivered by the promised or first "
                        + "estimated day), transit days p50 and p90 and days from purchase to first scan. Same answer as "
                        + "GET /analytics/carriers.",
                object(null, props(
                        "from", str("First day of the range, ISO 8601 date, e.g. 2026-11-01").put("format", "date"),
                        "to", str("Last day of the range, ISO 8601 date").put("format", "date"),
                        "days", integer("The last this many days up to today (the business's), instead of from and to", 1, 1096))),
                ToolSchemas.carrierPerformance(), annotations("Carrier performance", true, false, true),
                (args, who) -> api.send(HttpMethod.GET, "/analytics/carriers" + query(args), who, null, null));
        add("list_exceptions", "List shipment exceptions", "Shipments that need a person, newest exception first, each with its "
                        + "reasons: a tracker in failure, return_to_sender or error, cancelled after the carrier scanned it, no tracking "
                        + "movement for days, past the carrier's estimated delivery day, or a label never scanned days after purchase. "
                        + "Acknowledged entries are left out unless include_acknowledged is true. Changes nothing.",
                object(null, props(
                        "limit", integer("How many entries to return, 1 to 200 (default 50)", 1, 200),
                        "cursor", str("The next_cursor of the previous page, to read the next one"),
                        "reason", ToolSchemas.oneOf("Only entries with this reason", ExceptionReason.wireNames()),
                        "include_acknowledged", ToolSchemas.bool("Also list entries a person has acknowledged (default false)"))),
                ToolSchemas.exceptionPage(), annotations("List shipment exceptions", true, false, true),
                (args, who) -> api.send(HttpMethod.GET, "/exceptions" + query(args), who, null, null));
        add("acknowledge_exception", "Acknowledge a shipment exception", "Records that a person (the token) took on a "
                        + "shipment's exception now (UTC), with an optional note, as POST /exceptions/{id}/acknowledge does: the "
                        + "entry leaves the open queue until it gains a reason or a newer exception event. An entry acknowledged "
                        + "already and not re-opened since is refused (already-acknowledged, naming who and when); every "
                        + "acknowledgement is kept and returned. Spends nothing.",
                object(null, props(
                        "shipment_id", uuid().put("description", "The shipment in the exceptions queue (shipment_id of list_exceptions)"),
                        "note", str("What was done or decided, at most " + ExceptionRoutes.MAX_NOTE + " characters; no control or "
                                + "bidirectional characters").put("maxLength", ExceptionRoutes.MAX_NOTE)), "shipment_id"),
                ToolSchemas.exceptionDetail(), annotations("Acknowledge a shipment exception", false, false, false),
                (args, who) -> api.send(HttpMethod.POST, "/exceptions/" + path(args, "shipment_id") + "/acknowledge", who,
                        bodyWithout(args, "shipment_id"), null));
        endOfDay(api);
    }

    /** Scan forms and pickups: a form puts nothing on sale, a pickup purchase spends money (destructive). */
    private void endOfDay(ApiCall api) {
        add("create_scan_form", "Make a scan form", "Makes an end-of-day scan form (one document the carrier scans instead of "
                        + "every label) for shipment_ids, or for every label of one carrier bought on a UTC date and not yet on a "
                        + "form. A shipment is on at most one form; one already on a form is refused by name. Spends nothing.",
                object(null, props(
                        "shipment_ids", ToolSchemas.array(uuid()).put("minItems", 1).put("maxItems", ScanFormViews.MAX_SHIPMENTS)
                                .put("description", "Bought shipments of one carrier; give this or date with carrier"),
                        "date", str("UTC day the labels were bought, ISO 8601 date, e.g. 2026-11-30").put("format", "date"),
                        "carrier", str("With date: the carrier whose labels to include. " + ToolSchemas.CARRIERS),
                        "from_address", ToolSchemas.address("With date: only labels shipped from this address"),
                        "idempotency_key", idempotencyKey())),
                ToolSchemas.scanForm(), annotations("Make a scan form", false, false, false),
                (args, who) -> api.send(HttpMethod.POST, "/scan-forms", who, bodyWithout(args, "idempotency_key"),
                        args.getString("idempotency_key")));
        add("list_scan_forms", "List scan forms", "Scan forms newest first, each with its document (form_url) and shipment count "
                        + "(pass next_cursor as cursor).",
                object(null, props("limit", integer("How many forms to return, 1 to 200 (default 50)", 1, 200),
                        "cursor", str("The next_cursor of the previous page"))),
                ToolSchemas.scanFormPage(), annotations("List scan forms", true, false, true),
                (args, who) -> api.send(HttpMethod.GET, "/scan-forms" + query(args), who, null, null));
        add("create_pickup", "Ask for a pickup", "Asks EasyPost for a carrier pickup of bought shipments at an address within a "
                        + "window (UTC; not in the past, at most 7 days long) and answers its rates (USD). Buys nothing.",
                object(null, props(
                        "address", ToolSchemas.address("Where the driver collects the parcels"),
                        "min_datetime", str("Start of the window, ISO 8601 date-time with offset, e.g. 2026-12-01T09:00:00Z")
                                .put("format", "date-time"),
                        "max_datetime", str("End of the window, ISO 8601 date-time with offset").put("format", "date-time"),
                        "instructions", str("Notes for the driver, at most 500 characters"),
                        "reference", str("Your own reference, at most 100 characters"),
                        "shipment_id", uuid().put("description", "The one bought shipment to collect; or give shipment_ids"),
                        "shipment_ids", ToolSchemas.array(uuid()).put("minItems", 1).put("maxItems", PickupViews.MAX_SHIPMENTS)
                                .put("description", "Several bought shipments to collect"),
                        "idempotency_key", idempotencyKey()), "address", "min_datetime", "max_datetime"),
                ToolSchemas.pickup(), annotations("Ask for a pickup", false, false, false),
                (args, who) -> api.send(HttpMethod.POST, "/pickups", who, bodyWithout(args, "idempotency_key"),
                        args.getString("idempotency_key")));
        add("buy_pickup", "Buy a pickup", "Schedules the pickup at one of its rates (spends money). A pickup is bought at most "
                        + "once; buying a scheduled or cancelled pickup is refused.",
                object(null, props(
                        "id", uuid().put("description", "The pickup create_pickup returned"),
                        "carrier", str("The rate's carrier, as create_pickup listed it. " + ToolSchemas.CARRIERS),
                        "service", str("The rate's service, as create_pickup listed it, e.g. NextDay"),
                        "idempotency_key", idempotencyKey()), "id", "carrier", "service"),
                ToolSchemas.pickup(), annotations("Buy a pickup", false, true, false),
                (args, who) -> api.send(HttpMethod.POST, "/pickups/" + path(args, "id") + "/buy", who,
                        bodyWithout(args, "id", "idempotency_key"), args.getString("idempotency_key")));
        add("cancel_pickup", "Cancel a pickup", "Cancels the pickup at EasyPost; cancelling a cancelled pickup changes nothing.",
                object(null, props("id", uuid().put("description", "The pickup to cancel")), "id"),
                ToolSchemas.pickup(), annotations("Cancel a pickup", false, true, true),
                (args, who) -> api.send(HttpMethod.POST, "/pickups/" + path(args, "id") + "/cancel", who, Buffer.buffer("{}"), null));
    }

    List<McpSchema.Tool> definitions() {
        return tools.values().stream().map(Tool::definition).toList();
    }

    Tool get(String name) {
        return tools.get(name);
    }

    /**
     * The tool's answer as an MCP result: the REST body as text and, on success, as {@code structuredContent}
     * (conforming to the output schema). A refusal (4xx, 5xx) is a tool error the agent can read and act on
     * (MCP 2025-06-18 "Tools: Error Handling"), its problem's title and detail first. A purchase waiting for
     * approval (202 with {@code approval}) is not an error: the agent is told to wait and how to check.
     */
    static McpSchema.CallToolResult result(String tool, ApiCall.Answer answer) {
        String text = answer.body().length() == 0 ? "{}" : answer.body().toString();
        JsonObject body = null;
        try {
            body = new JsonObject(answer.body());
        } catch (RuntimeException notAnObject) {
            // the text content still carries it
        }
        if (!answer.ok()) {
            String headline = "HTTP " + answer.status();
            if (body != null && body.getValue("title") instanceof String title) {
                headline += " " + title + (body.getValue("detail") instanceof String detail ? ": " + detail : "");
            }
            return new McpSchema.CallToolResult(List.of(new McpSchema.TextContent(null, headline + "\n" + text, null)), true, null, null);
        }
        if (tool.equals("buy_label") && answer.status() == 202 && body != null && body.getValue("approval") instanceof JsonObject approval) {
            String note = "Not bought yet: this purchase awaits a person's approval (approval id " + approval.getValue("id")
                    + ", status " + approval.getValue("status") + "). Check it with get_approval; the label is bought once it is approved.";
            return new McpSchema.CallToolResult(List.of(new McpSchema.TextContent(null, note + "\n" + text, null)), false, body.getMap(), null);
        }
        return new McpSchema.CallToolResult(List.of(new McpSchema.TextContent(null, text, null)), false, body == null ? null : body.getMap(), null);
    }

    private void add(String name, String title, String description, JsonObject input, JsonObject output,
                     McpSchema.ToolAnnotations annotations, BiFunction<JsonObject, ApiCall.Caller, Future<ApiCall.Answer>> call) {
        // Re-read from text so nested values are plain maps and lists, as the SDK's JSON mapper expects.
        McpSchema.Tool definition = new McpSchema.Tool(name, title, description, new JsonObject(input.encode()).getMap(),
                new JsonObject(output.encode()).getMap(), annotations, null, null);
        tools.put(name, new Tool(definition, input, call));
    }

    private static JsonObject idempotencyKey() {
        return str("Any unique text, e.g. a UUID: a retry with the same key returns the first answer instead of doing it twice");
    }

    private static McpSchema.ToolAnnotations annotations(String title, boolean readOnly, boolean destructive, boolean idempotent) {
        return new McpSchema.ToolAnnotations(title, readOnly, destructive, idempotent, true, null);
    }

    private static String path(JsonObject args, String name) {
        return URLEncoder.encode(String.valueOf(args.getValue(name)), StandardCharsets.UTF_8);
    }

    private static String query(JsonObject args) {
        String q = args.fieldNames().stream().filter(k -> args.getValue(k) != null)
                .map(k -> URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(queryValue(args.getValue(k)), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return q.isEmpty() ? "" : "?" + q;
    }

    private static String queryValue(Object value) {
        return value instanceof JsonArray list ? list.stream().map(String::valueOf).collect(Collectors.joining(",")) : String.valueOf(value);
    }

    private static Buffer bodyWithout(JsonObject args, String... names) {
        JsonObject copy = args.copy();
        for (String n : names) {
            copy.remove(n);
        }
        return copy.toBuffer();
    }

    private static JsonObject argsWithout(JsonObject args, String name) {
        JsonObject copy = args.copy();
        copy.remove(name);
        return copy;
    }
}
