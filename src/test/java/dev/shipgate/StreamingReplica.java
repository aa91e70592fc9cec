package dev.shipgate;

import dev.shipgate.config.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A primary and a streaming hot standby from the embedded PostgreSQL 17 binaries the project already uses.
 * Those binaries have no {@code pg_basebackup}, so the standby is a cold copy of the primary's migrated data
 * directory (taken while the primary is stopped, which is a consistent backup) with {@code standby.signal}
 * and a {@code primary_conninfo}: from then on it receives and replays the primary's WAL over a
 * replication connection, as any streaming replica does.
 */
final class StreamingReplica implements AutoCloseable {

    private final Path root;
    private final EmbeddedPostgres primary;
    private EmbeddedPostgres standby;

    private StreamingReplica(Path root, EmbeddedPostgres primary, EmbeddedPostgres standby) {
        this.root = root;
        this.primary = primary;
        this.standby = standby;
    }

    /** Starts a primary with Shipgate's schema and a standby replicating it; both ready for connections. */
    static StreamingReplica start() throws IOException {
        Path root = Files.createTempDirectory("shipgate-replica");
        Path primaryDir = root.resolve("primary");
        Path standbyDir = root.resolve("standby");
        EmbeddedPostgres first = server(primaryDir, 0).start();
        int port = first.getPort();
        dev.shipgate.db.Migrations.migrate(url(port));
        first.close();
        copy(primaryDir, standbyDir);
        Files.writeString(standbyDir.resolve("standby.signal"), "");
        Files.writeString(standbyDir.resolve("postgresql.auto.conf"),
                "\nprimary_conninfo = 'host=127.0.0.1 port=" + port + " user=postgres application_name=shipgate_standby'\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        EmbeddedPostgres primary = server(primaryDir, port).start();
        EmbeddedPostgres standby = server(standbyDir, 0).start();
        StreamingReplica pair = new StreamingReplica(root, primary, standby);
        pair.awaitStreaming();
        return pair;
    }

    private static EmbeddedPostgres.Builder server(Path dir, int port) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setServerConfig("max_connections", "100")
                .setServerConfig("wal_level", "replica")
                .setServerConfig("max_wal_senders", "4")
                .setServerConfig("wal_keep_size", "256MB")
                .setServerConfig("hot_standby", "on");
        return port > 0 ? builder.setPort(port) : builder;
    }

    /** {@code cp -a}: PostgreSQL wants its files' modes kept; zonky's lock and the old pid file stay behind. */
    private static void copy(Path from, Path to) throws IOException {
        run("cp", "-a", from.toString(), to.toString());
        Files.deleteIfExists(to.resolve("postmaster.pid"));
        Files.deleteIfExists(to.resolve("epg-lock"));
    }

    private static void run(String... command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Waits until the primary lists the standby's WAL receiver as streaming. */
    private void awaitStreaming() {
        Await.until("the standby streams from the primary", java.time.Duration.ofSeconds(30),
                () -> count(primaryUrl(), "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") == 1);
    }

    private static DatabaseUrl url(int port) {
        return new DatabaseUrl("127.0.0.1", port, "postgres", "postgres", "");
    }

    DatabaseUrl primaryUrl() {
        return url(primary.getPort());
    }

    DatabaseUrl standbyUrl() {
        return url(standby.getPort());
    }

    /** Stops applying WAL on the standby (it keeps receiving it): what it shows freezes. */
    void pauseReplay() {
        TestDatabase.execute(standbyUrl(), "SELECT pg_wal_replay_pause()");
        Await.until("replay paused", java.time.Duration.ofSeconds(10), () -> "paused".equals(text(standbyUrl(), "SELECT pg_get_wal_replay_pause_state()")));
    }

    void resumeReplay() {
        TestDatabase.execute(standbyUrl(), "SELECT pg_wal_replay_resume()");
    }

    /** Waits until the standby has replayed everything the primary has written so far. */
    void awaitCaughtUp() {
        String target = text(primaryUrl(), "SELECT pg_current_wal_lsn()::text");
        Await.until("the standby replays up to " + target, java.time.Duration.ofSeconds(30), () -> count(standbyUrl(),
                "SELECT CASE WHEN pg_last_wal_replay_lsn() >= '" + target + "'::pg_lsn THEN 1 ELSE 0 END") == 1);
    }

    private int standbyPort;

    /** Stops the standby the way a crash or an operator would take it away: its clients lose their connections. */
    void stopStandby() throws IOException {
        if (standby != null) {
            standbyPort = standby.getPort();
            standby.close();
            standby = null;
        }
    }

    /** Starts the stopped standby again on its port, and waits until it streams from the primary again. */
    void restartStandby() throws IOException {
        standby = server(root.resolve("standby"), standbyPort).start();
        awaitStreaming();
    }

    static long count(DatabaseUrl u, String sql) {
        return Long.parseLong(text(u, sql));
    }

    static String text(DatabaseUrl u, String sql) {
        try (Connection c = DriverManager.getConnection(u.jdbcUrl(), u.user(), u.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        stopStandby();
        primary.close();
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
