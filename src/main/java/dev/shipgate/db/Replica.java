package dev.shipgate.db;

import dev.shipgate.config.DatabaseUrl;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read replica of {@code DATABASE_READ_URL}: a streaming standby of the primary, its pool, and whether
 * reads may go to it. It serves reads once a probe has reached it; a read or a probe that cannot reach it
 * ({@link DatabaseStatus#troubleOf} says unavailable) sends reads to the primary until a probe reaches it
 * again. Probes run every {@value #PROBE_MS} ms and on each {@code /health}. An outage is logged once when
 * it starts and once when it ends (with the number of reads the primary answered meanwhile), never per read.
 *
 * <p>Replication lag does not take the replica out of service: the reads sent here are those that may be a
 * little behind (see {@link ReadPool}); {@code /health} shows the lag in seconds and bytes of WAL.
 */
public final class Replica {

    private static final Logger LOG = LoggerFactory.getLogger(Replica.class);
    /** How often the replica is probed, for its lag and to notice it come back. */
    static final long PROBE_MS = 5_000;
    /** How long {@code /health} waits for the replica's answer. */
    static final long HEALTH_WAIT_MS = 2_000;
    /** A dead replica host must not hold reads long: they fall back once connecting fails. */
    static final int CONNECT_TIMEOUT_MS = 3_000;

    private enum State { STARTING, UP, DOWN }

    private final Vertx vertx;
    private final DatabaseUrl url;
    private final Pool pool;
    private final AtomicLong fallbackReads = new AtomicLong();
    private volatile State state = State.STARTING;
    private volatile String lastError;
    private volatile Instant downSince;
    private long timer = -1;

    private Replica(Vertx vertx, DatabaseUrl url, Pool pool) {
        this.vertx = vertx;
        this.url = url;
        this.pool = pool;
    }

    /** The replica's pool (named {@code read}, {@code maxSize} connections at most), not yet probed. */
    static Replica create(Vertx vertx, DatabaseUrl url, PoolOptions options) {
        PgConnectOptions connect = Pools.connectOptions(url, options.getName());
        connect.setConnectTimeout(CONNECT_TIMEOUT_MS);
        return new Replica(vertx, url, PgBuilder.pool().with(options).connectingTo(connect).using(vertx).build());
    }

    /** Probes once now (the answer completes the future, reachable or not) and every {@value #PROBE_MS} ms after. */
    public Future<Void> start() {
        timer = vertx.setPeriodic(PROBE_MS, id -> probe());
        return probe().otherwiseEmpty().mapEmpty();
    }

    public Pool pool() {
        return pool;
    }

    public DatabaseUrl url() {
        return url;
    }

    /** Why reads do not go to the replica now (its last error, naming a refusal or "not a standby"), or null. */
    public String reason() {
        return lastError;
    }

    /** Whether reads go to the replica now (it answered the last time it was asked). */
    public boolean serving() {
        return state == State.UP;
    }

    /** A read that could not reach the replica: starts an outage (logged once) if none is going on. */
    void unreachable(Throwable cause) {
        lastError = message(cause);
        State before;
        synchronized (this) {
            before = state;
            if (before == State.DOWN) {
                return;
            }
            state = State.DOWN;
            downSince = Instant.now();
        }
        String what = cause instanceof NotAStandby ? "is not used "
                : before == State.STARTING ? "not reachable at start " : "unreachable ";
        LOG.warn("read replica at {} {}({}); list, export, tracking, analytics and exception-queue reads use the "
                + "primary until it answers as a standby", url.display(), what, lastError);
    }

    /** A read meant for the replica that the primary answers instead (the replica is down or could not take it). */
    void fellBack() {
        fallbackReads.incrementAndGet();
    }

    private void reachable() {
        State before;
        Instant since;
        synchronized (this) {
            before = state;
            if (before == State.UP) {
                return;
            }
            state = State.UP;
            since = downSince;
            downSince = null;
            lastError = null;
        }
        long fellBack = fallbackReads.getAndSet(0);
        if (before == State.STARTING) {
            LOG.info("read replica at {} serves list, export, tracking, analytics and exception-queue reads", url.display());
        } else {
            LOG.info("read replica at {} answers again after {} s; {} read(s) went to the primary meanwhile",
                    url.display(), since == null ? 0 : java.time.Duration.between(since, Instant.now()).toSeconds(),
                    fellBack);
        }
    }

    /**
     * Asks the standby how far behind it is; updates whether reads go to it. Any failure of this one-row
     * query takes the replica out of service, not only an unreachable server: a refused login or a
     * database missing there would fail every read as well.
     */
    Future<Row> probe() {
        return pool.query(ReplicaSql.STANDBY).execute()
                .map(rows -> {
                    Row row = rows.iterator().next();
                    if (Boolean.TRUE.equals(row.getBoolean("in_recovery"))) {
                        reachable();
                    } else {
                        unreachable(new NotAStandby());
                    }
                    return row;
                })
                .onFailure(this::unreachable);
    }

    /**
     * The server of {@code DATABASE_READ_URL} answers but is not in recovery: it is a primary (this service's own,
     * or another), not a streaming standby of {@code DATABASE_URL}. Its rows cannot be trusted to be this
     * service's, so reads stay on the primary until the setting is corrected (a standby promoted to primary
     * counts as well: it no longer follows the primary's writes).
     */
    static final class NotAStandby extends RuntimeException {
        NotAStandby() {
            super("the server is not a standby (pg_is_in_recovery() is false); point DATABASE_READ_URL at a streaming "
                    + "standby of DATABASE_URL, or leave it empty", null, false, false);
        }
    }

    /**
     * The replica's part of {@code /health}: {@code status} UP or DOWN, where reads go ({@code reads}:
     * replica or primary), {@code lag_seconds} (age of the last replayed transaction while WAL waits to be
     * replayed, else 0), {@code lag_bytes} (WAL the primary has written that the standby has not replayed),
     * {@code replay_lsn}, {@code replay_paused}, {@code in_recovery} (false: the server is no standby, so it
     * cannot lag, and is not used: {@code error} says so), and during an outage {@code down_since} (UTC),
     * {@code error} and the reads the primary answered instead.
     */
    public Future<JsonObject> health(Pool primary) {
        Future<String> primaryLsn = primary.query(ReplicaSql.PRIMARY_LSN).execute()
                .map(rows -> rows.iterator().next().getString("lsn"))
                .otherwise((String) null);
        return primaryLsn.compose(lsn -> within(probe(), HEALTH_WAIT_MS).transform(ar -> {
            JsonObject body = new JsonObject()
                    .put("status", serving() ? "UP" : "DOWN")
                    .put("reads", serving() ? "replica" : "primary")
                    .put("server", url.display());
            if (ar.succeeded()) {
                Row row = ar.result();
                String replay = row.getString("replay_lsn");
                body.put("in_recovery", row.getBoolean("in_recovery"))
                        .put("replay_paused", row.getBoolean("replay_paused"))
                        .put("lag_seconds", row.getDouble("lag_seconds"))
                        .put("replay_lsn", replay);
                Long bytes = lagBytes(lsn, replay);
                if (bytes != null) {
                    body.put("lag_bytes", bytes);
                }
                OffsetDateTime replayedAt = row.getOffsetDateTime("replayed_at");
                if (replayedAt != null) {
                    body.put("last_replayed_at", dev.shipgate.http.Times.wire(replayedAt));
                }
                if (!Boolean.TRUE.equals(row.getBoolean("in_recovery"))) {
                    body.put("error", new NotAStandby().getMessage());
                }
            } else {
                body.put("error", lastError != null ? lastError : message(ar.cause()));
            }
            Instant since = downSince;
            if (!serving() && since != null) {
                body.put("down_since", since.toString()).put("reads_on_primary", fallbackReads.get());
            }
            return Future.succeededFuture(body);
        }));
    }

    /** Bytes of WAL from {@code replay} up to {@code primary} (both {@code X/Y} LSNs), 0 if the standby is ahead of that reading. */
    static Long lagBytes(String primary, String replay) {
        if (primary == null || replay == null) {
            return null;
        }
        return Math.max(0, lsn(primary) - lsn(replay));
    }

    /** A {@code pg_lsn} in its text form, {@code X/Y} in hexadecimal, as the byte position it names. */
    static long lsn(String text) {
        int slash = text.indexOf('/');
        return (Long.parseLong(text.substring(0, slash), 16) << 32) + Long.parseLong(text.substring(slash + 1), 16);
    }

    private <T> Future<T> within(Future<T> future, long millis) {
        Promise<T> promise = Promise.promise();
        long t = vertx.setTimer(millis, id -> promise.tryFail("the replica did not answer within " + millis + " ms"));
        future.onComplete(ar -> {
            vertx.cancelTimer(t);
            if (ar.succeeded()) {
                promise.tryComplete(ar.result());
            } else {
                promise.tryFail(ar.cause());
            }
        });
        return promise.future();
    }

    public Future<Void> close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        return pool.close();
    }

    /**
     * The cause as one line; for a failure no retry will mend (a database missing there, a refused login or
     * password, PostgreSQL SQLSTATE classes 3D and 28) a hint that the setting is wrong.
     */
    static String message(Throwable cause) {
        String message = cause == null ? null : cause.getMessage();
        String text = message == null || message.isBlank() ? String.valueOf(cause) : message;
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("3D") || pg.getSqlState().startsWith("28"))) {
                return text + "; check DATABASE_READ_URL";
            }
        }
        return text;
    }
}
