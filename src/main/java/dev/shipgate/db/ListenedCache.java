package dev.shipgate.db;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgNotification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process cache of database answers that is only trusted while a connection of its own LISTENs on the
 * channel where triggers announce changes ({@code NOTIFY}, PostgreSQL's asynchronous notifications): an entry
 * never outlives a change committed by any writer (this instance, another one, or psql), because the
 * notification arrives after the commit and evicts it before the next read can use it.
 *
 * <p>When that connection is lost (a database restart, a broken socket, a ping unanswered for
 * {@value #PING_MS} ms) every read goes to the database until LISTEN is re-established, with backoff; the cache
 * then starts empty, so a change made while nobody listened is never missed. Each eviction and each change of
 * the connection bumps an epoch, and a lookup that started before it does not put its (possibly older) answer
 * in the cache. A lost listener is logged once when it goes and once when it is back, at INFO: a database
 * outage behind it is the pools' to report (once, as a WARN), and every cache of the process loses its listener
 * with it.
 *
 * <p>A notification reaches the listener a moment after the writer's commit returns, so a client that writes and
 * then reads at once could be answered from an entry about to be evicted. Readers that need their own writes
 * call {@link #sync()} first: one {@code SELECT 1} on the listening connection, after which every change
 * committed before it has been applied (PostgreSQL signals listeners inside the writer's commit and delivers
 * pending notifications before it answers the listener's next query). Concurrent readers share one round trip.
 *
 * <p>Thread-safe: reads come from every event loop; notifications and reconnects run on the context that
 * created the cache.
 *
 * @param <K> what a lookup is keyed by
 * @param <V> what the database answered for it
 */
public final class ListenedCache<K, V> {

    /** How often the listening connection is asked {@code SELECT 1}; two periods unanswered count as lost. */
    static final long PING_MS = 5_000;
    private static final long[] RECONNECT_MS = {100, 250, 500, 1_000, 2_000, 5_000};
    private static final Logger LOG = LoggerFactory.getLogger(ListenedCache.class);

    private final Vertx vertx;
    private final Context context;
    private final PgConnectOptions connect;
    private final String channel;
    private final String name;
    private final String bypassed;
    private final int maxEntries;
    private final BiConsumer<ListenedCache<K, V>, String> onChange;
    private final Map<K, V> entries = new ConcurrentHashMap<>();
    private volatile boolean listening;
    private long epoch;
    private volatile boolean closed;
    private PgConnection connection;
    private boolean pingPending;
    private long pingTimer = -1;
    private int failedAttempts;
    /** Readers waiting for the next {@link #sync()} round trip; touched on the cache's context only. */
    private List<Waiter> syncWaiting = new ArrayList<>();
    private boolean syncInFlight;

    private ListenedCache(Vertx vertx, PgConnectOptions connect, String channel, String name, String bypassed,
                          int maxEntries, BiConsumer<ListenedCache<K, V>, String> onChange) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.connect = connect;
        this.channel = channel;
        this.name = name;
        this.bypassed = bypassed;
        this.maxEntries = maxEntries;
        this.onChange = onChange;
    }

    /**
     * A cache that starts listening on {@code channel} on its own connection (made with {@code connect}) right
     * away and keeps reconnecting with backoff until {@link #close()}; until it listens, every lookup misses.
     *
     * @param name what the cache is, for the log ("token cache")
     * @param bypassed what happens while it cannot listen, for the log ("every request looks its token up")
     * @param maxEntries more entries than this and the cache starts over (a bound on memory, not an expected size)
     * @param onChange called on the cache's context with each notification's payload; it evicts what changed
     *                 ({@link #evictIf}, {@link #evictAll})
     */
    public static <K, V> ListenedCache<K, V> start(Vertx vertx, PgConnectOptions connect, String channel, String name,
                                                   String bypassed, int maxEntries,
                                                   BiConsumer<ListenedCache<K, V>, String> onChange) {
        ListenedCache<K, V> cache = new ListenedCache<>(vertx, connect, channel, name, bypassed, maxEntries, onChange);
        cache.context.runOnContext(v -> cache.listen());
        return cache;
    }

    /** The cached answer for {@code key}, or null: look it up (and {@link #put} it). */
    public V get(K key) {
        return listening ? entries.get(key) : null;
    }

    /** The epoch to pass to {@link #put} for a lookup about to start. */
    public synchronized long epoch() {
        return epoch;
    }

    /**
     * Keeps a looked-up answer, unless the cache is bypassed or something was evicted since
     * {@code epochAtLookup} (the answer may predate that change).
     */
    public synchronized void put(K key, V value, long epochAtLookup) {
        if (value == null || !listening || epoch != epochAtLookup) {
            return;
        }
        if (entries.size() >= maxEntries && !entries.containsKey(key)) {
            entries.clear();
        }
        entries.put(key, value);
    }

    /** Forgets every entry {@code which} matches, at once: what it holds changed in the database. */
    public synchronized void evictIf(BiPredicate<K, V> which) {
        epoch++;
        entries.entrySet().removeIf(e -> which.test(e.getKey(), e.getValue()));
    }

    /** Forgets {@code key} at once: what it holds changed in the database. */
    public synchronized void evict(K key) {
        epoch++;
        entries.remove(key);
    }

    /** Forgets everything: a change too broad to name (a table emptied, a rebuild). */
    public synchronized void evictAll() {
        epoch++;
        entries.clear();
    }

    /**
     * Completes once every change committed before this call has been applied to the cache (see the class
     * comment), on the caller's context. It fails when the cache does not listen; the caller then reads the
     * database, as {@link #get} would have it do anyway.
     */
    public Future<Void> sync() {
        Waiter waiter = new Waiter(vertx.getOrCreateContext(), Promise.promise());
        context.runOnContext(v -> {
            if (connection == null) {
                waiter.settle(Future.failedFuture(name + " is not listening"));
                return;
            }
            syncWaiting.add(waiter);
            if (!syncInFlight) {
                sendSync(connection);
            }
        });
        return waiter.synced.future();
    }

    /** A reader waiting for a sync, answered on its own context. */
    private record Waiter(Context caller, Promise<Void> synced) {

        void settle(AsyncResult<Void> outcome) {
            caller.runOnContext(v -> synced.handle(outcome));
        }
    }

    /** One round trip for every reader waiting now; readers arriving meanwhile wait for the next one. */
    private void sendSync(PgConnection conn) {
        List<Waiter> batch = syncWaiting;
        syncWaiting = new ArrayList<>();
        syncInFlight = true;
        conn.query("SELECT 1").execute().<Void>mapEmpty().onComplete(ar -> {
            syncInFlight = false;
            batch.forEach(w -> w.settle(ar));
            if (!syncWaiting.isEmpty()) {
                if (connection == null) {
                    syncWaiting.forEach(w -> w.settle(Future.failedFuture(name + " is not listening")));
                    syncWaiting.clear();
                } else {
                    sendSync(connection);
                }
            }
        });
    }

    /** Whether {@code key} is held in memory now (for tests and diagnosis). */
    public boolean holds(K key) {
        return listening && entries.containsKey(key);
    }

    /** Whether some entry is held that {@code which} matches (for tests and diagnosis). */
    public boolean holdsAny(BiPredicate<K, V> which) {
        return listening && entries.entrySet().stream().anyMatch(e -> which.test(e.getKey(), e.getValue()));
    }

    /** Whether the cache is in use: its connection listens for changes. While false, every lookup misses. */
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
            conn.exceptionHandler(e -> LOG.debug("{} listener: {}", name, e.getMessage()));
            return conn.query("LISTEN " + channel).execute().map(conn)
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
                LOG.info("{} listening on {} again after {} failed attempt(s); cache emptied", name, channel, failedAttempts);
            }
            failedAttempts = 0;
        }).onFailure(e -> {
            failedAttempts++;
            if (failedAttempts == 1) {
                LOG.info("{} cannot listen on {} ({}); {} until it can", name, channel, e.getMessage(), bypassed);
            }
            retry();
        });
    }

    private void changed(PgNotification n) {
        if (channel.equals(n.getChannel())) {
            onChange.accept(this, n.getPayload());
        }
    }

    private void ping(PgConnection conn) {
        if (pingPending) {
            LOG.warn("{} listener did not answer a ping within {} ms; reconnecting", name, PING_MS);
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
            LOG.info("{} listener lost ({}); {} until it listens again", name, why, bypassed);
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
