package dev.shipgate.auth;

import dev.shipgate.db.ListenedCache;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * The live tokens recently seen, so that most requests skip the token lookup in PostgreSQL without
 * revocation waiting for an expiry. One per process, shared by every HTTP verticle instance. A trigger on
 * {@code api_tokens} notifies {@value #CHANNEL} with the token's id on every update or delete (a revoke,
 * a changed scope or limit, made by any service instance or by hand in SQL); a dedicated connection
 * LISTENs and evicts that token at once.
 *
 * <p>The cache is only trusted while that connection listens ({@link ListenedCache}: bypassed while it is lost,
 * emptied when it is back, and a lookup that overlapped an eviction is not kept). Unknown tokens are never
 * cached: a token created later needs no notification, and random tokens cannot fill memory.
 */
public final class TokenCache {

    /** The notification channel the migration's trigger sends to; the payload is the token id. */
    public static final String CHANNEL = "api_token_changes";
    /** More live tokens than this and the cache starts over (a bound on memory, not an expected size). */
    static final int MAX_ENTRIES = 10_000;

    private final ListenedCache<ByteBuffer, Principal> entries;

    private TokenCache(Vertx vertx, PgConnectOptions connect) {
        this.entries = ListenedCache.start(vertx, connect, CHANNEL, "token cache", "every request looks its token up",
                MAX_ENTRIES, TokenCache::changed);
    }

    /**
     * A cache that starts listening on its own connection (made with {@code connect}) right away and keeps
     * reconnecting with backoff until {@link #close()}; until it listens, every lookup goes to the database.
     */
    public static TokenCache start(Vertx vertx, PgConnectOptions connect) {
        return new TokenCache(vertx, connect);
    }

    /** The cached principal of the token with SHA-256 {@code digest}, or null: look it up (and {@link #put} it). */
    Principal get(byte[] digest) {
        return entries.get(ByteBuffer.wrap(digest));
    }

    /** The epoch to pass to {@link #put} for a lookup about to start. */
    long epoch() {
        return entries.epoch();
    }

    /**
     * Keeps a looked-up live token, unless the cache is bypassed or something was evicted since
     * {@code epochAtLookup} (the answer may predate that change).
     */
    void put(byte[] digest, Principal principal, long epochAtLookup) {
        if (principal != null && principal.tokenId() != null) {
            entries.put(ByteBuffer.wrap(digest), principal, epochAtLookup);
        }
    }

    /** Forgets token {@code id} at once: it was revoked or changed. */
    public void evict(UUID id) {
        entries.evictIf((digest, p) -> id.equals(p.tokenId()));
    }

    /** Whether token {@code id} is held in memory now (for tests and diagnosis). */
    public boolean holds(UUID id) {
        return entries.holdsAny((digest, p) -> id.equals(p.tokenId()));
    }

    /** Whether the cache is in use: its connection listens for changes. While false, every request looks up. */
    public boolean listening() {
        return entries.listening();
    }

    /** Stops listening and reconnecting; the cache is bypassed from now on. */
    public Future<Void> close() {
        return entries.close();
    }

    /** A notification's payload: a token's id, or {@code '*'} when the table was emptied. */
    private static void changed(ListenedCache<ByteBuffer, Principal> entries, String payload) {
        try {
            UUID id = UUID.fromString(payload);
            entries.evictIf((digest, p) -> id.equals(p.tokenId()));
        } catch (IllegalArgumentException e) {
            entries.evictAll();
        }
    }
}
