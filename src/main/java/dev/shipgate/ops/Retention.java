package dev.shipgate.ops;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forgets what is only kept for a while, each feature saying what and for how long ({@link Expiry}): for
 * example idempotency keys after a day (clients retry within minutes), webhook event ids after 30 days
 * (EasyPost retries for days), MCP sessions after a week, settled shipment creations after a day. Runs
 * hourly; any instance may run it, the deletes are idempotent.
 */
public final class Retention {

    /** One feature's expiry: a name for the log and the {@code DELETE} that forgets what has expired. */
    public record Expiry(String what, String delete) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    private static final long HOURLY = 60 * 60 * 1000L;

    private final Pool pool;
    private final List<Expiry> expiries;

    public Retention(Pool pool, List<Expiry> expiries) {
        this.pool = pool;
        this.expiries = List.copyOf(expiries);
    }

    public long schedule(Vertx vertx) {
        return vertx.setPeriodic(HOURLY, id -> run());
    }

    /** Deletes what has expired, one feature after another; completes with the number of rows removed. */
    public Future<Integer> run() {
        Future<Integer> removed = Future.succeededFuture(0);
        StringBuilder what = new StringBuilder();
        for (Expiry expiry : expiries) {
            removed = removed.compose(n -> pool.query(expiry.delete()).execute().map(rows -> {
                if (rows.rowCount() > 0) {
                    what.append(what.length() == 0 ? "" : ", ").append(rows.rowCount()).append(' ').append(expiry.what());
                }
                return n + rows.rowCount();
            }));
        }
        return removed
                .onSuccess(n -> {
                    if (n > 0) {
                        LOG.info("retention removed {}", what);
                    }
                })
                .onFailure(e -> LOG.warn("retention failed: {}", e.getMessage()));
    }
}
