package dev.shipgate.labelbatches;

import dev.shipgate.easypost.EasyPostGateway;
import dev.shipgate.easypost.EasyPostGateway.Repeat;
import dev.shipgate.http.PageCursor;
import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemException;
import dev.shipgate.http.ProblemType;
import dev.shipgate.shipments.BoughtLabels;
import dev.shipgate.shipments.LabelFormat;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batch printing: one document holding the labels of many bought shipments (a bulk job's, or a selection),
 * made by EasyPost's Batch API ("Batches" in its API reference: create a batch with shipments, then
 * {@code POST /batches/{id}/label} with a {@code file_format} of PDF, ZPL or EPL2; the document's
 * {@code label_url} appears once the batch is {@code label_generated}, announced by a {@code batch.updated}
 * event or seen by polling). The request is stored before its 202 and every later step is taken by
 * {@link #step} from the stored state, so a batch survives a restart and any instance may finish it.
 */
public final class LabelBatches {

    private static final Logger LOG = LoggerFactory.getLogger(LabelBatches.class);
    /** Most shipments in one document. */
    public static final int MAX_SHIPMENTS = 1000;
    /** Seconds a worker holds a batch while it takes one step. */
    static final int STEP_LEASE_SECONDS = 30;
    /** Seconds between looks at a document EasyPost is still making. */
    static final double POLL_SECONDS = 0.5;

    /**
     * A batch as the API shows it: its progress ({@code state}), the shipments it prints in print order
     * ({@code shipment_ids}) and, once ready, the document's URL.
     */
    public record BatchView(UUID id, String easypostId, String state, String format, UUID bulkJobId, int total,
                            List<UUID> shipmentIds, String labelUrl, String mediaType, String error,
                            OffsetDateTime createdAt, OffsetDateTime finishedAt) {
    }

    /** A batch in a list: as {@link BatchView} without its shipment ids (up to 10,000 each; read them one batch at a time). */
    public record BatchSummary(UUID id, String easypostId, String state, String format, UUID bulkJobId, int total,
                               String labelUrl, String mediaType, String error, OffsetDateTime createdAt,
                               OffsetDateTime finishedAt) {
    }

    /** {@code GET /label-batches}: newest first, keyset pages like every list. */
    public record BatchPage(List<BatchSummary> labelBatches, boolean hasMore, String nextCursor) {
    }

    /** Seconds a client is told to wait before asking again for a batch of a job still running. */
    static final int JOB_RUNNING_RETRY_SECONDS = 10;

    private final Pool raw;
    private final EasyPostGateway gateway;
    private volatile Runnable created = () -> { };

    public LabelBatches(Pool raw, EasyPostGateway gateway) {
        this.raw = raw;
        this.gateway = gateway;
    }

    /** Called after each batch this instance stores, so its worker starts on it at once. */
    public void onCreated(Runnable action) {
        created = action;
    }

    /**
     * Stores a batch of {@code shipmentIds} (in that order; the route refuses repeats) or of bulk job {@code bulkJobId}'s
     * bought labels, to be made in {@code format}. Checked before anything is stored: 404 for an unknown bulk
     * job, 409 {@code job-running} for a job still running (its batch would leave out what it has yet to
     * buy), 422 naming {@code shipment_ids} for unknown shipments, 409 {@code no-label} naming the shipments
     * that have no label yet (or a bulk job with none), 409 {@code label-refunded} naming each shipment
     * whose label is void ({@link BoughtLabels}).
     */
    public Future<BatchView> create(List<UUID> shipmentIds, UUID bulkJobId, LabelFormat format) {
        Future<List<UUID>> chosen = bulkJobId != null ? jobShipments(bulkJobId) : selected(shipmentIds);
        return chosen.compose(ids -> {
            UUID id = UUID.randomUUID();
            return raw.withTransaction(conn -> conn.preparedQuery(LabelBatchSql.INSERT)
                    .execute(Tuple.of(id, format.lowerName(), bulkJobId, ids.size()))
                    .compose(v -> {
                        List<Tuple> rows = new ArrayList<>();
                        for (int i = 0; i < ids.size(); i++) {
                            rows.add(Tuple.of(id, i, ids.get(i)));
                        }
                        return conn.preparedQuery(LabelBatchSql.INSERT_SHIPMENT).executeBatch(rows);
                    })).onSuccess(v -> created.run()).compose(v -> find(id));
        });
    }

    private Future<List<UUID>> selected(List<UUID> requested) {
        List<UUID> ids = requested.stream().distinct().toList();
        return raw.preparedQuery(LabelBatchSql.SHIPMENTS).execute(Tuple.of(ids.toArray(new UUID[0]))).map(rows -> {
            Map<UUID, Row> found = new HashMap<>();
            rows.forEach(r -> found.put(r.getUUID("id"), r));
            List<String> missing = ids.stream().filter(i -> !found.containsKey(i)).map(UUID::toString).toList();
            if (!missing.isEmpty()) {
                throw Problem.invalid(422, "shipment_ids: no shipment " + String.join(", ", missing),
                        List.of(new Problem.InvalidParam("shipment_ids", "no shipment " + String.join(", ", missing))))
                        .with("shipment_ids", missing).exception();
            }
            List<String> unbought = ids.stream().filter(i -> !found.get(i).getBoolean("bought")).map(UUID::toString).toList();
            if (!unbought.isEmpty()) {
                throw Problem.of(ProblemType.NO_LABEL, "no label to print yet for shipment " + String.join(", ", unbought)
                        + ": buy them first").with("shipment_ids", unbought).exception();
            }
            List<BoughtLabels.Named> named = new ArrayList<>();
            for (int i = 0; i < requested.size(); i++) {
                UUID shipment = requested.get(i);
                if (requested.indexOf(shipment) == i) {
                    named.add(new BoughtLabels.Named("shipment_ids[" + i + "]", shipment, found.get(shipment).getString("refund_status")));
                }
            }
            Problem refunded = BoughtLabels.refused(named, "printed");
            if (refunded != null) {
                throw refunded.exception();
            }
            return ids;
        });
    }

    private Future<List<UUID>> jobShipments(UUID job) {
        return raw.preparedQuery(LabelBatchSql.JOB_STATE).execute(Tuple.of(job)).compose(states -> {
            if (states.size() == 0) {
                return Future.failedFuture(Problem.of(ProblemType.NOT_FOUND, "no bulk job " + job).exception());
            }
            Row state = states.iterator().next();
            if ("running".equals(state.getString("state"))) {
                long finished = state.getLong("finished");
                int total = state.getInteger("total");
                return Future.failedFuture(Problem.of(ProblemType.JOB_RUNNING, "bulk job " + job + " is still running ("
                                + finished + " of " + total + " items done): a batch now would leave out the labels it has yet "
                                + "to buy. Retry once the job is completed, or give shipment_ids")
                        .with("bulk_job_id", job.toString()).with("job_state", "running").with("finished", finished)
                        .with("total", total).retryAfter(JOB_RUNNING_RETRY_SECONDS).exception());
            }
            return raw.preparedQuery(LabelBatchSql.JOB_SHIPMENTS).execute(Tuple.of(job)).map(rows -> {
                List<UUID> ids = new ArrayList<>();
                List<BoughtLabels.Named> named = new ArrayList<>();
                rows.forEach(r -> {
                    if (r.getBoolean("bought")) {
                        ids.add(r.getUUID("id"));
                        named.add(new BoughtLabels.Named("bulk_job_id", r.getUUID("id"), r.getString("refund_status")));
                    }
                });
                if (ids.isEmpty()) {
                    throw Problem.of(ProblemType.NO_LABEL, "bulk job " + job + " has no bought labels to print")
                            .with("bulk_job_id", job.toString()).exception();
                }
                Problem refunded = BoughtLabels.refused(named, "printed (give shipment_ids without them)");
                if (refunded != null) {
                    throw refunded.exception();
                }
                if (ids.size() > MAX_SHIPMENTS) {
                    throw Problem.invalidParam("bulk_job_id", "has " + ids.size() + " labels, more than the "
                            + MAX_SHIPMENTS + " one document holds").withStatus(422).exception();
                }
                return ids;
            });
        });
    }

    /** The batch {@code id}, or a 404 problem. */
    public Future<BatchView> find(UUID id) {
        return raw.preparedQuery(LabelBatchSql.FIND).execute(Tuple.of(id)).compose(rows -> rows.size() == 0
                ? Future.failedFuture(Problem.of(ProblemType.NOT_FOUND, "no label batch " + id).exception())
                : Future.succeededFuture(view(rows.iterator().next())));
    }

    /**
     * Takes one due step of one open batch, if any: create it at EasyPost (a batch holds no money, so a
     * creation whose answer was lost costs only a stray empty batch), ask for its document, or look whether
     * the document is there. Answers whether a batch was worked on. EasyPost's clear refusal fails the batch
     * with its reason; anything that may pass is tried again later.
     */
    Future<Boolean> step() {
        return raw.preparedQuery(LabelBatchSql.CLAIM).execute(Tuple.of(STEP_LEASE_SECONDS)).compose(rows -> {
            if (rows.size() == 0) {
                return Future.succeededFuture(false);
            }
            Row row = rows.iterator().next();
            UUID id = row.getUUID("id");
            String easypostId = row.getString("easypost_id");
            String format = row.getString("format").toUpperCase(java.util.Locale.ROOT);
            Future<Void> taken = switch (row.getString("state")) {
                case "pending" -> (easypostId != null ? Future.succeededFuture(easypostId) : createAtEasyPost(id))
                        .compose(ep -> askForDocument(id, ep, format));
                default -> lookAtDocument(id, easypostId);
            };
            int attempts = row.getInteger("attempts");
            return taken.recover(failure -> settleFailure(id, attempts, failure)).map(true);
        });
    }

    private Future<String> createAtEasyPost(UUID id) {
        return raw.preparedQuery(LabelBatchSql.EASYPOST_IDS).execute(Tuple.of(id)).compose(rows -> {
            List<Map<String, Object>> shipments = new ArrayList<>();
            rows.forEach(r -> shipments.add(Map.of("id", r.getString("easypost_id"))));
            return gateway.call("create batch", Repeat.IF_NOT_APPLIED,
                    c -> c.batch.create(Map.<String, Object>of("shipments", shipments)));
        }).compose(batch -> raw.preparedQuery(LabelBatchSql.CREATED).execute(Tuple.of(id, batch.getId())).map(batch.getId()));
    }

    private Future<Void> askForDocument(UUID id, String easypostId, String format) {
        return gateway.call("generate batch label", Repeat.SAFE,
                        c -> c.batch.label(easypostId, Map.<String, Object>of("file_format", format)))
                .compose(batch -> batch.getLabelUrl() != null ? ready(id, batch.getLabelUrl())
                        : raw.preparedQuery(LabelBatchSql.GENERATING).execute(Tuple.of(id, POLL_SECONDS)).mapEmpty());
    }

    private Future<Void> lookAtDocument(UUID id, String easypostId) {
        return gateway.call("retrieve batch", Repeat.SAFE, c -> c.batch.retrieve(easypostId)).compose(batch -> {
            if (batch.getLabelUrl() != null) {
                return ready(id, batch.getLabelUrl());
            }
            String state = String.valueOf(batch.getState());
            if (state.endsWith("_failed")) {
                return raw.preparedQuery(LabelBatchSql.FAILED).execute(Tuple.of(id, "EasyPost batch " + state)).mapEmpty();
            }
            return raw.preparedQuery(LabelBatchSql.GENERATING).execute(Tuple.of(id, POLL_SECONDS)).mapEmpty();
        });
    }

    /** Milliseconds until the next open batch's step is due (0 when overdue), or null when no batch is open. */
    Future<Long> nextDue() {
        return raw.preparedQuery(LabelBatchSql.NEXT_DUE).execute().map(rows -> {
            Long wait = rows.iterator().next().getLong("wait_ms");
            return wait == null ? null : Math.max(0, wait);
        });
    }

    /**
     * What a verified {@code batch.updated} event says about EasyPost batch {@code easypostId}: generated
     * ({@code label_url} given), the open label batch made with it is ready at once; a {@code ..._failed}
     * state fails it; anything else changes nothing (polling goes on). Conditional on the batch being open, so
     * a repeated or late event (after polling saw the document) changes nothing. Answers how many batches
     * it changed: 0 or 1 (0 also for EasyPost batches made for something else, such as a pickup).
     */
    public Future<Integer> batchUpdated(String easypostId, String state, String labelUrl) {
        if (labelUrl != null && "label_generated".equals(state)) {
            return raw.preparedQuery(LabelBatchSql.READY_BY_EASYPOST_ID).execute(Tuple.of(easypostId, labelUrl))
                    .map(rows -> {
                        rows.forEach(r -> LOG.info("label batch {} ready by EasyPost's batch.updated event", r.getUUID("id")));
                        return rows.rowCount();
                    });
        }
        if (state != null && state.endsWith("_failed")) {
            return raw.preparedQuery(LabelBatchSql.FAILED_BY_EASYPOST_ID).execute(Tuple.of(easypostId, "EasyPost batch " + state))
                    .map(rows -> rows.rowCount());
        }
        return Future.succeededFuture(0);
    }

    /** Records the document of batch {@code id}; also what a {@code batch.updated} event carrying it would do. */
    Future<Void> ready(UUID id, String labelUrl) {
        return raw.preparedQuery(LabelBatchSql.READY).execute(Tuple.of(id, labelUrl)).mapEmpty();
    }

    private Future<Void> settleFailure(UUID id, int attempts, Throwable failure) {
        if (failure instanceof ProblemException p && p.problem().status() < 500) {
            LOG.info("label batch {} refused by EasyPost: {}", id, p.problem().detail());
            return raw.preparedQuery(LabelBatchSql.FAILED).execute(Tuple.of(id, p.problem().detail())).mapEmpty();
        }
        if (EasyPostGateway.notSent(failure) && failure instanceof ProblemException p
                && p.problem().extensions().getValue("retry_after") instanceof Number retryAfter) {
            // The breaker is open or the queue full: the gateway has said so once; go again when calls go out.
            return raw.preparedQuery(LabelBatchSql.RETRY_LATER).execute(Tuple.of(id, Math.max(1.0, retryAfter.doubleValue())))
                    .mapEmpty();
        }
        double wait = Math.min(30, Math.pow(2, Math.min(attempts, 5)) * POLL_SECONDS);
        LOG.warn("label batch {}: step failed, trying again in {} s: {}", id, wait, failure.toString());
        return raw.preparedQuery(LabelBatchSql.RETRY_LATER).execute(Tuple.of(id, wait)).mapEmpty();
    }

    private static BatchView view(Row r) {
        LabelFormat format = LabelFormat.parse("format", r.getString("format"));
        return new BatchView(r.getUUID("id"), r.getString("easypost_id"), r.getString("state"), format.lowerName(),
                r.getUUID("bulk_job_id"), r.getInteger("total"), List.of(r.getArrayOfUUIDs("shipment_ids")),
                r.getString("label_url"), format.mediaType(),
                r.getString("error"), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("finished_at"));
    }

    private static BatchSummary summary(Row r) {
        LabelFormat format = LabelFormat.parse("format", r.getString("format"));
        return new BatchSummary(r.getUUID("id"), r.getString("easypost_id"), r.getString("state"), format.lowerName(),
                r.getUUID("bulk_job_id"), r.getInteger("total"), r.getString("label_url"), format.mediaType(),
                r.getString("error"), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("finished_at"));
    }

    /** The newest {@code limit} batches, after {@code cursor} when given. */
    public Future<BatchPage> page(int limit, PageCursor cursor) {
        Future<io.vertx.sqlclient.RowSet<Row>> rows = cursor == null
                ? raw.preparedQuery(LabelBatchSql.FIRST_PAGE).execute(Tuple.of(limit + 1))
                : raw.preparedQuery(LabelBatchSql.NEXT_PAGE).execute(Tuple.of(limit + 1, cursor.createdAt(), cursor.id()));
        return rows.map(set -> {
            List<BatchSummary> all = new ArrayList<>();
            set.forEach(r -> all.add(summary(r)));
            PageCursor.Slice<BatchSummary> slice = PageCursor.slice(all, limit, b -> new PageCursor(b.createdAt(), b.id()));
            return new BatchPage(slice.items(), slice.hasMore(), slice.nextCursor());
        });
    }
}
