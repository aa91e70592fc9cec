package dev.shipgate.auth;

import dev.shipgate.http.Caller;
import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemType;
import dev.shipgate.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Bearer-token check in front of every protected route, then the scope check of the route table
 * ({@link RouteScopes}): 401 without a live token, 403 naming the missing scope. A token is looked up with
 * one cached prepared statement on the unique digest index, then kept in the process's {@link TokenCache},
 * which a PostgreSQL notification empties of it as soon as it is revoked or changed anywhere: a revoke,
 * a changed scope or limit takes effect on the next request after the notification on every verticle
 * instance and every service instance sharing the database (and on this instance at once when revoked
 * here). The token from {@code SHIPGATE_API_TOKEN} is compared in constant time and never touches the
 * database.
 */
public final class TokenAuth implements Handler<RoutingContext> {

    private final Pool pool;
    private final Optional<byte[]> environmentToken;
    private final RouteScopes scopes;
    private final TokenCache cache;

    /** The check of {@code scopes}, looking tokens up in {@code pool} through the process's one {@code cache}. */
    public TokenAuth(Pool pool, TokenCache cache, Optional<String> environmentToken, RouteScopes scopes) {
        this.pool = pool;
        this.cache = cache;
        this.environmentToken = environmentToken.map(Tokens::hash);
        this.scopes = scopes;
    }

    private volatile java.util.function.BiConsumer<RoutingContext, dev.shipgate.http.Problem> denied = (ctx, problem) -> { };

    /**
     * Called with a call refused for a missing scope (its principal attached) before the 403 is answered,
     * so the audit trail can record denied calls that would have spent or changed data.
     */
    public void onDenied(java.util.function.BiConsumer<RoutingContext, dev.shipgate.http.Problem> listener) {
        this.denied = listener;
    }

    /** The route table this check enforces. */
    public RouteScopes scopes() {
        return scopes;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() > 512) {
            reject(ctx, "Bearer realm=\"shipgate\"", "a bearer token is required");
            return;
        }
        byte[] digest = Tokens.hash(header.substring(7).trim());
        Future<Principal> found = lookup(digest);
        // A body arriving while the database is asked would find no handler yet and be lost.
        boolean paused = !found.isComplete() && !ctx.request().isEnded();
        if (paused) {
            ctx.request().pause();
        }
        found.onComplete(ar -> {
            if (paused) {
                ctx.request().resume();
            }
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            Principal principal = ar.result();
            if (principal == null) {
                reject(ctx, "Bearer realm=\"shipgate\", error=\"invalid_token\"", "the bearer token is not valid");
                return;
            }
            String path = relativePath(ctx);
            if (scopes.find(ctx.request().method(), path).isEmpty()) {
                // Every protected route is in the table (RouteScopes.verify), so this request has no route:
                // a 404 or 405 whatever the token may do, never a 403 that hints at an admin route.
                unrouted(ctx, path);
                return;
            }
            Scope needed = scopes.required(ctx.request().method(), path);
            if (!principal.has(needed)) {
                dev.shipgate.http.Problem problem = Principal.missing(principal, needed);
                Principal.attach(ctx, principal);
                denied.accept(ctx, problem);
                ctx.response().putHeader("WWW-Authenticate",
                        "Bearer realm=\"shipgate\", error=\"insufficient_scope\", scope=\"" + needed.wire() + "\"");
                Responses.problem(ctx, problem);
                return;
            }
            Caller.identify(ctx, digest);
            Principal.attach(ctx, principal);
            ctx.next();
        });
    }

    /** The request's path below the API's mount point ({@code /api} or none), as the route table writes it. */
    public static String relativePath(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        String mount = ctx.mountPoint();
        if (mount != null && !mount.equals("/")) {
            String m = mount.endsWith("/") ? mount.substring(0, mount.length() - 1) : mount;
            if (path.startsWith(m)) {
                path = path.substring(m.length());
            }
        }
        return path.isEmpty() ? "/" : path;
    }

    private Future<Principal> lookup(byte[] digest) {
        if (environmentToken.isPresent() && MessageDigest.isEqual(environmentToken.get(), digest)) {
            return Future.succeededFuture(Principal.ENVIRONMENT);
        }
        Principal cached = cache.get(digest);
        if (cached != null) {
            return Future.succeededFuture(cached);
        }
        long epoch = cache.epoch();
        return pool.preparedQuery(TokenSql.LOOKUP).execute(Tuple.of(Buffer.buffer(digest))).map(rows -> {
            Principal found = rows.size() == 0 ? null : principal(rows.iterator().next());
            cache.put(digest, found, epoch);
            return found;
        });
    }

    static Principal principal(Row row) {
        Set<Scope> granted = EnumSet.noneOf(Scope.class);
        for (String s : row.getArrayOfStrings("scopes")) {
            Scope.parse(s).ifPresent(granted::add);
        }
        return new Principal(row.getUUID("id"), row.getString("name"), granted,
                new Limits(money(row, "max_label_cost"), money(row, "daily_spend"), money(row, "approval_above")));
    }

    private static BigDecimal money(Row row, String column) {
        return row.getBigDecimal(column);
    }

    private void unrouted(RoutingContext ctx, String path) {
        java.util.Set<HttpMethod> allowed = scopes.allowed(path);
        if (allowed.isEmpty()) {
            Responses.problem(ctx, Problem.of(ProblemType.NOT_FOUND, "no route " + path));
            return;
        }
        ctx.response().putHeader(HttpHeaders.ALLOW, String.join(", ", allowed.stream().map(HttpMethod::name).toList()));
        Responses.problem(ctx, Problem.of(ProblemType.METHOD_NOT_ALLOWED,
                ctx.request().method() + " is not allowed on " + path));
    }

    private static void reject(RoutingContext ctx, String challenge, String detail) {
        ctx.response().putHeader("WWW-Authenticate", challenge);
        Responses.problem(ctx, Problem.of(ProblemType.UNAUTHORIZED, detail));
    }
}
