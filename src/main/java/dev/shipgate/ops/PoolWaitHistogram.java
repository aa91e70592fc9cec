package dev.shipgate.ops;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;

/**
 * Buckets for the pools' wait time, so {@code /metrics} can tell a slow tail caused by requests queueing
 * for a PostgreSQL connection from one caused elsewhere. The wait is Vert.x's own {@code vertx.pool.queue.time}
 * timer: from the moment a query (or {@code withConnection}) asks a pool for a connection to the moment
 * it has one, per pool ({@code pool_name} "orm" or "raw"). Without this filter Prometheus only sees its
 * count, sum and maximum; with it, {@code vertx_pool_queue_time_seconds_bucket} has fixed buckets from
 * 0.1 ms to 1 s, from which {@code histogram_quantile} gives the p50/p99 of the wait.
 */
public final class PoolWaitHistogram implements MeterFilter {

    /** The timer's name as vertx-micrometer registers it (Prometheus: {@code vertx_pool_queue_time_seconds}). */
    public static final String METER = "vertx.pool.queue.time";

    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1).dividedBy(10), Duration.ofMillis(1).dividedBy(2), Duration.ofMillis(1),
        Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1)};

    private PoolWaitHistogram() {
    }

    /** Must run before the pools are created: a filter only shapes meters registered after it. */
    public static void install(MeterRegistry registry) {
        registry.config().meterFilter(new PoolWaitHistogram());
    }

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!METER.equals(id.getName())) {
            return config;
        }
        double[] nanos = new double[BUCKETS.length];
        for (int i = 0; i < BUCKETS.length; i++) {
            nanos[i] = BUCKETS[i].toNanos();
        }
        return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos).build().merge(config);
    }
}
