package dev.shipgate.exceptions;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Tells tracking when a tracker event puts an acknowledged queue entry back in front of people without a
 * status change (failure, then a newer failure): the {@code shipment.exception} webhook must say so too, or a
 * consumer that saw the entry acknowledged never learns it is back. The rule is the queue's own
 * ({@link ExceptionSql#ENTRIES}): a newer exception event than the acknowledgement saw re-opens it.
 */
public final class Reopening {

    private Reopening() {
    }

    /**
     * Whether writing {@code newestExceptionEvent} (UTC; null when the event has no exception detail) as
     * shipment {@code shipment}'s newest exception event re-opens its acknowledged entry. Call it on the
     * event's transaction before the event's facts are written.
     */
    public static Future<Boolean> byExceptionEvent(SqlClient conn, UUID shipment, OffsetDateTime newestExceptionEvent) {
        if (newestExceptionEvent == null) {
            return Future.succeededFuture(false);
        }
        return conn.preparedQuery(ExceptionSql.REOPENS).execute(Tuple.of(shipment, newestExceptionEvent))
                .map(rows -> rows.size() > 0);
    }
}
