package dev.shipgate.analytics;

import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.shipgate.db.ListenedCache;
import dev.shipgate.http.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The daily rollup of closed days, kept in memory already folded, so that an analytics range (90 days beside the
 * 90 before them: thousands of rows) reads only its last two days from PostgreSQL and folds only those. A day is
 * closed two days after it ends in the business's time zone ({@code BUSINESS_TIMEZONE}), by the database's clock;
 * yesterday and today are always read.
 *
 * <p>What is kept is a {@link Span} of closed days and its {@link Folded} summary: each closed day on its own, and
 * the spans a range is made of (its chart buckets, its closed part, its previous period), each with its encoding as
 * a chart bucket, so a repeated range neither folds nor encodes its closed days again.
 *
 * <p>A closed day still changes when a late event arrives (a tracking status, a refund, a rollup rebuild):
 * migration V56 announces every such change on {@value #CHANNEL} at commit, and every span holding the day is
 * evicted from every instance's memory ({@link ListenedCache}). Each read first {@linkplain #sync() syncs} with
 * that listener, so it sees every change committed before it began, as a read of the table would. While the
 * listener is down, every read goes to the database as before.
 *
 * <p>Closed days are filled from the primary, even when a read replica serves the rest: a replica may lag
 * behind the announcement, and what it answered would then stay. Open days come from the read pool.
 */
public final class ClosedDays {

    /** Where migration V56's triggers announce a changed day ({@code YYYY-MM-DD}), or {@code '*'} for all. */
    public static final String CHANNEL = "analytics_days_changed";
    /**
     * More spans than this and the cache starts over: a bound on memory (a span at a million shipments is a few
     * kilobytes: its breakdowns and their JSON), not an expected size. Three years of days and their previous
     * period, with the buckets and totals of a few dozen ranges, fit.
     */
    static final int MAX_SPANS = 6_000;

    /**
     * The rollup rows of the days in {@code $1} and the database's today in the rollup's zone, once even when no
     * day has rows (the left join keeps the one row of the first query).
     */
    static final String FILL = """
            SELECT t.today, s.day, s.carrier, s.service, s.status, s.shipments, s.labels, s.spend, s.insurance_spend
            FROM (SELECT (statement_timestamp() AT TIME ZONE coalesce(max(time_zone), 'UTC'))::date AS today
                  FROM business_settings) t
            LEFT JOIN shipment_daily_stats s ON s.day = ANY($1::date[])""";

    /** Days {@code first} to {@code last}, both inclusive, of the business's time zone. */
    record Span(LocalDate first, LocalDate last) {

        static Span day(LocalDate day) {
            return new Span(day, day);
        }

        boolean holds(LocalDate day) {
            return !day.isBefore(first) && !day.isAfter(last);
        }
    }

    /**
     * A span's rows folded, never changed once kept (readers on every event loop merge it into their own
     * summaries), and its encoding as a chart bucket: {@code DayView.of(first, summary)} as the API's JSON.
     */
    record Folded(Summary summary, RawValue bucket) {
    }

    /**
     * What a request read from the database: each asked day's rows folded (a day without rows as zeros), and the
     * days asked for as closed that the database's clock says are not closed yet (they may not be kept).
     */
    record Fresh(Map<LocalDate, Summary> days, Set<LocalDate> notClosed) {
    }

    private final ListenedCache<Span, Folded> cache;
    private final Pool primary;
    private final Pool reads;

    private ClosedDays(ListenedCache<Span, Folded> cache, Pool primary, Pool reads) {
        this.cache = cache;
        this.primary = primary;
        this.reads = reads;
    }

    /**
     * Starts listening on a connection of its own (made with {@code listen}); until it listens, every read
     * goes to the database.
     *
     * @param primary the pool of the primary, for closed days
     * @param reads the pool for reads that may lag (a read replica, when one is configured), for open days
     */
    public static ClosedDays start(Vertx vertx, PgConnectOptions listen, Pool primary, Pool reads) {
        ListenedCache<Span, Folded> cache = ListenedCache.start(vertx, listen, CHANNEL,
                "analytics day cache", "every analytics read reads its whole range", MAX_SPANS, ClosedDays::changed);
        return new ClosedDays(cache, primary, reads);
    }

    /**
     * Succeeds with true once every change committed before the call is applied to memory, with false when the
     * cache is not listening: the caller then reads the whole range ({@link #rows}).
     */
    Future<Boolean> sync() {
        return cache.sync().transform(synced -> Future.succeededFuture(synced.succeeded()));
    }

    /** The epoch to give {@link #keep} for what a request is about to read and fold. */
    long epoch() {
        return cache.epoch();
    }

    /** The kept fold of {@code span}, or null. */
    Folded folded(Span span) {
        return cache.get(span);
    }

    /** {@code summary}, the fold of {@code span}'s rows, with its encoding as a chart bucket, made once here. */
    static Folded fold(Span span, Summary summary) {
        SerializedString json = new SerializedString(Json.encode(AnalyticsRoutes.DayView.of(span.first(), summary)).toString());
        // its UTF-8 bytes made now, before the fold is shared with other event loops, not lazily by one of them
        json.asUnquotedUTF8();
        return new Folded(summary, new RawValue(json));
    }

    /**
     * Keeps the fold of {@code span}, all of whose days are closed, unless a change was announced since
     * {@code epoch} (the fold may predate it).
     */
    void keep(Span span, Folded folded, long epoch) {
        cache.put(span, folded, epoch);
    }

    /**
     * Reads and folds the rollup rows of {@code closed} (days the service's clock deems closed) from the primary
     * and of {@code open} from the read pool; notes which of {@code closed} the database's clock says are not.
     */
    Future<Fresh> read(List<LocalDate> closed, List<LocalDate> open) {
        Map<LocalDate, Summary> days = new HashMap<>();
        Set<LocalDate> notClosed = new HashSet<>();
        Future<Void> fromPrimary = closed.isEmpty() ? Future.succeededFuture()
                : fill(primary, closed).map(answer -> {
                    answer.byDay.forEach((day, summary) -> {
                        days.put(day, summary);
                        if (!day.isBefore(answer.today.minusDays(1))) {
                            notClosed.add(day);
                        }
                    });
                    return null;
                });
        Future<Void> fromReads = open.isEmpty() ? Future.succeededFuture()
                : fill(reads, open).map(answer -> {
                    days.putAll(answer.byDay);
                    return null;
                });
        // both complete on this context, one after the other: no two callbacks touch the maps at once
        return Future.all(fromPrimary, fromReads).map(done -> new Fresh(days, notClosed));
    }

    /**
     * The rollup rows of every day from {@code from} to {@code to}, both inclusive, in no particular order, read
     * whole from the read pool: the answer while the cache cannot listen.
     */
    Future<List<AnalyticsSql.Group>> rows(LocalDate from, LocalDate to) {
        return reads.preparedQuery(AnalyticsSql.RANGE).mapping(AnalyticsSql.ROW::map).execute(Tuple.of(from, to))
                .map(ClosedDays::list);
    }

    /** What {@link #FILL} answered: each asked day's rows folded (zeros for a day without any) and its today. */
    private record Fill(LocalDate today, Map<LocalDate, Summary> byDay) {
    }

    private static Future<Fill> fill(Pool pool, List<LocalDate> days) {
        return pool.preparedQuery(FILL).execute(Tuple.of(days.toArray(LocalDate[]::new))).map(rows -> {
            Map<LocalDate, Summary> byDay = new HashMap<>();
            days.forEach(d -> byDay.put(d, new Summary()));
            LocalDate today = null;
            for (Row row : rows) {
                today = row.getLocalDate(0);
                LocalDate day = row.getLocalDate(1);
                if (day != null) {
                    byDay.get(day).add(new AnalyticsSql.Group(day, row.getString(2), row.getString(3), row.getString(4),
                            row.getLong(5), row.getLong(6), row.getBigDecimal(7), row.getBigDecimal(8)));
                }
            }
            return new Fill(today, byDay);
        });
    }

    private static List<AnalyticsSql.Group> list(RowSet<AnalyticsSql.Group> rows) {
        List<AnalyticsSql.Group> out = new ArrayList<>(rows.size());
        rows.forEach(out::add);
        return out;
    }

    /** Whether {@code day}'s rows are held in memory now (for tests and diagnosis). */
    public boolean holds(LocalDate day) {
        return cache.holds(Span.day(day));
    }

    /** Whether the cache is in use: its connection listens for changes. */
    public boolean listening() {
        return cache.listening();
    }

    /** Stops listening; every read goes to the database from now on. */
    public Future<Void> close() {
        return cache.close();
    }

    /** A notification's payload: a changed day (every span holding it goes), or {@code '*'} when the rollup was emptied. */
    private static void changed(ListenedCache<Span, Folded> cache, String payload) {
        try {
            LocalDate day = LocalDate.parse(payload);
            cache.evictIf((span, folded) -> span.holds(day));
        } catch (java.time.format.DateTimeParseException e) {
            cache.evictAll();
        }
    }
}
