package dev.shipgate.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.HexFormat;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Idempotency-Key} for every POST that creates or spends, with the semantics of the IETF
 * "Idempotency-Key HTTP Header Field" draft and Stripe's API. The first request with a key claims it in
 * PostgreSQL and runs; only a completed outcome is stored: a success, or a refusal that will not change on
 * a retry. A repeat with the same body gets the stored answer ({@code Idempotent-Replayed: true}); with
 * another body a 422; while the first is still running a 409. A conflict (409), a rate limit (429), a
 * timeout (408) or a server-side failure (5xx) is never stored: the key is released (retried until the
 * database takes it) so the client's retry runs again. A running request renews its claim every
 * {@value #RENEW_SECONDS} s; a claim left by a crash expires after {@value #LOCK_SECONDS} s.
 */
public final class Idempotency {

    public static final String HEADER = "Idempotency-Key";
    /**
     * Routing-context key of the request's identity when it carries an {@code Idempotency-Key}: the token's
     * scope and the key, stable across retries, for actions that must find what an earlier attempt did.
     */
    public static final String REQUEST_KEY = "idempotency.request-key";
    /**
     * How long a claim holds without renewal: the longest a key stays busy after the instance running its
     * request died (a fresh-user trial saw 14 s of 409s after a kill -9; it was 30 s at most then).
     */
    static final int LOCK_SECONDS = 15;
    static final int RENEW_SECONDS = 5;
    /** How long a client is asked to wait before retrying a key that is busy, in seconds. */
    static final int RETRY_AFTER_SECONDS = 1;
    private static final long[] RELEASE_BACKOFF_MS = {100, 250, 500, 1000, 2000, 4000, 8000, 16000};
    private static final Logger LOG = LoggerFactory.getLogger(Idempotency.class);

    /** What retention deletes for idempotency: completed answers older than a day. */
    public static final String EXPIRE = IdempotencySql.EXPIRE;

    private final Vertx vertx;
    private final Pool pool;

    public Idempotency(Vertx vertx, Pool pool) {
        this.vertx = vertx;
        this.pool = pool;
    }

    /**
     * Whether an outcome is final and may be replayed for a day. Conflicts, rate limits, timeouts and
     * server-side failures describe a moment, not the request: a retry may well succeed.
     */
    static boolean storable(int status) {
        return status < 500 && status != 408 && status != 409 && status != 425 && status != 429;
    }

    /**
     * A route handler that runs {@code action} at most once per key and answers its value as JSON with
     * {@code status}; a repeat gets the stored answer. The same shape as {@link Handlers#json(int, Function)}.
     */
    public <T> Handler<RoutingContext> guard(int status, Function<RoutingContext, Future<T>> action) {
        return replies(ctx -> action.apply(ctx).map(value -> Reply.json(status, value)));
    }

    /**
     * As {@link #guard(int, Function)}, for an action whose status depends on its outcome (a purchase is
     * 200 when bought, 202 when it waits for a person's approval).
     */
    public Handler<RoutingContext> replies(Function<RoutingContext, Future<Reply>> action) {
        return replies(action, Function.identity());
    }

    /**
     * As {@link #replies(Function)}, for an answer that holds a secret shown once (a new token): the
     * client gets {@code action}'s answer, but what is stored for a repeat of the key is
     * {@code storedAs} of it, e.g. a 409 naming what was created, never the secret itself.
     */
    public Handler<RoutingContext> secretOnce(Function<RoutingContext, Future<Reply>> action, Function<Reply, Reply> storedAs) {
        return replies(action, storedAs);
    }

    private Handler<RoutingContext> replies(Function<RoutingContext, Future<Reply>> action, Function<Reply, Reply> storedAs) {
        return ctx -> {
            String key = ctx.request().getHeader(HEADER);
            if (key == null) {
                Handlers.reply(action).handle(ctx);
                return;
            }
            if (key.isBlank() || key.length() > 255) {
                throw Problem.invalidParam(HEADER, "must be 1 to 255 characters").exception();
            }
            byte[] scope = Caller.tokenDigest(ctx);
            Buffer scopeBuffer = Buffer.buffer(scope == null ? new byte[0] : scope);
            Buffer hash = Buffer.buffer(fingerprint(ctx));
            Buffer legacy = Buffer.buffer(legacyFingerprint(ctx));
            ctx.put(REQUEST_KEY, HexFormat.of().formatHex(scopeBuffer.getBytes()) + ":" + key);
            pool.preparedQuery(IdempotencySql.CLAIM).execute(Tuple.of(scopeBuffer, key, hash, LOCK_SECONDS, legacy))
                    .compose(claimed -> claimed.size() == 1
                            ? runAndStore(ctx, action, storedAs, scopeBuffer, key)
                            : replay(ctx, scopeBuffer, key, hash, legacy))
                    .onFailure(ctx::fail);
        };
    }

    private Future<Void> runAndStore(RoutingContext ctx, Function<RoutingContext, Future<Reply>> action,
                                     Function<Reply, Reply> storedAs, Buffer scope, String key) {
        long renewal = vertx.setPeriodic(RENEW_SECONDS * 1000L, id -> pool.preparedQuery(IdempotencySql.RENEW)
                .execute(Tuple.of(scope, key, LOCK_SECONDS))
                .onFailure(e -> LOG.debug("renewing an idempotency claim failed: {}", e.getMessage())));
        return Handlers.run(ctx, action)
                .recover(failure -> {
                    ProblemException problem = failure instanceof ProblemException p ? p : null;
                    if (problem != null && storable(problem.problem().status())) {
                        return Future.succeededFuture(Reply.of(problem.problem()));
                    }
                    release(scope, key, 0);
                    return Future.failedFuture(failure);
                })
                .onComplete(done -> vertx.cancelTimer(renewal))
                .compose(reply -> {
                    if (!storable(reply.status())) {
                        release(scope, key, 0);
                        Responses.reply(ctx, reply);
                        return Future.<Void>succeededFuture();
                    }
                    Reply kept = reply.status() < 300 ? storedAs.apply(reply) : reply;
                    return pool.preparedQuery(IdempotencySql.STORE)
                            .execute(Tuple.of(scope, key, kept.status(), kept.contentType(), kept.body()))
                            .<Void>map(stored -> {
                                Responses.reply(ctx, reply);
                                return null;
                            })
                            .recover(e -> {
                                LOG.warn("storing an idempotent answer failed; the key is released: {}", e.getMessage());
                                release(scope, key, 0);
                                Responses.reply(ctx, reply);
                                return Future.succeededFuture();
                            });
                });
    }

    /**
     * Releases an unfinished claim so the client's retry runs again. When the database is briefly away (a
     * restart), the release is tried again with backoff instead of leaving the key "in progress".
     */
    private void release(Buffer scope, String key, int attempt) {
        pool.preparedQuery(IdempotencySql.RELEASE).execute(Tuple.of(scope, key)).onFailure(e -> {
            if (attempt < RELEASE_BACKOFF_MS.length) {
                vertx.setTimer(RELEASE_BACKOFF_MS[attempt], id -> release(scope, key, attempt + 1));
            } else {
                LOG.warn("releasing an idempotency key failed; it expires in {} s: {}", LOCK_SECONDS, e.getMessage());
            }
        });
    }

    private Future<Void> replay(RoutingContext ctx, Buffer scope, String key, Buffer hash, Buffer legacy) {
        return pool.preparedQuery(IdempotencySql.LOOKUP).execute(Tuple.of(scope, key)).map(rows -> {
            Row row = rows.iterator().hasNext() ? rows.iterator().next() : null;
            Problem refusal = refusal(row == null ? null : row.getBuffer("request_hash"),
                    row == null ? null : row.getInteger("status_code"), hash, legacy,
                    row == null ? null : row.getOffsetDateTime("locked_until"));
            if (refusal != null) {
                throw refusal.exception();
            }
            Responses.replay(ctx, new Reply(row.getInteger("status_code"), row.getString("content_type"),
                    row.getBuffer("response_body")));
            return null;
        });
    }

    /**
     * Why a key that could not be claimed is not replayed, or null when its stored answer is: its claim
     * vanished meanwhile (released by a failed first attempt: retry), it was used with another request, or
     * the first request is still running. The two passing states are 409s with {@code Retry-After} in
     * seconds, so a client knows when to ask again.
     *
     * @param storedHash the key's request fingerprint, null when the key has no row
     * @param storedStatus the stored answer's status, null while the first request runs
     * @param hash this request's fingerprint ({@link RequestFingerprint#of})
     * @param legacy this request's fingerprint as versions before {@link RequestFingerprint#VERSION} 1 stored it
     * @param claimEnds when the running request's claim ends unless renewed (UTC), named in the 409 as
     *     {@code claim_ends_at}; null when unknown
     */
    static Problem refusal(Buffer storedHash, Integer storedStatus, Buffer hash, Buffer legacy, java.time.OffsetDateTime claimEnds) {
        if (storedHash == null) {
            return Problem.of(ProblemType.CONFLICT, "the request with this " + HEADER + " did not finish; retry")
                    .retryAfter(RETRY_AFTER_SECONDS);
        }
        if (!storedHash.equals(hash) && !storedHash.equals(legacy)) {
            return Problem.of(ProblemType.IDEMPOTENCY_KEY_REUSED, "this " + HEADER + " was used with a different request");
        }
        if (storedStatus == null) {
            Problem running = Problem.of(ProblemType.REQUEST_IN_PROGRESS, "a request with this " + HEADER + " is still running"
                            + " (its claim is renewed every " + RENEW_SECONDS + " s while it runs; if the instance running it"
                            + " stopped, the key is free again by claim_ends_at)")
                    .retryAfter(RETRY_AFTER_SECONDS);
            return claimEnds == null ? running : running.with("claim_ends_at", Times.wire(claimEnds.toInstant()));
        }
        return null;
    }

    /** This request's fingerprint: what a repeat must match to be replayed (see {@link RequestFingerprint}). */
    private static byte[] fingerprint(RoutingContext ctx) {
        return RequestFingerprint.of(ctx.request().method().name(), ctx.request().path(), ctx.queryParams(),
                ctx.request().getHeader(HttpHeaders.CONTENT_TYPE), body(ctx));
    }

    private static byte[] legacyFingerprint(RoutingContext ctx) {
        return RequestFingerprint.legacy(ctx.request().method().name(), ctx.request().path(), ctx.request().query(),
                ctx.request().getHeader(HttpHeaders.CONTENT_TYPE), body(ctx));
    }

    private static byte[] body(RoutingContext ctx) {
        return ctx.body() != null && ctx.body().buffer() != null ? ctx.body().buffer().getBytes() : null;
    }
}
