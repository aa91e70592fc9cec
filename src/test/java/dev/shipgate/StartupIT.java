package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shipgate.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Startup, restart and shutdown")
class StartupIT {

    @Test
    @DisplayName("shipments in the embedded database survive a restart of the service")
    void embeddedDataSurvivesRestart(@TempDir Path dataDir) throws Exception {
        Map<String, String> embedded = Map.of("DATABASE_URL", "", "SHIPGATE_DATA_DIR", dataDir.toString(),
                "DATABASE_POOL_SIZE", "2", "DATABASE_MAX_OVERFLOW", "2", "DATABASE_RAW_POOL_SIZE", "4");
        String id;
        try (ShipgateApp first = TestApp.start(embedded)) {
            assertThat(first.firstToken()).isPresent();
            try (Api api = new Api(first.config().httpPort(), first.firstToken().get())) {
                assertThat(api.get("/shipments").bodyAsJsonObject().getJsonArray("shipments")).isEmpty();
            }
            String url = "postgresql://postgres@127.0.0.1:" + first.databasePort() + "/shipgate";
            int code = Main.run(new String[] {"seed-demo", "--shipments", "25"}, Map.of("DATABASE_URL", url),
                    new java.io.PrintWriter(System.out), new java.io.PrintWriter(System.err));
            assertThat(code).isZero();
            try (Api api = new Api(first.config().httpPort(), first.firstToken().get())) {
                id = api.get("/shipments?limit=1").bodyAsJsonObject().getJsonArray("shipments").getJsonObject(0).getString("id");
            }
        }
        assertThat(Files.exists(dataDir.resolve("pg").resolve("PG_VERSION"))).isTrue();
        try (ShipgateApp second = TestApp.start(embedded)) {
            assertThat(second.firstToken()).as("the first token is created only once").isEmpty();
            try (Api api = new Api(second.config().httpPort(), TestApp.TOKEN)) {
                assertThat(api.get("/shipments?limit=100").bodyAsJsonObject().getJsonArray("shipments")).hasSize(25);
                assertThat(api.get("/shipments/" + id).statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    @DisplayName("pools that could exhaust the server are refused with the numbers")
    void connectionBudget() {
        assertThatThrownBy(() -> TestApp.start(Map.of("DATABASE_POOL_SIZE", "150", "DATABASE_MAX_OVERFLOW", "50",
                "DATABASE_RAW_POOL_SIZE", "100")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("305")
                .hasMessageContaining("max_connections");
    }

    @Test
    @DisplayName("closing lets a request in flight finish, and refuses new ones meanwhile")
    void drainsInFlightRequests() throws Exception {
        ShipgateApp app = TestApp.start(Map.of("EASYPOST_SIMULATOR_LATENCY_MS", "1500"));
        try (Api api = new Api(app.config().httpPort(), TestApp.TOKEN)) {
            var inFlight = api.client().post("/shipments").bearerTokenAuthentication(TestApp.TOKEN)
                    .sendJsonObject(Fixtures.newShipment("DRAIN")).toCompletionStage().toCompletableFuture();
            Await.until("the request to reach EasyPost", Duration.ofSeconds(10),
                    () -> app.gateway().status().getInteger("in_flight") == 1);
            Thread closer = new Thread(app::close);
            closer.start();
            Await.value("a new request to be refused while draining", Duration.ofSeconds(5),
                    () -> api.get("/shipments?limit=1").statusCode(), status -> status == 503);
            assertThat(inFlight).as("the request in flight is still running").isNotDone();
            assertThat(inFlight.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(201);
            closer.join(30_000);
            assertThat(closer.isAlive()).isFalse();
        }
    }
}
