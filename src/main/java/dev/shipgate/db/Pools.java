package dev.shipgate.db;

import dev.shipgate.config.DatabaseUrl;
import dev.shipgate.config.ShipgateConfig;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two connection pools, created once and shared by every HTTP verticle instance. The entity pool
 * serves Hibernate Reactive; its burst connections close again after a minute idle. The raw pool serves
 * templates for bulk, tracking and analytics. Both spread their connections over the event loops, and
 * every new connection tells {@link DatabaseStatus} the database is reachable (the end of an outage).
 *
 * <p>{@code reads} is the pool for reads that may lag (lists, exports, tracking, analytics, the exceptions
 * queue): a {@link ReadPool} over the {@link Replica} of {@code DATABASE_READ_URL}, or the raw pool itself
 * when no replica is configured. The replica's pool has the raw pool's size ({@code DATABASE_RAW_POOL_SIZE}).
 */
public record Pools(Pool orm, Pool raw, int ormMax, int rawMax, Pool reads, Optional<Replica> replica) {

    private static final Logger LOG = LoggerFactory.getLogger(Pools.class);
    public static final String ORM = "orm";
    public static final String RAW = "raw";
    public static final String READ = "read";

    public static Pools create(Vertx vertx, ShipgateConfig config, DatabaseUrl url) {
        DatabaseStatus status = DatabaseStatus.of(vertx);
        status.server(url.host(), url.port());
        ignorePoolTimerRace(vertx);
        Pool orm = build(vertx, url, status, new PoolOptions()
                .setName(ORM)
                .setMaxSize(config.ormPoolMax())
                .setIdleTimeout(60).setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setPoolCleanerPeriod(10_000)
                .setMaxWaitQueueSize(config.maxWaitQueue())
                .setConnectionTimeout(10).setConnectionTimeoutUnit(TimeUnit.SECONDS)
                .setEventLoopSize(config.workers()));
        Pool raw = build(vertx, url, status, new PoolOptions()
                .setName(RAW)
                .setMaxSize(config.rawPoolSize())
                .setMaxWaitQueueSize(config.maxWaitQueue())
                .setConnectionTimeout(10).setConnectionTimeoutUnit(TimeUnit.SECONDS)
                .setEventLoopSize(config.workers()));
        Optional<Replica> replica = config.databaseReadUrl().map(readUrl -> Replica.create(vertx, readUrl, new PoolOptions()
                .setName(READ)
                .setMaxSize(config.rawPoolSize())
                .setMaxWaitQueueSize(config.maxWaitQueue())
                .setConnectionTimeout(10).setConnectionTimeoutUnit(TimeUnit.SECONDS)
                .setEventLoopSize(config.workers())));
        Pool reads = replica.<Pool>map(r -> new ReadPool(raw, r)).orElse(raw);
        return new Pools(orm, raw, config.ormPoolMax(), config.rawPoolSize(), reads, replica);
    }

    private static Pool build(Vertx vertx, DatabaseUrl url, DatabaseStatus status, PoolOptions options) {
        return PgBuilder.pool().with(options).connectingTo(connectOptions(url, options.getName())).using(vertx)
                .withConnectHandler(conn -> {
                    status.reachable();
                    conn.close();
                })
                .build();
    }

    /**
     * How every connection of the service reaches {@code url}: the pools' and single connections' alike
     * (the token cache's listener), named {@code shipgate-<role>} in {@code pg_stat_activity}.
     */
    public static PgConnectOptions connectOptions(DatabaseUrl url, String role) {
        return new PgConnectOptions()
                .setHost(url.host())
                .setPort(url.port())
                .setDatabase(url.database())
                .setUser(url.user())
                .setPassword(url.password())
                .setCachePreparedStatements(true)
                .setPreparedStatementCacheMaxSize(512)
                // The shipment read (with its customs and forms as JSON) is longer than the 2048-character default:
                // past the limit a statement is prepared again on every execution, a round trip per read.
                .setPreparedStatementCacheSqlLimit(8192)
                .setPipeliningLimit(256)
                .setTcpNoDelay(true)
                .setTcpKeepAlive(true)
                .addProperty("application_name", "shipgate-" + role);
    }

    /**
     * vertx-sql-client 4.5 arms a wait timer for each query run on the pool and, when getting a connection
     * fails first (the database refuses connections), fails the already failed query again when that timer
     * fires: an "Unhandled exception: Result is already complete" ERROR 10 s after every such request,
     * though the request got its real failure (eclipse-vertx/vertx-sql-client#1706). Those are dropped here;
     * every other unhandled exception is logged as before.
     */
    private static void ignorePoolTimerRace(Vertx vertx) {
        Handler<Throwable> previous = vertx.exceptionHandler();
        if (previous instanceof PoolTimerRaceFilter) {
            return;
        }
        vertx.exceptionHandler(new PoolTimerRaceFilter(previous));
    }

    static boolean isPoolTimerRace(Throwable t) {
        return t instanceof IllegalStateException
                && "Result is already complete".equals(t.getMessage())
                && Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getClassName().startsWith("io.vertx.sqlclient.impl.pool.SqlConnectionPool"));
    }

    private record PoolTimerRaceFilter(Handler<Throwable> next) implements Handler<Throwable> {
        @Override
        public void handle(Throwable t) {
            if (isPoolTimerRace(t)) {
                LOG.debug("ignored the pool's second failure of a query that already failed", t);
            } else if (next != null) {
                next.handle(t);
            } else {
                LOG.error("Unhandled exception", t);
            }
        }
    }

    public Future<Void> close() {
        return Future.join(orm.close(), raw.close(), replica.map(Replica::close).orElse(Future.succeededFuture())).mapEmpty();
    }
}
