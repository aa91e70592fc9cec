package dev.shipgate.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The one error shape of the API: RFC 9457 problem details of a kind from the catalogue
 * ({@link ProblemType}), with {@code invalid_params} naming each field at fault so a client can put the
 * message next to the right input.
 */
public record Problem(ProblemType kind, int status, String detail, List<InvalidParam> invalidParams,
                      JsonObject extensions) {

    public static final String CONTENT_TYPE = "application/problem+json";

    /** The members RFC 9457 defines; an extension may not take their names. */
    public static final java.util.Set<String> RFC_9457_MEMBERS = java.util.Set.of("type", "title", "status", "detail", "instance");

    public record InvalidParam(String name, String reason) {
    }

    /** A problem of this kind, with its usual status. */
    public static Problem of(ProblemType kind, String detail) {
        return new Problem(kind, kind.status(), detail, List.of(), new JsonObject());
    }

    /** Input at fault: 400 when it cannot be read, 422 when it breaks a rule; each field named. */
    public static Problem invalid(int status, String detail, List<InvalidParam> params) {
        return new Problem(status == 400 ? ProblemType.BAD_REQUEST : ProblemType.VALIDATION_FAILED, status, detail, params,
                new JsonObject());
    }

    /** The same problem answered with another status (a web-layer error, a 504 instead of a 502). */
    public Problem withStatus(int other) {
        return new Problem(kind, other, detail, invalidParams, extensions);
    }

    /** The same problem with one more member, e.g. EasyPost's own error or {@code retry_after}. */
    public Problem with(String member, Object value) {
        if (RFC_9457_MEMBERS.contains(member)) {
            // A "status" extension once overwrote the numeric status with "approved": name it for what it is.
            throw new IllegalArgumentException(member + " is an RFC 9457 member; name the extension otherwise");
        }
        return new Problem(kind, status, detail, invalidParams, extensions.copy().put(member, value));
    }

    public String title() {
        return kind.title();
    }

    /** Seconds a client should wait before retrying, sent as {@code Retry-After}. */
    public Problem retryAfter(int seconds) {
        return with("retry_after", seconds);
    }

    /** A field that reads but breaks a rule (422), named, e.g. a pickup window that starts in the past. */
    public static Problem invalidField(String name, String reason) {
        return invalid(422, name + ": " + reason, List.of(new InvalidParam(name, reason)));
    }

    public static Problem invalidParam(String name, String reason) {
        return invalid(400, name + ": " + reason, List.of(new InvalidParam(name, reason)));
    }

    public String type() {
        return kind.uri();
    }

    public ProblemException exception() {
        return new ProblemException(this);
    }

    /** This problem as a failure that keeps {@code cause}, the failure it was mapped from. */
    public ProblemException exception(Throwable cause) {
        return new ProblemException(this, cause);
    }

    public JsonObject toJson() {
        JsonObject json = new JsonObject()
                .put("type", type())
                .put("title", title())
                .put("status", status);
        if (detail != null) {
            json.put("detail", detail);
        }
        json.mergeIn(extensions);
        if (!invalidParams.isEmpty()) {
            JsonArray params = new JsonArray();
            invalidParams.forEach(p -> params.add(new JsonObject().put("name", p.name()).put("reason", p.reason())));
            json.put("invalid_params", params);
        }
        return json;
    }
}
