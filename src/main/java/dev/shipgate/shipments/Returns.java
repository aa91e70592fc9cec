package dev.shipgate.shipments;

import dev.shipgate.http.Json;
import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemType;
import dev.shipgate.shipments.ShipmentRequests.AddressInput;
import dev.shipgate.shipments.ShipmentRequests.CreateShipment;
import dev.shipgate.shipments.ShipmentRequests.ParcelInput;
import dev.shipgate.shipments.ShipmentViews.AddressView;
import dev.shipgate.shipments.ShipmentViews.CustomsView;
import dev.shipgate.shipments.ShipmentViews.ShipmentView;
import io.vertx.core.Future;
import java.util.UUID;

/**
 * Return shipments (https://docs.easypost.com/docs/returns): a new shipment from the original's
 * recipient back to its sender, same parcel, customs declared as {@code returned_goods}, created at
 * EasyPost with {@code is_return: true} and linked to the original ({@code return_of} on the return,
 * {@code return_shipment_id} on the original). It is bought like any shipment. One return per original:
 * asking again answers the same return (its creation key is the original's id), and identical requests
 * arriving at once create it at EasyPost once ({@link LabelService#createReturn}).
 */
final class Returns {

    private final LabelService labels;

    Returns(LabelService labels) {
        this.labels = labels;
    }

    /**
     * The return of shipment {@code id}: 404 when there is no such shipment, 409 {@code not-bought-yet}
     * when it has no label (nothing has left to come back), 409 {@code label-refunded} when its label is
     * void (it never left), 409 when it is itself a return; nothing is
     * stored or sent to EasyPost then.
     */
    Future<ShipmentView> create(UUID id) {
        return labels.find(id).compose(original -> {
            if (original.labelUrl() == null) {
                return Future.failedFuture(Problem.of(ProblemType.NOT_BOUGHT_YET, "shipment " + id
                        + " has no label yet: only a bought shipment can have a return").with("shipment_id", id.toString()).exception());
            }
            Problem refunded = BoughtLabels.refused("id", id, original.refundStatus(), "returned");
            if (refunded != null) {
                return Future.failedFuture(refunded.exception());
            }
            if (original.returnOf() != null) {
                return Future.failedFuture(Problem.of(ProblemType.CONFLICT, "shipment " + id + " is itself the return of "
                        + original.returnOf()).with("shipment_id", id.toString()).exception());
            }
            CreateShipment request = Json.validate(new CreateShipment(input(original.fromAddress()), input(original.toAddress()),
                    new ParcelInput(original.parcel().length(), original.parcel().width(), original.parcel().height(),
                            original.parcel().weight(), original.parcel().predefinedPackage()),
                    original.reference(), null, customs(original.customsInfo())));
            return labels.createReturn(id, request);
        });
    }

    private static AddressInput input(AddressView a) {
        return new AddressInput(a.name(), a.company(), a.street1(), a.street2(), a.city(), a.state(), a.zip(), a.country(),
                a.phone(), a.email(), a.residential());
    }

    private static Customs.CustomsInfoInput customs(CustomsView c) {
        return c == null ? null : new Customs.CustomsInfoInput("returned_goods", c.contentsExplanation(), c.nonDeliveryOption(),
                c.restrictionType(), c.restrictionComments(), c.eelPfc(), c.customsSigner(), c.customsCertify(),
                c.customsItems().stream().map(i -> new Customs.CustomsItemInput(i.description(), i.quantity(), i.value(),
                        i.weight(), i.hsTariffNumber(), i.originCountry(), i.code())).toList());
    }
}
