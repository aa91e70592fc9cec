package dev.shipgate.addresses;

import com.easypost.model.AddressVerification;
import dev.shipgate.easypost.EasyPostGateway;
import dev.shipgate.easypost.EasyPostGateway.Repeat;
import dev.shipgate.http.Handlers;
import dev.shipgate.http.Json;
import dev.shipgate.shipments.ShipmentRequests.AddressInput;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Address verification at EasyPost before rating, so a clerk fixes a typo before paying for a label. */
public final class AddressRoutes {

    record Finding(String code, String field, String message, String suggestion) {
    }

    record Verified(String easypostId, String name, String company, String street1, String street2, String city,
                    String state, String zip, String country, Boolean residential, boolean deliverable,
                    List<Finding> errors) {
    }

    private final EasyPostGateway gateway;

    public AddressRoutes(EasyPostGateway gateway) {
        this.gateway = gateway;
    }

    public void mount(Router router, BodyHandler body) {
        router.post("/addresses/verify").handler(body).handler(Handlers.json(this::verify));
    }

    private Future<Verified> verify(RoutingContext ctx) {
        AddressInput input = Json.decode(ctx.body().buffer(), AddressInput.class);
        Map<String, Object> params = new HashMap<>(input.toEasyPost());
        params.put("verify", true);
        return gateway.call("verify address", Repeat.SAFE, c -> c.address.create(params))
                .map(a -> {
                    AddressVerification delivery = a.getVerifications() == null ? null : a.getVerifications().getDelivery();
                    List<Finding> errors = delivery == null || delivery.getErrors() == null ? List.of()
                            : delivery.getErrors().stream()
                                    .map(e -> new Finding(e.getCode(), e.getField(), e.getMessage(), e.getSuggestion())).toList();
                    boolean deliverable = delivery != null && Boolean.TRUE.equals(delivery.getSuccess());
                    return new Verified(a.getId(), a.getName(), a.getCompany(), a.getStreet1(), a.getStreet2(),
                            a.getCity(), a.getState(), a.getZip(), a.getCountry(), a.getResidential(), deliverable, errors);
                });
    }
}
