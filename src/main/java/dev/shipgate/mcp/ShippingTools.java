package dev.shipgate.mcp;

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
 */
final class ShippingTools {

    record Tool(McpSchema.Tool definition, BiFunction<JsonObject, String, Future<ApiCall.Answer>> call) {
    }

    private static final JsonObject ADDRESS = object(Map.of(
            "name", str(), "company", str(), "street1", str(), "street2", str(), "city", str(), "state", str(),
            "zip", str(), "country", new JsonObject().put("type", "string").put("pattern", "^[A-Z]{2}$"),
            "phone", str(), "email", str()), "street1", "city", "zip");
    private static final JsonObject PARCEL = object(Map.of("length", num(), "width", num(), "height", num(),
            "weight", num().put("description", "ounces")), "weight");
    private static final JsonObject NEW_SHIPMENT = object(Map.of("to_address", ADDRESS, "from_address", ADDRESS,
            "parcel", PARCEL, "reference", str()), "to_address", "from_address", "parcel");
    private static final JsonObject ANY_OBJECT = new JsonObject().put("type", "object");

    private final ApiCall api;
    private final Map<String, Tool> tools = new LinkedHashMap<>();

    ShippingTools(ApiCall api) {
        this.api = api;
        add("list_shipments", "List shipments", "Newest first, with filters and keyset paging (pass next_cursor as cursor).",
                object(Map.of("limit", integer(1, 200), "cursor", str(), "status", str(), "carrier", str(),
                        "created_from", date(), "created_to", date(), "q", str().put("minLength", 3))),
                annotations("List shipments", true, false, true),
                (args, auth) -> api.send(HttpMethod.GET, "/shipments" + query(args), auth, null, null));
        add("get_shipment", "Get a shipment", "One shipment with addresses, parcel, every offered rate and its latest tracking event.",
                object(Map.of("id", uuid()), "id"), annotations("Get a shipment", true, false, true),
                (args, auth) -> api.send(HttpMethod.GET, "/shipments/" + path(args, "id"), auth, null, null));
        add("create_shipment", "Create a shipment with rates", "Creates the shipment at EasyPost and returns every rate offered. Buys nothing.",
                NEW_SHIPMENT.copy().put("properties", NEW_SHIPMENT.getJsonObject("properties").copy().put("idempotency_key", str())),
                annotations("Create a shipment", false, false, false),
                (args, auth) -> api.send(HttpMethod.POST, "/shipments", auth, bodyWithout(args, "idempotency_key"), args.getString("idempotency_key")));
        add("buy_label", "Buy a label", "Buys the shipment's label by rate_id, or by strategy (cheapest or fastest) among carriers and services. Spends money; never buys twice.",
                object(Map.of("id", uuid(), "rate_id", str(), "strategy", new JsonObject().put("type", "string").put("enum", new JsonArray().add("cheapest").add("fastest")),
                        "carriers", strings(), "services", strings(), "idempotency_key", str()), "id"),
                annotations("Buy a label", false, true, false),
                (args, auth) -> api.send(HttpMethod.POST, "/shipments/" + path(args, "id") + "/buy", auth,
                        bodyWithout(args, "id", "idempotency_key"), args.getString("idempotency_key")));
        add("refund_label", "Refund a label", "Asks EasyPost to refund the shipment's label.",
                object(Map.of("id", uuid()), "id"), annotations("Refund a label", false, true, true),
                (args, auth) -> api.send(HttpMethod.POST, "/shipments/" + path(args, "id") + "/refund", auth, Buffer.buffer("{}"), null));
        add("verify_address", "Verify an address", "Checks deliverability with EasyPost and lists its findings.",
                ADDRESS, annotations("Verify an address", true, false, true),
                (args, auth) -> api.send(HttpMethod.POST, "/addresses/verify", auth, args.toBuffer(), null));
        add("track_shipments", "Track parcels", "Status and latest event for 1 to 1000 tracking codes; unknown codes are listed as not found.",
                object(Map.of("tracking_codes", strings().put("minItems", 1).put("maxItems", 1000)), "tracking_codes"),
                annotations("Track parcels", true, false, true),
                (args, auth) -> api.send(HttpMethod.POST, "/shipments/batch-track", auth, args.toBuffer(), null));
        add("start_bulk_job", "Start a bulk job", "Creates up to 10,000 shipments in the background, and buys their labels when buy is given (spends money). Returns the job id.",
                object(Map.of("shipments", new JsonObject().put("type", "array").put("minItems", 1).put("maxItems", 10000).put("items", NEW_SHIPMENT),
                        "buy", object(Map.of("strategy", new JsonObject().put("type", "string").put("enum", new JsonArray().add("cheapest").add("fastest")),
                                "carriers", strings(), "services", strings()), "strategy"),
                        "idempotency_key", str()), "shipments"),
                annotations("Start a bulk job", false, true, false),
                (args, auth) -> api.send(HttpMethod.POST, "/shipments/bulk-create", auth, bodyWithout(args, "idempotency_key"), args.getString("idempotency_key")));
        add("get_job", "Read a bulk job", "A bulk job's progress and per-item results.",
                object(Map.of("id", uuid(), "state", str(), "limit", integer(1, 10000)), "id"),
                annotations("Read a bulk job", true, false, true),
                (args, auth) -> api.send(HttpMethod.GET, "/jobs/" + path(args, "id") + query(argsWithout(args, "id")), auth, null, null));
        add("shipping_analytics", "Shipping analytics", "Shipments, labels, spend and average cost by carrier, service and status, for one UTC day (date) or a range (from, to; at most 366 days).",
                object(Map.of("date", date(), "from", date(), "to", date())),
                annotations("Shipping analytics", true, false, true),
                (args, auth) -> args.containsKey("date")
                        ? api.send(HttpMethod.GET, "/analytics/" + path(args, "date"), auth, null, null)
                        : api.send(HttpMethod.GET, "/analytics" + query(args), auth, null, null));
    }

    List<McpSchema.Tool> definitions() {
        return tools.values().stream().map(Tool::definition).toList();
    }

    Tool get(String name) {
        return tools.get(name);
    }

    private void add(String name, String title, String description, JsonObject input, McpSchema.ToolAnnotations annotations,
                     BiFunction<JsonObject, String, Future<ApiCall.Answer>> call) {
        // Re-read from text so nested values are plain maps and lists, as the SDK's JSON mapper expects.
        tools.put(name, new Tool(new McpSchema.Tool(name, title, description, new JsonObject(input.encode()).getMap(),
                ANY_OBJECT.getMap(), annotations, null), call));
    }

    private static McpSchema.ToolAnnotations annotations(String title, boolean readOnly, boolean destructive, boolean idempotent) {
        return new McpSchema.ToolAnnotations(title, readOnly, destructive, idempotent, true, null);
    }

    private static JsonObject object(Map<String, JsonObject> properties, String... required) {
        JsonObject props = new JsonObject();
        properties.forEach(props::put);
        JsonObject schema = new JsonObject().put("type", "object").put("properties", props).put("additionalProperties", false);
        if (required.length > 0) {
            schema.put("required", new JsonArray(List.of((Object[]) required)));
        }
        return schema;
    }

    private static JsonObject str() {
        return new JsonObject().put("type", "string");
    }

    private static JsonObject num() {
        return new JsonObject().put("type", "number");
    }

    private static JsonObject uuid() {
        return str().put("format", "uuid");
    }

    private static JsonObject date() {
        return str().put("format", "date");
    }

    private static JsonObject strings() {
        return new JsonObject().put("type", "array").put("items", str());
    }

    private static JsonObject integer(int min, int max) {
        return new JsonObject().put("type", "integer").put("minimum", min).put("maximum", max);
    }

    private static String path(JsonObject args, String name) {
        return URLEncoder.encode(String.valueOf(args.getValue(name)), StandardCharsets.UTF_8);
    }

    private static String query(JsonObject args) {
        String q = args.fieldNames().stream().filter(k -> args.getValue(k) != null)
                .map(k -> URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(String.valueOf(args.getValue(k)), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return q.isEmpty() ? "" : "?" + q;
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
