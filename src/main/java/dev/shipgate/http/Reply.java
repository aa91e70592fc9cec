package dev.shipgate.http;

import io.vertx.core.buffer.Buffer;

/** A finished answer (status and JSON body) that can be written now and kept for an idempotent replay. */
public record Reply(int status, String contentType, Buffer body) {

    public static Reply json(int status, Object body) {
        return new Reply(status, "application/json", Json.encode(body));
    }

    public static Reply of(Problem problem) {
        return new Reply(problem.status(), Problem.CONTENT_TYPE, problem.toJson().toBuffer());
    }
}
