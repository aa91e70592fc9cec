package dev.shipgate.shipments;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.util.UUID;

/**
 * A parcel as stored: weight in ounces, dimensions in inches, in unconstrained {@code numeric} columns
 * (migration V8) so the value EasyPost was sent is the value kept, digit for digit. The CHECKs there
 * match {@link ShipmentRequests.ParcelInput}'s limits.
 */
@Entity
@Table(name = "parcels")
public class Parcel {

    @Id
    private UUID id;
    @Column(name = "easypost_id", columnDefinition = "text")
    private String easypostId;
    @Column(columnDefinition = "numeric")
    private BigDecimal length;
    @Column(columnDefinition = "numeric")
    private BigDecimal width;
    @Column(columnDefinition = "numeric")
    private BigDecimal height;
    @Column(columnDefinition = "numeric")
    private BigDecimal weight;
    @Column(name = "predefined_package", columnDefinition = "text")
    private String predefinedPackage;

    protected Parcel() {
    }

    public Parcel(UUID id, String easypostId, BigDecimal length, BigDecimal width, BigDecimal height,
                  BigDecimal weight, String predefinedPackage) {
        this.id = id;
        this.easypostId = easypostId;
        this.length = length;
        this.width = width;
        this.height = height;
        this.weight = weight;
        this.predefinedPackage = predefinedPackage;
    }

    public UUID getId() {
        return id;
    }

    public String getEasypostId() {
        return easypostId;
    }

    public BigDecimal getLength() {
        return length;
    }

    public BigDecimal getWidth() {
        return width;
    }

    public BigDecimal getHeight() {
        return height;
    }

    public BigDecimal getWeight() {
        return weight;
    }

    public String getPredefinedPackage() {
        return predefinedPackage;
    }
}
