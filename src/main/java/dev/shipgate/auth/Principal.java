package dev.shipgate.auth;

import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.UUID;

/**
 * The token behind a request, as the database holds it at this request: its id (null for the token from
 * {@code SHIPGATE_API_TOKEN}, which lives only in the environment), name, scopes and spend limits.
 * Features read it to decide and to record who did what.
 */
public record Principal(UUID tokenId, String name, Set<Scope> scopes, Limits limits) {

    private static final String KEY = "shipgate.principal";

    /** The environment token: every scope, no limits. */
    public static final Principal ENVIRONMENT = new Principal(null, "environment", Scope.ALL, Limits.NONE);

    public boolean has(Scope scope) {
        return scopes.contains(scope);
    }

    static void attach(RoutingContext ctx, Principal principal) {
        ctx.put(KEY, principal);
    }

    /**
     * Fails the request with 403 naming {@code scope} unless its token has it: for a route whose body
     * decides the scope (a bulk job that buys needs {@code buy} besides the route's {@code ship}).
     */
    public static void require(RoutingContext ctx, Scope scope) {
        Principal p = of(ctx);
        if (p == null || !p.has(scope)) {
            throw missing(p, scope).exception();
        }
    }

    /** The 403 problem naming the scope the token lacks. */
    static dev.shipgate.http.Problem missing(Principal p, Scope scope) {
        return dev.shipgate.http.Problem.of(dev.shipgate.http.ProblemType.MISSING_SCOPE,
                        "this call needs the '" + scope.wire() + "' scope; the token '" + (p == null ? "?" : p.name())
                                + "' has " + (p == null ? "none" : p.scopes().stream().map(Scope::wire).sorted().toList()))
                .with("missing_scope", scope.wire());
    }

    /** The principal of an authenticated request; null on public routes. */
    public static Principal of(RoutingContext ctx) {
        return ctx.get(KEY);
    }
}
