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
