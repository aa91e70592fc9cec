package dev.shipgate.webhooks;

import dev.shipgate.config.WebhookConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.InetAddress;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends queued deliveries, at least once: when {@code webhook_emit} (or a replay, a ping, a re-enabled
 * endpoint) notifies {@value #CHANNEL}, every {@code pollMs} as the fallback when a notification is lost or
 * the listening connection is down, and at once after a full batch, it leases
 * as many due deliveries as it has free slots ({@code maxConcurrency}), posts each with the Vert.x
 * {@link WebClient} (non-blocking, connect and read timeouts, no redirects, the response body discarded)
 * and records the attempt. A 2xx delivers; anything else is retried after an exponential backoff with
 * jitter until the retry window closes. Nothing here runs on the request path: a slow or dead receiver
 * only holds one of these slots until its timeout. One per service instance, on a context of its own.
 */
final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    /** The longest wait between two attempts of one delivery, in milliseconds. */
    static final long MAX_BACKOFF_MS = 3_600_000;
    private static final int MAX_ERROR_CHARS = 500;
    /** The channel migration V51's {@code webhook_emit} notifies (at commit) when it queued deliveries. */
    static final String CHANNEL = "webhook_outbox";

    private final Vertx vertx;
    private final Pool pool;
    private final WebhookConfig config;
    private final TargetGuard guard;
    private final WebClient client;
    private final int leaseSeconds;
    private long timer = -1;
    private boolean polling;
    private boolean stopped;
    private int inFlight;

    Dispatcher(Vertx vertx, Pool pool, WebhookConfig config) {
        this.vertx = vertx;
        this.pool = pool;
        this.config = config;
        this.guard = new TargetGuard(vertx, config.allowPrivateTargets());
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout(config.connectTimeoutMs())
                .setFollowRedirects(false)
                .setMaxPoolSize(config.maxConcurrency())
                .setKeepAlive(true)
                .setForceSni(true)
                .setUserAgent("Shipgate-Webhooks/1"));
        // an attempt lasts at most connect + read timeout (and the name lookup); the lease outlives it
        this.leaseSeconds = (config.connectTimeoutMs() + config.timeoutMs()) / 1000 + 30;
    }

    /** Starts polling on the caller's context. */
    void start() {
        timer = vertx.setPeriodic(config.pollMs(), id -> poll());
        poll();
    }

    /** Leases now rather than at the next poll: something was queued. Call on this dispatcher's context. */
    void wake() {
        poll();
    }

    /**
     * Stops leasing; attempts in flight are cut off and not recorded, so their deliveries are attempted
     * again when their leases end (here after a restart, or by another instance).
     */
    void stop() {
        stopped = true;
        vertx.cancelTimer(timer);
        client.close();
    }

    /** Deliveries being attempted right now by this instance. */
    int inFlight() {
        return inFlight;
    }

    private void poll() {
        int free = config.maxConcurrency() - inFlight;
        if (polling || stopped || free <= 0) {
            return;
        }
        polling = true;
        pool.preparedQuery(WebhookSql.LEASE).execute(Tuple.of(free, leaseSeconds)).onComplete(ar -> {
            polling = false;
            if (ar.failed()) {
                LOG.warn("leasing webhook deliveries failed: {}", ar.cause().getMessage());
                return;
            }
            for (Row row : ar.result()) {
                inFlight++;
                attempt(row).onComplete(done -> {
                    inFlight--;
                    if (done.failed()) {
                        LOG.warn("recording a webhook attempt failed; it is retried when its lease ends: {}",
                                done.cause().getMessage());
                    }
                });
            }
            if (ar.result().size() == free && !stopped) {
                vertx.runOnContext(v -> poll());
            }
        });
    }

    private Future<Void> attempt(Row row) {
        int attempt = row.getInteger("attempts") + 1;
        String eventId = row.getUUID("event_id").toString();
        String type = row.getString("type");
        Buffer body = body(eventId, type, row.getOffsetDateTime("created_at"), row.getString("data"));
        OffsetDateTime started = OffsetDateTime.now(ZoneOffset.UTC);
        long t0 = System.nanoTime();
        TargetGuard.Target target;
        try {
            target = guard.parse(row.getString("url"));
        } catch (IllegalArgumentException e) {
            return record(row, attempt, started, t0, null, "refused: url " + e.getMessage());
        }
        return guard.resolve(target)
                .compose(address -> send(target, address, row.getString("secret"), row.getString("previous_secret"), eventId,
                        type, body))
                .transform(sent -> sent.succeeded()
                        ? record(row, attempt, started, t0, sent.result(), null)
                        : record(row, attempt, started, t0, null, describe(sent.cause())));
    }

    /** The delivered document: the event's id, type, creation time (UTC) and data. */
    static Buffer body(String eventId, String type, OffsetDateTime createdAt, String data) {
        return new JsonObject().put("id", eventId).put("type", type)
                .put("created_at", dev.shipgate.http.Times.wire(createdAt))
                .put("data", new JsonObject(data)).toBuffer();
    }

    private Future<Integer> send(TargetGuard.Target target, InetAddress address, String secret, String previousSecret,
                                 String eventId, String type, Buffer body) {
        long now = System.currentTimeMillis() / 1000;
        // connect to the address that was checked, not to whatever the name resolves to a moment later
        SocketAddress server = SocketAddress.inetSocketAddress(target.port(), address.getHostAddress());
        return client.requestAbs(HttpMethod.POST, server, target.uri().toString())
                .timeout(config.timeoutMs())
                .putHeader("Content-Type", "application/json")
                .putHeader(Signature.HEADER, Signature.header(secret, previousSecret, now, body.getBytes()))
                .putHeader(Signature.EVENT_ID, eventId)
                .putHeader(Signature.EVENT_TYPE, type)
                .as(BodyCodec.none())
                .sendBuffer(body)
                .map(response -> response.statusCode());
    }

    private Future<Void> record(Row row, int attempt, OffsetDateTime started, long t0, Integer status, String error) {
        if (stopped && status == null) {
            // cut off by this instance's shutdown, not by the receiver: the lease runs out and the attempt is made again
            return Future.succeededFuture();
        }
        boolean ok = status != null && status >= 200 && status < 300;
        int durationMs = (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - t0) / 1_000_000);
        double retryInSeconds = backoffMs(config.retryBaseMs(), attempt, ThreadLocalRandom.current().nextDouble()) / 1000.0;
        return pool.preparedQuery(WebhookSql.RECORD).execute(Tuple.from(java.util.Arrays.asList(row.getUUID("id"), attempt,
                        started, durationMs, status, error, ok, retryInSeconds, (double) config.retryWindowSeconds(),
                        config.retryWindowSeconds() + " s")))
                .map(rows -> {
                    LOG.debug("webhook delivery {} attempt {}: status {}, error {}", row.getUUID("id"), attempt, status, error);
                    if (rows.size() == 1 && rows.iterator().next().getBoolean("disabled") && !ok) {
                        LOG.warn("webhook endpoint {} disabled: its deliveries failed for the whole retry window",
                                row.getUUID("endpoint_id"));
                    }
                    return null;
                });
    }

    /**
     * The wait after failed attempt {@code attempt} (1 for the first), in milliseconds: {@code base} doubled
     * per attempt, at most {@link #MAX_BACKOFF_MS}, then "equal jitter" (half fixed, half random, as in
     * AWS's "Exponential Backoff And Jitter"), so receivers coming back are not hit by every sender at once.
     *
     * @param random a number in [0, 1)
     */
    static long backoffMs(long base, int attempt, double random) {
        long ceiling = Math.min(MAX_BACKOFF_MS, base << Math.min(attempt - 1, 30));
        return ceiling / 2 + (long) (random * (ceiling / 2.0));
    }

    private static String describe(Throwable failure) {
        String message = failure instanceof IllegalArgumentException ? "refused: " + failure.getMessage()
                : failure instanceof java.util.concurrent.TimeoutException || failure.getClass().getSimpleName().contains("Timeout")
                        ? "timed out: " + failure.getMessage()
                        : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return message.length() > MAX_ERROR_CHARS ? message.substring(0, MAX_ERROR_CHARS) : message;
    }
}
