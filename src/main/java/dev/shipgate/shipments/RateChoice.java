package dev.shipgate.shipments;

import dev.shipgate.http.Problem;
import dev.shipgate.shipments.ShipmentRequests.Buy;
import dev.shipgate.shipments.ShipmentViews.RateView;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Picks the rate to buy: the one named, or the cheapest or fastest among the allowed carriers and services. */
final class RateChoice {

    private static final Comparator<RateView> CHEAPEST = Comparator.comparing(RateView::rate)
            .thenComparing(r -> r.deliveryDays() == null ? Integer.MAX_VALUE : r.deliveryDays());
    private static final Comparator<RateView> FASTEST = Comparator
            .<RateView>comparingInt(r -> r.deliveryDays() == null ? Integer.MAX_VALUE : r.deliveryDays())
            .thenComparing(RateView::rate);

    private RateChoice() {
    }

    static RateView choose(List<RateView> rates, Buy request) {
        if (request.rateId() != null) {
            return rates.stream()
                    .filter(r -> request.rateId().equals(r.id().toString()) || request.rateId().equals(r.easypostId()))
                    .findFirst()
                    .orElseThrow(() -> Problem.invalidParam("rate_id", "is not a rate of this shipment").exception());
        }
        Set<String> carriers = lower(request.carriers());
        Set<String> services = lower(request.services());
        return rates.stream()
                .filter(r -> carriers.isEmpty() || carriers.contains(r.carrier().toLowerCase(Locale.ROOT)))
                .filter(r -> services.isEmpty() || services.contains(r.service().toLowerCase(Locale.ROOT)))
                .min(request.strategy() == ShipmentRequests.Strategy.FASTEST ? FASTEST : CHEAPEST)
                .orElseThrow(() -> Problem.invalid(422, "no rate matches the carriers and services given",
                        List.of(new Problem.InvalidParam(request.carriers() != null ? "carriers" : "services",
                                "no rate of this shipment matches"))).exception());
    }

    private static Set<String> lower(List<String> values) {
        return values == null ? Set.of() : values.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }
}
