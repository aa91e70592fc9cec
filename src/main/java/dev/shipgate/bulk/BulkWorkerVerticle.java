package dev.shipgate.bulk;

import dev.shipgate.shipments.LabelService;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;

/**
 * Runs a bulk worker on its event loop. One instance per event loop: an item's JSON, validation and
 * Hibernate work is CPU-bound, and one loop alone could not keep the EasyPost gateway at its cap.
 */
public final class BulkWorkerVerticle extends AbstractVerticle {

    private final Pool pool;
    private final LabelService labels;
    private final dev.shipgate.shipments.Checkout checkout;
    private final int capacity;
    private final int leaseSeconds;
    private BulkWorker worker;

    public BulkWorkerVerticle(Pool pool, LabelService labels, dev.shipgate.shipments.Checkout checkout, int capacity,
                              int leaseSeconds) {
        this.checkout = checkout;
        this.pool = pool;
        this.labels = labels;
        this.capacity = capacity;
        this.leaseSeconds = leaseSeconds;
    }

    @Override
    public void start() {
        worker = new BulkWorker(vertx, pool, labels, checkout, capacity, leaseSeconds);
        worker.start();
    }

    @Override
    public void stop(Promise<Void> stopped) {
        worker.stop(10_000).onComplete(stopped);
    }
}
