package dev.shipgate.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The one error shape of the API: RFC 9457 problem details, with {@code invalid_params} naming each
 * field at fault so a client can put the message next to the right input.
 */
public record Problem(int status, String title, String detail, List<InvalidParam> invalidParams, JsonObject extensions) {

    public static final String CONTENT_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://shipgate.dev/problems/";

    public record InvalidParam(String name, String reason) {
    }

    public static Problem of(int status, String title, String detail) {
        return new Problem(status, title, detail, List.of(), new JsonObject());
    }

    public static Problem invalid(int status, String detail, List<InvalidParam> params) {
        return new Problem(status, status == 400 ? "Bad request" : "Validation failed", detail, params, new JsonObject());
    }

    /** The same problem with one more member, e.g. EasyPost's own error or {@code retry_after}. */
    public Problem with(String member, Object value) {
        return new Problem(status, title, detail, invalidParams, extensions.copy().put(member, value));
    }

    /** Seconds a client should wait before retrying, sent as {@code Retry-After}. */
    public Problem retryAfter(int seconds) {
        return with("retry_after", seconds);
    }

    public static Problem invalidParam(String name, String reason) {
        return invalid(400, name + ": " + reason, List.of(new InvalidParam(name, reason)));
    }

    public String type() {
        return TYPE_BASE + title.toLowerCase().replace(' ', '-');
    }

    public ProblemException exception() {
        return new ProblemException(this);
    }

    public JsonObject toJson() {
        JsonObject json = new JsonObject()
                .put("type", type())
                .put("title", title)
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
