package dev.shipgate.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Calls that write (POST, PATCH, DELETE) take their input in the body; a query parameter on one is a
 * mistake the caller should hear about (400 naming it), not an option silently ignored while money is
 * spent. The bulk upload reads its CSV buy options from the query and checks them itself; MCP and
 * EasyPost's webhooks are left to their handlers.
 */
public final class WriteQueries {

    private WriteQueries() {
    }

    public static void check(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        String path = ctx.normalizedPath();
        if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD) || method.equals(HttpMethod.OPTIONS)
                || ctx.queryParams().isEmpty() || path.endsWith("/shipments/bulk-create") || path.endsWith("/mcp")
                || path.contains("/webhooks/")) {
            ctx.next();
            return;
        }
        try {
            Params.only(ctx, List.of());
        } catch (ProblemException e) {
            Responses.problem(ctx, e.problem());
            return;
        }
        ctx.next();
    }
}
