package dev.shipgate.bulk;

import dev.shipgate.http.Json;
import dev.shipgate.easypost.EasyPostGateway;
import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemType;
import dev.shipgate.http.ProblemException;
import dev.shipgate.auth.Limits;
import dev.shipgate.shipments.Checkout;
import dev.shipgate.shipments.LabelService;
import dev.shipgate.spend.Spender;
import dev.shipgate.shipments.ShipmentRequests;
import dev.shipgate.shipments.ShipmentViews.ShipmentView;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works off bulk items: claims open items under a lease (SKIP LOCKED, so instances share a job without
 * taking the same item), creates each shipment once per item, buys its label when the job says so, and
 * records the outcome. Upstream failures put the item back for a later attempt; the caller's errors fail it.
 * Keeps enough items going to hold the EasyPost gateway at its full concurrency.
 */
final class BulkWorker {

    private static final Logger LOG = LoggerFactory.getLogger(BulkWorker.class);
    /**
     * Attempts of an item that keeps meeting transient failures (5xx, a timeout, a lost answer): with backoff
     * capped at a minute they span about four minutes. What EasyPost did not act on (a 429, an open breaker, a
     * full queue, a refused API key) and a purchase of the item's label under way elsewhere are waits, not attempts: such an item
     * waits as long as it takes, and the job can be cancelled.
     */
    private static final int MAX_ATTEMPTS = 8;
    private static final long IDLE_POLL_MS = 250;
    /**
     * The wait of an item whose call EasyPost refused the API key for (401/403), in seconds. The refusal lasts
     * until an operator corrects EASYPOST_API_KEY or the account is re-enabled, so the item neither fails nor
     * spends its attempts (a trial saw 8 attempts at a 401 take 3 minutes, then fail the whole job); it is
     * tried once a minute, and the job goes on by itself once the key is accepted.
     */
    static final double KEY_REFUSED_WAIT_SECONDS = 60;
    /** The longest wait of an item that keeps meeting rate limits, in seconds. */
    static final double MAX_WAIT_SECONDS = 60;

    private final Vertx vertx;
    private final Pool pool;
    private final LabelService labels;
    private final Checkout checkout;
    private final int capacity;
    private final int leaseSeconds;
    private int active;
    private boolean polling;
    private boolean stopped;
    private long timer = -1;

    BulkWorker(Vertx vertx, Pool pool, LabelService labels, Checkout checkout, int capacity, int leaseSeconds) {
        this.vertx = vertx;
        this.pool = pool;
        this.labels = labels;
        this.checkout = checkout;
        this.capacity = capacity;
        this.leaseSeconds = leaseSeconds;
    }

    void start() {
        poll();
    }

    /** Stops claiming; completes when the items in hand are recorded, or after the grace period. */
    Future<Void> stop(long graceMs) {
        stopped = true;
        vertx.cancelTimer(timer);
        Promise<Void> drained = Promise.promise();
        long deadline = System.currentTimeMillis() + graceMs;
        vertx.setPeriodic(0, 50, id -> {
            if (active == 0 || System.currentTimeMillis() > deadline) {
                vertx.cancelTimer(id);
                drained.tryComplete();
            }
        });
        return drained.future();
    }

    private void poll() {
        timer = -1;
        int room = capacity - active;
        if (stopped || polling || room <= 0) {
            return;
        }
        polling = true;
        pool.preparedQuery(BulkSql.CLAIM).execute(Tuple.of(room, leaseSeconds)).onComplete(ar -> {
            polling = false;
            if (ar.failed()) {
                if (dev.shipgate.db.DatabaseStatus.troubleOf(ar.cause()).isEmpty()) {
                    LOG.warn("claiming bulk items failed: {}", ar.cause().getMessage());
                }
                later(IDLE_POLL_MS * 4);
                return;
            }
            for (Row row : ar.result()) {
                active++;
                inOwnContext(row).onComplete(done -> {
                    active--;
                    if (timer == -1 && !polling) {
                        poll();
                    }
                });
            }
            if (ar.result().size() == room) {
                poll();
            } else {
                later(IDLE_POLL_MS);
            }
        });
    }

    private void later(long delayMs) {
        if (!stopped && timer == -1) {
            timer = vertx.setTimer(delayMs, id -> poll());
        }
    }

    /**
     * Hibernate Reactive binds its session to the Vert.x context's local data. Requests get a duplicated
     * context each; items must too, or concurrent items on this event loop would share one session.
     */
    private Future<Void> inOwnContext(Row row) {
        ContextInternal own = ((ContextInternal) vertx.getOrCreateContext()).duplicate();
        Promise<Void> done = Promise.promise();
        own.runOnContext(v -> process(row).onComplete(done));
        return done.future();
    }

    private Future<Void> process(Row row) {
        UUID job = row.getUUID("job_id");
        int position = row.getInteger("position");
        int attempts = row.getInteger("attempts");
        String strategy = row.getString("buy_strategy");
        UUID[] created = {null};
        Future<ShipmentView> outcome = buyScopeLost(row)
                // The token that pays no longer may buy (its scopes were changed after the job started): nothing
                // is created or bought, the item fails below as any refusal does, and can be retried once the
                // scope is back.
                ? Future.failedFuture(Problem.of(ProblemType.MISSING_SCOPE, "the token '" + row.getString("token_name")
                        + "' that started this job no longer has the 'buy' scope").with("missing_scope", "buy").exception())
                : createAndBuy(row, job, position, strategy, created);
        return outcome.transform(ar -> {
            if (ar.succeeded()) {
                return pool.preparedQuery(BulkSql.SUCCEEDED).execute(Tuple.of(job, position, ar.result().id()));
            }
            Problem problem = ar.cause() instanceof ProblemException p ? p.problem()
                    : Problem.of(ProblemType.INTERNAL_ERROR, ar.cause().getClass().getSimpleName());
            boolean keyRefused = EasyPostGateway.keyRefused(ar.cause());
            if (EasyPostGateway.notSent(ar.cause()) || EasyPostGateway.rateLimited(ar.cause()) || purchaseHeld(problem)
                    || keyRefused) {
                double seconds = keyRefused ? KEY_REFUSED_WAIT_SECONDS + ThreadLocalRandom.current().nextDouble()
                        : waitSeconds(problem, EasyPostGateway.rateLimited(ar.cause()), row.getInteger("waits"));
                // The item's own wait, not the answer's: a rate limit's Retry-After is doubled per wait (a trial
                // saw retry_after 2 on an item that waited 27 s).
                JsonObject error = problem.toJson().put("retry_after", (long) Math.ceil(seconds));
                return pool.preparedQuery(BulkSql.WAIT).execute(Tuple.of(job, position, seconds, error, created[0]));
            }
            if (problem.status() >= 500 || problem.status() == 409 || problem.status() == 429) {
                long delay = Math.min(60, 1L << Math.min(attempts, 6));
                if (attempts < MAX_ATTEMPTS) {
                    return pool.preparedQuery(BulkSql.RETRY_LATER)
                            .execute(Tuple.of(job, position, delay, problem.toJson(), created[0]));
                }
                return settledOrFailed(job, position, created[0], problem, delay);
            }
            return pool.preparedQuery(BulkSql.FAILED).execute(Tuple.of(job, position, created[0], problem.toJson()));
        }).compose(v -> pool.preparedQuery(BulkSql.COMPLETE_JOB).execute(Tuple.of(job))).<Void>mapEmpty()
                .onFailure(e -> LOG.warn("recording bulk item {}:{} failed: {}", job, position, e.getMessage()));
    }

    /**
     * The last attempt of an item that kept meeting transient failures. An item is never reported failed
     * while what EasyPost did for it is unsettled: a label bought whose answer was lost (the reconciler
     * records it), a purchase or a creation whose outcome is still unknown. Such an item waits and is tried
     * again; one whose label turned out bought succeeds; only one with nothing pending fails.
     */
    private Future<io.vertx.sqlclient.RowSet<Row>> settledOrFailed(UUID job, int position, UUID shipment, Problem problem, long delay) {
        return pool.preparedQuery(BulkSql.ITEM_STATE).execute(Tuple.of("bulk:" + job + ":" + position, shipment))
                .compose(rows -> {
                    Row state = rows.iterator().next();
                    UUID stored = state.getUUID("shipment_id");
                    if (state.getBoolean("bought")) {
                        return pool.preparedQuery(BulkSql.SUCCEEDED).execute(Tuple.of(job, position, stored));
                    }
                    if (state.getBoolean("unsettled")) {
                        return pool.preparedQuery(BulkSql.RETRY_LATER)
                                .execute(Tuple.of(job, position, delay, problem.toJson(), stored));
                    }
                    return pool.preparedQuery(BulkSql.FAILED).execute(Tuple.of(job, position, stored, problem.toJson()));
                });
    }

    /** A buying job whose token (not the environment's) no longer has the {@code buy} scope. */
    private static boolean buyScopeLost(Row row) {
        String[] scopes = row.getArrayOfStrings("token_scopes");
        return row.getString("buy_strategy") != null && row.getUUID("token_id") != null && scopes != null
                && !Arrays.asList(scopes).contains("buy");
    }

    /** Creates the item's shipment once (by its source key) and, when the job buys, its label; {@code created} gets the shipment's id. */
    private Future<ShipmentView> createAndBuy(Row row, UUID job, int position, String strategy, UUID[] created) {
        try {
            BulkRequests.BulkShipment request = Json.decodeStored(((JsonObject) row.getValue("request")).toBuffer(),
                    BulkRequests.BulkShipment.class);
            return labels.create(request.shipment(), "bulk:" + job + ":" + position).compose(view -> {
                created[0] = view.id();
                if (strategy == null || view.labelUrl() != null) {
                    return Future.succeededFuture(view);
                }
                ShipmentRequests.Buy buy = new ShipmentRequests.Buy(null,
                        ShipmentRequests.Strategy.valueOf(strategy.toUpperCase()),
                        list(row.getArrayOfStrings("buy_carriers")), list(row.getArrayOfStrings("buy_services")),
                        request.insurance(), null, row.getString("buy_label_format"));
                return checkout.ensureBought(view, buy, payer(row), job);
            });
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /**
     * The item's label is being bought by another attempt (409 {@code purchase-in-progress}): a live request,
     * or the lease of an instance that died mid-purchase, which the job's new owner must wait out before it reads
     * the outcome back. Nothing failed, so it is a wait for the problem's Retry-After (the lease's end when the
     * attempt was interrupted), not an attempt: a fresh-user trial saw items taken over after a kill -9 reach 7
     * of their 8 attempts without a single error.
     */
    private static boolean purchaseHeld(Problem problem) {
        return problem.type().equals(ProblemType.PURCHASE_IN_PROGRESS.uri());
    }

    /**
     * Seconds until an item EasyPost did not act on is tried again. A call that never left this service waits
     * the problem's Retry-After (the breaker's reset time, or a second for a full queue): it goes out as soon
     * as calls do. A rate limit waits its Retry-After doubled for each wait of the item before, up to a minute,
     * as EasyPost asks clients to back off. Both are spread over one more second, so that items put back
     * together do not all come back in the same instant.
     *
     * @param waits how often the item was put back this way before
     */
    static double waitSeconds(Problem problem, boolean rateLimited, int waits) {
        Object retryAfter = problem.extensions().getValue("retry_after");
        double seconds = retryAfter instanceof Number n ? Math.max(1, n.doubleValue()) : 1;
        if (rateLimited) {
            seconds = Math.min(MAX_WAIT_SECONDS, seconds * (1L << Math.min(waits, 5)));
        }
        return seconds + ThreadLocalRandom.current().nextDouble();
    }

    /** The token that submitted the job pays, with its limits as they are now. */
    private static Spender payer(Row row) {
        UUID token = row.getUUID("token_id");
        Limits limits = token == null ? Limits.NONE : new Limits(row.getBigDecimal("max_label_cost"),
                row.getBigDecimal("daily_spend"), row.getBigDecimal("approval_above"));
        String name = row.getString("token_name");
        return new Spender(token, name == null ? "environment" : name, limits, "bulk job", null);
    }

    private static List<String> list(String[] values) {
        return values == null ? null : Arrays.asList(values);
    }
}
