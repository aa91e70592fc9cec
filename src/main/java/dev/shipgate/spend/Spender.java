package dev.shipgate.spend;

import dev.shipgate.auth.Limits;
import dev.shipgate.auth.Principal;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * Who pays for a purchase and how it is recorded: the token (id null for the environment token, which
 * has no ledger), its name and limits, the client that asked (HTTP {@code User-Agent}) and the request id.
 * Bulk items pay as the token that submitted the job.
 */
public record Spender(UUID tokenId, String tokenName, Limits limits, String client, String requestId) {

    private static final int CLIENT_MAX = 256;

    /** The spender of an authenticated request. */
    public static Spender of(RoutingContext ctx) {
        Principal p = Principal.of(ctx);
        return new Spender(p.tokenId(), p.name(), p.limits(), client(ctx), ctx.get("X-Request-Id"));
    }

    /** The request's {@code User-Agent}, cut to a storable length; null when absent. */
    public static String client(RoutingContext ctx) {
        String ua = ctx.request().getHeader("User-Agent");
        return ua == null ? null : ua.length() > CLIENT_MAX ? ua.substring(0, CLIENT_MAX) : ua;
    }

    /** The same spender with other limits (an admin's approval lifts {@code approval_above}). */
    public Spender withLimits(Limits other) {
        return new Spender(tokenId, tokenName, other, client, requestId);
    }
}
