package dev.shipgate.db;

import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the service knows about its database being reachable, one per Vert.x instance. During an outage
 * every request fails the same way: the log says so once when the first request fails, and once when a
 * connection succeeds again, with the number of requests answered 503 meanwhile, instead of a line (or a
 * stack trace) per request. A database that is up but out of pool connections ("busy") is summed up at
 * most once a minute.
 */
public final class DatabaseStatus implements Shareable {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseStatus.class);
    private static final long BUSY_LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** Why a request could not use the database: it cannot be reached, or it has no connection free in time. */
    public enum Trouble { UNAVAILABLE, BUSY }

    private volatile String host = "";
    private volatile int port;
    private volatile boolean down;
    private long downSince;
    private long failedWhileDown;
    private long busySinceLog;
    private long busyLoggedAt;

    private DatabaseStatus() {
    }

    /** The status of the database behind {@code vertx}'s pools. */
    public static DatabaseStatus of(Vertx vertx) {
        LocalMap<String, DatabaseStatus> map = vertx.sharedData().getLocalMap(DatabaseStatus.class.getName());
        return map.computeIfAbsent("status", k -> new DatabaseStatus());
    }

    void server(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** A request failed because of the database; the first of an outage logs it, with the cause's message. */
    public void requestFailed(Trouble trouble, Throwable cause) {
        if (trouble == Trouble.UNAVAILABLE) {
            synchronized (this) {
                failedWhileDown++;
                if (down) {
                    return;
                }
                down = true;
                downSince = System.nanoTime();
            }
            LOG.error("database unavailable ({}); requests that need it answer 503 until it is back", message(cause));
            return;
        }
        long count;
        synchronized (this) {
            busySinceLog++;
            long now = System.nanoTime();
            if (busyLoggedAt != 0 && now - busyLoggedAt < BUSY_LOG_INTERVAL_NANOS) {
                return;
            }
            count = busySinceLog;
            busySinceLog = 0;
            busyLoggedAt = now;
        }
        LOG.warn("database busy: {} request(s) answered 503 waiting for a pool connection ({}); next summary in a minute at most",
                count, message(cause));
    }

    /** A connection to the database worked: ends an outage, logging how long it lasted and what it cost. */
    public void reachable() {
        if (!down) {
            return;
        }
        long seconds;
        long failed;
        synchronized (this) {
            if (!down) {
                return;
            }
            down = false;
            seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - downSince);
            failed = failedWhileDown;
            failedWhileDown = 0;
        }
        LOG.warn("database available again after {} s; {} request(s) answered 503 meanwhile", seconds, failed);
    }

    /** Whether an outage is going on (requests failed to reach the database, and none has reached it since). */
    public boolean down() {
        return down;
    }

    /** Why the service should be restarted, if its embedded database is down for good. */
    public Optional<String> livenessTrouble() {
        return host.equals("127.0.0.1") ? EmbeddedDatabase.troubleAt(port) : Optional.empty();
    }

    /**
     * Whether {@code failure} (under any wrapping: Hibernate, CompletionException) means the database could
     * not be used rather than refused the request: the connection failed (refused, reset, broken pipe,
     * closed, the server shutting down or starting up: unavailable) or no pool connection came free in
     * time (busy). Refusals of a statement (constraints, bad data, SQL errors) are not trouble.
     */
    public static Optional<Trouble> troubleOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Optional<Trouble> trouble = troubleOfOne(t);
            if (trouble.isPresent()) {
                return trouble;
            }
        }
        return Optional.empty();
    }

    private static Optional<Trouble> troubleOfOne(Throwable t) {
        if (t instanceof PgException pg) {
            String state = pg.getSqlState() == null ? "" : pg.getSqlState();
            if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
                return Optional.of(Trouble.UNAVAILABLE);
            }
            if (state.startsWith("53") || state.equals("57014")) {
                return Optional.of(Trouble.BUSY);
            }
            return Optional.empty();
        }
        String message = t.getMessage() == null ? "" : t.getMessage();
        if (t instanceof ConnectionPoolTooBusyException
                || t instanceof VertxException && message.equals("Timeout waiting for connection")
                || t instanceof NoStackTraceThrowable && message.equals("Timeout")) {
            return Optional.of(Trouble.BUSY);
        }
        if (t instanceof ClosedConnectionException
                || t instanceof ConnectException
                || t instanceof SocketException
                || t instanceof ClosedChannelException
                || t instanceof io.netty.channel.ConnectTimeoutException
                || t instanceof IOException && (message.contains("Connection reset") || message.contains("Broken pipe"))
                || message.startsWith("Pending requests failed to be sent due to connection has been closed")
                || message.startsWith("Connection is not active now")) {
            return Optional.of(Trouble.UNAVAILABLE);
        }
        return Optional.empty();
    }

    private static String message(Throwable cause) {
        String message = cause == null ? null : cause.getMessage();
        return message == null || message.isBlank() ? String.valueOf(cause) : message;
    }
}
