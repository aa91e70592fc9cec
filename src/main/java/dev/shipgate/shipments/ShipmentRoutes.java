package dev.shipgate.shipments;

import dev.shipgate.http.Problem;
import dev.shipgate.http.Responses;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.UUID;
import org.hibernate.reactive.stage.Stage;

/** Shipment reads: one shipment through the entity path, the list through the raw path. */
public final class ShipmentRoutes {

    private final ShipmentRepository repository;
    private final ShipmentListSql list;

    public ShipmentRoutes(Stage.SessionFactory sessions, Pool rawPool) {
        this.repository = new ShipmentRepository(sessions);
        this.list = new ShipmentListSql(rawPool);
    }

    public void mount(Router router) {
        router.get("/shipments").handler(this::list);
        router.get("/shipments/:id").handler(this::get);
    }

    private void get(RoutingContext ctx) {
        UUID id = parseId(ctx.pathParam("id"));
        Future.fromCompletionStage(repository.find(id), ctx.vertx().getOrCreateContext())
                .onSuccess(shipment -> {
                    if (shipment == null) {
                        ctx.fail(Problem.of(404, "Not found", "no shipment " + id).exception());
                    } else {
                        Responses.json(ctx, shipment);
                    }
                })
                .onFailure(ctx::fail);
    }

    private void list(RoutingContext ctx) {
        list.page(ListQuery.parse(ctx.queryParams()))
                .onSuccess(page -> Responses.json(ctx, page))
                .onFailure(ctx::fail);
    }

    static UUID parseId(String raw) {
        try {
            if (raw.length() == 36) {
                return UUID.fromString(raw);
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw Problem.invalidParam("id", "must be a shipment id (a UUID)").exception();
    }
}
