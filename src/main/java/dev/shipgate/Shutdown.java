package dev.shipgate;

import dev.shipgate.config.ShipgateConfig;
import dev.shipgate.db.EmbeddedDatabase;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code serve}'s shutdown hook (SIGTERM, Ctrl-C) stops. Registered before the service starts, since a
 * supervisor may stop a service that is still migrating: the embedded PostgreSQL runs in a process of its own
 * and would otherwise outlive the JVM with no Shipgate behind it (until the next start stops it). Once the
 * service has started, the hook closes it as a whole ({@link ShipgateApp#close()}: drain, then everything).
 */
final class Shutdown {

    private static volatile boolean requested;

    private final ShipgateConfig config;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private ShipgateApp app;
    private boolean stopping;
    private boolean failed;

    Shutdown(ShipgateConfig config) {
        this.config = config;
    }

    /** Registers the hook; call before starting anything. */
    Shutdown register() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "shipgate-shutdown"));
        return this;
    }

    /**
     * The service started. False when a stop came in the meantime: the hook is already stopping the embedded
     * database, and the caller closes {@code started} and serves nothing.
     */
    synchronized boolean started(ShipgateApp started) {
        if (stopping) {
            return false;
        }
        app = started;
        return true;
    }

    /**
     * The start failed and has already undone what it started (and said why): the exit that follows has
     * nothing left for the hook to stop or report.
     */
    synchronized void failed() {
        failed = true;
    }

    /**
     * Whether the process is stopping on a signal before or after it started: a start that fails now fails
     * because the hook stopped its database, which is no failure to report.
     */
    static boolean requested() {
        return requested;
    }

    /** Blocks until the hook has stopped the service. */
    void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    private void stop() {
        ShipgateApp running;
        synchronized (this) {
            if (failed) {
                return;
            }
            stopping = true;
            requested = true;
            running = app;
        }
        // not a static logger: Main asks requested() before the log format is configured, and a logger made
        // then would set up logging with the library's defaults
        Logger log = LoggerFactory.getLogger(Shutdown.class);
        try {
            if (running != null) {
                running.close();
            } else if (config.databaseUrl().isEmpty()) {
                log.atInfo().addKeyValue("event", "stopped_while_starting")
                        .log("stop requested before start-up finished: stopping the embedded PostgreSQL");
                EmbeddedDatabase.stopOwned(EmbeddedDatabase.STARTUP_WAIT);
            } else {
                log.atInfo().addKeyValue("event", "stopped_while_starting")
                        .log("stop requested before start-up finished: nothing was serving yet");
            }
        } finally {
            stopped.countDown();
        }
    }
}
