package dev.shipgate.web;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The all-in-one mode: without nginx the service serves the dashboard from {@code webroot/} (and the
 * API under {@code /api/} too, see {@code HttpVerticle}), so the dashboard talks to one origin whether
 * nginx (which strips the prefix) is in front or not, and needs no CORS. Cross-origin calls are allowed only from origins
 * configured explicitly (a front-end dev server), never by default.
 */
public final class Dashboard {

    /** The same policy nginx sends: the dashboard runs no inline script or style. */
    static final String CSP = "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
    private static final String FILES = "/|/index\\.html|/favicon\\.svg|/app/.+|/vendor/.+";

    private final Path webroot;
    private final Set<String> corsOrigins;

    public Dashboard(Path webroot, Set<String> corsOrigins) {
        this.webroot = webroot;
        this.corsOrigins = corsOrigins;
    }

    /** Mounted first: CORS preflights carry no token. */
    public void mountCors(Router router) {
        if (corsOrigins.isEmpty()) {
            return;
        }
        CorsHandler cors = CorsHandler.create()
                .addOrigins(List.copyOf(corsOrigins))
                .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE))
                .allowedHeaders(Set.of("Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id",
                        "Mcp-Session-Id", "Mcp-Protocol-Version"))
                .exposedHeaders(Set.of("Location", "Retry-After", "X-Request-Id", "Mcp-Session-Id"))
                .maxAgeSeconds(600);
        // Only the configured origins reach the CORS handler: a browser on this very origin sends an Origin
        // header too (on POST), and anything else gets no CORS headers, which the browser enforces itself.
        router.route().handler(ctx -> {
            String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
            if (origin != null && corsOrigins.contains(origin)) {
                cors.handle(ctx);
            } else {
                ctx.next();
            }
        });
    }

    /** Before the token check: the files are public, the API they call is not. */
    public void mountFiles(Router router) {
        StaticHandler files = StaticHandler.create(FileSystemAccess.ROOT, webroot.toString())
                .setIndexPage("index.html")
                .setCachingEnabled(true)
                .setSendVaryHeader(true);
        router.routeWithRegex(FILES).method(HttpMethod.GET).method(HttpMethod.HEAD)
                .handler(Dashboard::revalidate).handler(files);
    }

    /** File names do not change with their content, so browsers revalidate (Last-Modified) instead of caching. */
    private static void revalidate(RoutingContext ctx) {
        ctx.addHeadersEndHandler(v -> ctx.response().headers()
                .set(HttpHeaders.CACHE_CONTROL, "no-cache")
                .set("Content-Security-Policy", CSP)
                .set("X-Content-Type-Options", "nosniff")
                .set("Referrer-Policy", "strict-origin-when-cross-origin")
                .set("X-Frame-Options", "DENY"));
        ctx.next();
    }
}
