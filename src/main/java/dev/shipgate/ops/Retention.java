package dev.shipgate.ops;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forgets what is only kept to recognise repeats: idempotency keys after a day (clients retry within
 * minutes), webhook event ids after 30 days (EasyPost retries for days), MCP sessions after a week. Runs hourly; any instance
 * may run it, the deletes are idempotent.
 */
public final class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    private static final long HOURLY = 60 * 60 * 1000L;

    static final String EXPIRE_KEYS =
            "DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours' AND status_code IS NOT NULL";
    static final String EXPIRE_EVENTS = "DELETE FROM webhook_events WHERE received_at < now() - interval '30 days'";
    static final String EXPIRE_SESSIONS = "DELETE FROM mcp_sessions WHERE created_at < now() - interval '7 days'";

    private final Pool pool;

    public Retention(Pool pool) {
        this.pool = pool;
    }

    public long schedule(Vertx vertx) {
        return vertx.setPeriodic(HOURLY, id -> run());
    }

    /** Deletes what has expired; completes with the number of rows removed. */
    public Future<Integer> run() {
        return pool.query(EXPIRE_KEYS).execute()
                .compose(keys -> pool.query(EXPIRE_EVENTS).execute().map(events -> keys.rowCount() + events.rowCount()))
                .compose(n -> pool.query(EXPIRE_SESSIONS).execute().map(sessions -> n + sessions.rowCount()))
                .onSuccess(n -> {
                    if (n > 0) {
                        LOG.info("retention removed {} expired idempotency keys and webhook ids", n);
                    }
                })
                .onFailure(e -> LOG.warn("retention failed: {}", e.getMessage()));
    }
}
