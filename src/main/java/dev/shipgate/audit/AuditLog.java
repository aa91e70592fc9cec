package dev.shipgate.audit;

import dev.shipgate.auth.Principal;
import dev.shipgate.auth.RouteScopes;
import dev.shipgate.auth.TokenAuth;
import dev.shipgate.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who spent or changed what, through which client: one row per call of an operation the route table
 * marks as audited ({@link RouteScopes}). Rows are written after the answer is on its way (never a step
 * the caller waits for), retried with backoff while PostgreSQL is away. A purchase is different: its row
 * is written before EasyPost is asked ({@link #begin}) and completed with the outcome ({@link #finish}),
 * so no label can be bought without a row naming who asked.
 */
public final class AuditLog {

    /** One audit row; amounts in {@code currency} (USD), null where no money moves. */
    public record Entry(UUID id, UUID tokenId, String tokenName, String client, String operation, UUID shipmentId,
                        UUID jobId, UUID approvalId, UUID targetToken, BigDecimal amount, String currency,
                        Integer status, String problemType, String requestId, String note) {

        /** A row without a note (every audited call but an exception's acknowledgement). */
        public Entry(UUID id, UUID tokenId, String tokenName, String client, String operation, UUID shipmentId,
                     UUID jobId, UUID approvalId, UUID targetToken, BigDecimal amount, String currency,
                     Integer status, String problemType, String requestId) {
            this(id, tokenId, tokenName, client, operation, shipmentId, jobId, approvalId, targetToken, amount, currency,
                    status, problemType, requestId, null);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final long[] BACKOFF_MS = {100, 250, 500, 1000, 2000, 4000, 8000, 16000};
    private static final String RECORDED = "audit.recorded";
    private static final String SHIPMENT = "audit.shipment";
    private static final String JOB = "audit.job";
    private static final String TARGET_TOKEN = "audit.token";
    private static final String AMOUNT = "audit.amount";
    private static final String CURRENCY = "audit.currency";
    private static final String DENIED = "audit.denied";
    private static final String NOTE = "audit.note";

    /** The retention rule of the audit trail (400 days), for {@code ops.Retention}. */
    public static final String EXPIRE = AuditSql.EXPIRE;

    private final Vertx vertx;
    private final Pool pool;

    public AuditLog(Vertx vertx, Pool pool) {
        this.vertx = vertx;
        this.pool = pool;
    }

    /** Writes a row now; the caller waits for it (a purchase is not made before its row exists). */
    public Future<Void> begin(Entry entry) {
        return pool.preparedQuery(AuditSql.INSERT).execute(tuple(entry)).mapEmpty();
    }

    /** Fills in the outcome of a row written by {@link #begin}, in the background. */
    public void finish(UUID id, int status, String problemType) {
        write(AuditSql.FINISH, Tuple.of(id, status, problemType), 0);
    }

    /** Writes a row in the background. */
    public void record(Entry entry) {
        write(AuditSql.INSERT, tuple(entry), 0);
    }

    /**
     * The handler that records every audited call when its answer starts: mount it on the protected
     * router after authentication.
     */
    public Handler<RoutingContext> recorder(RouteScopes scopes) {
        return ctx -> {
            scopes.find(ctx.request().method(), TokenAuth.relativePath(ctx))
                    .map(RouteScopes.Entry::operation)
                    .ifPresent(operation -> ctx.addHeadersEndHandler(v -> recordCall(ctx, operation)));
            ctx.next();
        };
    }

    /**
     * Records calls refused before they reached their route (a missing scope) when their operation is
     * audited: a denied attempt to spend or change data leaves a row with its 403 and problem type. Give it
     * to {@link TokenAuth#onDenied}.
     */
    public java.util.function.BiConsumer<RoutingContext, dev.shipgate.http.Problem> denials(RouteScopes scopes) {
        return (ctx, problem) -> scopes.find(ctx.request().method(), TokenAuth.relativePath(ctx))
                .map(RouteScopes.Entry::operation)
                .ifPresent(operation -> {
                    ctx.put(DENIED, problem.type());
                    ctx.addHeadersEndHandler(v -> recordCall(ctx, operation));
                });
    }

    /** The call recorded its own row (a purchase): the recorder leaves it alone. */
    public static void recorded(RoutingContext ctx) {
        ctx.put(RECORDED, true);
    }

    /** The shipment the call acted on, when the path does not say (a creation). */
    public static void shipment(RoutingContext ctx, UUID id) {
        ctx.put(SHIPMENT, id);
    }

    /** The bulk job the call acted on, when the path does not say (a submission). */
    public static void job(RoutingContext ctx, UUID id) {
        ctx.put(JOB, id);
    }

    /** The money the call is about (an approval's rate, when it is decided), in {@code currency}. */
    public static void amount(RoutingContext ctx, BigDecimal amount, String currency) {
        ctx.put(AMOUNT, amount);
        ctx.put(CURRENCY, currency);
    }

    /** The note the person gave with the call (an exception's acknowledgement), kept on the row as given. */
    public static void note(RoutingContext ctx, String note) {
        ctx.put(NOTE, note);
    }

    /** The token the call acted on (created or revoked). */
    public static void targetToken(RoutingContext ctx, UUID id) {
        ctx.put(TARGET_TOKEN, id);
    }

    private void recordCall(RoutingContext ctx, String operation) {
        if (Boolean.TRUE.equals(ctx.get(RECORDED))) {
            return;
        }
        Principal who = Principal.of(ctx);
        if (who == null) {
            return;
        }
        String path = TokenAuth.relativePath(ctx);
        UUID pathId = pathId(ctx, path);
        // An exceptions queue entry's id is its shipment's, so a refused acknowledgement names the shipment too.
        UUID shipment = ctx.get(SHIPMENT) != null ? ctx.get(SHIPMENT)
                : path.startsWith("/shipments/") || path.startsWith("/exceptions/") ? pathId : null;
        UUID job = ctx.get(JOB) != null ? ctx.get(JOB) : path.startsWith("/jobs/") ? pathId : null;
        UUID approval = path.startsWith("/approvals/") ? pathId : null;
        UUID target = ctx.get(TARGET_TOKEN) != null ? ctx.get(TARGET_TOKEN) : path.startsWith("/tokens/") ? pathId : null;
        String written = Responses.problemType(ctx);
        String problem = written != null ? written : ctx.get(DENIED);
        String client = ctx.request().getHeader("User-Agent");
        record(new Entry(UUID.randomUUID(), who.tokenId(), who.name(), client == null ? null
                : client.substring(0, Math.min(client.length(), 256)), operation, shipment, job, approval, target,
                ctx.get(AMOUNT), ctx.get(CURRENCY), ctx.response().getStatusCode(), problem, ctx.get("X-Request-Id"),
                ctx.get(NOTE)));
    }

    /**
     * The id in the path ({@code /shipments/{id}/buy}): the route's parameter, or, for a call refused
     * before it reached its route, the path's second segment.
     */
    private static UUID pathId(RoutingContext ctx, String path) {
        String raw = ctx.pathParam("id");
        if (raw == null) {
            String[] segments = path.split("/");
            raw = segments.length > 2 ? segments[2] : null;
        }
        try {
            return raw == null ? null : UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void write(String sql, Tuple args, int attempt) {
        pool.preparedQuery(sql).execute(args).onFailure(e -> {
            if (attempt < BACKOFF_MS.length) {
                vertx.setTimer(BACKOFF_MS[attempt], id -> write(sql, args, attempt + 1));
            } else {
                LOG.error("an audit row could not be written: {} {}", args.deepToString(), e.getMessage());
            }
        });
    }

    private static Tuple tuple(Entry e) {
        return Tuple.from(java.util.Arrays.asList(e.id(), e.tokenId(), e.tokenName(), e.client(), e.operation(), e.shipmentId(),
                e.jobId(), e.approvalId(), e.targetToken(), e.amount(), e.currency(), e.status(), e.problemType(),
                e.requestId(), e.note()));
    }
}
