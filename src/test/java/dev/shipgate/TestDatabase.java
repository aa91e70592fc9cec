package dev.shipgate;

import dev.shipgate.config.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The PostgreSQL every integration test talks to, started once per test run: the server in
 * {@code DATABASE_URL} when set, else Testcontainers' PostgreSQL where a Docker daemon answers, else an
 * embedded PostgreSQL 17 (zonky). Always a real server over the wire.
 */
public final class TestDatabase {

    private static DatabaseUrl url;
    private static String kind;

    private TestDatabase() {
    }

    public static synchronized DatabaseUrl url() {
        if (url == null) {
            url = start();
            dev.shipgate.db.Migrations.migrate(url);
        }
        return url;
    }

    public static String kind() {
        url();
        return kind;
    }

    private static DatabaseUrl start() {
        String external = System.getenv("DATABASE_URL");
        if (external != null && !external.isBlank()) {
            kind = "DATABASE_URL";
            return DatabaseUrl.parse("DATABASE_URL", external);
        }
        if (dockerAnswers()) {
            PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:17-alpine");
            container.start();
            kind = "testcontainers";
            return new DatabaseUrl(container.getHost(), container.getFirstMappedPort(), container.getDatabaseName(),
                    container.getUsername(), container.getPassword());
        }
        try {
            // pg_stat_statements lets a test count what a request costs the database (PurchaseRoundTripsIT).
            EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("max_connections", "200")
                    .setServerConfig("shared_preload_libraries", "pg_stat_statements").start();
            kind = "embedded";
            return new DatabaseUrl("127.0.0.1", pg.getPort(), "postgres", "postgres", "");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("no PostgreSQL for the tests: set DATABASE_URL", e);
        }
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    /**
     * A fresh database of its own on the same server, migrated, for tests whose service instances must
     * not share work with the run's shared instance (bulk workers claim any open item in their database).
     */
    public static synchronized DatabaseUrl isolated(String name) {
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        execute("CREATE DATABASE " + name);
        DatabaseUrl u = url();
        DatabaseUrl own = new DatabaseUrl(u.host(), u.port(), name, u.user(), u.password());
        dev.shipgate.db.Migrations.migrate(own);
        return own;
    }

    public static long count(DatabaseUrl u, String sql) {
        try (Connection c = DriverManager.getConnection(u.jdbcUrl(), u.user(), u.password());
             Statement s = c.createStatement();
             var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Empties every table the API reads, so each test class starts from a known state. MCP sessions stay:
     * they are not data a test asserts on. Shipment creations go with their shipments: one left open would
     * otherwise be "recorded" again by the shared service's reconciler, into the emptied table, up to 90 s
     * later, in the middle of whichever test class runs then.
     */
    public static void truncate() {
        execute("TRUNCATE bulk_job_items, bulk_jobs, shipment_events, rates, shipments, parcels, addresses, "
                + "shipment_daily_stats, api_tokens, trackers, webhook_events, idempotency_keys, shipment_creations, "
                + "easypost_orphans, approvals, spend_reservations, token_spend, audit_log, scan_form_shipments, "
                + "scan_forms, pickup_shipments, pickup_rates, pickups, shipment_labels, label_batch_shipments, label_batches, "
                + "customs_items, customs_infos, shipment_forms, exception_acknowledgements, exception_acknowledgement_history, "
                + "webhook_attempts, webhook_deliveries, webhook_outbox, webhook_endpoints");
    }

    public static void execute(String sql) {
        execute(url(), sql);
    }

    public static void execute(DatabaseUrl u, String sql) {
        try (Connection c = DriverManager.getConnection(u.jdbcUrl(), u.user(), u.password());
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long count(String sql) {
        return count(url(), sql);
    }
}
