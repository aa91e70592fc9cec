package dev.shipgate;

import dev.shipgate.config.EasyPostConfig;
import dev.shipgate.easypost.EasyPostSimulator;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/**
 * The EasyPost simulator run in the test's own JVM for service processes started apart from it (tests that
 * kill -9 a service, or run two): the processes reach it over HTTPS, and it outlives them, so what EasyPost
 * did before a crash is still there after the restart. Answers without added latency or faults.
 */
final class ApartSimulator implements AutoCloseable {

    final EasyPostSimulator simulator;
    private final Vertx vertx;

    private ApartSimulator(Vertx vertx, EasyPostSimulator simulator) {
        this.vertx = vertx;
        this.simulator = simulator;
    }

    /** Starts a simulator on its own Vert.x; fails when it does not listen within 30 s. */
    static ApartSimulator start() throws Exception {
        Vertx vertx = Vertx.vertx();
        EasyPostSimulator simulator = new EasyPostSimulator(vertx, new EasyPostConfig.Simulator(0, 0, 0, 0));
        simulator.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return new ApartSimulator(vertx, simulator);
    }

    @Override
    public void close() {
        simulator.stop();
        vertx.close();
    }
}
