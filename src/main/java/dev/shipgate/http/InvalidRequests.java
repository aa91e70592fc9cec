package dev.shipgate.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;

/**
 * Requests the HTTP decoder could not read (a request line or headers over the limits, bad framing)
 * never reach the router, so without this they get Vert.x's empty-bodied 414, 431 or 400. They are
 * answered in the API's one error shape instead, and the connection closed: the decoder cannot tell
 * where the next request would begin.
 */
final class InvalidRequests {

    /** The request line (method, URI, version); nginx's default header buffer is as large. */
    static final int MAX_REQUEST_LINE = 8 * 1024;
    static final int MAX_HEADER_SIZE = 16 * 1024;

    private InvalidRequests() {
    }

    static void answer(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        Problem problem;
        if (cause instanceof TooLongHttpLineException) {
            problem = Problem.of(ProblemType.URI_TOO_LONG, "the request line exceeds " + MAX_REQUEST_LINE + " bytes");
        } else if (cause instanceof TooLongHttpHeaderException) {
            problem = Problem.of(ProblemType.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    "the request headers exceed " + MAX_HEADER_SIZE + " bytes");
        } else {
            problem = Problem.of(ProblemType.BAD_REQUEST, "the request is not valid HTTP/1.1");
        }
        Responses.refuseUnreadable(request, problem);
    }
}
