package dev.shipgate.http;

import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** Echoes the caller's (or nginx's) {@code X-Request-Id}, or makes one, so a request can be followed in logs. */
final class RequestId {

    static final String HEADER = "X-Request-Id";

    private RequestId() {
    }

    static void handle(RoutingContext ctx) {
        String id = ctx.request().getHeader(HEADER);
        if (id == null || id.isEmpty() || id.length() > 128 || !id.matches("[A-Za-z0-9._:-]+")) {
            id = UUID.randomUUID().toString();
        }
        ctx.put(HEADER, id);
        ctx.response().putHeader(HEADER, id);
        ctx.next();
    }
}
