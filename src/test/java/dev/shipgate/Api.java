package dev.shipgate;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.concurrent.TimeUnit;

/** A real HTTP client for tests, blocking on the test thread (never on an event loop). */
public final class Api implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final WebClient client;
    private final String token;

    public Api(int port, String token) {
        this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
        this.token = token;
    }

    public HttpResponse<Buffer> get(String uri) {
        return send(HttpMethod.GET, uri, null);
    }

    public HttpResponse<Buffer> post(String uri, Object body) {
        return send(HttpMethod.POST, uri, body instanceof JsonObject json ? json.toBuffer() : Buffer.buffer(body.toString()));
    }

    /** A JSON POST with an {@code Idempotency-Key} (none when {@code idempotencyKey} is null); waits up to 60 s. */
    public HttpResponse<Buffer> post(String uri, JsonObject body, String idempotencyKey) {
        HttpRequest<Buffer> request = client.post(uri).timeout(60_000);
        if (token != null) {
            request.bearerTokenAuthentication(token);
        }
        if (idempotencyKey != null) {
            request.putHeader("Idempotency-Key", idempotencyKey);
        }
        try {
            return request.sendJsonObject(body).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("POST " + uri + " failed: " + e, e);
        }
    }

    public HttpResponse<Buffer> send(HttpMethod method, String uri, Buffer body) {
        HttpRequest<Buffer> request = client.request(method, uri);
        if (token != null) {
            request.bearerTokenAuthentication(token);
        }
        try {
            return (body == null ? request.send() : request.putHeader("content-type", "application/json").sendBuffer(body))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + uri + " failed: " + e, e);
        }
    }

    public WebClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        vertx.close();
    }
}
