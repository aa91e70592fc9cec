package dev.shipgate.easypost;

import com.easypost.exception.API.HttpError;
import com.easypost.exception.EasyPostException;
import com.easypost.service.EasyPostClient;
import com.google.gson.JsonParseException;
import dev.shipgate.config.EasyPostConfig;
import dev.shipgate.http.ProblemException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only way to EasyPost. The official client blocks, so its calls run on one bounded pool shared by
 * every verticle: never more than {@code EASYPOST_MAX_CONCURRENCY} in flight, a bounded queue behind
 * them, and a full queue refused at once (503). A circuit breaker stops calling an EasyPost that keeps
 * failing; calls that are safe to repeat are retried with exponential backoff and jitter.
 *
 * <p>Every answer is read whole ({@link WholeBodyStreamHandler}), and a call never succeeds with
 * {@code null}: an answer that was lost or unreadable fails with {@link AnswerLostException}.
 *
 * <p>A failed call fails with a {@link ProblemException} already mapped to the problem a client sees
 * (so route code needs no {@code recover}); the client's own failure stays its cause, for the callers
 * that must judge what EasyPost may have done ({@link #ambiguous(Throwable)}, {@link #cause(Throwable)}).
 */
public final class EasyPostGateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EasyPostGateway.class);

    /**
     * When a failed call may be sent again. {@code SAFE}: reads and other calls without side effects, after
     * any upstream failure. {@code IF_NOT_APPLIED}: calls that create or spend, only when EasyPost surely did
     * not act (a 429, a refused connection); never after an ambiguous failure, whose outcome must be read
     * back first. {@code ONCE}: never.
     */
    public enum Repeat { SAFE, IF_NOT_APPLIED, ONCE }

    private final Vertx vertx;
    private final EasyPostConfig config;
    private final EasyPostClient client;
    private final ThreadPoolExecutor executor;
    private final CircuitBreaker breaker;
    private final Optional<EasyPostSimulator> simulator;
    private final String apiBase;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong rateLimitedCalls = new java.util.concurrent.atomic.AtomicLong();
    private final KeyRefusal keyRefusal = new KeyRefusal();

    private EasyPostGateway(Vertx vertx, EasyPostConfig config, String apiKey, String apiBase,
                            Optional<EasyPostSimulator> simulator) {
        this.vertx = vertx;
        this.config = config;
        this.simulator = simulator;
        this.apiBase = apiBase;
        try {
            this.client = new EasyPostClient(apiKey, config.connectTimeoutMs(), config.readTimeoutMs(), apiBase);
        } catch (EasyPostException e) {
            throw new IllegalStateException("cannot create the EasyPost client: " + e.getMessage(), e);
        }
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(config.maxConcurrency(), config.maxConcurrency(), 60, TimeUnit.SECONDS,
                config.queueSize() == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(config.queueSize()),
                r -> {
                    Thread t = new Thread(r, "easypost-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                },
                new ThreadPoolExecutor.AbortPolicy());
        this.breaker = CircuitBreaker.create("easypost", vertx, new CircuitBreakerOptions()
                        .setMaxFailures(5)
                        .setTimeout(config.breakerTimeoutMs())
                        .setResetTimeout(config.breakerResetMs())
                        .setNotificationAddress(null))
                .failurePolicy(EasyPostGateway::countsAgainstEasyPost)
                .openHandler(v -> LOG.warn("EasyPost circuit breaker opened: calls paused for {} ms", config.breakerResetMs()))
                .halfOpenHandler(v -> LOG.info("EasyPost circuit breaker half-open: trying one call"))
                .closeHandler(v -> LOG.info("EasyPost circuit breaker closed: EasyPost answers again"));
    }

    /** Connects to EasyPost, or starts the built-in simulator and connects to it when no API key is set. */
    public static Future<EasyPostGateway> start(Vertx vertx, EasyPostConfig config) {
        return start(vertx, config, Optional.empty());
    }

    /**
     * As {@link #start(Vertx, EasyPostConfig)}; when the simulator runs, it keeps its account in
     * {@code simulatorState} across restarts (when given).
     */
    public static Future<EasyPostGateway> start(Vertx vertx, EasyPostConfig config, Optional<java.nio.file.Path> simulatorState) {
        WholeBodyStreamHandler.install();
        config.caFile().ifPresent(ca -> Tls.trustAlso(Tls.readPem(ca)));
        if (!config.simulated()) {
            return Future.succeededFuture(new EasyPostGateway(vertx, config, config.apiKey().get(), config.apiBase(),
                    Optional.empty()));
        }
        EasyPostSimulator simulator = new EasyPostSimulator(vertx, config.simulator(), simulatorState);
        return simulator.start().map(s -> new EasyPostGateway(vertx, config, EasyPostSimulator.API_KEY, s.apiBase(),
                Optional.of(s)));
    }

    /**
     * Runs a call through the breaker on the worker pool; retries it when it is safe to repeat. Fails with a
     * {@link ProblemException} whose cause is the client's failure (or the breaker's, or the full queue's).
     */
    public <T> Future<T> call(String operation, Repeat repeat, EasyPostCall<T> call) {
        Promise<T> result = Promise.promise();
        attempt(operation, repeat, repeat == Repeat.ONCE ? 1 : config.maxAttempts(), 1, call, result);
        return result.future().recover(failure -> Future.failedFuture(
                Failures.toProblem(failure, breakerResetSeconds()).exception(failure)));
    }

    private <T> void attempt(String operation, Repeat repeat, int attempts, int n, EasyPostCall<T> call,
                             Promise<T> result) {
        breaker.<T>execute(promise -> submit(operation, call, promise)).onComplete(ar -> {
            keyRefusal.observe(ar);
            if (ar.succeeded()) {
                rateLimitEnded();
                result.complete(ar.result());
                return;
            }
            Throwable failure = ar.cause();
            Integer status = Failures.status(failure);
            if (status != null && status == 429) {
                rateLimited(operation);
            }
            boolean again = repeat == Repeat.SAFE ? Failures.retryable(failure)
                    : Failures.retryable(failure) && Failures.notApplied(failure);
            if (n < attempts && again) {
                long delay = backoff(n, Failures.status(failure));
                if (status != null && status == 429) {
                    LOG.debug("EasyPost {} rate limited, attempt {} of {} in {} ms", operation, n + 1, attempts, delay);
                } else {
                    LOG.info("EasyPost {} failed ({}), attempt {} of {} in {} ms", operation, describe(failure), n + 1, attempts, delay);
                }
                vertx.setTimer(delay, id -> attempt(operation, repeat, attempts, n + 1, call, result));
            } else {
                result.fail(failure);
            }
        });
    }

    /**
     * The start of a rate-limit episode is logged once (the first 429 after a call that succeeded), not per
     * call: at peak EasyPost may refuse hundreds of calls a minute, each retried.
     */
    private void rateLimited(String operation) {
        if (rateLimitedCalls.getAndIncrement() == 0) {
            LOG.warn("EasyPost is rate limiting ({} answered 429): calls are retried with backoff, bulk items wait", operation);
        }
    }

    /** The end of a rate-limit episode: a call succeeded; says how many calls EasyPost refused in it. */
    private void rateLimitEnded() {
        long refused = rateLimitedCalls.getAndSet(0);
        if (refused > 0) {
            LOG.info("EasyPost answers again without rate limiting, after {} calls refused with 429", refused);
        }
    }

    /**
     * The breaker's failure policy: only failures that say EasyPost (or the way to it) is down count
     * towards opening it ({@link Failures#outage}). A caller's error (a 4xx), a rate limit (429) or a full
     * queue fails the call but counts as a success for the breaker, so a burst of bad requests, EasyPost
     * asking for fewer calls or a traffic peak never pauses everyone's calls.
     */
    private static <T> boolean countsAgainstEasyPost(Future<T> outcome) {
        return outcome.failed() && Failures.outage(outcome.cause());
    }

    /** Runs the call on the worker pool; a full queue fails at once with {@link Failures.Saturated}. */
    private <T> void submit(String operation, EasyPostCall<T> call, Promise<T> promise) {
        try {
            executor.execute(() -> {
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                WholeBodyConnection.takeIncomplete();
                WholeBodyConnection.takeNotSent();
                T value = null;
                Throwable failure = null;
                try {
                    value = call.call(client);
                    if (value == null) {
                        failure = new AnswerLostException(operation, "the client read an empty answer", null);
                    }
                } catch (Throwable e) {
                    failure = lostAnswer(operation, e);
                }
                // A call whose outcome is handed over is no longer in flight: count it out first.
                inFlight.decrementAndGet();
                if (failure != null) {
                    promise.tryFail(failure);
                } else {
                    promise.tryComplete(value);
                }
            });
        } catch (RejectedExecutionException e) {
            promise.tryFail(new Failures.Saturated());
        }
    }

    /**
     * The failure a caller sees: an answer gson could not read, or one whose body broke off after its
     * headers, is a lost answer; anything else is unchanged. The client's {@code HttpError} drops its cause,
     * so a broken-off body is recognised by what {@link WholeBodyConnection} recorded on this thread.
     */
    private static Throwable lostAnswer(String operation, Throwable failure) {
        if (failure instanceof JsonParseException) {
            return new AnswerLostException(operation, "the answer is not JSON the client can read", failure);
        }
        WholeBodyConnection.IncompleteAnswer incomplete = WholeBodyConnection.takeIncomplete();
        java.io.IOException notSent = WholeBodyConnection.takeNotSent();
        if (failure instanceof HttpError && incomplete != null) {
            return new AnswerLostException(operation, incomplete.getMessage(), incomplete);
        }
        if (failure instanceof HttpError && notSent != null && failure.getCause() == null) {
            failure.initCause(notSent);
        }
        return failure;
    }

    private long backoff(int attempt, Integer status) {
        long base = (long) config.backoffMs() << Math.min(attempt - 1, 10);
        if (status != null && status == 429) {
            base *= 2;
        }
        return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }

    private static String describe(Throwable t) {
        Integer status = Failures.status(t);
        return status != null ? "HTTP " + status : t.getClass().getSimpleName();
    }

    /**
     * Whether the call may have reached EasyPost and taken effect although it failed (a timeout, a dropped
     * connection, a lost or unreadable answer, a 5xx after the request was sent): the outcome must be read
     * back before anything is repeated. False for failures that prove nothing happened: a 429, a caller's
     * 4xx, a call never sent (an open breaker, a full queue, a refused connection). Takes what
     * {@link #call} failed with, or the client's failure itself.
     */
    public static boolean ambiguous(Throwable failure) {
        Throwable raw = cause(failure);
        return Failures.upstream(raw) && !Failures.notApplied(raw);
    }

    /**
     * Whether the call never left this service: the breaker was open or the queue of calls was full. Such a
     * failure says nothing about the work itself, only when to try again (its problem's {@code retry_after},
     * in seconds); background work waits that long instead of counting it as an attempt. Takes what
     * {@link #call} failed with, or the failure itself.
     */
    public static boolean notSent(Throwable failure) {
        return Failures.notSent(cause(failure));
    }

    /**
     * Whether EasyPost answered 429: it is up, did not act on the call, and asks for fewer calls. Takes what
     * {@link #call} failed with, or the client's failure itself.
     */
    public static boolean rateLimited(Throwable failure) {
        Integer status = Failures.status(cause(failure));
        return status != null && status == 429;
    }

    /**
     * Whether EasyPost refused this service's API key (401 or 403, see {@link KeyRefusal}): it did nothing, and
     * every call fails the same way until the key is corrected or the account re-enabled, so background work
     * waits instead of spending attempts on it. Takes what {@link #call} failed with, or the client's failure.
     */
    public static boolean keyRefused(Throwable failure) {
        return Failures.keyRefused(cause(failure));
    }

    /**
     * Whether EasyPost answered 404: the object named does not exist in this account (for a shipment read
     * back: nothing can have been bought on it). Takes what {@link #call} failed with, or the client's failure.
     */
    public static boolean notFound(Throwable failure) {
        Integer status = Failures.status(cause(failure));
        return status != null && status == 404;
    }

    /**
     * The failure as the EasyPost client (or the breaker, or the queue) raised it: the cause of the problem
     * {@link #call} failed with, or {@code failure} itself when it is not such a problem. For decisions on
     * EasyPost's own error codes.
     */
    public static Throwable cause(Throwable failure) {
        return failure instanceof ProblemException mapped && mapped.getCause() != null ? mapped.getCause() : failure;
    }

    /**
     * The {@code easypost} part of {@code /health}: {@code status} DOWN while the breaker is open or while
     * EasyPost refuses the API key (401/403 until a call succeeds; {@code error} says which, never the key),
     * UP otherwise. Neither makes the whole service DOWN: its reads, tracking and queued work go on.
     */
    public JsonObject status() {
        Optional<KeyRefusal.Episode> refused = keyRefusal.current();
        JsonObject status = new JsonObject()
                .put("status", breaker.state() == CircuitBreakerState.OPEN || refused.isPresent() ? "DOWN" : "UP");
        refused.ifPresent(r -> status.put("error", r.error()).put("refused_since", r.since().toString()));
        return status
                .put("mode", simulator.isPresent() ? "simulated" : "live")
                .put("api_base", apiBase)
                .put("breaker", breaker.state().name())
                .put("in_flight", inFlight.get())
                .put("max_in_flight", maxInFlight.get())
                .put("max_concurrency", config.maxConcurrency())
                .put("queued", executor.getQueue().size())
                .put("simulator", simulator.map(s -> new JsonObject()
                        .put("requests", s.requests())
                        .put("max_in_flight", s.maxInFlight())
                        .put("purchases", s.totalPurchases())).orElse(null));
    }

    public void registerMetrics(MeterRegistry registry) {
        Gauge.builder("shipgate_easypost_in_flight", inFlight, AtomicInteger::get)
                .description("EasyPost calls in flight").register(registry);
        Gauge.builder("shipgate_easypost_queued", executor, e -> e.getQueue().size())
                .description("EasyPost calls waiting for a worker").register(registry);
        Gauge.builder("shipgate_easypost_breaker_state", breaker, b -> switch (b.state()) {
                    case CLOSED -> 0;
                    case HALF_OPEN -> 1;
                    case OPEN -> 2;
                })
                .description("EasyPost circuit breaker: 0 closed, 1 half-open, 2 open").register(registry);
        Gauge.builder("shipgate_easypost_key_refused", keyRefusal, k -> k.current().isPresent() ? 1 : 0)
                .description("1 while EasyPost refuses the API key (401/403 until a call succeeds), else 0").register(registry);
    }

    public int breakerResetSeconds() {
        return (int) Math.max(1, TimeUnit.MILLISECONDS.toSeconds(config.breakerResetMs()));
    }

    public CircuitBreakerState breakerState() {
        return breaker.state();
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    public Optional<EasyPostSimulator> simulator() {
        return simulator;
    }

    @Override
    public void close() {
        breaker.close();
        executor.shutdown();
        simulator.ifPresent(EasyPostSimulator::stop);
    }
}
