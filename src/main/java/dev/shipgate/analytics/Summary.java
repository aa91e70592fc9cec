package dev.shipgate.analytics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;

/**
 * Shipping activity over one day or a whole range: shipments created, labels bought, spend on those
 * labels and its average, with breakdowns. Empty periods are zeros, not absences.
 */
final class Summary {

    record Breakdown(long shipments, long labels, BigDecimal spend) {

        Breakdown plus(AnalyticsSql.Group g) {
            return new Breakdown(shipments + g.shipments(), labels + g.labels(), spend.add(g.spend()));
        }

        Breakdown plus(Breakdown b) {
            return new Breakdown(shipments + b.shipments, labels + b.labels, spend.add(b.spend));
        }
    }

    private static final Breakdown NONE = new Breakdown(0, 0, BigDecimal.ZERO.setScale(2));

    long shipments;
    long labels;
    BigDecimal spend = BigDecimal.ZERO.setScale(2);
    /** EasyPost's insurance fees, USD: its own figure, never part of {@code spend} (postage). */
    BigDecimal insuranceSpend = BigDecimal.ZERO.setScale(2);
    final Map<String, Breakdown> byCarrier = new HashMap<>();
    final Map<String, Breakdown> byService = new HashMap<>();
    final Map<String, Long> byStatus = new HashMap<>();

    /** Adds one rollup row; shipments not bought yet (no carrier) count in the totals and statuses only. */
    void add(AnalyticsSql.Group g) {
        insuranceSpend = insuranceSpend.add(g.insuranceSpend());
        if (g.shipments() == 0 && g.labels() == 0 && g.spend().signum() == 0) {
            return;
        }
        shipments += g.shipments();
        labels += g.labels();
        spend = spend.add(g.spend());
        if (!g.carrier().isEmpty()) {
            byCarrier.merge(g.carrier(), NONE.plus(g), (a, b) -> a.plus(g));
        }
        if (!g.service().isEmpty()) {
            byService.merge(g.service(), NONE.plus(g), (a, b) -> a.plus(g));
        }
        if (g.shipments() != 0) {
            byStatus.merge(g.status(), g.shipments(), Long::sum);
        }
    }

    /**
     * Adds another summary, already folded (a closed day or span kept in memory, which this never changes): the
     * same figures, keys and decimal scales as adding its rows one by one, because every figure is an exact sum
     * and a key is present when some row put it there.
     */
    void add(Summary other) {
        insuranceSpend = insuranceSpend.add(other.insuranceSpend);
        shipments += other.shipments;
        labels += other.labels;
        spend = spend.add(other.spend);
        other.byCarrier.forEach((k, v) -> byCarrier.merge(k, v, Breakdown::plus));
        other.byService.forEach((k, v) -> byService.merge(k, v, Breakdown::plus));
        other.byStatus.forEach((k, v) -> byStatus.merge(k, v, Long::sum));
    }

    BigDecimal averageCost() {
        return labels == 0 ? BigDecimal.ZERO.setScale(2)
                : spend.divide(BigDecimal.valueOf(labels), 2, RoundingMode.HALF_EVEN);
    }
}
