package dev.shipgate.db;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.List;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.cfg.Configuration;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.jdbc.spi.SqlExceptionHelper;
import org.hibernate.engine.jdbc.spi.SqlStatementLogger;
import org.hibernate.reactive.pool.ReactiveConnectionPool;
import org.hibernate.reactive.pool.impl.ExternalSqlClientPool;
import org.hibernate.reactive.provider.ReactiveServiceRegistryBuilder;
import org.hibernate.reactive.provider.Settings;
import org.hibernate.reactive.provider.service.NoJdbcConnectionProvider;
import org.hibernate.reactive.stage.Stage;
import org.hibernate.reactive.vertx.VertxInstance;

/**
 * Builds the one Hibernate Reactive SessionFactory of the process, on the application's own Vert.x and
 * its entity pool, so ORM queries run on the calling event loop and count against the same connection
 * budget. Flyway owns the schema; Hibernate only validates that the entities match it.
 */
public final class Orm {

    private Orm() {
    }

    /** Blocks for a few seconds while Hibernate boots: call it before deploying verticles. */
    public static Stage.SessionFactory sessionFactory(Vertx vertx, Pool entityPool, List<Class<?>> entities) {
        Configuration configuration = new Configuration();
        configuration.setProperty(Settings.HBM2DDL_AUTO, "validate");
        configuration.setProperty(Settings.SHOW_SQL, "false");
        configuration.setProperty(Settings.DEFAULT_BATCH_FETCH_SIZE, "50");
        configuration.setProperty(Settings.STATEMENT_BATCH_SIZE, "50");
        configuration.setProperty("jakarta.persistence.validation.mode", "none");
        configuration.setProperty(Settings.ALLOW_METADATA_ON_BOOT, "false");
        entities.forEach(configuration::addAnnotatedClass);

        StandardServiceRegistry registry = new ReactiveServiceRegistryBuilder()
                .applySettings(configuration.getProperties())
                .addService(VertxInstance.class, () -> vertx)
                // Connections come from the pool below, never from JDBC. Said outright, so Hibernate ORM does not
                // go looking for JDBC settings and warn on every start that it found none (HHH102003).
                .addService(ConnectionProvider.class, NoJdbcConnectionProvider.INSTANCE)
                .addService(ReactiveConnectionPool.class,
                        new ExternalSqlClientPool(entityPool, new SqlStatementLogger(), new SqlExceptionHelper(true)))
                .build();
        return configuration.buildSessionFactory(registry).unwrap(Stage.SessionFactory.class);
    }
}
