package dev.shipgate.mcp;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the arguments a tool's input schema does not allow ({@code additionalProperties: false}), nested
 * ones included, so a misspelt filter is refused by name instead of silently ignored (an agent that sent
 * {@code list_shipments {bogus: 1}} used to get an unfiltered list). Everything else (types, ranges,
 * required fields) the REST API checks, with the same problems a REST client gets.
 */
final class ToolArguments {

    private static final int MAX_REPORTED = 20;

    private ToolArguments() {
    }

    /** The paths of the arguments the schema does not allow, e.g. {@code bogus} or {@code shipments[3].parcel.colour}. */
    static List<String> unknown(JsonObject schema, JsonObject arguments) {
        List<String> found = new ArrayList<>();
        walk(schema, arguments, "", found);
        return found;
    }

    private static void walk(JsonObject schema, Object value, String path, List<String> found) {
        if (found.size() >= MAX_REPORTED || schema == null) {
            return;
        }
        if (value instanceof JsonObject object && schema.getValue("properties") instanceof JsonObject properties) {
            boolean closed = Boolean.FALSE.equals(schema.getValue("additionalProperties"));
            for (String name : object.fieldNames()) {
                String at = path.isEmpty() ? name : path + "." + name;
                if (properties.getValue(name) instanceof JsonObject property) {
                    walk(property, object.getValue(name), at, found);
                } else if (closed && found.size() < MAX_REPORTED) {
                    found.add(at);
                }
            }
        } else if (value instanceof JsonArray array && schema.getValue("items") instanceof JsonObject items) {
            for (int i = 0; i < array.size() && found.size() < MAX_REPORTED; i++) {
                walk(items, array.getValue(i), path + "[" + i + "]", found);
            }
        }
    }
}
