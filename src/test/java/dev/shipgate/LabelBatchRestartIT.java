package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.config.DatabaseUrl;
import dev.shipgate.easypost.EasyPostSimulator;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A label batch across a crash of the service")
class LabelBatchRestartIT {

    static ApartSimulator apart;
    static EasyPostSimulator simulator;

    @BeforeAll
    static void startSimulator() throws Exception {
        apart = ApartSimulator.start();
        simulator = apart.simulator;
    }

    @AfterAll
    static void stopSimulator() {
        apart.close();
    }

    @Test
    @DisplayName("a 50-label document still being made when the service is killed is finished after the restart: 50 pages")
    void survivesKill(@TempDir Path dir) throws Exception {
        DatabaseUrl database = TestDatabase.isolated("label_batch_restart");
        Map<String, String> env = TestApp.againstSimulator(dir, simulator, database);
        String batchId;
        ServiceProcess first = ServiceProcess.start(dir, "first", env);
        try {
            first.awaitStarted();
            try (Api api = new Api(first.port, TestApp.TOKEN)) {
                String job = api.post("/shipments/bulk-create", Fixtures.bulk(50, "cheapest")).bodyAsJsonObject().getString("id");
                Await.job(api, job, Duration.ofSeconds(120));
                simulator.batchGenerationMs(20_000);
                batchId = api.post("/label-batches", new JsonObject().put("bulk_job_id", job)).bodyAsJsonObject().getString("id");
                String state = Await.value("the document to be under way at EasyPost", Duration.ofSeconds(30),
                        () -> api.get("/label-batches/" + batchId).bodyAsJsonObject().getString("state"), "generating"::equals);
                assertThat(state).isEqualTo("generating");
            }
        } finally {
            first.kill();
        }
        simulator.batchGenerationMs(0);
        try (ServiceProcess second = ServiceProcess.start(dir, "second", env)) {
            second.awaitStarted();
            try (Api api = new Api(second.port, TestApp.TOKEN)) {
                JsonObject done = Await.value("the batch to be finished by the restarted service", Duration.ofSeconds(60),
                        () -> api.get("/label-batches/" + batchId).bodyAsJsonObject(), b -> "ready".equals(b.getString("state")));
                assertThat(done.getInteger("total")).isEqualTo(50);
                assertThat(DashboardIT.pdfPages(done.getString("label_url"))).isEqualTo(50);
            }
        }
    }
}
