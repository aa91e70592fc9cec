package dev.shipgate.webhooks;

import dev.shipgate.config.WebhookConfig;
import dev.shipgate.http.Handlers;
import dev.shipgate.http.Idempotency;
import dev.shipgate.http.Json;
import dev.shipgate.http.Params;
import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemType;
import dev.shipgate.http.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/**
 * The admin API of outbound webhooks ("webhook endpoints", not EasyPost's inbound {@code /webhooks/easypost}):
 * register a URL for some event types and get its signing secret once ({@code POST /webhook-endpoints},
 * honouring {@code Idempotency-Key} without storing the secret, as {@code POST /tokens} does), list, change,
 * enable or disable, delete, rotate the secret, read an endpoint's delivery log, replay a delivery and
 * send a test ping. Every URL passes the {@link TargetGuard} before it is stored.
 */
public final class EndpointRoutes {

    /** The body of {@code POST /webhook-endpoints}. */
    public record CreateEndpoint(String url, List<String> events, String description) {
    }

    /** The body of {@code PATCH /webhook-endpoints/{id}}: members given are changed, others kept. */
    public record UpdateEndpoint(String url, List<String> events, String description, Boolean enabled) {
    }

    /**
     * The optional body of {@code POST /webhook-endpoints/{id}/rotate-secret}: how many hours the previous
     * secret keeps signing beside the new one (0 to 168; 0 stops it at once; absent: the configured overlap).
     */
    public record RotateSecret(Integer expirePreviousInHours) {
    }

    static final int MAX_DESCRIPTION = 500;
    /** The longest overlap a rotation may ask for: a week, as WEBHOOK_SECRET_ROTATION_OVERLAP_HOURS allows. */
    static final int MAX_OVERLAP_HOURS = 168;
    private static final int MAX_DELIVERIES = 100;

    private final Pool pool;
    private final Idempotency idempotency;
    private final TargetGuard guard;
    private final WebhookConfig config;

    /** Routes over the endpoints in {@code pool}'s database, checking URLs as {@code config} allows. */
    public EndpointRoutes(Vertx vertx, Pool pool, Idempotency idempotency, WebhookConfig config) {
        this.pool = pool;
        this.idempotency = idempotency;
        this.guard = new TargetGuard(vertx, config.allowPrivateTargets());
        this.config = config;
    }

    /** What retention forgets of webhooks: finished deliveries, then events no delivery refers to. */
    public static List<String> expiries() {
        return List.of(WebhookSql.EXPIRE_DELIVERIES, WebhookSql.EXPIRE_EVENTS);
    }

    /** Mounts the routes on the protected router; only those that read a body get {@code body}. */
    public void mount(Router router, BodyHandler body) {
        router.post("/webhook-endpoints").handler(body).handler(idempotency.secretOnce(this::create, EndpointRoutes::createdOnce));
        router.get("/webhook-endpoints").handler(Handlers.json(this::list));
        router.get("/webhook-endpoints/:id").handler(Handlers.json(this::get));
        router.patch("/webhook-endpoints/:id").handler(body).handler(Handlers.json(this::update));
        router.delete("/webhook-endpoints/:id").handler(Handlers.json(this::delete));
        router.post("/webhook-endpoints/:id/rotate-secret").handler(body).handler(Handlers.json(this::rotate));
        router.get("/webhook-endpoints/:id/deliveries").handler(Handlers.json(this::deliveries));
        router.post("/webhook-endpoints/:id/deliveries/:delivery_id/replay").handler(Handlers.json(202, this::replay));
        router.post("/webhook-endpoints/:id/test").handler(Handlers.json(202, this::test));
    }

    /** A repeat of a creating key: the secret was shown once and is not kept, so a 409 naming the endpoint. */
    private static Reply createdOnce(Reply created) {
        JsonObject endpoint = new JsonObject(created.body());
        return Reply.of(Problem.of(ProblemType.CONFLICT, "the webhook endpoint for this Idempotency-Key was already created ("
                        + endpoint.getString("id") + "); its secret was shown once and is not kept: rotate it if it was lost")
                .with("endpoint_id", endpoint.getString("id")));
    }

    private Future<Reply> create(RoutingContext ctx) {
        CreateEndpoint request = Json.decode(ctx.body().buffer(), CreateEndpoint.class);
        List<Problem.InvalidParam> invalid = new ArrayList<>();
        String[] events = events(request.events(), invalid);
        String description = description(request.description(), invalid);
        TargetGuard.Target target = target(request.url(), invalid);
        refuseIfAny(invalid);
        String secret = Signature.newSecret();
        return checked(target).compose(ok -> pool.preparedQuery(WebhookSql.INSERT_ENDPOINT)
                        .execute(Tuple.of(UUID.randomUUID(), target.uri().toString(), description, events, secret)))
                .map(rows -> {
                    ctx.response().putHeader("Cache-Control", "no-store");
                    return Reply.json(201, view(rows.iterator().next()).put("secret", secret));
                });
    }

    private Future<JsonObject> list(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of());
        return pool.preparedQuery(WebhookSql.LIST_ENDPOINTS).execute().map(rows -> {
            JsonArray endpoints = new JsonArray();
            rows.forEach(r -> endpoints.add(view(r)));
            return new JsonObject().put("webhook_endpoints", endpoints).put("event_types", new JsonArray(Outbox.TYPES));
        });
    }

    private Future<JsonObject> get(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of());
        UUID id = id(ctx);
        return pool.preparedQuery(WebhookSql.GET_ENDPOINT).execute(Tuple.of(id)).map(rows -> view(one(rows, id)));
    }

    private Future<JsonObject> update(RoutingContext ctx) {
        UUID id = id(ctx);
        UpdateEndpoint request = Json.decode(ctx.body().buffer(), UpdateEndpoint.class);
        JsonObject given = ctx.body().asJsonObject();
        if (given.isEmpty()) {
            throw Problem.of(ProblemType.VALIDATION_FAILED, "give at least one of url, events, description, enabled").exception();
        }
        List<Problem.InvalidParam> invalid = new ArrayList<>();
        String[] events = given.containsKey("events") ? events(request.events(), invalid) : new String[0];
        String description = given.containsKey("description") ? description(request.description(), invalid) : null;
        TargetGuard.Target target = given.containsKey("url") ? target(request.url(), invalid) : null;
        if (given.containsKey("enabled") && request.enabled() == null) {
            invalid.add(new Problem.InvalidParam("enabled", "must be true or false"));
        }
        refuseIfAny(invalid);
        Tuple change = Tuple.from(Arrays.asList(id,
                target != null, given.containsKey("description"), given.containsKey("events"), given.containsKey("enabled"),
                target == null ? null : target.uri().toString(), description, events,
                request.enabled() != null && request.enabled()));
        // One transaction: no dispatcher may lease for the endpoint before its held deliveries are sorted out
        // (it would send an expired one, or one the release then makes due a second time).
        return (target == null ? Future.<Void>succeededFuture() : checked(target))
                .compose(ok -> pool.withTransaction(conn -> conn.preparedQuery(WebhookSql.UPDATE_ENDPOINT).execute(change)
                        .compose(rows -> {
                            Row updated = one(rows, id);
                            return updated.getBoolean("enabled") && !updated.getBoolean("was_enabled")
                                    ? releaseHeld(conn, id).map(released -> view(updated).put("held_deliveries", released))
                                    : Future.succeededFuture(view(updated));
                        })))
                .onSuccess(view -> {
                    if (view.containsKey("held_deliveries")) {
                        wake();
                    }
                });
    }

    /**
     * After an endpoint is enabled again, in the enabling transaction: its held deliveries are due now, those
     * of events older than the retry window are marked expired. Answers the counts ({@code released},
     * {@code expired}).
     */
    private Future<JsonObject> releaseHeld(io.vertx.sqlclient.SqlConnection conn, UUID id) {
        return conn.preparedQuery(WebhookSql.RELEASE_HELD).execute(Tuple.of(id, (double) config.retryWindowSeconds()))
                .map(rows -> {
                    Row counts = rows.iterator().next();
                    return new JsonObject().put("released", counts.getLong("released")).put("expired", counts.getLong("expired"));
                });
    }

    /** Tells listening dispatchers that deliveries are due; the poll catches up if this is lost. */
    private void wake() {
        pool.query(WebhookSql.WAKE).execute();
    }

    private Future<JsonObject> delete(RoutingContext ctx) {
        UUID id = id(ctx);
        return pool.preparedQuery(WebhookSql.DELETE_ENDPOINT).execute(Tuple.of(id))
                .map(rows -> {
                    one(rows, id);
                    return new JsonObject().put("id", id.toString()).put("deleted", true);
                });
    }

    /**
     * A new secret at once, shown once like at creation. The previous one keeps signing beside it (a second
     * {@code v1=}) for the overlap the body's {@code expire_previous_in_hours} or
     * WEBHOOK_SECRET_ROTATION_OVERLAP_HOURS gives, so receivers can switch without refusing deliveries.
     */
    private Future<JsonObject> rotate(RoutingContext ctx) {
        UUID id = id(ctx);
        int hours = config.rotationOverlapHours();
        if (ctx.body().length() > 0) {
            RotateSecret request = Json.decode(ctx.body().buffer(), RotateSecret.class);
            if (ctx.body().asJsonObject().containsKey("expire_previous_in_hours")) {
                Integer asked = request.expirePreviousInHours();
                if (asked == null || asked < 0 || asked > MAX_OVERLAP_HOURS) {
                    throw Problem.invalidField("expire_previous_in_hours",
                            "must be a whole number of hours from 0 to " + MAX_OVERLAP_HOURS).exception();
                }
                hours = asked;
            }
        }
        String secret = Signature.newSecret();
        return pool.preparedQuery(WebhookSql.ROTATE_SECRET).execute(Tuple.of(id, secret, hours * 3600.0)).map(rows -> {
            ctx.response().putHeader("Cache-Control", "no-store");
            return view(one(rows, id)).put("secret", secret);
        });
    }

    private Future<JsonObject> deliveries(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of("limit"));
        UUID id = id(ctx);
        int limit = Params.integer("limit", ctx.request().getParam("limit"), 50, 1, MAX_DELIVERIES);
        return pool.preparedQuery(WebhookSql.GET_ENDPOINT).execute(Tuple.of(id)).compose(found -> {
            one(found, id);
            return pool.preparedQuery(WebhookSql.DELIVERIES).execute(Tuple.of(id, limit));
        }).map(rows -> {
            JsonArray deliveries = new JsonArray();
            for (Row r : rows) {
                boolean pending = "pending".equals(r.getString("state"));
                deliveries.add(new JsonObject().put("id", r.getUUID("id").toString())
                        .put("event_id", r.getUUID("event_id").toString()).put("event_type", r.getString("type"))
                        .put("state", r.getString("state")).put("held", r.getBoolean("held"))
                        .put("attempt_count", r.getInteger("attempts"))
                        .put("next_attempt_at", pending ? text(r.getOffsetDateTime("next_attempt_at")) : null)
                        .put("created_at", text(r.getOffsetDateTime("created_at")))
                        .put("finished_at", text(r.getOffsetDateTime("finished_at")))
                        .put("attempts", new JsonArray(r.getString("attempt_log"))));
            }
            return new JsonObject().put("deliveries", deliveries);
        });
    }

    /**
     * Sends a delivery again (delivered, failed or expired alike) with a fresh retry window; the log keeps earlier
     * attempts. A delivery still pending (queued, waiting for its next retry, or being sent) is not queued a
     * second time: the answer is the same 202 with {@code already_queued: true} and its {@code next_attempt_at},
     * so identical replays arriving at once send it once.
     */
    private Future<JsonObject> replay(RoutingContext ctx) {
        UUID id = id(ctx);
        UUID delivery = Params.uuid("delivery_id", ctx.pathParam("delivery_id"), "a delivery id");
        return enabledEndpoint(id)
                .compose(ok -> pool.preparedQuery(WebhookSql.REPLAY).execute(Tuple.of(id, delivery)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw Problem.of(ProblemType.NOT_FOUND, "no delivery " + delivery + " to webhook endpoint " + id).exception();
                    }
                    Row r = rows.iterator().next();
                    boolean queued = r.getBoolean("queued");
                    if (queued) {
                        wake();
                    }
                    return new JsonObject().put("id", delivery.toString())
                            .put("event_id", r.getUUID("event_id").toString()).put("state", "pending")
                            .put("already_queued", !queued)
                            .put("next_attempt_at", queued ? null : text(r.getOffsetDateTime("next_attempt_at")));
                });
    }

    /** Queues a {@code ping} event for this endpoint alone; its outcome shows in the delivery log. */
    private Future<JsonObject> test(RoutingContext ctx) {
        UUID id = id(ctx);
        UUID event = UUID.randomUUID();
        UUID delivery = UUID.randomUUID();
        JsonObject data = new JsonObject().put("webhook_endpoint_id", id.toString()).put("message", "a test event from Shipgate");
        return enabledEndpoint(id)
                .compose(ok -> pool.preparedQuery(WebhookSql.PING).execute(Tuple.of(id, event, data.encode(), delivery)))
                .onSuccess(rows -> wake())
                .map(rows -> new JsonObject().put("id", delivery.toString()).put("event_id", event.toString())
                        .put("event_type", Outbox.PING).put("state", "pending"));
    }

    private Future<Void> enabledEndpoint(UUID id) {
        return pool.preparedQuery(WebhookSql.GET_ENDPOINT).execute(Tuple.of(id)).map(rows -> {
            Row endpoint = one(rows, id);
            if (!endpoint.getBoolean("enabled")) {
                throw Problem.of(ProblemType.CONFLICT, "webhook endpoint " + id + " is disabled ("
                        + endpoint.getString("disabled_reason") + "); enable it first").exception();
            }
            return null;
        });
    }

    private static String[] events(List<String> events, List<Problem.InvalidParam> invalid) {
        if (events == null || events.isEmpty()) {
            invalid.add(new Problem.InvalidParam("events", "must list at least one event type, or \"*\" for all"));
            return new String[0];
        }
        LinkedHashSet<String> kept = new LinkedHashSet<>();
        for (String e : events) {
            if (e == null || !(e.equals("*") || Outbox.TYPES.contains(e))) {
                invalid.add(new Problem.InvalidParam("events", "each must be \"*\" or one of " + String.join(", ", Outbox.TYPES)));
                return new String[0];
            }
            kept.add(e);
        }
        return kept.toArray(String[]::new);
    }

    private static String description(String description, List<Problem.InvalidParam> invalid) {
        if (description == null || description.isBlank()) {
            return null;
        }
        if (description.codePointCount(0, description.length()) > MAX_DESCRIPTION) {
            invalid.add(new Problem.InvalidParam("description", "must be at most " + MAX_DESCRIPTION + " characters"));
        }
        return description.trim();
    }

    private TargetGuard.Target target(String url, List<Problem.InvalidParam> invalid) {
        try {
            return guard.parse(url);
        } catch (IllegalArgumentException e) {
            invalid.add(new Problem.InvalidParam("url", e.getMessage()));
            return null;
        }
    }

    /** The URL's host resolves to addresses that may receive webhooks, or a 422 naming {@code url}. */
    private Future<Void> checked(TargetGuard.Target target) {
        return guard.resolve(target).<Void>mapEmpty().recover(e -> Future.failedFuture(e instanceof IllegalArgumentException
                ? Problem.invalidField("url", e.getMessage()).exception() : e));
    }

    private static void refuseIfAny(List<Problem.InvalidParam> invalid) {
        if (!invalid.isEmpty()) {
            throw Problem.invalid(422, invalid.get(0).name() + ": " + invalid.get(0).reason(), invalid).exception();
        }
    }

    private static UUID id(RoutingContext ctx) {
        return Params.uuid("id", ctx.pathParam("id"), "a webhook endpoint id");
    }

    private static Row one(io.vertx.sqlclient.RowSet<Row> rows, UUID id) {
        if (rows.size() == 0) {
            throw Problem.of(ProblemType.NOT_FOUND, "no webhook endpoint " + id).exception();
        }
        return rows.iterator().next();
    }

    private static JsonObject view(Row r) {
        return new JsonObject().put("id", r.getUUID("id").toString()).put("url", r.getString("url"))
                .put("description", r.getString("description"))
                .put("events", new JsonArray(List.of(r.getArrayOfStrings("events"))))
                .put("enabled", r.getBoolean("enabled")).put("disabled_reason", r.getString("disabled_reason"))
                .put("disabled_at", text(r.getOffsetDateTime("disabled_at")))
                .put("consecutive_failures", r.getInteger("consecutive_failures"))
                .put("failing_since", text(r.getOffsetDateTime("failing_since")))
                .put("last_success_at", text(r.getOffsetDateTime("last_success_at")))
                .put("created_at", text(r.getOffsetDateTime("created_at")))
                .put("updated_at", text(r.getOffsetDateTime("updated_at")))
                .put("previous_secret_expires_at", text(r.getOffsetDateTime("previous_secret_expires_at")));
    }

    private static String text(OffsetDateTime t) {
        return t == null ? null : t.toString();
    }
}
