package dev.shipgate.mcp;

import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemType;
import dev.shipgate.http.Responses;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Set;

/**
 * Which browser origins may use {@code /mcp}: none but loopback, the service's own host and those configured
 * ({@code MCP_ALLOWED_ORIGINS}), against DNS rebinding (MCP 2025-06-18 "Transports: Security Warning": servers
 * MUST validate the Origin header). Requests without an Origin (not from a browser) pass.
 */
final class McpOrigins {

    private final Set<String> allowedOrigins;

    McpOrigins(Set<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    void check(RoutingContext ctx) {
        String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
        if (origin == null || allowedOrigins.contains(origin) || loopback(origin)
                || sameHost(origin, ctx.request().getHeader(HttpHeaders.HOST))) {
            ctx.next();
            return;
        }
        Responses.problem(ctx, Problem.of(ProblemType.FORBIDDEN, "origin " + origin + " may not use this MCP endpoint"));
    }

    /** A page on this machine itself; a rebinding attack shows its own (non-loopback) origin instead. */
    private static boolean loopback(String origin) {
        try {
            String host = URI.create(origin).getHost();
            return "localhost".equalsIgnoreCase(host) || "127.0.0.1".equals(host) || "[::1]".equals(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean sameHost(String origin, String host) {
        try {
            URI uri = URI.create(origin);
            String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return host != null && host.equalsIgnoreCase(authority);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
