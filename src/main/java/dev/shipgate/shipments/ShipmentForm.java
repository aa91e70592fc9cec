package dev.shipgate.shipments;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A form EasyPost generated with a shipment's label (a commercial invoice, a CN22/CN23 customs form):
 * shown with the label so an operator prints both (migration V36).
 */
@Entity
@Table(name = "shipment_forms")
public class ShipmentForm {

    @Id
    private UUID id;
    @Column(name = "shipment_id")
    private UUID shipmentId;
    @Column(name = "easypost_id", columnDefinition = "text")
    private String easypostId;
    @Column(name = "form_type", columnDefinition = "text")
    private String formType;
    @Column(name = "form_url", columnDefinition = "text")
    private String formUrl;
    @Column(name = "created_at")
    private OffsetDateTime createdAt;

    protected ShipmentForm() {
    }

    ShipmentForm(UUID shipmentId, String easypostId, String formType, String formUrl, OffsetDateTime at) {
        this.id = UUID.randomUUID();
        this.shipmentId = shipmentId;
        this.easypostId = easypostId;
        this.formType = formType;
        this.formUrl = formUrl;
        this.createdAt = at;
    }

    ShipmentViews.FormView view() {
        return new ShipmentViews.FormView(formType, formUrl, createdAt);
    }
}
