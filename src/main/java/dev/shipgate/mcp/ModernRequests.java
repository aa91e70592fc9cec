package dev.shipgate.mcp;

import io.modelcontextprotocol.spec.McpSchema;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The rules of MCP revision 2026-07-28 for one POSTed message, checked before it is answered. That revision
 * has no initialize and no session: every request carries its protocol version, client capabilities and
 * (optionally) client info and log level in {@code params._meta} under {@code io.modelcontextprotocol/*}
 * keys, and repeats its version, method and name in the {@code MCP-Protocol-Version}, {@code Mcp-Method}
 * and {@code Mcp-Name} headers (SEP-2243, so proxies can route without reading bodies). A disagreement is
 * HeaderMismatch (-32020), an unknown version UnsupportedProtocolVersion (-32022, listing the supported
 * ones), a missing envelope key Invalid Params (-32602); all three with HTTP 400.
 */
final class ModernRequests {

    static final String PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
    static final String CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
    static final String CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
    static final String LOG_LEVEL = "io.modelcontextprotocol/logLevel";
    static final String SERVER_INFO = "io.modelcontextprotocol/serverInfo";
    static final String METHOD_HEADER = "Mcp-Method";
    static final String NAME_HEADER = "Mcp-Name";

    /** Which field of {@code params} the {@code Mcp-Name} header mirrors, per method. */
    private static final Map<String, String> NAMED = Map.of("tools/call", "name", "prompts/get", "name", "resources/read", "uri");
    /** Results a client may cache: how long, and for whom (every list depends on the caller's token: private). */
    private static final Map<String, Long> CACHEABLE_MS = Map.of("tools/list", 300_000L, "prompts/list", 300_000L,
            "resources/list", 300_000L, "resources/templates/list", 300_000L, "resources/read", 0L, "server/discover", 300_000L);

    private ModernRequests() {
    }

    /** True when the message claims 2026-07-28 or later, in its envelope or (failing that) its version header. */
    static boolean claimsModern(JsonObject message, String headerVersion) {
        return envelope(message) != null || headerVersion != null && headerVersion.compareTo(McpMethods.MODERN) >= 0;
    }

    static JsonObject envelope(JsonObject message) {
        if (message.getValue("params") instanceof JsonObject params && params.getValue("_meta") instanceof JsonObject meta
                && meta.containsKey(PROTOCOL_VERSION)) {
            return meta;
        }
        return null;
    }

    /** Null when the message may be served under 2026-07-28; otherwise the error to answer. */
    static Rpc.Failure check(JsonObject message, MultiMap headers) {
        String headerVersion = headers.get(McpEndpoint.VERSION);
        JsonObject meta = envelope(message);
        if (meta == null) {
            return Rpc.Failure.of(400, McpSchema.ErrorCodes.INVALID_PARAMS, "params._meta." + PROTOCOL_VERSION
                    + " is required by protocol revision " + headerVersion);
        }
        Object version = meta.getValue(PROTOCOL_VERSION);
        if (headerVersion != null && !headerVersion.equals(version)) {
            return Rpc.Failure.of(400, Rpc.HEADER_MISMATCH, McpEndpoint.VERSION + " " + headerVersion + " disagrees with the body's " + version);
        }
        if (!McpMethods.MODERN.equals(version)) {
            return new Rpc.Failure(400, Rpc.UNSUPPORTED_PROTOCOL_VERSION, "unsupported protocol version " + version + " in _meta",
                    Map.of("supported", McpMethods.ALL_VERSIONS, "requested", String.valueOf(version)));
        }
        if (!Rpc.isRequest(message)) {
            return null;
        }
        String method = message.getString("method");
        if (headerVersion == null) {
            return Rpc.Failure.of(400, Rpc.HEADER_MISMATCH, McpEndpoint.VERSION + " header is required");
        }
        String methodHeader = headers.get(METHOD_HEADER);
        if (methodHeader == null || !methodHeader.equals(method)) {
            return Rpc.Failure.of(400, Rpc.HEADER_MISMATCH, METHOD_HEADER + " header " + (methodHeader == null ? "is missing" : methodHeader
                    + " disagrees with the body's method " + method));
        }
        String field = NAMED.get(method);
        if (field != null && message.getJsonObject("params").getValue(field) instanceof String value) {
            String nameHeader = headers.get(NAME_HEADER);
            if (nameHeader == null || !value.equals(decode(nameHeader))) {
                return Rpc.Failure.of(400, Rpc.HEADER_MISMATCH, NAME_HEADER + " header " + (nameHeader == null ? "is missing"
                        : "disagrees with params." + field));
            }
        }
        if (!(meta.getValue(CLIENT_CAPABILITIES) instanceof JsonObject)) {
            return Rpc.Failure.of(400, McpSchema.ErrorCodes.INVALID_PARAMS, "params._meta." + CLIENT_CAPABILITIES + " is required");
        }
        return null;
    }

    /** Header values that are not plain printable ASCII travel as {@code =?base64?...?=} (SEP-2243). */
    static String decode(String header) {
        if (header.startsWith("=?base64?") && header.endsWith("?=")) {
            try {
                return new String(Base64.getDecoder().decode(header.substring(9, header.length() - 2)), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return header;
    }

    /** Adds what a 2026-07-28 result carries: {@code resultType}, the server's info, and cache hints where they apply. */
    static JsonObject decorate(String method, JsonObject result) {
        result.put("resultType", "complete");
        JsonObject meta = result.getValue("_meta") instanceof JsonObject m ? m : new JsonObject();
        result.put("_meta", meta.put(SERVER_INFO, new JsonObject().put("name", McpMethods.serverInfo().name())
                .put("version", McpMethods.serverInfo().version())));
        Long ttl = CACHEABLE_MS.get(method);
        if (ttl != null) {
            result.put("ttlMs", ttl).put("cacheScope", "private");
        }
        return result;
    }

    /** Codes 2026-07-28 spells differently: resource not found is Invalid Params there, with the uri as data. */
    static int code(int code) {
        return code == McpSchema.ErrorCodes.RESOURCE_NOT_FOUND ? McpSchema.ErrorCodes.INVALID_PARAMS : code;
    }

    static List<String> supported() {
        return McpMethods.ALL_VERSIONS;
    }
}
