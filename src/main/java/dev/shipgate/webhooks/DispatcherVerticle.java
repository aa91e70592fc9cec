package dev.shipgate.webhooks;

import dev.shipgate.config.WebhookConfig;
import io.vertx.core.AbstractVerticle;
import io.vertx.sqlclient.Pool;

/**
 * Deploys the one webhook {@link Dispatcher} of this service instance on a context of its own; several
 * instances on one database share the work through their leases.
 */
public final class DispatcherVerticle extends AbstractVerticle {

    private final Pool pool;
    private final WebhookConfig config;
    private Dispatcher dispatcher;

    /** Delivers what is queued in {@code pool}'s database as {@code config} says. */
    public DispatcherVerticle(Pool pool, WebhookConfig config) {
        this.pool = pool;
        this.config = config;
    }

    @Override
    public void start() {
        dispatcher = new Dispatcher(vertx, pool, config);
        dispatcher.start();
    }

    @Override
    public void stop() {
        dispatcher.stop();
    }
}
