package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.auth.Tokens;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Routing at the edge: what is public, the /api/ prefix, HEAD, oversized requests")
class EdgeRoutingIT extends SharedAppTest {

    static final Set<String> PUBLIC = Set.of("GET /health", "GET /health/live", "GET /health/ready", "GET /openapi.json",
            "GET /docs", "POST /webhooks/easypost",
            // the built-in simulator's documents, public as EasyPost's own label and form links are (unguessable ids)
            "GET /sim-files/files/postage_label/{}", "GET /sim-files/files/batch_label/{}", "GET /sim-files/forms/{}",
            "GET /sim-files/files/scan_form/{}");
    static Api anonymous;
    static int port;

    @BeforeAll
    static void open() {
        port = TestApp.shared().config().httpPort();
        anonymous = new Api(port, null);
    }

    @AfterAll
    static void close() {
        anonymous.close();
    }

    static String concrete(String operation) {
        return operation.substring(operation.indexOf(' ') + 1).replace("{}", UUID.randomUUID().toString());
    }

    static HttpMethod method(String operation) {
        return HttpMethod.valueOf(operation.substring(0, operation.indexOf(' ')));
    }

    @Test
    @DisplayName("every operation but health, docs, the OpenAPI description and webhooks answers 401 without a token, at / and under /api/")
    void onlyTheListedRoutesArePublic() {
        Set<String> operations = TestApp.shared().operations();
        assertThat(operations).containsAll(PUBLIC).hasSizeGreaterThan(PUBLIC.size() + 10);
        List<String> open = new ArrayList<>();
        for (String operation : operations) {
            for (String prefix : new String[] {"", "/api"}) {
                HttpResponse<Buffer> response = anonymous.send(method(operation), prefix + concrete(operation),
                        method(operation) == HttpMethod.POST ? Buffer.buffer("{}") : null);
                boolean refused = response.statusCode() == 401
                        && String.valueOf(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
                if (refused == PUBLIC.contains(operation)) {
                    open.add(prefix + operation + " -> " + response.statusCode());
                }
            }
        }
        assertThat(open).isEmpty();
    }

    @Test
    @DisplayName("HEAD answers like GET without a body on every GET route, with the same status and type")
    void headLikeGet() {
        List<String> different = new ArrayList<>();
        int checked = 0;
        for (String operation : TestApp.shared().operations()) {
            if (method(operation) != HttpMethod.GET) {
                continue;
            }
            String uri = concrete(operation);
            HttpResponse<Buffer> get = api.get(uri);
            HttpResponse<Buffer> head = api.send(HttpMethod.HEAD, uri, null);
            checked++;
            if (head.statusCode() != get.statusCode()
                    || !String.valueOf(head.getHeader("Content-Type")).equals(String.valueOf(get.getHeader("Content-Type")))
                    || head.body() != null && head.body().length() > 0) {
                different.add(operation + ": GET " + get.statusCode() + " " + get.getHeader("Content-Type") + ", HEAD "
                        + head.statusCode() + " " + head.getHeader("Content-Type") + " body " + head.body());
            }
            boolean streamed = get.getHeader("Content-Length") == null;
            if (streamed != (head.getHeader("Content-Length") == null)) {
                different.add(operation + ": GET Content-Length " + get.getHeader("Content-Length") + ", HEAD Content-Length "
                        + head.getHeader("Content-Length") + " (a HEAD carries the GET's length unless the GET streams)");
            }
        }
        assertThat(checked).isGreaterThan(8);
        assertThat(different).isEmpty();
    }

    @Test
    @DisplayName("HEAD carries the Content-Length its GET has, body or not (it had none)")
    void headCarriesTheLength() {
        for (String uri : new String[] {"/openapi.json", "/docs", "/api/openapi.json"}) {
            HttpResponse<Buffer> get = anonymous.get(uri);
            HttpResponse<Buffer> head = anonymous.send(HttpMethod.HEAD, uri, null);
            assertThat(get.statusCode()).as(uri).isEqualTo(200);
            assertThat(head.getHeader("Content-Length")).as(uri).isEqualTo(String.valueOf(get.body().length()));
            assertThat(head.body()).as(uri).isNull();
        }
        HttpResponse<Buffer> live = anonymous.send(HttpMethod.HEAD, "/health/live", null);
        assertThat(live.getHeader("Content-Length")).isEqualTo(String.valueOf(anonymous.get("/health/live").body().length()));
    }

    @Test
    @DisplayName("uptime monitors probe /health, /health/live and /health/ready with HEAD and no token: 200, no body")
    void headHealthWithoutToken() {
        for (String uri : new String[] {"/health", "/health/live", "/health/ready", "/api/health/live"}) {
            HttpResponse<Buffer> head = anonymous.send(HttpMethod.HEAD, uri, null);
            assertThat(head.statusCode()).as(uri).isEqualTo(200);
            assertThat(head.getHeader("Content-Type")).as(uri).isEqualTo("application/json");
            assertThat(head.body()).as(uri).isNull();
        }
        assertThat(anonymous.send(HttpMethod.HEAD, "/shipments", null).statusCode()).isEqualTo(401);
    }

    @Test
    @DisplayName("/api/ is stripped once: /api/ repeated 700 times answers 401, or 404 with a token, at once")
    void apiPrefixStrippedOnce() throws Exception {
        String deep = "/api".repeat(700) + "/health";
        long started = System.nanoTime();
        HttpResponse<Buffer> refused = anonymous.get(deep);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.getHeader("Content-Type")).isEqualTo("application/problem+json");
        HttpResponse<Buffer> missing = api.get(deep);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.getHeader("Content-Type")).isEqualTo("application/problem+json");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5_000);
        assertThat(api.get("/api/api/shipments?limit=1").statusCode()).isEqualTo(404);
        assertThat(api.get("/api/shipments?limit=1").statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("a doubled slash before the prefix, //api/health, is the health check, not a 500")
    void doubledSlash() {
        HttpResponse<Buffer> health = anonymous.get("//api/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.bodyAsJsonObject().getString("status")).isEqualTo("UP");
    }

    @Test
    @DisplayName("a request line over 8 KiB is 414 and headers over 16 KiB are 431, as problem JSON, and the connection closes")
    void oversizedRequestsAnswerProblems() throws Exception {
        try (RawHttp raw = new RawHttp(port)) {
            String answer = raw.send("GET /shipments?q=" + "x".repeat(9_000) + " HTTP/1.1\r\nHost: t\r\n\r\n").readUntilClosed(5_000);
            assertThat(answer).matches("(?s)HTTP/1\\.[01] 414 .*").containsIgnoringCase("content-type: application/problem+json");
            assertThat(new JsonObject(RawHttp.body(answer)).getInteger("status")).isEqualTo(414);
        }
        try (RawHttp raw = new RawHttp(port)) {
            String answer = raw.send("GET /health HTTP/1.1\r\nHost: t\r\nX-Padding: " + "y".repeat(20_000) + "\r\n\r\n")
                    .readUntilClosed(5_000);
            assertThat(answer).matches("(?s)HTTP/1\\.[01] 431 .*").containsIgnoringCase("content-type: application/problem+json");
            assertThat(new JsonObject(RawHttp.body(answer)).getString("title")).isEqualTo("Request header fields too large");
        }
    }

    @Test
    @DisplayName("a POST under a stored token keeps its body while the token is first looked up")
    void bodyKeptDuringTokenLookup() {
        String token = Tokens.create(TestDatabase.url(), "first-use-" + UUID.randomUUID());
        try (Api holder = new Api(port, token)) {
            HttpResponse<Buffer> tracked = holder.post("/shipments/batch-track",
                    new JsonObject().put("tracking_codes", new JsonArray().add("EZ_NOT_A_KNOWN_CODE")));
            assertThat(tracked.statusCode()).as(tracked.bodyAsString()).isEqualTo(200);
        }
    }
}
