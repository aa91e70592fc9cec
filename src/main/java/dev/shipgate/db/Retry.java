package dev.shipgate.db;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Repeats a database write that must not be lost, such as recording a label EasyPost has already sold,
 * while PostgreSQL is briefly away (a restart, a failover, a full pool). Refusals by the database itself
 * (constraint violations, bad data: SQL state classes 22 and 23) are final and not repeated.
 */
public final class Retry {

    /** Waits between attempts, in milliseconds: about 30 s in all, longer than a PostgreSQL restart. */
    private static final long[] BACKOFF_MS = {50, 100, 250, 500, 1000, 2000, 4000, 8000, 16000};

    private Retry() {
    }

    /** Runs {@code write} until it succeeds, fails for good, or the backoff is spent (then fails with the last cause). */
    public static <T> Future<T> write(Vertx vertx, Supplier<Future<T>> write) {
        Promise<T> result = Promise.promise();
        attempt(vertx, write, 0, result);
        return result.future();
    }

    private static <T> void attempt(Vertx vertx, Supplier<Future<T>> write, int n, Promise<T> result) {
        Future<T> attempt;
        try {
            attempt = write.get();
        } catch (RuntimeException e) {
            attempt = Future.failedFuture(e);
        }
        attempt.onComplete(ar -> {
            if (ar.succeeded()) {
                result.complete(ar.result());
            } else if (n < BACKOFF_MS.length && transientFailure(ar.cause())) {
                vertx.setTimer(BACKOFF_MS[n], id -> attempt(vertx, write, n + 1, result));
            } else {
                result.fail(ar.cause());
            }
        });
    }

    /** Whether the failure says nothing about the data: the connection, not the statement, failed. */
    public static boolean transientFailure(Throwable failure) {
        PgException pg = pgException(failure);
        if (pg != null) {
            String state = pg.getSqlState();
            return state == null || !(state.startsWith("22") || state.startsWith("23") || state.startsWith("42"));
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof dev.shipgate.http.ProblemException) {
                return false;
            }
        }
        return true;
    }

    /** The SQL state of a database refusal under any wrapping (Hibernate, CompletionException), or null. */
    public static String sqlState(Throwable failure) {
        PgException pg = pgException(failure);
        return pg == null ? null : pg.getSqlState();
    }

    private static PgException pgException(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg) {
                return pg;
            }
            if (t instanceof CompletionException && t.getCause() == null) {
                return null;
            }
        }
        return null;
    }
}
