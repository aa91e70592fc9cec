package dev.shipgate.tracking;

import com.easypost.utils.Cryptography;
import dev.shipgate.exceptions.ExceptionReason;
import dev.shipgate.exceptions.QueueStay;
import dev.shipgate.exceptions.Reopening;
import dev.shipgate.http.Handlers;
import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemType;
import dev.shipgate.webhooks.Outbox;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.text.Normalizer;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * EasyPost's webhook: outside the API token, but only events signed with {@code EASYPOST_WEBHOOK_SECRET}
 * get in. The signature is checked on the raw bytes before anything is parsed, so a signed body that is
 * not a valid event is EasyPost's 400 or 422, not a 401. Each event id is applied once. EasyPost delivers
 * at least once and in any order: a tracker event moves the shipment's and tracker's status only if its
 * newest tracking detail is not older than the one that set the current status (compared in the UPDATE,
 * so concurrent deliveries cannot race), and its details always join the shipment's history. A batch event
 * ({@code batch.updated}) goes to the {@link BatchListener} the service wires in (batch printing finishes its
 * job at once instead of at its next poll); it is applied before its id is remembered and its effect is
 * conditional, so a delivery that fails half-way is applied again by EasyPost's retry and a repeat changes
 * nothing.
 */
public final class WebhookRoutes {

    /** What retention deletes for webhooks: event ids older than 30 days. */
    public static final String EXPIRE = WebhookSql.EXPIRE_EVENTS;


    static final String SIGNATURE = "X-Hmac-Signature";
    private static final String SIGNATURE_PREFIX = "hmac-sha256-hex=";

    /**
     * Takes a verified batch event: EasyPost's batch id, its state and, once generated, its document's URL;
     * answers how many records it changed (0: none of ours, or already so). Must be idempotent.
     */
    @FunctionalInterface
    public interface BatchListener {
        Future<Integer> batchUpdated(String easypostId, String state, String labelUrl);
    }

    private final Pool pool;
    private final Optional<String> secret;
    private final BatchListener batches;
    private final QueueStay stay;

    /** {@code stay} keeps an exceptions queue entry's {@code since} across the tracking updates applied here. */
    public WebhookRoutes(Pool pool, Optional<String> secret, BatchListener batches, QueueStay stay) {
        this.pool = pool;
        this.secret = secret;
        this.batches = batches;
        this.stay = stay;
    }

    public void mount(Router router, BodyHandler body) {
        router.post("/webhooks/easypost").handler(body).handler(Handlers.json(this::receive));
    }

    private Future<JsonObject> receive(RoutingContext ctx) {
        Buffer body = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
        if (!signed(body.getBytes(), ctx.request().getHeader(SIGNATURE))) {
            ctx.response().putHeader("WWW-Authenticate", "HMAC realm=\"easypost\"");
            throw Problem.of(ProblemType.UNAUTHORIZED, unsignedDetail(ctx.request().getHeader(SIGNATURE))).exception();
        }
        WebhookEvent event = WebhookEvent.parse(body);
        if (event.batch() != null) {
            WebhookEvent.Batch batch = event.batch();
            return batches.batchUpdated(batch.easypostId(), batch.state(), batch.labelUrl())
                    .compose(applied -> pool.preparedQuery(WebhookSql.REMEMBER).execute(Tuple.of(event.id(), event.description()))
                            .map(fresh -> new JsonObject().put("received", true).put("applied", applied)
                                    .put("duplicate", fresh.size() == 0)));
        }
        return pool.withTransaction(conn -> conn.preparedQuery(WebhookSql.REMEMBER).execute(Tuple.of(event.id(), event.description()))
                        .compose(fresh -> fresh.size() == 0
                                ? Future.succeededFuture(new JsonObject().put("received", true).put("duplicate", true))
                                : apply(conn, event.tracker())));
    }

    /**
     * What a refused signature's problem says: the form EasyPost sends, and when the header is there without
     * its {@value #SIGNATURE_PREFIX} prefix (a bare hex digest, a common slip when signing by hand), that it
     * is missing. Nothing is said about whether the digest itself would have matched.
     */
    static String unsignedDetail(String signature) {
        String form = SIGNATURE + " must be '" + SIGNATURE_PREFIX + "' followed by the lowercase hex HMAC-SHA256 of the raw"
                + " request body keyed with the webhook secret (EASYPOST_WEBHOOK_SECRET), as EasyPost sends it";
        if (signature == null || signature.isBlank()) {
            return "a valid " + SIGNATURE + " is required; " + form;
        }
        if (!signature.startsWith(SIGNATURE_PREFIX)) {
            return "the " + SIGNATURE + " given has no '" + SIGNATURE_PREFIX + "' prefix; " + form;
        }
        return "a valid " + SIGNATURE + " is required; " + form;
    }

    /**
     * EasyPost's own digest (HMAC-SHA256 of the raw body under the NFKD-normalised secret) compared in
     * constant time, as {@code Utilities.validateWebhook} does, but without its parsing: that parse failing
     * on a validly signed body made it look unsigned.
     */
    private boolean signed(byte[] body, String signature) {
        if (signature == null || secret.isEmpty()) {
            return false;
        }
        String expected = SIGNATURE_PREFIX + Cryptography.toHMACSHA256HexDigest(body, secret.get(), Normalizer.Form.NFKD);
        return Cryptography.signaturesMatch(signature, expected);
    }

    /**
     * The event's tracking facts for {@link WebhookSql#TRACKING_FACTS}: its earliest carrier scan, its earliest
     * delivered detail (the event's time when the tracker says delivered without one), its newest exception
     * event (likewise) and its estimated delivery date; null where it has none.
     */
    static Tuple facts(UUID shipment, WebhookEvent.Tracker tracker) {
        OffsetDateTime firstScan = null;
        OffsetDateTime delivered = null;
        OffsetDateTime exception = null;
        for (TrackingDetail d : tracker.details()) {
            if (d.datetime() == null) {
                continue;
            }
            if (ExceptionReason.isCarrierScan(d.status()) && (firstScan == null || d.datetime().isBefore(firstScan))) {
                firstScan = d.datetime();
            }
            if ("delivered".equals(d.status()) && (delivered == null || d.datetime().isBefore(delivered))) {
                delivered = d.datetime();
            }
            if (ExceptionReason.isExceptionEvent(d.status()) && (exception == null || d.datetime().isAfter(exception))) {
                exception = d.datetime();
            }
        }
        if (delivered == null && "delivered".equals(tracker.status())) {
            delivered = tracker.at();
        }
        if (exception == null && ExceptionReason.isExceptionEvent(tracker.status())) {
            exception = tracker.at();
        }
        return Tuple.of(shipment, firstScan, delivered, exception, tracker.estDeliveryDate());
    }

    /**
     * Emits {@code tracking.updated} (and {@code shipment.exception} when the new status is one) in the
     * event's transaction when the shipment's status changed; keyed by shipment, both statuses and the
     * newest tracking detail's time (UTC), so a repeated EasyPost delivery emits nothing twice. An event that
     * re-opens an acknowledged exception without a status change ({@code reopenedAt}, the newer exception
     * event's time, else null) emits {@code shipment.exception} with {@code "reopened": true}, keyed by that
     * time.
     */
    private static Future<Void> emit(SqlConnection conn, UUID shipment, String trackingCode, String previous, String status,
                                     OffsetDateTime at, OffsetDateTime reopenedAt) {
        JsonObject data = new JsonObject().put("shipment_id", shipment.toString()).put("tracking_code", trackingCode)
                .put("status", status).put("previous_status", previous)
                .put("status_at", dev.shipgate.http.Times.wire(at));
        boolean changed = status != null && !status.equals(previous);
        boolean exception = changed && Outbox.isException(previous, status);
        String key = shipment + ":" + previous + ">" + status + ":" + at;
        Future<Integer> updated = changed
                ? Outbox.emit(conn, Outbox.TRACKING_UPDATED, Outbox.TRACKING_UPDATED + ":" + key, data)
                : Future.succeededFuture(0);
        if (exception) {
            return updated.compose(n -> Outbox.emit(conn, Outbox.SHIPMENT_EXCEPTION, Outbox.SHIPMENT_EXCEPTION + ":" + key,
                    data.copy().put("reopened", false))).mapEmpty();
        }
        if (reopenedAt != null) {
            JsonObject back = data.copy().put("reopened", true).put("exception_event_at", dev.shipgate.http.Times.wire(reopenedAt));
            return updated.compose(n -> Outbox.emit(conn, Outbox.SHIPMENT_EXCEPTION,
                    Outbox.SHIPMENT_EXCEPTION + ":" + shipment + ":reopened:" + reopenedAt.toInstant(), back)).mapEmpty();
        }
        return updated.mapEmpty();
    }

    /** Rows an INSERT batch added, summed over its statements (a detail already stored adds none). */
    private static int rowsChanged(RowSet<Row> batch) {
        int n = 0;
        for (RowSet<Row> rs = batch; rs != null; rs = rs.next()) {
            n += rs.rowCount();
        }
        return n;
    }

    /**
     * Why an event changed nothing on its shipment, for the reply's {@code detail}: it has no time to be
     * ordered by (no timed detail and no {@code updated_at}), or it is not newer than the status the shipment
     * has and adds no detail it lacks.
     */
    static String unchangedDetail(WebhookEvent.Tracker tracker, OffsetDateTime statusAt) {
        if (tracker.at() == null && statusAt != null) {
            return "nothing changed: the event has no tracking detail with a datetime and no updated_at, so it cannot be"
                    + " ordered against the shipment's status of " + dev.shipgate.http.Times.wire(statusAt);
        }
        return "nothing changed: the shipment's status" + (statusAt == null ? "" : " of " + dev.shipgate.http.Times.wire(statusAt))
                + " is not older than the event, and the event adds no tracking detail the shipment lacks";
    }

    /** Applies a tracker event; other events are acknowledged and kept only as seen. */
    private Future<JsonObject> apply(SqlConnection conn, WebhookEvent.Tracker tracker) {
        JsonObject reply = new JsonObject().put("received", true);
        if (tracker == null) {
            return Future.succeededFuture(reply.put("applied", 0));
        }
        return conn.preparedQuery(WebhookSql.UPDATE_TRACKER).execute(Tuple.of(tracker.trackingCode(), tracker.status(), tracker.at()))
                .compose(v -> conn.preparedQuery(WebhookSql.FIND_SHIPMENT).execute(Tuple.of(tracker.trackingCode(), tracker.shipmentId())))
                .compose(found -> {
                    if (found.size() == 0) {
                        return Future.succeededFuture(reply.put("applied", 0));
                    }
                    UUID shipment = found.iterator().next().getUUID("id");
                    String previous = found.iterator().next().getString("status");
                    String trackingCode = found.iterator().next().getString("tracking_code");
                    // One order for every delivery, so two inserting the same details wait on each other, never deadlock.
                    List<Tuple> events = tracker.details().stream()
                            .sorted(Comparator.comparing(TrackingDetail::datetime).thenComparing(TrackingDetail::status))
                            .map(d -> Tuple.of(shipment, d.status(), d.message(), d.datetime(), d.city(), d.state(), d.zip(), d.country()))
                            .toList();
                    Future<Integer> inserted = events.isEmpty() ? Future.succeededFuture(0)
                            : conn.preparedQuery(WebhookSql.INSERT_EVENT).executeBatch(events).map(WebhookRoutes::rowsChanged);
                    Tuple facts = facts(shipment, tracker);
                    OffsetDateTime exceptionAt = facts.getOffsetDateTime(3);
                    int[] changed = new int[1];
                    return inserted
                            .compose(n -> {
                                changed[0] += n;
                                return Reopening.byExceptionEvent(conn, shipment, exceptionAt);
                            })
                            .compose(reopens -> stay.around(conn, shipment, () -> conn.preparedQuery(WebhookSql.TRACKING_FACTS).execute(facts)
                                            .compose(f -> {
                                                changed[0] += f.rowCount();
                                                return conn.preparedQuery(WebhookSql.UPDATE_STATUS).execute(Tuple.of(shipment, tracker.status(), tracker.at()));
                                            }))
                                    .compose(current -> {
                                        Row row = current.iterator().next();
                                        String status = row.getString("status");
                                        boolean moved = row.getBoolean("moved");
                                        reply.put("applied", moved || changed[0] > 0 ? 1 : 0).put("status", status);
                                        if (!moved && changed[0] == 0) {
                                            reply.put("detail", unchangedDetail(tracker, row.getOffsetDateTime("status_at")));
                                        }
                                        return emit(conn, shipment, trackingCode, previous, status, tracker.at(), reopens ? exceptionAt : null)
                                                .map(v -> reply);
                                    }));
                });
    }
}
