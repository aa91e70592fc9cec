package dev.shipgate.mcp;

import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.ProtocolVersions;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the MCP endpoint answers, in the SDK's protocol model: initialize, ping, tools, resources and
 * prompts. Tool failures (a refused argument, EasyPost saying no) come back as results with
 * {@code isError}, so the agent can read them and correct itself; only protocol mistakes are errors.
 */
final class McpMethods {

    /** The 2026-07-28 revision: stateless, no initialize, every request carries its version in {@code _meta}. */
    static final String MODERN = "2026-07-28";
    /** Revisions served through initialize and a session, newest first (the answer to an unknown request). */
    static final List<String> VERSIONS = List.of(ProtocolVersions.MCP_2025_11_25, ProtocolVersions.MCP_2025_06_18,
            ProtocolVersions.MCP_2025_03_26);
    /** Every revision served, newest first, as {@code server/discover} lists them. */
    static final List<String> ALL_VERSIONS = List.of(MODERN, ProtocolVersions.MCP_2025_11_25, ProtocolVersions.MCP_2025_06_18,
            ProtocolVersions.MCP_2025_03_26);
    static final String INSTRUCTIONS = "Shipgate ships and tracks parcels through EasyPost. Create a shipment to see its rates, "
            + "buy a label (it spends money, and may wait for a person's approval), track codes, run bulk jobs and read shipping "
            + "analytics. Weights are ounces, sizes inches, amounts USD.";

    /** A JSON-RPC error to answer instead of a result. */
    static final class RpcError extends RuntimeException {
        final int code;

        final Object data;

        RpcError(int code, String message) {
            this(code, message, null);
        }

        RpcError(int code, String message, Object data) {
            super(message, null, false, false);
            this.code = code;
            this.data = data;
        }
    }

    /**
     * One request's circumstances: its revision, who asks (token and client, for the REST calls), and where
     * notifications go while it runs ({@code progressToken}, log level), or null where none may be sent.
     */
    record Request(String version, ApiCall.Caller caller, Object progressToken, LogLevel logLevel, Notifier notifier) {

        boolean modern() {
            return MODERN.equals(version);
        }
    }

    /** Sends one JSON-RPC notification to the client on the request's own stream. */
    interface Notifier {
        void send(String method, JsonObject params);
    }

    /** MCP's log levels (RFC 5424 severities), least severe first; messages below the chosen level are not sent. */
    enum LogLevel {
        DEBUG, INFO, NOTICE, WARNING, ERROR, CRITICAL, ALERT, EMERGENCY;

        static LogLevel of(Object value) {
            for (LogLevel l : values()) {
                if (l.name().equalsIgnoreCase(String.valueOf(value))) {
                    return l;
                }
            }
            return null;
        }

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final String RECENT = "shipgate://shipments/recent";
    private static final String TODAY = "shipgate://analytics/today";
    private static final String EXCEPTIONS = "shipgate://exceptions/open";
    private static final String SHIPMENT = "shipgate://shipments/{id}";
    private static final String JOB = "shipgate://jobs/{id}";
    private static final Pattern SHIPMENT_URI = Pattern.compile("shipgate://shipments/([0-9a-fA-F-]{36})");
    private static final Pattern JOB_URI = Pattern.compile("shipgate://jobs/([0-9a-fA-F-]{36})");

    private final ShippingTools tools;
    private final ApiCall api;
    private final JobFollower follower;
    private final List<McpExtension> extensions;

    McpMethods(ApiCall api, io.vertx.core.Vertx vertx) {
        this.api = api;
        this.extensions = ServiceLoader.load(McpExtension.class).stream().map(ServiceLoader.Provider::get)
                .filter(McpExtension::enabled).toList();
        this.tools = new ShippingTools(api);
        this.follower = new JobFollower(vertx, api);
    }

    static String negotiate(String requested) {
        return VERSIONS.contains(requested) ? requested : VERSIONS.get(0);
    }

    static McpSchema.ServerCapabilities capabilities() {
        return McpSchema.ServerCapabilities.builder().tools(false).resources(false, false).prompts(false).logging().completions().build();
    }

    static McpSchema.Implementation serverInfo() {
        return new McpSchema.Implementation("shipgate", "Shipgate", "0.1.0", null, null, null);
    }

    McpSchema.InitializeResult initialize(String version) {
        return new McpSchema.InitializeResult(version, capabilities(), serverInfo(), INSTRUCTIONS, null);
    }

    /**
     * Answers one request. Methods that a revision does not have are "method not found": 2026-07-28 dropped
     * {@code ping}, {@code logging/setLevel} and {@code initialize} (its log level travels in each request's
     * {@code _meta}), and {@code server/discover} exists only there.
     */
    Future<Object> call(String method, Object params, Request request) {
        Map<String, Object> p = params instanceof Map<?, ?> m ? castMap(m) : Map.of();
        boolean modern = request.modern();
        return switch (method) {
            case McpSchema.METHOD_PING -> modern ? notFound(method) : Future.succeededFuture(Map.of());
            // Stored with the session by the endpoint; here only its value is checked.
            case McpSchema.METHOD_LOGGING_SET_LEVEL -> modern ? notFound(method) : LogLevel.of(p.get("level")) == null
                    ? Future.failedFuture(new RpcError(McpSchema.ErrorCodes.INVALID_PARAMS, "level must be one of debug, info, notice, "
                            + "warning, error, critical, alert, emergency"))
                    : Future.succeededFuture(Map.of());
            case "server/discover" -> modern ? Future.succeededFuture(Map.of("supportedVersions", ALL_VERSIONS,
                    "capabilities", capabilities(), "instructions", INSTRUCTIONS)) : notFound(method);
            case McpSchema.METHOD_TOOLS_LIST -> listed("tools", tools.definitions(), McpExtension::tools);
            case McpSchema.METHOD_TOOLS_CALL -> callTool(p, request);
            case McpSchema.METHOD_RESOURCES_LIST -> listed("resources", List.of(
                    new McpSchema.Resource(RECENT, "recent-shipments", "Recent shipments", "The 20 newest shipments",
                            "application/json", null, null, null, null),
                    new McpSchema.Resource(TODAY, "today", "Today's summary", "Shipments, labels and spend (USD) today (UTC)",
                            "application/json", null, null, null, null),
                    new McpSchema.Resource(EXCEPTIONS, "open-exceptions", "Open exceptions",
                            "The 50 newest shipments that need a person and nobody has acknowledged, with their reasons",
                            "application/json", null, null, null, null)), McpExtension::resources);
            case McpSchema.METHOD_RESOURCES_TEMPLATES_LIST -> listed("resourceTemplates", List.of(
                    new McpSchema.ResourceTemplate(SHIPMENT, "shipment", "A shipment",
                            "One shipment by its id (a UUID): addresses, parcel, rates (USD), label and latest tracking event",
                            "application/json", null, null, null),
                    new McpSchema.ResourceTemplate(JOB, "job", "A bulk job",
                            "One bulk job by its id (a UUID): progress and its first 1000 items", "application/json", null, null, null)), McpExtension::resourceTemplates);
            case McpSchema.METHOD_RESOURCES_READ -> read(String.valueOf(p.get("uri")), request.caller());
            case McpSchema.METHOD_COMPLETION_COMPLETE -> Future.succeededFuture(Prompts.complete(castMap(p.get("argument"))));
            case McpSchema.METHOD_PROMPT_LIST -> listed("prompts", Prompts.list(), McpExtension::prompts);
            case McpSchema.METHOD_PROMPT_GET -> getPrompt(String.valueOf(p.get("name")), castMap(p.get("arguments")));
            default -> notFound(method);
        };
    }

    private static Future<Object> notFound(String method) {
        return Future.failedFuture(new RpcError(McpSchema.ErrorCodes.METHOD_NOT_FOUND, "method not found: " + method));
    }

    /** A list result: Shipgate's own entries, then those of any enabled extension. */
    private Future<Object> listed(String key, List<?> own, Function<McpExtension, List<JsonObject>> extra) {
        List<Object> all = new ArrayList<>(own);
        extensions.forEach(e -> extra.apply(e).forEach(item -> all.add(plain(item))));
        return Future.succeededFuture(Map.of(key, all));
    }

    private Future<Object> getPrompt(String name, Map<String, Object> arguments) {
        for (McpExtension e : extensions) {
            JsonObject prompt = e.getPrompt(name, new JsonObject(arguments));
            if (prompt != null) {
                return Future.succeededFuture(plain(prompt));
            }
        }
        return Future.succeededFuture(Prompts.get(name, arguments));
    }

    /** Notifications for a running call, sent only where the client asked for them and can receive them. */
    static McpExtension.Notifications notifications(Request request) {
        return new McpExtension.Notifications() {
            @Override
            public void progress(double progress, Double total, String message) {
                if (request.notifier() != null && request.progressToken() != null) {
                    JsonObject params = new JsonObject().put("progressToken", request.progressToken()).put("progress", progress);
                    request.notifier().send("notifications/progress", params.put("total", total).put("message", message));
                }
            }

            @Override
            public void log(String level, String logger, Object data) {
                LogLevel at = LogLevel.of(level);
                if (request.notifier() != null && request.logLevel() != null && at != null && at.compareTo(request.logLevel()) >= 0) {
                    request.notifier().send("notifications/message", new JsonObject().put("level", at.wire()).put("logger", logger)
                            .put("data", data));
                }
            }
        };
    }

    private Future<Object> callTool(Map<String, Object> params, Request request) {
        String name = String.valueOf(params.get("name"));
        ShippingTools.Tool tool = tools.get(name);
        for (McpExtension e : extensions) {
            if (tool == null && e.tools().stream().anyMatch(t -> name.equals(t.getString("name")))) {
                Object raw = params.get("arguments");
                return e.callTool(name, new JsonObject(castMap(raw)), notifications(request)).map(McpMethods::plain);
            }
        }
        if (tool == null) {
            return Future.failedFuture(new RpcError(McpSchema.ErrorCodes.INVALID_PARAMS, "unknown tool: " + name));
        }
        Object raw = params.get("arguments");
        if (raw != null && !(raw instanceof Map<?, ?>)) {
            return Future.failedFuture(new RpcError(McpSchema.ErrorCodes.INVALID_PARAMS, "arguments must be an object"));
        }
        JsonObject args = new JsonObject(castMap(raw == null ? Map.of() : raw)).copy();
        List<String> unknown = ToolArguments.unknown(tool.input(), args);
        if (!unknown.isEmpty()) {
            return Future.succeededFuture((Object) toolError("unknown argument" + (unknown.size() == 1 ? "" : "s") + " for " + name + ": "
                    + String.join(", ", unknown) + ". Allowed: " + String.join(", ", tool.input().getJsonObject("properties").fieldNames())));
        }
        if (name.equals("start_bulk_job") && args.getValue("shipments") instanceof io.vertx.core.json.JsonArray list
                && list.size() > dev.shipgate.bulk.BulkRoutes.MAX_ITEMS) {
            int max = dev.shipgate.bulk.BulkRoutes.MAX_ITEMS;
            int jobs = (list.size() + max - 1) / max;
            return Future.succeededFuture((Object) toolError("shipments has " + list.size() + " items; one job takes at most " + max
                    + ". Split the list into " + jobs + " calls of start_bulk_job with at most " + max + " shipments each "
                    + "(each with its own idempotency_key)."));
        }
        Future<ApiCall.Answer> answer = tool.call().apply(args, request.caller());
        if (name.equals("start_bulk_job") && (request.progressToken() != null || request.logLevel() != null) && request.notifier() != null) {
            answer = answer.compose(accepted -> follower.follow(accepted, request));
        }
        return answer.map(a -> (Object) ShippingTools.result(name, a));
    }

    static McpSchema.CallToolResult toolError(String text) {
        return new McpSchema.CallToolResult(List.of(new McpSchema.TextContent(null, text, null)), true, null, null);
    }

    private Future<Object> read(String uri, ApiCall.Caller caller) {
        for (McpExtension e : extensions) {
            JsonObject read = e.readResource(uri);
            if (read != null) {
                return Future.succeededFuture(plain(read));
            }
        }
        Matcher shipment = SHIPMENT_URI.matcher(uri);
        Matcher job = JOB_URI.matcher(uri);
        String path = switch (uri) {
            case RECENT -> "/shipments?limit=20";
            case TODAY -> "/analytics/today";
            case EXCEPTIONS -> "/exceptions?limit=50";
            default -> shipment.matches() ? "/shipments/" + shipment.group(1) : job.matches() ? "/jobs/" + job.group(1) : null;
        };
        if (path == null) {
            return Future.failedFuture(notFoundResource(uri));
        }
        return api.send(HttpMethod.GET, path, caller, null, null).map(answer -> {
            if (answer.status() == 404 || answer.status() == 400) {
                throw notFoundResource(uri);
            }
            if (!answer.ok()) {
                throw new RpcError(McpSchema.ErrorCodes.INTERNAL_ERROR, "reading " + uri + " failed: HTTP " + answer.status());
            }
            return (Object) new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(uri, "application/json",
                    answer.body().toString(), null)), null);
        });
    }

    /** Resource not found: -32002 up to 2025-11-25; the endpoint answers -32602 in 2026-07-28, which requires that code. */
    private static RpcError notFoundResource(String uri) {
        return new RpcError(McpSchema.ErrorCodes.RESOURCE_NOT_FOUND, "no resource " + uri, Map.of("uri", uri));
    }

    /** Plain maps and lists all the way down, as the SDK's JSON mapper writes them (a JsonObject inside would not be). */
    private static Object plain(JsonObject value) {
        return new JsonObject(value.encode()).getMap();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> castMap(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
