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
 * gets exactly the validation, idempotency, scopes, spend limits and problems a REST client gets, from one
 * place. The agent's MCP client is named in the {@code User-Agent} so the audit trail can tell which
 * client spent money.
 */
final class ApiCall {

    record Answer(int status, Buffer body) {

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * Who calls: the bearer {@code Authorization} header as the MCP client sent it, and the client's
     * {@code clientInfo} (from initialize, or from the request's {@code _meta} in revision 2026-07-28)
     * as {@code name/version (MCP)}, or null when the client gave none.
     */
    record Caller(String authorization, String userAgent) {

        static Caller of(String authorization, String clientName, String clientVersion) {
            if (clientName == null || clientName.isBlank()) {
                return new Caller(authorization, "unknown (MCP)");
            }
            String version = clientVersion == null || clientVersion.isBlank() ? "" : "/" + clientVersion;
            // Header values may not carry control characters; a client's name is its own, so keep it printable.
            return new Caller(authorization, (clientName + version).replaceAll("[^\\x20-\\x7e]", "?") + " (MCP)");
        }
    }

    private final WebClient client;

    ApiCall(Vertx vertx, String host, int port) {
        String loopback = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost(loopback).setDefaultPort(port)
                .setMaxPoolSize(32).setKeepAlive(true).setUserAgentEnabled(false));
    }

    Future<Answer> send(HttpMethod method, String uri, Caller caller, Buffer body, String idempotencyKey) {
        HttpRequest<Buffer> request = client.request(method, uri).putHeader("Authorization", caller.authorization());
        if (caller.userAgent() != null) {
            request.putHeader("User-Agent", caller.userAgent());
        }
        if (idempotencyKey != null) {
            request.putHeader("Idempotency-Key", idempotencyKey);
        }
        Future<io.vertx.ext.web.client.HttpResponse<Buffer>> sent = body == null ? request.send()
                : request.putHeader("Content-Type", "application/json").sendBuffer(body);
        return sent.map(r -> new Answer(r.statusCode(), r.body() == null ? Buffer.buffer() : r.body()));
    }
}
