package dev.shipgate.shipments;

import dev.shipgate.easypost.EasyPostGateway;
import dev.shipgate.easypost.EasyPostGateway.Repeat;
import dev.shipgate.http.Problem;
import dev.shipgate.shipments.ShipmentRequests.AddressInput;
import dev.shipgate.shipments.ShipmentRequests.Buy;
import dev.shipgate.shipments.ShipmentRequests.CreateShipment;
import dev.shipgate.shipments.ShipmentViews.ShipmentView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.hibernate.reactive.stage.Stage;

/**
 * Creating shipments at EasyPost and buying and refunding their labels, keeping PostgreSQL in step.
 * A purchase first takes a lease on the shipment row, so two requests (or two service instances) can
 * never buy the same label; when a purchase ends ambiguously (timeout, 5xx, crash) the lease stays and
 * the next attempt reads the shipment back from EasyPost and buys only if it still has no postage.
 */
public final class LabelService {

    static final String CLAIM = """
            WITH prior AS (SELECT id, purchase_started_at FROM shipments WHERE id = $1 FOR UPDATE)
            UPDATE shipments s SET purchase_started_at = now()
            FROM prior
            WHERE s.id = prior.id AND s.label_url IS NULL
              AND (prior.purchase_started_at IS NULL OR prior.purchase_started_at < now() - make_interval(secs => $2))
            RETURNING prior.purchase_started_at IS NOT NULL AS reconcile""";
    static final String RELEASE = "UPDATE shipments SET purchase_started_at = NULL WHERE id = $1 AND label_url IS NULL";

    private final Vertx vertx;
    private final Stage.SessionFactory sessions;
    private final Pool raw;
    private final EasyPostGateway gateway;
    private final ShipmentRepository repository;
    private final int leaseSeconds;

    public LabelService(Vertx vertx, Stage.SessionFactory sessions, Pool raw, EasyPostGateway gateway, int leaseSeconds) {
        this.vertx = vertx;
        this.leaseSeconds = leaseSeconds;
        this.sessions = sessions;
        this.raw = raw;
        this.gateway = gateway;
        this.repository = new ShipmentRepository(sessions);
    }

    public Future<ShipmentView> create(CreateShipment request) {
        return create(request, null);
    }

    /**
     * Creates the shipment once per {@code sourceKey} (a bulk item): when a shipment with that key exists,
     * it is returned instead of creating another at EasyPost.
     */
    public Future<ShipmentView> create(CreateShipment request, String sourceKey) {
        Future<UUID> existing = sourceKey == null ? Future.succeededFuture()
                : raw.preparedQuery("SELECT id FROM shipments WHERE source_key = $1").execute(Tuple.of(sourceKey))
                        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID("id"));
        return existing.compose(id -> id != null ? orm(repository.find(id))
                : gateway.call("create shipment", Repeat.SAFE, c -> c.shipment.create(request.toEasyPost()))
                        .recover(e -> Future.failedFuture(gateway.problem(e)))
                        .compose(created -> orm(store(request, created, sourceKey))));
    }

    private CompletionStage<ShipmentView> store(CreateShipment request, com.easypost.model.Shipment created,
                                                String sourceKey) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Address from = address(request.fromAddress(), created.getFromAddress() == null ? null : created.getFromAddress().getId());
        Address to = address(request.toAddress(), created.getToAddress() == null ? null : created.getToAddress().getId());
        var p = request.parcel();
        Parcel parcel = new Parcel(UUID.randomUUID(), created.getParcel() == null ? null : created.getParcel().getId(),
                p.length(), p.width(), p.height(), p.weight(), p.predefinedPackage());
        Shipment shipment = new Shipment(UUID.randomUUID(), created.getId(), request.reference(), from, to, parcel,
                sourceKey, now);
        List<Rate> rates = new ArrayList<>();
        for (com.easypost.model.Rate r : created.getRates() == null ? List.<com.easypost.model.Rate>of() : created.getRates()) {
            rates.add(rate(shipment.getId(), r));
        }
        List<Object> all = new ArrayList<>(List.of(from, to, parcel, shipment));
        all.addAll(rates);
        return sessions.withTransaction((session, tx) -> session.persist(all.toArray())
                .thenApply(v -> ShipmentView.of(shipment, null, rates.stream()
                        .sorted(Comparator.comparing(Rate::getRate)).toList())));
    }

    public Future<ShipmentView> buy(UUID id, Buy request) {
        return orm(repository.find(id)).compose(view -> {
            if (view == null) {
                return Future.failedFuture(Problem.of(404, "Not found", "no shipment " + id).exception());
            }
            if (view.labelUrl() != null) {
                return Future.failedFuture(alreadyBought(id));
            }
            ShipmentViews.RateView chosen = RateChoice.choose(view.rates(), request);
            return claim(id).compose(reconcile -> purchase(view.easypostId(), chosen.easypostId(), reconcile)
                    .recover(failure -> EasyPostGateway.ambiguous(failure)
                            ? Future.failedFuture(gateway.problem(failure))
                            : raw.preparedQuery(RELEASE).execute(Tuple.of(id))
                                    .transform(released -> Future.failedFuture(gateway.problem(failure))))
                    .compose(bought -> orm(recordPurchase(id, bought))));
        });
    }

    private Future<Boolean> claim(UUID id) {
        return raw.preparedQuery(CLAIM).execute(Tuple.of(id, leaseSeconds)).compose(rows -> {
            if (rows.size() == 1) {
                return Future.succeededFuture(rows.iterator().next().getBoolean("reconcile"));
            }
            return raw.preparedQuery("SELECT label_url FROM shipments WHERE id = $1").execute(Tuple.of(id))
                    .compose(state -> {
                        Row row = state.iterator().hasNext() ? state.iterator().next() : null;
                        if (row != null && row.getString("label_url") != null) {
                            return Future.failedFuture(alreadyBought(id));
                        }
                        return Future.failedFuture(Problem.of(409, "Purchase in progress",
                                "a label for shipment " + id + " is being bought right now").retryAfter(2).exception());
                    });
        });
    }

    /**
     * Buys the rate at EasyPost. After an earlier ambiguous attempt, or when this one ends ambiguously,
     * the shipment is read back first and bought only if EasyPost shows no postage on it.
     */
    private Future<com.easypost.model.Shipment> purchase(String easypostId, String rateId, boolean reconcile) {
        if (reconcile) {
            return readBack(easypostId).compose(current -> current.getPostageLabel() != null
                    ? Future.succeededFuture(current) : buyOnce(easypostId, rateId));
        }
        return buyOnce(easypostId, rateId).recover(failure -> EasyPostGateway.ambiguous(failure) || postageExists(failure)
                ? readBack(easypostId).compose(current -> current.getPostageLabel() != null
                        ? Future.succeededFuture(current) : buyOnce(easypostId, rateId))
                : Future.failedFuture(failure));
    }

    private Future<com.easypost.model.Shipment> buyOnce(String easypostId, String rateId) {
        return gateway.call("buy label", Repeat.ONCE,
                c -> c.shipment.buy(easypostId, Map.<String, Object>of("rate", Map.of("id", rateId))));
    }

    private Future<com.easypost.model.Shipment> readBack(String easypostId) {
        return gateway.call("retrieve shipment", Repeat.SAFE, c -> c.shipment.retrieve(easypostId));
    }

    private static boolean postageExists(Throwable failure) {
        return failure instanceof com.easypost.exception.APIException api
                && String.valueOf(api.getCode()).contains("POSTAGE.EXISTS");
    }

    private CompletionStage<ShipmentView> recordPurchase(UUID id, com.easypost.model.Shipment bought) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        com.easypost.model.Rate selected = bought.getSelectedRate();
        return sessions.withTransaction((session, tx) -> session.find(Shipment.class, id)
                .thenCompose(shipment -> session.createSelectionQuery("from Rate r where r.shipmentId = :id", Rate.class)
                        .setParameter("id", id).getResultList()
                        .thenApply(rates -> {
                            Rate paid = rates.stream().filter(r -> selected.getId().equals(r.getEasypostId())).findFirst()
                                    .orElseGet(() -> rate(id, selected));
                            shipment.purchased(paid, bought.getTrackingCode(),
                                    bought.getPostageLabel().getLabelUrl(),
                                    bought.getTracker() == null ? null : bought.getTracker().getId(),
                                    bought.getStatus() == null ? "unknown" : bought.getStatus(), now);
                            return shipment;
                        })))
                .thenCompose(saved -> repository.find(id));
    }

    public Future<ShipmentView> refund(UUID id) {
        return orm(repository.find(id)).compose(view -> {
            if (view == null) {
                return Future.failedFuture(Problem.of(404, "Not found", "no shipment " + id).exception());
            }
            if (view.labelUrl() == null) {
                return Future.failedFuture(Problem.of(409, "No label", "shipment " + id + " has no label to refund").exception());
            }
            if (view.refundStatus() != null) {
                return Future.succeededFuture(view);
            }
            return gateway.call("refund label", Repeat.SAFE, c -> c.shipment.refund(view.easypostId()))
                    .recover(e -> Future.failedFuture(gateway.problem(e)))
                    .compose(refunded -> orm(sessions.withTransaction((session, tx) -> session.find(Shipment.class, id)
                                    .thenAccept(s -> s.refundRequested(refunded.getRefundStatus(), OffsetDateTime.now(ZoneOffset.UTC))))
                            .thenCompose(v -> repository.find(id))));
        });
    }

    private static Address address(AddressInput a, String easypostId) {
        return new Address(UUID.randomUUID(), easypostId, a.name(), a.company(), a.street1(), a.street2(), a.city(),
                a.state(), a.zip(), a.countryOrDefault(), a.phone(), a.email(), a.residential(), false);
    }

    private static Rate rate(UUID shipmentId, com.easypost.model.Rate r) {
        return new Rate(UUID.randomUUID(), r.getId(), shipmentId, r.getCarrier(), r.getService(),
                new BigDecimal(Float.toString(r.getRate())), r.getCurrency() == null ? "USD" : r.getCurrency(),
                r.getDeliveryDays() == null ? null : r.getDeliveryDays().intValue());
    }

    private static dev.shipgate.http.ProblemException alreadyBought(UUID id) {
        return Problem.of(409, "Already bought", "shipment " + id + " already has a label").exception();
    }

    private <T> Future<T> orm(CompletionStage<T> stage) {
        return Future.fromCompletionStage(stage, vertx.getOrCreateContext());
    }
}
