package dev.shipgate.shipments;

import dev.shipgate.config.ConfigLoader;
import dev.shipgate.config.ShipgateConfig;
import dev.shipgate.db.Orm;
import dev.shipgate.db.Pools;
import dev.shipgate.shipments.ShipmentViews.ShipmentView;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.hibernate.reactive.stage.Stage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two database paths on the same work: {@code size} full shipments (addresses, parcel, rates, latest
 * event) by id, three queries each way: Hibernate Reactive entities in a stateless session (one query
 * after the other, as a session must), against the service's raw read path (ShipmentReadSql: the same
 * three statements pipelined on one connection, rows mapped straight to the API's records). Runs
 * against DATABASE_URL (benchmarks/run.sh points it at its seeded database).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 3, time = 4)
@Fork(1)
public class OrmVsRawBenchmark {

    private static final String SHIPMENTS_HQL = """
            from Shipment s join fetch s.fromAddress join fetch s.toAddress left join fetch s.parcel
            where s.id in :ids""";
    private static final String RATES_HQL = "from Rate r where r.shipmentId in :ids order by r.shipmentId, r.rate, r.carrier, r.service";
    private static final String EVENTS_HQL = "from ShipmentEvent e where e.shipmentId in :ids order by e.occurredAt desc, e.id desc";

    @Param({"1", "50"})
    public int size;

    private Vertx vertx;
    private Pools pools;
    private Stage.SessionFactory sessions;
    private ShipmentReadSql reads;
    private List<UUID[]> batches;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ShipgateConfig config = ConfigLoader.load(System.getenv());
        vertx = Vertx.vertx();
        pools = Pools.create(vertx, config, config.databaseUrl().orElseThrow(
                () -> new IllegalStateException("set DATABASE_URL to a seeded Shipgate database")));
        sessions = Orm.sessionFactory(vertx, pools.orm(),
                List.of(Shipment.class, Address.class, Parcel.class, Rate.class, ShipmentEvent.class));
        reads = new ShipmentReadSql(pools.raw());
        RowSet<Row> ids = pools.raw().query("SELECT id FROM shipments ORDER BY random() LIMIT 20000").execute()
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        List<UUID> all = new ArrayList<>();
        ids.forEach(r -> all.add(r.getUUID(0)));
        batches = new ArrayList<>();
        for (int i = 0; i + size <= all.size(); i += size) {
            batches.add(all.subList(i, i + size).toArray(UUID[]::new));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        sessions.close();
        pools.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private UUID[] nextBatch() {
        UUID[] batch = batches.get(next);
        next = (next + 1) % batches.size();
        return batch;
    }

    /** Runs the work on its own duplicated Vert.x context, as a request would, and waits for all shipments. */
    private List<ShipmentView> await(Supplier<CompletionStage<List<ShipmentView>>> work) throws Exception {
        CompletableFuture<List<ShipmentView>> result = new CompletableFuture<>();
        ContextInternal context = ((ContextInternal) vertx.getOrCreateContext()).duplicate();
        context.runOnContext(v -> work.get().whenComplete((views, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(views);
            }
        }));
        List<ShipmentView> views = result.get(10, TimeUnit.SECONDS);
        if (views.size() != size) {
            throw new IllegalStateException("expected " + size + " shipments, got " + views.size());
        }
        return views;
    }

    @Benchmark
    public List<ShipmentView> orm() throws Exception {
        List<UUID> ids = List.of(nextBatch());
        return await(() -> sessions.withStatelessSession(session -> session
                .createSelectionQuery(SHIPMENTS_HQL, Shipment.class).setParameter("ids", ids).getResultList()
                .thenCompose(shipments -> session.createSelectionQuery(RATES_HQL, Rate.class).setParameter("ids", ids)
                        .getResultList()
                        .thenCompose(rates -> session.createSelectionQuery(EVENTS_HQL, ShipmentEvent.class)
                                .setParameter("ids", ids).getResultList()
                                .thenApply(events -> {
                                    Map<UUID, List<Rate>> ratesOf = new HashMap<>();
                                    rates.forEach(r -> ratesOf.computeIfAbsent(r.getShipmentId(), k -> new ArrayList<>()).add(r));
                                    Map<UUID, ShipmentEvent> latest = new HashMap<>();
                                    events.forEach(e -> latest.putIfAbsent(e.getShipmentId(), e));
                                    List<ShipmentView> views = new ArrayList<>(shipments.size());
                                    for (Shipment s : shipments) {
                                        views.add(ShipmentView.of(s, latest.get(s.getId()),
                                                ratesOf.getOrDefault(s.getId(), List.of()), null));
                                    }
                                    return views;
                                })))));
    }

    @Benchmark
    public List<ShipmentView> raw() throws Exception {
        UUID[] ids = nextBatch();
        return await(() -> reads.find(ids).toCompletionStage());
    }
}
