package dev.shipgate.mcp;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The official MCP conformance suite's fixtures (tools, resources and prompts it calls by name), test scope only:
 * enabled for an app started while {@link #PROPERTY} is {@code true} (McpConformanceIT does so), so the suite's
 * scenarios for what Shipgate supports (content types, tool errors, progress, logging, resource templates) run
 * through Shipgate's own transport and notification paths. What each returns is what the suite's scenario
 * descriptions ask for.
 */
public final class ConformanceFixtures implements McpExtension {

    public static final String PROPERTY = "shipgate.mcp.conformanceFixtures";
    /** A 1x1 transparent PNG. */
    private static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
    /** A silent WAV: a RIFF header and no samples. */
    private static final String WAV = "UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQAAAAA=";
    private static final Pattern TEMPLATE = Pattern.compile("test://template/([^/]+)/data");
    private static final List<String> TOOLS = List.of("test_simple_text", "test_image_content", "test_audio_content",
            "test_embedded_resource", "test_multiple_content_types", "test_tool_with_logging", "test_error_handling",
            "test_tool_with_progress");

    @Override
    public boolean enabled() {
        return Boolean.getBoolean(PROPERTY);
    }

    @Override
    public List<JsonObject> tools() {
        return TOOLS.stream().map(name -> new JsonObject().put("name", name).put("description", "Conformance fixture " + name)
                .put("inputSchema", new JsonObject().put("type", "object").put("properties", new JsonObject()))).toList();
    }

    @Override
    public Future<JsonObject> callTool(String name, JsonObject arguments, Notifications notifications) {
        return switch (name) {
            case "test_simple_text" -> done(text("This is a simple text response for testing."));
            case "test_image_content" -> done(new JsonArray().add(image()));
            case "test_audio_content" -> done(new JsonArray().add(new JsonObject().put("type", "audio").put("data", WAV).put("mimeType", "audio/wav")));
            case "test_embedded_resource" -> done(new JsonArray().add(embedded()));
            case "test_multiple_content_types" -> done(text("Multiple content types test:").add(image()).add(embedded()));
            case "test_error_handling" -> Future.succeededFuture(new JsonObject().put("isError", true)
                    .put("content", text("This tool intentionally returns an error for testing")));
            case "test_tool_with_logging" -> steps(List.of(
                    () -> notifications.log("info", "conformance", "Tool execution started"),
                    () -> notifications.log("info", "conformance", "Tool processing data"),
                    () -> notifications.log("info", "conformance", "Tool execution completed")), "Tool with logging executed successfully");
            case "test_tool_with_progress" -> steps(List.of(
                    () -> notifications.progress(0, 100.0, "started"),
                    () -> notifications.progress(50, 100.0, "half way"),
                    () -> notifications.progress(100, 100.0, "done")), "Tool with progress executed successfully");
            default -> Future.failedFuture(new IllegalArgumentException(name));
        };
    }

    @Override
    public List<JsonObject> resources() {
        return List.of(new JsonObject().put("uri", "test://static-text").put("name", "static-text").put("mimeType", "text/plain"),
                new JsonObject().put("uri", "test://static-binary").put("name", "static-binary").put("mimeType", "image/png"));
    }

    @Override
    public List<JsonObject> resourceTemplates() {
        return List.of(new JsonObject().put("uriTemplate", "test://template/{id}/data").put("name", "template")
                .put("mimeType", "application/json"));
    }

    @Override
    public JsonObject readResource(String uri) {
        Matcher template = TEMPLATE.matcher(uri);
        JsonObject content = switch (uri) {
            case "test://static-text" -> new JsonObject().put("uri", uri).put("mimeType", "text/plain")
                    .put("text", "This is the content of the static text resource.");
            case "test://static-binary" -> new JsonObject().put("uri", uri).put("mimeType", "image/png").put("blob", PNG);
            default -> template.matches() ? new JsonObject().put("uri", uri).put("mimeType", "application/json")
                    .put("text", new JsonObject().put("id", template.group(1)).put("templateTest", true)
                            .put("data", "Data for ID: " + template.group(1)).encode()) : null;
        };
        return content == null ? null : new JsonObject().put("contents", new JsonArray().add(content));
    }

    @Override
    public List<JsonObject> prompts() {
        return List.of(new JsonObject().put("name", "test_simple_prompt").put("description", "A simple prompt without arguments"),
                new JsonObject().put("name", "test_prompt_with_arguments").put("description", "A prompt with two arguments").put("arguments", new JsonArray()
                        .add(new JsonObject().put("name", "arg1").put("required", true))
                        .add(new JsonObject().put("name", "arg2").put("required", true))),
                new JsonObject().put("name", "test_prompt_with_embedded_resource").put("description", "A prompt embedding a resource")
                        .put("arguments", new JsonArray()
                        .add(new JsonObject().put("name", "resourceUri").put("required", true))),
                new JsonObject().put("name", "test_prompt_with_image").put("description", "A prompt with an image"));
    }

    @Override
    public JsonObject getPrompt(String name, JsonObject arguments) {
        JsonObject content = switch (name) {
            case "test_simple_prompt" -> new JsonObject().put("type", "text").put("text", "This is a simple prompt for testing.");
            case "test_prompt_with_arguments" -> new JsonObject().put("type", "text").put("text",
                    "Prompt with arguments: arg1='" + arguments.getValue("arg1") + "', arg2='" + arguments.getValue("arg2") + "'");
            case "test_prompt_with_embedded_resource" -> new JsonObject().put("type", "resource").put("resource", new JsonObject()
                    .put("uri", arguments.getString("resourceUri", "test://example-resource")).put("mimeType", "text/plain")
                    .put("text", "Embedded resource content for testing."));
            case "test_prompt_with_image" -> image();
            default -> null;
        };
        return content == null ? null : new JsonObject().put("messages", new JsonArray()
                .add(new JsonObject().put("role", "user").put("content", content)));
    }

    private static Future<JsonObject> done(JsonArray content) {
        return Future.succeededFuture(new JsonObject().put("content", content));
    }

    private static JsonArray text(String text) {
        return new JsonArray().add(new JsonObject().put("type", "text").put("text", text));
    }

    private static JsonObject image() {
        return new JsonObject().put("type", "image").put("data", PNG).put("mimeType", "image/png");
    }

    private static JsonObject embedded() {
        return new JsonObject().put("type", "resource").put("resource", new JsonObject().put("uri", "test://embedded-resource")
                .put("mimeType", "text/plain").put("text", "This is an embedded resource content."));
    }

    /** Runs each step about 50 ms after the one before (the suite checks notifications arrive during the call). */
    private static Future<JsonObject> steps(List<Runnable> steps, String result) {
        Vertx vertx = Vertx.currentContext().owner();
        Promise<JsonObject> done = Promise.promise();
        run(vertx, steps, 0, result, done);
        return done.future();
    }

    private static void run(Vertx vertx, List<Runnable> steps, int next, String result, Promise<JsonObject> done) {
        if (next == steps.size()) {
            done.complete(new JsonObject().put("content", text(result)));
            return;
        }
        steps.get(next).run();
        vertx.setTimer(50, t -> run(vertx, steps, next + 1, result, done));
    }
}
