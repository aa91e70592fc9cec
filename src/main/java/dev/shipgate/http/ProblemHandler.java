package dev.shipgate.http;

import dev.shipgate.db.DatabaseStatus;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.pgclient.PgException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns a failure into a response: known problems as they are, database and
 * framework failures mapped to their status, anything else a 500 whose stack trace goes to the log,
 * never to the client. A database that cannot be used (down, restarting, out of pool connections) is a
 * 503 with {@code Retry-After} that says which, logged once per outage by {@link DatabaseStatus}.
 */
public final class ProblemHandler implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

    @Override
    public void handle(RoutingContext ctx) {
        Problem problem = toProblem(ctx);
        if (problem.extensions().containsKey("retry_after")) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(problem.extensions().getValue("retry_after")));
        } else if (problem.status() == 503 || problem.status() == 429) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
        }
        if (problem.status() == 405 && ctx.response().headers().contains(HttpHeaders.ALLOW)) {
            problem = Problem.of(ProblemType.METHOD_NOT_ALLOWED,
                    ctx.request().method() + " is not allowed here; allowed: " + ctx.response().headers().get(HttpHeaders.ALLOW));
        }
        Responses.problem(ctx, problem);
    }

    private Problem toProblem(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        ProblemException known = find(failure, ProblemException.class);
        if (known != null) {
            return known.problem();
        }
        if (failure instanceof HttpException he) {
            return forStatus(he.getStatusCode(), ctx);
        }
        Optional<DatabaseStatus.Trouble> trouble = DatabaseStatus.troubleOf(failure);
        if (trouble.isPresent()) {
            DatabaseStatus.of(ctx.vertx()).requestFailed(trouble.get(), failure);
            return databaseTrouble(trouble.get());
        }
        PgException pg = find(failure, PgException.class);
        if (pg != null) {
            return fromDatabase(pg, ctx);
        }
        if (failure == null && ctx.statusCode() > 0 && ctx.statusCode() < 500) {
            return forStatus(ctx.statusCode(), ctx);
        }
        LOG.error("unhandled failure on {} {}", ctx.request().method(), ctx.normalizedPath(), failure);
        return Problem.of(ProblemType.INTERNAL_ERROR, "the request failed on the server; it has been logged");
    }

    private static Problem forStatus(int status, RoutingContext ctx) {
        return switch (status) {
            case 400 -> Problem.of(ProblemType.BAD_REQUEST, "the request is malformed");
            case 401 -> Problem.of(ProblemType.UNAUTHORIZED, "a valid bearer token is required");
            case 404 -> Problem.of(ProblemType.NOT_FOUND, "no resource at " + ctx.normalizedPath());
            case 405 -> Problem.of(ProblemType.METHOD_NOT_ALLOWED, ctx.request().method() + " is not allowed on " + ctx.normalizedPath());
            case 413 -> Problem.of(ProblemType.PAYLOAD_TOO_LARGE, "the request body exceeds the size limit");
            case 415 -> Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, "send application/json");
            default -> status >= 500
                    ? Problem.of(ProblemType.SERVER_ERROR, "the request failed on the server").withStatus(status)
                    : Problem.of(ProblemType.REQUEST_FAILED, null).withStatus(status);
        };
    }

    private static Problem fromDatabase(PgException pg, RoutingContext ctx) {
        String state = pg.getSqlState() == null ? "" : pg.getSqlState();
        if (state.equals("23505")) {
            return Problem.of(ProblemType.CONFLICT, "a record with the same unique value already exists");
        }
        if (state.startsWith("23") || state.startsWith("22")) {
            String column = pg.getColumn() != null ? pg.getColumn() : pg.getConstraint();
            return Problem.invalid(422, "the database rejected a value: " + pg.getErrorMessage(),
                    column == null ? List.of() : List.of(new Problem.InvalidParam(column, pg.getErrorMessage())));
        }
        LOG.error("database failure on {} {}", ctx.request().method(), ctx.normalizedPath(), pg);
        return Problem.of(ProblemType.INTERNAL_ERROR, "the request failed on the server; it has been logged");
    }

    /** Failures arrive wrapped (CompletionException from Hibernate's stages, HibernateException): look inside. */
    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** Honest about which: a client may retry soon either way, but "busy" and "down" call for different operators. */
    static Problem databaseTrouble(DatabaseStatus.Trouble trouble) {
        return trouble == DatabaseStatus.Trouble.BUSY
                ? Problem.of(ProblemType.SERVICE_UNAVAILABLE,
                        "database busy: no database connection came free in time; retry shortly").retryAfter(1)
                : Problem.of(ProblemType.SERVICE_UNAVAILABLE,
                        "database unavailable: the service cannot reach PostgreSQL (down or restarting); retry shortly")
                        .retryAfter(5);
    }
}
