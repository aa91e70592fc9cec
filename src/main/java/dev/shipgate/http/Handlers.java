package dev.shipgate.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * The one shape of a route handler: a method that turns the request into a future of its answer.
 * Success is written by {@link Responses}; any failure, thrown or returned, goes to the failure handler
 * ({@link ProblemHandler}), so no handler can leave a request hanging or write an error of its own.
 */
public final class Handlers {

    private Handlers() {
    }

    /** Answers the action's value as JSON with status 200. */
    public static <T> Handler<RoutingContext> json(Function<RoutingContext, Future<T>> action) {
        return json(200, action);
    }

    /** Answers the action's value as JSON with {@code status}. */
    public static <T> Handler<RoutingContext> json(int status, Function<RoutingContext, Future<T>> action) {
        return reply(ctx -> action.apply(ctx).map(value -> Reply.json(status, value)));
    }

    /** Answers with the action's reply as it is: for answers whose status depends on the outcome (health). */
    public static Handler<RoutingContext> reply(Function<RoutingContext, Future<Reply>> action) {
        return ctx -> run(ctx, action).onComplete(ar -> {
            if (ar.succeeded()) {
                Responses.reply(ctx, ar.result());
            } else {
                ctx.fail(ar.cause());
            }
        });
    }

    /** Runs the action; a problem it throws before returning a future fails that future instead. */
    static <T> Future<T> run(RoutingContext ctx, Function<RoutingContext, Future<T>> action) {
        try {
            return action.apply(ctx);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }
}
