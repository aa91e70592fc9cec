package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The nginx configuration itself, run by nginx/run.sh in front of the real service. */
@DisplayName("nginx in front of the service")
@RequiredTools.Needs({RequiredTools.Tool.NGINX})
class NginxIT {

    static final String FINGERPRINTED = "app.3f9a1c2b.js";
    static Path dir;
    static Path webroot;
    static String live;
    static NginxProcess nginx;
    static int port;
    static Api api;
    static Api anonymous;

    /**
     * One nginx in front of the run's service with the default edge limits, which these tests never reach;
     * the failover and rate-limit tests start nginx instances of their own, so neither the state of an
     * upstream nor a rate-limit bucket carries over from one test to another.
     */
    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("shipgate-nginx");
        webroot = Files.createDirectories(dir.resolve("webroot"));
        Files.writeString(webroot.resolve("index.html"), "<!doctype html><title>Shipgate</title><script src=\"/" + FINGERPRINTED + "\"></script>");
        Files.writeString(webroot.resolve(FINGERPRINTED), "console.log('shipgate');\n".repeat(200));
        Files.writeString(webroot.resolve("favicon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        for (Path p : List.of(dir, webroot, webroot.resolve("index.html"), webroot.resolve(FINGERPRINTED), webroot.resolve("favicon.svg"))) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
        }
        live = "127.0.0.1:" + TestApp.shared().config().httpPort();
        nginx = nginx("shared", live, Map.of());
        port = nginx.port();
        api = new Api(port, TestApp.TOKEN);
        anonymous = new Api(port, null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (api != null) {
            api.close();
            anonymous.close();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    static NginxProcess nginx(String name, String upstreams, Map<String, String> settings) throws Exception {
        return NginxProcess.start(Files.createDirectories(dir.resolve(name)), webroot, upstreams, settings);
    }

    @Test
    @DisplayName("index.html and app routes are never cached and carry the security headers")
    void indexNeverCached() {
        for (String uri : new String[] {"/", "/index.html", "/shipments/some-id"}) {
            HttpResponse<Buffer> page = anonymous.get(uri);
            assertThat(page.statusCode()).as(uri).isEqualTo(200);
            assertThat(page.bodyAsString()).contains("<title>Shipgate</title>");
            assertThat(page.getHeader("Cache-Control")).as(uri).isEqualTo("no-cache");
            assertThat(page.getHeader("Content-Security-Policy")).contains("frame-ancestors 'none'");
            assertThat(page.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(page.getHeader("Referrer-Policy")).isNotBlank();
        }
    }

    @Test
    @DisplayName("fingerprinted assets are cached a year, immutable, and gzipped")
    void fingerprintedImmutable() {
        HttpResponse<Buffer> asset = anonymous.client().get("/" + FINGERPRINTED).putHeader("Accept-Encoding", "gzip")
                .send().toCompletionStage().toCompletableFuture().join();
        assertThat(asset.statusCode()).isEqualTo(200);
        assertThat(asset.getHeader("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
        assertThat(asset.getHeader("Content-Type")).startsWith("application/javascript");
        assertThat(anonymous.get("/app.00000000.js").statusCode()).as("no fallback to index.html").isEqualTo(404);
    }

    @Test
    @DisplayName("other static files revalidate with their ETag")
    void othersRevalidate() {
        HttpResponse<Buffer> icon = anonymous.get("/favicon.svg");
        assertThat(icon.getHeader("Cache-Control")).isEqualTo("no-cache");
        String etag = icon.getHeader("ETag");
        assertThat(etag).isNotBlank();
        HttpResponse<Buffer> again = anonymous.client().get("/favicon.svg").putHeader("If-None-Match", etag).send()
                .toCompletionStage().toCompletableFuture().join();
        assertThat(again.statusCode()).isEqualTo(304);
    }

    @Test
    @DisplayName("a long request line reaches the service's 414 and headers too long for nginx get problem JSON")
    void oversizedRequestsGetProblems() {
        HttpResponse<Buffer> longLine = anonymous.get("/api/shipments?q=" + "a".repeat(12_000));
        assertThat(longLine.statusCode()).isEqualTo(414);
        assertThat(longLine.getHeader("Content-Type")).isEqualTo("application/problem+json");
        HttpResponse<Buffer> bigHeader = anonymous.client().get("/api/health").putHeader("X-Big", "b".repeat(20_000))
                .send().toCompletionStage().toCompletableFuture().join();
        assertThat(bigHeader.statusCode()).isEqualTo(431);
        assertThat(bigHeader.getHeader("Content-Type")).isEqualTo("application/problem+json");
        HttpResponse<Buffer> belowServiceLimit = anonymous.client().get("/api/health").putHeader("X-Big", "b".repeat(10_000))
                .send().toCompletionStage().toCompletableFuture().join();
        assertThat(belowServiceLimit.statusCode()).as("was nginx's HTML 400 while the service takes 16 KiB").isEqualTo(200);
    }

    @Test
    @DisplayName("/api/ reaches the service with the prefix stripped and the request id passed on")
    void apiPrefixStripped() {
        HttpResponse<Buffer> health = anonymous.client().get("/api/health").putHeader("X-Request-Id", "edge-test-1")
                .send().toCompletionStage().toCompletableFuture().join();
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.bodyAsJsonObject().getString("status")).isEqualTo("UP");
        assertThat(health.headers().getAll("X-Request-Id")).as("was sent twice, by nginx and the service")
                .containsExactly("edge-test-1");
        HttpResponse<Buffer> unauthorized = anonymous.get("/api/shipments");
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(unauthorized.getHeader("Content-Type")).isEqualTo("application/problem+json");
        assertThat(api.get("/api/shipments?limit=1").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("a bulk upload and its event stream work through /api/, the stream unbuffered to the end")
    void bulkThroughProxy() throws Exception {
        HttpResponse<Buffer> accepted = api.post("/api/shipments/bulk-create", Fixtures.bulk(5, null));
        assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
        String id = accepted.bodyAsJsonObject().getString("id");
        HttpResponse<Buffer> stream = api.client().get("/api/jobs/" + id + "/events").bearerTokenAuthentication(TestApp.TOKEN)
                .timeout(60_000).send().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertThat(stream.getHeader("content-type")).isEqualTo("text/event-stream");
        assertThat(stream.bodyAsString()).contains("event: progress", "event: done", "\"percent\":100");
    }

    @Test
    @DisplayName("MCP works through nginx's /mcp location")
    void mcpThroughProxy() {
        HttpResponse<Buffer> init = api.client().post("/mcp").bearerTokenAuthentication(TestApp.TOKEN)
                .putHeader("Accept", "application/json, text/event-stream")
                .sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize")
                        .put("params", new JsonObject().put("protocolVersion", "2025-11-25").put("capabilities", new JsonObject())
                                .put("clientInfo", new JsonObject().put("name", "edge").put("version", "1"))))
                .toCompletionStage().toCompletableFuture().join();
        assertThat(init.statusCode()).isEqualTo(200);
        assertThat(init.getHeader("Mcp-Session-Id")).isNotBlank();
        assertThat(init.bodyAsJsonObject().getJsonObject("result").getString("protocolVersion")).isEqualTo("2025-11-25");
    }

    @Test
    @DisplayName("with one instance down every request is answered by the live one, the dead one tried and skipped")
    void failover() throws Exception {
        String dead = "127.0.0.1:" + TestApp.freePort();
        try (NginxProcess edge = nginx("failover", dead + " " + live, Map.of());
             Api client = new Api(edge.port(), null)) {
            for (int i = 0; i < 6; i++) {
                assertThat(client.get("/health/live").statusCode()).isEqualTo(200);
            }
            List<String> log = Await.value("nginx to log the 6 requests", Duration.ofSeconds(5), edge::accessLog,
                    lines -> lines.size() == 6);
            List<String> upstreams = log.stream().map(line -> new JsonObject(line).getString("upstream")).toList();
            assertThat(upstreams).as("the dead instance was tried, then the live one answered")
                    .contains(dead + ", " + live);
            assertThat(upstreams).allMatch(u -> u.endsWith(live));
        }
    }

    @Test
    @DisplayName("webhooks pass without an edge token; the service checks the signature")
    void webhooksPassThrough() {
        HttpResponse<Buffer> hook = anonymous.post("/webhooks/easypost", new JsonObject().put("id", "evt_1"));
        assertThat(hook.statusCode()).isEqualTo(401);
        assertThat(hook.bodyAsJsonObject().getString("detail")).contains("X-Hmac-Signature");
    }

    @Test
    @DisplayName("bodies over the limit are refused at the edge as problem JSON")
    void bodyLimit() {
        JsonArray codes = new JsonArray();
        String code = "x".repeat(60);
        for (int i = 0; i < 20_000; i++) {
            codes.add(code);
        }
        HttpResponse<Buffer> large = api.post("/api/shipments/batch-track", new JsonObject().put("tracking_codes", codes));
        assertThat(large.statusCode()).isEqualTo(413);
        assertThat(large.getHeader("Content-Type")).isEqualTo("application/problem+json");
    }

    @Test
    @DisplayName("a burst over the edge rate limit is answered 429 as problem JSON")
    void edgeRateLimit() throws Exception {
        try (NginxProcess edge = nginx("rate-limit", live, Map.of("API_RATE", "20", "API_BURST", "20"));
             Api client = new Api(edge.port(), null)) {
            List<HttpResponse<Buffer>> responses = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                responses.add(client.get("/api/health/live"));
            }
            List<HttpResponse<Buffer>> limited = responses.stream().filter(r -> r.statusCode() == 429).toList();
            assertThat(limited).isNotEmpty();
            assertThat(limited.get(0).getHeader("Content-Type")).isEqualTo("application/problem+json");
            assertThat(limited.get(0).getHeader("Retry-After")).isEqualTo("1");
            assertThat(responses.stream().filter(r -> r.statusCode() == 200).count()).isGreaterThanOrEqualTo(20);
        }
    }
}
