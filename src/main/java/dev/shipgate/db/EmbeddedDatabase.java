package dev.shipgate.db;

import dev.shipgate.config.ConfigException;
import dev.shipgate.config.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL a newcomer gets without installing one: PostgreSQL 17 binaries unpacked by zonky,
 * its cluster kept under the data directory so shipments survive restarts, tuned by
 * {@code conf/postgresql.conf}.
 *
 * <p>The server outlives a crash of the JVM (zonky starts it with {@code pg_ctl}), so a start first stops
 * a server left running on the same directory. While the service runs, a {@link ServerWatchdog} restarts
 * the server if it dies; if it cannot, {@link #trouble()} says so and {@code /health/live} turns 503. CLI
 * commands beside a running service {@linkplain #startOrJoin join} its server instead of starting their own.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    static final String DATABASE = "shipgate";
    /** zonky's lock file in the data directory, held by the process that started the server. */
    static final String LOCK_FILE = "epg-lock";
    /** How long a start waits for the server to accept connections (and a stop during start-up waits for that start). */
    public static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    /** Servers this JVM owns, by port, for {@link #troubleAt}; and their directories (a lock probe here would drop zonky's lock). */
    private static final Map<Integer, EmbeddedDatabase> OWNED = new ConcurrentHashMap<>();
    private static final Set<Path> OWNED_DIRS = ConcurrentHashMap.newKeySet();
    /**
     * Held while this JVM starts a server: a shutdown during start-up waits for it, so that the server the
     * start is bringing up is stopped too and not left running with no Shipgate behind it.
     */
    private static final java.util.concurrent.locks.ReentrantLock STARTING = new java.util.concurrent.locks.ReentrantLock();
    /** Set by {@link #stopOwned}: no server may be started after the process began to stop. */
    private static volatile boolean shuttingDown;

    private final Path dataDir;
    private final int port;
    private final EmbeddedPostgres postgres;
    private ServerWatchdog watchdog;
    private volatile boolean closing;

    private EmbeddedDatabase(Path dataDir, int port, EmbeddedPostgres postgres) {
        this.dataDir = dataDir;
        this.port = port;
        this.postgres = postgres;
    }

    /**
     * Starts the server on {@code dataDir} for the service: stops one a crashed Shipgate left running there,
     * refuses (with what to do) when another live Shipgate holds the directory.
     */
    public static EmbeddedDatabase start(Path dataDir, int port) {
        List<Path> created = missingDirectories(dataDir);
        Path dir = directory(dataDir);
        try {
            if (lockedByAnotherProcess(dir)) {
                throw new ConfigException("the embedded database in " + dir + " belongs to another Shipgate that is running; "
                        + "stop that one first, or give this one its own SHIPGATE_DATA_DIR");
            }
            return startOwn(dir, port);
        } catch (RuntimeException e) {
            removeIfEmpty(created);
            throw e;
        }
    }

    /**
     * For CLI commands: the server of a Shipgate already running on {@code dataDir} (found through the
     * postmaster.pid PostgreSQL writes there), else a server of their own, as {@link #start}.
     */
    public static EmbeddedDatabase startOrJoin(Path dataDir, int port) {
        List<Path> created = missingDirectories(dataDir);
        Path dir = directory(dataDir);
        try {
            if (lockedByAnotherProcess(dir)) {
                return join(dir);
            }
            return startOwn(dir, port);
        } catch (RuntimeException e) {
            removeIfEmpty(created);
            throw e;
        }
    }

    /** {@code dataDir} and those of its parents that do not exist yet, deepest first: what this start creates. */
    private static List<Path> missingDirectories(Path dataDir) {
        List<Path> missing = new ArrayList<>();
        for (Path d = dataDir.toAbsolutePath().normalize(); d != null && !Files.exists(d); d = d.getParent()) {
            missing.add(d);
        }
        return missing;
    }

    /**
     * After a refused start (a taken port, a directory held by another Shipgate): removes the directories this
     * start created, deepest first, as long as they are still empty, so that a refusal leaves nothing behind.
     * A directory with anything in it (a cluster initdb began) is kept.
     */
    private static void removeIfEmpty(List<Path> created) {
        for (Path d : created) {
            try {
                Files.deleteIfExists(d);
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                return;
            } catch (IOException e) {
                LOG.debug("cannot remove the directory {} this start created: {}", d, e.getMessage());
                return;
            }
        }
    }

    private static Path directory(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            return dataDir.toAbsolutePath().normalize();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static EmbeddedDatabase startOwn(Path dir, int port) {
        STARTING.lock();
        try {
            if (shuttingDown) {
                throw new IllegalStateException("the service is stopping: the embedded PostgreSQL is not started");
            }
            return startUnderLock(dir, port);
        } finally {
            STARTING.unlock();
        }
    }

    private static EmbeddedDatabase startUnderLock(Path dir, int port) {
        stopLeftover(dir);
        dev.shipgate.config.Ports.requireFree("127.0.0.1", port, "DATABASE_EMBEDDED_PORT");
        EmbeddedPostgres postgres;
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(STARTUP_WAIT)
                    .setServerConfig("listen_addresses", "127.0.0.1");
            if (port > 0) {
                builder.setPort(port);
            }
            serverSettings().forEach(builder::setServerConfig);
            postgres = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start: " + e.getMessage(), e);
        }
        EmbeddedDatabase db = new EmbeddedDatabase(dir, postgres.getPort(), postgres);
        try {
            db.watchdog = new ServerWatchdog(Postmaster.running(dir).orElseThrow(
                    () -> new IllegalStateException("embedded PostgreSQL started but wrote no postmaster.pid in " + dir)));
            db.createDatabaseIfMissing();
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        OWNED.put(db.port, db);
        OWNED_DIRS.add(dir);
        db.watchdog.start();
        LOG.info("embedded PostgreSQL started on port {} with data in {}", db.port, dir);
        return db;
    }

    /** Stops a server a crashed Shipgate left on {@code dir}: starting beside it would wait for a port it never gets. */
    private static void stopLeftover(Path dir) {
        Optional<Postmaster> leftover = Postmaster.running(dir);
        if (leftover.isEmpty()) {
            removeStalePidFile(dir);
            return;
        }
        Postmaster server = leftover.get();
        LOG.warn("a PostgreSQL server (pid {}, port {}) still runs on {}, left by a Shipgate that did not stop; stopping it",
                server.pid(), server.port(), dir);
        if (!server.stop(Duration.ofSeconds(30), Duration.ofSeconds(15))) {
            throw new IllegalStateException("PostgreSQL (pid " + server.pid() + ") left running on " + dir
                    + " did not stop; stop it (kill " + server.pid() + ") and start again");
        }
        Postmaster.awaitNoProcessesIn(dir, Duration.ofSeconds(10));
        LOG.info("the PostgreSQL server left on {} stopped", dir);
    }

    /**
     * A postmaster.pid whose pid is no postgres of this directory (the server was killed, and the pid may
     * since belong to another process) would make PostgreSQL refuse to start: removed once no postgres
     * process works in the directory any more.
     */
    private static void removeStalePidFile(Path dir) {
        Path pidFile = dir.resolve("postmaster.pid");
        if (Files.exists(pidFile) && Postmaster.awaitNoProcessesIn(dir, Duration.ofSeconds(10))) {
            try {
                Files.deleteIfExists(pidFile);
                LOG.info("removed the postmaster.pid of a PostgreSQL server that no longer runs on {}", dir);
            } catch (IOException e) {
                LOG.warn("cannot remove the stale {}: {}", pidFile, e.getMessage());
            }
        }
    }

    /** Joins the server of the Shipgate holding {@code dir}, waiting a while for one that is still starting. */
    private static EmbeddedDatabase join(Path dir) {
        long deadline = System.nanoTime() + STARTUP_WAIT.toNanos();
        String last = "no PostgreSQL server runs on it yet";
        while (System.nanoTime() < deadline) {
            Optional<Postmaster> server = Postmaster.running(dir);
            if (server.isPresent() && server.get().status().equals("ready")) {
                DatabaseUrl url = url(server.get().host(), server.get().port());
                try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
                    if (!c.isValid(5)) {
                        throw new SQLException("the connection to port " + server.get().port() + " is not valid");
                    }
                    LOG.info("the embedded database in {} belongs to a running Shipgate: using its PostgreSQL on port {}",
                            dir, server.get().port());
                    return new EmbeddedDatabase(dir, server.get().port(), null);
                } catch (SQLException e) {
                    last = e.getMessage();
                }
            }
            sleep(250);
        }
        throw new ConfigException("the embedded database in " + dir + " belongs to another running Shipgate, but its "
                + "PostgreSQL did not answer within " + STARTUP_WAIT.toSeconds() + " s (" + last + "); wait until that "
                + "service has started and retry, stop it, or point this command at a server with DATABASE_URL");
    }

    /** Whether another process (or another owner in this JVM) holds the directory's lock. */
    static boolean lockedByAnotherProcess(Path dir) {
        if (OWNED_DIRS.contains(dir)) {
            return true;
        }
        Path lockFile = dir.resolve(LOCK_FILE);
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
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
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            try (PreparedStatement exists = c.prepareStatement(DatabaseSql.DATABASE_EXISTS)) {
                exists.setString(1, DATABASE);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute(DatabaseSql.createDatabase(DATABASE));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the shipgate database: " + e.getMessage(), e);
        }
    }

    /** Why the service cannot serve, if its embedded server is down for good; empty while it runs or is joined. */
    public Optional<String> trouble() {
        return watchdog == null ? Optional.empty() : watchdog.trouble();
    }

    /** {@link #trouble()} of the embedded server this JVM runs on {@code port}; empty for any other server. */
    public static Optional<String> troubleAt(int port) {
        EmbeddedDatabase db = OWNED.get(port);
        return db == null ? Optional.empty() : db.trouble();
    }

    /** Whether this process started the server (a CLI command beside the service only joins it). */
    public boolean owned() {
        return postgres != null;
    }

    public DatabaseUrl url() {
        return url("127.0.0.1", port);
    }

    private static DatabaseUrl url(String host, int port) {
        return new DatabaseUrl(host, port, DATABASE, "postgres", "");
    }

    /**
     * For a shutdown that comes before the service finished starting (SIGTERM while migrations run): stops every
     * embedded server this JVM started, waiting up to {@code startWait} for one that is being started right now,
     * and refuses to start any after. The server runs in a process of its own ({@code pg_ctl}), so a JVM that
     * exits without this leaves it running with no Shipgate behind it. Returns how many servers it stopped.
     */
    public static int stopOwned(Duration startWait) {
        shuttingDown = true;
        boolean locked = false;
        try {
            locked = STARTING.tryLock(startWait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (!locked) {
                LOG.warn("the embedded PostgreSQL was still starting {} s after the stop request; it may be left running",
                        startWait.toSeconds());
            }
            List<EmbeddedDatabase> servers = List.copyOf(OWNED.values());
            servers.forEach(EmbeddedDatabase::close);
            return servers.size();
        } finally {
            if (locked) {
                STARTING.unlock();
            }
        }
    }

    /** Stops the server this process started (a joined one is left alone); once, from whichever thread comes first. */
    @Override
    public synchronized void close() {
        if (postgres == null || closing) {
            return;
        }
        closing = true;
        OWNED.remove(port, this);
        if (watchdog != null) {
            watchdog.stop();
        }
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
        Postmaster server = watchdog == null ? null : watchdog.postmaster();
        if (server != null && !server.awaitExit(Duration.ofSeconds(30))) {
            LOG.warn("embedded PostgreSQL (pid {}) still runs 30 s after the stop request; stopping it at once", server.pid());
            server.stop(Duration.ZERO, Duration.ofSeconds(15));
        }
        OWNED_DIRS.remove(dataDir);
        LOG.info("embedded PostgreSQL stopped");
    }

    /** Waits without throwing; an interrupt is kept for the caller to see. */
    static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
