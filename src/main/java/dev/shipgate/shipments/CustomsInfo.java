package dev.shipgate.shipments;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/**
 * A shipment's customs declaration as sent to EasyPost (migration V36), written in the transaction that
 * stores the shipment so a shipment never exists without the declaration it was created with. Only
 * written through Hibernate; read back on the raw path ({@link ShipmentReadSql}).
 */
@Entity
@Table(name = "customs_infos")
public class CustomsInfo {

    @Id
    @Column(name = "shipment_id")
    private UUID shipmentId;
    @Column(name = "easypost_id", columnDefinition = "text")
    private String easypostId;
    @Column(name = "contents_type", columnDefinition = "text")
    private String contentsType;
    @Column(name = "contents_explanation", columnDefinition = "text")
    private String contentsExplanation;
    @Column(name = "non_delivery_option", columnDefinition = "text")
    private String nonDeliveryOption;
    @Column(name = "restriction_type", columnDefinition = "text")
    private String restrictionType;
    @Column(name = "restriction_comments", columnDefinition = "text")
    private String restrictionComments;
    @Column(name = "eel_pfc", columnDefinition = "text")
    private String eelPfc;
    @Column(name = "customs_signer", columnDefinition = "text")
    private String customsSigner;
    @Column(name = "customs_certify")
    private boolean customsCertify;

    protected CustomsInfo() {
    }

    CustomsInfo(UUID shipmentId, String easypostId, Customs.CustomsInfoInput in) {
        this.shipmentId = shipmentId;
        this.easypostId = easypostId;
        this.contentsType = in.contentsType();
        this.contentsExplanation = in.contentsExplanation();
        this.nonDeliveryOption = in.nonDeliveryOrDefault();
        this.restrictionType = in.restrictionOrDefault();
        this.restrictionComments = in.restrictionComments();
        this.eelPfc = in.eelPfc();
        this.customsSigner = in.customsSigner();
        this.customsCertify = in.certified();
    }
}
