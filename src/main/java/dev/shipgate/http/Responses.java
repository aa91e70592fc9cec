package dev.shipgate.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * The one response writer: every status line and body the API sends goes through here, so the guards
 * are in one place. Nothing is written twice or after the client has gone; a problem that arrives after
 * the headers went out resets the stream instead of appending to it; an answer to HEAD carries the
 * {@code Content-Length} the GET would have (Vert.x drops the body of a HEAD answer but sets no length
 * for it). Route handlers reach it through {@link Handlers}; streams through {@link EventStreams}; CSV
 * downloads through {@link CsvDownloads}.
 */
public final class Responses {

    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
    private static final String REPLAYED = "Idempotent-Replayed";
    private static final String PROBLEM_TYPE = "responses.problem-type";

    private Responses() {
    }

    /** A JSON answer with {@code status}; {@code body} is already encoded JSON. */
    public static void json(RoutingContext ctx, int status, Buffer body) {
        write(ctx.request(), status, JSON, body);
    }

    /** A 200 JSON answer of {@code body}, encoded with the API's one JSON mapper ({@link Json}). */
    public static void json(RoutingContext ctx, Object body) {
        json(ctx, 200, Json.encode(body));
    }

    /** A finished answer as it is, of any content type; a stored problem is noted like {@link #problem}. */
    public static void reply(RoutingContext ctx, Reply reply) {
        if (Problem.CONTENT_TYPE.equals(reply.contentType())) {
            noteProblem(ctx, storedType(reply.body()));
        }
        write(ctx.request(), reply.status(), reply.contentType(), reply.body());
    }

    /**
     * The type URI of the problem this request was answered with, or null: whoever wrote it (the failure
     * handler, the token check, a refusal stored or replayed by {@link Idempotency}), all come through here.
     * Set before the headers go out, so a headers-end handler (the audit trail) can read it.
     */
    public static String problemType(RoutingContext ctx) {
        return ctx.get(PROBLEM_TYPE);
    }

    private static void noteProblem(RoutingContext ctx, String type) {
        if (type != null) {
            ctx.put(PROBLEM_TYPE, type);
        }
    }

    private static String storedType(Buffer body) {
        try {
            return new io.vertx.core.json.JsonObject(body).getString("type");
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A stored answer replayed for a repeated {@code Idempotency-Key}, marked {@code Idempotent-Replayed}. */
    static void replay(RoutingContext ctx, Reply reply) {
        if (writable(ctx.response())) {
            ctx.response().putHeader(REPLAYED, "true");
        }
        reply(ctx, reply);
    }

    /** A status without a body, e.g. 202 for an accepted notification or 204 for a deletion. */
    public static void empty(RoutingContext ctx, int status) {
        HttpServerResponse response = ctx.response();
        if (writable(response)) {
            response.setStatusCode(status).end();
        }
    }

    /**
     * A problem as {@code application/problem+json}. When the headers have already gone out (a stream),
     * the stream is reset instead: a problem appended to a half-sent body would be read as part of it.
     */
    public static void problem(RoutingContext ctx, Problem problem) {
        noteProblem(ctx, problem.type());
        HttpServerResponse response = ctx.response();
        if (writable(response) && response.headWritten()) {
            response.reset();
            return;
        }
        write(ctx.request(), problem.status(), Problem.CONTENT_TYPE, problem.toJson().toBuffer());
    }

    /**
     * A problem for a request the HTTP decoder could not read (no routing context): the connection is
     * closed after it, since where the next request would begin is unknown.
     */
    static void refuseUnreadable(HttpServerRequest request, Problem problem) {
        HttpServerResponse response = request.response();
        if (!writable(response)) {
            request.connection().close();
            return;
        }
        response.setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.CONTENT_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(problem.toJson().toBuffer())
                .onComplete(done -> request.connection().close());
    }

    /**
     * Starts a streamed answer (server-sent events): headers now, the body in chunks through
     * {@link #chunk} and {@link #last}. A HEAD request gets the headers and an end, without a length: the
     * GET's length is not known in advance. Answers whether the stream is open for chunks.
     */
    static boolean startStream(RoutingContext ctx, String contentType) {
        HttpServerResponse response = ctx.response();
        if (!writable(response)) {
            return false;
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
        if (ctx.request().method() == HttpMethod.HEAD) {
            response.end();
            return false;
        }
        response.setChunked(true);
        return true;
    }

    /** One more piece of a started stream; dropped once the stream has ended or the client has gone. */
    static void chunk(HttpServerResponse response, String text) {
        if (writable(response)) {
            response.write(text);
        }
    }

    /** The last piece of a started stream, which ends it. */
    static void last(HttpServerResponse response, String text) {
        if (writable(response)) {
            response.end(text);
        }
    }

    /**
     * Starts a download: status 200, {@code contentType}, {@code Content-Disposition: attachment} with
     * {@code filename} (plain ASCII, chosen by the service), the body in chunks through {@link #chunk} and
     * {@link #last}. {@code X-Accel-Buffering: no} makes nginx pass the chunks on as they come instead of
     * spooling the whole file to disk first, so the client's pace reaches the service. A HEAD request
     * gets the headers and an end. Answers whether the download is open for chunks.
     */
    public static boolean startDownload(RoutingContext ctx, String contentType, String filename) {
        HttpServerResponse response = ctx.response();
        if (!writable(response)) {
            return false;
        }
        response.setStatusCode(200)
                .putHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .putHeader("X-Accel-Buffering", "no");
        return startStream(ctx, contentType);
    }

    /**
     * One more piece of a started download. Answers whether the client can take more now: false when the
     * connection's write queue is full (or the client has gone), and the writer should wait for
     * {@link #whenDrained} before producing more, so a slow reader bounds the memory a download holds.
     */
    public static boolean chunk(RoutingContext ctx, Buffer data) {
        HttpServerResponse response = ctx.response();
        if (!writable(response)) {
            return false;
        }
        response.write(data);
        return !response.writeQueueFull();
    }

    /** Runs {@code resume} once the write queue of a download has room again (see {@link #chunk}). */
    public static void whenDrained(RoutingContext ctx, Handler<Void> resume) {
        ctx.response().drainHandler(resume);
    }

    /** The last piece of a started download, which ends it. */
    public static void last(RoutingContext ctx, Buffer data) {
        HttpServerResponse response = ctx.response();
        if (writable(response)) {
            response.end(data);
        }
    }

    static boolean writable(HttpServerResponse response) {
        return !response.ended() && !response.closed();
    }

    private static void write(HttpServerRequest request, int status, CharSequence contentType, Buffer body) {
        HttpServerResponse response = request.response();
        if (!writable(response)) {
            return;
        }
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, contentType);
        if (request.method() == HttpMethod.HEAD) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length()));
        }
        response.end(body);
    }
}
