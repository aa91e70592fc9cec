package dev.shipgate.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpConnection;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open HTTP connections per event loop, as {@code shipgate_http_connections{event_loop="..."}} in
 * {@code /metrics}. Each HTTP verticle instance runs on one event loop and serves only the connections
 * Vert.x hands it; when one loop holds many more keep-alive connections than another, that loop's
 * requests queue behind each other while the other core idles, which shows in the latency tail and not in
 * the average. Created once and shared by every instance; each instance counts on its own loop.
 */
public final class HttpConnections {

    /** The gauge's name (Prometheus: {@code shipgate_http_connections}). */
    public static final String METER = "shipgate.http.connections";

    private final MeterRegistry registry;

    public HttpConnections(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The counter of one verticle instance, registered under its event loop thread's name. */
    Counter forLoop(String eventLoop) {
        AtomicInteger open = new AtomicInteger();
        if (registry != null) {
            Gauge.builder(METER, open, AtomicInteger::get)
                    .description("open HTTP connections served by one event loop (one HTTP verticle instance)")
                    .tag("event_loop", eventLoop)
                    .register(registry);
        }
        return new Counter(open);
    }

    /** Counts a connection while it is open; used on the instance's own event loop only. */
    record Counter(AtomicInteger open) {

        void opened(HttpConnection connection) {
            open.incrementAndGet();
            connection.closeHandler(v -> open.decrementAndGet());
        }
    }
}
