package dev.shipgate.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** The guarded response writer: nothing is written twice or after the client has gone. */
public final class Responses {

    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

    private Responses() {
    }

    public static void json(RoutingContext ctx, int status, Buffer body) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body);
    }

    public static void json(RoutingContext ctx, Object body) {
        json(ctx, 200, Json.encode(body));
    }

    /** A status without a body, e.g. 202 for an accepted notification or 204 for a deletion. */
    public static void empty(RoutingContext ctx, int status) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status).end();
    }

    public static void problem(RoutingContext ctx, Problem problem) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            response.reset();
            return;
        }
        response.setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.CONTENT_TYPE)
                .end(problem.toJson().toBuffer());
    }
}
