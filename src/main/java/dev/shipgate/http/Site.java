package dev.shipgate.http;

import dev.shipgate.config.ShipgateConfig;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * What the features hang on the router tree that {@link HttpVerticle} builds. The verticle owns the
 * shape (where the API is mounted, that authentication runs first on the protected part); the site
 * only says which routes go in which part, so a route is public only if it is put in the public part.
 */
public interface Site {

    ShipgateConfig config();

    Drain drain();

    RouteCatalog routes();

    /** At the root only, before the API: CORS and the dashboard's files. */
    void mountRoot(Router root);

    /** Under {@code /} and {@code /api/}, no token: health, docs, webhooks (signed instead). */
    void mountPublic(Router api, BodyHandler body);

    /** Runs first on every protected route and names the {@link Caller}, or answers 401. */
    Handler<RoutingContext> authentication();

    /** Under {@code /} and {@code /api/}, behind {@link #authentication()}: everything else. */
    void mountProtected(Router api, BodyHandler body);
}
