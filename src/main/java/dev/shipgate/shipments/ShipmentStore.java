package dev.shipgate.shipments;

import dev.shipgate.db.Retry;
import dev.shipgate.webhooks.Outbox;
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

    /**
     * Records a bought label and emits {@code label.purchased} in the same statement (so the event exists
     * exactly when the label does, at no extra round trip); answers 1 when this call recorded the label, 0
     * when it was already there. Native SQL because HQL cannot hold a data-modifying CTE.
     */
    private static final String RECORD_PURCHASE = """
            with bought as (
                update shipments set carrier = :carrier, service = :service, rate = :rate, currency = :currency,
                    tracking_code = :trackingCode, label_url = :labelUrl, label_format = :labelFormat,
                    tracker_id = :trackerId, status = :status, purchase_started_at = null,
                    purchase_unverified = false, insured_amount = :insured, insurance_fee = :fee, updated_at = :at
                where id = :id and label_url is null
                returning id)
            select cast(count(webhook_emit(:eventType, :eventType || ':' || cast(id as text), :event)) as integer) from bought""";
    private static final String RECORD_INSURANCE = """
            update Shipment s set s.insuredAmount = :insured, s.insuranceFee = :fee, s.updatedAt = :at
            where s.id = :id""";
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
        return created(request, created, sourceKey, null);
    }

    /**
     * Stores a shipment EasyPost created, with its rates and customs declaration, in one transaction;
     * {@code returnOf} is the original when this is its return shipment (else null).
     */
    Future<ShipmentView> created(CreateShipment request, com.easypost.model.Shipment created, String sourceKey, UUID returnOf) {
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
        if (returnOf != null) {
            shipment.returnOf(returnOf);
        }
        List<Object> all = new ArrayList<>(List.of(from, to, parcel, shipment));
        all.addAll(rates);
        var customs = request.customsInfo();
        if (customs != null) {
            var sent = created.getCustomsInfo();
            all.add(new CustomsInfo(shipment.getId(), sent == null ? null : sent.getId(), customs));
            for (int i = 0; i < customs.customsItems().size(); i++) {
                var item = sent == null || sent.getCustomsItems() == null || sent.getCustomsItems().size() <= i ? null
                        : sent.getCustomsItems().get(i);
                all.add(new CustomsItem(shipment.getId(), i, item == null ? null : item.getId(), customs.customsItems().get(i)));
            }
        }
        ShipmentView view = ShipmentView.of(shipment, null, rates.stream().sorted(Comparator.comparing(Rate::getRate)).toList(),
                ShipmentViews.CustomsView.of(customs));
        String event = new io.vertx.core.json.JsonObject().put("shipment_id", shipment.getId().toString())
                .put("easypost_id", created.getId()).put("reference", request.reference())
                .put("return_of", returnOf == null ? null : returnOf.toString()).put("created_at", dev.shipgate.http.Times.wire(now)).encode();
        // the event is emitted in the shipment's own transaction: it exists exactly when the shipment does
        return Retry.write(vertx, () -> orm(sessions.withTransaction((session, tx) -> session.persist(all.toArray())
                        .thenCompose(v -> session.createNativeQuery(Outbox.EMIT_NATIVE, Integer.class)
                                .setParameter(1, Outbox.SHIPMENT_CREATED)
                                .setParameter(2, Outbox.SHIPMENT_CREATED + ":" + shipment.getId())
                                .setParameter(3, event).getSingleResult()))))
                .map(v -> view);
    }

    /**
     * Records the label EasyPost sold for {@code shipment}, its file's format read from EasyPost's
     * {@code label_file_type}, else the one {@code asked}; answers the shipment with it.
     */
    Future<ShipmentView> purchased(ShipmentView shipment, com.easypost.model.Shipment bought, LabelFormat asked) {
        LabelFormat format = LabelFormat.ofMediaType(bought.getPostageLabel().getLabelFileType(), asked);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<ShipmentForm> forms = forms(shipment.id(), bought, now);
        BigDecimal insured = insured(bought);
        BigDecimal fee = insuranceFee(bought);
        com.easypost.model.Rate selected = bought.getSelectedRate();
        RateView paid = shipment.rates().stream()
                .filter(r -> selected != null && selected.getId().equals(r.easypostId())).findFirst()
                .orElseGet(() -> new RateView(null, selected == null ? null : selected.getId(),
                        selected == null ? null : selected.getCarrier(), selected == null ? null : selected.getService(),
                        selected == null || selected.getRate() == null ? null : cents(selected.getRate()),
                        selected == null || selected.getCurrency() == null ? "USD" : selected.getCurrency(), null));
        String labelUrl = bought.getPostageLabel().getLabelUrl();
        String trackerId = bought.getTracker() == null ? null : bought.getTracker().getId();
        String status = bought.getStatus() == null ? "unknown" : bought.getStatus();
        // One statement for a label without forms (every domestic purchase); a transaction only when forms come with it.
        String event = new io.vertx.core.json.JsonObject().put("shipment_id", shipment.id().toString())
                .put("tracking_code", bought.getTrackingCode()).put("carrier", paid.carrier()).put("service", paid.service())
                .put("rate", paid.rate() == null ? null : paid.rate().toPlainString()).put("currency", paid.currency())
                .put("label_url", labelUrl).put("label_format", format.lowerName()).put("purchased_at", dev.shipgate.http.Times.wire(now)).encode();
        java.util.function.Function<org.hibernate.reactive.stage.Stage.StatelessSession, CompletionStage<Object>> write = session -> session
                        .createNativeQuery(RECORD_PURCHASE, Integer.class)
                        .setParameter("eventType", Outbox.LABEL_PURCHASED).setParameter("event", event)
                        .setParameter("carrier", paid.carrier()).setParameter("service", paid.service())
                        .setParameter("rate", paid.rate()).setParameter("currency", paid.currency())
                        .setParameter("trackingCode", bought.getTrackingCode()).setParameter("labelUrl", labelUrl)
                        .setParameter("labelFormat", format.lowerName())
                        .setParameter("trackerId", trackerId).setParameter("status", status)
                        .setParameter("insured", insured).setParameter("fee", fee)
                        .setParameter("at", now).setParameter("id", shipment.id())
                        .getSingleResult()
                        .thenCompose(updated -> updated == 0 || forms.isEmpty() ? java.util.concurrent.CompletableFuture.completedStage(null)
                                : session.insertMultiple(List.copyOf(forms)).thenApply(v -> (Object) v));
        return Retry.write(vertx, () -> orm(forms.isEmpty() ? sessions.withStatelessSession(write) : sessions.withStatelessTransaction(write)))
                .map(updated -> shipment.bought(status, paid, bought.getTrackingCode(), labelUrl, formViews(forms),
                        insured, fee, now));
    }

    /** Records insurance EasyPost added to a bought shipment; answers the shipment with it. */
    Future<ShipmentView> insured(ShipmentView shipment, com.easypost.model.Shipment insured) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        BigDecimal amount = insured(insured);
        BigDecimal fee = insuranceFee(insured);
        return Retry.write(vertx, () -> orm(sessions.withStatelessSession(session -> session
                        .createMutationQuery(RECORD_INSURANCE).setParameter("insured", amount).setParameter("fee", fee)
                        .setParameter("at", now).setParameter("id", shipment.id()).executeUpdate())))
                .map(updated -> shipment.with(shipment.refundStatus(), amount, fee, now));
    }

    private static List<ShipmentForm> forms(UUID shipmentId, com.easypost.model.Shipment bought, OffsetDateTime at) {
        List<ShipmentForm> forms = new ArrayList<>();
        if (bought.getForms() != null) {
            for (com.easypost.model.Form f : bought.getForms()) {
                if (f.getFormUrl() != null) {
                    forms.add(new ShipmentForm(shipmentId, f.getId(), f.getFormType() == null ? "form" : f.getFormType(),
                            f.getFormUrl(), at));
                }
            }
        }
        return forms;
    }

    private static List<ShipmentViews.FormView> formViews(List<ShipmentForm> forms) {
        return forms.stream().map(ShipmentForm::view).toList();
    }

    /** The insured amount EasyPost reports (a decimal string, USD), or null when none. */
    static BigDecimal insured(com.easypost.model.Shipment s) {
        String amount = s.getInsurance();
        if (amount == null || amount.isBlank()) {
            return null;
        }
        try {
            BigDecimal value = new BigDecimal(amount.strip()).setScale(2, java.math.RoundingMode.HALF_UP);
            return value.signum() > 0 ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The sum of EasyPost's charged, unrefunded InsuranceFee lines, USD; null when there are none. */
    static BigDecimal insuranceFee(com.easypost.model.Shipment s) {
        if (s.getFees() == null) {
            return null;
        }
        BigDecimal sum = null;
        for (com.easypost.model.Fee fee : s.getFees()) {
            if ("InsuranceFee".equals(fee.getType()) && !Boolean.TRUE.equals(fee.getRefunded())) {
                BigDecimal amount = new BigDecimal(Float.toString(fee.getAmount()));
                sum = sum == null ? amount : sum.add(amount);
            }
        }
        return sum == null ? null : sum.setScale(2, java.math.RoundingMode.HALF_UP);
    }

    /** Records the refund status EasyPost gave; answers the shipment with it. */
    Future<ShipmentView> refunded(ShipmentView shipment, String refundStatus) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return Retry.write(vertx, () -> orm(sessions.withStatelessSession(session -> session
                        .createMutationQuery(RECORD_REFUND)
                        .setParameter("refundStatus", refundStatus).setParameter("at", now)
                        .setParameter("id", shipment.id()).executeUpdate())))
                .map(updated -> shipment.with(refundStatus, shipment.insuredAmount(), shipment.insuranceFee(), now));
    }

    private static Address address(AddressInput a, String easypostId) {
        return new Address(UUID.randomUUID(), easypostId, a.name(), a.company(), a.street1(), a.street2(), a.city(),
                a.state(), a.zip(), a.countryOrDefault(), a.phone(), a.email(), a.residential(), false);
    }

    /**
     * An EasyPost amount (the client reads it as a float, "5.8" for 5.80 USD) as the exact cents the rate column
     * keeps, so every answer writes money with two decimals, the same before and after it is read back.
     */
    static BigDecimal cents(Float amount) {
        return new BigDecimal(Float.toString(amount)).setScale(2, java.math.RoundingMode.HALF_UP);
    }

    private static Rate rate(UUID shipmentId, com.easypost.model.Rate r) {
        return new Rate(UUID.randomUUID(), r.getId(), shipmentId, r.getCarrier(), r.getService(),
                cents(r.getRate()), r.getCurrency() == null ? "USD" : r.getCurrency(),
                r.getDeliveryDays() == null ? null : r.getDeliveryDays().intValue())
                .promising(day(r.getDeliveryDate()), r.getEstDeliveryDays() == null ? null : r.getEstDeliveryDays().intValue());
    }

    /**
     * The day of EasyPost's rate {@code delivery_date} ({@code 2024-08-21T00:00:00Z} or {@code 2024-08-21}),
     * taken as written; null when absent or unreadable, because a promise that cannot be read is no promise.
     */
    static java.time.LocalDate day(String deliveryDate) {
        if (deliveryDate == null || deliveryDate.length() < 10) {
            return null;
        }
        try {
            return java.time.LocalDate.parse(deliveryDate.substring(0, 10));
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private <T> Future<T> orm(CompletionStage<T> stage) {
        return Future.fromCompletionStage(stage, vertx.getOrCreateContext());
    }
}
