package dev.shipgate;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A webhook receiver for tests: a real Vert.x HTTP server on loopback that keeps every request it got and
 * answers each with what {@code answer} says for the n-th request of that event id (1 for the first): a
 * status, or 0 to never answer (a receiver that hangs).
 */
final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived, with the status it was answered (0: left hanging). */
    record Received(String eventId, String eventType, String signature, String body, int status, long atMillis) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    interface Answer {
        int status(String eventId, int nth);
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    private volatile Answer answer;
    private final long delayMs;

    WebhookReceiver(Answer answer) throws Exception {
        this(answer, 0);
    }

    /** A receiver that answers each request {@code delayMs} after it arrived (a slow receiver). */
    WebhookReceiver(Answer answer, long delayMs) throws Exception {
        this.answer = answer;
        this.delayMs = delayMs;
        this.server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    void answer(Answer next) {
        this.answer = next;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    int port() {
        return server.actualPort();
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            String id = request.getHeader("Shipgate-Event-Id");
            int nth = seen.computeIfAbsent(String.valueOf(id), k -> new AtomicInteger()).incrementAndGet();
            int status = answer.status(id, nth);
            received.add(new Received(id, request.getHeader("Shipgate-Event-Type"), request.getHeader("Shipgate-Signature"),
                    body.toString(), status, System.currentTimeMillis()));
            if (status > 0 && delayMs > 0) {
                vertx.setTimer(delayMs, t -> request.response().setStatusCode(status).end("ok"));
            } else if (status > 0) {
                request.response().setStatusCode(status).end("ok");
            }
        });
    }

    /** The requests for one event type, in arrival order. */
    List<Received> of(String type) {
        return received.stream().filter(r -> type.equals(r.eventType())).toList();
    }

    /** Waits until {@code done} holds of what was received, or fails after {@code seconds}. */
    void await(int seconds, String what, Function<List<Received>, Boolean> done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.apply(received)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the receiver did not get " + what + " within " + seconds + " s; it got: "
                        + received.stream().map(r -> r.eventType() + " " + r.eventId() + " " + r.status() + " " + r.body()).toList());
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }
}
