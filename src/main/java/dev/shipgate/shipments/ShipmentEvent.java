package dev.shipgate.shipments;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One tracking event of a shipment, as EasyPost's tracker reports it. Never updated once stored. */
@Entity
@Table(name = "shipment_events")
public class ShipmentEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "shipment_id", nullable = false)
    private UUID shipmentId;
    @Column(columnDefinition = "text")
    private String status;
    @Column(columnDefinition = "text")
    private String description;
    @Column(name = "occurred_at")
    private OffsetDateTime occurredAt;
    @Column(columnDefinition = "text")
    private String city;
    @Column(columnDefinition = "text")
    private String state;
    @Column(columnDefinition = "text")
    private String zip;
    @Column(columnDefinition = "text")
    private String country;

    protected ShipmentEvent() {
    }

    public Long getId() {
        return id;
    }

    public UUID getShipmentId() {
        return shipmentId;
    }

    public String getStatus() {
        return status;
    }

    public String getDescription() {
        return description;
    }

    public OffsetDateTime getOccurredAt() {
        return occurredAt;
    }

    public String getCity() {
        return city;
    }

    public String getState() {
        return state;
    }

    public String getZip() {
        return zip;
    }

    public String getCountry() {
        return country;
    }
}
