package dev.shipgate.exceptions;

import dev.shipgate.config.BusinessDay;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.templates.SqlTemplate;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Keeps a queue entry's {@code since} at the start of its current continuous stay in the exceptions queue
 * across tracking updates (README: "since is when the entry first became an exception"). The entry's start is
 * computed from the row as it is now ({@code shipments.queue_since}, see {@link ExceptionSql}), so a newer
 * failure, or a flip failure, in transit, return to sender while the parcel stays past its estimated delivery,
 * would otherwise restart {@code since} at the newest event. Only a tracking
 * update can take an entry out of the queue (the time-based reasons only ever start with the clock), so the
 * stay is decided there: the entry before and after the update is read in the update's transaction, and
 * {@code shipments.exception_since} (migration V55) keeps the earlier start while the entry stays in the queue
 * and is cleared when the update takes it out, so a later exception starts a new stay (the row's trigger
 * folds it into {@code queue_since} in the same statement).
 */
public final class QueueStay {

    private final int stallDays;
    private final int unscannedDays;
    private final BusinessDay days;

    /** The queue's settings, as {@link ExceptionRoutes} takes them (days; the business's days). */
    public QueueStay(int stallDays, int unscannedDays, BusinessDay days) {
        this.stallDays = stallDays;
        this.unscannedDays = unscannedDays;
        this.days = days;
    }

    /**
     * Runs {@code update} (the tracking update of shipment {@code shipment}) on {@code conn}, inside the
     * caller's transaction with the shipment row locked, and records the stay's start (UTC) that results:
     * the earlier of the entry's {@code since} before and after when it is in the queue both times, the
     * {@code since} after when it has just entered, none when it has left; in an exception status, no later
     * than the first detail of its current run of exception details. Answers {@code update}'s result.
     */
    public <T> Future<T> around(SqlClient conn, UUID shipment, Supplier<Future<T>> update) {
        SqlTemplate<Map<String, Object>, RowSet<Row>> entry = SqlTemplate.forQuery(conn, ExceptionSql.ONE);
        Map<String, Object> params = ExceptionRoutes.settings(stallDays, unscannedDays, days);
        params.put("id", shipment);
        return entry.execute(params).compose(before -> update.get().compose(result -> entry.execute(params).compose(after -> {
            OffsetDateTime is = since(after);
            if (is == null) {
                return conn.preparedQuery(ExceptionSql.KEEP_STAY).execute(Tuple.of(shipment, (Object) null)).map(result);
            }
            return conn.preparedQuery(ExceptionSql.RUN_START).execute(Tuple.of(shipment)).compose(run -> {
                OffsetDateTime stay = earlier(earlier(is, since(before)), run.iterator().next().getOffsetDateTime("started"));
                return conn.preparedQuery(ExceptionSql.KEEP_STAY).execute(Tuple.of(shipment, stay)).map(result);
            });
        })));
    }

    private static OffsetDateTime since(RowSet<Row> rows) {
        return rows.size() == 0 ? null : rows.iterator().next().getOffsetDateTime("since");
    }

    private static OffsetDateTime earlier(OffsetDateTime a, OffsetDateTime b) {
        return b != null && b.isBefore(a) ? b : a;
    }
}
