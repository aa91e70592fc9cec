package dev.shipgate.mcp;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * MCP tools act through the service's own REST API over loopback, with the caller's token: an agent
 * gets exactly the validation, idempotency, limits and problems a REST client gets, from one place.
 */
final class ApiCall {

    record Answer(int status, Buffer body) {

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final WebClient client;

    ApiCall(Vertx vertx, String host, int port) {
        String loopback = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost(loopback).setDefaultPort(port)
                .setMaxPoolSize(32).setKeepAlive(true));
    }

    Future<Answer> send(HttpMethod method, String uri, String authorization, Buffer body, String idempotencyKey) {
        HttpRequest<Buffer> request = client.request(method, uri).putHeader("Authorization", authorization);
        if (idempotencyKey != null) {
            request.putHeader("Idempotency-Key", idempotencyKey);
        }
        Future<io.vertx.ext.web.client.HttpResponse<Buffer>> sent = body == null ? request.send()
                : request.putHeader("Content-Type", "application/json").sendBuffer(body);
        return sent.map(r -> new Answer(r.statusCode(), r.body() == null ? Buffer.buffer() : r.body()));
    }
}
