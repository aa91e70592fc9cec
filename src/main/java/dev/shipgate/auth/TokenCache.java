package dev.shipgate.auth;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgNotification;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live tokens recently seen, so that most requests skip the token lookup in PostgreSQL without
 * revocation waiting for an expiry. One per process, shared by every HTTP verticle instance. A trigger on
 * {@code api_tokens} notifies {@value #CHANNEL} with the token's id on every update or delete (a revoke,
 * a changed scope or limit, made by any service instance or by hand in SQL); a dedicated connection
 * LISTENs and evicts that token at once.
 *
 * <p>The cache is only trusted while that connection listens. When it is lost (a database restart, a
 * broken socket, a ping unanswered for {@value #PING_MS} ms) every request looks its token up again until
 * LISTEN is re-established; the cache is then emptied, so a change made while nobody listened is never
 * missed. Each eviction and each change of the connection bumps an epoch, and a lookup that started before
 * it does not put its (possibly older) answer in the cache. Unknown tokens are never cached: a token
 * created later needs no notification, and random tokens cannot fill memory.
 */
public final class TokenCache {

    /** The notification channel the migration's trigger sends to; the payload is the token id. */
    public static final String CHANNEL = "api_token_changes";
    /** How often the listening connection is asked {@code SELECT 1}; two periods unanswered count as lost. */
    static final long PING_MS = 5_000;
    /** More live tokens than this and the cache starts over (a bound on memory, not an expected size). */
    static final int MAX_ENTRIES = 10_000;
    private static final long[] RECONNECT_MS = {100, 250, 500, 1_000, 2_000, 5_000};
    private static final Logger LOG = LoggerFactory.getLogger(TokenCache.class);

    private final Vertx vertx;
    private final Context context;
    private final PgConnectOptions connect;
    private final Map<ByteBuffer, Principal> entries = new ConcurrentHashMap<>();
    private volatile boolean listening;
    private long epoch;
    private volatile boolean closed;
    private PgConnection connection;
    private boolean pingPending;
    private long pingTimer = -1;
    private int failedAttempts;

    private TokenCache(Vertx vertx, PgConnectOptions connect) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.connect = connect;
    }

    /**
     * A cache that starts listening on its own connection (made with {@code connect}) right away and keeps
     * reconnecting with backoff until {@link #close()}; until it listens, every lookup goes to the database.
     */
    public static TokenCache start(Vertx vertx, PgConnectOptions connect) {
        TokenCache cache = new TokenCache(vertx, connect);
        cache.context.runOnContext(v -> cache.listen());
        return cache;
    }

    /** The cached principal of the token with SHA-256 {@code digest}, or null: look it up (and {@link #put} it). */
    Principal get(byte[] digest) {
        return listening ? entries.get(ByteBuffer.wrap(digest)) : null;
    }

    /** The epoch to pass to {@link #put} for a lookup about to start. */
    synchronized long epoch() {
        return epoch;
    }

    /**
     * Keeps a looked-up live token, unless the cache is bypassed or something was evicted since
     * {@code epochAtLookup} (the answer may predate that change).
     */
    synchronized void put(byte[] digest, Principal principal, long epochAtLookup) {
        if (principal == null || principal.tokenId() == null || !listening || epoch != epochAtLookup) {
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(ByteBuffer.wrap(digest), principal);
    }

    /** Forgets token {@code id} at once: it was revoked or changed. */
    public synchronized void evict(UUID id) {
        epoch++;
        entries.values().removeIf(p -> id.equals(p.tokenId()));
    }

    /** Whether token {@code id} is held in memory now (for tests and diagnosis). */
    public boolean holds(UUID id) {
        return listening && entries.values().stream().anyMatch(p -> id.equals(p.tokenId()));
    }

    /** Whether the cache is in use: its connection listens for changes. While false, every request looks up. */
    public boolean listening() {
        return listening;
    }

    /** Stops listening and reconnecting; the cache is bypassed from now on. */
    public Future<Void> close() {
        closed = true;
        return Future.<Void>future(p -> context.runOnContext(v -> {
            trust(false);
            vertx.cancelTimer(pingTimer);
            PgConnection c = connection;
            connection = null;
            (c == null ? Future.<Void>succeededFuture() : c.close()).onComplete(p);
        }));
    }

    private synchronized void trust(boolean listens) {
        epoch++;
        entries.clear();
        listening = listens;
    }

    private void listen() {
        if (closed) {
            return;
        }
        PgConnection.connect(vertx, connect).compose(conn -> {
            conn.notificationHandler(this::changed);
            conn.closeHandler(v -> lost(conn, "its connection closed"));
            conn.exceptionHandler(e -> LOG.debug("token change listener: {}", e.getMessage()));
            return conn.query("LISTEN " + CHANNEL).execute().map(conn)
                    .onFailure(e -> conn.close());
        }).onSuccess(conn -> {
            if (closed) {
                conn.close();
                return;
            }
            connection = conn;
            pingPending = false;
            pingTimer = vertx.setPeriodic(PING_MS, id -> ping(conn));
            // Only now, with LISTEN in place, can nothing be missed: what changed before is dropped with the rest.
            trust(true);
            if (failedAttempts > 0) {
                LOG.info("token cache listening again after {} failed attempt(s); cache emptied", failedAttempts);
            }
            failedAttempts = 0;
        }).onFailure(e -> {
            failedAttempts++;
            if (failedAttempts == 1) {
                LOG.warn("token cache cannot listen for token changes ({}); every request looks its token up until it can",
                        e.getMessage());
            }
            retry();
        });
    }

    private void changed(PgNotification n) {
        if (!CHANNEL.equals(n.getChannel())) {
            return;
        }
        try {
            evict(UUID.fromString(n.getPayload()));
        } catch (IllegalArgumentException e) {
            // '*': the table was emptied.
            trust(listening);
        }
    }

    private void ping(PgConnection conn) {
        if (pingPending) {
            LOG.warn("token change listener did not answer a ping within {} ms; reconnecting", PING_MS);
            lost(conn, "its ping went unanswered");
            conn.close();
            return;
        }
        pingPending = true;
        conn.query("SELECT 1").execute().onComplete(ar -> {
            pingPending = false;
            if (ar.failed()) {
                lost(conn, "its ping failed");
                conn.close();
            }
        });
    }

    private void lost(PgConnection conn, String why) {
        if (connection != conn) {
            return;
        }
        connection = null;
        vertx.cancelTimer(pingTimer);
        trust(false);
        if (!closed) {
            LOG.warn("token change listener lost ({}); every request looks its token up until it listens again", why);
            retry();
        }
    }

    private void retry() {
        if (!closed) {
            long delay = RECONNECT_MS[Math.min(failedAttempts, RECONNECT_MS.length - 1)];
            vertx.setTimer(delay, id -> listen());
        }
    }
}
