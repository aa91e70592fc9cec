package dev.shipgate.analytics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.TreeMap;

/**
 * Shipping activity over one day or a whole range: shipments created, labels bought, spend on those
 * labels and its average, with breakdowns. Empty periods are zeros, not absences.
 */
final class Summary {

    record Breakdown(long shipments, long labels, BigDecimal spend) {
    }

    long shipments;
    long labels;
    BigDecimal spend = BigDecimal.ZERO.setScale(2);
    final Map<String, Breakdown> byCarrier = new TreeMap<>();
    final Map<String, Breakdown> byService = new TreeMap<>();
    final Map<String, Long> byStatus = new TreeMap<>();

    void add(AnalyticsSql.Group g) {
        if (g.byCarrier()) {
            if (!g.carrier().isEmpty()) {
                byCarrier.put(g.carrier(), new Breakdown(g.shipments(), g.labels(), g.spend()));
            }
        } else if (g.byService()) {
            if (!g.service().isEmpty()) {
                byService.put(g.service(), new Breakdown(g.shipments(), g.labels(), g.spend()));
            }
        } else if (g.byStatus()) {
            if (g.shipments() != 0) {
                byStatus.put(g.status(), g.shipments());
            }
        } else {
            shipments = g.shipments();
            labels = g.labels();
            spend = g.spend();
        }
    }

    BigDecimal averageCost() {
        return labels == 0 ? BigDecimal.ZERO.setScale(2)
                : spend.divide(BigDecimal.valueOf(labels), 2, RoundingMode.HALF_EVEN);
    }
}
