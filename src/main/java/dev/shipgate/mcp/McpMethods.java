package dev.shipgate.mcp;

import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.ProtocolVersions;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * What the MCP endpoint answers, in the SDK's protocol model: initialize, ping, tools, resources and
 * prompts. Tool failures (a refused argument, EasyPost saying no) come back as results with
 * {@code isError}, so the agent can read them and correct itself; only protocol mistakes are errors.
 */
final class McpMethods {

    static final List<String> VERSIONS = List.of(ProtocolVersions.MCP_2025_11_25, ProtocolVersions.MCP_2025_06_18,
            ProtocolVersions.MCP_2025_03_26);

    /** A JSON-RPC error to answer instead of a result. */
    static final class RpcError extends RuntimeException {
        final int code;

        RpcError(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    private static final String RECENT = "shipgate://shipments/recent";
    private static final String TODAY = "shipgate://analytics/today";

    private final ShippingTools tools;
    private final ApiCall api;

    McpMethods(ApiCall api) {
        this.api = api;
        this.tools = new ShippingTools(api);
    }

    static String negotiate(String requested) {
        return VERSIONS.contains(requested) ? requested : VERSIONS.get(0);
    }

    McpSchema.InitializeResult initialize(String version) {
        McpSchema.ServerCapabilities capabilities = McpSchema.ServerCapabilities.builder()
                .tools(false).resources(false, false).prompts(false).logging().completions().build();
        return new McpSchema.InitializeResult(version, capabilities, new McpSchema.Implementation("shipgate", "0.1.0"),
                "Shipgate ships and tracks parcels through EasyPost. Create a shipment to see its rates, buy a label "
                        + "(it spends money), track codes, run bulk jobs and read shipping analytics.");
    }

    Future<Object> call(String method, Object params, String authorization) {
        Map<String, Object> p = params instanceof Map<?, ?> m ? castMap(m) : Map.of();
        return switch (method) {
            case McpSchema.METHOD_PING -> Future.succeededFuture(Map.of());
            // Accepted so clients can set it; Shipgate sends no log notifications over this transport.
            case McpSchema.METHOD_LOGGING_SET_LEVEL -> Future.succeededFuture(Map.of());
            case McpSchema.METHOD_TOOLS_LIST -> Future.succeededFuture(new McpSchema.ListToolsResult(tools.definitions(), null));
            case McpSchema.METHOD_TOOLS_CALL -> callTool(p, authorization).map(r -> r);
            case McpSchema.METHOD_RESOURCES_LIST -> Future.succeededFuture(new McpSchema.ListResourcesResult(List.of(
                    new McpSchema.Resource(RECENT, "recent-shipments", "Recent shipments", "The 20 newest shipments",
                            "application/json", null, null, null),
                    new McpSchema.Resource(TODAY, "today", "Today's summary", "Shipments, labels and spend today (UTC)",
                            "application/json", null, null, null)), null));
            case McpSchema.METHOD_RESOURCES_READ -> read(String.valueOf(p.get("uri")), authorization).map(r -> r);
            case McpSchema.METHOD_COMPLETION_COMPLETE -> Future.succeededFuture(Prompts.complete(castMap(p.get("argument"))));
            case McpSchema.METHOD_PROMPT_LIST -> Future.succeededFuture(new McpSchema.ListPromptsResult(Prompts.list(), null));
            case McpSchema.METHOD_PROMPT_GET -> Future.succeededFuture(Prompts.get(String.valueOf(p.get("name")), castMap(p.get("arguments"))));
            default -> Future.failedFuture(new RpcError(McpSchema.ErrorCodes.METHOD_NOT_FOUND, "method not found: " + method));
        };
    }

    private Future<McpSchema.CallToolResult> callTool(Map<String, Object> params, String authorization) {
        String name = String.valueOf(params.get("name"));
        ShippingTools.Tool tool = tools.get(name);
        if (tool == null) {
            return Future.failedFuture(new RpcError(McpSchema.ErrorCodes.INVALID_PARAMS, "unknown tool: " + name));
        }
        JsonObject args = new JsonObject(castMap(params.get("arguments")));
        return tool.call().apply(args, authorization).map(McpMethods::result);
    }

    static McpSchema.CallToolResult result(ApiCall.Answer answer) {
        String text = answer.body().length() == 0 ? "{}" : answer.body().toString();
        Object structured = null;
        try {
            structured = new JsonObject(answer.body()).getMap();
        } catch (RuntimeException notAnObject) {
            // the text content still carries it
        }
        return new McpSchema.CallToolResult(List.of(new McpSchema.TextContent(text)), !answer.ok(),
                answer.ok() ? structured : null, null);
    }

    private Future<McpSchema.ReadResourceResult> read(String uri, String authorization) {
        String path = switch (uri) {
            case RECENT -> "/shipments?limit=20";
            case TODAY -> "/analytics/" + LocalDate.now(ZoneOffset.UTC);
            default -> null;
        };
        if (path == null) {
            return Future.failedFuture(new RpcError(McpSchema.ErrorCodes.RESOURCE_NOT_FOUND, "no resource " + uri));
        }
        return api.send(HttpMethod.GET, path, authorization, null, null).map(answer -> {
            if (!answer.ok()) {
                throw new RpcError(McpSchema.ErrorCodes.INTERNAL_ERROR, "reading " + uri + " failed: HTTP " + answer.status());
            }
            return new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(uri, "application/json",
                    answer.body().toString())));
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

}
