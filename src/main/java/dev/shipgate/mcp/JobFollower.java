package dev.shipgate.mcp;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/**
 * Follows a bulk job a client asked to watch (it sent a {@code progressToken}, or a log level): polls the
 * job through the REST API and sends {@code notifications/progress} (MCP 2025-03-26 and later, "Utilities:
 * Progress": progress increases, total is the job's size) and {@code notifications/message} at level info,
 * on the request's own stream, until the job ends; the tool's answer then carries the job's final state.
 * A watch ends after {@link #MAX_WATCH_MS} even if the job runs on; get_job reads it later.
 */
final class JobFollower {

    static final long POLL_MS = 500;
    static final long MAX_WATCH_MS = 10 * 60 * 1000;

    private final Vertx vertx;
    private final ApiCall api;

    JobFollower(Vertx vertx, ApiCall api) {
        this.vertx = vertx;
        this.api = api;
    }

    Future<ApiCall.Answer> follow(ApiCall.Answer accepted, McpMethods.Request request) {
        if (accepted.status() != 202) {
            return Future.succeededFuture(accepted);
        }
        JsonObject job = new JsonObject(accepted.body());
        String id = job.getString("id");
        Promise<ApiCall.Answer> done = Promise.promise();
        long until = System.currentTimeMillis() + MAX_WATCH_MS;
        long[] last = {-1};
        poll(id, job, request, until, last, done);
        return done.future();
    }

    private void poll(String id, JsonObject job, McpMethods.Request request, long until, long[] last, Promise<ApiCall.Answer> done) {
        api.send(HttpMethod.GET, "/jobs/" + id + "?limit=1", request.caller(), null, null).onComplete(ar -> {
            if (ar.failed() || !ar.result().ok()) {
                done.complete(new ApiCall.Answer(202, job.toBuffer()));
                return;
            }
            try {
                report(id, job, new JsonObject(ar.result().body()).getJsonObject("job"), request, until, last, done);
            } catch (RuntimeException unexpected) {
                // An answer of another shape must not leave the agent's call hanging: hand back what was accepted.
                done.tryComplete(new ApiCall.Answer(202, job.toBuffer()));
            }
        });
    }

    private void report(String id, JsonObject job, JsonObject progress, McpMethods.Request request, long until, long[] last,
                        Promise<ApiCall.Answer> done) {
        JsonObject counts = progress.getJsonObject("counts");
        long finished = counts.getLong("succeeded", 0L) + counts.getLong("failed", 0L) + counts.getLong("cancelled", 0L);
        String state = progress.getString("state");
        if (finished != last[0]) {
            last[0] = finished;
            String message = "job " + id + ": " + finished + " of " + progress.getInteger("total") + " items done ("
                    + counts.getLong("succeeded", 0L) + " succeeded, " + counts.getLong("failed", 0L) + " failed)";
            if (request.progressToken() != null) {
                request.notifier().send("notifications/progress", new JsonObject().put("progressToken", request.progressToken())
                        .put("progress", finished).put("total", progress.getInteger("total")).put("message", message));
            }
            if (request.logLevel() != null && request.logLevel().compareTo(McpMethods.LogLevel.INFO) <= 0) {
                request.notifier().send("notifications/message", new JsonObject().put("level", "info").put("logger", "shipgate.bulk")
                        .put("data", message));
            }
        }
        if (!"running".equals(state) || System.currentTimeMillis() > until) {
            done.complete(new ApiCall.Answer(202, job.copy().put("state", state).toBuffer()));
        } else {
            vertx.setTimer(POLL_MS, t -> poll(id, job, request, until, last, done));
        }
    }
}
