package dev.shipgate.pickups;

import java.util.List;
import dev.shipgate.http.Handlers;
import dev.shipgate.http.Idempotency;
import dev.shipgate.http.Json;
import dev.shipgate.http.PageCursor;
import dev.shipgate.http.Params;
import dev.shipgate.pickups.PickupViews.BuyPickup;
import dev.shipgate.pickups.PickupViews.CreatePickup;
import dev.shipgate.pickups.PickupViews.PickupPage;
import dev.shipgate.pickups.PickupViews.PickupView;
import dev.shipgate.spend.Spender;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.UUID;

/**
 * Pickups: ask for one (with its rates), buy it, cancel it, list them. Every POST honours
 * {@code Idempotency-Key}; buying is also leased, so even two requests without a key buy once.
 */
public final class PickupRoutes {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    private final Pickups pickups;
    private final Idempotency idempotency;

    public PickupRoutes(Pickups pickups, Idempotency idempotency) {
        this.pickups = pickups;
        this.idempotency = idempotency;
    }

    public void mount(Router router, BodyHandler body) {
        router.get("/pickups").handler(Handlers.json(this::list));
        router.post("/pickups").handler(body).handler(idempotency.guard(201, this::create));
        router.get("/pickups/:id").handler(Handlers.json(this::get));
        router.post("/pickups/:id/buy").handler(body).handler(idempotency.guard(200, this::buy));
        router.post("/pickups/:id/cancel").handler(body).handler(idempotency.guard(200, this::cancel));
    }

    private Future<PickupView> create(RoutingContext ctx) {
        return pickups.create(Json.decode(ctx.body().buffer(), CreatePickup.class));
    }

    private Future<PickupView> buy(RoutingContext ctx) {
        UUID id = id(ctx);
        return pickups.buy(id, Json.decode(ctx.body().buffer(), BuyPickup.class), Spender.of(ctx));
    }

    private Future<PickupView> cancel(RoutingContext ctx) {
        return pickups.cancel(id(ctx));
    }

    private Future<PickupView> get(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of());
        return pickups.find(id(ctx));
    }

    private Future<PickupPage> list(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of("limit", "cursor"));
        int limit = Params.integer("limit", ctx.queryParams().get("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT);
        String cursor = Params.text("cursor", ctx.queryParams().get("cursor"), 200);
        return pickups.page(limit, cursor == null ? null : PageCursor.decode(cursor));
    }

    private static UUID id(RoutingContext ctx) {
        return Params.uuid("id", ctx.pathParam("id"), "a pickup id");
    }
}
