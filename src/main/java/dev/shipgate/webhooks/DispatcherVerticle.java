package dev.shipgate.webhooks;

import dev.shipgate.config.WebhookConfig;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys the one webhook {@link Dispatcher} of this service instance on a context of its own; several
 * instances on one database share the work through their leases. A {@link PgSubscriber} on a connection of
 * its own listens on {@value Dispatcher#CHANNEL} and wakes the dispatcher when deliveries are queued, so
 * one goes out within milliseconds of the commit rather than at the next poll; it reconnects by itself
 * after a lost connection, and the poll covers what is missed meanwhile.
 */
public final class DispatcherVerticle extends AbstractVerticle {

    private static final Logger LOG = LoggerFactory.getLogger(DispatcherVerticle.class);
    /** The wait before the listener tries to reconnect, in milliseconds. */
    private static final long RECONNECT_MS = 1_000;

    private final Pool pool;
    private final WebhookConfig config;
    private final PgConnectOptions listen;
    private Dispatcher dispatcher;
    private PgSubscriber subscriber;

    /**
     * Delivers what is queued in {@code pool}'s database as {@code config} says, woken by notifications
     * received on a connection made with {@code listen}.
     */
    public DispatcherVerticle(Pool pool, WebhookConfig config, PgConnectOptions listen) {
        this.pool = pool;
        this.config = config;
        this.listen = listen;
    }

    @Override
    public void start() {
        dispatcher = new Dispatcher(vertx, pool, config);
        dispatcher.start();
        Context context = vertx.getOrCreateContext();
        subscriber = PgSubscriber.subscriber(vertx, listen).reconnectPolicy(retries -> RECONNECT_MS);
        subscriber.channel(Dispatcher.CHANNEL).handler(payload -> context.runOnContext(v -> dispatcher.wake()))
                // each (re)connected LISTEN connection: a reset when the database goes away is the outage the
                // pools already report once; unhandled, Vert.x would print it to standard error as well
                .subscribeHandler(v -> {
                    if (subscriber.actualConnection() != null) {
                        subscriber.actualConnection().exceptionHandler(e ->
                                LOG.debug("webhook listener's connection failed ({}); reconnecting", e.toString()));
                    }
                });
        subscriber.connect().onFailure(e -> LOG.warn("webhook listener cannot connect ({}); deliveries go out at each poll",
                e.getMessage()));
    }

    @Override
    public void stop() {
        subscriber.close();
        dispatcher.stop();
    }
}
