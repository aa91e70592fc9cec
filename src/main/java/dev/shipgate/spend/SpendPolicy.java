package dev.shipgate.spend;

import dev.shipgate.auth.Limits;
import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemType;
import java.math.BigDecimal;

/**
 * What a token's limits say about a label of a given cost (USD), before anything is reserved. The daily
 * limit is only pre-checked here against the cost alone (a label dearer than the whole day's allowance);
 * whether today's spend leaves room is decided atomically by {@link SpendLedger#reserve}.
 */
public final class SpendPolicy {

    /** The policy's answer: allowed, waits for approval, or refused with the problem to answer. */
    public enum Verdict { ALLOWED, APPROVAL_REQUIRED, REFUSED }

    /** A verdict with, when refused, the problem that names the limit and gives the numbers. */
    public record Decision(Verdict verdict, Problem problem) {
    }

    private SpendPolicy() {
    }

    /**
     * Decides on a label of {@code cost} USD. {@code approved}: an admin approved it, which lifts
     * {@code approval_above} but not {@code max_label_cost} nor {@code daily_spend}.
     */
    public static Decision decide(Limits limits, BigDecimal cost, boolean approved) {
        if (limits.maxLabelCost() != null && cost.compareTo(limits.maxLabelCost()) > 0) {
            return new Decision(Verdict.REFUSED, labelCost(cost, limits.maxLabelCost()));
        }
        if (limits.dailySpend() != null && cost.compareTo(limits.dailySpend()) > 0) {
            return new Decision(Verdict.REFUSED, daily(cost, limits.dailySpend(), BigDecimal.ZERO));
        }
        if (!approved && limits.approvalAbove() != null && cost.compareTo(limits.approvalAbove()) > 0) {
            return new Decision(Verdict.APPROVAL_REQUIRED, null);
        }
        return new Decision(Verdict.ALLOWED, null);
    }

    /** The same decision knowing today's spend, for a dry run (which reserves nothing). */
    public static Decision decide(Limits limits, BigDecimal cost, boolean approved, BigDecimal spentToday) {
        Decision first = decide(limits, cost, approved);
        if (first.verdict() == Verdict.REFUSED || limits.dailySpend() == null) {
            return first;
        }
        if (spentToday.add(cost).compareTo(limits.dailySpend()) > 0) {
            return new Decision(Verdict.REFUSED, daily(cost, limits.dailySpend(), spentToday));
        }
        return first;
    }

    static Problem labelCost(BigDecimal cost, BigDecimal limit) {
        return Problem.of(ProblemType.LABEL_COST_LIMIT, "the label costs " + usd(cost) + " USD, above this token's limit of "
                        + usd(limit) + " USD per label")
                .with("label_cost", usd(cost)).with("limit", usd(limit));
    }

    static Problem daily(BigDecimal cost, BigDecimal limit, BigDecimal spentToday) {
        return Problem.of(ProblemType.DAILY_SPEND_LIMIT, "the label costs " + usd(cost) + " USD; this token spent "
                        + usd(spentToday) + " USD today (the business's day, BUSINESS_TIMEZONE) of its daily limit of " + usd(limit) + " USD")
                .with("label_cost", usd(cost)).with("limit", usd(limit)).with("spent_today", usd(spentToday));
    }

    /** EasyPost's published insurance price: 1% of the insured amount (docs: Shipping Insurance). */
    static final BigDecimal INSURANCE_SHARE = new BigDecimal("0.01");
    /** ... with a minimum charge of 1.00 USD per insured shipment. */
    static final BigDecimal INSURANCE_MINIMUM = new BigDecimal("1.00");

    /**
     * The most EasyPost charges to insure {@code insured} USD (its {@code InsuranceFee}), USD rounded up to
     * the cent; zero for null (no insurance). EasyPost's documented price, 1.0% of the declared value with
     * a minimum of 1.00 USD, is the bound a purchase is checked and reserved against before EasyPost is
     * asked; the fee EasyPost actually charged (0.5% in its test mode, see the recorded shipment/insure
     * exchange) is stored on the shipment, and the reservation is trued up to it when the label is recorded
     * ({@link SpendLedger#settle}).
     */
    public static BigDecimal insuranceFee(BigDecimal insured) {
        if (insured == null || insured.signum() <= 0) {
            return BigDecimal.ZERO;
        }
        return insured.multiply(INSURANCE_SHARE).max(INSURANCE_MINIMUM).setScale(2, java.math.RoundingMode.CEILING);
    }

    /** What a label of {@code rate} USD insured for {@code insured} USD (null: none) may cost at most: rate plus fee. */
    public static BigDecimal cost(BigDecimal rate, BigDecimal insured) {
        return rate.add(insuranceFee(insured));
    }

    /** A USD amount as the API writes money: a decimal string with two places. */
    public static String usd(BigDecimal amount) {
        return amount.setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
    }
}
