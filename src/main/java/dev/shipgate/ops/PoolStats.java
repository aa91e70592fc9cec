package dev.shipgate.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

/**
 * A pool as operators need to see it: connections open, in use, idle and requests waiting. Use and
 * queue come from the pool's own Vert.x metrics, so /health and /metrics never disagree.
 */
final class PoolStats {

    private PoolStats() {
    }

    static JsonObject of(String name, Pool pool, int max, MeterRegistry registry) {
        int size = pool.size();
        int active = (int) gauge(registry, "vertx_pool_in_use", name);
        int waiting = (int) gauge(registry, "vertx_pool_queue_pending", name);
        return new JsonObject()
                .put("max", max)
                .put("size", size)
                .put("active", active)
                .put("idle", Math.max(0, size - active))
                .put("waiting", waiting);
    }

    private static double gauge(MeterRegistry registry, String meter, String pool) {
        if (registry == null) {
            return 0;
        }
        var gauge = Search.in(registry).name(meter).tag("pool_type", "sql").tag("pool_name", pool).gauge();
        return gauge == null ? 0 : gauge.value();
    }
}
