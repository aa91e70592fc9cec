package dev.shipgate.labelbatches;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Advances open label batches, one step at a time, in every instance (PostgreSQL's {@code SKIP LOCKED}
 * claim keeps two instances off one batch). It runs when a batch is stored here, when the next stored
 * step is due, and otherwise every {@link #IDLE_MS} (batches stored by other instances, or left by a
 * crash), so an idle service asks PostgreSQL nothing more often than that. Started once per process.
 */
public final class LabelBatchWorker {

    private static final Logger LOG = LoggerFactory.getLogger(LabelBatchWorker.class);
    /** Longest wait between looks when no step is due, in milliseconds. */
    static final long IDLE_MS = 30_000;
    /** Shortest wait between runs, in milliseconds, so a flood of due steps still yields the event loop. */
    private static final long MIN_WAIT_MS = 50;
    /** Most steps taken in one run. */
    private static final int STEPS_PER_RUN = 20;

    private final LabelBatches batches;
    private Vertx vertx;
    private Context context;
    private boolean running;
    private long timer = -1;
    private long timerDue = Long.MAX_VALUE;

    public LabelBatchWorker(LabelBatches batches) {
        this.batches = batches;
    }

    /** Starts at once (a restart resumes open batches) and runs on one context of its own. */
    public void start(Vertx vertx) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        batches.onCreated(() -> context.runOnContext(v -> schedule(0)));
        context.runOnContext(v -> schedule(0));
    }

    /** Runs in {@code delayMs} unless a run is already due sooner. On the worker's context only. */
    private void schedule(long delayMs) {
        long due = System.currentTimeMillis() + delayMs;
        if (running || due >= timerDue) {
            if (running) {
                timerDue = Math.min(timerDue, due);
            }
            return;
        }
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        timerDue = due;
        timer = vertx.setTimer(Math.max(1, delayMs), id -> {
            timer = -1;
            timerDue = Long.MAX_VALUE;
            running = true;
            run(STEPS_PER_RUN);
        });
    }

    private void run(int left) {
        batches.step().onComplete(ar -> {
            if (ar.failed()) {
                LOG.warn("label batch step failed: {}", ar.cause().toString());
            }
            if (ar.succeeded() && ar.result() && left > 1) {
                run(left - 1);
                return;
            }
            batches.nextDue().onComplete(next -> {
                running = false;
                long asked = timerDue == Long.MAX_VALUE ? IDLE_MS : Math.max(0, timerDue - System.currentTimeMillis());
                timerDue = Long.MAX_VALUE;
                long wait = next.succeeded() && next.result() != null ? Math.min(next.result(), IDLE_MS) : IDLE_MS;
                schedule(Math.max(MIN_WAIT_MS, Math.min(wait, asked)));
            });
        });
    }
}
