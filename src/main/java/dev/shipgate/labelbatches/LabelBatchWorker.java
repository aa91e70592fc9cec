package dev.shipgate.labelbatches;

import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Advances open label batches, one step at a time, in every instance (PostgreSQL's {@code SKIP LOCKED}
 * claim keeps two instances off one batch). Started once per process; a batch left mid-way by a restart
 * is taken up again when its step lease ends.
 */
public final class LabelBatchWorker {

    private static final Logger LOG = LoggerFactory.getLogger(LabelBatchWorker.class);
    /** How often an idle worker looks for due steps, in milliseconds. */
    static final long TICK_MS = 250;
    /** Most steps taken in one tick, so one busy tick cannot hold the event loop's queue for long. */
    private static final int STEPS_PER_TICK = 20;

    private final LabelBatches batches;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timer = -1;

    public LabelBatchWorker(LabelBatches batches) {
        this.batches = batches;
    }

    public void start(Vertx vertx) {
        timer = vertx.setPeriodic(TICK_MS, id -> {
            if (running.compareAndSet(false, true)) {
                run(STEPS_PER_TICK);
            }
        });
    }

    public void stop(Vertx vertx) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void run(int left) {
        batches.step().onComplete(ar -> {
            if (ar.failed()) {
                LOG.warn("label batch step failed: {}", ar.cause().toString());
            }
            if (ar.succeeded() && ar.result() && left > 1) {
                run(left - 1);
            } else {
                running.set(false);
            }
        });
    }
}
