package dev.shipgate.exceptions;

import dev.shipgate.config.BusinessDay;
import dev.shipgate.audit.AuditLog;
import dev.shipgate.auth.Principal;
import dev.shipgate.exceptions.ExceptionViews.Acknowledgement;
import dev.shipgate.exceptions.ExceptionViews.Counts;
import dev.shipgate.exceptions.ExceptionViews.Detail;
import dev.shipgate.exceptions.ExceptionViews.Entry;
import dev.shipgate.exceptions.ExceptionViews.Page;
import dev.shipgate.exceptions.ExceptionViews.Summary;
import dev.shipgate.http.DisplayText;
import dev.shipgate.http.Handlers;
import dev.shipgate.http.Json;
import dev.shipgate.http.PageCursor;
import dev.shipgate.http.Params;
import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemType;
import dev.shipgate.shipments.ShipmentRequests.MaxChars;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.templates.SqlTemplate;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exceptions queue: shipments that need a person, each with its reasons ({@link ExceptionReason}).
 * {@code GET /exceptions} pages it newest exception first ({@code limit}, {@code cursor}, {@code reason},
 * {@code include_acknowledged}); {@code GET /exceptions/summary} counts it (the dashboard's tile);
 * {@code POST /exceptions/{id}/acknowledge} with an optional {@code {"note": ...}} records who (the token)
 * and when (UTC) a person took it on, once: an entry acknowledged already is a 409 {@code already-acknowledged}
 * until it re-opens. An acknowledged entry comes back when it gains a reason or a newer exception event
 * arrives; every acknowledgement is kept ({@code GET /exceptions/{id}} lists them). How the queue stays cheap
 * at any table size: {@link ExceptionSql}.
 */
public final class ExceptionRoutes {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    /** The longest note an acknowledgement keeps, in characters (Unicode code points). */
    public static final int MAX_NOTE = 1000;

    /**
     * The acknowledgement's body: an optional note of at most 1000 characters, with no control, bidirectional
     * or other invisible format characters (a note is shown to the next person; {@link DisplayText}).
     */
    record Acknowledge(@MaxChars(MAX_NOTE) String note) {
    }

    private final Pool pool;
    private final Pool readPool;
    private final int stallDays;
    private final int unscannedDays;
    private final BusinessDay days;
    private final Map<Integer, SqlTemplate<Map<String, Object>, RowSet<Entry>>> pages = new ConcurrentHashMap<>();
    private final SqlTemplate<Map<String, Object>, RowSet<Row>> summary;
    private final SqlTemplate<Map<String, Object>, RowSet<Row>> acknowledge;
    private final SqlTemplate<Map<String, Object>, RowSet<Entry>> one;

    /**
     * {@code stallDays}: days without tracking movement before a scanned parcel is an exception
     * ({@code EXCEPTION_STALL_DAYS}); {@code unscannedDays}: days after purchase before a label never
     * scanned is one ({@code EXCEPTION_UNSCANNED_DAYS}); {@code days}: the business's days, whose end makes a
     * parcel past its estimated delivery day.
     * The queue and its summary are read from {@code readPool} (a read replica, when one is configured: an
     * acknowledgement may show there a replication delay later); an acknowledgement writes and answers on
     * {@code pool}, the primary.
     */
    public ExceptionRoutes(Pool pool, Pool readPool, int stallDays, int unscannedDays, BusinessDay days) {
        this.pool = pool;
        this.readPool = readPool;
        this.days = days;
        this.stallDays = stallDays;
        this.unscannedDays = unscannedDays;
        this.summary = SqlTemplate.forQuery(readPool, ExceptionSql.SUMMARY);
        this.acknowledge = SqlTemplate.forQuery(pool, ExceptionSql.ACKNOWLEDGE);
        this.one = SqlTemplate.forQuery(pool, ExceptionSql.ONE).mapTo(Entry::of);
    }

    public void mount(Router router, BodyHandler body) {
        router.get("/exceptions").handler(Handlers.json(this::list));
        router.get("/exceptions/summary").handler(Handlers.json(this::summary));
        router.get("/exceptions/:id").handler(Handlers.json(this::one));
        router.post("/exceptions/:id/acknowledge").handler(body).handler(Handlers.json(this::acknowledge));
    }

    private Map<String, Object> settings() {
        return settings(stallDays, unscannedDays, days);
    }

    /**
     * The parameters of {@link ExceptionSql#ENTRIES}: the settings, {@code now} (UTC) on the business's clock,
     * {@code today} in its zone at that same instant and the zone, so no rule of the queue is judged at another
     * moment (a read at local midnight would otherwise see a day that has ended and a clock that has not).
     */
    static Map<String, Object> settings(int stallDays, int unscannedDays, BusinessDay days) {
        Instant now = days.clock().instant();
        Map<String, Object> params = new HashMap<>();
        params.put("stall_days", stallDays);
        params.put("unscanned_days", unscannedDays);
        params.put("now", now.atOffset(ZoneOffset.UTC));
        params.put("today", LocalDate.ofInstant(now, days.zone()));
        params.put("zone", days.zoneName());
        return params;
    }

    private Future<Page> list(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of("limit", "reason", "include_acknowledged", "cursor"));
        MultiMap q = ctx.queryParams();
        int limit = Params.integer("limit", q.get("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT);
        String reason = Params.text("reason", q.get("reason"), 64);
        String include = Params.text("include_acknowledged", q.get("include_acknowledged"), 5);
        if (include != null && !include.equals("true") && !include.equals("false")) {
            throw Problem.invalidParam("include_acknowledged", "must be true or false").exception();
        }
        String cursor = Params.text("cursor", q.get("cursor"), 200);
        Map<String, Object> params = settings();
        int mask = 0;
        if (reason != null) {
            params.put("reason", ExceptionReason.parse("reason", reason).wire());
            mask |= 1;
        }
        if (!"true".equals(include)) {
            mask |= 1 << 1;
        }
        if (cursor != null) {
            PageCursor at = PageCursor.decode(cursor);
            params.put("cursor_at", at.createdAt());
            params.put("cursor_id", at.id());
            mask |= 1 << 2;
        }
        params.put("limit", limit + 1);
        return pages.computeIfAbsent(mask, m -> SqlTemplate.forQuery(readPool, ExceptionSql.page(m)).mapTo(Entry::of))
                .execute(params).map(rows -> {
                    List<Entry> read = new ArrayList<>();
                    rows.forEach(read::add);
                    PageCursor.Slice<Entry> slice = PageCursor.slice(read, limit, e -> new PageCursor(e.since(), e.shipmentId()));
                    return new Page(slice.items(), slice.hasMore(), slice.nextCursor());
                });
    }

    private Future<Summary> summary(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of());
        return summary.execute(settings()).map(rows -> {
            long open = 0;
            long acknowledged = 0;
            Map<String, Counts> byReason = new TreeMap<>();
            for (Row row : rows) {
                String reason = row.getString("reason");
                if (reason == null) {
                    open = row.getLong("open");
                    acknowledged = row.getLong("acknowledged");
                } else {
                    byReason.put(reason, new Counts(row.getLong("open"), row.getLong("acknowledged")));
                }
            }
            return new Summary(open, acknowledged, byReason, stallDays, unscannedDays);
        });
    }

    /** One entry of the queue with every acknowledgement it has had; 404 when the shipment is not in the queue. */
    private Future<Detail> one(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of());
        UUID id = Params.uuid("id", ctx.pathParam("id"), "a shipment id");
        Map<String, Object> params = settings();
        params.put("id", id);
        return one.execute(params).compose(rows -> {
            if (rows.size() == 0) {
                return Future.failedFuture(Problem.of(ProblemType.NOT_FOUND, "shipment " + id + " is not in the exceptions queue")
                        .with("shipment_id", id.toString()).exception());
            }
            return detail(rows.iterator().next());
        });
    }

    private Future<Detail> detail(Entry entry) {
        return pool.preparedQuery(ExceptionSql.HISTORY).mapping(Acknowledgement::of).execute(Tuple.of(entry.shipmentId()))
                .map(rows -> {
                    List<Acknowledgement> all = new ArrayList<>();
                    rows.forEach(all::add);
                    return new Detail(entry, all);
                });
    }

    /**
     * Acknowledges an entry as it is now. Refused before anything is written: a bad id (400), a note too long
     * or disguised (422 naming {@code note}). Then 404 for no such shipment, 409 {@code not-an-exception} when
     * it is not in the queue, 409 {@code already-acknowledged} (with who and when) when it is acknowledged
     * and has not re-opened since.
     */
    private Future<Detail> acknowledge(RoutingContext ctx) {
        UUID id = Params.uuid("id", ctx.pathParam("id"), "a shipment id");
        AuditLog.shipment(ctx, id);
        Buffer body = ctx.body() == null ? null : ctx.body().buffer();
        String note = body == null || body.length() == 0 ? null : Json.decode(body, Acknowledge.class).note();
        String kept = note == null || note.isBlank() ? null : note.strip();
        Principal who = Principal.of(ctx);
        AuditLog.note(ctx, kept);
        Map<String, Object> params = settings();
        params.put("id", id);
        params.put("note", kept);
        params.put("token_id", who == null ? null : who.tokenId());
        params.put("token_name", who == null ? "unknown" : who.name());
        return acknowledge.execute(params).compose(done -> one.execute(params).compose(rows -> {
            Entry entry = rows.size() == 0 ? null : rows.iterator().next();
            if (done.size() > 0 && entry != null) {
                return detail(entry);
            }
            if (entry != null && !entry.acknowledged()) {
                return Future.failedFuture(Problem.of(ProblemType.CONFLICT, "shipment " + id
                        + "'s entry changed while it was being acknowledged; acknowledge it again").exception());
            }
            if (entry != null) {
                return Future.failedFuture(Problem.of(ProblemType.ALREADY_ACKNOWLEDGED, "shipment " + id
                                + " was acknowledged by " + entry.acknowledgement().by() + " at " + dev.shipgate.http.Times.seconds(entry.acknowledgement().at())
                                + " and has not re-opened since; its note is kept")
                        .with("shipment_id", id.toString()).with("acknowledged_by", entry.acknowledgement().by())
                        .with("acknowledged_at", dev.shipgate.http.Times.seconds(entry.acknowledgement().at())).exception());
            }
            return pool.preparedQuery(ExceptionSql.EXISTS).execute(Tuple.of(id)).compose(found -> Future.failedFuture(found.size() == 0
                    ? Problem.of(ProblemType.NOT_FOUND, "no shipment " + id).exception()
                    : Problem.of(ProblemType.NOT_AN_EXCEPTION, "shipment " + id + " is not in the exceptions queue: "
                            + "its label is delivered, refunded or not bought, or nothing is wrong with it yet")
                            .with("shipment_id", id.toString()).exception()));
        }));
    }
}
