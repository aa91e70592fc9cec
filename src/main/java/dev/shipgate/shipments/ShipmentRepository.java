package dev.shipgate.shipments;

import dev.shipgate.shipments.ShipmentViews.ShipmentView;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.hibernate.reactive.stage.Stage;

/** Entity reads through Hibernate Reactive: one stateless session per unit of work. */
final class ShipmentRepository {

    private static final String SHIPMENT = """
            from Shipment s
            join fetch s.fromAddress
            join fetch s.toAddress
            left join fetch s.parcel
            where s.id = :id""";
    private static final String LATEST_EVENT =
            "from ShipmentEvent e where e.shipmentId = :id order by e.occurredAt desc, e.id desc";
    private static final String RATES = "from Rate r where r.shipmentId = :id order by r.rate, r.carrier, r.service";

    private final Stage.SessionFactory sessions;

    ShipmentRepository(Stage.SessionFactory sessions) {
        this.sessions = sessions;
    }

    /** The shipment with addresses, parcel, offered rates and latest event, or null when there is none. */
    CompletionStage<ShipmentView> find(UUID id) {
        return sessions.withStatelessSession(session -> session
                .createSelectionQuery(SHIPMENT, Shipment.class).setParameter("id", id).getSingleResultOrNull()
                .thenCompose(shipment -> shipment == null
                        ? java.util.concurrent.CompletableFuture.completedFuture(null)
                        : session.createSelectionQuery(LATEST_EVENT, ShipmentEvent.class).setParameter("id", id)
                                .setMaxResults(1).getSingleResultOrNull()
                                .thenCompose(latest -> session.createSelectionQuery(RATES, Rate.class)
                                        .setParameter("id", id).getResultList()
                                        .thenApply(rates -> ShipmentView.of(shipment, latest, rates)))));
    }
}
