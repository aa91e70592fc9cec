package dev.shipgate.easypost;

import static org.assertj.core.api.Assertions.assertThat;

import com.easypost.Constants;
import com.easypost.exception.API.BadRequestError;
import com.easypost.exception.API.ForbiddenError;
import com.easypost.exception.API.GatewayTimeoutError;
import com.easypost.exception.API.HttpError;
import com.easypost.exception.API.InternalServerError;
import com.easypost.exception.API.InvalidRequestError;
import com.easypost.exception.API.NotFoundError;
import com.easypost.exception.API.PaymentError;
import com.easypost.exception.API.RateLimitError;
import com.easypost.exception.API.ServiceUnavailableError;
import com.easypost.exception.API.TimeoutError;
import com.easypost.exception.API.UnauthorizedError;
import com.easypost.exception.API.UnknownApiError;
import com.easypost.model.FieldError;
import dev.shipgate.http.Problem;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How each EasyPost failure is judged, with the client's own exception classes built as the client builds them
 * ({@code Requestor} in easypost-java 8.2.0): an HTTP error status becomes its {@code APIException} subclass, and
 * any {@link IOException} (refused connection, timeout, TLS failure) becomes {@code HttpError("Could not connect
 * to EasyPost ...", e)}.
 */
@DisplayName("EasyPost failures: which are EasyPost's, which may be repeated, which are ambiguous, and the problem each becomes")
class FailuresTest {

    static final int BREAKER_RESET_SECONDS = 7;

    static List<Object> errors() {
        return new ArrayList<>(List.of(Map.of("field", "to_address.zip", "message", "is invalid")));
    }

    /** What the client throws when the request never got an HTTP answer. */
    static HttpError couldNotConnect(IOException cause) {
        return new HttpError("Could not connect to EasyPost (https://api.easypost.com). Please check your internet "
                + "connection and try again. If this problem persists,please contact us at support@easypost.com.",
                cause);
    }

    /** How a call that never reached EasyPost fails underneath: refused, no such host, no TLS agreement. */
    static List<IOException> neverSent() {
        return List.of(new ConnectException("Connection refused"), new UnknownHostException("nowhere"),
                new SSLHandshakeException("no cipher"));
    }

    static AnswerLostException lost() {
        return new AnswerLostException("buy label", "the client read an empty answer", null);
    }

    /** failure, problem status, title, upstream, outage (trips the breaker), retryable, not applied, ambiguous */
    static Stream<Arguments> judgements() {
        return Stream.of(
                Arguments.of("429 rate limit", new RateLimitError("slow down", "RATE_LIMITED", errors(), 429),
                        503, "EasyPost rate limit", true, false, true, true, false),
                Arguments.of("500", new InternalServerError("boom", "INTERNAL_SERVER_ERROR", errors(), 500),
                        502, "EasyPost error", true, true, true, false, true),
                Arguments.of("502", new UnknownApiError("bad gateway", "BAD_GATEWAY", errors(), 502),
                        502, "EasyPost error", true, true, true, false, true),
                Arguments.of("503", new ServiceUnavailableError("down", "SERVICE_UNAVAILABLE", errors(), 503),
                        503, "EasyPost unavailable", true, true, true, false, true),
                Arguments.of("504", new GatewayTimeoutError("slow", "GATEWAY_TIMEOUT", errors(), 504),
                        504, "EasyPost timeout", true, true, true, false, true),
                Arguments.of("408", new TimeoutError("slow", "TIMEOUT", errors(), 408),
                        504, "EasyPost timeout", true, true, true, false, true),
                Arguments.of("client read timeout", couldNotConnect(new SocketTimeoutException("Read timed out")),
                        504, "EasyPost unreachable", true, true, true, false, true),
                Arguments.of("breaker call timeout", io.vertx.circuitbreaker.TimeoutException.INSTANCE,
                        504, "EasyPost timeout", true, true, true, false, true),
                Arguments.of("lost answer", lost(),
                        502, "EasyPost answer lost", true, true, true, false, true),
                Arguments.of("open breaker", OpenCircuitException.INSTANCE,
                        503, "EasyPost unavailable", true, true, false, true, false),
                Arguments.of("full queue", new Failures.Saturated(),
                        503, "EasyPost busy", false, false, false, true, false),
                Arguments.of("422", new InvalidRequestError("bad zip", "ADDRESS.VERIFY.FAILURE", errors(), 422),
                        422, "Rejected by EasyPost", false, false, false, false, false),
                Arguments.of("400", new BadRequestError("bad", "PARAMETER.REQUIRED", errors(), 400),
                        422, "Rejected by EasyPost", false, false, false, false, false),
                Arguments.of("402", new PaymentError("no funds", "PAYMENT.REQUIRED", errors(), 402),
                        402, "Payment required", false, false, false, false, false),
                Arguments.of("401", new UnauthorizedError("bad key", "APIKEY.INACTIVE", errors(), 401),
                        502, "EasyPost error", false, false, false, true, false),
                Arguments.of("403", new ForbiddenError("forbidden", "FORBIDDEN", errors(), 403),
                        502, "EasyPost error", false, false, false, true, false),
                Arguments.of("404", new NotFoundError("no such shipment", "NOT_FOUND", errors(), 404),
                        502, "EasyPost error", false, false, false, false, false));
    }

    @ParameterizedTest(name = "{0}: {2} {3}, upstream {4}, outage {5}, retryable {6}, not applied {7}, ambiguous {8}")
    @MethodSource("judgements")
    @DisplayName("each failure becomes its problem and is judged for the breaker, retries and read-back")
    void judged(String what, Throwable failure, int status, String title, boolean upstream, boolean outage,
                boolean retryable, boolean notApplied, boolean ambiguous) {
        Problem problem = Failures.toProblem(failure, BREAKER_RESET_SECONDS);
        assertThat(problem.status()).as("status").isEqualTo(status);
        assertThat(problem.title()).as("title").isEqualTo(title);
        assertThat(Failures.upstream(failure)).as("upstream").isEqualTo(upstream);
        assertThat(Failures.outage(failure)).as("outage").isEqualTo(outage);
        assertThat(Failures.retryable(failure)).as("retryable").isEqualTo(retryable);
        assertThat(Failures.notApplied(failure)).as("not applied").isEqualTo(notApplied);
        assertThat(EasyPostGateway.ambiguous(failure)).as("ambiguous").isEqualTo(ambiguous);
    }

    @Test
    @DisplayName("only an EasyPost status is read as a status: the client's connection errors and our own failures have none")
    void status() {
        assertThat(Failures.status(new RateLimitError("m", "c", errors(), 429))).isEqualTo(429);
        assertThat(Failures.status(couldNotConnect(new ConnectException()))).isNull();
        assertThat(Failures.status(lost())).isNull();
        assertThat(Failures.status(new IllegalStateException())).isNull();
    }

    @Test
    @DisplayName("problems that ask the caller to wait say how long: 1 s for a full queue, 2 s for a rate limit, 5 s for a 503, the breaker's reset for an open breaker")
    void retryAfter() {
        assertThat(retryAfter(new Failures.Saturated())).isEqualTo(1);
        assertThat(retryAfter(new RateLimitError("m", "c", errors(), 429))).isEqualTo(2);
        assertThat(retryAfter(new ServiceUnavailableError("m", "c", errors(), 503))).isEqualTo(5);
        assertThat(retryAfter(OpenCircuitException.INSTANCE)).isEqualTo(BREAKER_RESET_SECONDS);
        assertThat(Failures.toProblem(new InternalServerError("m", "c", errors(), 500), 1).extensions()
                .containsKey("retry_after"))
                .as("a 500 says nothing about when to come back").isFalse();
    }

    static Integer retryAfter(Throwable failure) {
        return Failures.toProblem(failure, BREAKER_RESET_SECONDS).extensions().getInteger("retry_after");
    }

    @Test
    @DisplayName("EasyPost's refusal keeps its status, code, message and field errors under easypost")
    void easypostDetailsKept() {
        FieldError zip = Constants.Http.GSON.fromJson("{\"field\": \"zip\", \"message\": \"is invalid\"}",
                FieldError.class);
        List<Object> errors = new ArrayList<>(
                List.of(zip, Map.of("field", "street1", "message", "is required"), "odd"));
        Problem problem = Failures.toProblem(
                new InvalidRequestError("Unable to verify address.", "ADDRESS.VERIFY.FAILURE", errors, 422), 1);
        assertThat(problem.detail()).isEqualTo("Unable to verify address.");
        JsonObject easypost = problem.extensions().getJsonObject("easypost");
        assertThat(easypost.getInteger("status")).isEqualTo(422);
        assertThat(easypost.getString("code")).isEqualTo("ADDRESS.VERIFY.FAILURE");
        assertThat(easypost.getString("message")).isEqualTo("Unable to verify address.");
        assertThat(easypost.getJsonArray("errors").encode()).isEqualTo(
                "[{\"field\":\"zip\",\"message\":\"is invalid\"},{\"field\":\"street1\",\"message\":\"is required\"},"
                        + "{\"message\":\"odd\"}]");
    }

    @Test
    @DisplayName("a refusal without field errors has an empty errors list, not a missing one")
    void noFieldErrors() {
        Problem problem = Failures.toProblem(new PaymentError("Insufficient funds.", "PAYMENT.REQUIRED", null, 402), 1);
        assertThat(problem.extensions().getJsonObject("easypost").getJsonArray("errors")).isEmpty();
    }

    @Test
    @DisplayName("a lost answer names the call whose outcome is unknown, and a 5xx says which status EasyPost sent")
    void details() {
        assertThat(Failures.toProblem(lost(), 1).detail()).contains("buy label").contains("may have taken effect");
        assertThat(Failures.toProblem(new UnknownApiError("teapot", "X", errors(), 418), 1).detail())
                .contains("418", "teapot");
        assertThat(Failures.toProblem(couldNotConnect(new ConnectException()), 1).detail()).contains("HttpError");
    }

    @Test
    @DisplayName("a failure Failures does not know (a bug of ours inside a call) is taken as EasyPost's and ambiguous: the safe side for money")
    void unknownFailures() {
        IllegalStateException bug = new IllegalStateException("bug");
        assertThat(Failures.toProblem(bug, 1).status()).isEqualTo(502);
        assertThat(Failures.upstream(bug)).isTrue();
        assertThat(EasyPostGateway.ambiguous(bug)).isTrue();
    }

    @Test
    @DisplayName("a connection failure whose cause reaches Failures (refused, unknown host, TLS handshake) surely did not act")
    void connectionFailuresWithTheirCause() {
        for (IOException cause : neverSent()) {
            HttpError failure = new HttpError("Could not connect to EasyPost");
            failure.initCause(new IOException("wrapped", cause));
            assertThat(Failures.notApplied(failure)).as(cause.toString()).isTrue();
            assertThat(Failures.retryable(failure)).as(cause.toString()).isTrue();
            assertThat(EasyPostGateway.ambiguous(failure)).as(cause.toString()).isFalse();
        }
    }

    @Test
    @DisplayName("the client's HttpError drops the cause it is given, so the gateway must restore it (see GatewayIT)")
    void clientDropsTheCause() {
        assertThat(couldNotConnect(new ConnectException("Connection refused")).getCause()).isNull();
    }
}
