package dev.shipgate.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.security.MessageDigest;

/**
 * Who is calling, as the token check established it: the SHA-256 digest of the bearer token. Per-client
 * state (idempotency keys, MCP sessions) is scoped by it, and it lives here so that {@code http} and the
 * features read it without depending on how authentication is done.
 */
public record Caller(Buffer tokenDigest) {

    private static final String KEY = "shipgate.caller";

    /** Called by the authentication handler once the token is known to be valid. */
    public static void identify(RoutingContext ctx, byte[] tokenDigest) {
        ctx.put(KEY, new Caller(Buffer.buffer(tokenDigest.clone())));
    }

    /** The authenticated caller, or null on public routes. */
    public static Caller of(RoutingContext ctx) {
        return ctx.get(KEY);
    }

    /** The caller's token digest, or null on public routes. */
    public static byte[] tokenDigest(RoutingContext ctx) {
        Caller caller = of(ctx);
        return caller == null ? null : caller.tokenDigest.getBytes();
    }

    /** Whether {@code digest} is this caller's token digest, compared in constant time. */
    public boolean holds(Buffer digest) {
        return digest != null && MessageDigest.isEqual(tokenDigest.getBytes(), digest.getBytes());
    }
}
