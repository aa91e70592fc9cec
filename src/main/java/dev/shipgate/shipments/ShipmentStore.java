package dev.shipgate.shipments;

import dev.shipgate.db.Retry;
import dev.shipgate.shipments.ShipmentRequests.AddressInput;
import dev.shipgate.shipments.ShipmentRequests.CreateShipment;
import dev.shipgate.shipments.ShipmentViews.RateView;
import dev.shipgate.shipments.ShipmentViews.ShipmentView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.hibernate.reactive.stage.Stage;

/**
 * The entity writes of the money path through Hibernate Reactive: a shipment EasyPost created, a label
 * it sold, a refund it accepted. Each is repeated while PostgreSQL is briefly away ({@link Retry}): what
 * EasyPost has done must be recorded. Each answers the shipment as the API shows it, built from what
 * was written, without reading it back.
 */
final class ShipmentStore {

    private static final String RECORD_PURCHASE = """
            update Shipment s set s.carrier = :carrier, s.service = :service, s.rate = :rate,
                s.currency = :currency, s.trackingCode = :trackingCode, s.labelUrl = :labelUrl, s.labelFormat = :labelFormat,
                s.trackerId = :trackerId, s.status = :status, s.purchaseStartedAt = null,
                s.purchaseUnverified = false, s.updatedAt = :at
            where s.id = :id and s.labelUrl is null""";
    private static final String RECORD_REFUND =
            "update Shipment s set s.refundStatus = :refundStatus, s.updatedAt = :at where s.id = :id";

    private final Vertx vertx;
    private final Stage.SessionFactory sessions;

    ShipmentStore(Vertx vertx, Stage.SessionFactory sessions) {
        this.vertx = vertx;
        this.sessions = sessions;
    }

    /** Stores a shipment EasyPost created for {@code request}, with all its rates, under {@code sourceKey}. */
    Future<ShipmentView> created(CreateShipment request, com.easypost.model.Shipment created, String sourceKey) {
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
        ShipmentView view = ShipmentView.of(shipment, null, rates.stream().sorted(Comparator.comparing(Rate::getRate)).toList());
        return Retry.write(vertx, () -> orm(sessions.withTransaction((session, tx) -> session.persist(all.toArray()))))
                .map(v -> view);
    }

    /**
     * Records the label EasyPost sold for {@code shipment}, its file's format read from EasyPost's
     * {@code label_file_type}, else the one {@code asked}; answers the shipment with it.
     */
    Future<ShipmentView> purchased(ShipmentView shipment, com.easypost.model.Shipment bought, LabelFormat asked) {
        LabelFormat format = LabelFormat.ofMediaType(bought.getPostageLabel().getLabelFileType(), asked);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        com.easypost.model.Rate selected = bought.getSelectedRate();
        RateView paid = shipment.rates().stream()
                .filter(r -> selected != null && selected.getId().equals(r.easypostId())).findFirst()
                .orElseGet(() -> new RateView(null, selected == null ? null : selected.getId(),
                        selected == null ? null : selected.getCarrier(), selected == null ? null : selected.getService(),
                        selected == null || selected.getRate() == null ? null : new BigDecimal(Float.toString(selected.getRate())),
                        selected == null || selected.getCurrency() == null ? "USD" : selected.getCurrency(), null));
        String labelUrl = bought.getPostageLabel().getLabelUrl();
        String trackerId = bought.getTracker() == null ? null : bought.getTracker().getId();
        String status = bought.getStatus() == null ? "unknown" : bought.getStatus();
        return Retry.write(vertx, () -> orm(sessions.withStatelessSession(session -> session
                        .createMutationQuery(RECORD_PURCHASE)
                        .setParameter("carrier", paid.carrier()).setParameter("service", paid.service())
                        .setParameter("rate", paid.rate()).setParameter("currency", paid.currency())
                        .setParameter("trackingCode", bought.getTrackingCode()).setParameter("labelUrl", labelUrl)
                        .setParameter("labelFormat", format.lowerName())
                        .setParameter("trackerId", trackerId).setParameter("status", status)
                        .setParameter("at", now).setParameter("id", shipment.id())
                        .executeUpdate())))
                .map(updated -> new ShipmentView(shipment.id(), shipment.easypostId(), status, paid.carrier(),
                        paid.service(), paid.rate(), paid.currency(), bought.getTrackingCode(), labelUrl,
                        shipment.reference(), shipment.refundStatus(), shipment.fromAddress(), shipment.toAddress(),
                        shipment.parcel(), shipment.rates(), shipment.latestEvent(), shipment.createdAt(), now));
    }

    /** Records the refund status EasyPost gave; answers the shipment with it. */
    Future<ShipmentView> refunded(ShipmentView shipment, String refundStatus) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return Retry.write(vertx, () -> orm(sessions.withStatelessSession(session -> session
                        .createMutationQuery(RECORD_REFUND)
                        .setParameter("refundStatus", refundStatus).setParameter("at", now)
                        .setParameter("id", shipment.id()).executeUpdate())))
                .map(updated -> new ShipmentView(shipment.id(), shipment.easypostId(), shipment.status(),
                        shipment.carrier(), shipment.service(), shipment.rate(), shipment.currency(),
                        shipment.trackingCode(), shipment.labelUrl(), shipment.reference(), refundStatus,
                        shipment.fromAddress(), shipment.toAddress(), shipment.parcel(), shipment.rates(),
                        shipment.latestEvent(), shipment.createdAt(), now));
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

    private <T> Future<T> orm(CompletionStage<T> stage) {
        return Future.fromCompletionStage(stage, vertx.getOrCreateContext());
    }
}
