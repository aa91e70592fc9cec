package dev.shipgate.spend;

import dev.shipgate.auth.Limits;
import dev.shipgate.http.Problem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The approvals of purchases above a token's {@code approval_above}: one pending approval per shipment,
 * decided once (the decision is a conditional update, so two admins approving at the same moment cannot
 * both win). Statuses: pending, approved (the label is bought through the normal purchase path and
 * shown once recorded), rejected, failed (the approved purchase was refused; {@code problem} says why).
 */
public final class Approvals {

    /** An approval as the API shows it; money as USD decimal strings. */
    public record View(UUID id, String status, UUID shipmentId, JsonObject rate, String requestedBy, UUID requestedByTokenId,
                       String createdAt, String decidedBy, String decidedAt, String labelUrl, String trackingCode,
                       JsonObject problem, String rateId, String labelFormat, BigDecimal insurance) {

        public JsonObject toJson() {
            return new JsonObject().put("id", id.toString()).put("status", status).put("shipment_id", shipmentId.toString())
                    .put("rate", rate).put("requested_by", requestedBy)
                    .put("requested_by_token_id", requestedByTokenId == null ? null : requestedByTokenId.toString())
                    .put("created_at", createdAt).put("decided_by", decidedBy).put("decided_at", decidedAt)
                    .put("label_url", labelUrl).put("tracking_code", trackingCode).put("problem", problem)
                    .put("label_format", labelFormat)
                    .put("insurance", insurance == null ? null : SpendPolicy.usd(insurance))
                    .put("cost", SpendPolicy.usd(cost()));
        }

        /** The rate's postage, USD. */
        public BigDecimal amount() {
            return new BigDecimal(rate.getString("rate"));
        }

        /** What approving it may spend at most: postage plus the insurance fee bound ({@link SpendPolicy#cost}). */
        public BigDecimal cost() {
            return SpendPolicy.cost(amount(), insurance);
        }
    }

    private final Pool pool;

    public Approvals(Pool pool) {
        this.pool = pool;
    }

    /**
     * Asks for approval of buying {@code rateId} ({@code carrier}/{@code service} at {@code rate} USD) for
     * shipment {@code shipmentId}, in {@code labelFormat} (lower-case name; null: the configured default)
     * and insured for {@code insurance} USD (null: not insured), which approving it buys; answers the
     * pending approval (the one already waiting, if any, with what it asked for).
     */
    public Future<View> request(UUID shipmentId, Spender who, String rateId, String carrier, String service,
                                BigDecimal rate, String currency, String labelFormat, BigDecimal insurance) {
        UUID id = UUID.randomUUID();
        return pool.preparedQuery(ApprovalSql.CREATE)
                .execute(Tuple.from(java.util.Arrays.asList(id, shipmentId, who.tokenId(), who.tokenName(),
                        rateId, carrier, service, rate, currency, labelFormat, insurance)))
                .compose(rows -> rows.size() == 1 ? Future.succeededFuture(id)
                        : pool.preparedQuery(ApprovalSql.PENDING_FOR_SHIPMENT).execute(Tuple.of(shipmentId))
                                .map(pending -> pending.iterator().next().getUUID("id")))
                .compose(this::get);
    }

    /** The approval {@code id}, or null. */
    public Future<View> get(UUID id) {
        return pool.preparedQuery(ApprovalSql.GET).execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : view(rows.iterator().next()));
    }

    /** Up to {@code limit} approvals, newest first; of one token unless {@code all}. */
    public Future<List<View>> list(String status, boolean all, UUID tokenId, int limit) {
        return pool.preparedQuery(ApprovalSql.LIST).execute(Tuple.of(status, all, tokenId, limit)).map(rows -> {
            List<View> views = new ArrayList<>();
            rows.forEach(r -> views.add(view(r)));
            return views;
        });
    }

    /** Decides a pending approval ({@code approved} or {@code rejected}); answers whether this call decided it. */
    public Future<Boolean> decide(UUID id, String status, String decidedBy) {
        return pool.preparedQuery(ApprovalSql.DECIDE).execute(Tuple.of(id, status, decidedBy)).map(rows -> rows.size() == 1);
    }

    /** The approved purchase was refused for good. */
    public Future<Void> failed(UUID id, Problem problem) {
        return pool.preparedQuery(ApprovalSql.FAILED).execute(Tuple.of(id, problem.toJson())).mapEmpty();
    }

    /**
     * The approved purchase was not attempted (a 503 before anything was bought): the approval is pending
     * again, so an admin can approve it once more. Never fails.
     */
    public Future<Void> reopen(UUID id) {
        return pool.preparedQuery(ApprovalSql.REOPEN).execute(Tuple.of(id)).<Void>mapEmpty()
                .recover(e -> Future.succeededFuture());
    }

    /**
     * The requesting token's limits now, with {@code approval_above} lifted (the admin approved above it);
     * null when the token is revoked. The environment token has no limits.
     */
    public Future<Limits> requesterLimits(UUID tokenId) {
        if (tokenId == null) {
            return Future.succeededFuture(Limits.NONE);
        }
        return pool.preparedQuery(ApprovalSql.REQUESTER).execute(Tuple.of(tokenId)).map(rows -> {
            Row r = rows.size() == 0 ? null : rows.iterator().next();
            return r == null || r.getBoolean("revoked") ? null
                    : new Limits(r.getBigDecimal("max_label_cost"), r.getBigDecimal("daily_spend"), null);
        });
    }

    private static View view(Row r) {
        JsonObject rate = new JsonObject().put("id", r.getString("rate_id")).put("carrier", r.getString("carrier"))
                .put("service", r.getString("service")).put("rate", SpendPolicy.usd(r.getBigDecimal("rate")))
                .put("currency", r.getString("currency"));
        Object problem = r.getValue("problem");
        return new View(r.getUUID("id"), r.getString("status"), r.getUUID("shipment_id"), rate, r.getString("token_name"),
                r.getUUID("token_id"), dev.shipgate.http.Times.wire(r.getOffsetDateTime("created_at")), r.getString("decided_by"),
                dev.shipgate.http.Times.wire(r.getOffsetDateTime("decided_at")),
                r.getString("label_url"), r.getString("tracking_code"), problem instanceof JsonObject j ? j : null,
                r.getString("rate_id"), r.getString("label_format"), r.getBigDecimal("insurance"));
    }
}
