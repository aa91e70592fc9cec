package dev.shipgate.analytics;

import dev.shipgate.db.ListenedCache;
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
import java.util.List;
import java.util.Map;

/**
 * The daily rollup rows of closed days, kept in memory so that an analytics range (90 days beside the 90
 * before them: thousands of rows) reads only its last two days from PostgreSQL. A day is closed two days
 * after it ends in the business's time zone ({@code BUSINESS_TIMEZONE}), by the database's clock; yesterday
 * and today are always read.
 *
 * <p>A closed day still changes when a late event arrives (a tracking status, a refund, a rollup rebuild):
 * migration V56 announces every such change on {@value #CHANNEL} at commit, and the day is evicted from
 * every instance's memory ({@link ListenedCache}). Each read first {@linkplain ListenedCache#sync() syncs}
 * with that listener, so it sees every change committed before it began, as a read of the table would.
 * While the listener is down, every read goes to the database as before.
 *
 * <p>Closed days are filled from the primary, even when a read replica serves the rest: a replica may lag
 * behind the announcement, and what it answered would then stay. Open days come from the read pool.
 */
public final class ClosedDays {

    /** Where migration V56's triggers announce a changed day ({@code YYYY-MM-DD}), or {@code '*'} for all. */
    public static final String CHANNEL = "analytics_days_changed";
    /** More days than this (about eleven years) and the cache starts over: a bound on memory. */
    static final int MAX_DAYS = 4_000;

    /**
     * The rollup rows of the days in {@code $1} and the database's today in the rollup's zone, once even when no
     * day has rows (the left join keeps the one row of the first query).
     */
    static final String FILL = """
            SELECT t.today, s.day, s.carrier, s.service, s.status, s.shipments, s.labels, s.spend, s.insurance_spend
            FROM (SELECT (statement_timestamp() AT TIME ZONE coalesce(max(time_zone), 'UTC'))::date AS today
                  FROM business_settings) t
            LEFT JOIN shipment_daily_stats s ON s.day = ANY($1::date[])""";

    private final ListenedCache<LocalDate, List<AnalyticsSql.Group>> cache;
    private final Pool primary;
    private final Pool reads;

    private ClosedDays(ListenedCache<LocalDate, List<AnalyticsSql.Group>> cache, Pool primary, Pool reads) {
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
        ListenedCache<LocalDate, List<AnalyticsSql.Group>> cache = ListenedCache.start(vertx, listen, CHANNEL,
                "analytics day cache", "every analytics read reads its whole range", MAX_DAYS, ClosedDays::changed);
        return new ClosedDays(cache, primary, reads);
    }

    /**
     * The rollup rows of every day from {@code from} to {@code to}, both inclusive, in no particular order.
     *
     * @param today the business's today by this service's clock: days before the day before it are likely
     *              closed and read from the primary; whether one is kept depends on the database's clock
     */
    Future<List<AnalyticsSql.Group>> rows(LocalDate from, LocalDate to, LocalDate today) {
        return cache.sync().transform(synced -> synced.succeeded() ? cached(from, to, today)
                : reads.preparedQuery(AnalyticsSql.RANGE).mapping(AnalyticsSql.ROW::map).execute(Tuple.of(from, to))
                        .map(ClosedDays::list));
    }

    private Future<List<AnalyticsSql.Group>> cached(LocalDate from, LocalDate to, LocalDate today) {
        long epoch = cache.epoch();
        List<AnalyticsSql.Group> out = new ArrayList<>();
        List<LocalDate> closed = new ArrayList<>();
        List<LocalDate> open = new ArrayList<>();
        LocalDate yesterday = today.minusDays(1);
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            List<AnalyticsSql.Group> hit = cache.get(d);
            if (hit != null) {
                out.addAll(hit);
            } else if (d.isBefore(yesterday)) {
                closed.add(d);
            } else {
                open.add(d);
            }
        }
        Future<Void> fromPrimary = closed.isEmpty() ? Future.succeededFuture()
                : fill(primary, closed).map(answer -> {
                    answer.byDay.forEach((day, rows) -> {
                        out.addAll(rows);
                        if (day.isBefore(answer.today.minusDays(1))) {
                            cache.put(day, List.copyOf(rows), epoch);
                        }
                    });
                    return null;
                });
        Future<Void> fromReads = open.isEmpty() ? Future.succeededFuture()
                : fill(reads, open).map(answer -> {
                    answer.byDay.values().forEach(out::addAll);
                    return null;
                });
        // both complete on this context, one after the other: no two callbacks touch out at once
        return Future.all(fromPrimary, fromReads).map(done -> out);
    }

    /** What {@link #FILL} answered: each asked day's rows (an empty list for a day without any) and its today. */
    private record Fill(LocalDate today, Map<LocalDate, List<AnalyticsSql.Group>> byDay) {
    }

    private static Future<Fill> fill(Pool pool, List<LocalDate> days) {
        return pool.preparedQuery(FILL).execute(Tuple.of(days.toArray(LocalDate[]::new))).map(rows -> {
            Map<LocalDate, List<AnalyticsSql.Group>> byDay = new HashMap<>();
            days.forEach(d -> byDay.put(d, new ArrayList<>()));
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
        return cache.holds(day);
    }

    /** Whether the cache is in use: its connection listens for changes. */
    public boolean listening() {
        return cache.listening();
    }

    /** Stops listening; every read goes to the database from now on. */
    public Future<Void> close() {
        return cache.close();
    }

    /** A notification's payload: a changed day, or {@code '*'} when the rollup was emptied. */
    private static void changed(ListenedCache<LocalDate, List<AnalyticsSql.Group>> cache, String payload) {
        try {
            LocalDate day = LocalDate.parse(payload);
            cache.evict(day);
        } catch (java.time.format.DateTimeParseException e) {
            cache.evictAll();
        }
    }
}
