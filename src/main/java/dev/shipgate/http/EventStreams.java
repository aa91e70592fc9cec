package dev.shipgate.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Server-sent event streams that survive proxies. A stream whose subject makes no progress sends
 * nothing, and nginx (60 s by default) and most load balancers close a response that has been silent
 * for their read timeout, so the client never sees the end. Every stream opened here therefore sends
 * an SSE comment, {@code : keep-alive}, every {@code heartbeatMillis}; clients ignore comments.
 */
public final class EventStreams {

    private final long heartbeatMillis;

    public EventStreams(long heartbeatMillis) {
        this.heartbeatMillis = heartbeatMillis;
    }

    /** Starts the stream: headers now, then events; a HEAD request gets the headers and an end. */
    public Stream open(RoutingContext ctx) {
        HttpServerResponse response = ctx.response()
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        if (!Responses.startStream(ctx, "text/event-stream")) {
            return new Stream(ctx.vertx(), response, -1);
        }
        Vertx vertx = ctx.vertx();
        long heartbeat = vertx.setPeriodic(heartbeatMillis, id -> Responses.chunk(response, ": keep-alive\n\n"));
        Stream stream = new Stream(vertx, response, heartbeat);
        // Through the routing context, not response.endHandler/closeHandler: those replace the handlers
        // Vert.x Web uses to run every end handler, and the service's count of requests in flight (which
        // shutdown waits for) would never see the stream end.
        ctx.addEndHandler(done -> {
            vertx.cancelTimer(heartbeat);
            if (done.failed() || !response.ended()) {
                stream.closed();
            }
        });
        return stream;
    }

    /** One open stream; its methods run on the request's event loop. */
    public static final class Stream {

        private final Vertx vertx;
        private final HttpServerResponse response;
        private final long heartbeat;
        private Runnable onClose = () -> { };

        private Stream(Vertx vertx, HttpServerResponse response, long heartbeat) {
            this.vertx = vertx;
            this.response = response;
            this.heartbeat = heartbeat;
        }

        public boolean isOpen() {
            return Responses.writable(response);
        }

        /** Runs when the client goes away before the stream ends. */
        public void onClose(Runnable action) {
            this.onClose = action;
        }

        public void send(String event, String data) {
            Responses.chunk(response, frame(event, data));
        }

        /** Sends a last event and ends the response. */
        public void end(String event, String data) {
            vertx.cancelTimer(heartbeat);
            Responses.last(response, frame(event, data));
        }

        private void closed() {
            vertx.cancelTimer(heartbeat);
            onClose.run();
        }

        private static String frame(String event, String data) {
            return "event: " + event + "\ndata: " + data + "\n\n";
        }
    }
}
