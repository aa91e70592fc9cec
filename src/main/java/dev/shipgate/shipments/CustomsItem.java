package dev.shipgate.shipments;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.util.UUID;

/** One line of a customs declaration (migration V36): value in USD and weight in ounces, both line totals. */
@Entity
@Table(name = "customs_items")
public class CustomsItem {

    @Id
    private UUID id;
    @Column(name = "shipment_id")
    private UUID shipmentId;
    private int position;
    @Column(name = "easypost_id", columnDefinition = "text")
    private String easypostId;
    @Column(columnDefinition = "text")
    private String description;
    private int quantity;
    @Column(precision = 12, scale = 2)
    private BigDecimal value;
    @Column(precision = 7, scale = 3)
    private BigDecimal weight;
    @Column(name = "hs_tariff_number", columnDefinition = "text")
    private String hsTariffNumber;
    @Column(name = "origin_country", columnDefinition = "text")
    private String originCountry;
    @Column(columnDefinition = "text")
    private String code;

    protected CustomsItem() {
    }

    CustomsItem(UUID shipmentId, int position, String easypostId, Customs.CustomsItemInput in) {
        this.id = UUID.randomUUID();
        this.shipmentId = shipmentId;
        this.position = position;
        this.easypostId = easypostId;
        this.description = in.description();
        this.quantity = in.quantity();
        this.value = in.value();
        this.weight = in.weight();
        this.hsTariffNumber = in.hsTariffNumber();
        this.originCountry = in.originCountry();
        this.code = in.code();
    }
}
