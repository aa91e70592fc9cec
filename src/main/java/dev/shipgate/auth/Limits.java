package dev.shipgate.auth;

import java.math.BigDecimal;

/**
 * A token's spending rules, in USD; a null field means no such rule. {@code maxLabelCost}: no label
 * above it. {@code dailySpend}: the token's labels of one day of the business
 * ({@code BUSINESS_TIMEZONE}) together stay within it.
 * {@code approvalAbove}: a label above it waits for an admin's approval instead of being bought.
 */
public record Limits(BigDecimal maxLabelCost, BigDecimal dailySpend, BigDecimal approvalAbove) {

    /** No rules: the environment token and tokens made before limits existed. */
    public static final Limits NONE = new Limits(null, null, null);
}
