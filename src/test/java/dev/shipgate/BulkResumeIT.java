package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.config.DatabaseUrl;
import dev.shipgate.config.EasyPostConfig;
import dev.shipgate.easypost.EasyPostSimulator;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Bulk jobs across crashes and instances")
class BulkResumeIT {

    static Vertx vertx;
    static EasyPostSimulator simulator;

    @BeforeAll
    static void startSimulator() throws Exception {
        vertx = Vertx.vertx();
        simulator = new EasyPostSimulator(vertx, new EasyPostConfig.Simulator(100, 0, 0, 0));
        simulator.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopSimulator() {
        simulator.stop();
        vertx.close();
    }

    static DatabaseUrl database;

    /** A database of these tests' own: the run's shared service would otherwise take items too. */
    static Map<String, String> sharedEasyPost(Path dir) throws Exception {
        database = TestDatabase.isolated("bulk_resume");
        Map<String, String> env = TestApp.againstSimulator(dir, simulator, database);
        env.put("EASYPOST_MAX_CONCURRENCY", "4");
        env.put("BULK_LEASE_SECONDS", "2");
        env.put("PURCHASE_LEASE_SECONDS", "2");
        return env;
    }

    static void assertEveryLabelBoughtOnce(Api api, String jobId, int items) throws Exception {
        JsonObject job = Await.job(api, jobId, Duration.ofSeconds(120));
        assertThat(job.getJsonObject("job").getString("state")).as(job.getJsonObject("job").encode()).isEqualTo("completed");
        assertThat(job.getJsonObject("job").getJsonObject("counts").getLong("succeeded")).isEqualTo(items);
        for (Object o : job.getJsonArray("items")) {
            String shipmentId = ((JsonObject) o).getString("shipment_id");
            String easypostId = api.get("/shipments/" + shipmentId).bodyAsJsonObject().getString("easypost_id");
            assertThat(simulator.purchases(easypostId)).as("purchases of " + easypostId).isEqualTo(1);
        }
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM shipments WHERE source_key LIKE 'bulk:" + jobId + ":%'"))
                .as("one shipment per item").isEqualTo(items);
    }

    @Test
    @DisplayName("a job interrupted by kill -9 resumes after restart and finishes without buying any label twice")
    void resumesAfterCrash(@TempDir Path dir) throws Exception {
        Map<String, String> env = sharedEasyPost(dir);
        int before = simulator.totalPurchases();
        String jobId;
        ServiceProcess first = ServiceProcess.start(dir, "first", env);
        try {
            first.awaitStarted();
            try (Api api = new Api(first.port, TestApp.TOKEN)) {
                jobId = api.post("/shipments/bulk-create", Fixtures.bulk(60, "cheapest")).bodyAsJsonObject().getString("id");
                long done = Await.value("10 items to succeed before the kill", Duration.ofSeconds(60),
                        () -> api.get("/jobs/" + jobId).bodyAsJsonObject().getJsonObject("job").getJsonObject("counts")
                                .getLong("succeeded"), succeeded -> succeeded >= 10);
                assertThat(done).isBetween(10L, 59L);
            }
        } finally {
            first.kill();
        }
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM bulk_job_items WHERE job_id = '" + jobId + "' AND state <> 'succeeded'"))
                .as("work was left unfinished by the crash").isPositive();
        try (ServiceProcess second = ServiceProcess.start(dir, "second", env)) {
            second.awaitStarted();
            try (Api api = new Api(second.port, TestApp.TOKEN)) {
                assertEveryLabelBoughtOnce(api, jobId, 60);
            }
        }
        assertThat(simulator.totalPurchases() - before).isEqualTo(60);
    }

    @Test
    @DisplayName("two instances on one database share a job without doing any item twice")
    void instancesShareWork(@TempDir Path dir) throws Exception {
        Map<String, String> env = sharedEasyPost(dir);
        int before = simulator.totalPurchases();
        try (ShipgateApp a = TestApp.start(env); ShipgateApp b = TestApp.start(env); Api api = new Api(a.config().httpPort(), TestApp.TOKEN)) {
            String jobId = api.post("/shipments/bulk-create", Fixtures.bulk(60, "cheapest")).bodyAsJsonObject().getString("id");
            assertEveryLabelBoughtOnce(api, jobId, 60);
            assertThat(a.gateway().maxInFlight()).as("instance A worked").isPositive();
            assertThat(b.gateway().maxInFlight()).as("instance B worked").isPositive();
        }
        assertThat(simulator.totalPurchases() - before).isEqualTo(60);
    }
}
