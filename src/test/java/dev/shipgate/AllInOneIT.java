package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Without nginx the service itself serves the dashboard and the API on one origin. */
@DisplayName("the service alone serves the dashboard")
class AllInOneIT extends SharedAppTest {

    static Api anonymous;

    @BeforeAll
    static void open() {
        anonymous = new Api(TestApp.shared().config().httpPort(), null);
    }

    @AfterAll
    static void close() {
        anonymous.close();
    }

    private static HttpResponse<Buffer> send(io.vertx.ext.web.client.HttpRequest<Buffer> request) {
        return request.send().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    @DisplayName("the dashboard's page and files are public, revalidated, and carry the same CSP as behind nginx")
    void filesServed() {
        HttpResponse<Buffer> page = anonymous.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.bodyAsString()).contains("<title>Shipgate</title>", "/app/main.js");
        assertThat(page.getHeader("Cache-Control")).isEqualTo("no-cache");
        assertThat(page.getHeader("Content-Security-Policy")).contains("script-src 'self'", "frame-ancestors 'none'");
        assertThat(page.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");

        HttpResponse<Buffer> script = anonymous.get("/app/main.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.getHeader("Content-Type")).contains("javascript");
        String modified = script.getHeader("Last-Modified");
        assertThat(modified).isNotBlank();
        HttpResponse<Buffer> again = send(anonymous.client().get("/app/main.js").putHeader("If-Modified-Since", modified));
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(anonymous.get("/vendor/chart.js/chart.umd.min.js").statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("the API answers under /api/ too, with the same token check, query string and errors")
    void apiPrefix() {
        assertThat(anonymous.get("/api/shipments").statusCode()).isEqualTo(401);
        HttpResponse<Buffer> page = api.get("/api/shipments?limit=1");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.bodyAsJsonObject().getJsonArray("shipments").size()).isLessThanOrEqualTo(1);
        HttpResponse<Buffer> bad = api.get("/api/shipments?limit=0");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.getHeader("Content-Type")).isEqualTo("application/problem+json");
        assertThat(anonymous.get("/api/health").statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("cross-origin calls are allowed only from the configured origin")
    void corsOnlyForConfiguredOrigins() {
        HttpResponse<Buffer> preflight = send(anonymous.client().request(HttpMethod.OPTIONS, "/shipments")
                .putHeader("Origin", TestApp.DEV_ORIGIN)
                .putHeader("Access-Control-Request-Method", "POST")
                .putHeader("Access-Control-Request-Headers", "authorization, content-type, idempotency-key"));
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.getHeader("Access-Control-Allow-Origin")).isEqualTo(TestApp.DEV_ORIGIN);
        assertThat(preflight.getHeader("Access-Control-Allow-Headers")).containsIgnoringCase("idempotency-key");

        HttpResponse<Buffer> allowed = send(api.client().get("/shipments?limit=1").bearerTokenAuthentication(TestApp.TOKEN)
                .putHeader("Origin", TestApp.DEV_ORIGIN));
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.getHeader("Access-Control-Allow-Origin")).isEqualTo(TestApp.DEV_ORIGIN);

        HttpResponse<Buffer> foreign = send(api.client().get("/shipments?limit=1").bearerTokenAuthentication(TestApp.TOKEN)
                .putHeader("Origin", "https://evil.example"));
        assertThat(foreign.statusCode()).as("the browser, not the server, withholds the answer").isEqualTo(200);
        assertThat(foreign.getHeader("Access-Control-Allow-Origin")).isNull();
        HttpResponse<Buffer> foreignPreflight = send(anonymous.client().request(HttpMethod.OPTIONS, "/shipments")
                .putHeader("Origin", "https://evil.example").putHeader("Access-Control-Request-Method", "POST"));
        assertThat(foreignPreflight.getHeader("Access-Control-Allow-Origin")).isNull();
        assertThat(foreignPreflight.statusCode()).isGreaterThanOrEqualTo(400);
    }
}
