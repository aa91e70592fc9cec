package dev.shipgate.bulk;

import dev.shipgate.http.Json;
import dev.shipgate.http.PageCursor;
import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Bulk jobs as stored: created with all their items in one transaction, read back as progress and results. */
final class BulkJobs {

    record Counts(long pending, long running, long succeeded, long failed, long cancelled) {
    }

    /**
     * Of a job's pending items: {@code retrying} were tried before and wait for their next attempt;
     * {@code rateLimited} of them wait because EasyPost answered 429 (it asks for fewer calls), {@code unavailable}
     * because calls to EasyPost are paused (an open breaker, a full queue) since {@code unavailableSince} (UTC; a
     * job waits without bound while EasyPost is down), {@code keyRefused} because EasyPost refused the API key
     * (401/403) since {@code keyRefusedSince}; {@code nextAttemptAt} (UTC) is when the first waiting item is tried
     * again, null when none waits. {@code heldUntil} (UTC) is when the last lease of the running items ends: an
     * item stays running until then even when the instance that took it has stopped (a crash), and is taken up
     * again by any instance after; null when none runs. Times are null when there is nothing to time.
     */
    record Waiting(long retrying, long rateLimited, long unavailable, long keyRefused, OffsetDateTime nextAttemptAt,
                   OffsetDateTime unavailableSince, OffsetDateTime keyRefusedSince, OffsetDateTime heldUntil) {
    }

    record Progress(UUID id, String state, int total, String buyStrategy, Counts counts, Waiting waiting, int percent,
                    OffsetDateTime createdAt, OffsetDateTime finishedAt,
                    @com.fasterxml.jackson.annotation.JsonIgnore UUID tokenId) {

        boolean finished() {
            return !state.equals("running");
        }
    }

    /** One job of the list: its progress and the token that started it. */
    record Summary(UUID id, String state, int total, String buyStrategy, Counts counts, int percent,
                   OffsetDateTime createdAt, OffsetDateTime finishedAt, String tokenName) {
    }

    /** A page of {@code GET /jobs}: newest first, {@code next_cursor} for the following page. */
    record Page(List<Summary> jobs, boolean hasMore, String nextCursor) {
    }

    /**
     * {@code line} is the CSV file line the item came from (header = line 1), null for a JSON upload.
     * {@code nextAttemptAt} (UTC) is when a pending item that waits is tried again; {@code leaseEndsAt} (UTC) is
     * when a running item's lease ends (after that another instance may take it up); each null otherwise.
     */
    record Item(int position, Integer line, String state, String reference, UUID shipmentId, String trackingCode, String carrier,
                String service, BigDecimal rate, int attempts, int waits, Object error, OffsetDateTime nextAttemptAt,
                OffsetDateTime leaseEndsAt) {
    }

    /** The Retry-After of a retry refused because the job still runs, in seconds. */
    static final int RUNNING_RETRY_SECONDS = 10;

    private final Pool pool;

    BulkJobs(Pool pool) {
        this.pool = pool;
    }

    /** {@code lines} holds each shipment's CSV file line, or is null for a JSON upload. */
    Future<UUID> create(BulkRequests.BulkCreate request, List<Integer> lines, UUID tokenId, String tokenName) {
        UUID id = UUID.randomUUID();
        Integer[] positions = new Integer[request.shipments().size()];
        JsonObject[] bodies = new JsonObject[positions.length];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = i;
            bodies[i] = new JsonObject(Json.encode(request.shipments().get(i)));
        }
        BulkRequests.BuyOptions buy = request.buy();
        Tuple job = Tuple.of(id, buy == null ? null : buy.strategy().name().toLowerCase(),
                buy == null || buy.carriers() == null ? null : buy.carriers().toArray(String[]::new),
                buy == null || buy.services() == null ? null : buy.services().toArray(String[]::new),
                positions.length, tokenId, tokenName,
                buy == null || buy.labelFormat() == null ? null : buy.labelFormat().toLowerCase(java.util.Locale.ROOT));
        return pool.withTransaction(conn -> conn.preparedQuery(BulkSql.INSERT_JOB).execute(job)
                .compose(v -> conn.preparedQuery(BulkSql.INSERT_ITEMS).execute(Tuple.of(id, positions, bodies, lines == null ? null : lines.toArray(Integer[]::new)))))
                .map(v -> id);
    }

    Future<Progress> progress(UUID id) {
        return pool.preparedQuery(BulkSql.PROGRESS).execute(Tuple.of(id)).map(rows -> {
            if (rows.size() == 0) {
                throw Problem.of(ProblemType.NOT_FOUND, "no job " + id).exception();
            }
            Row r = rows.iterator().next();
            Counts counts = new Counts(r.getLong("pending"), r.getLong("running"), r.getLong("succeeded"),
                    r.getLong("failed"), r.getLong("cancelled"));
            int total = r.getInteger("total");
            long done = counts.succeeded() + counts.failed() + counts.cancelled();
            Waiting waiting = new Waiting(r.getLong("retrying"), r.getLong("rate_limited"), r.getLong("unavailable"),
                    r.getLong("key_refused"), r.getOffsetDateTime("next_attempt_at"), r.getOffsetDateTime("unavailable_since"),
                    r.getOffsetDateTime("key_refused_since"), r.getOffsetDateTime("held_until"));
            return new Progress(id, r.getString("state"), total, r.getString("buy_strategy"), counts, waiting,
                    (int) (done * 100 / total), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("finished_at"),
                    r.getUUID("token_id"));
        });
    }

    /** Jobs newest first, in state {@code state} when not null, after {@code cursor} when not null. */
    Future<Page> list(String state, PageCursor cursor, int limit) {
        OffsetDateTime at = cursor == null ? OffsetDateTime.MAX : cursor.createdAt();
        UUID after = cursor == null ? new UUID(0, 0) : cursor.id();
        return pool.preparedQuery(BulkSql.LIST).execute(Tuple.of(state, at, after, limit + 1)).map(rows -> {
            List<Summary> read = new ArrayList<>(rows.size());
            for (Row r : rows) {
                Counts counts = new Counts(r.getLong("pending"), r.getLong("running"), r.getLong("succeeded"),
                        r.getLong("failed"), r.getLong("cancelled"));
                int total = r.getInteger("total");
                long done = counts.succeeded() + counts.failed() + counts.cancelled();
                read.add(new Summary(r.getUUID("id"), r.getString("state"), total, r.getString("buy_strategy"), counts,
                        (int) (done * 100 / total), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("finished_at"),
                        r.getString("token_name")));
            }
            PageCursor.Slice<Summary> slice = PageCursor.slice(read, limit, j -> new PageCursor(j.createdAt(), j.id()));
            return new Page(slice.items(), slice.hasMore(), slice.nextCursor());
        });
    }

    Future<List<Item>> items(UUID id, int after, String state, int limit) {
        return pool.preparedQuery(BulkSql.ITEMS).execute(Tuple.of(id, after, state, limit)).map(rows -> {
            List<Item> items = new ArrayList<>(rows.size());
            for (Row r : rows) {
                Object error = r.getValue("error");
                items.add(new Item(r.getInteger("position"), r.getInteger("line"), r.getString("state"), r.getString("reference"),
                        r.getUUID("shipment_id"), r.getString("tracking_code"), r.getString("carrier"),
                        r.getString("service"), r.getBigDecimal("rate"), r.getInteger("attempts"), r.getInteger("waits"),
                        error instanceof JsonObject json ? json.getMap() : error instanceof JsonArray a ? a.getList() : error,
                        r.getOffsetDateTime("next_attempt_at"), r.getOffsetDateTime("lease_ends_at")));
            }
            return items;
        });
    }

    /**
     * Puts the job's failed items back to be tried afresh, each with the shipment it already has (found again
     * by its creation key, so nothing is created or bought twice), and the job back to running. Fails with 409
     * {@code job-cancelled} for a cancelled job, {@code job-running} (with {@code job_state}, {@code finished},
     * {@code total} and a Retry-After) for a running one with no failed item yet, {@code nothing-to-retry} for
     * an ended one without failed items; 404 for an unknown job.
     */
    Future<Progress> retryFailed(UUID id) {
        return progress(id).compose(p -> {
            if (p.state().equals("cancelled")) {
                return Future.failedFuture(Problem.of(ProblemType.JOB_CANCELLED, "job " + id + " was cancelled; start a new job")
                        .exception());
            }
            if (p.counts().failed() == 0) {
                return Future.failedFuture(nothingToRetry(p));
            }
            return pool.preparedQuery(BulkSql.RETRY_FAILED).execute(Tuple.of(id)).compose(rows -> rows.size() == 0
                    // another retry of the same job took the failed items between the check and the update
                    ? progress(id).<Progress>compose(now -> Future.failedFuture(nothingToRetry(now)))
                    : progress(id));
        });
    }

    /** Why a job without failed items has nothing to retry: still running (retry when it ends), or ended well. */
    private static Throwable nothingToRetry(Progress p) {
        if (p.finished()) {
            return Problem.of(ProblemType.NOTHING_TO_RETRY, "job " + p.id() + " has no failed item to retry").exception();
        }
        long finished = p.counts().succeeded() + p.counts().failed() + p.counts().cancelled();
        return Problem.of(ProblemType.JOB_RUNNING, "job " + p.id() + " is still running and has no failed item to retry yet")
                .with("job_state", p.state()).with("finished", finished).with("total", p.total())
                .retryAfter(RUNNING_RETRY_SECONDS).exception();
    }

    /** Cancels what has not started; items already running finish. False when the job had already ended. */
    Future<Boolean> cancel(UUID id) {
        return progress(id).compose(p -> p.finished() ? Future.succeededFuture(false)
                : pool.preparedQuery(BulkSql.CANCEL).execute(Tuple.of(id)).map(rows -> true));
    }
}
