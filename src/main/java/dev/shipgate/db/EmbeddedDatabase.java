package dev.shipgate.db;

import dev.shipgate.config.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL a newcomer gets without installing one: PostgreSQL 17 binaries unpacked by zonky,
 * its cluster kept under the data directory so shipments survive restarts, tuned by
 * {@code conf/postgresql.conf}.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    static final String DATABASE = "shipgate";

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static EmbeddedDatabase start(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1");
            if (port > 0) {
                builder.setPort(port);
            }
            serverSettings().forEach(builder::setServerConfig);
            EmbeddedDatabase db = new EmbeddedDatabase(builder.start());
            db.createDatabaseIfMissing();
            LOG.info("embedded PostgreSQL started on port {} with data in {}", db.postgres.getPort(), dataDir);
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start: " + e.getMessage(), e);
        }
    }

    /** The tuned settings: {@code conf/postgresql.conf} in the working directory, else the copy in the jar. */
    static Map<String, String> serverSettings() throws IOException {
        Path local = Path.of("conf", "postgresql.conf");
        try (Reader reader = Files.isRegularFile(local)
                ? Files.newBufferedReader(local, StandardCharsets.UTF_8)
                : resource("/conf/postgresql.conf")) {
            Map<String, String> settings = new LinkedHashMap<>();
            new java.io.BufferedReader(reader).lines()
                    .map(line -> line.replaceFirst("#.*", "").trim())
                    .filter(line -> line.contains("="))
                    .forEach(line -> {
                        int eq = line.indexOf('=');
                        settings.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim().replaceAll("^'|'$", ""));
                    });
            return settings;
        }
    }

    private static Reader resource(String name) {
        InputStream in = EmbeddedDatabase.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("missing " + name + " in the build");
        }
        return new InputStreamReader(in, StandardCharsets.UTF_8);
    }

    private void createDatabaseIfMissing() {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the shipgate database: " + e.getMessage(), e);
        }
    }

    public DatabaseUrl url() {
        return new DatabaseUrl("127.0.0.1", postgres.getPort(), DATABASE, "postgres", "");
    }

    @Override
    public void close() {
        try {
            postgres.close();
            LOG.info("embedded PostgreSQL stopped");
        } catch (IOException e) {
            LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }
}
