package dev.shipgate.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * A body sent to a JSON route must say it is JSON: without a {@code Content-Type}, or as
 * {@code text/plain} (what a browser form or {@code curl -d} sends), it is a 415 with
 * {@code Accept-Post}, never parsed as JSON by guess. Bulk uploads also take {@code text/csv};
 * EasyPost's webhooks and the MCP endpoint read their own bodies and are left to their handlers.
 */
public final class JsonBodies {

    private JsonBodies() {
    }

    public static void check(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        HttpMethod method = request.method();
        if (!(method.equals(HttpMethod.POST) || method.equals(HttpMethod.PUT) || method.equals(HttpMethod.PATCH))
                || !hasBody(request)) {
            ctx.next();
            return;
        }
        String path = ctx.normalizedPath();
        if (path.endsWith("/webhooks/easypost") || path.endsWith("/mcp")) {
            ctx.next();
            return;
        }
        boolean csv = path.endsWith("/shipments/bulk-create");
        String type = mediaType(request.getHeader(HttpHeaders.CONTENT_TYPE));
        if (type.equals("application/json") || type.endsWith("+json") || csv && type.equals("text/csv")) {
            ctx.next();
            return;
        }
        String accepted = csv ? "application/json, text/csv" : "application/json";
        ctx.response().putHeader("Accept-Post", accepted);
        Responses.problem(ctx, Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                (type.isEmpty() ? "a body without Content-Type" : "a " + type + " body")
                        + " is not accepted here; send Content-Type: " + accepted));
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            return !length.trim().equals("0");
        }
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }

    private static String mediaType(String header) {
        if (header == null) {
            return "";
        }
        int semicolon = header.indexOf(';');
        return (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}
