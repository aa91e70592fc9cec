package dev.shipgate.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts requests in flight across every HTTP verticle so SIGTERM can wait for them. Once draining,
 * new requests get a 503 with {@code Connection: close}, readiness turns false, and load balancers move
 * traffic elsewhere while accepted work finishes.
 */
public final class Drain implements Handler<RoutingContext> {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();

    @Override
    public void handle(RoutingContext ctx) {
        if (draining.get()) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            Responses.problem(ctx, Problem.of(ProblemType.SERVICE_UNAVAILABLE, "the service is shutting down"));
            return;
        }
        inFlight.incrementAndGet();
        ctx.addEndHandler(done -> inFlight.decrementAndGet());
        ctx.next();
    }

    public void start() {
        draining.set(true);
    }

    public boolean draining() {
        return draining.get();
    }

    public int inFlight() {
        return inFlight.get();
    }
}
