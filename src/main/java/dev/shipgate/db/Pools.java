package dev.shipgate.db;

import dev.shipgate.config.DatabaseUrl;
import dev.shipgate.config.ShipgateConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.TimeUnit;

/**
 * The two connection pools, created once and shared by every HTTP verticle instance. The entity pool
 * serves Hibernate Reactive; its burst connections close again after a minute idle. The raw pool serves
 * templates for bulk, tracking and analytics. Both spread their connections over the event loops.
 */
public record Pools(Pool orm, Pool raw, int ormMax, int rawMax) {

    public static final String ORM = "orm";
    public static final String RAW = "raw";

    public static Pools create(Vertx vertx, ShipgateConfig config, DatabaseUrl url) {
        Pool orm = build(vertx, url, new PoolOptions()
                .setName(ORM)
                .setMaxSize(config.ormPoolMax())
                .setIdleTimeout(60).setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setPoolCleanerPeriod(10_000)
                .setMaxWaitQueueSize(config.maxWaitQueue())
                .setConnectionTimeout(10).setConnectionTimeoutUnit(TimeUnit.SECONDS)
                .setEventLoopSize(config.workers()));
        Pool raw = build(vertx, url, new PoolOptions()
                .setName(RAW)
                .setMaxSize(config.rawPoolSize())
                .setMaxWaitQueueSize(config.maxWaitQueue())
                .setConnectionTimeout(10).setConnectionTimeoutUnit(TimeUnit.SECONDS)
                .setEventLoopSize(config.workers()));
        return new Pools(orm, raw, config.ormPoolMax(), config.rawPoolSize());
    }

    private static Pool build(Vertx vertx, DatabaseUrl url, PoolOptions options) {
        PgConnectOptions connect = new PgConnectOptions()
                .setHost(url.host())
                .setPort(url.port())
                .setDatabase(url.database())
                .setUser(url.user())
                .setPassword(url.password())
                .setCachePreparedStatements(true)
                .setPreparedStatementCacheMaxSize(512)
                .setPipeliningLimit(256)
                .setTcpNoDelay(true)
                .setTcpKeepAlive(true)
                .addProperty("application_name", "shipgate-" + options.getName());
        return PgBuilder.pool().with(options).connectingTo(connect).using(vertx).build();
    }

    public Future<Void> close() {
        return Future.join(orm.close(), raw.close()).mapEmpty();
    }
}
