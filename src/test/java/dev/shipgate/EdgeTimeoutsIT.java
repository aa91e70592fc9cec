package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.config.DatabaseUrl;
import dev.shipgate.config.EasyPostConfig;
import dev.shipgate.easypost.EasyPostSimulator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A service of its own with short limits (headers within 1 s, a whole request within 2 s, a heartbeat
 * every second on event streams), so slow clients and quiet streams can be shown in seconds, on a
 * database of its own, so that only its own bulk workers (whose EasyPost simulator the tests slow
 * down) take its jobs, and no job of its outlives it into another test's tables.
 */
@DisplayName("Time limits at the edge: slow clients and quiet event streams")
class EdgeTimeoutsIT {

    static ShipgateApp app;
    static int port;
    static Api api;

    @BeforeAll
    static void start() {
        DatabaseUrl db = TestDatabase.isolated("edge_timeouts");
        app = TestApp.start(Map.of("HTTP_HEADER_TIMEOUT_SECONDS", "1", "HTTP_REQUEST_TIMEOUT_SECONDS", "2",
                "SSE_HEARTBEAT_SECONDS", "1", "DATABASE_URL", "postgresql://" + db.user() + ":" + db.password() + "@"
                        + db.host() + ":" + db.port() + "/" + db.database()));
        port = app.config().httpPort();
        api = new Api(port, TestApp.TOKEN);
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    @DisplayName("two hundred clients sending their headers a byte at a time each get a 408 problem after the 1 s header limit")
    void slowHeaders() throws Exception {
        List<RawHttp> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                clients.add(new RawHttp(port).send("GET /health HTTP/1.1\r\nHost: slow\r\nX-Slow: "));
            }
            long started = System.nanoTime();
            while (System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(2_500)) {
                for (RawHttp client : clients) {
                    try {
                        client.send("a");
                    } catch (IOException closed) {
                        // the server has answered and closed; the next read shows what it said
                    }
                }
                Thread.sleep(250);
            }
            for (RawHttp client : clients) {
                String answer = client.readUntilClosed(1_000);
                assertThat(answer).startsWith("HTTP/1.1 408 ").containsIgnoringCase("content-type: application/problem+json");
                assertThat(new JsonObject(RawHttp.body(answer)).getString("detail")).contains("headers");
            }
        } finally {
            for (RawHttp client : clients) {
                client.close();
            }
        }
    }

    @Test
    @DisplayName("a body that stops arriving is answered 408 once the request has taken 2 s")
    void slowBody() throws Exception {
        try (RawHttp client = new RawHttp(port)) {
            long started = System.nanoTime();
            client.send("POST /shipments/batch-track HTTP/1.1\r\nHost: slow\r\nAuthorization: Bearer " + TestApp.TOKEN
                    + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"tracking_codes\":");
            String answer = client.readUntilClosed(5_000);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(answer).startsWith("HTTP/1.1 408 ");
            assertThat(new JsonObject(RawHttp.body(answer)).getInteger("status")).isEqualTo(408);
            assertThat(millis).isBetween(1_800L, 4_000L);
        }
    }

    @Test
    @DisplayName("a connection that sends nothing is closed after the header limit, without an answer")
    void silentConnection() throws Exception {
        try (RawHttp client = new RawHttp(port)) {
            assertThat(client.readUntilClosed(4_000)).isEmpty();
        }
    }

    @Test
    @DisplayName("a keep-alive connection may rest longer than the header limit between two requests")
    void keepAliveRestIsNotTimed() throws Exception {
        try (RawHttp client = new RawHttp(port)) {
            assertThat(client.send("GET /health/live HTTP/1.1\r\nHost: t\r\n\r\n").readOne(2_000)).startsWith("HTTP/1.1 200 ");
            Thread.sleep(1_600);
            assertThat(client.closedByServer(100)).isFalse();
            assertThat(client.send("GET /health/live HTTP/1.1\r\nHost: t\r\n\r\n").readOne(2_000)).startsWith("HTTP/1.1 200 ");
        }
    }

    @Test
    @DisplayName("HEAD on a running job's event stream ends at once, so the connection serves the next request without waiting for the job")
    void headOnEventStream() throws Exception {
        EasyPostSimulator simulator = app.gateway().simulator().orElseThrow();
        simulator.knobs(new EasyPostConfig.Simulator(3_000, 0, 0, 0));
        String id = api.post("/shipments/bulk-create", Fixtures.bulk(1, null)).bodyAsJsonObject().getString("id");
        try (RawHttp raw = new RawHttp(port)) {
            long started = System.nanoTime();
            String head = raw.send("HEAD /jobs/" + id + "/events HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + TestApp.TOKEN
                    + "\r\n\r\n").readOne(2_000);
            assertThat(head).startsWith("HTTP/1.1 200 ").containsIgnoringCase("content-type: text/event-stream");
            String next = raw.send("GET /health/live HTTP/1.1\r\nHost: t\r\n\r\n").readOne(2_000);
            assertThat(next).startsWith("HTTP/1.1 200 ").endsWith("{\"status\":\"UP\"}");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(1_500);
            assertThat(api.get("/jobs/" + id).bodyAsJsonObject().getJsonObject("job").getString("state"))
                    .as("the job was still running all along").isEqualTo("running");
        } finally {
            simulator.knobs(new EasyPostConfig.Simulator(0, 0, 0, 0));
            Await.job(api, id, java.time.Duration.ofSeconds(30));
        }
    }

    @Test
    @DisplayName("a job's event stream through nginx outlives a 2 s proxy read timeout while the job stalls 5 s, and ends with done")
    void quietStreamThroughNginx() throws Exception {
        Path dir = Files.createTempDirectory("shipgate-nginx-events");
        Path webroot = Files.createDirectories(dir.resolve("webroot"));
        Files.writeString(webroot.resolve("index.html"), "<!doctype html><title>Shipgate</title>");
        for (Path p : List.of(dir, webroot, webroot.resolve("index.html"))) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
        }
        EasyPostSimulator simulator = app.gateway().simulator().orElseThrow();
        try (NginxProcess nginx = NginxProcess.start(dir, webroot, "127.0.0.1:" + port, Map.of("EVENTS_READ_TIMEOUT", "2s"));
             Api edge = new Api(nginx.port(), TestApp.TOKEN)) {
            simulator.knobs(new EasyPostConfig.Simulator(5_000, 0, 0, 0));
            HttpResponse<Buffer> accepted = api.post("/shipments/bulk-create", Fixtures.bulk(1, null));
            assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
            String id = accepted.bodyAsJsonObject().getString("id");
            long started = System.nanoTime();
            HttpResponse<Buffer> stream = edge.client().get("/api/jobs/" + id + "/events").bearerTokenAuthentication(TestApp.TOKEN)
                    .timeout(30_000).send().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.getHeader("Content-Type")).isEqualTo("text/event-stream");
            String text = stream.bodyAsString();
            assertThat(text).contains(": keep-alive\n\n", "event: done", "\"percent\":100");
            assertThat(millis).as("the stream stayed open past the proxy's read timeout").isGreaterThan(4_000);
        } finally {
            simulator.knobs(new EasyPostConfig.Simulator(0, 0, 0, 0));
        }
    }
}
