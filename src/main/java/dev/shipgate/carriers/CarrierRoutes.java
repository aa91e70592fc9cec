package dev.shipgate.carriers;

import java.util.List;
import dev.shipgate.http.Handlers;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /carrier-accounts[?refresh=true]}: what this EasyPost account can ship with. */
public final class CarrierRoutes {

    private final CarrierAccounts accounts;

    public CarrierRoutes(CarrierAccounts accounts) {
        this.accounts = accounts;
    }

    public void mount(Router router) {
        router.get("/carrier-accounts").handler(Handlers.json(this::list));
    }

    private Future<CarrierAccounts.Listing> list(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of("refresh"));
        String refresh = ctx.queryParams().get("refresh");
        if (refresh != null && !refresh.equals("true") && !refresh.equals("false")) {
            throw dev.shipgate.http.Problem.invalidParam("refresh", "must be true or false").exception();
        }
        return accounts.list("true".equals(refresh));
    }
}
