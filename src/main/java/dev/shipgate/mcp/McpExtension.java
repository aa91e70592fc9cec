package dev.shipgate.mcp;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * More tools, resources and prompts for {@code /mcp}, found with {@link java.util.ServiceLoader} and used when
 * {@link #enabled()} says so. The service itself ships none: it exists so the tests can register the official
 * conformance suite's fixtures (test_simple_text, test://static-text, ...) in test scope only, and so the suite's
 * scenarios for what Shipgate supports (progress, logging, resource templates, tool errors) run against the same
 * transport and notification paths Shipgate's own tools use. Every value is in MCP's wire form (JSON).
 */
public interface McpExtension {

    /** Where a running call's notifications go; each method does nothing when the client did not ask for them. */
    interface Notifications {

        /** {@code notifications/progress} (MCP 2025-03-26 "Utilities: Progress"), sent only with a progressToken. */
        void progress(double progress, Double total, String message);

        /** {@code notifications/message} at {@code level} (debug ... emergency), sent only at or above the chosen level. */
        void log(String level, String logger, Object data);
    }

    /** Whether this extension serves; read once, when the endpoint is built. */
    boolean enabled();

    /** Tool definitions, as tools/list lists them. */
    List<JsonObject> tools();

    /** A {@code CallToolResult} for one of {@link #tools()}. */
    Future<JsonObject> callTool(String name, JsonObject arguments, Notifications notifications);

    List<JsonObject> resources();

    List<JsonObject> resourceTemplates();

    /** A {@code ReadResourceResult}, or null when the uri is not this extension's. */
    JsonObject readResource(String uri);

    List<JsonObject> prompts();

    /** A {@code GetPromptResult}, or null when the prompt is not this extension's. */
    JsonObject getPrompt(String name, JsonObject arguments);
}
