package dev.shipgate.auth;

import dev.shipgate.http.Caller;
import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemType;
import dev.shipgate.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Bearer-token check in front of every protected route; it names the {@link Caller} on the routing
 * context for what comes after. Known digests are remembered for a minute so the hot
 * path costs a hash and a map lookup, not a database round trip; a revoked token stops working within
 * that minute. The token from {@code SHIPGATE_API_TOKEN} is compared in constant time.
 */
public final class TokenAuth implements Handler<RoutingContext> {

    private static final long CACHE_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int CACHE_LIMIT = 10_000;

    private final Pool pool;
    private final Optional<byte[]> environmentToken;
    private final ConcurrentHashMap<Buffer, Long> valid = new ConcurrentHashMap<>();

    public TokenAuth(Pool pool, Optional<String> environmentToken) {
        this.pool = pool;
        this.environmentToken = environmentToken.map(Tokens::hash);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() > 512) {
            reject(ctx, "Bearer realm=\"shipgate\"", "a bearer token is required");
            return;
        }
        byte[] digest = Tokens.hash(header.substring(7).trim());
        Future<Boolean> valid = isValid(digest);
        // A body arriving while the database is asked would find no handler yet and be lost.
        boolean paused = !valid.isComplete() && !ctx.request().isEnded();
        if (paused) {
            ctx.request().pause();
        }
        valid.onComplete(ar -> {
            if (paused) {
                ctx.request().resume();
            }
            if (ar.succeeded() && ar.result()) {
                Caller.identify(ctx, digest);
                ctx.next();
            } else if (ar.succeeded()) {
                reject(ctx, "Bearer realm=\"shipgate\", error=\"invalid_token\"", "the bearer token is not valid");
            } else {
                ctx.fail(ar.cause());
            }
        });
    }

    private Future<Boolean> isValid(byte[] digest) {
        if (environmentToken.isPresent() && MessageDigest.isEqual(environmentToken.get(), digest)) {
            return Future.succeededFuture(true);
        }
        Buffer key = Buffer.buffer(digest);
        Long until = valid.get(key);
        if (until != null && until - System.nanoTime() > 0) {
            return Future.succeededFuture(true);
        }
        return pool.preparedQuery("SELECT 1 FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL")
                .execute(Tuple.of(key))
                .map(rows -> {
                    boolean found = rows.size() > 0;
                    if (found) {
                        if (valid.size() >= CACHE_LIMIT) {
                            valid.clear();
                        }
                        valid.put(key, System.nanoTime() + CACHE_NANOS);
                    } else {
                        valid.remove(key);
                    }
                    return found;
                });
    }

    private static void reject(RoutingContext ctx, String challenge, String detail) {
        ctx.response().putHeader("WWW-Authenticate", challenge);
        Responses.problem(ctx, Problem.of(ProblemType.UNAUTHORIZED, detail));
    }
}
