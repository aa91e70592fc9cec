package dev.shipgate.auth;

import dev.shipgate.audit.AuditLog;
import dev.shipgate.http.Json;
import dev.shipgate.http.Params;
import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemType;
import dev.shipgate.http.Handlers;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Tokens for an admin: {@code POST /tokens} answers the secret once (only its digest is stored),
 * {@code GET /tokens} lists them with what each spent today (never the secret or its digest),
 * {@code DELETE /tokens/{id}} revokes one, effective on the very next request (see {@link TokenAuth}).
 */
public final class TokenRoutes {

    /** The body of {@code POST /tokens}; amounts are USD decimal strings (or JSON numbers), null for no limit. */
    public record CreateToken(String name, List<String> scopes, BigDecimal maxLabelCost, BigDecimal dailySpend,
                              BigDecimal approvalAbove) {
    }

    private final Pool pool;
    private final TokenCache cache;

    /** Routes over the tokens in {@code pool}; a revoke also drops the token from this process's {@code cache}. */
    public TokenRoutes(Pool pool, TokenCache cache) {
        this.pool = pool;
        this.cache = cache;
    }

    /** Mounts the token routes on the protected router; only {@code POST /tokens} reads a body. */
    public void mount(Router router, BodyHandler body) {
        router.post("/tokens").handler(body).handler(Handlers.json(201, this::create));
        router.get("/tokens").handler(Handlers.json(this::list));
        router.delete("/tokens/:id").handler(Handlers.json(this::revoke));
    }

    private Future<JsonObject> create(RoutingContext ctx) {
        CreateToken request = Json.decode(ctx.body().buffer(), CreateToken.class);
        List<Problem.InvalidParam> invalid = new ArrayList<>();
        Set<Scope> scopes = request.scopes() == null ? Set.of()
                : Tokens.parseScopes(request.scopes()).orElse(null);
        if (scopes == null) {
            invalid.add(new Problem.InvalidParam("scopes", "each must be one of read, ship, buy, admin"));
            scopes = Set.of(Scope.READ);
        }
        Tokens.Spec spec = new Tokens.Spec(request.name() == null ? null : request.name().trim(), scopes,
                new Limits(request.maxLabelCost(), request.dailySpend(), request.approvalAbove()));
        spec.problems().forEach(p -> invalid.add(new Problem.InvalidParam(p[0], p[1])));
        if (!invalid.isEmpty()) {
            throw Problem.invalid(422, invalid.get(0).name() + ": " + invalid.get(0).reason(), invalid).exception();
        }
        String token = Tokens.generate();
        UUID id = UUID.randomUUID();
        return pool.preparedQuery(TokenSql.INSERT)
                .execute(Tuple.from(java.util.Arrays.asList(id, spec.name(), Buffer.buffer(Tokens.hash(token)),
                        spec.scopes().stream().map(Scope::wire).toArray(String[]::new), spec.limits().maxLabelCost(),
                        spec.limits().dailySpend(), spec.limits().approvalAbove())))
                .map(rows -> {
                    AuditLog.targetToken(ctx, id);
                    ctx.response().putHeader("Cache-Control", "no-store");
                    return describe(id, spec.name(), spec.scopes().stream().map(Scope::wire).toList(),
                            spec.limits(), rows.iterator().next().getOffsetDateTime("created_at").toString(), null,
                            BigDecimal.ZERO).put("token", token);
                });
    }

    private Future<JsonObject> list(RoutingContext ctx) {
        return pool.preparedQuery(TokenSql.LIST).execute().map(rows -> {
            JsonArray tokens = new JsonArray();
            for (Row r : rows) {
                tokens.add(describe(r.getUUID("id"), r.getString("name"), List.of(r.getArrayOfStrings("scopes")),
                        new Limits(r.getBigDecimal("max_label_cost"), r.getBigDecimal("daily_spend"),
                                r.getBigDecimal("approval_above")),
                        r.getOffsetDateTime("created_at").toString(),
                        r.getOffsetDateTime("revoked_at") == null ? null : r.getOffsetDateTime("revoked_at").toString(),
                        r.getBigDecimal("spent_today")));
            }
            return new JsonObject().put("tokens", tokens);
        });
    }

    private Future<JsonObject> revoke(RoutingContext ctx) {
        UUID id = Params.uuid("id", ctx.pathParam("id"), "a token id");
        return pool.preparedQuery(TokenSql.REVOKE).execute(Tuple.of(id)).compose(rows -> {
            // The notification will say so too, but this instance's next request must not wait for it.
            cache.evict(id);
            if (rows.size() == 1) {
                return Future.succeededFuture(new JsonObject().put("id", id.toString())
                        .put("name", rows.iterator().next().getString("name"))
                        .put("revoked_at", rows.iterator().next().getOffsetDateTime("revoked_at").toString()));
            }
            return pool.preparedQuery(TokenSql.EXISTS).execute(Tuple.of(id)).map(found -> {
                if (found.size() == 0) {
                    throw Problem.of(ProblemType.NOT_FOUND, "no token " + id).exception();
                }
                return new JsonObject().put("id", id.toString())
                        .put("revoked_at", found.iterator().next().getOffsetDateTime("revoked_at").toString());
            });
        });
    }

    private static JsonObject describe(UUID id, String name, List<String> scopes, Limits limits, String createdAt,
                                       String revokedAt, BigDecimal spentToday) {
        return new JsonObject().put("id", id.toString()).put("name", name).put("scopes", new JsonArray(scopes))
                .put("max_label_cost", usd(limits.maxLabelCost())).put("daily_spend", usd(limits.dailySpend()))
                .put("approval_above", usd(limits.approvalAbove())).put("spent_today", usd(spentToday))
                .put("created_at", createdAt).put("revoked_at", revokedAt);
    }

    private static String usd(BigDecimal amount) {
        return amount == null ? null : amount.setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
    }
}
