package dev.shipgate.spend;

import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemType;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import dev.shipgate.config.BusinessDay;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each token's spend per day of the business ({@code BUSINESS_TIMEZONE}: a daily limit set by a person in
 * Los Angeles starts afresh at midnight there, not at 16:00 or 17:00 when the UTC day turns), kept in PostgreSQL so every verticle and every service instance sees
 * one number. A purchase reserves its amount under the shipment's purchase lease, before EasyPost is
 * asked, atomically against the daily limit ({@link SpendSql#RESERVE}); a purchase EasyPost clearly refused
 * gives it back; one whose outcome is unknown keeps it until the shipment is read back (then it is settled
 * or given back), and the next attempt carries it on. A pickup's purchase is reserved the same way under
 * its own id in place of the shipment's (ids are random UUIDs, so the two never meet).
 */
public final class SpendLedger {

    private static final Logger LOG = LoggerFactory.getLogger(SpendLedger.class);

    private final Pool pool;
    private final BusinessDay days;

    /** @param days the business's days: which day a purchase is spent on */
    public SpendLedger(Pool pool, BusinessDay days) {
        this.pool = pool;
        this.days = days;
    }

    /**
     * Reserves {@code amount} USD of token {@code tokenId}'s day for shipment {@code shipmentId}; answers
     * the reservation's id. Fails with a 403 problem: {@code daily-spend-limit} with the numbers, or
     * {@code token-revoked}.
     */
    public Future<UUID> reserve(UUID tokenId, UUID shipmentId, BigDecimal amount) {
        UUID id = UUID.randomUUID();
        LocalDate today = days.today();
        return pool.preparedQuery(SpendSql.RESERVE).execute(Tuple.of(tokenId, shipmentId, amount, id, today)).compose(rows -> {
            if (rows.size() == 1) {
                return Future.succeededFuture(id);
            }
            return pool.preparedQuery(SpendSql.STANDING).execute(Tuple.of(tokenId, today)).compose(standing -> {
                Row row = standing.iterator().hasNext() ? standing.iterator().next() : null;
                if (row == null || row.getBoolean("revoked")) {
                    return Future.failedFuture(Problem.of(ProblemType.TOKEN_REVOKED,
                            "the token that would pay for this label is revoked").exception());
                }
                BigDecimal limit = row.getBigDecimal("daily_spend");
                return Future.failedFuture(SpendPolicy.daily(amount, limit == null ? BigDecimal.ZERO : limit,
                        row.getBigDecimal("spent_today")).exception());
            });
        });
    }

    /** What token {@code tokenId} spent today (the business's day), held reservations included; zero without a token. */
    public Future<BigDecimal> spentToday(UUID tokenId) {
        if (tokenId == null) {
            return Future.succeededFuture(BigDecimal.ZERO);
        }
        return pool.preparedQuery(SpendSql.SPENT_TODAY).execute(Tuple.of(tokenId, days.today()))
                .map(rows -> rows.iterator().next().getBigDecimal("spent_today"));
    }

    /** EasyPost sold no label for the shipment: its held reservations are given back. */
    public Future<Void> releaseShipment(UUID shipmentId) {
        return pool.preparedQuery(SpendSql.RELEASE_SHIPMENT).execute(Tuple.of(shipmentId)).mapEmpty();
    }

    /** Whether an earlier purchase of the shipment, whose outcome is still unknown, holds a reservation. */
    public Future<Boolean> holds(UUID shipmentId) {
        return pool.preparedQuery(SpendSql.HELD).execute(Tuple.of(shipmentId)).map(rows -> rows.size() > 0);
    }

    /**
     * Reservation {@code id} (not a label's: insurance bought later) bought what it was for, which cost
     * {@code charged} USD (null: as reserved); the reservation is trued up to it. Never fails.
     */
    public Future<Void> settleReservation(UUID id, BigDecimal charged) {
        return pool.preparedQuery(SpendSql.SETTLE_ONE).execute(Tuple.of(id, charged)).<Void>mapEmpty()
                .onFailure(e -> LOG.warn("marking reservation {} settled failed (it stays counted): {}", id, e.getMessage()))
                .recover(e -> Future.succeededFuture());
    }

    /** EasyPost clearly refused what reservation {@code id} was for: it is given back. */
    public Future<Void> release(UUID id) {
        return pool.preparedQuery(SpendSql.RELEASE_ONE).execute(Tuple.of(id)).mapEmpty();
    }

    /**
     * The shipment's label is recorded: its reservation is spent for good, trued up to the recorded postage
     * and insurance fee ({@link SpendSql#SETTLE_SHIPMENT}). Bookkeeping only: never fails.
     */
    public void settle(UUID shipmentId) {
        pool.preparedQuery(SpendSql.SETTLE_SHIPMENT).execute(Tuple.of(shipmentId))
                .onFailure(e -> LOG.warn("marking the reservation of shipment {} settled failed (it stays counted): {}",
                        shipmentId, e.getMessage()));
    }
}
