package dev.shipgate.analytics;

/** Lets tests in other packages EXPLAIN carrier performance's statement. */
public final class CarrierPerformanceProbe {

    private CarrierPerformanceProbe() {
    }

    public static String sql() {
        return CarrierPerformanceSql.BY_CARRIER;
    }
}
