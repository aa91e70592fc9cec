package dev.shipgate.shipments;

import java.util.List;
import dev.shipgate.carriers.CarrierAccounts;
import dev.shipgate.http.Handlers;
import dev.shipgate.http.Idempotency;
import dev.shipgate.http.Json;
import dev.shipgate.http.Params;
import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemType;
import dev.shipgate.shipments.ShipmentViews.ShipmentPage;
import dev.shipgate.shipments.ShipmentViews.ShipmentView;
import dev.shipgate.http.Reply;
import dev.shipgate.audit.AuditLog;
import dev.shipgate.spend.Spender;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import java.util.UUID;

/**
 * Shipments: reads on the raw path (one shipment, the list), creation at EasyPost, label purchase and
 * refund on the entity path. Every POST that creates or spends honours {@code Idempotency-Key}.
 */
public final class ShipmentRoutes {

    /** Bare dates in list filters are days of this zone ({@code BUSINESS_TIMEZONE}). */
    private final java.time.ZoneId businessZone;
    private final ShipmentReadSql reads;
    private final ShipmentListSql list;
    private final LabelService labels;
    private final Checkout checkout;
    private final LabelFiles files;
    private final CreationReconciler reconciler;
    private final Idempotency idempotency;
    private final CarrierAccounts carriers;
    private final Returns returns;

    /**
     * {@code readPool} serves the list, which may lag the primary by the replication delay when a read
     * replica is configured; one shipment ({@code GET /shipments/{id}}) is read from {@code rawPool}, the
     * primary, so it is there the moment its creation has answered.
     */
    public ShipmentRoutes(Pool rawPool, Pool readPool, LabelService labels, Checkout checkout, LabelFiles files,
                          CreationReconciler reconciler, Idempotency idempotency, CarrierAccounts carriers,
                          java.time.ZoneId businessZone) {
        this.businessZone = businessZone;
        this.files = files;
        this.carriers = carriers;
        this.returns = new Returns(labels);
        this.reads = new ShipmentReadSql(rawPool);
        this.list = new ShipmentListSql(readPool, carriers);
        this.labels = labels;
        this.checkout = checkout;
        this.reconciler = reconciler;
        this.idempotency = idempotency;
    }

    /** The query parameters of {@code GET /shipments} (and its export); any other is a 400 naming it. */
    static final List<String> LIST_PARAMS = List.of("limit", "cursor", "status", "carrier", "created_from", "created_to", "q");

    public void mount(Router router, BodyHandler body) {
        router.get("/shipments").handler(Handlers.json(this::list));
        router.post("/shipments").handler(body).handler(idempotency.guard(201, this::create));
        router.get("/shipments/:id").handler(Handlers.json(this::get));
        router.post("/shipments/:id/buy").handler(body).handler(idempotency.replies(this::buy));
        router.post("/shipments/:id/label").handler(body).handler(Handlers.json(this::label));
        router.post("/shipments/:id/refund").handler(body).handler(idempotency.guard(200, this::refund));
        router.post("/shipments/:id/insure").handler(body).handler(idempotency.guard(200, this::insure));
        router.post("/shipments/:id/return").handler(body).handler(idempotency.guard(201, this::createReturn));
        router.get("/reconciliation").handler(Handlers.json(this::reconciliation));
    }

    /** Creations, purchases and EasyPost shipments whose outcome still needs reconciling, for an operator. */
    private Future<JsonObject> reconciliation(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of());
        return reconciler.report();
    }

    private Future<ShipmentView> create(RoutingContext ctx) {
        ShipmentRequests.CreateShipment request = Json.decode(ctx.body().buffer(), ShipmentRequests.CreateShipment.class);
        String requestKey = ctx.get(Idempotency.REQUEST_KEY);
        return labels.create(request, requestKey == null ? null : "key:" + requestKey).map(view -> {
            AuditLog.shipment(ctx, view.id());
            return view;
        });
    }

    /**
     * Buys a label. Refused before anything is spent when the carrier restriction names no connected
     * carrier (422 naming {@code carriers}), the service restriction names a service those carriers do not
     * sell (422 {@code unknown-service} naming {@code services}, {@link dev.shipgate.carriers.ServiceCatalog}) or the insured amount exceeds the customs value declared
     * (422 naming {@code insurance}: a carrier pays out at most what was declared).
     */
    private Future<Reply> buy(RoutingContext ctx) {
        UUID id = parseId(ctx.pathParam("id"));
        ShipmentRequests.Buy request = Json.decode(ctx.body().buffer(), ShipmentRequests.Buy.class);
        return carriers.requireConnected("carriers", request.carriers())
                .compose(ok -> request.rateId() != null ? Future.<Void>succeededFuture()
                        : carriers.requireServices("services", request.carriers(), request.services()))
                .compose(ok -> request.insurance() == null ? Future.succeededFuture() : labels.find(id).compose(view -> {
                    Problem above = BoughtLabels.aboveCustomsValue("insurance", request.insurance(), view.customsInfo());
                    return above == null ? Future.succeededFuture() : Future.failedFuture(above.exception());
                }))
                .compose(ok -> checkout.buy(id, request, Spender.of(ctx), () -> AuditLog.recorded(ctx)))
                .map(outcome -> Reply.json(outcome.status(), outcome.body()));
    }

    /** The body of {@code POST /shipments/{id}/label}: the file format wanted (png, pdf, zpl, epl2). */
    record LabelRequest(@jakarta.validation.constraints.NotNull String format) {
    }

    /**
     * The bought label in another format: validated before anything else (422 naming {@code format}), answered
     * from storage when converted before, else converted by EasyPost once ({@link LabelFiles}).
     */
    private Future<LabelFiles.LabelFile> label(RoutingContext ctx) {
        UUID id = parseId(ctx.pathParam("id"));
        LabelRequest request = Json.decode(ctx.body().buffer(), LabelRequest.class);
        return files.label(id, LabelFormat.parse("format", request.format()));
    }

    /**
     * Insures a bought shipment: 409 {@code no-label} when it has none yet (EasyPost insures bought shipments
     * only), 409 {@code label-refunded} when its label is void, 422 naming {@code amount} above the customs
     * value declared (the rule buy's {@code insurance} follows, {@link BoughtLabels}); the fee counts against
     * the token's limits ({@link Checkout#insure}) and is the audit row's amount (the fee bound until
     * EasyPost's fee is known).
     */
    private Future<ShipmentView> insure(RoutingContext ctx) {
        UUID id = parseId(ctx.pathParam("id"));
        ShipmentRequests.Insure request = Json.decode(ctx.body().buffer(), ShipmentRequests.Insure.class);
        return labels.find(id).compose(view -> {
            if (view.labelUrl() == null) {
                return Future.failedFuture(Problem.of(ProblemType.NO_LABEL, "shipment " + id
                        + " has no label yet: buy it with insurance, or insure it once bought").exception());
            }
            Problem refunded = BoughtLabels.refused("id", id, view.refundStatus(), "insured");
            if (refunded != null) {
                return Future.failedFuture(refunded.exception());
            }
            if (view.insuredAmount() != null) {
                return Future.failedFuture(Problem.of(ProblemType.CONFLICT, "shipment " + id + " is already insured for "
                        + view.insuredAmount().toPlainString() + " USD").exception());
            }
            Problem above = BoughtLabels.aboveCustomsValue("amount", request.amount(), view.customsInfo());
            if (above != null) {
                return Future.failedFuture(above.exception());
            }
            AuditLog.amount(ctx, dev.shipgate.spend.SpendPolicy.insuranceFee(request.amount()), "USD");
            return checkout.insure(view, request.amount(), Spender.of(ctx)).onSuccess(insured -> {
                if (insured.insuranceFee() != null) {
                    AuditLog.amount(ctx, insured.insuranceFee(), "USD");
                }
            });
        });
    }

    private Future<ShipmentView> createReturn(RoutingContext ctx) {
        return returns.create(parseId(ctx.pathParam("id")));
    }

    private Future<ShipmentView> refund(RoutingContext ctx) {
        return labels.refund(parseId(ctx.pathParam("id")));
    }

    private Future<ShipmentView> get(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, List.of());
        UUID id = parseId(ctx.pathParam("id"));
        return reads.find(id).compose(shipment -> shipment != null ? Future.succeededFuture(shipment)
                : Future.failedFuture(Problem.of(ProblemType.NOT_FOUND, "no shipment " + id).exception()));
    }

    private Future<ShipmentPage> list(RoutingContext ctx) {
        dev.shipgate.http.Params.only(ctx, LIST_PARAMS);
        return list.page(ListQuery.parse(ctx.queryParams(), businessZone));
    }

    static UUID parseId(String raw) {
        return Params.uuid("id", raw, "a shipment id");
    }
}
