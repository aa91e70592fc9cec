package dev.shipgate.shipments;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.util.UUID;

@Entity
@Table(name = "parcels")
public class Parcel {

    @Id
    private UUID id;
    @Column(name = "easypost_id", columnDefinition = "text")
    private String easypostId;
    @Column(precision = 8, scale = 2)
    private BigDecimal length;
    @Column(precision = 8, scale = 2)
    private BigDecimal width;
    @Column(precision = 8, scale = 2)
    private BigDecimal height;
    @Column(precision = 10, scale = 2)
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
