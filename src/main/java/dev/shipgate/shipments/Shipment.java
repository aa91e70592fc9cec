package dev.shipgate.shipments;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToOne;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "shipments")
public class Shipment {

    @Id
    private UUID id;
    @Column(name = "easypost_id", columnDefinition = "text")
    private String easypostId;
    @Column(columnDefinition = "text")
    private String status;
    @Column(columnDefinition = "text")
    private String carrier;
    @Column(columnDefinition = "text")
    private String service;
    @Column(precision = 12, scale = 2)
    private BigDecimal rate;
    @Column(columnDefinition = "text")
    private String currency;
    @Column(name = "tracking_code", columnDefinition = "text")
    private String trackingCode;
    @Column(name = "label_url", columnDefinition = "text")
    private String labelUrl;
    /** The format of {@code labelUrl}'s file: png, pdf, zpl or epl2 (migration V33). */
    @Column(name = "label_format", columnDefinition = "text")
    private String labelFormat;
    @Column(name = "tracker_id", columnDefinition = "text")
    private String trackerId;
    @Column(columnDefinition = "text")
    private String reference;
    @Column(name = "recipient_name", columnDefinition = "text")
    private String recipientName;
    @Column(name = "refund_status", columnDefinition = "text")
    private String refundStatus;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "from_address_id")
    private Address fromAddress;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "to_address_id")
    private Address toAddress;
    @OneToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "parcel_id")
    private Parcel parcel;
    @Column(name = "created_at")
    private OffsetDateTime createdAt;
    @Column(name = "updated_at")
    private OffsetDateTime updatedAt;
    @Column(name = "purchase_started_at")
    private OffsetDateTime purchaseStartedAt;
    @Column(name = "source_key", columnDefinition = "text")
    private String sourceKey;
    @Column(name = "purchase_unverified")
    private boolean purchaseUnverified;
    @Column(name = "insured_amount", precision = 12, scale = 2)
    private BigDecimal insuredAmount;
    @Column(name = "insurance_fee", precision = 12, scale = 2)
    private BigDecimal insuranceFee;
    @Column(name = "return_of")
    private UUID returnOf;

    protected Shipment() {
    }

    /** A shipment just created at EasyPost: rated, not bought yet. */
    public Shipment(UUID id, String easypostId, String reference, Address fromAddress, Address toAddress,
                    Parcel parcel, String sourceKey, OffsetDateTime at) {
        this.id = id;
        this.sourceKey = sourceKey;
        this.easypostId = easypostId;
        this.status = "unknown";
        this.currency = "USD";
        this.reference = reference;
        this.recipientName = toAddress.getName();
        this.fromAddress = fromAddress;
        this.toAddress = toAddress;
        this.parcel = parcel;
        this.createdAt = at;
        this.updatedAt = at;
    }

    /** Marks this shipment as the return of {@code original} (EasyPost {@code is_return}). */
    void returnOf(UUID original) {
        this.returnOf = original;
    }

    public BigDecimal getInsuredAmount() {
        return insuredAmount;
    }

    public BigDecimal getInsuranceFee() {
        return insuranceFee;
    }

    public UUID getReturnOf() {
        return returnOf;
    }

    public UUID getId() {
        return id;
    }

    public String getEasypostId() {
        return easypostId;
    }

    public String getStatus() {
        return status;
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

    public String getTrackingCode() {
        return trackingCode;
    }

    public String getLabelUrl() {
        return labelUrl;
    }

    public String getTrackerId() {
        return trackerId;
    }

    public String getReference() {
        return reference;
    }

    public String getRefundStatus() {
        return refundStatus;
    }

    public Address getFromAddress() {
        return fromAddress;
    }

    public Address getToAddress() {
        return toAddress;
    }

    public Parcel getParcel() {
        return parcel;
    }

    public OffsetDateTime getCreatedAt() {
        return createdAt;
    }

    public OffsetDateTime getUpdatedAt() {
        return updatedAt;
    }

    public OffsetDateTime getPurchaseStartedAt() {
        return purchaseStartedAt;
    }
}
