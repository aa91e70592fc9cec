package dev.shipgate.easypost;

import static org.assertj.core.api.Assertions.assertThat;

import com.easypost.model.Shipment;
import dev.shipgate.Await;
import dev.shipgate.config.EasyPostConfig;
import dev.shipgate.http.Problem;
import dev.shipgate.http.ProblemException;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("EasyPost gateway against the simulator, over HTTPS with the official client")
class GatewayIT {

    static final EasyPostConfig.Simulator CALM = new EasyPostConfig.Simulator(0, 0, 0, 0);

    final Vertx vertx = Vertx.vertx();
    EasyPostGateway gateway;

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
        vertx.close();
    }

    EasyPostGateway start(int concurrency, int queue, int readTimeoutMs, EasyPostConfig.Simulator knobs) throws Exception {
        EasyPostConfig config = new EasyPostConfig(Optional.empty(), "https://api.easypost.com", Optional.empty(),
                Optional.empty(), concurrency, queue, 2_000, readTimeoutMs, readTimeoutMs + 2_000, 400, 3, 20, knobs, false);
        gateway = await(EasyPostGateway.start(vertx, config));
        return gateway;
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    static Map<String, Object> shipmentParams() {
        return Map.of(
                "to_address", Map.of("name", "Ada Lovelace", "street1", "417 Montgomery St", "city", "San Francisco",
                        "state", "CA", "zip", "94104", "country", "US"),
                "from_address", Map.of("name", "Warehouse", "street1", "1 Dock Rd", "city", "Oakland", "state", "CA",
                        "zip", "94607", "country", "US"),
                "parcel", Map.of("length", 10, "width", 8, "height", 4, "weight", 15.4));
    }

    Future<Shipment> create(EasyPostGateway.Repeat repeat) {
        return gateway.call("create shipment", repeat, c -> c.shipment.create(shipmentParams()));
    }

    @Test
    @DisplayName("the real client creates a shipment and reads its rates from the simulator")
    void createsShipment() throws Exception {
        start(4, 8, 2_000, CALM);
        Shipment shipment = await(create(EasyPostGateway.Repeat.SAFE));
        assertThat(shipment.getId()).startsWith("shp_");
        assertThat(shipment.getRates()).hasSizeGreaterThan(3);
        assertThat(shipment.getRates().get(0).getRate()).isPositive();
        assertThat(gateway.status().getString("mode")).isEqualTo("simulated");
    }

    @Test
    @DisplayName("a 422 from EasyPost keeps its code and field errors and does not trip the breaker")
    void clientErrorsKeepDetails() throws Exception {
        start(4, 8, 2_000, CALM);
        for (int i = 0; i < 8; i++) {
            Throwable failure = failure(gateway.call("create", EasyPostGateway.Repeat.SAFE, c -> c.shipment.create(Map.of("reference", "x"))));
            Problem problem = Failures.toProblem(failure, 1);
            assertThat(problem.status()).isEqualTo(422);
            assertThat(problem.extensions().getJsonObject("easypost").getString("code")).isEqualTo("PARAMETER.REQUIRED");
            assertThat(problem.extensions().getJsonObject("easypost").getJsonArray("errors").encode()).contains("to_address");
        }
        assertThat(gateway.breakerState()).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(gateway.simulator().get().requests()).isEqualTo(8);
    }

    @Test
    @DisplayName("five 5xx in a row open the breaker, which answers 503 at once and closes again when EasyPost recovers")
    void breakerOpensAndCloses() throws Exception {
        start(4, 8, 2_000, CALM);
        EasyPostSimulator simulator = gateway.simulator().get();
        simulator.script(500, 500, 500, 500, 500);
        for (int i = 0; i < 5; i++) {
            assertThat(Failures.toProblem(failure(create(EasyPostGateway.Repeat.ONCE)), 1).status()).isEqualTo(502);
        }
        assertThat(gateway.breakerState()).isEqualTo(CircuitBreakerState.OPEN);
        int before = simulator.requests();
        Problem open = Failures.toProblem(failure(create(EasyPostGateway.Repeat.SAFE)), gateway.breakerResetSeconds());
        assertThat(open.status()).isEqualTo(503);
        assertThat(open.extensions().getInteger("retry_after")).isPositive();
        assertThat(simulator.requests()).as("an open breaker does not call EasyPost").isEqualTo(before);
        awaitHalfOpen();
        assertThat(await(create(EasyPostGateway.Repeat.ONCE)).getId()).startsWith("shp_");
        assertThat(gateway.breakerState()).isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    @DisplayName("429s are retried with backoff on calls that are safe to repeat")
    void rateLimitBackoff() throws Exception {
        start(4, 8, 2_000, CALM);
        EasyPostSimulator simulator = gateway.simulator().get();
        simulator.script(429, 429);
        long started = System.nanoTime();
        assertThat(await(create(EasyPostGateway.Repeat.SAFE)).getId()).startsWith("shp_");
        assertThat(simulator.requests()).isEqualTo(3);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("backed off").isGreaterThanOrEqualTo(20);
        simulator.script(429);
        assertThat(Failures.toProblem(failure(create(EasyPostGateway.Repeat.ONCE)), 1).status())
                .as("a purchase-like call is not repeated blindly").isEqualTo(503);
    }


    @Test
    @DisplayName("a run of 429s does not open the breaker: EasyPost is answering, and other callers' calls go on")
    void rateLimitsDoNotOpenTheBreaker() throws Exception {
        start(4, 8, 2_000, CALM);
        EasyPostSimulator simulator = gateway.simulator().get();
        simulator.script(429, 429, 429, 429, 429, 429, 429);
        for (int i = 0; i < 7; i++) {
            assertThat(Failures.toProblem(failure(create(EasyPostGateway.Repeat.ONCE)), 1).status()).isEqualTo(503);
        }
        assertThat(gateway.breakerState()).as("seven 429s in a row, more than the breaker's five").isEqualTo(CircuitBreakerState.CLOSED);
        int before = simulator.requests();
        assertThat(await(create(EasyPostGateway.Repeat.ONCE)).getId()).startsWith("shp_");
        assertThat(simulator.requests()).as("the next call went to EasyPost").isEqualTo(before + 1);
    }
    @Test
    @DisplayName("a wrong API key: every call is 401, the breaker stays closed, and status() says DOWN with the refusal, logged once")
    void refusedKeyIsDown() throws Exception {
        start(4, 8, 2_000, CALM);
        EasyPostSimulator simulator = gateway.simulator().get();
        String wrongKey = "EZTK_simkey";
        EasyPostConfig config = new EasyPostConfig(Optional.of(wrongKey), simulator.apiBase(), Optional.empty(),
                Optional.empty(), 4, 8, 2_000, 2_000, 4_000, 400, 3, 20, CALM, false);
        EasyPostGateway wrong = await(EasyPostGateway.start(vertx, config));
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(KeyRefusal.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        log.addAppender(logged);
        try {
            assertThat(wrong.status().getString("status")).as("before any call").isEqualTo("UP");
            for (int i = 0; i < 8; i++) {
                Throwable failure = failure(wrong.call("create shipment", EasyPostGateway.Repeat.SAFE,
                        c -> c.shipment.create(shipmentParams())));
                assertThat(Failures.status(failure)).isEqualTo(401);
            }
            assertThat(wrong.breakerState()).as("a 401 is EasyPost's answer, not an outage").isEqualTo(CircuitBreakerState.CLOSED);
            io.vertx.core.json.JsonObject status = wrong.status();
            assertThat(status.getString("status")).as("was UP while every call was refused").isEqualTo("DOWN");
            assertThat(status.getString("breaker")).isEqualTo("CLOSED");
            assertThat(status.getString("error")).contains("EasyPost refused the API key (401 APIKEY.INACTIVE)")
                    .contains("EASYPOST_API_KEY").doesNotContain(wrongKey);
            assertThat(status.getString("refused_since")).isNotBlank();
            assertThat(status.encode()).doesNotContain(wrongKey);
            assertThat(logged.list).as("one line for the episode, not one per call").hasSize(1);
            assertThat(logged.list.get(0).getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
            assertThat(logged.list.get(0).getFormattedMessage()).contains("refused the API key").doesNotContain(wrongKey);
            assertThat(gateway.status().getString("status")).as("the right key's gateway is unaffected").isEqualTo("UP");
        } finally {
            log.detachAppender(logged);
            wrong.close();
        }
    }

    @Test
    @DisplayName("a refused key's episode ends when a call succeeds: status() is UP again and the log says so once")
    void refusedKeyRecovers() throws Exception {
        start(4, 8, 2_000, CALM);
        EasyPostSimulator simulator = gateway.simulator().get();
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(KeyRefusal.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        log.addAppender(logged);
        try {
            simulator.script(401, 401, 401);
            for (int i = 0; i < 3; i++) {
                assertThat(Failures.status(failure(create(EasyPostGateway.Repeat.SAFE)))).as("never repeated").isEqualTo(401);
            }
            assertThat(gateway.status().getString("status")).isEqualTo("DOWN");
            assertThat(await(create(EasyPostGateway.Repeat.ONCE)).getId()).startsWith("shp_");
            assertThat(gateway.status().getString("status")).isEqualTo("UP");
            assertThat(gateway.status().containsKey("error")).isFalse();
            assertThat(logged.list).extracting(e -> e.getLevel().toString()).containsExactly("WARN", "INFO");
            assertThat(logged.list.get(1).getFormattedMessage()).contains("accepts the API key again");
        } finally {
            log.detachAppender(logged);
        }
    }

    @Test
    @DisplayName("a call that hangs times out on the client and is retried when safe")
    void timeoutRetried() throws Exception {
        start(4, 8, 300, CALM);
        gateway.simulator().get().script(EasyPostSimulator.HANG);
        assertThat(await(create(EasyPostGateway.Repeat.SAFE)).getId()).startsWith("shp_");
        gateway.simulator().get().script(EasyPostSimulator.HANG);
        assertThat(Failures.toProblem(failure(create(EasyPostGateway.Repeat.ONCE)), 1).status()).isEqualTo(504);
    }

    @Test
    @DisplayName("never more calls in flight than the cap, and a full queue answers 503 at once")
    void boundedConcurrency() throws Exception {
        start(4, 4, 5_000, new EasyPostConfig.Simulator(200, 0, 0, 0));
        List<Future<Shipment>> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            calls.add(create(EasyPostGateway.Repeat.ONCE));
        }
        int ok = 0;
        int busy = 0;
        for (Future<Shipment> call : calls) {
            try {
                await(call);
                ok++;
            } catch (Exception e) {
                assertThat(e.getCause()).isInstanceOf(ProblemException.class);
                assertThat(((ProblemException) e.getCause()).problem().status()).as(String.valueOf(e.getCause())).isEqualTo(503);
                busy++;
            }
        }
        assertThat(ok).isEqualTo(8);
        assertThat(busy).isEqualTo(4);
        assertThat(gateway.simulator().get().maxInFlight()).isEqualTo(4);
        assertThat(gateway.maxInFlight()).isEqualTo(4);
        assertThat(gateway.breakerState()).as("refusals are not EasyPost's failures").isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    @DisplayName("with headers sent ahead of the body, or the body trickled in, every call returns the whole answer")
    void awkwardWritesReadWhole() throws Exception {
        start(4, 8, 2_000, new EasyPostConfig.Simulator(0, 0, 0, 0, true, 0, 0));
        EasyPostSimulator simulator = gateway.simulator().get();
        for (int i = 0; i < 3; i++) {
            assertThat(await(create(EasyPostGateway.Repeat.ONCE)).getRates()).hasSize(8);
        }
        simulator.knobs(new EasyPostConfig.Simulator(0, 0, 0, 0, false, 2, 0));
        Shipment trickled = await(create(EasyPostGateway.Repeat.ONCE));
        assertThat(trickled.getRates()).hasSize(8);
        assertThat(await(gateway.call("retrieve", EasyPostGateway.Repeat.SAFE, c -> c.shipment.retrieve(trickled.getId())))
                .getRates()).hasSize(8);
        assertThat(simulator.shipmentIds()).hasSize(4);
    }

    @Test
    @DisplayName("an empty 200, a cut-off body or an HTML page after the call took effect fail as a lost answer: ambiguous, 502, never null")
    void lostAnswers() throws Exception {
        start(4, 8, 2_000, CALM);
        EasyPostSimulator simulator = gateway.simulator().get();
        int created = 0;
        for (int fault : new int[] {EasyPostSimulator.APPLY_THEN_EMPTY, EasyPostSimulator.APPLY_THEN_CUT,
                EasyPostSimulator.APPLY_THEN_HTML}) {
            simulator.script(fault);
            Throwable failure = failure(create(EasyPostGateway.Repeat.ONCE));
            assertThat(failure).as("fault %d", fault).isInstanceOf(AnswerLostException.class);
            assertThat(((AnswerLostException) failure).operation()).isEqualTo("create shipment");
            assertThat(EasyPostGateway.ambiguous(failure)).isTrue();
            Problem problem = Failures.toProblem(failure, gateway.breakerResetSeconds());
            assertThat(problem.status()).isEqualTo(502);
            assertThat(problem.title()).isEqualTo("EasyPost answer lost");
            assertThat(simulator.shipmentIds()).as("the call took effect").hasSize(++created);
        }
    }

    @Test
    @DisplayName("an answer that never comes after the call took effect is an ambiguous timeout")
    void silenceAfterEffect() throws Exception {
        start(4, 8, 300, CALM);
        gateway.simulator().get().script(EasyPostSimulator.APPLY_THEN_SILENCE);
        Throwable failure = failure(create(EasyPostGateway.Repeat.ONCE));
        assertThat(EasyPostGateway.ambiguous(failure)).isTrue();
        assertThat(Failures.toProblem(failure, 1).status()).isEqualTo(504);
        assertThat(gateway.simulator().get().shipmentIds()).hasSize(1);
    }

    @Test
    @DisplayName("a lost answer to a call that is safe to repeat is retried, and the caller gets the second answer")
    void lostAnswerRetriedWhenSafe() throws Exception {
        start(4, 8, 2_000, CALM);
        EasyPostSimulator simulator = gateway.simulator().get();
        simulator.script(EasyPostSimulator.APPLY_THEN_EMPTY);
        Shipment shipment = await(create(EasyPostGateway.Repeat.SAFE));
        assertThat(shipment.getRates()).hasSize(8);
        assertThat(simulator.requests()).isEqualTo(2);
        assertThat(simulator.shipmentIds()).as("the first, unanswered creation stays at EasyPost").hasSize(2)
                .contains(shipment.getId());
    }

    @Test
    @DisplayName("with EASYPOST_SIMULATOR_CUT_RATE at 1 every answer is cut off and every call fails as a lost answer")
    void cutRate() throws Exception {
        start(4, 8, 2_000, new EasyPostConfig.Simulator(0, 0, 0, 0, false, 0, 1));
        for (int i = 0; i < 3; i++) {
            assertThat(failure(create(EasyPostGateway.Repeat.ONCE))).isInstanceOf(AnswerLostException.class);
        }
        assertThat(gateway.simulator().get().shipmentIds()).hasSize(3);
    }

    @Test
    @DisplayName("only failures that may have taken effect are ambiguous: a 5xx is, a 429, a 4xx, an open breaker or a full queue are not")
    void ambiguity() throws Exception {
        start(1, 1, 2_000, CALM);
        EasyPostSimulator simulator = gateway.simulator().get();
        simulator.script(500, 500, 500, 500, 500);
        for (int i = 0; i < 5; i++) {
            assertThat(EasyPostGateway.ambiguous(failure(create(EasyPostGateway.Repeat.ONCE)))).as("500").isTrue();
        }
        Throwable open = failure(create(EasyPostGateway.Repeat.ONCE));
        assertThat(open).isInstanceOf(io.vertx.circuitbreaker.OpenCircuitException.class);
        assertThat(EasyPostGateway.ambiguous(open)).as("open breaker").isFalse();
        awaitHalfOpen();
        await(create(EasyPostGateway.Repeat.ONCE));
        assertThat(gateway.breakerState()).isEqualTo(CircuitBreakerState.CLOSED);

        simulator.script(429);
        assertThat(EasyPostGateway.ambiguous(failure(create(EasyPostGateway.Repeat.ONCE)))).as("429").isFalse();
        assertThat(EasyPostGateway.ambiguous(failure(gateway.call("create", EasyPostGateway.Repeat.ONCE,
                c -> c.shipment.create(Map.of("reference", "x")))))).as("422").isFalse();

        simulator.knobs(new EasyPostConfig.Simulator(300, 0, 0, 0));
        Await.until("the worker to be idle", Duration.ofSeconds(5),
                () -> gateway.status().getInteger("in_flight") == 0 && gateway.status().getInteger("queued") == 0);
        Future<Shipment> running = create(EasyPostGateway.Repeat.ONCE);
        Await.until("one call in flight", Duration.ofSeconds(5),
                () -> gateway.status().getInteger("in_flight") == 1 && gateway.status().getInteger("queued") == 0);
        Future<Shipment> queued = create(EasyPostGateway.Repeat.ONCE);
        Await.until("one call queued", Duration.ofSeconds(5), () -> gateway.status().getInteger("queued") == 1);
        Throwable full = failure(create(EasyPostGateway.Repeat.ONCE));
        assertThat(Failures.toProblem(full, 1).status()).isEqualTo(503);
        assertThat(EasyPostGateway.ambiguous(full)).as("full queue").isFalse();
        assertThat(await(running).getId()).startsWith("shp_");
        assertThat(await(queued).getId()).startsWith("shp_");
    }

    /** The breaker's reset timeout (400 ms here) has passed: it lets one call through again. */
    void awaitHalfOpen() {
        Await.until("the breaker to half-open", Duration.ofSeconds(5),
                () -> gateway.breakerState() == CircuitBreakerState.HALF_OPEN);
    }

    /**
     * The client's failure behind a failed call, after checking that the call failed with the problem a
     * client sees for it (mapped once, in the gateway) and kept the client's failure as its cause.
     */
    static Throwable failure(Future<?> future) throws InterruptedException {
        try {
            future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).as("a gateway call fails with its mapped problem").isInstanceOf(ProblemException.class);
            ProblemException mapped = (ProblemException) e.getCause();
            Throwable raw = EasyPostGateway.cause(mapped);
            assertThat(raw).as("the mapped problem keeps the client's failure").isNotSameAs(mapped);
            assertThat(mapped.problem().kind()).isEqualTo(Failures.toProblem(raw, 1).kind());
            assertThat(EasyPostGateway.ambiguous(mapped)).as("ambiguity is judged on the cause").isEqualTo(EasyPostGateway.ambiguous(raw));
            return raw;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no answer", e);
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    @DisplayName("a create sent to a port nobody listens on surely did not reach EasyPost: not ambiguous, repeated")
    void refusedConnectionIsNotAmbiguous() throws Exception {
        int closed = dev.shipgate.TestApp.freePort();
        EasyPostConfig config = new EasyPostConfig(Optional.of("EZTK_nobody"), "https://127.0.0.1:" + closed,
                Optional.empty(), Optional.empty(), 2, 2, 2_000, 2_000, 4_000, 400, 3, 20, CALM, false);
        gateway = await(EasyPostGateway.start(vertx, config));
        Throwable failure = create(EasyPostGateway.Repeat.IF_NOT_APPLIED).toCompletionStage().toCompletableFuture()
                .handle((value, error) -> error).get(30, TimeUnit.SECONDS);
        while (failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        assertThat(failure).isInstanceOf(ProblemException.class);
        assertThat(EasyPostGateway.ambiguous(failure)).as("judged on the mapped problem's cause").isFalse();
        failure = EasyPostGateway.cause(failure);
        assertThat(failure).isInstanceOf(com.easypost.exception.API.HttpError.class);
        assertThat(failure.getCause()).as("the client drops the cause; the gateway restores it")
                .isInstanceOf(java.net.ConnectException.class);
        assertThat(EasyPostGateway.ambiguous(failure)).as("was true: a refused connection was read back as if sent").isFalse();
    }
}
