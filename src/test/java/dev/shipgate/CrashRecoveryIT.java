package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.config.DatabaseUrl;
import dev.shipgate.easypost.EasyPostSimulator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service killed with SIGKILL after EasyPost acted and before the database heard of it: EasyPost
 * here is a simulator in the test's own JVM, so it outlives the service, and it keeps the answer back
 * until the kill. After a restart, exactly one EasyPost shipment per request is recorded and exactly one
 * label bought.
 */
@DisplayName("A crash between EasyPost's answer and the database write")
class CrashRecoveryIT {

    static ApartSimulator apart;
    static EasyPostSimulator simulator;
    static DatabaseUrl database;

    @BeforeAll
    static void startSimulator() throws Exception {
        apart = ApartSimulator.start();
        simulator = apart.simulator;
        database = TestDatabase.isolated("crash_recovery");
    }

    @AfterAll
    static void stopSimulator() {
        apart.close();
    }

    static Map<String, String> env(Path dir) throws Exception {
        Map<String, String> env = TestApp.againstSimulator(dir, simulator, database);
        env.put("PURCHASE_LEASE_SECONDS", "3");
        return env;
    }

    /** Sends the request from another thread and returns without waiting: its answer will never come. */
    static void sendAndForget(Api api, String uri, JsonObject body, String key) {
        var request = api.client().post(uri).bearerTokenAuthentication(TestApp.TOKEN);
        if (key != null) {
            request.putHeader("Idempotency-Key", key);
        }
        request.sendJsonObject(body);
    }

    /** Retries as a client would while the dead instance's claims run out; answers the first final answer. */
    static HttpResponse<Buffer> retryUntilSettled(Api api, String uri, JsonObject body, String key) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            HttpResponse<Buffer> response = api.post(uri, body, key);
            if (response.statusCode() != 409 && response.statusCode() < 500 || System.nanoTime() > deadline) {
                return response;
            }
            Thread.sleep(500);
        }
    }

    @Test
    @DisplayName("a shipment EasyPost created just before the kill is recorded once when the request is retried")
    void createSurvivesTheCrash(@TempDir Path dir) throws Exception {
        Map<String, String> env = env(dir);
        JsonObject body = Fixtures.newShipment("CRASH-CREATE");
        int before = simulator.shipmentIds().size();
        ServiceProcess first = ServiceProcess.start(dir, "first", env);
        try {
            first.awaitStarted();
            try (Api api = new Api(first.port, TestApp.TOKEN)) {
                simulator.script(EasyPostSimulator.APPLY_THEN_SILENCE);
                sendAndForget(api, "/shipments", body, "crash-create-1");
                Await.until("EasyPost to create the shipment", Duration.ofSeconds(30),
                        () -> simulator.shipmentIds().size() == before + 1);
            }
        } finally {
            first.kill();
        }
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM shipments WHERE reference = 'CRASH-CREATE'")).isZero();

        try (ServiceProcess second = ServiceProcess.start(dir, "second", env)) {
            second.awaitStarted();
            try (Api api = new Api(second.port, TestApp.TOKEN)) {
                HttpResponse<Buffer> retried = retryUntilSettled(api, "/shipments", body, "crash-create-1");
                assertThat(retried.statusCode()).as(retried.bodyAsString()).isEqualTo(201);
                assertThat(simulator.shipmentIds()).as("shipments made at EasyPost").hasSize(before + 1)
                        .contains(retried.bodyAsJsonObject().getString("easypost_id"));
            }
        }
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM shipments WHERE reference = 'CRASH-CREATE'")).isEqualTo(1);
    }

    @Test
    @DisplayName("a label EasyPost sold just before the kill is recorded, and bought only once, after the restart")
    void purchaseSurvivesTheCrash(@TempDir Path dir) throws Exception {
        Map<String, String> env = env(dir);
        String shipmentId;
        String easypostId;
        ServiceProcess first = ServiceProcess.start(dir, "first", env);
        try {
            first.awaitStarted();
            try (Api api = new Api(first.port, TestApp.TOKEN)) {
                HttpResponse<Buffer> created = api.post("/shipments", Fixtures.newShipment("CRASH-BUY"), null);
                assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
                shipmentId = created.bodyAsJsonObject().getString("id");
                easypostId = created.bodyAsJsonObject().getString("easypost_id");
                simulator.script(EasyPostSimulator.APPLY_THEN_SILENCE);
                sendAndForget(api, "/shipments/" + shipmentId + "/buy", new JsonObject().put("strategy", "cheapest"), null);
                Await.until("EasyPost to sell the label", Duration.ofSeconds(30),
                        () -> simulator.purchases(easypostId) == 1);
            }
        } finally {
            first.kill();
        }
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM shipments WHERE id = '" + shipmentId + "' AND label_url IS NULL"))
                .as("the label is not recorded yet").isEqualTo(1);

        try (ServiceProcess second = ServiceProcess.start(dir, "second", env)) {
            second.awaitStarted();
            try (Api api = new Api(second.port, TestApp.TOKEN)) {
                HttpResponse<Buffer> retried = retryUntilSettled(api, "/shipments/" + shipmentId + "/buy",
                        new JsonObject().put("strategy", "cheapest"), null);
                assertThat(retried.statusCode()).as(retried.bodyAsString()).isEqualTo(200);
                assertThat(retried.bodyAsJsonObject().getString("label_url")).isNotNull();
            }
        }
        assertThat(simulator.purchases(easypostId)).as("labels bought at EasyPost").isEqualTo(1);
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM shipments WHERE id = '" + shipmentId + "' AND label_url IS NOT NULL"))
                .isEqualTo(1);
    }

    @Test
    @DisplayName("a purchase lease a crash left behind is answered as interrupted, with Retry-After the seconds until it ends")
    void interruptedLeaseSaysWhenItEnds(@TempDir Path dir) throws Exception {
        Map<String, String> env = env(dir);
        env.put("PURCHASE_LEASE_SECONDS", "90");
        String shipmentId;
        String easypostId;
        ServiceProcess first = ServiceProcess.start(dir, "first", env);
        try {
            first.awaitStarted();
            try (Api api = new Api(first.port, TestApp.TOKEN)) {
                HttpResponse<Buffer> created = api.post("/shipments", Fixtures.newShipment("CRASH-LEASE"), null);
                assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
                shipmentId = created.bodyAsJsonObject().getString("id");
                easypostId = created.bodyAsJsonObject().getString("easypost_id");
                simulator.script(EasyPostSimulator.APPLY_THEN_SILENCE);
                sendAndForget(api, "/shipments/" + shipmentId + "/buy", new JsonObject().put("strategy", "cheapest"), null);
                Await.until("EasyPost to sell the label", Duration.ofSeconds(30), () -> simulator.purchases(easypostId) == 1);
            }
        } finally {
            first.kill();
        }
        try (ServiceProcess second = ServiceProcess.start(dir, "second", env)) {
            second.awaitStarted();
            try (Api api = new Api(second.port, TestApp.TOKEN)) {
                HttpResponse<Buffer> held = api.post("/shipments/" + shipmentId + "/buy", new JsonObject().put("strategy", "cheapest"), null);
                assertThat(held.statusCode()).as(held.bodyAsString()).isEqualTo(409);
                JsonObject problem = held.bodyAsJsonObject();
                assertThat(problem.getString("type")).endsWith("/purchase-in-progress");
                assertThat(problem.getBoolean("interrupted")).isTrue();
                assertThat(problem.getString("detail")).contains("interrupted");
                int retryAfter = problem.getInteger("retry_after");
                // the whole remaining lease (90 s less the restart), never the 2 s of a live purchase
                assertThat(retryAfter).isGreaterThan(30).isLessThanOrEqualTo(90);
                assertThat(held.getHeader("Retry-After")).isEqualTo(String.valueOf(retryAfter));
                assertThat(java.time.Instant.parse(problem.getString("lease_ends_at")))
                        .isBetween(java.time.Instant.now().plusSeconds(retryAfter - 5), java.time.Instant.now().plusSeconds(retryAfter + 1));
            }
        }
        assertThat(simulator.purchases(easypostId)).as("labels bought at EasyPost").isEqualTo(1);
    }
}
