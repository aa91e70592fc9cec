package dev.shipgate.mcp;

import io.modelcontextprotocol.spec.McpSchema;
import io.vertx.core.json.JsonObject;

/**
 * JSON-RPC 2.0 messages as MCP carries them, checked before anything acts on them. A message without
 * {@code "jsonrpc": "2.0"} or with a method that is not a string is an Invalid Request (-32600), not a
 * parse error (-32700): it was valid JSON (JSON-RPC 2.0 section 5.1).
 */
final class Rpc {

    /** Header/body disagreement in revision 2026-07-28 (HeaderMismatch), answered with HTTP 400. */
    static final int HEADER_MISMATCH = -32020;
    /** Revision 2026-07-28: the request's protocol version is not one the server serves; HTTP 400. */
    static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;

    private Rpc() {
    }

    /** An answer that is an error: its HTTP status (200 for in-band errors), code, message and data. */
    record Failure(int httpStatus, int code, String message, Object data) {

        static Failure of(int httpStatus, int code, String message) {
            return new Failure(httpStatus, code, message, null);
        }
    }

    /** Null when {@code message} is a well-formed request, notification or response; otherwise what is wrong. */
    static Failure check(JsonObject message) {
        if (!"2.0".equals(message.getValue("jsonrpc"))) {
            return Failure.of(400, McpSchema.ErrorCodes.INVALID_REQUEST, "\"jsonrpc\" must be \"2.0\"");
        }
        Object id = message.getValue("id");
        if (id != null && !(id instanceof String) && !(id instanceof Number)) {
            return Failure.of(400, McpSchema.ErrorCodes.INVALID_REQUEST, "\"id\" must be a string or a number");
        }
        if (message.containsKey("method")) {
            if (!(message.getValue("method") instanceof String)) {
                return Failure.of(400, McpSchema.ErrorCodes.INVALID_REQUEST, "\"method\" must be a string");
            }
            Object params = message.getValue("params");
            if (params != null && !(params instanceof JsonObject)) {
                return Failure.of(400, McpSchema.ErrorCodes.INVALID_REQUEST, "\"params\" must be an object");
            }
            return null;
        }
        if (id != null && (message.containsKey("result") || message.containsKey("error"))) {
            return null;
        }
        return Failure.of(400, McpSchema.ErrorCodes.INVALID_REQUEST, "not a request, notification or response: \"method\" is missing");
    }

    static boolean isRequest(JsonObject message) {
        return message.getValue("method") instanceof String && message.getValue("id") != null;
    }

    static boolean isNotification(JsonObject message) {
        return message.getValue("method") instanceof String && message.getValue("id") == null;
    }

    /** The id to answer with: the message's own when it has a usable one, else null. */
    static Object id(JsonObject message) {
        Object id = message.getValue("id");
        return id instanceof String || id instanceof Number ? id : null;
    }

    static JsonObject result(Object id, JsonObject result) {
        return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("result", result);
    }

    static JsonObject error(Object id, int code, String message, Object data) {
        JsonObject error = new JsonObject().put("code", code).put("message", message);
        if (data != null) {
            error.put("data", data);
        }
        return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("error", error);
    }
}
