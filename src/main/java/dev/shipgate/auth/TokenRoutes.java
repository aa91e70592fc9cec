package dev.shipgate.auth;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
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
    public record CreateToken(String name, List<String> scopes,
                              @JsonDeserialize(using = Json.Money.class) BigDecimal maxLabelCost,
                              @JsonDeserialize(using = Json.Money.class) BigDecimal dailySpend,
                              @JsonDeserialize(using = Json.Money.class) BigDecimal approvalAbove) {
    }

    /**
     * The body of {@code PATCH /tokens/{id}}: the members given are changed, the others kept; a limit
     * given as null is removed.
     */
    public record UpdateToken(List<String> scopes,
                              @JsonDeserialize(using = Json.Money.class) BigDecimal maxLabelCost,
                              @JsonDeserialize(using = Json.Money.class) BigDecimal dailySpend,
                              @JsonDeserialize(using = Json.Money.class) BigDecimal approvalAbove) {
    }

    private final Pool pool;
    private final TokenCache cache;
    private final dev.shipgate.http.Idempotency idempotency;
    private final dev.shipgate.config.BusinessDay days;

    /**
     * Routes over the tokens in {@code pool}; a revoke or an update also drops the token from this process's
     * {@code cache}; {@code idempotency} guards creation without ever storing the secret; {@code days} says
     * which day's spend {@code spent_today} shows (the business's, as the daily limit counts it).
     */
    public TokenRoutes(Pool pool, TokenCache cache, dev.shipgate.http.Idempotency idempotency,
                       dev.shipgate.config.BusinessDay days) {
        this.pool = pool;
        this.days = days;
        this.cache = cache;
        this.idempotency = idempotency;
    }

    /** Mounts the token routes on the protected router; only {@code POST /tokens} reads a body. */
    public void mount(Router router, BodyHandler body) {
        router.post("/tokens").handler(body).handler(idempotency.secretOnce(this::create, TokenRoutes::createdOnce));
        router.get("/tokens").handler(Handlers.json(this::list));
        router.delete("/tokens/:id").handler(Handlers.json(this::revoke));
        router.patch("/tokens/:id").handler(body).handler(Handlers.json(this::update));
    }

    /**
     * What a repeat of a creating key answers: the secret is shown once and never stored, so a 409 naming
     * the token already created (its id and name) instead of the answer.
     */
    private static dev.shipgate.http.Reply createdOnce(dev.shipgate.http.Reply created) {
        JsonObject token = new JsonObject(created.body());
        return dev.shipgate.http.Reply.of(Problem.of(ProblemType.CONFLICT, "the token for this Idempotency-Key was already created ("
                        + token.getString("id") + "); its secret was shown once and is not kept: revoke it and create another if it was lost")
                .with("token_id", token.getString("id")).with("name", token.getString("name")));
    }

    private Future<dev.shipgate.http.Reply> create(RoutingContext ctx) {
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
                            spec.limits(), dev.shipgate.http.Times.wire(rows.iterator().next().getOffsetDateTime("created_at")), null,
                            BigDecimal.ZERO).put("token", token);
                }).map(body -> dev.shipgate.http.Reply.json(201, body));
    }

    /** Raises or lowers a token's limits and scopes; effective on its next request in every process (the caches drop it at once). */
    private Future<JsonObject> update(RoutingContext ctx) {
        UUID id = Params.uuid("id", ctx.pathParam("id"), "a token id");
        UpdateToken request = Json.decode(ctx.body().buffer(), UpdateToken.class);
        JsonObject given = ctx.body().asJsonObject();
        if (given.isEmpty()) {
            throw Problem.of(ProblemType.VALIDATION_FAILED, "give at least one of scopes, max_label_cost, daily_spend, approval_above")
                    .exception();
        }
        List<Problem.InvalidParam> invalid = new ArrayList<>();
        Set<Scope> scopes = Set.of(Scope.READ);
        if (given.containsKey("scopes")) {
            scopes = request.scopes() == null ? Set.of() : Tokens.parseScopes(request.scopes()).orElse(null);
            if (scopes == null) {
                invalid.add(new Problem.InvalidParam("scopes", "each must be one of read, ship, buy, admin"));
                scopes = Set.of(Scope.READ);
            }
        }
        Tokens.Spec spec = new Tokens.Spec("token", scopes,
                new Limits(request.maxLabelCost(), request.dailySpend(), request.approvalAbove()));
        spec.problems().forEach(p -> invalid.add(new Problem.InvalidParam(p[0], p[1])));
        if (!invalid.isEmpty()) {
            throw Problem.invalid(422, invalid.get(0).name() + ": " + invalid.get(0).reason(), invalid).exception();
        }
        return pool.preparedQuery(TokenSql.UPDATE).execute(Tuple.from(java.util.Arrays.asList(id,
                        given.containsKey("scopes"), spec.scopes().stream().map(Scope::wire).toArray(String[]::new),
                        given.containsKey("max_label_cost"), request.maxLabelCost(),
                        given.containsKey("daily_spend"), request.dailySpend(),
                        given.containsKey("approval_above"), request.approvalAbove(), days.today())))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw Problem.of(ProblemType.NOT_FOUND, "no live token " + id).exception();
                    }
                    cache.evict(id);
                    AuditLog.targetToken(ctx, id);
                    Row r = rows.iterator().next();
                    return describe(r.getUUID("id"), r.getString("name"), List.of(r.getArrayOfStrings("scopes")),
                            new Limits(r.getBigDecimal("max_label_cost"), r.getBigDecimal("daily_spend"), r.getBigDecimal("approval_above")),
                            dev.shipgate.http.Times.wire(r.getOffsetDateTime("created_at")), null, r.getBigDecimal("spent_today"));
                });
    }

    private Future<JsonObject> list(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of());
        return pool.preparedQuery(TokenSql.LIST).execute(io.vertx.sqlclient.Tuple.of(days.today())).map(rows -> {
            JsonArray tokens = new JsonArray();
            for (Row r : rows) {
                tokens.add(describe(r.getUUID("id"), r.getString("name"), List.of(r.getArrayOfStrings("scopes")),
                        new Limits(r.getBigDecimal("max_label_cost"), r.getBigDecimal("daily_spend"),
                                r.getBigDecimal("approval_above")),
                        dev.shipgate.http.Times.wire(r.getOffsetDateTime("created_at")),
                        dev.shipgate.http.Times.wire(r.getOffsetDateTime("revoked_at")),
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
                        .put("revoked_at", dev.shipgate.http.Times.wire(rows.iterator().next().getOffsetDateTime("revoked_at"))));
            }
            return pool.preparedQuery(TokenSql.EXISTS).execute(Tuple.of(id)).map(found -> {
                if (found.size() == 0) {
                    throw Problem.of(ProblemType.NOT_FOUND, "no token " + id).exception();
                }
                return new JsonObject().put("id", id.toString())
                        .put("revoked_at", dev.shipgate.http.Times.wire(found.iterator().next().getOffsetDateTime("revoked_at")));
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
