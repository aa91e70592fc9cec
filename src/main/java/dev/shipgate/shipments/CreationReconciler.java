package dev.shipgate.shipments;

import dev.shipgate.http.Json;
import dev.shipgate.shipments.ShipmentRequests.CreateShipment;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles what no request is working on any more. Shipment creations: the one whose answer was lost and
 * never retried, the one whose shipment could not be stored, the one cut short by a crash; each is looked
 * up at EasyPost and what EasyPost made is recorded (duplicates are listed as orphans), and one EasyPost
 * made none of is closed. Purchases: one whose outcome is unknown, or whose lease a crash left behind,
 * is read back and its label recorded if EasyPost sold it. Runs every {@value #PERIOD_MS} ms on every
 * instance; instances share the work under row locks and leases, so none settles the same thing twice.
 */
public final class CreationReconciler {

    /** What retention deletes for shipment creations: those settled more than a day ago. */
    public static final String EXPIRE = CreationSql.EXPIRE;

    /** What retention deletes for EasyPost shipment claims: those older than a day (stored or orphaned by then). */
    public static final String EXPIRE_CLAIMS = CreationSql.EXPIRE_CLAIMS;


    private static final Logger LOG = LoggerFactory.getLogger(CreationReconciler.class);
    static final long PERIOD_MS = 30_000;
    /** A creation untouched this long has no request working on it (EasyPost calls end well before). */
    static final int STALE_SECONDS = 60;
    private static final int BATCH = 20;

    private final Pool raw;
    private final LabelService labels;

    public CreationReconciler(Pool raw, LabelService labels) {
        this.raw = raw;
        this.labels = labels;
    }

    public long schedule(Vertx vertx) {
        return vertx.setPeriodic(PERIOD_MS, id -> run(STALE_SECONDS));
    }

    /**
     * One pass over creations untouched for {@code staleSeconds} and unsettled purchases; completes with
     * how many creations were closed and labels recorded.
     */
    public Future<Integer> run(int staleSeconds) {
        return creations(staleSeconds).compose(closed -> purchases().map(recorded -> closed + recorded));
    }

    private Future<Integer> purchases() {
        return labels.unsettled(BATCH).compose(ids -> {
            Future<Integer> done = Future.succeededFuture(0);
            for (java.util.UUID id : ids) {
                done = done.compose(n -> labels.settle(id)
                        .map(recorded -> {
                            if (recorded) {
                                LOG.info("recorded the label of shipment {}, sold by EasyPost while its answer was lost", id);
                            }
                            return recorded ? n + 1 : n;
                        })
                        .recover(e -> Future.succeededFuture(n)));
            }
            return done;
        }).recover(e -> {
            if (dev.shipgate.db.DatabaseStatus.troubleOf(e).isEmpty()) {
                LOG.warn("settling purchases failed: {}", e.getMessage());
            }
            return Future.succeededFuture(0);
        });
    }

    private Future<Integer> creations(int staleSeconds) {
        return raw.query(CreationSql.CLOSE_STORED).execute()
                .compose(closed -> raw.preparedQuery(CreationSql.TAKE_STALE).execute(Tuple.of(BATCH, staleSeconds)))
                .compose(rows -> {
                    Future<Integer> done = Future.succeededFuture(0);
                    for (Row row : rows) {
                        done = done.compose(n -> reconcile(row).map(closed -> closed ? n + 1 : n));
                    }
                    return done;
                })
                .onSuccess(n -> {
                    if (n > 0) {
                        LOG.info("reconciled {} shipment creation(s) whose answers were lost or not stored", n);
                    }
                })
                .recover(e -> {
                    if (dev.shipgate.db.DatabaseStatus.troubleOf(e).isEmpty()) {
                        LOG.warn("reconciling shipment creations failed: {}", e.getMessage());
                    }
                    return Future.succeededFuture(0);
                });
    }

    private Future<Boolean> reconcile(Row row) {
        String key = row.getString("source_key");
        if (row.getBoolean("refused")) {
            return resolve(key);
        }
        CreateShipment request;
        try {
            request = Json.decodeStored(((JsonObject) row.getValue("request")).toBuffer(), CreateShipment.class);
        } catch (RuntimeException e) {
            LOG.warn("creation {} holds a request that no longer reads: {}", key, e.getMessage());
            return resolve(key);
        }
        return labels.adopt(key, request, row.getOffsetDateTime("created_at"))
                .compose(found -> found == null ? Future.succeededFuture()
                        : labels.record(key, request, found).onSuccess(view ->
                                LOG.info("recorded EasyPost shipment {} as {} for creation {}", found.getId(), view.id(), key)))
                .compose(v -> resolve(key))
                .recover(e -> {
                    LOG.warn("creation {} stays open: {}", key, e.getMessage());
                    return Future.succeededFuture(false);
                });
    }

    private Future<Boolean> resolve(String key) {
        return raw.preparedQuery(CreationSql.RESOLVE).execute(Tuple.of(key)).map(true);
    }

    /**
     * What needs a person's eye: creations still open after a minute, purchases whose outcome is unknown,
     * and EasyPost shipments no request claims.
     */
    public Future<JsonObject> report() {
        Future<JsonArray> creations = raw.query(CreationSql.REPORT_CREATIONS)
                .execute().map(rows -> {
                    JsonArray out = new JsonArray();
                    rows.forEach(r -> out.add(new JsonObject().put("source_key", r.getString("source_key"))
                            .put("attempts", r.getInteger("attempts")).put("created_at", dev.shipgate.http.Times.wire(r.getOffsetDateTime("created_at")))
                            .put("updated_at", dev.shipgate.http.Times.wire(r.getOffsetDateTime("updated_at")))));
                    return out;
                });
        Future<JsonArray> purchases = raw.query(CreationSql.REPORT_PURCHASES)
                .execute().map(rows -> {
                    JsonArray out = new JsonArray();
                    rows.forEach(r -> out.add(new JsonObject().put("shipment_id", r.getUUID("id").toString())
                            .put("easypost_id", r.getString("easypost_id"))
                            .put("purchase_started_at", dev.shipgate.http.Times.wire(r.getOffsetDateTime("purchase_started_at")))
                            .put("unverified", r.getBoolean("purchase_unverified"))));
                    return out;
                });
        Future<JsonArray> orphans = raw.query(CreationSql.REPORT_ORPHANS)
                .execute().map(rows -> {
                    JsonArray out = new JsonArray();
                    rows.forEach(r -> out.add(new JsonObject().put("easypost_id", r.getString("easypost_id"))
                            .put("source_key", r.getString("source_key")).put("reference", r.getString("reference"))
                            .put("reason", r.getString("reason")).put("created_at", dev.shipgate.http.Times.wire(r.getOffsetDateTime("created_at")))
                            .put("found_at", dev.shipgate.http.Times.wire(r.getOffsetDateTime("found_at")))));
                    return out;
                });
        return Future.all(creations, purchases, orphans).map(all -> new JsonObject()
                .put("open_creations", creations.result())
                .put("pending_purchases", purchases.result())
                .put("orphans", orphans.result()));
    }
}
