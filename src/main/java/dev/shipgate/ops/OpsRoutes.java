package dev.shipgate.ops;

import dev.shipgate.db.DatabaseStatus;
import dev.shipgate.db.Pools;
import dev.shipgate.http.Drain;
import dev.shipgate.http.Handlers;
import dev.shipgate.http.Reply;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import java.util.function.Supplier;

/**
 * What operators ask the service: {@code /health} (the whole truth, 503 when the database is gone),
 * {@code /health/live} (the process can serve: 503 only when its embedded database died and could not be
 * restarted, so a supervisor restarts the service) and {@code /health/ready} (send it traffic), and
 * {@code /metrics} in Prometheus text.
 */
public final class OpsRoutes {

    /** The content type of Prometheus' text format 0.0.4, which every scraper reads. */
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Pools pools;
    private final Drain drain;
    private final MeterRegistry registry;
    private final Supplier<JsonObject> easypost;
    private final HealthChecks checks;
    private final DatabaseStatus status;

    public OpsRoutes(Vertx vertx, Pools pools, Drain drain, MeterRegistry registry, Supplier<JsonObject> easypost) {
        this.pools = pools;
        this.drain = drain;
        this.registry = registry;
        this.easypost = easypost;
        this.checks = HealthChecks.create(vertx).register("database", 2_000, this::checkDatabase);
        this.status = DatabaseStatus.of(vertx);
    }

    public void mountHealth(Router router) {
        router.get("/health").handler(Handlers.reply(this::health));
        router.get("/health/live").handler(Handlers.reply(this::live));
        router.get("/health/ready").handler(Handlers.reply(this::ready));
    }

    public void mountMetrics(Router router) {
        router.get("/metrics").handler(Handlers.reply(this::metrics));
    }

    /**
     * The Prometheus text exposition, as vertx-micrometer's scraping handler serves it, but written by
     * {@link dev.shipgate.http.Responses} like every other answer (its own writer gave HEAD no length).
     */
    private Future<Reply> metrics(RoutingContext ctx) {
        String text = ((PrometheusMeterRegistry) registry).scrape();
        return Future.succeededFuture(new Reply(200, PROMETHEUS_TEXT, Buffer.buffer(text)));
    }

    private void checkDatabase(Promise<Status> promise) {
        pools.raw().query(OpsSql.ACTIVITY).execute()
                .onSuccess(rows -> {
                    status.reachable();
                    Row row = rows.iterator().next();
                    promise.tryComplete(Status.OK(new JsonObject()
                            .put("total", row.getLong("total"))
                            .put("active", row.getLong("active"))
                            .put("idle", row.getLong("idle"))));
                })
                .onFailure(e -> promise.tryComplete(Status.KO(new JsonObject().put("error", e.getMessage()))));
    }

    private Future<JsonObject> database() {
        return checks.checkStatus("database").map(result -> {
            boolean up = result.getUp();
            JsonObject body = new JsonObject().put("status", up ? "UP" : "DOWN");
            JsonObject data = result.getData();
            if (data != null) {
                body.put(up ? "connections" : "error", up ? data : data.getValue("error"));
            }
            return body;
        });
    }

    /**
     * The read replica's state under {@code database.replica} when {@code DATABASE_READ_URL} is set (see
     * {@link dev.shipgate.db.Replica#health}). A replica that is down does not make the service DOWN: its
     * reads go to the primary.
     */
    private Future<JsonObject> replica() {
        return pools.replica().map(r -> r.health(pools.raw())).orElse(Future.succeededFuture(null));
    }

    private Future<Reply> health(RoutingContext ctx) {
        Future<JsonObject> database = database();
        Future<JsonObject> replica = replica();
        return Future.join(database, replica).transform(joined -> {
            JsonObject db = database.succeeded() ? database.result() : new JsonObject().put("status", "DOWN");
            if (replica.succeeded() && replica.result() != null) {
                db.put("replica", replica.result());
            }
            boolean up = "UP".equals(db.getString("status"));
            JsonObject pool = new JsonObject()
                    .put(Pools.ORM, PoolStats.of(Pools.ORM, pools.orm(), pools.ormMax(), registry))
                    .put(Pools.RAW, PoolStats.of(Pools.RAW, pools.raw(), pools.rawMax(), registry));
            pools.replica().ifPresent(r -> pool.put(Pools.READ, PoolStats.of(Pools.READ, r.pool(), pools.rawMax(), registry)));
            JsonObject body = new JsonObject()
                    .put("status", up && !drain.draining() ? "UP" : "DOWN")
                    .put("database", db)
                    .put("easypost", easypost.get())
                    .put("pool", pool);
            if (drain.draining()) {
                body.put("draining", true);
            }
            return Future.succeededFuture(Reply.json(up ? 200 : 503, body));
        });
    }

    private Future<Reply> live(RoutingContext ctx) {
        return Future.succeededFuture(status.livenessTrouble()
                .map(trouble -> Reply.json(503, new JsonObject().put("status", "DOWN").put("reason", trouble)))
                .orElseGet(() -> Reply.json(200, new JsonObject().put("status", "UP"))));
    }

    private Future<Reply> ready(RoutingContext ctx) {
        if (drain.draining()) {
            return Future.succeededFuture(Reply.json(503, new JsonObject().put("status", "DOWN").put("reason", "shutting down")));
        }
        return database().transform(ar -> {
            boolean up = ar.succeeded() && "UP".equals(ar.result().getString("status"));
            return Future.succeededFuture(Reply.json(up ? 200 : 503, new JsonObject().put("status", up ? "UP" : "DOWN")));
        });
    }
}
