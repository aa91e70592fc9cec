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
                        + usd(spentToday) + " USD today (UTC) of its daily limit of " + usd(limit) + " USD")
                .with("label_cost", usd(cost)).with("limit", usd(limit)).with("spent_today", usd(spentToday));
    }

    /** A USD amount as the API writes money: a decimal string with two places. */
    public static String usd(BigDecimal amount) {
        return amount.setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
    }
}
