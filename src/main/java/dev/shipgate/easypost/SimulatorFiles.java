package dev.shipgate.easypost;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in simulator's documents (labels, batch labels, scan forms, customs forms) served by Shipgate's
 * own HTTP server under {@value #PREFIX}, so a stored link stays valid across restarts (the simulator listens
 * on a new random port each time) and a browser opens it over the service's own origin instead of refusing
 * the simulator's self-signed certificate. Links EasyPost itself hands out are never touched.
 */
public final class SimulatorFiles {

    /** The path the documents are served under, on the API router (so also under {@code /api}, which nginx proxies). */
    public static final String PREFIX = "/sim-files";
    private static final Logger LOG = LoggerFactory.getLogger(SimulatorFiles.class);

    private final Optional<EasyPostSimulator> simulator;

    public SimulatorFiles(Optional<EasyPostSimulator> simulator) {
        this.simulator = simulator;
    }

    /**
     * The base of the links for a service listening on {@code host}:{@code port}: a wildcard address becomes
     * loopback (the address a browser on this machine reaches it at), an IPv6 literal gets its brackets.
     */
    public static String base(String host, int port) {
        String h = host.equals("0.0.0.0") || host.equals("::") || host.isEmpty() ? "127.0.0.1" : host;
        return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port + PREFIX;
    }

    /**
     * Points the simulator's links at {@code base} and, when the simulator keeps its account across restarts
     * (its documents can still be made), rewrites the links stored before (at an earlier port of the simulator,
     * or an earlier base) to it, so every link the database holds opens again. Nothing without the simulator.
     * A memory-only simulator (a service on {@code DATABASE_URL}, maybe one of several) leaves stored links alone.
     */
    public Future<Integer> serveAt(String base, Pool pool) {
        if (simulator.isEmpty()) {
            return Future.succeededFuture(0);
        }
        simulator.get().serveFilesAt(base);
        if (!simulator.get().keepsState()) {
            return Future.succeededFuture(0);
        }
        Future<Integer> all = Future.succeededFuture(0);
        for (String sql : SimulatorFileSql.RELINK) {
            all = all.compose(n -> pool.preparedQuery(sql).execute(Tuple.of(base)).map(r -> n + r.rowCount()));
        }
        return all.onSuccess(n -> {
            if (n > 0) {
                LOG.info("{} simulator document link(s) stored at an earlier address now point at {}", n, base);
            }
        });
    }

    /** Mounts the downloads on Shipgate's public API router; nothing when EasyPost itself is used. */
    public void mount(Router api) {
        simulator.ifPresent(s -> s.mountFiles(api, PREFIX));
    }
}
