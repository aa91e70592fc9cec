package dev.shipgate.bulk;

import dev.shipgate.carriers.CarrierAccounts;
import dev.shipgate.http.EventStreams;
import dev.shipgate.http.Handlers;
import dev.shipgate.http.Idempotency;
import dev.shipgate.http.Json;
import dev.shipgate.http.Params;
import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemType;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import dev.shipgate.audit.AuditLog;
import dev.shipgate.auth.Principal;
import dev.shipgate.auth.Scope;
import io.vertx.sqlclient.Pool;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Bulk shipment jobs: accepted at once (202) with every item stored, worked off by the bulk workers,
 * followed through {@code GET /jobs/{id}} or its event stream, listed newest first by {@code GET /jobs},
 * and cancellable.
 */
public final class BulkRoutes {

    private static final Set<String> ITEM_STATES = Set.of("pending", "running", "succeeded", "failed", "cancelled");
    private static final long PROGRESS_INTERVAL_MS = 500;

    record Accepted(UUID id, String state, int total, Map<String, String> links) {
    }

    record JobView(BulkJobs.Progress job, List<BulkJobs.Item> items, Integer nextAfter) {
    }

    /** The most shipments one job takes (the REST API's rule; MCP tells agents to split larger lists by it). */
    public static final int MAX_ITEMS = BulkRequests.MAX_ITEMS;

    private final BulkJobs jobs;
    private final Idempotency idempotency;
    private final int maxBodyBytes;
    private final EventStreams eventStreams;

    private final CarrierAccounts carriers;

    public BulkRoutes(Pool pool, Idempotency idempotency, int maxBodyBytes, CarrierAccounts carriers, EventStreams eventStreams) {
        this.carriers = carriers;
        this.jobs = new BulkJobs(pool);
        this.idempotency = idempotency;
        this.maxBodyBytes = maxBodyBytes;
        this.eventStreams = eventStreams;
    }

    public void mount(Router router) {
        router.post("/shipments/bulk-create")
                .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
                .handler(idempotency.guard(202, this::create));
        router.get("/jobs").handler(Handlers.json(this::list));
        router.get("/jobs/:id").handler(Handlers.json(this::get));
        router.get("/jobs/:id/events").handler(this::events);
        router.post("/jobs/:id/cancel").handler(Handlers.json(this::cancel));
        router.post("/jobs/:id/retry").handler(Handlers.json(this::retry));
    }

    /**
     * Parsing and validating up to 10,000 shipments takes long enough to stall every other request on
     * this event loop, so it runs on a worker; only storing the job comes back here.
     */
    private Future<Accepted> create(RoutingContext ctx) {
        String type = String.valueOf(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE)).toLowerCase(Locale.ROOT);
        Buffer body = ctx.body().buffer();
        Future<Upload> upload;
        if (type.startsWith("text/csv")) {
            Params.only(ctx, CSV_PARAMS);
            BulkRequests.BuyOptions buy = buyOptions(ctx);
            String charset = ctx.parsedHeaders().contentType().parameter("charset");
            byte[] bytes = body == null ? new byte[0] : body.getBytes();
            upload = ctx.vertx().executeBlocking(() -> Upload.of(BulkCsv.parse(bytes, charset, buy != null), buy), false);
        } else {
            Params.only(ctx, List.of());
            upload = ctx.vertx().executeBlocking(() -> new Upload(Json.decode(body, BulkRequests.BulkCreate.class).checked(), null),
                    false);
        }
        boolean csv = type.startsWith("text/csv");
        Principal who = Principal.of(ctx);
        return upload.compose(u -> carriers.requireConnected(csv ? "carriers" : "buy.carriers",
                        u.request().buy() == null ? null : u.request().buy().carriers()).map(u))
                .compose(u -> u.request().buy() == null ? Future.succeededFuture(u)
                        : carriers.requireServices(csv ? "services" : "buy.services", u.request().buy().carriers(),
                                u.request().buy().services()).map(u))
                .compose(u -> {
            if (u.request().buy() != null) {
                Principal.require(ctx, Scope.BUY);
            }
            return jobs.create(u.request(), u.lines(), who.tokenId(), who.name()).map(id -> {
                AuditLog.job(ctx, id);
                ctx.response().putHeader(HttpHeaders.LOCATION, "/jobs/" + id);
                return new Accepted(id, "running", u.request().shipments().size(),
                        Map.of("self", "/jobs/" + id, "events", "/jobs/" + id + "/events"));
            });
        });
    }

    /** A validated upload; {@code lines} are the CSV file lines of its shipments, null for JSON. */
    private record Upload(BulkRequests.BulkCreate request, List<Integer> lines) {

        static Upload of(List<BulkCsv.Row> rows, BulkRequests.BuyOptions buy) {
            return new Upload(new BulkRequests.BulkCreate(rows.stream().map(BulkCsv.Row::shipment).toList(), buy),
                    rows.stream().map(BulkCsv.Row::line).toList());
        }
    }

    /** The query parameters a CSV upload takes; any other is a 400 naming it (JSON uploads take none). */
    static final List<String> CSV_PARAMS = List.of("buy", "carriers", "services", "label_format");

    /**
     * With text/csv the buy options come from the query: {@code ?buy=cheapest&carriers=UPS,USPS&label_format=zpl}.
     * Options without {@code buy} would buy nothing: a 400 naming the option rather than a job that ignores it.
     */
    private static BulkRequests.BuyOptions buyOptions(RoutingContext ctx) {
        String strategy = ctx.queryParams().get("buy");
        if (strategy == null) {
            for (String option : CSV_PARAMS) {
                if (ctx.queryParams().contains(option)) {
                    throw Problem.invalidParam(option, "only with buy=cheapest or buy=fastest").exception();
                }
            }
            return null;
        }
        return Json.decode(Buffer.buffer(new JsonObject().put("strategy", strategy)
                .put("carriers", list(ctx, "carriers")).put("services", list(ctx, "services"))
                .put("label_format", ctx.queryParams().get("label_format")).encode()), BulkRequests.BuyOptions.class);
    }

    private static List<String> list(RoutingContext ctx, String name) {
        String v = ctx.queryParams().get(name);
        return v == null || v.isBlank() ? null : Arrays.stream(v.split(",")).map(String::trim).toList();
    }

    /** The states a job is in: {@code running} until every item has ended, then {@code completed}, or {@code cancelled}. */
    static final List<String> JOB_STATES = List.of("running", "completed", "cancelled");

    /**
     * {@code GET /jobs}: jobs newest first with their progress, {@code limit} (1 to 200, default 50) a page, keyset
     * paged by {@code cursor} (the previous page's {@code next_cursor}), {@code state} filtering; so a job whose
     * id was lost can be found again.
     */
    private Future<BulkJobs.Page> list(RoutingContext ctx) {
        Params.only(ctx, List.of("limit", "cursor", "state"));
        int limit = intParam(ctx, "limit", 50, 1, 200);
        String state = Params.text("state", ctx.queryParams().get("state"), 16);
        if (state != null && !JOB_STATES.contains(state)) {
            throw Problem.invalidParam("state", "must be one of " + String.join(", ", JOB_STATES)).exception();
        }
        String cursor = Params.text("cursor", ctx.queryParams().get("cursor"), 200);
        return jobs.list(state, cursor == null ? null : dev.shipgate.http.PageCursor.decode(cursor), limit);
    }

    private Future<JobView> get(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of("after", "limit", "state"));
        UUID id = id(ctx);
        int after = intParam(ctx, "after", -1, -1, Integer.MAX_VALUE);
        int limit = intParam(ctx, "limit", 1000, 1, BulkRequests.MAX_ITEMS);
        String state = ctx.queryParams().get("state");
        if (state != null && !ITEM_STATES.contains(state)) {
            throw Problem.invalidParam("state", "must be one of " + String.join(", ", ITEM_STATES.stream().sorted().toList())).exception();
        }
        return jobs.progress(id)
                .compose(progress -> jobs.items(id, after, state, limit).map(items -> new JobView(progress, items,
                        items.size() == limit ? items.get(items.size() - 1).position() : null)));
    }

    /** Server-sent events: a {@code progress} event whenever the counts change, {@code done} at the end. */
    private void events(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of());
        UUID id = id(ctx);
        jobs.progress(id).onFailure(ctx::fail).onSuccess(first -> {
            EventStreams.Stream stream = eventStreams.open(ctx);
            String[] last = {""};
            long[] timer = {-1};
            Runnable send = new Runnable() {
                @Override
                public void run() {
                    jobs.progress(id).onComplete(ar -> {
                        if (!stream.isOpen()) {
                            return;
                        }
                        if (ar.failed()) {
                            stream.end("error", "{\"detail\":\"progress unavailable\"}");
                            return;
                        }
                        String data = Json.encode(ar.result()).toString();
                        if (!data.equals(last[0])) {
                            last[0] = data;
                            stream.send("progress", data);
                        }
                        if (ar.result().finished()) {
                            stream.end("done", data);
                        } else {
                            timer[0] = ctx.vertx().setTimer(PROGRESS_INTERVAL_MS, t -> run());
                        }
                    });
                }
            };
            stream.onClose(() -> ctx.vertx().cancelTimer(timer[0]));
            if (stream.isOpen()) {
                send.run();
            }
        });
    }

    private Future<BulkJobs.Progress> cancel(RoutingContext ctx) {
        UUID id = id(ctx);
        return jobs.cancel(id)
                .compose(cancelled -> {
                    if (!cancelled) {
                        return Future.failedFuture(Problem.of(ProblemType.JOB_FINISHED, "job " + id + " has already ended").exception());
                    }
                    return jobs.progress(id);
                });
    }

    /**
     * {@code POST /jobs/{id}/retry}: tries the job's failed items again, for example after EasyPost's outage
     * or a spending limit raised. Each keeps the shipment it has, so nothing is created or bought twice; the
     * labels are bought as the job's own token, with its limits as they are now. Only the token that started
     * the job, or an admin token, may retry it: another token would spend the job's token's budget. Needs the
     * buy scope when the job buys. 403 for another token; 409 job-cancelled, job-running or nothing-to-retry (see
     * {@link BulkJobs#retryFailed}).
     */
    private Future<BulkJobs.Progress> retry(RoutingContext ctx) {
        UUID id = id(ctx);
        Principal who = Principal.of(ctx);
        return jobs.progress(id).compose(p -> {
            if (!who.has(Scope.ADMIN) && !java.util.Objects.equals(who.tokenId(), p.tokenId())) {
                return Future.failedFuture(Problem.of(ProblemType.FORBIDDEN, "only the token that started job " + id
                        + " (or an admin token) may retry it: its labels are paid for by that token").exception());
            }
            if (p.buyStrategy() != null) {
                Principal.require(ctx, Scope.BUY);
            }
            return jobs.retryFailed(id);
        }).onSuccess(p -> AuditLog.job(ctx, id));
    }

    private static UUID id(RoutingContext ctx) {
        return Params.uuid("id", ctx.pathParam("id"), "a job id");
    }

    private static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
        return Params.integer(name, ctx.queryParams().get(name), fallback, min, max);
    }
}
