package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.auth.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@DisplayName("Health, metrics, tokens and errors")
@ExtendWith(VertxExtension.class)
class OpsAndAuthIT {

    static Api api;
    static Api anonymous;

    @BeforeAll
    static void start() {
        int port = TestApp.shared().config().httpPort();
        api = new Api(port, TestApp.TOKEN);
        anonymous = new Api(port, null);
    }

    @AfterAll
    static void close() {
        api.close();
        anonymous.close();
    }

    @Test
    @DisplayName("/health reports the database, EasyPost and both pools without a token")
    void health() {
        var response = anonymous.get("/health");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject body = response.bodyAsJsonObject();
        assertThat(body.getString("status")).isEqualTo("UP");
        assertThat(body.getJsonObject("database").getString("status")).isEqualTo("UP");
        assertThat(body.getJsonObject("database").getJsonObject("connections").getLong("total")).isPositive();
        assertThat(body.getJsonObject("easypost").getString("mode")).isEqualTo("simulated");
        assertThat(body.getJsonObject("easypost").getString("breaker")).isEqualTo("CLOSED");
        var config = TestApp.shared().config();
        for (String pool : new String[] {"orm", "raw"}) {
            JsonObject stats = body.getJsonObject("pool").getJsonObject(pool);
            assertThat(stats.fieldNames()).contains("max", "size", "active", "idle", "waiting");
            assertThat(stats.getInteger("max")).as(pool + "'s ceiling, as configured")
                    .isEqualTo(pool.equals("orm") ? config.ormPoolMax() : config.rawPoolSize());
        }
        assertThat(anonymous.get("/health/live").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/health/ready").bodyAsJsonObject().getString("status")).isEqualTo("UP");
    }

    @Test
    @DisplayName("an instance whose EasyPost key is refused (401): /health stays 200 UP but its easypost part is DOWN with the reason")
    void refusedEasyPostKey(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        var simulator = TestApp.shared().gateway().simulator().orElseThrow();
        java.util.Map<String, String> env = new java.util.HashMap<>(TestApp.againstSimulator(dir, simulator, TestDatabase.url()));
        env.put("EASYPOST_API_KEY", "EZTK_simkey");
        env.put("EASYPOST_CHECK_KEY_AT_START", "true");
        env.put("SHIPGATE_API_TOKEN", TestApp.TOKEN);
        try (ShipgateApp wrong = TestApp.start(env); Api client = new Api(wrong.config().httpPort(), TestApp.TOKEN)) {
            // a fresh-user trial started with a wrong key and saw easypost UP until the first purchase failed: the
            // start asks EasyPost for the carrier accounts, so the refusal shows before any request
            JsonObject early = null;
            for (int i = 0; i < 100; i++) {
                early = client.get("/health").bodyAsJsonObject().getJsonObject("easypost");
                if ("DOWN".equals(early.getString("status"))) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(early.getString("status")).as("DOWN from the start, no request made").isEqualTo("DOWN");
            assertThat(early.getString("error")).contains("EasyPost refused the API key (401");
            assertThat(early.getString("refused_since")).isNotBlank();
            for (int i = 0; i < 3; i++) {
                var created = client.post("/shipments", Fixtures.newShipment("refused-key-" + i + "-" + UUID.randomUUID()));
                assertThat(created.statusCode()).isEqualTo(502);
                assertThat(created.bodyAsJsonObject().getString("detail")).contains("EasyPost answered 401");
            }
            var health = client.get("/health");
            assertThat(health.statusCode()).as("an EasyPost-side refusal, like an open breaker, does not pull the instance")
                    .isEqualTo(200);
            JsonObject body = health.bodyAsJsonObject();
            assertThat(body.getString("status")).isEqualTo("UP");
            JsonObject easypost = body.getJsonObject("easypost");
            assertThat(easypost.getString("status")).as("was UP while every call was refused").isEqualTo("DOWN");
            assertThat(easypost.getString("breaker")).isEqualTo("CLOSED");
            assertThat(easypost.getString("error")).contains("EasyPost refused the API key (401");
            assertThat(health.bodyAsString()).doesNotContain("EZTK_simkey");
            assertThat(client.get("/metrics").bodyAsString()).contains("shipgate_easypost_key_refused 1.0");
        }
        assertThat(anonymous.get("/health").bodyAsJsonObject().getJsonObject("easypost").getString("status"))
                .as("the instance with the right key").isEqualTo("UP");
    }

    @Test
    @DisplayName("/metrics needs a token and serves Prometheus text with HTTP, pool and JVM metrics")
    void metrics() {
        api.get("/shipments?limit=1");
        assertThat(anonymous.get("/metrics").statusCode()).isEqualTo(401);
        var scrape = api.get("/metrics");
        assertThat(scrape.statusCode()).isEqualTo(200);
        String text = scrape.bodyAsString();
        assertThat(text).contains("vertx_http_server_requests_total", "vertx_pool_in_use{", "pool_name=\"raw\"",
                "jvm_memory_used_bytes",
                "shipgate_easypost_in_flight", "shipgate_easypost_breaker_state");
    }

    @Test
    @DisplayName("/metrics has a histogram of the raw pool's wait for a connection and open connections per event loop")
    void tailMetrics() {
        api.get("/shipments?limit=1");
        String text = api.get("/metrics").bodyAsString();
        assertThat(text).contains("vertx_pool_queue_time_seconds_bucket{pool_name=\"raw\",pool_type=\"sql\",le=\"0.001\",}",
                "vertx_pool_queue_time_seconds_bucket{pool_name=\"raw\",pool_type=\"sql\",le=\"0.025\",}");
        // this client's own keep-alive connection is open on one of the loops while it scrapes
        var open = java.util.regex.Pattern.compile("shipgate_http_connections\\{event_loop=\"vert\\.x-eventloop-thread-\\d+\",?\\} ([0-9.]+)")
                .matcher(text).results().mapToDouble(m -> Double.parseDouble(m.group(1))).sum();
        assertThat(open).isGreaterThanOrEqualTo(1);
    }

    @Test
    @DisplayName("no token, a wrong token and a malformed header are 401 with WWW-Authenticate")
    void unauthorized() {
        for (String uri : new String[] {"/shipments", "/shipments/" + UUID.randomUUID(), "/analytics/2026-01-01", "/nowhere"}) {
            var response = anonymous.get(uri);
            assertThat(response.statusCode()).as(uri).isEqualTo(401);
            assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
            assertThat(response.getHeader("content-type")).isEqualTo("application/problem+json");
        }
        try (Api wrong = new Api(TestApp.shared().config().httpPort(), "sg_not_a_real_token_at_all_000000")) {
            var response = wrong.get("/shipments");
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.getHeader("WWW-Authenticate")).contains("invalid_token");
        }
        var badScheme = api.client().get("/shipments").putHeader("Authorization", "Basic dXNlcjpwYXNz").send()
                .toCompletionStage().toCompletableFuture().join();
        assertThat(badScheme.statusCode()).isEqualTo(401);
    }

    @Test
    @DisplayName("a token created by the CLI works at once, is stored only as a digest, and a revoked one is refused")
    void storedTokens() {
        String token = Tokens.create(TestDatabase.url(), "integration-test");
        assertThat(TestDatabase.count("SELECT count(*) FROM api_tokens WHERE name = 'integration-test'")).isEqualTo(1);
        assertThat(TestDatabase.count("SELECT count(*) FROM api_tokens WHERE encode(token_hash, 'escape') LIKE '%"
                + token.substring(3, 20) + "%'")).isZero();
        try (Api holder = new Api(TestApp.shared().config().httpPort(), token)) {
            assertThat(holder.get("/shipments?limit=1").statusCode()).isEqualTo(200);
        }
        String revoked = Tokens.create(TestDatabase.url(), "revoked-before-use");
        TestDatabase.execute("UPDATE api_tokens SET revoked_at = now() WHERE name = 'revoked-before-use'");
        try (Api holder = new Api(TestApp.shared().config().httpPort(), revoked)) {
            assertThat(holder.get("/shipments?limit=1").statusCode()).isEqualTo(401);
        }
    }

    @Test
    @DisplayName("unknown routes are 404 and wrong methods 405, as problem JSON")
    void notFoundAndWrongMethod() {
        var notFound = api.get("/no/such/thing");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.getHeader("content-type")).isEqualTo("application/problem+json");
        var wrongMethod = api.send(HttpMethod.DELETE, "/shipments/" + UUID.randomUUID(), null);
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.bodyAsJsonObject().getInteger("status")).isEqualTo(405);
    }

    @Test
    @DisplayName("two hundred concurrent reads all succeed across the event loops")
    void concurrentReads(Vertx vertx, VertxTestContext testContext) {
        WebClient client = WebClient.create(vertx);
        int port = TestApp.shared().config().httpPort();
        Checkpoint answered = testContext.checkpoint(200);
        for (int i = 0; i < 200; i++) {
            String uri = i % 2 == 0 ? "/shipments?limit=5" : "/analytics/2026-06-15";
            client.get(port, "127.0.0.1", uri).bearerTokenAuthentication(TestApp.TOKEN).send()
                    .onComplete(testContext.succeeding(response -> testContext.verify(() -> {
                        assertThat(response.statusCode()).isEqualTo(200);
                        answered.flag();
                    })));
        }
    }
}
