package dev.shipgate.shipments;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.util.UUID;

/** A rate EasyPost offered for a shipment; kept so buyers can compare and so a purchase can be audited. */
@Entity
@Table(name = "rates")
public class Rate {

    @Id
    private UUID id;
    @Column(name = "easypost_id", columnDefinition = "text")
    private String easypostId;
    @Column(name = "shipment_id", nullable = false)
    private UUID shipmentId;
    @Column(columnDefinition = "text")
    private String carrier;
    @Column(columnDefinition = "text")
    private String service;
    @Column(precision = 12, scale = 2)
    private BigDecimal rate;
    @Column(columnDefinition = "text")
    private String currency;
    @Column(name = "delivery_days")
    private Integer deliveryDays;
    /** EasyPost's {@code delivery_date}: the carrier's promised day, when it gives one (the promise carrier performance measures). */
    @Column(name = "delivery_date")
    private java.time.LocalDate deliveryDate;
    @Column(name = "est_delivery_days")
    private Integer estDeliveryDays;

    protected Rate() {
    }

    public Rate(UUID id, String easypostId, UUID shipmentId, String carrier, String service, BigDecimal rate,
                String currency, Integer deliveryDays) {
        this.id = id;
        this.easypostId = easypostId;
        this.shipmentId = shipmentId;
        this.carrier = carrier;
        this.service = service;
        this.rate = rate;
        this.currency = currency;
        this.deliveryDays = deliveryDays;
    }

    /**
     * Adds EasyPost's delivery promise: {@code delivery_date} (a day, or null) and {@code est_delivery_days};
     * copied onto the shipment when this rate is bought (migration V42's trigger).
     */
    public Rate promising(java.time.LocalDate deliveryDate, Integer estDeliveryDays) {
        this.deliveryDate = deliveryDate;
        this.estDeliveryDays = estDeliveryDays;
        return this;
    }

    public java.time.LocalDate getDeliveryDate() {
        return deliveryDate;
    }

    public Integer getEstDeliveryDays() {
        return estDeliveryDays;
    }

    public UUID getId() {
        return id;
    }

    public String getEasypostId() {
        return easypostId;
    }

    public UUID getShipmentId() {
        return shipmentId;
    }

    public String getCarrier() {
        return carrier;
    }

    public String getService() {
        return service;
    }

    public BigDecimal getRate() {
        return rate;
    }

    public String getCurrency() {
        return currency;
    }

    public Integer getDeliveryDays() {
        return deliveryDays;
    }
}
